#!/usr/bin/env python3
"""End-to-end: the real workers as processes (wirewatch up, two cleaners and
two notifiers) over ipc sockets, fed through the drop folder and from a feed
served by a local HTTP server, alerting a webhook receiver on loopback.

usage: test_pipeline.py BIN_DIR SOURCE_DIR
Prints one line per check and a closing "N passed, N failed".
"""
import hashlib
import hmac
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN, SRC = sys.argv[1], sys.argv[2]
WW = os.path.join(BIN, "wirewatch")

from e2e import check, check_no_sanitizer_reports, failed, serve, setup, stop, summary, wait_for, ww, ww_json  # noqa: E402
SECRET = "e2e-secret-value"
setup(BIN)


def alerts(env):
    out = ww("alerts", "--json", env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


class Hook(http.server.BaseHTTPRequestHandler):
    received = []
    fail_first = 1  # the first delivery attempt fails: retries must cover it

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Hook.fail_first > 0:
            Hook.fail_first -= 1
            self.send_response(503)
            self.end_headers()
            return
        Hook.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


class Feed(http.server.BaseHTTPRequestHandler):
    body = open(os.path.join(SRC, "tests/data/feeds/gbk_rss.xml"), "rb").read()
    requests = 0

    def do_GET(self):
        Feed.requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")  # no charset: the XML declaration says gb2312
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(Feed.body)

    def log_message(self, *a):
        pass


class Revising(http.server.BaseHTTPRequestHandler):
    """A feed whose one story is corrected once the test has seen the first
    version indexed (set corrected): the feed is polled every second, and a
    correction served on the second poll could replace the first version
    before a slow (sanitizer) build's search saw it."""
    corrected = False

    def do_GET(self):
        text = "更正：渡轮航线已经复航，旅客按原计划出行" if Revising.corrected else "第一版：渡轮航线因大风停航"
        body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour desk</title>'
                f"<item><title>渡轮消息</title><link>http://harbour.example.org/ferry</link><guid>ferry-1</guid>"
                f"<description>{text}</description></item></channel></rss>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def main():
    data = tempfile.mkdtemp(prefix="ww-e2e-")
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_UP_CLEANERS="2", WIREWATCH_UP_NOTIFIERS="2",
               WIREWATCH_FETCHER_ALLOW_PRIVATE_ADDRESSES="true", WIREWATCH_NOTIFIER_STDOUT="false",
               WIREWATCH_FETCHER_POLL_INTERVAL="1s", WIREWATCH_FETCHER_POLL_MIN="1s", WIREWATCH_FETCHER_POLL_MAX="2s",
               WW_HOOK_SECRET=SECRET)
    env.pop("WIREWATCH_CONFIG", None)
    hook, feed, revising = serve(Hook), serve(Feed), serve(Revising)
    hook_url = f"http://127.0.0.1:{hook.server_port}/hook"

    check(ww("watch", "add", "flood-defence", "严防死守", "--webhook", hook_url, "--secret-env", "WW_HOOK_SECRET",
             env=env).returncode == 0, "watch add with a webhook")
    check(ww("watch", "add", "typhoon", "颱風 OR 台风", env=env).returncode == 0, "watch add with OR")
    bad = ww("watch", "add", "broken", "(疫情", env=env, check_rc=False)
    check(bad.returncode != 0 and "position" in bad.stderr, "a query that does not parse is refused at watch add")
    check(len(ww_json("watch", "list", env=env)) == 2, "watch list shows two watches")

    up = subprocess.Popen([WW, "up"], env=env, stdout=subprocess.DEVNULL, stderr=open(f"{data}/up.log", "w"))
    try:
        time.sleep(0.5)
        second = subprocess.run([WW, "up"], env=env, capture_output=True, text=True, timeout=30)
        check(second.returncode != 0 and "another" in second.stderr, "a second `wirewatch up` on the same data is refused")
        samples = sorted(os.path.join(SRC, "samples/drop", f) for f in os.listdir(os.path.join(SRC, "samples/drop")))
        check(ww("ingest", *samples, env=env).returncode == 0, "ingest the sample documents")
        check(wait_for(lambda: len(alerts(env)) >= 6), "six alerts arrive")
        time.sleep(1.5)  # anything extra would arrive now
        got = alerts(env)
        by_watch = {}
        for a in got:
            by_watch.setdefault(a["watch"], []).append(a["title"])
        check(len(got) == 6, f"exactly six alerts (got {len(got)})")
        # With two cleaners either copy of the reprinted story may be stored first.
        story_titles = {"杭州召开防汛防台工作会议，要求严防死守确保安全度汛", "杭州部署防汛防台：严防死守 确保安全度汛"}
        flood = by_watch.get("flood-defence", [])
        check(len(flood) == 2 and len(story_titles & set(flood)) == 1
              and "颱風逼近 福建沿海全面嚴防死守 漁船全部回港避風" in flood,
              "严防死守 alerts once for the reprinted story and once for the traditional 嚴(yán)防死守 text")
        check(len(by_watch.get("typhoon", [])) == 4, "颱風 OR 台风 alerts on four stories")
        check(len({a["alert_id"] for a in got}) == len(got), "alert ids are unique")

        check(wait_for(lambda: len(Hook.received) >= 2, 30), "the webhook receives both flood-defence alerts")
        for headers, body in Hook.received:
            sig = headers.get("X-Wirewatch-Signature", "")
            want = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            check(hmac.compare_digest(sig, want), "webhook signature verifies")
            check(headers.get("Idempotency-Key") == json.loads(body)["alert_id"], "idempotency key is the alert id")

        def hits(q):
            return ww_json("search", q, env=env)
        check(len(hits("严防死守")) == 2, "search 严防死守 finds simplified and traditional articles")
        check(len(hits("嚴防死守")) == 2, "a traditional query finds the same")
        check(len(hits("江南财经APP")) == 0, "QR-code promotion is not indexed")
        check(len(hits("版权声明")) == 0, "the copyright notice is not indexed")
        check(len(hits("科技创新")) == 0, "the trailing link list is not indexed")
        check(len(hits("宁波舟山港")) == 1, "the GBK portal page is indexed in Chinese")
        check(len(hits("首页")) == 0, "portal navigation is not indexed")
        check(len(hits('"sea wall"')) == 1, "a feed item in English is found by phrase")
        check(len(hits("title:港口")) == 1, "field prefix title:")
        meta = hits("7月10日下午 杭州市防汛防台指挥部")
        want_time = {"江南财经": "2023-07-11T02:15:00Z", "钱塘晚报": "2023-07-11T03:20:00Z"}
        check(len(meta) == 1 and want_time.get(meta[0]["source"]) == meta[0]["published"],
              "source and UTC time from the front matter")
        check(meta and len(meta[0]["reprints"]) == 1
              and {meta[0]["source"], meta[0]["reprints"][0]["source"]} == {"江南财经", "钱塘晚报"},
              "the reprint is one more source of the same article")
        trad = hits("福建沿海")
        check(trad and "嚴防死守" in trad[0]["title"] and "(yán)" not in trad[0]["title"],
              "traditional title kept in its script, pinyin removed")
        check(trad and trad[0]["published_estimated"], "a relative date (昨天) is flagged as an estimate")

        status = ww_json("status", env=env)
        alive = [w for w in status["workers"] if w["alive"]]
        check(len(alive) == 6, f"status shows six live workers (got {len(alive)})")
        by_service = {}
        for w in alive:
            for k in ("in", "out", "acked"):
                by_service.setdefault(w["service"], {}).setdefault(k, 0)
                by_service[w["service"]][k] += w.get(k, 0)
        # six raw items: four documents and two feed items (the binary file never entered)
        check(by_service.get("cleaner", {}).get("in") == 6 and by_service.get("indexer", {}).get("out") == 6,
              f"worker counters: 6 through the cleaners and the indexer (got {by_service})")
        check(by_service.get("fetcher", {}).get("acked") == 6, "the fetcher counted six acknowledgements")
        refused = [r for r in status.get("refused", []) if "09_not_a_document" in r["origin"]]
        check(refused and "binary" in refused[0]["reason"], "the binary file is refused with its reason")
        failed_dir = os.path.join(data, "drop", "failed")
        check(wait_for(lambda: any(f.endswith(".reason") for f in os.listdir(failed_dir)), 10),
              "the refused file sits in failed/ with a reason file")
        check(status["index"]["articles"] == 5, "five articles indexed (the reprint joined its original)")

        # A watch added while running fires on the next article.
        ww("watch", "add", "ferry", "ferry OR 轮渡", env=env)
        time.sleep(1.2)
        doc = os.path.join(data, "ferry.txt")
        with open(doc, "w") as f:
            f.write("Ferry service resumes\n\nThe river ferry returned to service on Monday after repairs.\n")
        ww("ingest", doc, env=env)
        check(wait_for(lambda: any(a["watch"] == "ferry" for a in alerts(env)), 30), "a watch added at runtime fires")

        # The same document again changes nothing.
        before = len(alerts(env))
        ww("ingest", os.path.join(SRC, "samples/drop/01_flood_meeting.md"), env=env)
        time.sleep(2.5)
        check(len(alerts(env)) == before, "re-ingesting a document alerts nothing new")
        check(ww_json("status", env=env)["index"]["articles"] == 6, "and adds no article")

        # A feed from a local HTTP server, GBK declared only in the XML.
        ww("feeds", "add", f"http://127.0.0.1:{feed.server_port}/feed.xml", env=env)
        check(wait_for(lambda: len(hits("台风来了")) == 1, 30), "a GBK feed item fetched over HTTP is searchable")
        feeds = ww_json("feeds", "list", env=env)
        check(feeds and feeds[0]["etag"] == '"v1"' and feeds[0]["failures"] == 0, "the feed's ETag is kept for the next poll")

        # A story corrected at its source replaces the earlier version.
        articles_before = ww_json("status", env=env)["index"]["articles"]
        ww("feeds", "add", f"http://127.0.0.1:{revising.server_port}/rss", env=env)
        check(wait_for(lambda: len(hits("停航")) == 1, 30), "a feed story is indexed")
        Revising.corrected = True
        check(wait_for(lambda: len(hits("复航")) == 1 and len(hits("停航")) == 0, 30),
              "its correction replaces it in the index (revision of the same id)")
        check(ww_json("status", env=env)["index"]["articles"] == articles_before + 1,
              "the correction adds no second article")
    finally:
        rc = stop(up, timeout=20)
    check(rc == 0, "wirewatch up stops cleanly on SIGTERM")
    check_no_sanitizer_reports(f"{data}/up.log")
    leftover = subprocess.run(["pgrep", "-f", f"--data {data}"], capture_output=True, text=True).stdout.strip()
    check(leftover == "", "no worker outlives it")

    # Restart on the same data: nothing is processed twice.
    n_alerts = len(alerts(env))
    up = subprocess.Popen([WW, "up"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    check(len(alerts(env)) == n_alerts, "a restart re-alerts nothing")
    check(ww_json("status", env=env)["spool"]["pending"] == 0, "nothing is left unacknowledged")
    up.send_signal(signal.SIGTERM)
    up.wait(timeout=20)
    hook.shutdown()
    revising.shutdown()
    feed.shutdown()
    if failed() == 0:
        shutil.rmtree(data, ignore_errors=True)
    else:
        print(f"data kept in {data}")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
