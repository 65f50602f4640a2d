#!/usr/bin/env bash
# Fails if a C file is not formatted as .clang-format says, or uses a banned
# function (sprintf, strcpy, gets: unbounded writes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
clang-format --dry-run --Werror $files
if grep -nE '\b(sprintf|strcpy|gets|strcat)\s*\(' $files | grep -v 'snprintf\|vsnprintf'; then
  echo "banned function used (see above)" >&2
  exit 1
fi
