"""Shared by the end-to-end scripts: numbered checks, the wirewatch CLI,
waiting for the pipeline, and HTTP servers on loopback."""
import http.server
import json
import os
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


def serve(handler, port=0):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
