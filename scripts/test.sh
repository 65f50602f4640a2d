#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds, runs every test under
# ctest, then again in a separate build under AddressSanitizer and
# UndefinedBehaviorSanitizer, fuzzes every parser of outside input for a
# bounded time (libFuzzer, ASan+UBSan), checks formatting and validates the
# compose file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"

echo "== build and test"
BUILD_DIR="$root/build" "$root/scripts/build.sh" -DWW_WERROR=ON
(cd "$root/build" && ctest --output-on-failure --timeout 300 -j2)

echo "== build and test under ASan+UBSan"
BUILD_DIR="$root/build-asan" BUILD_TYPE=Debug "$root/scripts/build.sh" -DWW_SANITIZE=address,undefined
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure --timeout 600 -j2)

echo "== bounded fuzz run under ASan+UBSan (each harness ${WW_FUZZ_SECONDS:-60} s)"
"$root/scripts/fuzz.sh" "${WW_FUZZ_SECONDS:-60}"

echo "== format"
"$root/scripts/check-format.sh"

echo "== compose file"
(cd "$root" && docker-compose -f docker-compose.yml config -q)
echo "== all checks passed"
