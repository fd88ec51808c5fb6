#!/usr/bin/env bash
# How much time the controller adds to a rolling update beyond what the probes allow.
# A 10-replica service (maxSurge 25%, maxUnavailable 0, minReadySeconds 1) of the demo service,
# whose replicas take STARTUP seconds to start, rolls from v1 to v2 on a daemon of its own. Prints
# the measured rollout time (RolloutStarted -> RolloutCompleted) against seed 002's formula
#   ceil(N / batch) x (T_startup + T_readiness + T_minReady)
# with T_startup and T_readiness measured per replica from its events (process start -> startup
# probe success -> Ready), so the ratio isolates what the controller itself adds. Goal: <= 1.05.
# Usage: bench/rollout-time.sh [STARTUP_SECONDS]      (default 2)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
startup=${1:-2}
state=$(mktemp -d /tmp/rollgate-bench-rollout.XXXXXX)
rg() { "$root/rollgate" "$@" --state-dir "$state"; }
cleanup() { rg down >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT

"$root/rollgate" --version >/dev/null   # builds the jar when needed
. "$root/scripts/jdk.sh"
jar="$root/rollgate-cli/target/rollgate.jar"
spec() {
  cat > "$state/bench-$1.yaml" <<YAML
apiVersion: rollgate.dev/v1alpha1
kind: Rollout
metadata: {name: bench}
spec:
  replicas: 10
  minReadySeconds: 1
  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}
  template:
    version: $1
    command: ['$JAVA_HOME/bin/java', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '$jar',
              dev.rollgate.demo.DemoService, --version, $1, --startup-delay, ${startup}s]
    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60}
    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1, timeoutSeconds: 5}
    terminationGracePeriodSeconds: 10
YAML
  echo "$state/bench-$1.yaml"
}

rg up >/dev/null
rg apply -f "$(spec v1)" >/dev/null
rg rollout status bench -w --timeout 180s >/dev/null
rg apply -f "$(spec v2)" >/dev/null
rg rollout status bench -w --timeout 300s | tail -1
rg events bench -o json --limit 100000 > "$state/events.json"

python3 - "$state/events.json" <<'PY'
import json, math, sys
from datetime import datetime
events = json.load(open(sys.argv[1]))
t = lambda e: datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()
start = next(t(e) for e in events if e["reason"] == "RolloutStarted" and "revision 2" in e["message"])
done = next(t(e) for e in events if e["reason"] == "RolloutCompleted" and "revision 2" in e["message"])
launched, started, ready = {}, {}, {}
for e in events:
    if t(e) < start: continue
    o, r, m = e["object"], e["reason"], e["message"]
    if r == "Started" and m.startswith("started pid"): launched[o] = t(e)
    elif r == "Started" and m.startswith("startup probe succeeded"): started[o] = t(e)
    elif r == "Ready" and o not in ready: ready[o] = t(e)
ids = [o for o in launched if o in started and o in ready]
ts = sum(started[o] - launched[o] for o in ids) / len(ids)
tr = sum(ready[o] - started[o] for o in ids) / len(ids)
n, batch, min_ready = 10, 3, 1
formula = math.ceil(n / batch) * (ts + tr + min_ready)
measured = done - start
print(f"replicas {n}, maxSurge 25% -> batch {batch}, rounds {math.ceil(n / batch)}")
print(f"T_startup {ts:.2f}s  T_readiness {tr:.2f}s  T_minReady {min_ready}s  (means over {len(ids)} new replicas)")
print(f"formula  {formula:.2f}s")
print(f"measured {measured:.2f}s")
print(f"measured / formula = {measured / formula:.3f}  (goal <= 1.05)")
PY
