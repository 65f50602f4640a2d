#!/usr/bin/env python3
"""deploy/wirewatch.conf must document every setting exactly as the
settings table defines it (regenerate with: wirewatch config-sample)."""
import subprocess
import sys

generated = subprocess.run([sys.argv[1], "config-sample"], check=True, capture_output=True, text=True).stdout
checked_in = open(sys.argv[2], encoding="utf-8").read()
if generated != checked_in:
    print("deploy/wirewatch.conf is out of date: run `wirewatch config-sample > deploy/wirewatch.conf`")
    print("0 passed, 1 failed")
    sys.exit(1)
print("1 passed, 0 failed")
