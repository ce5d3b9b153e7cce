#!/bin/sh
# The hub's systemd unit is valid (systemd-analyze verify); the program it starts is
# replaced by /bin/true, since the hub is not installed when the tests run.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's|^ExecStart=[^ ]*|ExecStart=/bin/true|' "$1" > "$tmp/portboard-hub.service"
out=$(systemd-analyze verify "$tmp/portboard-hub.service" 2>&1) || { echo "$out"; exit 1; }
if [ -n "$out" ]; then echo "$out"; exit 1; fi
grep -q '^ExecStart=/usr/bin/portboard-hub serve --data ' "$1"
echo "ok"
