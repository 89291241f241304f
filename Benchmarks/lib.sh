# Shared by the benchmark scripts (sourced): the tools they need, the build they measure, waiting for
# serve's port, and one wrk run.

# Exits unless `command` is installed (from Debian's `package`).
need() {  # command package
  command -v "$1" >/dev/null || { echo "$(basename "$0"): needs $1 (apt-get install $2)" >&2; exit 1; }
}

# Sets $binary: GCR_BENCH_BINARY (another build, e.g. an older commit's, for a same-run comparison),
# else this checkout's release build, built first.
release_binary() {
  binary=${GCR_BENCH_BINARY:-.build/release/gcr-intake}
  [ -n "${GCR_BENCH_BINARY:-}" ] || swift build -c release --product gcr-intake >/dev/null 2>&1
}

# Sets $port from serve's log ("HTTP listening on HOST:PORT") and $ready_ms since $launched; exits if it never came.
wait_for_port() {  # log file
  port=""
  for _ in $(seq 2000); do
    port=$(grep -o 'HTTP listening on [0-9.]*:[0-9]*' "$1" 2>/dev/null | sed 's/.*://' | head -1 || true)
    [ -n "$port" ] && break
    sleep 0.005
  done
  ready_ms=$(( ($(date +%s%N) - launched) / 1000000 ))
  [ -n "$port" ] || { echo "$(basename "$0"): serve did not start" >&2; cat "$1" >&2; exit 1; }
}

# Prints "label req/s p50 p99 errors" on stderr and the req/s on stdout.
run() {  # label, wrk arguments...
  local label=$1; shift
  local out rps p50 p99 errors
  out=$(wrk -t$threads -c"$connections" -d"${seconds}s" --latency "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf '%-22s %10s req/s   p50 %-9s p99 %-9s %s\n' "$label" "$rps" "$p50" "$p99" "$errors" >&2
  echo "$rps"
}
