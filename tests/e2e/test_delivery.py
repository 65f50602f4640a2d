#!/usr/bin/env python3
"""End-to-end delivery: the real workers (wirewatch up) alerting real
receivers on loopback: a webhook that fails its first two attempts, a dead
webhook that is later revived through the dead-letter list, an SMTP server
(aiosmtpd) that accepts one address and refuses another, a digest watch and
a ZeroMQ subscriber on the alert proxy.

usage: test_delivery.py BIN_DIR
Prints one line per check and a closing "N passed, N failed".
"""
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import zmq
from aiosmtpd.controller import Controller

from e2e import check, check_no_sanitizer_reports, failed, serve, setup, stop, summary, wait_for, ww

setup(sys.argv[1], wait=40)
SECRET = "delivery-secret"
FILE_SECRET = "secret-from-a-mounted-file"
class Flaky(http.server.BaseHTTPRequestHandler):
    """Fails the first two attempts of every alert, then takes it."""
    attempts = {}
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        key = self.headers.get("Idempotency-Key", "")
        Flaky.attempts[key] = Flaky.attempts.get(key, 0) + 1
        if Flaky.attempts[key] <= 2:
            self.send_response(500)
            self.end_headers()
            return
        Flaky.received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


class Quiet(http.server.BaseHTTPRequestHandler):
    """A feed that answers every poll and has nothing new."""
    polls = 0

    def do_GET(self):
        Quiet.polls += 1
        body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                b'<title>Quiet Harbour Notes</title><link>http://127.0.0.1/</link></channel></rss>')
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


class Signed(http.server.BaseHTTPRequestHandler):
    """Keeps headers and body, to check a signature made with a secret file."""
    received = []

    def do_POST(self):
        Signed.received.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


class Stalled(http.server.BaseHTTPRequestHandler):
    """Holds every request unanswered until released: a receiver that hangs."""
    lock = threading.Lock()
    open_now = 0
    most_open = 0
    answered = 0
    release = threading.Event()

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with Stalled.lock:
            Stalled.open_now += 1
            Stalled.most_open = max(Stalled.most_open, Stalled.open_now)
        Stalled.release.wait(30)
        with Stalled.lock:
            Stalled.open_now -= 1
            Stalled.answered += 1
        try:
            self.send_response(204)
            self.end_headers()
        except OSError:
            pass  # the notifier gave this attempt up; it tries again

    def log_message(self, *a):
        pass


class Collect(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        Collect.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


class Mailbox:
    """aiosmtpd handler: keeps messages, refuses one recipient with 550."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def doc(path, title, body, source="港口日报", date="Tue, 11 Jul 2023 02:15:00 GMT"):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"---\ntitle: '{title}'\nauthor: {source}\ndate: {date}\n---\n"
                f"<div class=\"article\"><p>{body}</p><p>{body}</p></div>\n")


def main():
    data = tempfile.mkdtemp(prefix="ww-delivery-")
    mailbox = Mailbox()
    smtp_port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    flaky, collect = serve(Flaky), serve(Collect)
    dead_port = free_port()  # nothing listens here until the retry
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_NOTIFIER_STDOUT="false",
               WIREWATCH_NOTIFIER_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
               WIREWATCH_NOTIFIER_SMTP_FROM="alerts@wirewatch.test",
               WIREWATCH_NOTIFIER_RETRY_BASE="200ms", WIREWATCH_NOTIFIER_ATTEMPTS="4",
               WIREWATCH_NOTIFIER_DELIVERY_TIMEOUT="20s", WW_HOOK_SECRET=SECRET,
               WIREWATCH_FETCHER_ALLOW_PRIVATE_ADDRESSES="true", WIREWATCH_FETCHER_POLL_MIN="1s", WIREWATCH_FETCHER_POLL_INTERVAL="1s",
               WIREWATCH_FETCHER_MAX_BACKOFF="1s", WIREWATCH_NOTIFIER_HEALTH_INTERVAL="300ms")
    env.pop("WIREWATCH_CONFIG", None)
    flaky_url = f"http://127.0.0.1:{flaky.server_port}/hook"
    dead_url = f"http://127.0.0.1:{dead_port}/hook"
    collect_url = f"http://127.0.0.1:{collect.server_port}/digest"

    check(ww("watch", "add", "ferries", "渡轮", "--webhook", flaky_url, "--secret-env", "WW_HOOK_SECRET",
             "--email", "desk@news.test", env=env).returncode == 0, "watch add with a webhook and an e-mail address")
    check(ww("watch", "add", "unreachable", "灯塔", "--webhook", dead_url, env=env).returncode == 0,
          "watch add with a webhook nobody answers yet")
    check(ww("watch", "add", "refused-mail", "灯塔", "--email", "refused@news.test", env=env).returncode == 0,
          "watch add with an address the SMTP server refuses")
    check(ww("watch", "add", "harbour-digest", "港口", "--webhook", collect_url, "--digest", "3s",
             env=env).returncode == 0, "watch add in digest mode")
    check(ww("watch", "add", "other-source", "港口", "--source", "新华社", "--webhook", collect_url,
             env=env).returncode == 0, "watch add limited to one source")
    down_feed = f"http://127.0.0.1:{free_port()}/down.xml"  # refuses every connection
    check(ww("feeds", "add", down_feed, "--every", "1m", env=env).returncode == 0, "a feed that is down")
    check(ww("watch", "add", "feeds-down", "--health", "--webhook", collect_url, env=env).returncode == 0,
          "watch add --health without a query")
    # a feed that polls fine but brought its last new item 30 h ago, after
    # one an hour before that: its history goes into the fetcher's state
    quiet = serve(Quiet)
    quiet_feed = f"http://127.0.0.1:{quiet.server_port}/quiet.xml"
    check(ww("feeds", "add", quiet_feed, env=env).returncode == 0, "a feed that has gone quiet")
    db = sqlite3.connect(os.path.join(data, "fetcher.db"))
    key = db.execute("SELECT key FROM feeds WHERE url=?", (quiet_feed,)).fetchone()[0]
    now = int(time.time())
    for i in range(12):
        at = now - 30 * 3600 - i * 3600
        db.execute("INSERT INTO seen(id, feed, link, hash, first_seen, last_seen) VALUES(?, ?, ?, ?, ?, ?)",
                   (f"quiet-{i}", key, f"http://127.0.0.1/{i}", f"h{i}", at, at))
    db.commit()
    db.close()
    signed = serve(Signed)
    secret_file = os.path.join(data, "hook.secret")
    with open(secret_file, "w") as f:
        f.write(FILE_SECRET + "\n")
    check(ww("watch", "add", "lighthouse-signed", "灯塔", "--webhook", f"http://127.0.0.1:{signed.server_port}/s",
             "--secret-file", secret_file, env=env).returncode == 0, "watch add with the webhook secret in a file")
    stalled = serve(Stalled)
    check(ww("watch", "add", "stalled", "港口", "--webhook", f"http://127.0.0.1:{stalled.server_port}/hang",
             env=env).returncode == 0, "watch add with a webhook that hangs")
    listed = ww("watch", "list", "--json", env=env).stdout
    check(secret_file in listed and FILE_SECRET not in listed, "the watch keeps the secret's path, never the secret")
    no_file = ww("watch", "add", "x", "港口", "--webhook", collect_url, "--secret-file", f"{data}/missing.secret",
                 env=env, check_rc=False)
    check(no_file.returncode != 0 and "missing.secret" in no_file.stderr, "an unreadable secret file is refused at watch add")
    bad_mail = ww("watch", "add", "x", "港口", "--email", "not-an-address", env=env, check_rc=False)
    check(bad_mail.returncode != 0 and "not-an-address" in bad_mail.stderr,
          "an invalid e-mail address is refused at watch add, naming it")
    bad_digest = ww("watch", "add", "x", "港口", "--digest", "soon", env=env, check_rc=False)
    check(bad_digest.returncode != 0 and "--digest" in bad_digest.stderr, "an invalid digest interval is refused")
    bad_hook = ww("watch", "add", "x", "港口", "--webhook", "ftp://example.org/", env=env, check_rc=False)
    check(bad_hook.returncode != 0 and "http" in bad_hook.stderr, "a webhook that is not http(s) is refused")

    up = subprocess.Popen([os.path.join(sys.argv[1], "wirewatch"), "up"], env=env, stdout=subprocess.DEVNULL, stderr=open(f"{data}/up.log", "w"))
    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.connect(f"ipc://{data}/run/alerts.ipc")
    sub.setsockopt(zmq.SUBSCRIBE, b"ferries")
    try:
        time.sleep(1.5)  # the subscription reaches the notifier through the proxy
        docs = os.path.join(data, "docs")
        os.makedirs(docs)
        doc(f"{docs}/a.md", "渡轮停航通知", "受大风影响，渡轮今日停航，港口码头暂停售票。")
        doc(f"{docs}/b.md", "灯塔维修完成", "海岛灯塔维修完成，港口航道恢复夜间通航。", date="Wed, 12 Jul 2023 02:15:00 GMT")
        doc(f"{docs}/c.md", "港口新泊位启用", "港口第三个集装箱泊位今天启用，吞吐能力提升。", date="Thu, 13 Jul 2023 02:15:00 GMT")
        check(ww("ingest", f"{docs}/a.md", f"{docs}/b.md", f"{docs}/c.md", env=env).returncode == 0,
              "ingest three stories")

        # a hanging receiver holds its own deliveries only, and those run at once
        check(wait_for(lambda: Stalled.most_open >= 3 and len(Signed.received) >= 1, 10)
              and Stalled.answered == 0,
              f"while the hanging webhook held {Stalled.most_open} alerts open at once, unanswered, "
              f"another webhook got its alert")
        Stalled.release.set()
        check(wait_for(lambda: Stalled.answered >= 3), "the hanging webhook's alerts go through once it answers")

        # webhook: two failures, then delivered; signature and idempotency key
        check(wait_for(lambda: len(Flaky.received) >= 1), "the flaky webhook gets the alert after two failures")
        if Flaky.received:
            headers, body = Flaky.received[0]
            want = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            check(hmac.compare_digest(headers.get("X-Wirewatch-Signature", ""), want), "the signature verifies")
            alert = json.loads(body)
            check(headers.get("Idempotency-Key") == alert["alert_id"], "the idempotency key is the alert id")
            check(Flaky.attempts[alert["alert_id"]] == 3, "exactly three attempts: two failed, one taken")
            check(alert["title"] == "渡轮停航通知" and "渡轮" in alert["matched"] and "**渡轮**" in alert["snippet"],
                  "the alert carries title, matched terms and a marked snippet")

        check(wait_for(lambda: len(Signed.received) >= 1), "the webhook with a file secret gets its alert")
        if Signed.received:
            headers, body = Signed.received[0]
            want = "sha256=" + hmac.new(FILE_SECRET.encode(), body, hashlib.sha256).hexdigest()
            check(hmac.compare_digest(headers.get("X-Wirewatch-Signature", ""), want),
                  "its signature verifies with the file's secret (trailing newline not part of it)")

        # e-mail: text and HTML parts, subject encoded
        check(wait_for(lambda: any("desk@news.test" in r for r, _ in mailbox.messages)),
              "the SMTP server receives the alert for desk@news.test")
        mails = [m for r, m in mailbox.messages if "desk@news.test" in r]
        if mails:
            msg = email.message_from_bytes(mails[0], policy=email.policy.default)
            check("ferries" in str(msg["Subject"]) and "渡轮停航通知" in str(msg["Subject"]),
                  f"the subject names the watch and the title (got {msg['Subject']})")
            text = msg.get_body(preferencelist=("plain",))
            html = msg.get_body(preferencelist=("html",))
            check(text is not None and "渡轮停航通知" in text.get_content(), "a plain-text part with the title")
            check(html is not None and "<b>渡轮</b>" in html.get_content(), "an HTML part with the match in bold")
            check(msg["From"] and "alerts@wirewatch.test" in str(msg["From"]), "the sender is notifier.smtp_from")

        # dead letters: the unreachable webhook and the refused address
        def dead():
            out = ww("alerts", "--failed", "--json", env=env).stdout
            return [json.loads(line) for line in out.splitlines() if line.strip()]
        check(wait_for(lambda: len(dead()) >= 2, 60), "both hopeless deliveries end in the dead-letter list")
        letters = dead()
        channels = {d.get("failed_channel", "") for d in letters}
        check(f"webhook:{dead_url}" in channels and "email:refused@news.test" in channels,
              "each dead letter names its channel")
        check(all(d.get("attempts") == 4 for d in letters), "each was attempted notifier.attempts (4) times")
        refused = [d for d in letters if d.get("failed_channel") == "email:refused@news.test"]
        check(bool(refused) and "550" in refused[0].get("last_error", ""),
              f"the refused e-mail's error carries the server's code ({refused[0].get('last_error') if refused else ''})")
        human = ww("alerts", "--failed", env=env).stdout
        check("gave up after 4 attempts" in human, "alerts --failed explains each dead letter")

        serve(Collect, dead_port)  # the dead webhook comes back
        before = len(Collect.received)
        r = ww("alerts", "retry", env=env)
        check(r.returncode == 0 and "2 dead deliveries queued again" in r.stdout, "alerts retry requeues both")
        check(wait_for(lambda: any(a.get("watch") == "unreachable" for a in Collect.received[before:])),
              "the revived webhook receives the dead-lettered alert")
        check(ww("alerts", "retry", "no-such-alert", env=env, check_rc=False).returncode != 0,
              "alerts retry of an unknown id fails clearly")

        # digest: both 港口 stories in one message, after the 3 s window
        check(wait_for(lambda: any(a.get("digest") for a in Collect.received)), "the digest arrives")
        digests = [a for a in Collect.received if a.get("digest")]
        if digests:
            titles = sorted(a["title"] for a in digests[0]["alerts"])
            check(len(digests) == 1 and digests[0]["watch"] == "harbour-digest", "one digest for the watch")
            check(titles == sorted(["渡轮停航通知", "灯塔维修完成", "港口新泊位启用"]),
                  f"the digest collects all three stories (got {titles})")
        check(not any(a.get("watch") == "other-source" for a in Collect.received),
              "a watch limited to another source does not alert")

        # feed health: the failing feed alerts the --health watch once per streak
        check(wait_for(lambda: any(a.get("kind") == "feed_health" for a in Collect.received)),
              "the --health watch hears that the feed is failing")
        check(wait_for(lambda: any(a.get("condition") == "silent" for a in Collect.received)),
              "the --health watch hears that a feed has gone silent")
        time.sleep(2.0)  # more failed and empty polls: still one alert each
        health = [a for a in Collect.received if a.get("kind") == "feed_health"]
        failing = [a for a in health if a.get("condition") == "failing"]
        silent = [a for a in health if a.get("condition") == "silent"]
        check(len(failing) == 1 and failing[0]["watch"] == "feeds-down" and failing[0]["url"] == down_feed
              and "failed in a row" in failing[0]["snippet"], "one health alert naming the feed and the failures")
        check(len(silent) == 1 and silent[0]["url"] == quiet_feed and "30 h" in silent[0]["snippet"]
              and "every 60 min" in silent[0]["snippet"] and Quiet.polls >= 2,
              f"one silence alert for the quiet feed, with its usual rhythm, while it kept answering "
              f"({[a['snippet'] for a in silent]}, {Quiet.polls} polls)")
        check(len(health) == 2, "no other health alerts")

        # ZeroMQ PUB: topic is the watch name
        got = None
        if sub.poll(5000):
            got = sub.recv_multipart()
        check(got is not None and got[0] == b"ferries" and json.loads(got[1])["watch"] == "ferries",
              "a SUB socket on the alert proxy receives the alert under its watch's topic")

        # nothing is sent twice
        time.sleep(1.0)
        keys = [json.loads(b)["alert_id"] for _, b in Flaky.received]
        check(len(keys) == len(set(keys)) == 1, "the flaky webhook took each alert exactly once")
    finally:
        rc = stop(up)
        smtp.stop()
        sub.close(0)
        ctx.term()
    check(rc == 0, "wirewatch up stops cleanly")
    logged = open(f"{data}/up.log").read()
    check(SECRET not in logged and FILE_SECRET not in logged, "no webhook secret appears in the workers' logs")
    check_no_sanitizer_reports(f"{data}/up.log")
    if failed():
        print(open(f"{data}/up.log").read()[-4000:])
    shutil.rmtree(data, ignore_errors=True)
    sys.exit(summary())


if __name__ == "__main__":
    main()
