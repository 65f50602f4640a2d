#!/usr/bin/env python3
"""Workers killed mid-burst: `wirewatch up` takes a burst through the drop
folder and its indexer is killed with SIGKILL while articles are in
flight, then restarted by `wirewatch up`; a second burst, and the same for
its cleaner. What a killed worker held is lost; the fetcher must notice the
closed connection and re-send what was in flight at once. The re-send
timeout is set to ten minutes, so that it cannot be what brings the lost
articles back: after each burst every article must be indexed exactly once
and acknowledged. (One burst per kill: the re-send after one kill would
also bring back what an unnoticed other kill lost.)

usage: test_killed_worker.py BIN_DIR [ARTICLES]   (default 3000, per burst)
"""
import os
import random
import signal
import subprocess
import sys
import tempfile

from e2e import (check, check_each_indexed_once, check_no_sanitizer_reports, children, db_count, finish, setup, stop,
                 wait_for, write_articles)

BIN = sys.argv[1]
ARTICLES = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
setup(BIN, wait=120)
POOL = "东西南北中上下左右前后内外高低大小长短多少远近新旧快慢冷热明暗轻重深浅厚薄"


def kill_one(up, name, index, spool, in_flight, total):
    """SIGKILLs the worker called name while articles are in flight."""
    check(wait_for(lambda: db_count(spool, in_flight) > 0 and db_count(index, "SELECT count(*) FROM articles")
                   < total, 60), f"articles are in flight before the {name} is killed")
    pids = [pid for pid, n in children(up.pid).items() if n == name]
    check(len(pids) == 1, f"one {name} to kill ({pids})")
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    check(wait_for(lambda: any(n == name and pid not in pids for pid, n in children(up.pid).items()), 30),
          f"wirewatch up restarts the {name}")


def main():
    data = tempfile.mkdtemp(prefix="ww-killed-")
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_NOTIFIER_STDOUT="false",
               WIREWATCH_FETCHER_STABLE_FOR="0", WIREWATCH_FETCHER_SCAN_INTERVAL="100ms",
               WIREWATCH_FETCHER_RESEND_AFTER="10m")
    env.pop("WIREWATCH_CONFIG", None)
    spool, index = os.path.join(data, "fetcher.db"), os.path.join(data, "index.db")
    in_flight = "SELECT count(*) FROM spool WHERE state='pending' AND attempts>0"
    drop = os.path.join(data, "drop")
    os.makedirs(drop)
    rng = random.Random(23)

    def burst(n, first):
        """n articles written aside, then moved into the drop folder at once"""
        stage = os.path.join(data, f"stage{first}")
        write_articles(stage, first, n, POOL, "重启第{i}篇", "k", rng)
        for name in sorted(os.listdir(stage)):
            os.rename(os.path.join(stage, name), os.path.join(drop, name))

    up = subprocess.Popen([os.path.join(BIN, "wirewatch"), "up"], env=env, stdout=subprocess.DEVNULL,
                          stderr=open(f"{data}/up.log", "w"))
    try:
        check(wait_for(lambda: {"cleaner", "indexer", "fetcher"} <= set(children(up.pid).values()), 30),
              "the pipeline is up")
        for phase, name in enumerate(("indexer", "cleaner")):
            total = (phase + 1) * ARTICLES
            burst(ARTICLES, phase * ARTICLES)
            check(wait_for(lambda: db_count(index, "SELECT count(*) FROM articles") > phase * ARTICLES, 60),
                  "articles reach the index")
            kill_one(up, name, index, spool, in_flight, total)
            check(wait_for(lambda: db_count(index, "SELECT count(*) FROM articles") >= total),
                  f"every article is indexed, though the re-send timeout is ten minutes ({total})")
            check(wait_for(lambda: db_count(spool, "SELECT count(*) FROM spool WHERE state='pending'") == 0, 30),
                  "and acknowledged")
        check_each_indexed_once(index, 2 * ARTICLES)
    finally:
        stop(up)
    logged = open(f"{data}/up.log", errors="replace").read()
    noticed = logged.count("re-sending the")
    check(noticed >= 2, f"the fetcher noticed each worker go away ({noticed} times)")
    check_no_sanitizer_reports(f"{data}/up.log")
    return finish(data, f"{data}/up.log")


if __name__ == "__main__":
    sys.exit(main())
