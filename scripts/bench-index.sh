#!/usr/bin/env bash
# Indexer and search benchmark (issue: indexer and search). Prints documents
# indexed per second, index size against text size, and query latency for 1-4
# character, phrase and boolean queries, beside FTS5's trigram tokenizer.
#   scripts/bench-index.sh [DOCS ...]   (default: 100000 1000000)
# Each size needs about 2.5x its text in free disk space per index and, on a
# 2-core machine, roughly 6 ms a document (cleaning, both indexes, merging).
# WW_BENCH_DIR sets where the indexes are built (default: a temporary folder,
# removed afterwards; set it to keep them for bench/bench_search).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/scripts/build.sh" >/dev/null
if [ -n "${WW_BENCH_DIR:-}" ]; then
  dir=$WW_BENCH_DIR
  mkdir -p "$dir"
else
  dir=$(mktemp -d /tmp/wirewatch-bench.XXXXXX)
  trap 'rm -rf "$dir"' EXIT
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
for docs in "${sizes[@]}"; do
  echo "== $docs documents"
  mkdir -p "$dir/$docs"
  "$root/build-bench/bench/bench_index" "$docs" "$dir/$docs" 300 "$root/tests/extraction"
done
