#!/usr/bin/env bash
# The judge's time to a decision on a quiet service, with and without Rollgate's own load.
# Two services of the demo service (1 replica) get 1 request a second each from `rollgate load`.
# Each rolls to a v2 that answers 30 % of requests with 500, through setWeight 50 and an analysis
# step with the judge (errorRate, every second). "driven" adds a load metric to the same analysis
# (RATE requests a second to each revision, default 20); "users-only" judges on the users'
# requests alone. Prints the time from the rollout's start to its abort for each, side by side.
# Usage: bench/quiet-judge.sh [RATE] [TIMEOUT_SECONDS]      (defaults 20, 600)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/daemon.sh"
rate=${1:-20}
timeout=${2:-600}
daemon_setup quiet
read -r driven_port users_port < <(free_ports 2)

spec() { # NAME PORT VERSION
  local load=""
  [ "$1" = driven ] && load="  - name: load
    provider: {load: {rate: $rate, duration: ${timeout}s}}"
  local args=()
  [ "$3" = v2 ] && args=(--error-rate 0.3)
  cat > "$state/$1-$3.yaml" <<YAML
apiVersion: rollgate.dev/v1alpha1
kind: Rollout
metadata: {name: $1}
spec:
  replicas: 1
  service: {port: $2}
  strategy:
    canary:
      steps: [{setWeight: 50}, {analysis: {templates: [{templateName: errors}]}}]
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
  - name: errors-vs-stable
    interval: 1s
    provider: {judge: {metric: errorRate, alpha: 0.01}}
$load
YAML
  echo "$state/$1-$3.yaml"
}

rg up >/dev/null
for s in driven users-only; do
  port=$driven_port; [ "$s" = users-only ] && port=$users_port
  rg apply -f "$(spec "$s" "$port" v1)" >/dev/null
done
rg rollout status driven -w --timeout 120s >/dev/null
rg rollout status users-only -w --timeout 120s >/dev/null
"$root/rollgate" load "http://127.0.0.1:$driven_port/" -c 1 -r 1 -d "$((timeout + 60))s" >/dev/null &
"$root/rollgate" load "http://127.0.0.1:$users_port/" -c 1 -r 1 -d "$((timeout + 60))s" >/dev/null &
rg apply -f "$(spec driven "$driven_port" v2)" >/dev/null
rg apply -f "$(spec users-only "$users_port" v2)" >/dev/null
end=$((SECONDS + timeout))
while [ $SECONDS -lt $end ]; do
  a=$(rg get driven -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["phase"])')
  b=$(rg get users-only -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["phase"])')
  [ "$a" = Aborted ] && [ "$b" = Aborted ] && break
  sleep 2
done
for s in driven users-only; do rg events "$s" -o json --limit 100000 > "$state/$s-events.json"; done

python3 - "$state" "$rate" "$timeout" <<'PY'
import json, sys
from datetime import datetime
d, rate, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = lambda e: datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()
out = []
for s in ("driven", "users-only"):
    events = json.load(open(f"{d}/{s}-events.json"))
    start = [t(e) for e in events if e["reason"] == "RolloutStarted"][-1]
    abort = next((t(e) for e in events if e["reason"] == "RolloutAborted" and t(e) >= start), None)
    out.append("not decided in %d s" % timeout if abort is None else "%.0f s" % (abort - start))
print(f"{'users at 1 request/s':32}{'+ load metric (' + rate + '/s)':>24}{'users only':>22}")
print(f"{'rollout start -> aborted':32}{out[0]:>24}{out[1]:>22}")
PY
