#!/usr/bin/env python3
"""Scores the cleaner on the labelled extraction set (tests/data/extraction):
character-bigram precision, recall and F1 of the body (whitespace removed),
exact match of title and published time, and how often authors, source,
language and encoding agree with the gold. Prints a line per page and the
averages; with --min-f1 it exits 1 when the mean body F1 falls below it.

    scripts/score-cleaner.py [--wirewatch BIN] [--set DIR] [--min-f1 X]
                             [--readability] [--verbose]

--readability scores python3-readability (readability-lxml) on the same
pages beside it, as the anchor the issue names."""

import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bigrams(text):
    s = re.sub(r"\s+", "", text)
    return collections.Counter(s[i:i + 2] for i in range(len(s) - 1))


def prf(got, want):
    g, w = bigrams(got), bigrams(want)
    overlap = sum((g & w).values())
    p = overlap / sum(g.values()) if g else (1.0 if not w else 0.0)
    r = overlap / sum(w.values()) if w else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run_cleaner(binary, page, gold):
    cmd = [binary, "clean", page, "--json", "--url", gold["url"], "--fetched-at", str(gold["fetched_at"])]
    out = subprocess.run(cmd, capture_output=True, timeout=60)
    if out.returncode != 0:
        return None, out.stderr.decode(errors="replace").strip()
    return json.loads(out.stdout), None


def readability_text(page_path, encoding):
    """readability-lxml's article text for the same page, decoded as the gold says."""
    from lxml import html as lhtml
    from readability import Document
    raw = open(page_path, "rb").read()
    codec = {"UTF-8": "utf-8", "GB18030": "gb18030", "BIG5-HKSCS": "big5hkscs"}[encoding]
    text = raw.decode(codec, errors="replace")
    summary = Document(text).summary(html_partial=True)
    return lhtml.fromstring(summary).text_content() if summary.strip() else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wirewatch", default=os.path.join(ROOT, "build", "bin", "wirewatch"))
    ap.add_argument("--set", default=os.path.join(ROOT, "tests", "data", "extraction"))
    ap.add_argument("--min-f1", type=float, default=None, help="fail when the mean body F1 is below this")
    ap.add_argument("--min-page-f1", type=float, default=None, help="fail when any page's body F1 is below this")
    ap.add_argument("--min-exact", type=float, default=None,
                    help="fail when the share of exact titles or dates is below this")
    ap.add_argument("--readability", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    cases = sorted(d for d in glob.glob(os.path.join(args.set, "*")) if os.path.isdir(d))
    if not cases:
        print(f"no cases under {args.set}", file=sys.stderr)
        return 2
    rows = []
    agree = collections.Counter()
    counted = collections.Counter()
    rb_scores = []
    failures = 0
    print(f"{'case':34} {'P':>6} {'R':>6} {'F1':>6}  title date" + ("   readability F1" if args.readability else ""))
    for d in cases:
        gold = json.load(open(os.path.join(d, "gold.json"), encoding="utf-8"))
        page = glob.glob(os.path.join(d, "page.*"))[0]
        art, err = run_cleaner(args.wirewatch, page, gold)
        name = os.path.basename(d)
        want = "\n".join(gold["body"])
        if art is None:
            failures += 1
            print(f"{name:34} cleaner failed: {err}")
            rows.append((name, 0.0, 0.0, 0.0, gold))
            continue
        p, r, f = prf(art.get("body", ""), want)
        title_ok = None if gold["title"] is None else art.get("title") == gold["title"]
        date_ok = None if gold["published"] is None else art.get("published") == gold["published"]
        checks = {
            "title": title_ok,
            "credited_source": (art.get("credited_source") or None) == gold.get("credited_source")
            if gold.get("credited_source") else None,
            "published": date_ok,
            "language": art.get("language") == gold["language"],
            "encoding": art.get("encoding") == gold["encoding"],
            "source": None if gold["source"] is None else art.get("source") == gold["source"],
            "authors": set(art.get("authors", [])) == set(gold["authors"]),
        }
        if gold.get("editor"):
            checks["editor"] = art.get("editor") == gold["editor"]
        for k, v in checks.items():
            if v is not None:
                counted[k] += 1
                agree[k] += bool(v)
        line = f"{name:34} {p:6.3f} {r:6.3f} {f:6.3f}  {'-- ' if title_ok is None else 'ok ' if title_ok else 'BAD'}   " \
               f"{'-- ' if date_ok is None else ('ok ' if date_ok else 'BAD')}"
        if args.readability:
            try:
                rb = prf(readability_text(page, gold["encoding"]), want)[2]
            except Exception as e:  # readability raises on some pages; that counts as nothing found
                print(f"  readability failed on {name}: {e}", file=sys.stderr)
                rb = 0.0
            rb_scores.append((name, rb, gold))
            line += f"   {rb:6.3f}"
        print(line)
        if args.verbose:
            for k, v in checks.items():
                if v is False:
                    field = "authors" if k == "authors" else k
                    print(f"    {k}: got {art.get(field)!r}, gold {gold.get(field)!r}")
            if f < 0.999:
                squash = lambda t: re.sub(r"\s+", "", t)
                gold_all, got_all = squash(want), squash(art.get("body", ""))
                for para in art.get("body", "").split("\n\n"):
                    if para.strip() and squash(para) not in gold_all:
                        print(f"    + {para[:150]}")
                for para in gold["body"]:
                    if squash(para) not in got_all:
                        print(f"    - {para[:150]}")
        rows.append((name, p, r, f, gold))

    def mean(xs):
        return sum(xs) / len(xs) if xs else 0.0

    zh = [x for x in rows if x[4]["language"].startswith("zh")]
    en = [x for x in rows if not x[4]["language"].startswith("zh")]
    print()
    print(f"pages: {len(rows)} ({len(zh)} Chinese, {len(en)} other), cleaner failures: {failures}")
    for label, group in (("all", rows), ("Chinese", zh), ("other", en)):
        if group:
            print(f"body {label:8} P {mean([x[1] for x in group]):.3f}  R {mean([x[2] for x in group]):.3f}  "
                  f"F1 {mean([x[3] for x in group]):.3f}  (mean over pages; lowest F1 "
                  f"{min(x[3] for x in group):.3f})")
    for k in ("title", "published", "language", "encoding", "source", "credited_source", "authors", "editor"):
        if counted[k]:
            print(f"{k:10} {agree[k]}/{counted[k]} exact")
    if args.readability:
        rb_zh = [x[1] for x in rb_scores if x[2]["language"].startswith("zh")]
        print(f"readability-lxml body F1: all {mean([x[1] for x in rb_scores]):.3f}, Chinese {mean(rb_zh):.3f}")
    total_f1 = mean([x[3] for x in rows])
    failed = []
    if failures:
        failed.append(f"{failures} pages the cleaner refused")
    if args.min_f1 is not None and total_f1 < args.min_f1:
        failed.append(f"mean body F1 {total_f1:.3f} below {args.min_f1}")
    if args.min_page_f1 is not None:
        low = [x[0] for x in rows if x[3] < args.min_page_f1]
        if low:
            failed.append(f"body F1 below {args.min_page_f1} on {', '.join(low)}")
    if args.min_exact is not None:
        for k in ("title", "published"):
            if counted[k] and agree[k] / counted[k] < args.min_exact:
                failed.append(f"{k} exact on {agree[k]}/{counted[k]}, below {args.min_exact:.0%}")
    for f in failed:
        print(f"FAIL: {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
