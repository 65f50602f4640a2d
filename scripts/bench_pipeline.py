#!/usr/bin/env python3
"""Load benchmark of the whole pipeline (issue: reliability and security).

Runs `wirewatch up` (fetcher, indexer, alert proxy, CLEANERS cleaners,
NOTIFIERS notifiers) on a fresh data directory, with one watch that every
article matches, delivering to a webhook receiver on loopback. Then:

1. burst: BURST articles written to a staging folder, then renamed into the
   drop folder at once; the sustained rate from the first rename to the last
   alert received (articles/s, drop to alert);
2. steady: articles offered at RATE per second for DURATION seconds; the
   latency from the moment each article is renamed into the drop folder to
   its alert reaching the receiver (median, p99, max);
3. memory: each worker's resident set sampled every second through the
   steady phase (first, last and highest, in MB).

usage: bench_pipeline.py BIN_DIR [--burst N] [--rate R] [--duration S]
                         [--cleaners N] [--notifiers N] [--bytes B]
"""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

POOL = ("的一是在不了有和人这中大为来以个们到说国时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所"
        "然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无"
        "力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什")
POOL = "".join(sorted(set(POOL) - set("负载测试")))


class Receiver:
    """The webhook receiver: bench/bench_receiver (C, epoll, HTTP/1.1 with
    keep-alive, as production servers are), so that answering a thousand
    alerts a second does not take the CPU of the pipeline under test, as
    Python's http.server did (a quarter of this machine). It prints each
    alert's title and arrival time; a thread here keeps the first arrival."""
    lock = threading.Lock()
    arrived = {}  # title -> first arrival time
    repeats = 0

    def __init__(self, program):
        self.proc = subprocess.Popen([program], stdout=subprocess.PIPE, text=True, encoding="utf-8")
        first = self.proc.stdout.readline().split()
        if len(first) != 2 or first[0] != "port":
            raise SystemExit(f"{program}: did not print its port")
        self.port = int(first[1])
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            title, _, at = line.rstrip("\n").rpartition("\t")
            with Receiver.lock:
                if title in Receiver.arrived:
                    Receiver.repeats += 1
                else:
                    Receiver.arrived[title] = float(at)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def text_of(rng, seq, size):
    title = f"负载测试{seq}号{''.join(rng.choice(POOL) for _ in range(6))}"
    chars = []
    while len(chars) * 3 < size:
        chars.append(rng.choice(POOL))
        if len(chars) % 23 == 22:
            chars.append("，" if rng.random() < 0.7 else "。\n\n")
    return title, f"{title}\n\n{''.join(chars)}。\n"


def rss_mb(pid):
    """Resident MB: all of it, and the anonymous part (heap, not file pages)."""
    got = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "RssAnon:")):
                    got[line.split(":")[0]] = int(line.split()[1]) / 1024
    except OSError:
        return None
    return (got["VmRSS"], got["RssAnon"]) if "VmRSS" in got and "RssAnon" in got else None


def workers(up_pid):
    found = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open(f"/proc/{d}/stat").read()
                if int(stat[stat.rindex(")") + 2:].split()[1]) == up_pid:
                    prog = open(f"/proc/{d}/cmdline", "rb").read().split(b"\0")[0].decode()
                    found[int(d)] = os.path.basename(prog).replace("wirewatch-", "")
            except (OSError, ValueError, IndexError):
                pass
    return found


def cpu_seconds(pid):
    """User and system CPU a process has used, in seconds."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
        fields = stat[stat.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--burst", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--duration", type=float, default=600)
    ap.add_argument("--cleaners", type=int, default=2)
    ap.add_argument("--notifiers", type=int, default=1)
    ap.add_argument("--bytes", type=int, default=2000, help="approximate UTF-8 size of each article")
    ap.add_argument("--keep", action="store_true", help="keep the data directory (logs, index) and print where")
    args = ap.parse_args()
    ww = os.path.join(args.bin, "wirewatch")
    data = tempfile.mkdtemp(prefix="ww-load-")
    server = Receiver(os.path.join(args.bin, "..", "bench", "bench_receiver"))
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_UP_CLEANERS=str(args.cleaners),
               WIREWATCH_UP_NOTIFIERS=str(args.notifiers), WIREWATCH_NOTIFIER_STDOUT="false",
               WIREWATCH_FETCHER_SCAN_INTERVAL="50ms", WIREWATCH_FETCHER_STABLE_FOR="0")
    env.pop("WIREWATCH_CONFIG", None)
    subprocess.run([ww, "watch", "add", "load", "负载测试", "--webhook",
                    f"http://127.0.0.1:{server.port}/hook"], env=env, check=True, capture_output=True)
    up = subprocess.Popen([ww, "up"], env=env, stdout=subprocess.DEVNULL, stderr=open(f"{data}/up.log", "w"))
    rng = random.Random(7)
    drop, stage = os.path.join(data, "drop"), os.path.join(data, "stage")
    os.makedirs(drop, exist_ok=True)
    os.makedirs(stage)
    seq = 0

    def stage_one(title_text):
        nonlocal seq
        title, text = title_text
        name = f"{seq:07d}.txt"
        with open(os.path.join(stage, name), "w", encoding="utf-8") as f:
            f.write(text)
        seq += 1
        return title, name

    def enter(name):
        # an article enters the pipeline when it appears in the drop folder
        os.rename(os.path.join(stage, name), os.path.join(drop, name))

    def put(title_text):
        title, name = stage_one(title_text)
        enter(name)
        return title

    def wait_alerts(titles, timeout):
        end = time.time() + timeout
        while time.time() < end:
            with Receiver.lock:
                if all(t in Receiver.arrived for t in titles):
                    return True
            time.sleep(0.05)
        return False

    try:
        time.sleep(2)
        print(f"machine: {os.cpu_count()} cores; {args.cleaners} cleaners, {args.notifiers} notifiers; "
              f"articles of ~{args.bytes} bytes; every article alerts one webhook", flush=True)
        print("settings: defaults, but the drop folder is scanned every 50 ms (not 300) and files are taken "
              "at once (stable_for 0, not 300 ms): this script renames each file in whole", flush=True)
        # 1. burst
        texts = [text_of(rng, i, args.bytes) for i in range(args.burst)]
        marks = {}

        def watch_stages():
            # when the spool has taken every dropped file, and when the
            # index holds them all
            while "indexed" not in marks:
                try:
                    db = sqlite3.connect(f"file:{data}/fetcher.db?mode=ro", uri=True, timeout=1)
                    if "spooled" not in marks and db.execute("SELECT count(*) FROM spool").fetchone()[0] >= args.burst:
                        marks["spooled"] = time.time()
                    db.close()
                    db = sqlite3.connect(f"file:{data}/index.db?mode=ro", uri=True, timeout=1)
                    if db.execute("SELECT count(*) FROM articles").fetchone()[0] >= args.burst:
                        marks["indexed"] = time.time()
                    db.close()
                except sqlite3.Error:
                    pass
                time.sleep(0.1)

        # written beforehand, so that the clock runs only over renames into
        # the drop folder, not over this script creating 20,000 files
        staged = [stage_one(t) for t in texts]
        titles = [title for title, _ in staged]
        cpu_before = {pid: cpu_seconds(pid) for pid in workers(up.pid)}
        began = time.time()
        threading.Thread(target=watch_stages, daemon=True).start()
        for _, name in staged:
            enter(name)
        dropped = time.time() - began
        ok = wait_alerts(titles, 600)
        took = max(Receiver.arrived[t] for t in titles if t in Receiver.arrived) - began
        got = sum(1 for t in titles if t in Receiver.arrived)
        print(f"burst: {args.burst} articles dropped in {dropped:.1f} s; {got} alerts by {took:.1f} s: "
              f"{got / took:.0f} articles/s sustained, drop to alert{'' if ok else ' (INCOMPLETE)'}", flush=True)
        print(f"       all spooled by {marks.get('spooled', float('nan')) - began:.1f} s, "
              f"all indexed by {marks.get('indexed', float('nan')) - began:.1f} s", flush=True)
        # where the machine's time went: CPU seconds of each worker over the
        # burst, and its share of one core
        used = {}
        for pid, name in workers(up.pid).items():
            after, before = cpu_seconds(pid), cpu_before.get(pid)
            if after is not None and before is not None:
                used[f"{name}-{pid}"] = after - before
        print("       CPU over the burst, s (share of one core): " +
              ", ".join(f"{k} {v:.1f} ({100 * v / took:.0f} %)" for k, v in sorted(used.items())), flush=True)

        # 2. steady rate, 3. memory
        samples = {}
        sent = {}
        start = time.time()
        n = 0
        next_sample = start
        while time.time() - start < args.duration:
            due = start + n / args.rate
            now = time.time()
            if now < due:
                time.sleep(min(due - now, 0.01))
                continue
            t = text_of(rng, args.burst + n, args.bytes)
            sent[put(t)] = time.time()
            n += 1
            if now >= next_sample:
                for pid, name in workers(up.pid).items():
                    mb = rss_mb(pid)
                    if mb is not None:
                        samples.setdefault(f"{name}-{pid}", []).append(mb)
                next_sample = now + 1
        offered = n / (time.time() - start)
        wait_alerts(list(sent), 60)
        lat = [(Receiver.arrived[t] - s) * 1000 for t, s in sent.items() if t in Receiver.arrived]
        print(f"steady: {n} articles offered at {offered:.0f}/s for {args.duration:.0f} s; {len(lat)} alerted; "
              f"latency drop to webhook median {pct(lat, 50):.0f} ms, p99 {pct(lat, 99):.0f} ms, "
              f"max {max(lat) if lat else float('nan'):.0f} ms", flush=True)
        print(f"receiver: {Receiver.repeats} repeated alerts (same title again)")
        print("memory over the steady phase, MB: resident first / last / highest (anonymous first / last)")
        for name in sorted(samples):
            s = samples[name]
            print(f"  {name:22s} {s[0][0]:7.1f} / {s[-1][0]:7.1f} / {max(x[0] for x in s):7.1f}"
                  f"   ({s[0][1]:.1f} / {s[-1][1]:.1f})")
        db = sqlite3.connect(f"file:{data}/index.db?mode=ro", uri=True)
        print(f"index: {db.execute('SELECT count(*) FROM articles').fetchone()[0]} articles")
        db.close()
    finally:
        up.send_signal(signal.SIGTERM)
        try:
            up.wait(timeout=30)
        except subprocess.TimeoutExpired:
            up.kill()
        server.stop()
        if args.keep:
            print(f"data kept in {data} (the workers' log: {data}/up.log)")
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
