#!/usr/bin/env bash
# IMAP ingest against mbsync on the same mailbox in the same run. A Dovecot of its own (scripts/mail-servers,
# on other ports) holds COUNT first-contact mails (UTF-8, quoted-printable ISO-8859-1 + HTML, base64
# windows-1256 Arabic; Benchmarks/make_mails.py), its index warmed. Then:
#   - mbsync (isync, Debian) copies the mailbox to a fresh local Maildir (the baseline);
#   - `serve` (release build, no SMTP: replies stay queued) ingests it: every mail decoded, run through the
#     engine, its reply queued, committed (synchronous=FULL), then flagged \Seen on the server.
# The serve time runs from its launch until the last mail is committed.
#   Benchmarks/imap_ingest.sh [COUNT=10000] [BATCH=200]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
batch=${2:-200}
source Benchmarks/lib.sh
need mbsync isync
release_binary
work=$(mktemp -d /tmp/gcr-imap-bench.XXXXXX)
chmod 755 "$work"  # postfix and dovecot run as their own users
mail=$work/mail-servers
export IMAP_PORT=${BENCH_IMAP_PORT:-1153} LMTP_PORT=${BENCH_LMTP_PORT:-2434} SMTP_PORT=${BENCH_SMTP_PORT:-2535}
pid=""
perf_pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  if [ -n "$perf_pid" ]; then wait "$perf_pid" 2>/dev/null || true; fi
  if [ -n "${GCR_BENCH_KEEP_LOG:-}" ] && [ -f "$work/serve.log" ]; then cp "$work/serve.log" "$GCR_BENCH_KEEP_LOG"; fi
  scripts/mail-servers stop "$mail" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
scripts/mail-servers start "$mail" >/dev/null
box=$mail/mail/example.org/other
python3 Benchmarks/make_mails.py "$count" "$box"
chown -R vmail:vmail "$mail/mail"
doveadm -c "$mail/dovecot/dovecot.conf" index -u other@example.org INBOX
doveadm -c "$mail/dovecot/dovecot.conf" search -u other@example.org mailbox INBOX all >/dev/null  # the index, warm

cat > "$work/mbsyncrc" <<RC
IMAPAccount bench
Host 127.0.0.1
Port $IMAP_PORT
User other@example.org
Pass secret
SSLType None
AuthMechs LOGIN

IMAPStore far
Account bench

MaildirStore near
Path $work/near/
Inbox $work/near/INBOX

Channel bench
Far :far:
Near :near:
Patterns INBOX
Create Near
Sync Pull
SyncState *
RC
mkdir -p "$work/near"
start=$(date +%s.%N)
mbsync -q -c "$work/mbsyncrc" bench 2>&1 | grep -v "sent in the clear" >&2 || true
mbsync_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
copied=$(find "$work/near/INBOX/cur" "$work/near/INBOX/new" -type f | wc -l)

start=$(date +%s.%N)
# With GCR_BENCH_PERF=FILE, serve runs under `perf record` (a profile of the whole ingest, for
# `perf report -i FILE`): perf follows the threads serve starts only when it starts serve itself.
launcher=()
[ -z "${GCR_BENCH_PERF:-}" ] || launcher=(perf record -e cpu-clock ${GCR_BENCH_PERF_CG:--g} -o "$GCR_BENCH_PERF" --)
GCR_INTAKE_DB="$work/bench.sqlite" GCR_INTAKE_HTTP_PORT=0 GCR_INTAKE_LOG_LEVEL=warning \
GCR_INTAKE_IMAP_URL="imap://127.0.0.1:$IMAP_PORT" GCR_INTAKE_IMAP_USER=other@example.org GCR_INTAKE_IMAP_PASSWORD=secret \
GCR_INTAKE_IMAP_BATCH="$batch" GCR_INTAKE_MAIL_FROM=other@example.org GCR_INTAKE_OUTBOX_CEILING=1000000 \
  "${launcher[@]}" "$binary" serve > "$work/serve.log" 2>&1 &
pid=$!
if [ -n "${GCR_BENCH_PERF:-}" ]; then
  perf_pid=$pid
  for _ in $(seq 100); do pid=$(pgrep -P "$perf_pid" | head -1) && [ -n "$pid" ] && break; sleep 0.01; done
fi
done_count=$(python3 - "$work/bench.sqlite" "$count" "$pid" <<'PY'
import os, sqlite3, sys, time
path, want = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 600
serve = int(sys.argv[3])
n = 0
while time.time() < deadline:
    if os.path.exists(path):
        try:
            n = sqlite3.connect(path, timeout=1).execute("SELECT COUNT(*) FROM inbound").fetchone()[0]
        except sqlite3.Error:
            n = 0
        if n >= want:
            break
    time.sleep(0.05)
    if not os.path.exists(f"/proc/{serve}"):
        break
print(n)
PY
)
serve_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status 2>/dev/null || echo "?")
[ -e /proc/$pid ] || { echo "imap_ingest.sh: serve stopped; its log:" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
replies=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM outbox').fetchone()[0])" "$work/bench.sqlite")
echo "$count mails, 127.0.0.1 Dovecot (index warm), $(nproc) cores, SQLite WAL synchronous=FULL, IMAP batch $batch"
printf 'mbsync (copy to Maildir)     %6.2f s   %6.0f mails/s   (%s copied)\n' "$mbsync_s" "$(awk -v n="$copied" -v s="$mbsync_s" 'BEGIN { print n / s }')" "$copied"
printf 'gcr-intake serve (ingest)    %6.2f s   %6.0f mails/s   (%s committed, %s replies queued, peak RSS %s MB)\n' \
  "$serve_s" "$(awk -v n="$done_count" -v s="$serve_s" 'BEGIN { print n / s }')" "$done_count" "$replies" "$rss"
awk -v s="$serve_s" -v m="$mbsync_s" 'BEGIN { printf "serve / mbsync: x%.2f of the time\n", s / m }'
