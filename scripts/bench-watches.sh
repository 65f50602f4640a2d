#!/usr/bin/env bash
# Notifier matching benchmark (issue: notifier and watches). For each watch
# count: compile time, memory and 4 KB articles matched per second on one
# core by the presearch matcher, then `grep -F -f` and ripgrep over the same
# articles with the same literals (each article one line; both print every
# match, -o, so all three find every literal), as rates and ratios. Then
# how long a watch added to the largest set takes to take effect.
#   scripts/bench-watches.sh [COUNTS] [ARTICLES]   (default: "10000 100000 1000000" 2000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
counts=${1:-"10000 100000 1000000"}
articles=${2:-2000}
command -v rg >/dev/null || apt-get install -y -qq ripgrep >/dev/null
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/scripts/build.sh" >/dev/null
dir=$(mktemp -d /tmp/wirewatch-bench-watches.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# seconds a command takes, to the millisecond; output goes to a real file
# (GNU grep stops at the first match when it writes to /dev/null)
elapsed() {
  local start end
  start=$(date +%s%N)
  "$@" >"$dir/matches.out" 2>/dev/null || true
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}

for n in $counts; do
  echo "== $n watches"
  taskset -c 0 "$root/build-bench/bench/bench_watches" "$n" "$articles" "$dir" | tee "$dir/ours.txt"
  ours=$(awk '/^articles\/s/ {print $2}' "$dir/ours.txt")
  sort -u "$dir/literals.txt" > "$dir/literals.u"
  # Each tool's setup (reading the literals) is timed on an empty input and
  # taken off. The articles are given to them five times over, so that the
  # scan outweighs the setup's noise: ripgrep compiles a million watches'
  # literals in about as long as it scans 2,000 articles once, and the
  # difference of two such timings came out negative.
  : > "$dir/empty.txt"
  for _ in 1 2 3 4 5; do cat "$dir/articles.txt"; done > "$dir/articles5.txt"
  scanned=$((articles * 5))
  for tool in grep rg; do
    if [ "$tool" = grep ]; then cmd=(env LC_ALL=C grep -F -o -f "$dir/literals.u"); else cmd=(rg -F -o --no-line-number -f "$dir/literals.u"); fi
    setup=$(elapsed taskset -c 0 "${cmd[@]}" "$dir/empty.txt")
    total=$(elapsed taskset -c 0 "${cmd[@]}" "$dir/articles5.txt")
    scan=$(echo "scale=3; $total - $setup" | bc)
    if [ "$(echo "$scan * 10 < $total" | bc)" = 1 ]; then
      echo "$tool: setup ${setup}s and total ${total}s too close to tell the scan apart; no rate"
      continue
    fi
    rate=$(echo "scale=0; $scanned / $scan" | bc)
    ratio=$(echo "scale=1; $ours / $rate" | bc)
    echo "$tool: $rate articles/s (setup ${setup}s, scan ${scan}s for $scanned articles); wirewatch is ${ratio}x"
  done
done
largest=$(echo "$counts" | tr ' ' '\n' | sort -n | tail -1)
echo "== adding a watch to $largest"
"$root/build-bench/bench/bench_watch_add" "$largest" "$dir"
