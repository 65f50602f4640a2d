#!/usr/bin/env bash
# Cleaner benchmark (issue: cleaner). Articles per second on one core, match
# form and fingerprints included, beside python3-readability on the same
# pages in the same run, for two kinds of page:
#   - seed-sized pages: the 40 pages of the labelled extraction set (HTML,
#     Markdown+HTML and text with site boilerplate, about 5.6 KB, a quarter
#     traditional, GBK and Big5 among them);
#   - large portal pages: the same articles inside a portal's frame (mega
#     menus, channel blocks, inline scripts; about 110 KB each).
#   scripts/bench-clean.sh [SECONDS]   (default 5 per measurement)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-5}
dpkg-query -W -f='${Status}' python3-readability 2>/dev/null | grep -q "install ok installed" ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-readability >/dev/null
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/scripts/build.sh" >/dev/null
dir=$(mktemp -d /tmp/wirewatch-bench-clean.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/seed" "$dir/portal"
for d in "$root"/tests/data/extraction/*/; do
  for f in "$d"page.*; do cp "$f" "$dir/seed/$(basename "$d").${f##*.}"; done
done
/usr/bin/python3 "$root/tests/extraction/make_set.py" --portal "$dir/portal"

for kind in seed portal; do
  echo "== $kind pages"
  ours=$(taskset -c 1 "$root/build-bench/bench/bench_clean" "$dir/$kind" "$seconds")
  theirs=$(taskset -c 1 /usr/bin/python3 "$root/scripts/bench_readability.py" "$dir/$kind" "$seconds")
  echo "wirewatch:   $ours"
  echo "readability: $theirs"
  a=$(echo "$ours" | sed -E 's/.*: ([0-9]+) articles\/s.*/\1/')
  b=$(echo "$theirs" | sed -E 's/.*: ([0-9]+) articles\/s.*/\1/')
  echo "ratio: $(echo "scale=1; $a / $b" | bc)x"
done
