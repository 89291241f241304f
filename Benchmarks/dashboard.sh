#!/usr/bin/env bash
# The pledge registry at the size of two forums: 5,000 pledges imported with `gcr-intake pledges import`
# (CSV), then 20,000 approved, publishable updates linked to them; `/dashboard` is then rendered by
# `serve` and timed against `/healthz` on the same server in the same run (wrk, 1 connection so each
# figure is one page's latency, then 8 connections for throughput).
#   Benchmarks/dashboard.sh [PLEDGES=5000] [UPDATES=20000] [SECONDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
pledges=${1:-5000}
updates=${2:-20000}
seconds=${3:-5}
source Benchmarks/lib.sh
need wrk wrk
need sqlite3 sqlite3
release_binary
work=$(mktemp -d /tmp/gcr-dash.XXXXXX)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
pid=""
python3 - "$pledges" > "$work/registry.csv" <<'PY'
import csv, random, sys
random.seed(7)
n = int(sys.argv[1])
areas = ["education", "jobs_livelihoods", "energy_infrastructure", "health", "protection_capacity", "solutions", "climate_action", "statelessness"]
types = ["state", "ngo", "private_sector", "un_agency", "academia", "refugee_led_org", "local_authority", "faith_based"]
countries = ["KE", "UG", "TD", "CM", "JO", "LB", "TR", "CO", "PE", "BD", "PK", "ET", "SD", "SS", "DE", "FR", "ES", "global"]
stages = ["planned", "in_progress", "fulfilled"]
words = "solar schools jobs youth women health clinics water training teachers refugees hosts energy cash housing legal aid".split()
out = csv.writer(sys.stdout)
out.writerow(["id", "title", "entity", "entity_type", "partners", "countries", "areas", "forum", "stage", "contacts", "description"])
for i in range(n):
    title = " ".join(random.sample(words, 4)).capitalize() + f" {i}"
    partners = "; ".join(f"Partner {random.randint(1, 300)}" for _ in range(random.randint(1, 3))) if random.random() < 0.1 else ""
    out.writerow([f"GRF-{i:05d}", title, f"Entity {random.randint(1, 900)}", random.choice(types), partners,
                  "; ".join(random.sample(countries, random.randint(1, 3))), "; ".join(random.sample(areas, random.randint(1, 2))),
                  random.choice(["grf_2019", "grf_2023"]), random.choice(stages), f"contact{i}@example.org", f"What pledge {i} does, in a sentence or two."])
PY
export GCR_INTAKE_DB="$work/bench.sqlite"
start=$(date +%s%N)
"$binary" pledges import "$work/registry.csv" > /dev/null
import_ms=$(( ($(date +%s%N) - start) / 1000000 ))
# 20,000 approved updates with consent to publish, spread over two years, each linked to a pledge.
sqlite3 "$work/bench.sqlite" <<SQL
PRAGMA synchronous = OFF;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $updates)
INSERT INTO submission (reference, kind, answers, channel, language, status, submitted_at, updated_at, pledge_id)
SELECT printf('GCR-UP-%06d', i), 'pledge_update',
       json_object('pledge_reference', printf('GRF-%05d', i % $pledges), 'status', CASE i % 3 WHEN 0 THEN 'planned' WHEN 1 THEN 'in_progress' ELSE 'fulfilled' END,
                   'progress', 'Progress reported on the pledge this quarter.', 'consent_publish', 'yes'),
       'email', 'en', 'approved', datetime('now', printf('-%d days', i % 730)), datetime('now'), (SELECT id FROM pledge WHERE external_id = printf('GRF-%05d', i % $pledges))
FROM n;
UPDATE pledge SET last_update_at = (SELECT MAX(submitted_at) FROM submission WHERE pledge_id = pledge.id);
SQL
launched=$(date +%s%N)
GCR_INTAKE_HTTP_PORT=0 GCR_INTAKE_LOG_LEVEL=info "$binary" serve > "$work/serve.log" 2>&1 &
pid=$!
wait_for_port "$work/serve.log"
curl -sf "http://127.0.0.1:$port/dashboard?lang=en" -o "$work/page.html"
grep -q 'id="total-pledges">'"$pledges"'<' "$work/page.html" || { echo "dashboard.sh: the page does not show $pledges pledges" >&2; exit 1; }
grep -q 'id="total-updates">'"$updates"'<' "$work/page.html" || { echo "dashboard.sh: the page does not show $updates updates" >&2; exit 1; }
measure() {  # label path connections
  local out
  out=$(wrk -t1 -c"$3" -d"${seconds}s" --latency "http://127.0.0.1:$port$2")
  local rps p50 p99 mean
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  mean=$(echo "$out" | awk '/Latency/ && !/Distribution/ {print $2; exit}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  printf '%-28s c=%-2s %9s req/s  mean %-8s p50 %-8s p99 %s\n' "$1" "$3" "$rps" "$mean" "$p50" "$p99"
  echo "$rps"
}
echo "registry: $pledges pledges imported in ${import_ms} ms; $updates approved updates; page $(wc -c < "$work/page.html") bytes"
dash1=$(measure "/dashboard (en)" "/dashboard?lang=en" 1 | tee /dev/stderr | tail -1)
health1=$(measure "/healthz" "/healthz" 1 | tee /dev/stderr | tail -1)
dash8=$(measure "/dashboard (ar)" "/dashboard?lang=ar" 8 | tee /dev/stderr | tail -1)
pledge1=$(measure "/dashboard/pledges/GRF-00042" "/dashboard/pledges/GRF-00042" 1 | tee /dev/stderr | tail -1)
python3 -c "import sys; d, h = float(sys.argv[1]), float(sys.argv[2]); print(f'/dashboard at 1 connection: x{d / h:.4f} of /healthz ({1000 / d:.1f} ms a page)')" "$dash1" "$health1"
