#!/usr/bin/env bash
# What mirroring costs the clients: two services of the demo service (2 stable replicas and a
# 1-replica canary each) paused at the same canary step, one with setMirrorRoute copying every GET
# to its canary, one without. Both get the same open-loop load at once (`rollgate load -r RATE
# -c 8`, timed from when each request was due), ROUNDS rounds of SECONDS each. Prints the clients'
# p50 / p99 for each and the ratio mirrored / not mirrored (goal: p99 within 5 %), and the copies
# the mirrored one sent and dropped.
# Usage: bench/mirror.sh [RATE] [SECONDS] [ROUNDS]      (defaults 300, 15, 3)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rate=${1:-300}
seconds=${2:-15}
rounds=${3:-3}
state=$(mktemp -d /tmp/rollgate-bench-mirror.XXXXXX)
rg() { "$root/rollgate" "$@" --state-dir "$state"; }
cleanup() { rg down >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT

"$root/rollgate" --version >/dev/null   # builds the jar when needed
. "$root/scripts/jdk.sh"
jar="$root/rollgate-cli/target/rollgate.jar"
read -r mirrored_port plain_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')

spec() { # NAME PORT VERSION
  local mirror=""
  [ "$1" = mirrored ] && mirror=", {setMirrorRoute: {name: shadow, percentage: 100}}"
  cat > "$state/$1-$3.yaml" <<YAML
apiVersion: rollgate.dev/v1alpha1
kind: Rollout
metadata: {name: $1}
spec:
  replicas: 2
  service: {port: $2}
  strategy:
    canary:
      steps: [{setCanaryScale: {replicas: 1}}$mirror, {pause: {}}]
  template:
    version: $3
    command: ['$JAVA_HOME/bin/java', -XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '$jar', dev.rollgate.demo.DemoService, --version, $3]
    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
YAML
  echo "$state/$1-$3.yaml"
}

rg up >/dev/null
for s in mirrored plain; do
  port=$mirrored_port; [ "$s" = plain ] && port=$plain_port
  rg apply -f "$(spec "$s" "$port" v1)" >/dev/null
  rg rollout status "$s" -w --timeout 120s >/dev/null
  rg apply -f "$(spec "$s" "$port" v2)" >/dev/null
done
for s in mirrored plain; do
  until [ "$(rg get "$s" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["phase"])')" = Paused ]; do sleep 1; done
done
# Warm both the same way before measuring.
"$root/rollgate" load "http://127.0.0.1:$mirrored_port/" -r "$rate" -c 8 -d 10s >/dev/null &
"$root/rollgate" load "http://127.0.0.1:$plain_port/" -r "$rate" -c 8 -d 10s >/dev/null
wait
for r in $(seq 1 "$rounds"); do
  "$root/rollgate" load "http://127.0.0.1:$mirrored_port/" -r "$rate" -c 8 -d "${seconds}s" -o json > "$state/mirrored-$r.json" &
  "$root/rollgate" load "http://127.0.0.1:$plain_port/" -r "$rate" -c 8 -d "${seconds}s" -o json > "$state/plain-$r.json"
  wait
done
token=$(cat "$state/token")
addr=127.0.0.1:$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$state/daemon.json")

python3 - "$state" "$rounds" "$rate" <<'PY'
import json, statistics, sys
d, rounds, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def runs(name):
    return [json.load(open(f"{d}/{name}-{r}.json")) for r in range(1, rounds + 1)]
m, p = runs("mirrored"), runs("plain")
med = lambda rs, k: statistics.median(r["latencyMillis"][k] for r in rs)
print(f"open loop, {rate} requests/s to each, median of {rounds} rounds")
print(f"{'':22}{'mirrored':>12}{'not mirrored':>14}{'ratio':>9}")
for k in ("p50", "p99"):
    a, b = med(m, k), med(p, k)
    print(f"{'clients ' + k + ' (ms)':22}{a:>12.2f}{b:>14.2f}{a / b:>9.2f}")
print(f"{'non-2xx + socket':22}{sum(r['non2xx'] + r['socketErrors'] for r in m):>12}{sum(r['non2xx'] + r['socketErrors'] for r in p):>14}")
PY
curl -s -H "Authorization: Bearer $token" "http://$addr/metrics" | grep -E '^rollgate_proxy_mirror' | sed 's/^/  /'
