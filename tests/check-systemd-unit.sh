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
# Room for connections (the hub raises its soft limit to this), and a watchdog that restarts
# a hub that stopped accepting (it says READY=1 and WATCHDOG=1 itself: Type=notify).
grep -Eq '^LimitNOFILE=[0-9]{4,}$' "$1" || { echo "LimitNOFILE= missing or under 1000"; exit 1; }
grep -q '^Type=notify$' "$1" || { echo "Type=notify missing"; exit 1; }
grep -Eq '^WatchdogSec=[0-9]+s?$' "$1" || { echo "WatchdogSec= missing"; exit 1; }
grep -q '^Restart=on-failure$' "$1" || { echo "Restart=on-failure missing"; exit 1; }
echo "ok"
