#!/usr/bin/env bash
# Load benchmark of the whole pipeline (issue: reliability and security):
# sustained articles/s from drop to alert, latency drop -> webhook at a
# steady offered rate (median, p99), each worker's memory over the run.
#   scripts/bench-pipeline.sh [--burst N] [--rate R] [--duration S] [--cleaners N] [--notifiers N] [--bytes B]
# Defaults: a burst of 20,000 articles, then 200 articles/s for 600 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/scripts/build.sh" >/dev/null
exec python3 "$root/scripts/bench_pipeline.py" "$root/build-bench/bin" "$@"
