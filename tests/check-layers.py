#!/usr/bin/env python3
"""The layers of docs/architecture.md, checked on the sources' #include lines.

- src/core/ is rooms in one order (base, rules, geo, store, model, meeting, sync, demo):
  a room includes only headers of its own room and of the rooms before it;
- nothing under src/core/, src/render/, src/hub/ or src/cli/ includes GTK or libadwaita;
- nothing under src/core/ includes libsoup (the core has no HTTP), src/render/ or src/app/;
- src/render/ includes nothing of src/app/.
Prints each breach and exits 1 when there is one.
"""
import glob
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else "."
order = ["base", "rules", "geo", "store", "model", "meeting", "sync", "demo"]
rank = {room: i for i, room in enumerate(order)}


def files(pattern):
    return [f for f in glob.glob(os.path.join(top, pattern), recursive=True) if f.endswith((".c", ".h"))]


def includes(path):
    text = open(path, encoding="utf-8").read()
    return re.findall(r'^#include [<"]([^>"]+)[>"]', text, re.M)


room_of = {}
for room in order:
    for f in files(f"src/core/{room}/*"):
        room_of[os.path.basename(f)] = room
app_headers = {os.path.basename(f) for f in files("src/app/**/*")}
render_headers = {os.path.basename(f) for f in files("src/render/**/*")}

breaches = []
for room in order:
    for f in files(f"src/core/{room}/*"):
        for inc in includes(f):
            target = room_of.get(os.path.basename(inc))
            if target is not None and rank[target] > rank[room]:
                breaches.append(f"{f}: includes {inc} of {target}/, a room after {room}/")
            if inc in app_headers or inc in render_headers:
                breaches.append(f"{f}: the core includes {inc} of the app or the renderer")
            if inc.startswith("libsoup"):
                breaches.append(f"{f}: the core includes {inc}: it has no HTTP")

for area in ["src/core", "src/render", "src/hub", "src/cli"]:
    for f in files(f"{area}/**/*"):
        for inc in includes(f):
            if inc.startswith(("gtk/", "adwaita", "shumate")):
                breaches.append(f"{f}: includes {inc}: no GTK outside src/app/")

for f in files("src/render/**/*"):
    for inc in includes(f):
        if inc in app_headers:
            breaches.append(f"{f}: the renderer includes {inc} of the app")

for b in breaches:
    print(b)
print(f"{len(breaches)} breaches of the layers")
sys.exit(1 if breaches else 0)
