#!/usr/bin/env bash
# The main job on the embedded default, offline: installs dependencies,
# builds, starts every worker with a fresh data directory, adds the sample
# watches, ingests the bundled sample documents and shows the alerts as they
# arrive, a search, and the status; then stops everything cleanly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
ww="$root/build/bin/wirewatch"
export WIREWATCH_DATA=${WIREWATCH_DATA:-$(mktemp -d /tmp/wirewatch-demo.XXXXXX)}
echo "== data directory: $WIREWATCH_DATA"
while IFS='|' read -r name query; do
  [ -n "$name" ] && "$ww" watch add "$name" "$query"
done < "$root/samples/watches.txt"
"$ww" up > "$WIREWATCH_DATA/up.log" 2>&1 &
up_pid=$!
trap 'kill -TERM $up_pid 2>/dev/null; wait $up_pid 2>/dev/null || true' EXIT
sleep 1
echo "== ingesting the sample documents"
"$ww" ingest "$root"/samples/drop/*
echo "== alerts as they arrive"
for _ in $(seq 1 40); do
  n=$("$ww" alerts --json | wc -l)
  [ "$n" -ge "$(cat "$root/samples/expected-alerts")" ] && break
  sleep 0.25
done
"$ww" alerts
echo "== search: 严防死守 (finds 嚴防死守 too)"
"$ww" search 严防死守
sleep 1 # workers publish their counters every 250 ms
echo "== status"
"$ww" status
