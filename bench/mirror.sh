#!/usr/bin/env bash
# What mirroring costs the clients: two services of the demo service (2 stable replicas and a
# 1-replica canary each) paused at the same canary step, one with setMirrorRoute copying every GET
# to its canary, one without. Both get the same load at once (hey, 4 clients at RATE requests a
# second in all), after 20 s of warm-up, ROUNDS rounds of SECONDS each. Prints the clients' p50 /
# p99 for each (medians of the rounds) and the ratio mirrored / not mirrored (goal: p99 within
# 5 %), and the copies the mirrored one sent, dropped and paired.
# Usage: bench/mirror.sh [RATE] [SECONDS] [ROUNDS]      (defaults 200, 15, 3)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/daemon.sh"
rate=${1:-200}
seconds=${2:-15}
rounds=${3:-3}
daemon_setup mirror
"$root/scripts/ensure-packages.sh" hey
read -r mirrored_port plain_port < <(free_ports 2)

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
    command: $(demo_command "$3")
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
per_client=$(python3 -c "print(max(1, round($rate / 4)))")
# Warm both the same way before measuring (the replicas' JIT takes the first seconds of load).
hey -z 20s -c 4 -q "$per_client" "http://127.0.0.1:$mirrored_port/" >/dev/null &
hey -z 20s -c 4 -q "$per_client" "http://127.0.0.1:$plain_port/" >/dev/null
wait
for r in $(seq 1 "$rounds"); do
  hey -z "${seconds}s" -c 4 -q "$per_client" "http://127.0.0.1:$mirrored_port/" > "$state/mirrored-$r.txt" &
  hey -z "${seconds}s" -c 4 -q "$per_client" "http://127.0.0.1:$plain_port/" > "$state/plain-$r.txt"
  wait
done

python3 - "$state" "$rounds" "$rate" <<'PY'
import re, statistics, sys
d, rounds, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def read(name, r):
    text = open(f"{d}/{name}-{r}.txt").read()
    q = {k: float(v) * 1000 for k, v in re.findall(r"\s(\d+)%+ in ([0-9.]+) secs", text)}
    codes = {int(c): int(n) for c, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", text)}
    errors = sum(int(n) for n in re.findall(r"\[(\d+)\]\s+Get ", text))
    return q, sum(n for c, n in codes.items() if c // 100 != 2) + errors, sum(codes.values())
m = [read("mirrored", r) for r in range(1, rounds + 1)]
p = [read("plain", r) for r in range(1, rounds + 1)]
print(f"hey -c 4 at {rate} requests/s to each, median of {rounds} rounds")
print(f"{'':22}{'mirrored':>12}{'not mirrored':>14}{'ratio':>9}")
for k in ("50", "99"):
    a, b = statistics.median(x[0][k] for x in m), statistics.median(x[0][k] for x in p)
    print(f"{'clients p' + k + ' (ms)':22}{a:>12.2f}{b:>14.2f}{a / b:>9.2f}")
print(f"{'requests':22}{sum(x[2] for x in m):>12}{sum(x[2] for x in p):>14}")
print(f"{'non-2xx + errors':22}{sum(x[1] for x in m):>12}{sum(x[1] for x in p):>14}")
PY
admin /metrics | grep -E '^rollgate_proxy_mirror' | sed 's/^/  /'
