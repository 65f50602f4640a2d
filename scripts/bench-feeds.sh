#!/usr/bin/env bash
# Fetcher benchmark (issue: fetcher). Prints feed items parsed per second
# beside python3-feedparser on the same files (as a ratio), and the wall
# time to poll 1,000 feeds served on loopback.
#   scripts/bench-feeds.sh [FEEDS] [SECONDS_PER_FILE]   (default: 1000 2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
feeds=${1:-1000}
seconds=${2:-2}
if ! /usr/bin/python3 -c 'import feedparser' 2>/dev/null; then
  apt-get install -y python3-feedparser >/dev/null
fi
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/scripts/build.sh" >/dev/null
dir=$(mktemp -d /tmp/wirewatch-bench-feeds.XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 "$root/scripts/bench_feeds.py" parse "$root/build-bench/bench/bench_feed" "$dir" "$seconds"
/usr/bin/python3 "$root/scripts/bench_feeds.py" poll "$root/build-bench/bin" "$dir" "$feeds"
