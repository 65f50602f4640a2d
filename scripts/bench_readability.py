#!/usr/bin/env python3
"""Articles per second of python3-readability (readability-lxml) on the
files of a folder, one process, for scripts/bench-clean.sh. Each file is
decoded the way the page says (meta charset, else UTF-8, as the labelled
set's pages are written), then Document(text).summary() is timed.

    bench_readability.py DIR SECONDS"""
import glob
import os
import re
import sys
import time

from readability import Document


def decode(raw):
    m = re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', raw[:4096])
    label = m.group(1).decode().lower() if m else "utf-8"
    codec = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(label, label)
    try:
        return raw.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("utf-8", errors="replace")


def main():
    folder, seconds = sys.argv[1], float(sys.argv[2])
    docs = [decode(open(p, "rb").read()) for p in sorted(glob.glob(os.path.join(folder, "*"))) if os.path.isfile(p)]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for d in docs:
            try:
                Document(d).summary()
            except Exception:  # readability gives up on some pages; they still took the time
                pass
            done += 1
    elapsed = time.perf_counter() - start
    print(f"documents {len(docs)}, cleaned {done} in {elapsed:.2f} s: {done / elapsed:.0f} articles/s")


if __name__ == "__main__":
    main()
