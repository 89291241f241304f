#!/usr/bin/env bash
# Web-chat ingest against GET /healthz on the same server in the same run, with wrk (Debian's `wrk`).
# Each request is a new visitor's first message (a cookie signed with the database's key): stored, run
# through the engine, its reply written for the page, committed (synchronous=FULL) before the 200.
# The per-address limits are raised for the run: every request comes from 127.0.0.1.
#   Benchmarks/webchat.sh [SECONDS=10] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
seconds=${1:-10}
connections=${2:-32}
threads=2
need wrk wrk
release_binary
work=$(mktemp -d /tmp/gcr-bench.XXXXXX)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
launched=$(date +%s%N)
GCR_INTAKE_DB="$work/bench.sqlite" GCR_INTAKE_HTTP_PORT=0 GCR_INTAKE_HTTP_MAX_CONNECTIONS=4096 \
GCR_INTAKE_WEB_CHAT_MESSAGES_PER_ADDRESS_PER_MINUTE=1000000 GCR_INTAKE_WEB_CHAT_MESSAGES_PER_MINUTE=10000 \
GCR_INTAKE_CHAT_MESSAGES_PER_MINUTE=100000 \
  "$binary" serve > "$work/serve.log" 2>&1 &
pid=$!
wait_for_port "$work/serve.log"
count=$((seconds * 8000))
# The visitors' cookies, signed as serve signs them (HMAC-SHA256 with the key it keeps in app_secret).
python3 - "$work/bench.sqlite" "$count" > "$work/bodies.tsv" <<'PY'
import hashlib, hmac, json, os, sqlite3, sys
key = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute("SELECT value FROM app_secret WHERE name = 'chat_cookie'").fetchone()[0]
for n in range(int(sys.argv[2])):
    visitor = os.urandom(16).hex()
    cookie = visitor + "." + hmac.new(key, visitor.encode(), hashlib.sha256).digest()[:16].hex()
    body = json.dumps({"id": f"m{n}", "text": "Hello, I would like to share a good practice", "lang": "en"}, separators=(",", ":"))
    print(cookie + "\t" + body)
PY
echo "wrk -t$threads -c$connections -d${seconds}s, 127.0.0.1, SQLite WAL synchronous=FULL, $(nproc) cores"
base=$(run "GET /healthz" "http://127.0.0.1:$port/healthz")
perf_pid=""
if [ -n "${GCR_BENCH_PERF:-}" ]; then  # a profile of serve under the load, for `perf report -i FILE`
  perf record -e cpu-clock -g -p "$pid" -o "$GCR_BENCH_PERF" -- sleep "$seconds" >/dev/null 2>&1 &
  perf_pid=$!
fi
chat=$(GCR_BENCH_BODIES="$work/bodies.tsv" GCR_BENCH_THREADS=$threads run "web chat POST" -s Benchmarks/webchat.lua "http://127.0.0.1:$port")
[ -z "$perf_pid" ] || wait "$perf_pid"
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM inbound WHERE channel = 'web'\").fetchone()[0])" "$work/bench.sqlite")
rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)
echo "messages stored: $stored (of $count visitors), peak RSS ${rss} MB, start to ready ${ready_ms} ms (new database)"
awk -v c="$chat" -v b="$base" 'BEGIN { printf "web chat / healthz: x%.2f\n", c / b }'
