#!/usr/bin/env bash
# A release that passes its canary and goes bad at full load, side by side with and without a bake.
# Two services of the demo service (2 replicas, errorMasking) on one daemon roll from v1 to a v2
# that answers 20 % of requests with 500 once a file exists. Both pass their canary (setWeight 50,
# pause 5s); the file is made AFTER seconds at 100 % (default 20). "baked" has a bake of 10m
# with the judge (errorRate against v1's frozen numbers, every second); "plain" has none. Each
# service gets `rollgate load -c 2` for the whole run.
# Prints, for each: what the clients saw (non-2xx, socket errors), whether v2 was taken back, the
# time from the file to the rollback event, and the flip: from that event to the last second in
# which the proxy's own per-second series shows v2 serving anything.
# Usage: bench/bake.sh [AFTER_SECONDS]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/daemon.sh"
after=${1:-20}
daemon_setup bake
read -r baked_port plain_port < <(free_ports 2)
bad="$state/v2-goes-bad"

spec() { # NAME PORT VERSION BAKE
  local extra=""
  [ "$2" = "$baked_port" ] && extra="      bake: {duration: 10m, analysis: {templates: [{templateName: errors}]}}"
  local args=()
  [ "$3" = v2 ] && args=(--error-rate 0.2 --errors-when "$bad")
  cat > "$state/$1-$3.yaml" <<YAML
apiVersion: rollgate.dev/v1alpha1
kind: Rollout
metadata: {name: $1}
spec:
  replicas: 2
  service: {port: $2, errorMasking: true}
  strategy:
    canary:
      scaleDownDelaySeconds: 5
      steps: [{setWeight: 50}, {pause: {duration: 5s}}]
$extra
  template:
    version: $3
    command: $(demo_command "$3" "${args[@]}")
    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
---
apiVersion: rollgate.dev/v1alpha1
kind: AnalysisTemplate
metadata: {name: errors}
spec:
  metrics:
  - name: errors-vs-previous
    interval: 1s
    provider: {judge: {metric: errorRate, alpha: 0.001}}
YAML
  echo "$state/$1-$3.yaml"
}

rg up >/dev/null
rg apply -f "$(spec baked "$baked_port" v1)" >/dev/null
rg apply -f "$(spec plain "$plain_port" v1)" >/dev/null
rg rollout status baked -w --timeout 120s >/dev/null
rg rollout status plain -w --timeout 120s >/dev/null

total=$((after + 75))
"$root/rollgate" load "http://127.0.0.1:$baked_port/" -c 2 -d "${total}s" -o json > "$state/baked-load.json" &
"$root/rollgate" load "http://127.0.0.1:$plain_port/" -c 2 -d "${total}s" -o json > "$state/plain-load.json" &
sleep 3
rg apply -f "$(spec baked "$baked_port" v2)" >/dev/null
rg apply -f "$(spec plain "$plain_port" v2)" >/dev/null
rg rollout status baked -w --timeout 120s >/dev/null
rg rollout status plain -w --timeout 120s >/dev/null
sleep "$after"
touch "$bad"
python3 -c 'import time; print(time.time())' > "$state/bad-at"
wait

for s in baked plain; do
  admin "/v1/services/$s/metrics?seconds=300" > "$state/$s-series.json"
  rg events "$s" -o json --limit 100000 > "$state/$s-events.json"
  rg get "$s" -o json > "$state/$s-view.json"
done

python3 - "$state" <<'PY'
import json, sys
from datetime import datetime
d = sys.argv[1]
bad_at = float(open(d + "/bad-at").read())
t = lambda e: datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()
print(f"{'':26}{'baked':>14}{'plain':>14}")
rows = {}
for s in ("baked", "plain"):
    load = json.load(open(f"{d}/{s}-load.json"))
    events = json.load(open(f"{d}/{s}-events.json"))
    view = json.load(open(f"{d}/{s}-view.json"))
    series = json.load(open(f"{d}/{s}-series.json"))
    back = next((t(e) for e in events if e["reason"] == "BakeRolledBack"), None)
    v2 = next((h for h, l in series["revisions"].items() if l.get("version") == "v2"), None)
    last_v2 = max((p[0] for p in series["points"].get(v2, []) if p[1] > 0), default=None)
    rows.setdefault("requests", []).append(str(load["requests"]))
    rows.setdefault("non-2xx seen by clients", []).append(str(load["non2xx"]))
    rows.setdefault("socket errors", []).append(str(load["socketErrors"]))
    rows.setdefault("version serving at the end", []).append(view["status"]["version"])
    rows.setdefault("phase at the end", []).append(view["phase"])
    rows.setdefault("bad -> rolled back (s)", []).append("-" if back is None else f"{back - bad_at:.1f}")
    rows.setdefault("flip: event -> last v2 second", []).append("-" if back is None or last_v2 is None
                                                               else f"{max(0.0, last_v2 + 1 - back):.1f} s")
for k, v in rows.items():
    print(f"{k:26}{v[0]:>14}{v[1]:>14}")
PY
