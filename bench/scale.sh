#!/usr/bin/env bash
# The daemon's cost as the host fills up (issue 30). For each N in the list: N services x 2
# replicas of busybox httpd (Debian's busybox-static: the lightest real HTTP replica), readiness
# every 1 s, liveness every 5 s, on a daemon and data plane of their own. Prints per N:
#   - the time from one `apply` of all N services to every replica Ready;
#   - once everything is idle: CPU (% of one core) and RSS of the daemon and of the data plane over
#     IDLE seconds, the probes a second that work needs, and the daemon's CPU per probe;
#   - SQLite writes a second (the daemon's rollgate_store_writes_total) and fsync calls a second
#     (strace of the daemon, counted after the CPU window so that strace does not weigh on it);
#   - kill -9 of the daemon, then `rollgate up`: the time until the new daemon has re-adopted every
#     replica and sees them all Ready (`up` returning, then `get` polled), and what `hey` (200
#     requests/s) saw on one service's port meanwhile.
# Usage: bench/scale.sh [N ...]          (default: 1 10 50 150; IDLE=20 seconds of idle sampling)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1 10 50 150)
idle=${IDLE:-20}
"$root/scripts/ensure-packages.sh" busybox-static hey strace
"$root/rollgate" --version >/dev/null   # builds the jar when needed
hz=$(getconf CLK_TCK)

state=""
rg() { "$root/rollgate" "$@" --state-dir "$state"; }
cleanup() { [ -n "$state" ] && { rg down >/dev/null 2>&1 || true; rm -rf "$state"; }; }
trap cleanup EXIT

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }                                  # utime + stime of the whole process
rss_mb() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
pid_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$1"; }
store_writes() {
  local port token
  port=$(sed -n 's/^port=//p' "$state/daemon.properties")
  token=$(cat "$state/token")
  curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" | awk '/^rollgate_store_writes_total / {print $2}'
}
# every service with both replicas Ready, as the daemon sees them
all_ready() {
  rg get -o json 2>/dev/null | python3 -c '
import json, sys
n = int(sys.argv[1])
try: services = json.load(sys.stdin)
except ValueError: sys.exit(1)
ready = sum(1 for s in services if s.get("status", {}).get("ready", 0) >= 2)
sys.exit(0 if len(services) == n and ready == n else 1)' "$1"
}
wait_ready() {  # N, timeout seconds -> prints seconds taken, or fails
  local start=$(date +%s.%N) deadline=$(( $(date +%s) + $2 ))
  until all_ready "$1"; do
    [ "$(date +%s)" -ge "$deadline" ] && { echo "timeout"; return 1; }
    sleep 0.2
  done
  echo "$(date +%s.%N) - $start" | bc
}

printf "%-8s %-8s %-8s %-12s %-10s %-12s %-10s %-10s %-12s %-10s %-10s %-12s %-10s %-8s\n" \
  services replicas probes/s "daemon CPU" "daemon RSS" "ms/probe" "plane CPU" "plane RSS" "writes/s" "fsyncs/s" \
  "apply s" "re-adopt s" "requests" failed
for n in "${counts[@]}"; do
  state=$(mktemp -d /tmp/rollgate-bench-scale.XXXXXX)
  mkdir -p "$state/www" && echo ok > "$state/www/index.html"
  base=$((10000 + RANDOM % 10000))   # below the ephemeral range (32768-), where the replicas' own ports are
  spec="$state/services.yaml"
  : > "$spec"
  for i in $(seq 1 "$n"); do
    cat >> "$spec" <<YAML
---
apiVersion: rollgate.dev/v1alpha1
kind: Rollout
metadata: {name: s$i}
spec:
  replicas: 2
  service: {port: $((base + i))}
  template:
    command: [busybox, httpd, -f, -p, '127.0.0.1:\$(PORT)', -h, '$state/www']
    readinessProbe: {httpGet: {path: /}, periodSeconds: 1}
    livenessProbe: {httpGet: {path: /}, periodSeconds: 5}
    terminationGracePeriodSeconds: 5
YAML
  done
  rg up >/dev/null
  begin=$(date +%s.%N)
  rg apply -f "$spec" >/dev/null
  applied=$(wait_ready "$n" 600)
  sleep 5   # the rollouts' last passes and events settle

  daemon=$(sed -n 's/^pid=//p' "$state/daemon.properties"); plane=$(pid_of "$state/dataplane.json")
  d0=$(ticks "$daemon"); p0=$(ticks "$plane"); w0=$(store_writes)
  sleep "$idle"
  d1=$(ticks "$daemon"); p1=$(ticks "$plane"); w1=$(store_writes)
  drss=$(rss_mb "$daemon"); prss=$(rss_mb "$plane")
  fsyncs=$( (timeout 10 strace -f -c -e trace=fsync,fdatasync -p "$daemon" 2>&1 >/dev/null || true) | awk '$NF ~ /^f(data)?sync$/ {s += $4} END {print s + 0}')
  probes=$(echo "2 * $n * (1 + 1 / 5)" | bc -l)
  dcpu=$(echo "100 * ($d1 - $d0) / $hz / $idle" | bc -l)
  pcpu=$(echo "100 * ($p1 - $p0) / $hz / $idle" | bc -l)
  msprobe=$(echo "1000 * ($d1 - $d0) / $hz / $idle / $probes" | bc -l)
  writes=$(echo "(${w1:-0} - ${w0:-0}) / $idle" | bc -l)

  # kill -9 of the daemon under load on one service; the next daemon re-adopts every replica
  heyout="$state/hey.txt"
  hey -z 10m -c 4 -q 50 "http://127.0.0.1:$((base + 1))/" > "$heyout" 2>&1 &   # 200 requests/s: load, not a second CPU hog
  heypid=$!
  sleep 1
  kill -9 "$daemon"
  while kill -0 "$daemon" 2>/dev/null; do sleep 0.05; done
  t0=$(date +%s.%N)
  rg up >/dev/null
  wait_ready "$n" 300 >/dev/null
  readopt_total=$(echo "$(date +%s.%N) - $t0" | bc)
  sleep 1
  kill -INT "$heypid"; wait "$heypid" || true
  requests=$(awk '/\[[0-9]+\][[:space:]]+[0-9]+ responses/ {s += $2} END {print s + 0}' "$heyout")
  failed=$(awk '/\[[0-9]+\][[:space:]]+[0-9]+ responses/ && $1 !~ /\[2/ {s += $2} END {print s + 0}' "$heyout")
  grep -q "Error distribution" "$heyout" && failed="$failed+socket errors"

  printf "%-8s %-8s %-8.0f %-12s %-10s %-12.3f %-10s %-10s %-12.2f %-10.1f %-10.1f %-12.1f %-10s %-8s\n" \
    "$n" "$((2 * n))" "$probes" "$(printf '%.1f %%' "$dcpu")" "$drss MB" "$msprobe" \
    "$(printf '%.1f %%' "$pcpu")" "$prss MB" "$writes" "$(echo "$fsyncs / 10" | bc -l)" "$applied" "$readopt_total" \
    "$requests" "$failed"
  rg down >/dev/null 2>&1 || true
  rm -rf "$state"; state=""
done
