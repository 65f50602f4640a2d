#!/usr/bin/env bash
# Indexer and search benchmark (issue: indexer and search). Prints documents
# indexed per second, index size against text size, and query latency for 1-4
# character, phrase and boolean queries, beside FTS5's trigram tokenizer.
#   scripts/bench-index.sh [DOCS ...]   (default: 100000 1000000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/scripts/build.sh" >/dev/null
dir=$(mktemp -d /tmp/wirewatch-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
for n in "${@:-100000 1000000}"; do
  for docs in $n; do
    echo "== $docs documents"
    "$root/build-bench/bench/bench_index" "$docs" "$dir" 300
  done
done
