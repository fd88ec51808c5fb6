#!/usr/bin/env bash
# Proxy throughput and latency, side by side in one run: wrk against one fast upstream directly,
# through Rollgate, through HAProxy and through nginx (same keep-alive, same concurrency). Each
# proxy does the same job per request: it adds the request headers Rollgate adds (X-Forwarded-For,
# X-Forwarded-Proto, X-Forwarded-Host and a random X-Request-Id).
# Usage: bench/proxy.sh [DURATION_SECONDS] [CONNECTIONS]     (defaults: 10 64)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-10}
conns=${2:-64}
threads=2

"$root/scripts/ensure-packages.sh" wrk haproxy nginx
PATH="$PATH:/usr/sbin"

work=$(mktemp -d /tmp/rollgate-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT

UP=18080; RG=18081; HA=18082; NG=18083; ADMIN=18089

# The upstream: nginx answering a small fixed body, one worker (the proxies get the other core).
mkdir -p "$work/up" "$work/ng"
cat > "$work/up/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/up/nginx.pid; error_log $work/up/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  server { listen 127.0.0.1:$UP; location / { return 200 "hello from upstream\n"; } } }
CONF
nginx -c "$work/up/nginx.conf" -p "$work/up" & pids+=($!)

cat > "$work/ng/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/ng/nginx.pid; error_log $work/ng/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  upstream up { server 127.0.0.1:$UP; keepalive 128; keepalive_requests 1000000; }
  server { listen 127.0.0.1:$NG;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host; proxy_set_header X-Request-Id \$request_id; } } }
CONF
nginx -c "$work/ng/nginx.conf" -p "$work/ng" & pids+=($!)

cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  http-reuse always
frontend fe
  bind 127.0.0.1:$HA
  option forwardfor
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request set-header X-Request-Id %[uuid]
  default_backend be
backend be
  server up 127.0.0.1:$UP maxconn 1000
CONF
haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & pids+=($!)

"$root/rollgate" --version >/dev/null  # builds the jar when needed
# Through the launcher, as a user runs it; a fixed heap so that GC sizing does not vary between runs.
ROLLGATE_JAVA_OPTS=${ROLLGATE_BENCH_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx256m} "$root/rollgate" \
  proxy --listen 127.0.0.1:$RG --upstream 127.0.0.1:$UP --admin 127.0.0.1:$ADMIN --threads 1 >"$work/rollgate.log" 2>&1 & pids+=($!)

for port in $UP $RG $HA $NG; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
done
# Warm-up: the JIT for Rollgate, connection pools for everyone.
for port in $RG $HA $NG; do wrk -t$threads -c$conns -d5s "http://127.0.0.1:$port/" >/dev/null; done

# Rounds interleave the targets so that a noisy neighbour hits all of them alike; the median round counts.
rounds=${ROUNDS:-3}
declare -A rps p50 p99 errs
run() {  # name port -> appends one round's figures
  local out; out=$(wrk -t$threads -c$conns -d"${duration}s" --latency "http://127.0.0.1:$2/")
  rps[$1]+="$(awk '/Requests\/sec/ {print $2}' <<<"$out") "
  p50[$1]+="$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")") "
  p99[$1]+="$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")") "
  errs[$1]+="$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')"
}
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v } else if (v ~ /s$/) { sub(/s$/, "", v); print v*1000 } else print v }'; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for r in $(seq "$rounds"); do
  run direct $UP; run rollgate $RG; run haproxy $HA; run nginx $NG
done

printf '\nwrk -t%d -c%d -d%ss x %d interleaved rounds (median), keep-alive, one upstream (nginx, 1 worker);\neach proxy with 1 thread/worker; %s cores shared by everything\n\n' \
  $threads $conns "$duration" "$rounds" "$(nproc)"
printf '%-10s %12s %10s %10s  %s\n' target "req/s" "p50 ms" "p99 ms" "errors"
declare -A mrps mp50 mp99
for t in direct rollgate haproxy nginx; do
  mrps[$t]=$(median "${rps[$t]}"); mp50[$t]=$(median "${p50[$t]}"); mp99[$t]=$(median "${p99[$t]}")
  printf '%-10s %12s %10s %10s  %s\n' $t "${mrps[$t]}" "${mp50[$t]}" "${mp99[$t]}" "${errs[$t]:-none}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a/b }'; }
echo
echo "Rollgate/HAProxy throughput $(ratio "${mrps[rollgate]}" "${mrps[haproxy]}")x  p99 $(ratio "${mp99[rollgate]}" "${mp99[haproxy]}")x   (goal: >= 1.00x, <= 1.20x)"
echo "Rollgate/nginx   throughput $(ratio "${mrps[rollgate]}" "${mrps[nginx]}")x  p99 $(ratio "${mp99[rollgate]}" "${mp99[nginx]}")x"
curl -fs "http://127.0.0.1:$ADMIN/stats?revision=static&window=30" | sed 's/^/rollgate own view (last 30 s): /' || true
