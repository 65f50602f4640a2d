#!/usr/bin/env python3
"""The chaos test: the whole pipeline as processes (`wirewatch up` with two
cleaners and two notifiers) over CURVE-encrypted tcp on 127.0.0.1, fed
ARTICLES generated articles through the drop folder, a known share of which
match two watches that deliver to a webhook receiver on loopback. Meanwhile
random workers (the fetcher and the indexer too) are killed with SIGKILL
(and restarted by `wirewatch up`) or frozen with SIGSTOP and thawed with
SIGCONT every few seconds.

At the end every article must be in the index exactly once, and after the
receiver drops repeats by idempotency key, it must hold exactly the alerts
expected: nothing missing, nothing extra. Prints how many messages the
fetcher re-sent and how many repeats the receiver saw.

Each worker's resident memory is sampled every second; with RSS_MB given,
none may pass it (the burst arrives far faster than the pipeline indexes,
so this is the back-pressure bound).

usage: test_chaos.py BIN_DIR [ARTICLES [RSS_MB]]   (default 20000, no bound)
"""
import http.server
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from e2e import check, check_no_sanitizer_reports, children, db_count, finish, serve, setup, stop, wait_for, ww

BIN = sys.argv[1]
ARTICLES = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
RSS_MB = int(sys.argv[3]) if len(sys.argv) > 3 else 0
setup(BIN, wait=60)
SEED = int(os.environ.get("WW_CHAOS_SEED", str(int(time.time()))))
rng = random.Random(SEED)

# Common characters for the filler text. None of them is a character of the
# watched terms or folds to one (灯/燈 塔 海 上 风/風 电/電 场/場 潮 汐 能).
POOL = ("的一是在不了有和人这中大为来以个们到说国时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所"
        "然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无"
        "力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什"
        "二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先社义条府期感象北目米直题位程书")
WATCHED = set("灯燈塔海上风風电電场場潮汐能")
POOL = "".join(sorted(set(POOL) - WATCHED))
PUNCT = "，，，。、；"


class Receiver(http.server.BaseHTTPRequestHandler):
    """The webhook receiver: keeps every delivery; repeats are dropped by
    Idempotency-Key when counting."""
    lock = threading.Lock()
    deliveries = []  # (idempotency key, watch, title)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with Receiver.lock:
            Receiver.deliveries.append((self.headers.get("Idempotency-Key", ""), body.get("watch"), body.get("title")))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def filler(n):
    out = []
    for i in range(n):
        out.append(rng.choice(POOL))
        if i % 17 == 16:
            out.append(rng.choice(PUNCT))
    return "".join(out) + "。"


def article(i):
    """Title and text of article i; which watched terms it carries."""
    terms = []
    if i % 10 == 0:
        terms.append("灯塔")
    if i % 25 == 0:
        terms.append("海上风电场")
    if i % 35 == 0:
        terms.append("潮汐能")
    title = f"第{i}号{filler(6)[:6]}"
    paras = [filler(rng.randint(90, 160)) for _ in range(3)]
    for k, t in enumerate(terms):
        p = paras[k % 3]
        at = rng.randint(0, len(p) - 1)
        paras[k % 3] = p[:at] + t + p[at:]
    return title, f"{title}\n\n" + "\n\n".join(paras) + "\n", terms


def thaw(up_pid):
    """SIGCONT to every worker, so none stays frozen."""
    for pid in children(up_pid):
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def main():
    data = tempfile.mkdtemp(prefix="ww-chaos-")
    keys = os.path.join(data, "keys")
    receiver = serve(Receiver)
    hook = f"http://127.0.0.1:{receiver.server_port}/hook"
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_UP_CLEANERS="2", WIREWATCH_UP_NOTIFIERS="2",
               WIREWATCH_NOTIFIER_STDOUT="false", WIREWATCH_FETCHER_RESEND_AFTER="5s",
               WIREWATCH_FETCHER_SCAN_INTERVAL="200ms", WIREWATCH_FETCHER_STABLE_FOR="0",
               WIREWATCH_NOTIFIER_RETRY_BASE="200ms", WIREWATCH_NOTIFIER_ATTEMPTS="20",
               WIREWATCH_NOTIFIER_RETRY_MAX="2s", WIREWATCH_SECURITY_KEYS_DIR=keys)
    for name in ("raw", "clean", "indexed", "ack", "alerts_in", "alerts"):
        env[f"WIREWATCH_ENDPOINT_{name.upper()}"] = f"tcp://127.0.0.1:{free_port()}"
    env.pop("WIREWATCH_CONFIG", None)
    print(f"seed {SEED}, {ARTICLES} articles, data in {data}")

    check(ww("keys", "gen", keys, env=env).returncode == 0, "keys gen makes a key pair per role")
    check(ww("watch", "add", "lighthouse", "灯塔", "--webhook", hook, env=env).returncode == 0, "watch lighthouse")
    check(ww("watch", "add", "sea-energy", '"海上风电场" OR 潮汐能', "--webhook", hook, env=env).returncode == 0,
          "watch sea-energy")

    expected = {"lighthouse": set(), "sea-energy": set()}
    titles = set()
    stage = os.path.join(data, "stage")
    drop = os.path.join(data, "drop")
    os.makedirs(stage)
    os.makedirs(drop, exist_ok=True)
    texts = []
    for i in range(ARTICLES):
        title, text, terms = article(i)
        titles.add(title)
        if "灯塔" in terms:
            expected["lighthouse"].add(title)
        if "海上风电场" in terms or "潮汐能" in terms:
            expected["sea-energy"].add(title)
        texts.append(text)

    up = subprocess.Popen([os.path.join(BIN, "wirewatch"), "up"], env=env, stdout=subprocess.DEVNULL,
                          stderr=open(f"{data}/up.log", "w"))
    actions = {"kill": 0, "stop": 0}
    killed = {}
    stop_chaos = threading.Event()
    resent = {}  # (service, pid) -> highest "resent" counter seen

    def sample_resent():
        try:
            for w in json.loads(ww("status", "--json", env=env).stdout).get("workers", []):
                if w.get("service") == "fetcher":
                    key = (w["service"], w.get("pid"))
                    resent[key] = max(resent.get(key, 0), w.get("resent", 0))
        except (ValueError, KeyError):
            pass

    def chaos():
        crng = random.Random(SEED + 1)
        # the first rounds kill one of each kind, the fetcher and the
        # indexer included; then victims and actions are drawn at random
        first = ["fetcher", "indexer", "cleaner", "notifier"]
        crng.shuffle(first)
        while not stop_chaos.wait(crng.uniform(2.0, 4.0)):
            sample_resent()
            procs = [(pid, name) for pid, name in children(up.pid).items() if name != "alertproxy"]
            if first:
                procs = [p for p in procs if p[1] == first[0]]
            if not procs:
                continue
            pid, name = crng.choice(procs)
            try:
                if first or crng.random() < 0.6:
                    first.pop(0) if first else None
                    os.kill(pid, signal.SIGKILL)
                    actions["kill"] += 1
                    killed[name] = killed.get(name, 0) + 1
                else:
                    os.kill(pid, signal.SIGSTOP)
                    stop_chaos.wait(crng.uniform(0.5, 3.0))
                    os.kill(pid, signal.SIGCONT)
                    actions["stop"] += 1
            except ProcessLookupError:
                pass

    peak_mb = {}  # worker kind -> highest resident set seen, MB

    def sample_memory():
        while not memory_done.wait(1.0):
            for pid, name in children(up.pid).items():
                try:
                    with open(f"/proc/{pid}/status") as f:
                        for line in f:
                            if line.startswith("VmRSS:"):
                                peak_mb[name] = max(peak_mb.get(name, 0), int(line.split()[1]) / 1024)
                except OSError:
                    pass

    memory_done = threading.Event()
    threading.Thread(target=sample_memory, daemon=True).start()
    chaos_thread = threading.Thread(target=chaos, daemon=True)
    began = time.time()
    try:
        time.sleep(1.0)
        chaos_thread.start()
        # the articles arrive in bursts, each file renamed into the drop
        # folder whole, as a mail or sync tool would leave it
        batch = max(1, ARTICLES // 40)
        for start in range(0, ARTICLES, batch):
            for i in range(start, min(start + batch, ARTICLES)):
                tmp = os.path.join(stage, f"a{i:06d}.txt")
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(texts[i])
                os.rename(tmp, os.path.join(drop, f"a{i:06d}.txt"))
            time.sleep(0.5)
        # chaos goes on while the pipeline works through the backlog
        index_db = os.path.join(data, "index.db")

        def indexed():
            return db_count(index_db, "SELECT count(*) FROM articles")

        print(f"{time.time() - began:.1f} s: all articles dropped; {indexed()} indexed", flush=True)
        wait_for(lambda: indexed() >= ARTICLES * 0.8 and actions["kill"] + actions["stop"] >= 8, 600)
        stop_chaos.set()
        print(f"{time.time() - began:.1f} s: chaos ends; {indexed()} indexed", flush=True)
        chaos_thread.join()
        thaw(up.pid)  # every frozen worker runs again; the restarts settle

        def expected_alerts():
            with Receiver.lock:
                return len({k for k, _, _ in Receiver.deliveries})

        want_alerts = sum(len(v) for v in expected.values())
        check(wait_for(lambda: indexed() >= ARTICLES, 600), f"all {ARTICLES} articles reach the index (got {indexed()})")

        def pending():
            try:
                return json.loads(ww("status", "--json", env=env).stdout)["spool"]["pending"]
            except (ValueError, KeyError):
                return -1

        check(wait_for(lambda: pending() == 0, 300), f"nothing is left unacknowledged (pending {pending()})")
        check(wait_for(lambda: expected_alerts() >= want_alerts, 300),
              f"{want_alerts} distinct alerts reach the receiver (got {expected_alerts()})")
        print(f"{time.time() - began:.1f} s: everything indexed, acknowledged and alerted", flush=True)

        def status_matches_workers():
            # `wirewatch status` lists the running workers, each up, and no
            # worker that was killed (up removes what a dead one left)
            try:
                listed = {w.get("pid"): w.get("alive") for w in
                          json.loads(ww("status", "--json", env=env).stdout).get("workers", [])}
            except ValueError:
                return False
            running = {pid for pid, name in children(up.pid).items() if name != "alertproxy"}
            return set(listed) == running and all(listed.values())

        check(wait_for(status_matches_workers, 15),
              "wirewatch status lists exactly the running workers, all up, none of the killed ones")
        time.sleep(3)  # anything extra would arrive now
        sample_resent()

        db = sqlite3.connect(f"file:{index_db}?mode=ro", uri=True)
        rows = db.execute("SELECT title FROM articles").fetchall()
        db.close()
        stored = [r[0] for r in rows]
        check(len(stored) == ARTICLES and set(stored) == titles,
              f"every article is in the index exactly once ({len(stored)} rows, {len(set(stored))} titles)")
        left = [f for f in os.listdir(drop) if not f.startswith(".") and f.endswith(".txt")]
        check(not left, f"the drop folder is empty ({len(left)} files left)")

        with Receiver.lock:
            deliveries = list(Receiver.deliveries)
        unique = {}
        for key, watch, title in deliveries:
            unique.setdefault(key, (watch, title))
        got = {"lighthouse": set(), "sea-energy": set()}
        extra = 0
        for watch, title in unique.values():
            if watch in got and title not in got[watch]:
                got[watch].add(title)
            else:
                extra += 1
        for w in expected:
            missing = expected[w] - got[w]
            wrong = got[w] - expected[w]
            check(not missing and not wrong,
                  f"watch {w}: the {len(expected[w])} expected alerts, none missing ({len(missing)}), none extra ({len(wrong)})")
        check(extra == 0, f"no alert twice under different ids ({extra})")
        check(all(killed.get(k) for k in ("fetcher", "indexer", "cleaner", "notifier")),
              "every kind of worker was killed at least once")
        memory_done.set()
        print("highest resident memory: " + ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(peak_mb.items())))
        if RSS_MB:
            check(peak_mb and max(peak_mb.values()) < RSS_MB, f"every worker stayed under {RSS_MB} MB resident")
        print(f"chaos: {actions['kill']} workers killed {killed}, {actions['stop']} frozen and thawed")
        print(f"re-sent by the fetcher: {sum(resent.values())} messages; "
              f"receiver-side repeats dropped by idempotency key: {len(deliveries) - len(unique)} "
              f"of {len(deliveries)} deliveries")
    finally:
        stop_chaos.set()
        memory_done.set()
        thaw(up.pid)
        rc = stop(up)
        receiver.shutdown()
    check(rc == 0, "wirewatch up stops cleanly after the chaos")
    check_no_sanitizer_reports(f"{data}/up.log")
    return finish(data, f"{data}/up.log", tail=6000, about=f" (seed {SEED})")


if __name__ == "__main__":
    sys.exit(main())
