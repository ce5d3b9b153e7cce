#!/bin/sh
# The Flatpak manifest parses, names our app, asks for no more than it needs, and (where
# flatpak-builder is installed) is accepted by it without warnings.
set -eu
manifest=$1
python3 - "$manifest" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["app-id"] == "io.github.portboard.Portboard", m["app-id"]
assert m["command"] == "portboard"
assert m["runtime"] == "org.gnome.Platform"
args = m["finish-args"]
for forbidden in ("--filesystem=host", "--filesystem=home", "--socket=session-bus", "--socket=system-bus", "--device=all"):
    assert forbidden not in args, forbidden
assert m["modules"][-1]["name"] == "portboard"
print("manifest OK")
PY
if command -v flatpak-builder >/dev/null 2>&1; then
  out=$(flatpak-builder --show-manifest "$manifest" 2>&1 >/dev/null) || { echo "$out"; exit 1; }
  case $out in *WARNING*|*Unknown*) echo "$out"; exit 1 ;; esac
fi
