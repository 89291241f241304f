#!/usr/bin/env bash
# MIME decoding alone: `gcr-intake mail read --summary` (libetpan, release build) against Python's `email`
# package on the same COUNT files in the same run (Benchmarks/make_mails.py: UTF-8, quoted-printable
# ISO-8859-1 + HTML, base64 windows-1256 Arabic). Both read every file, decode headers and the text part
# to a string. Prints mails/s for each and the ratio.
#   Benchmarks/mime_decode.sh [COUNT=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
count=${1:-10000}
release_binary
work=$(mktemp -d /tmp/gcr-mime-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/make_mails.py "$count" "$work/mails" --files
ours=$("$binary" mail read --mime-only "$work/mails" | tail -1)
full=$("$binary" mail read --summary "$work/mails" | tail -1)
theirs=$(python3 - "$work/mails" <<'PY'
import email, email.policy, os, sys, time
folder = sys.argv[1]
files = sorted(os.listdir(folder))
started = time.perf_counter()
for name in files:
    with open(os.path.join(folder, name), "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    _ = str(message["From"]), str(message["Subject"])
    body = message.get_body(preferencelist=("plain", "html"))
    _ = body.get_content() if body is not None else ""
seconds = time.perf_counter() - started
print(f"read {len(files)} mails in {seconds:.3f} s: {len(files) / seconds:.0f} mails/s")
PY
)
echo "$count mails, $(nproc) cores"
echo "gcr-intake mail read --mime-only (libetpan): $ours"
echo "gcr-intake mail read --summary (and the ingest's reading: quotes, HTML, auto-reply checks, digests): $full"
echo "python3 email (policy.default): $theirs"
awk -v a="$(sed -E 's/.*: ([0-9]+) mails\/s/\1/' <<<"$ours")" -v b="$(sed -E 's/.*: ([0-9]+) mails\/s/\1/' <<<"$theirs")" \
  'BEGIN { printf "gcr-intake / python: x%.1f\n", a / b }'
