#!/usr/bin/env bash
# Webhook ingest against GET /healthz on the same server in the same run, with wrk (Debian's `wrk`).
# Each message is a signed generic-hook POST from a new contact: stored, run through the engine, its
# reply queued, committed (synchronous=FULL) before the 200. Replies stay queued (no reply URL).
#   Benchmarks/webhook.sh [SECONDS=10] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
seconds=${1:-10}
connections=${2:-32}
threads=2
need wrk wrk
release_binary
work=$(mktemp -d /tmp/gcr-bench.XXXXXX)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ -n "${GCR_BENCH_KEEP:-}" ] && cp "$work/bench.sqlite" "$GCR_BENCH_KEEP"; rm -rf "$work"' EXIT
secret=bench-secret
count=$((seconds * 8000))
python3 - "$secret" "$count" > "$work/bodies.tsv" <<'PY'
import hashlib, hmac, json, sys
secret, count = sys.argv[1].encode(), int(sys.argv[2])
for n in range(count):
    body = json.dumps({"id": f"b{n}", "from": f"+1555{n:07d}", "text": "Hello, I would like to share a good practice"}, separators=(",", ":"))
    print("sha256=" + hmac.new(secret, body.encode(), hashlib.sha256).hexdigest() + "\t" + body)
PY
launched=$(date +%s%N)
GCR_INTAKE_DB="$work/bench.sqlite" GCR_INTAKE_WEBHOOK_SECRET=$secret GCR_INTAKE_HTTP_PORT=0 GCR_INTAKE_LOG_LEVEL=info \
GCR_INTAKE_HTTP_MAX_CONNECTIONS=4096 GCR_INTAKE_CHAT_MESSAGES_PER_MINUTE=100000 \
  "$binary" serve > "$work/serve.log" 2>&1 &
pid=$!
wait_for_port "$work/serve.log"
echo "wrk -t$threads -c$connections -d${seconds}s, 127.0.0.1, SQLite WAL synchronous=FULL, $(nproc) cores"
base=$(run "GET /healthz" "http://127.0.0.1:$port/healthz")
perf_pid=""
if [ -n "${GCR_BENCH_PERF:-}" ]; then  # a profile of serve under the webhook load, for `perf report -i FILE`
  perf record -e cpu-clock ${GCR_BENCH_PERF_CG:--g} -p "$pid" -o "$GCR_BENCH_PERF" -- sleep "$seconds" >/dev/null 2>&1 &
  perf_pid=$!
fi
hook=$(GCR_BENCH_BODIES="$work/bodies.tsv" GCR_BENCH_THREADS=$threads run "signed generic hook" -s Benchmarks/webhook.lua "http://127.0.0.1:$port")
[ -z "$perf_pid" ] || wait "$perf_pid"
stored=$(sqlite3 "$work/bench.sqlite" "SELECT COUNT(*) FROM inbound" 2>/dev/null || python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM inbound').fetchone()[0])" "$work/bench.sqlite")
rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)
echo "messages stored: $stored (of $count distinct bodies), peak RSS ${rss} MB, start to ready ${ready_ms} ms (new database)"
awk -v h="$hook" -v b="$base" 'BEGIN { printf "webhook / healthz: x%.2f\n", h / b }'
