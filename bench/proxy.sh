#!/usr/bin/env bash
# Proxy throughput and latency, side by side in one run: wrk against one fast upstream directly,
# through Rollgate, through HAProxy and through nginx (same keep-alive, same concurrency). Each
# proxy does the same job per request: it adds the request headers Rollgate adds (X-Forwarded-For,
# X-Forwarded-Proto, X-Forwarded-Host and a random X-Request-Id). Besides requests/s and latency it
# prints each proxy's CPU time per request (user + system, from /proc), the figure least moved by
# a noisy machine.
# TRANSPORT=epoll (or nio) runs Rollgate on that transport instead of its default (io_uring where allowed).
# Then HTTPS with the same certificate (ECDSA P-256) on all three: HTTP/1.1 with wrk and HTTP/2 with
# h2load (TLS_ROUNDS rounds, 3 by default; TLS_ROUNDS=0 skips them). Then gRPC: h2c both ways, h2load posting unary
# calls to an nginx that answers each with an empty message (GRPC_ROUNDS rounds, 3 by default; 0 skips them).
# Latency: p50, p99 and p99.9.
# Usage: [ROUNDS=5] [TLS_ROUNDS=3] [GRPC_ROUNDS=3] [PIN=1] [TRANSPORT=auto] bench/proxy.sh [DURATION_SECONDS] [CONNECTIONS]     (defaults: 10 64)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-10}
conns=${2:-64}
threads=2

"$root/scripts/ensure-packages.sh" wrk haproxy nginx nghttp2-client openssl
PATH="$PATH:/usr/sbin"

work=$(mktemp -d /tmp/rollgate-bench.XXXXXX)
pids=()
cleanup() {  # SIGTERM, then SIGKILL for anything that has not stopped within 5 s
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 10); do alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done; [ $alive = 0 ] && break; sleep 0.5; done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The proxies share one core (the last); wrk and the upstream get the others, so that the proxy under test,
# not the load generator or the scheduler's mixing of four busy processes, sets the pace. PIN=0 turns it off.
cores=$(nproc)
if [ "${PIN:-1}" != 0 ] && [ "$cores" -ge 2 ]; then
  proxy_cpu=$((cores - 1)); load_cpus="0-$((cores - 2))"
  on_proxy_cpu=(taskset -c "$proxy_cpu"); on_load_cpus=(taskset -c "$load_cpus")
  layout="proxies pinned to CPU $proxy_cpu, wrk and the upstream to CPU $load_cpus"
else
  on_proxy_cpu=(); on_load_cpus=(); layout="$cores cores shared by everything"
fi

UP=18080; RG=18081; HA=18082; NG=18083; ADMIN=18089; RGS=18091; HAS=18092; NGS=18093; GUP=18084; RGG=18085; HAG=18086; NGG=18087
for port in $UP $RG $HA $NG $ADMIN $RGS $HAS $NGS $GUP $RGG $HAG $NGG; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench/proxy.sh: port $port is already in use (an earlier run still going?); stop it and try again" >&2
    exit 1
  fi
done

# One certificate for the three proxies' HTTPS listeners.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/tls.key" -out "$work/tls.crt" -days 2 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1
cat "$work/tls.crt" "$work/tls.key" > "$work/tls.pem"

# The upstream: nginx answering a small fixed body, one worker (the proxies get the other core).
mkdir -p "$work/up" "$work/ng"
cat > "$work/up/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/up/nginx.pid; error_log $work/up/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  server { listen 127.0.0.1:$UP; location / { return 200 "hello from upstream\n"; } }
  server { listen 127.0.0.1:$GUP http2; root $work/up; http2_max_concurrent_streams 1000;
    location / { error_page 405 =200 /ok.grpc; return 405; }
    location = /ok.grpc { default_type application/grpc; add_trailer grpc-status 0 always; } } }
CONF
# An empty gRPC message (not compressed, length 0): the answer to every call, and the request h2load sends.
printf '\0\0\0\0\0' > "$work/up/ok.grpc"; cp "$work/up/ok.grpc" "$work/call.grpc"
chmod o+x "$work"; chmod o+rx "$work/up"   # nginx's worker (nobody) reads that file; mktemp made the directory its owner's only
# wrk reports up to p99; this prints p99.9 too (in microseconds).
cat > "$work/p999.lua" <<'LUA'
done = function(summary, latency, requests) io.write(string.format("p99.9 %d\n", latency:percentile(99.9))) end
LUA
"${on_load_cpus[@]}" nginx -c "$work/up/nginx.conf" -p "$work/up" & pids+=($!); upstream_pid=$!

cat > "$work/ng/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/ng/nginx.pid; error_log $work/ng/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  upstream up { server 127.0.0.1:$UP; keepalive 128; keepalive_requests 1000000; }
  server { listen 127.0.0.1:$NG; listen 127.0.0.1:$NGS ssl http2;
    ssl_certificate $work/tls.crt; ssl_certificate_key $work/tls.key; ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host; proxy_set_header X-Request-Id \$request_id; } }
  upstream grpcup { server 127.0.0.1:$GUP; keepalive 128; }
  server { listen 127.0.0.1:$NGG http2; location / { grpc_pass grpc://grpcup; } } }
CONF
"${on_proxy_cpu[@]}" nginx -c "$work/ng/nginx.conf" -p "$work/ng" & pids+=($!); nginx_pid=$!

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
  bind 127.0.0.1:$HAS ssl crt $work/tls.pem alpn h2,http/1.1
  option forwardfor
  http-request set-header X-Forwarded-Proto %[ssl_fc,iif(https,http)]
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request set-header X-Request-Id %[uuid]
  default_backend be
backend be
  server up 127.0.0.1:$UP maxconn 1000
frontend fe_grpc
  bind 127.0.0.1:$HAG proto h2
  default_backend be_grpc
backend be_grpc
  server g 127.0.0.1:$GUP proto h2
CONF
"${on_proxy_cpu[@]}" haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & pids+=($!); haproxy_pid=$!

"$root/rollgate" --version >/dev/null  # builds the jar when needed
# Through the launcher, as a user runs it; a fixed heap so that GC sizing does not vary between runs.
ROLLGATE_JAVA_OPTS=${ROLLGATE_BENCH_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx256m} "${on_proxy_cpu[@]}" "$root/rollgate" \
  proxy --listen 127.0.0.1:$RG --listen-tls 127.0.0.1:$RGS --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" \
  --upstream 127.0.0.1:$UP --admin 127.0.0.1:$ADMIN --threads 1 --transport "${TRANSPORT:-auto}" >"$work/rollgate.log" 2>&1 & pids+=($!); rollgate_pid=$!

for port in $UP $RG $HA $NG; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/" >/dev/null || { echo "bench/proxy.sh: nothing answers on port $port" >&2; cat "$work/rollgate.log" >&2; exit 1; }
done
# Warm-up: connection pools for everyone, and for Rollgate the JIT. Its compiler threads run on the proxies'
# core and take seconds of CPU in the first ~20 s of load; measuring before they go quiet measures the JIT.
compiler_ticks() {
  local total=0 t
  for t in /proc/"$1"/task/*; do
    grep -q 'Compiler' "$t/comm" 2>/dev/null && total=$((total + $(awk '{print $14 + $15}' "$t/stat")))
  done
  echo $total
}
warm=0
while :; do
  before=$(compiler_ticks "$rollgate_pid")
  "${on_load_cpus[@]}" wrk -t$threads -c$conns -d5s "http://127.0.0.1:$RG/" >/dev/null
  warm=$((warm + 5))
  # quiet: the compilers used under 1 % of the 5 s (clock ticks are 1/100 s)
  [ $(( $(compiler_ticks "$rollgate_pid") - before )) -lt 5 ] || [ $warm -ge 60 ] && break
done
echo "Rollgate warmed up for ${warm} s of load (until its JIT compilers went quiet, at most 60 s)"
for port in $HA $NG; do "${on_load_cpus[@]}" wrk -t$threads -c$conns -d5s "http://127.0.0.1:$port/" >/dev/null; done

# Rounds interleave the targets so that a noisy neighbour hits all of them alike; the median round counts.
rounds=${ROUNDS:-5}
declare -A rps p50 p99 p999 errs cpu
declare -A pid_of=([direct]=$upstream_pid [rollgate]=$rollgate_pid [haproxy]=$haproxy_pid [nginx]=$nginx_pid)
ticks() {  # CPU time (user + system, in clock ticks) of a process and its children (nginx's worker)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo $total
}
hz=$(getconf CLK_TCK)
run() {  # name port -> appends one round's figures
  local before out after requests
  before=$(ticks "${pid_of[$1]}")
  out=$("${on_load_cpus[@]}" wrk -t$threads -c$conns -d"${duration}s" --latency -s "$work/p999.lua" "http://127.0.0.1:$2/")
  after=$(ticks "${pid_of[$1]}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu[$1]+="$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }') "
  rps[$1]+="$(awk '/Requests\/sec/ {print $2}' <<<"$out") "
  p50[$1]+="$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")") "
  p99[$1]+="$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")") "
  p999[$1]+="$(awk '$1=="p99.9" {printf "%.2f", $2 / 1000}' <<<"$out") "
  errs[$1]+="$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')"
}
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v } else if (v ~ /s$/) { sub(/s$/, "", v); print v*1000 } else print v }'; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for r in $(seq "$rounds"); do
  run direct $UP; run rollgate $RG; run haproxy $HA; run nginx $NG
done

printf '\nwrk -t%d -c%d -d%ss x %d interleaved rounds (median), keep-alive, one upstream (nginx, 1 worker);\neach proxy with 1 thread/worker; %s; %s\n\n' \
  $threads $conns "$duration" "$rounds" "$layout" "$(grep -o 'upstream(s) ([a-z_]*)' "$work/rollgate.log" | sed 's/upstream(s) (\(.*\))/Rollgate on \1/')"
printf '%-10s %12s %10s %10s %10s %14s  %s\n' target "req/s" "p50 ms" "p99 ms" "p99.9 ms" "CPU us/req" "errors"
declare -A mrps mp50 mp99 mp999 mcpu
for t in direct rollgate haproxy nginx; do
  mrps[$t]=$(median "${rps[$t]}"); mp50[$t]=$(median "${p50[$t]}"); mp99[$t]=$(median "${p99[$t]}"); mp999[$t]=$(median "${p999[$t]}")
  mcpu[$t]=$(median "${cpu[$t]}")
  printf '%-10s %12s %10s %10s %10s %14s  %s\n' $t "${mrps[$t]}" "${mp50[$t]}" "${mp99[$t]}" "${mp999[$t]}" "${mcpu[$t]}" "${errs[$t]:-none}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a/b }'; }
echo
for other in haproxy nginx; do
  printf 'Rollgate/%-8s throughput %sx  p99 %sx  p99.9 %sx  CPU per request %sx   (goal: throughput >= 1.00x, p99 <= 1.00x)\n' "$other" \
    "$(ratio "${mrps[rollgate]}" "${mrps[$other]}")" "$(ratio "${mp99[rollgate]}" "${mp99[$other]}")" \
    "$(ratio "${mp999[rollgate]}" "${mp999[$other]}")" "$(ratio "${mcpu[rollgate]}" "${mcpu[$other]}")"
done
per_round() {  # metric a b -> the ratio a/b in each round
  local -a x y; read -ra x <<<"$2"; read -ra y <<<"$3"
  for i in "${!x[@]}"; do ratio "${x[$i]}" "${y[$i]}"; printf ' '; done
}
echo "Rollgate/HAProxy per round: throughput $(per_round rps "${rps[rollgate]}" "${rps[haproxy]}")  p99 $(per_round p99 "${p99[rollgate]}" "${p99[haproxy]}")"
curl -fs "http://127.0.0.1:$ADMIN/stats?revision=static&window=30" | sed 's/^/rollgate own view (last 30 s): /' || true

# ---- HTTPS: HTTP/1.1 (wrk) and HTTP/2 (h2load, 10 streams per connection), same certificate everywhere ----
# p50, p99 and p99.9 in ms of an h2load --log-file (its third column: microseconds until the end of the response)
percentiles() {
  cut -f3 "$1" | sort -n | awk '{a[NR]=$1} END { if (NR == 0) { print "- - -"; exit }
    printf "%.2f %.2f %.2f", a[int(NR*0.50)+1]/1000, a[int(NR*0.99)+1]/1000, a[(int(NR*0.999)+1 > NR ? NR : int(NR*0.999)+1)]/1000 }'
}
tls_rounds=${TLS_ROUNDS:-3}
if [ "$tls_rounds" -gt 0 ]; then
for port in $RGS $HAS $NGS; do
  curl -fsk "https://127.0.0.1:$port/" >/dev/null || { echo "bench/proxy.sh: no HTTPS on port $port" >&2; exit 1; }
  "${on_load_cpus[@]}" wrk -t$threads -c$conns -d5s "https://127.0.0.1:$port/" >/dev/null   # warm-up, TLS code paths and the JIT
  "${on_load_cpus[@]}" h2load -t$threads -c$conns -m10 -D5 "https://127.0.0.1:$port/" >/dev/null
done
declare -A trps tp50 tp99 tp999 tcpu hrps hp50 hp99 hp999 hcpu
run_tls() {  # name port
  local before after out requests
  before=$(ticks "${pid_of[$1]}")
  out=$("${on_load_cpus[@]}" wrk -t$threads -c$conns -d"${duration}s" --latency -s "$work/p999.lua" "https://127.0.0.1:$2/")
  after=$(ticks "${pid_of[$1]}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  tcpu[$1]+="$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }') "
  trps[$1]+="$(awk '/Requests\/sec/ {print $2}' <<<"$out") "
  tp50[$1]+="$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")") "
  tp99[$1]+="$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")") "
  tp999[$1]+="$(awk '$1=="p99.9" {printf "%.2f", $2 / 1000}' <<<"$out") "
  errs[$1-tls]+="$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')"
  before=$(ticks "${pid_of[$1]}")
  out=$("${on_load_cpus[@]}" h2load -t$threads -c$conns -m10 -D"$duration" --log-file="$work/h2.log" "https://127.0.0.1:$2/")
  after=$(ticks "${pid_of[$1]}")
  requests=$(awk '/^requests:/ {print $8}' <<<"$out")   # succeeded
  hcpu[$1]+="$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }') "
  hrps[$1]+="$(awk '/^finished in/ {print $4}' <<<"$out") "
  read -r q50 q99 q999 <<<"$(percentiles "$work/h2.log")"; rm -f "$work/h2.log"
  hp50[$1]+="$q50 "; hp99[$1]+="$q99 "; hp999[$1]+="$q999 "
  errs[$1-h2]+="$(awk '/^status codes:/ && $5+$7+$9 > 0 {print "h2 non-2xx " $5+$7+$9} /^requests:/ && ($10 > 0 || $12 > 0) {print "h2 failed " $10 " errored " $12}' <<<"$out" | tr '\n' ' ')"
}
for r in $(seq "$tls_rounds"); do
  run_tls rollgate $RGS; run_tls haproxy $HAS; run_tls nginx $NGS
done
printf '\nHTTPS (TLS 1.3, ECDSA P-256), %d interleaved rounds (median): HTTP/1.1 by wrk -c%d; HTTP/2 by h2load -c%d -m10 (10 streams per connection)\n\n' \
  "$tls_rounds" $conns $conns
printf '%-10s %10s %8s %8s %9s %9s   %10s %8s %8s %9s %9s  %s\n' target "h1 req/s" "h1 p50" "h1 p99" "h1 p99.9" "h1 us/req" \
  "h2 req/s" "h2 p50" "h2 p99" "h2 p99.9" "h2 us/req" "errors"
declare -A m1 m1m m1p m1q m1c m2 m2m m2p m2q m2c
for t in rollgate haproxy nginx; do
  m1[$t]=$(median "${trps[$t]}"); m1m[$t]=$(median "${tp50[$t]}"); m1p[$t]=$(median "${tp99[$t]}"); m1q[$t]=$(median "${tp999[$t]}")
  m1c[$t]=$(median "${tcpu[$t]}")
  m2[$t]=$(median "${hrps[$t]}"); m2m[$t]=$(median "${hp50[$t]}"); m2p[$t]=$(median "${hp99[$t]}"); m2q[$t]=$(median "${hp999[$t]}")
  m2c[$t]=$(median "${hcpu[$t]}")
  printf '%-10s %10s %8s %8s %9s %9s   %10s %8s %8s %9s %9s  %s\n' $t "${m1[$t]}" "${m1m[$t]}" "${m1p[$t]}" "${m1q[$t]}" "${m1c[$t]}" \
    "${m2[$t]}" "${m2m[$t]}" "${m2p[$t]}" "${m2q[$t]}" "${m2c[$t]}" "${errs[$t-tls]:-}${errs[$t-h2]:-}"
done
echo
for other in haproxy nginx; do
  printf 'Rollgate/%-8s HTTPS/1.1 throughput %sx  p99 %sx  p99.9 %sx  CPU per request %sx   HTTP/2 throughput %sx  p99 %sx  p99.9 %sx  CPU per request %sx\n' \
    "$other" "$(ratio "${m1[rollgate]}" "${m1[$other]}")" "$(ratio "${m1p[rollgate]}" "${m1p[$other]}")" "$(ratio "${m1q[rollgate]}" "${m1q[$other]}")" \
    "$(ratio "${m1c[rollgate]}" "${m1c[$other]}")" \
    "$(ratio "${m2[rollgate]}" "${m2[$other]}")" "$(ratio "${m2p[rollgate]}" "${m2p[$other]}")" "$(ratio "${m2q[rollgate]}" "${m2q[$other]}")" \
    "$(ratio "${m2c[rollgate]}" "${m2c[$other]}")"
done
fi

# ---- gRPC: unary calls over h2c, client to proxy and proxy to upstream (nginx answering each with an empty message) ----
grpc_rounds=${GRPC_ROUNDS:-3}
[ "$grpc_rounds" -gt 0 ] || exit 0
ROLLGATE_JAVA_OPTS=${ROLLGATE_BENCH_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx256m} "${on_proxy_cpu[@]}" "$root/rollgate" \
  proxy --listen 127.0.0.1:$RGG --upstream 127.0.0.1:$GUP --upstream-protocol h2c --threads 1 --transport "${TRANSPORT:-auto}" \
  >"$work/rollgate-grpc.log" 2>&1 & pids+=($!); pid_of[rollgate-grpc]=$!
grpc_load() {  # port duration-seconds [log-file]
  "${on_load_cpus[@]}" h2load -t$threads -c$conns -m10 -D"$2" -d "$work/call.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    ${3:+--log-file="$3"} "http://127.0.0.1:$1/rollgate.test.Echo/Say"
}
for _ in $(seq 100); do grpc_load $RGG 1 2>/dev/null | grep -q '^status codes: [1-9]' && break; sleep 0.2; done
for port in $RGG $HAG $NGG; do grpc_load $port 5 >/dev/null; done   # warm-up: connections, the JIT
for port in $RGG; do grpc_load $port 15 >/dev/null; done
declare -A grps gp50 gp99 gp999 gcpu
pid_of[haproxy-grpc]=$haproxy_pid; pid_of[nginx-grpc]=$nginx_pid
run_grpc() {  # name port
  local before after out requests
  before=$(ticks "${pid_of[$1]}")
  out=$(grpc_load "$2" "$duration" "$work/grpc.log")
  after=$(ticks "${pid_of[$1]}")
  requests=$(awk '/^requests:/ {print $8}' <<<"$out")
  gcpu[$1]+="$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }') "
  grps[$1]+="$(awk '/^finished in/ {print $4}' <<<"$out") "
  read -r q50 q99 q999 <<<"$(percentiles "$work/grpc.log")"; rm -f "$work/grpc.log"
  gp50[$1]+="$q50 "; gp99[$1]+="$q99 "; gp999[$1]+="$q999 "
  errs[$1]+="$(awk '/^status codes:/ && $5+$7+$9 > 0 {print "non-2xx " $5+$7+$9} /^requests:/ && ($10 > 0 || $12 > 0) {print "failed " $10 " errored " $12}' <<<"$out" | tr '\n' ' ')"
}
for r in $(seq "$grpc_rounds"); do
  run_grpc rollgate-grpc $RGG; run_grpc haproxy-grpc $HAG; run_grpc nginx-grpc $NGG
done
printf '\ngRPC (unary calls, h2c both ways), %d interleaved rounds (median): h2load -c%d -m10 -d (an empty message) to each proxy\n\n' \
  "$grpc_rounds" $conns
printf '%-10s %12s %10s %10s %10s %14s  %s\n' target "calls/s" "p50 ms" "p99 ms" "p99.9 ms" "CPU us/call" "errors"
declare -A g1 g50 g99 g999 gc
for t in rollgate haproxy nginx; do
  g1[$t]=$(median "${grps[$t-grpc]}"); g50[$t]=$(median "${gp50[$t-grpc]}"); g99[$t]=$(median "${gp99[$t-grpc]}")
  g999[$t]=$(median "${gp999[$t-grpc]}"); gc[$t]=$(median "${gcpu[$t-grpc]}")
  printf '%-10s %12s %10s %10s %10s %14s  %s\n' $t "${g1[$t]}" "${g50[$t]}" "${g99[$t]}" "${g999[$t]}" "${gc[$t]}" "${errs[$t-grpc]:-none}"
done
echo
for other in haproxy nginx; do
  printf 'Rollgate/%-8s gRPC throughput %sx  p99 %sx  p99.9 %sx  CPU per call %sx\n' "$other" "$(ratio "${g1[rollgate]}" "${g1[$other]}")" \
    "$(ratio "${g99[rollgate]}" "${g99[$other]}")" "$(ratio "${g999[rollgate]}" "${g999[$other]}")" "$(ratio "${gc[rollgate]}" "${gc[$other]}")"
done
