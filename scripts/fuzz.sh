#!/usr/bin/env bash
# Runs every libFuzzer harness (or the named ones) for a bounded time under
# ASan+UBSan, starting from a copy of its saved corpus. New crashes are
# written to fuzz/crashes/<name>/; add the input to fuzz/corpus/<name>/ once
# fixed, so the replay under ctest keeps it fixed.
#   scripts/fuzz.sh [SECONDS] [NAME ...]      (default: 60, every harness)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(html frontmatter feed opml query message)
fi
CC=clang BUILD_DIR="$root/build-fuzz" BUILD_TYPE=Debug "$root/scripts/build.sh" -DWW_FUZZ=ON \
  -DWW_SANITIZE=address,undefined >/dev/null
work=$(mktemp -d /tmp/wirewatch-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
for name in "${names[@]}"; do
  mkdir -p "$work/$name" "$root/fuzz/crashes/$name"
  cp "$root/fuzz/corpus/$name/"* "$work/$name/" 2>/dev/null || true
  echo "== fuzz_$name for ${seconds}s"
  if ! "$root/build-fuzz/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 \
      -artifact_prefix="$root/fuzz/crashes/$name/" "$work/$name" 2>"$work/$name.log"; then
    echo "fuzz_$name FOUND A PROBLEM:"; tail -n 40 "$work/$name.log"; status=1
  else
    tail -n 1 "$work/$name.log"
  fi
done
exit $status
