"""Shared by the end-to-end scripts: numbered checks, the wirewatch CLI,
waiting for the pipeline, HTTP servers on loopback, stopping a process,
the workers of `wirewatch up` and counts from its SQLite files."""
import http.server
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time

_counts = {"passed": 0, "failed": 0}
_setup = {"wirewatch": "wirewatch", "wait": 60}


def setup(bin_dir, wait=60):
    """Where the programs are, and how long wait_for waits by default."""
    _setup["wirewatch"] = os.path.join(bin_dir, "wirewatch")
    _setup["wait"] = wait


def check(cond, what):
    key = "passed" if cond else "failed"
    _counts[key] += 1
    print(f"{'ok  ' if cond else 'FAIL'} {what}")
    return bool(cond)


def failed():
    return _counts["failed"]


def summary():
    """Prints the closing "N passed, N failed"; returns the exit status."""
    print(f"{_counts['passed']} passed, {_counts['failed']} failed")
    return 1 if _counts["failed"] else 0


def ww(*args, env, check_rc=True):
    r = subprocess.run([_setup["wirewatch"], *args], env=env, capture_output=True, text=True, timeout=60)
    if check_rc and r.returncode != 0:
        print(f"command failed: wirewatch {' '.join(args)}\n{r.stdout}\n{r.stderr}")
    return r


def ww_json(*args, env):
    return json.loads(ww(*args, "--json", env=env).stdout)


def wait_for(pred, timeout=None):
    end = time.time() + (_setup["wait"] if timeout is None else timeout)
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.2)
    return pred()


class _Server(http.server.ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: the notifier's concurrent
    # deliveries overflowed it and waited a second for the SYN to be retried
    request_queue_size = 256


def serve(handler, port=0):
    server = _Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(proc, timeout=30):
    """SIGTERM, then SIGKILL if it has not exited within timeout; its exit
    status, or -1 when it had to be killed."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -1


def children(parent_pid):
    """pid -> worker name ("cleaner", ...) for the children of `wirewatch up`."""
    found = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
            if int(stat[stat.rindex(")") + 2:].split()[1]) != parent_pid:
                continue
            with open(f"/proc/{d}/cmdline", "rb") as f:
                prog = os.path.basename(f.read().split(b"\0")[0].decode())
            found[int(d)] = prog.replace("wirewatch-", "")
        except (OSError, ValueError, IndexError):
            pass
    return found


def db_count(path, sql):
    """The single number sql selects from the SQLite file at path, read-only
    beside the running workers; -1 while it cannot be read."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        n = db.execute(sql).fetchone()[0]
        db.close()
        return n
    except sqlite3.Error:
        return -1


SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def check_no_sanitizer_reports(*logs):
    """Under the sanitizer build a worker that trips ASan or UBSan dies and
    wirewatch up restarts it, so a test could still pass: its log decides."""
    for path in logs:
        text = open(path, errors="replace").read()
        found = [line for line in text.splitlines() if any(m in line for m in SANITIZER_REPORTS)]
        check(not found, f"no sanitizer report in {os.path.basename(path)}" + (f": {found[0]}" if found else ""))


def write_articles(folder, first, count, pool, title, prefix, rng):
    """count plain-text articles numbered from first, each a title (a format
    with {i}) and 400 characters drawn from pool: all different, since
    reprints would join one article."""
    os.makedirs(folder, exist_ok=True)
    for i in range(first, first + count):
        body = "".join(rng.choice(pool) for _ in range(400))
        with open(os.path.join(folder, f"{prefix}{i:05d}.txt"), "w", encoding="utf-8") as f:
            f.write(f"{title.format(i=i)}\n\n{body}。\n")


def check_each_indexed_once(index, expected):
    """The index holds expected articles, each title once."""
    rows = db_count(index, "SELECT count(*) FROM articles")
    titles = db_count(index, "SELECT count(DISTINCT title) FROM articles")
    check(rows == expected and titles == expected, f"each exactly once ({rows} rows, {titles} titles)")


def finish(data, log, tail=3000, about=""):
    """After a failure, prints the end of the log and keeps the data
    directory for a look; else removes it. Returns summary()."""
    if failed():
        print(open(log, errors="replace").read()[-tail:])
        print(f"data kept in {data}{about}")
    else:
        shutil.rmtree(data, ignore_errors=True)
    return summary()
