#!/usr/bin/env python3
"""A stalled indexer: `wirewatch up` with the default window and re-send
timeout takes a burst through the drop folder, and its indexer is frozen
(SIGSTOP) for FREEZE_S seconds in the middle of it, as a long commit or a
slow disk would hold it. The cleaner must wait for it rather than drop the
articles it holds, so that after the thaw every article is indexed exactly
once and the fetcher re-sent none (a dropped article reaches the index only
on its re-send, a minute later).

usage: test_slow_indexer.py BIN_DIR [ARTICLES]   (default 2000)
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from e2e import (check, check_each_indexed_once, check_no_sanitizer_reports, children, db_count, finish, setup, stop,
                 wait_for, write_articles, ww_json)

BIN = sys.argv[1]
ARTICLES = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
# longer than the cleaner's old one-second give-up, well inside its wait for
# a busy indexer and the fetcher's re-send timeout (60 s)
FREEZE_S = 8
setup(BIN, wait=120)
POOL = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星辰风云雷电江河湖海"


def workers(env):
    try:
        return ww_json("status", env=env).get("workers", [])
    except ValueError:
        return []


def main():
    data = tempfile.mkdtemp(prefix="ww-slow-indexer-")
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_NOTIFIER_STDOUT="false",
               WIREWATCH_FETCHER_STABLE_FOR="0", WIREWATCH_FETCHER_SCAN_INTERVAL="100ms")
    env.pop("WIREWATCH_CONFIG", None)
    spool, index = os.path.join(data, "fetcher.db"), os.path.join(data, "index.db")
    drop, stage = os.path.join(data, "drop"), os.path.join(data, "stage")
    os.makedirs(drop)
    write_articles(stage, 0, ARTICLES, POOL, "慢索引第{i}篇", "s", random.Random(5))

    up = subprocess.Popen([os.path.join(BIN, "wirewatch"), "up"], env=env, stdout=subprocess.DEVNULL,
                          stderr=open(f"{data}/up.log", "w"))
    try:
        check(wait_for(lambda: "indexer" in children(up.pid).values() and
                       any(w.get("service") == "indexer" and w.get("alive") for w in workers(env)), 30),
              "the pipeline is up")
        for name in sorted(os.listdir(stage)):
            os.rename(os.path.join(stage, name), os.path.join(drop, name))
        check(wait_for(lambda: db_count(index, "SELECT count(*) FROM articles") > 0, 60), "articles reach the index")
        indexer = [pid for pid, name in children(up.pid).items() if name == "indexer"]
        check(len(indexer) == 1, f"one indexer to freeze ({indexer})")
        os.kill(indexer[0], signal.SIGSTOP)
        try:
            frozen_at = db_count(index, "SELECT count(*) FROM articles")
            time.sleep(FREEZE_S)
            still = db_count(index, "SELECT count(*) FROM articles")
            check(still == frozen_at and still < ARTICLES,
                  f"nothing is indexed while the indexer is frozen ({frozen_at} before, {still} after {FREEZE_S} s)")
        finally:
            os.kill(indexer[0], signal.SIGCONT)
        check(wait_for(lambda: db_count(index, "SELECT count(*) FROM articles") >= ARTICLES),
              "after the thaw every article is indexed")
        check(wait_for(lambda: db_count(spool, "SELECT count(*) FROM spool WHERE state='pending'") == 0, 30),
              "and acknowledged")
        check_each_indexed_once(index, ARTICLES)
        fetchers = [w for w in workers(env) if w.get("service") == "fetcher"]
        resent = sum(w.get("resent", 0) for w in fetchers)
        check(len(fetchers) == 1 and resent == 0, f"the fetcher re-sent nothing ({resent} re-sent)")
        errors = {w["service"]: w.get("errors", 0) for w in workers(env) if w.get("errors")}
        check(not errors, f"no worker counted an error ({errors or 'none'})")
    finally:
        stop(up)
    check_no_sanitizer_reports(f"{data}/up.log")
    return finish(data, f"{data}/up.log")


if __name__ == "__main__":
    sys.exit(main())
