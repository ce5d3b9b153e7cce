#!/usr/bin/env python3
"""Reads meson's testlog.json (or several, one per build) and prints one closing line:
'N passed, N failed'.

Counts the GLib test cases inside every TAP test (ok / not ok), and a test program that
failed without reporting a failing case (a crash, a timeout) as one failure more.
Exits non-zero when anything failed or when no test ran.
"""
import json
import re
import sys

paths = sys.argv[1:] or ["build/meson-logs/testlog.json"]
passed = failed = skipped = 0
lines = []
for path in paths:
    try:
        lines += open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"no test log: {e}")
        print("0 passed, 1 failed")
        sys.exit(1)

for line in lines:
    if not line.strip():
        continue
    t = json.loads(line)
    out = t.get("stdout") or ""
    ok = len(re.findall(r"^ok \d+.*$", out, re.M))
    skip = len(re.findall(r"^ok \d+ .*# SKIP", out, re.M))
    bad = len(re.findall(r"^not ok \d+", out, re.M))
    result = t.get("result")
    if ok == 0 and bad == 0:
        # not a TAP test: the program itself is the test
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
            print(f"FAILED: {t.get('name')} ({result})")
        continue
    passed += ok - skip
    skipped += skip
    failed += bad
    if result not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
        failed += 1
        print(f"FAILED: {t.get('name')} ({result}) after {ok} passing cases")
    elif bad:
        print(f"FAILED: {t.get('name')}: {bad} failing cases")

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
