#!/usr/bin/env bash
# bench/proxy-ab.sh for HTTP/2: two builds of Rollgate's TLS listener side by side under h2load (TLS 1.3, 64 connections,
# 10 streams each), interleaved round by round, pinned as bench/proxy.sh pins them; requests/s, p99 and CPU per request.
# Usage: [OPTS_A=...] [OPTS_B=...] bench/h2-ab.sh ROUNDS DIR_A DIR_B
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/ensure-packages.sh" nginx nghttp2-client openssl
rounds=${1:-4}; A=$(cd "$2" && pwd); B=$(cd "$3" && pwd)
UP=19180; PA=19181; PB=19182; SA=19183; SB=19184
. "$root/bench/lib/ab.sh"; ab_setup $UP
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $work/tls.key -out $work/tls.crt -days 2 -subj /CN=localhost >/dev/null 2>&1
start() { ROLLGATE_JAVA_OPTS="$4" taskset -c 1 "$1/rollgate" proxy --listen 127.0.0.1:$2 --listen-tls 127.0.0.1:$3 --tls-cert $work/tls.crt --tls-key $work/tls.key --upstream 127.0.0.1:$UP --threads 1 >$work/$2.log 2>&1 & pids+=($!); }
start $A $PA $SA "${OPTS_A:--XX:+UseParallelGC -Xms256m -Xmx256m}"; start $B $PB $SB "${OPTS_B:--XX:+UseParallelGC -Xms256m -Xmx256m}"
for port in $PA $PB; do for _ in $(seq 600); do curl -fs http://127.0.0.1:$port/ >/dev/null && break; sleep 0.2; done; done
listener() { ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }   # the JVM that listens (the launcher may still be training)
ja=$(listener $PA); jb=$(listener $PB)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
for port in $SA $SB $SA $SB; do taskset -c 0 h2load -t2 -c64 -m10 -D8 https://127.0.0.1:$port/ >/dev/null; done
for ((i=0;i<rounds;i++)); do
  for side in A B; do
    if [ $side = A ]; then port=$SA; pid=$ja; else port=$SB; pid=$jb; fi
    c0=$(cpu $pid)
    out=$(taskset -c 0 h2load -t2 -c64 -m10 -D10 --log-file=$work/log https://127.0.0.1:$port/)
    c1=$(cpu $pid)
    rps=$(awk '/^finished in/ {print $4}' <<<"$out"); n=$(awk '/^requests:/ {print $8}' <<<"$out")
    p99=$(cut -f3 $work/log | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int(NR*0.99)+1]/1000}'); rm -f $work/log
    echo "$side round $i rps $rps p99ms $p99 cpu_us_per_req $(echo "($c1-$c0)*10000/$n" | bc -l | cut -c1-6)"
  done
done
