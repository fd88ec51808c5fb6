#!/usr/bin/env bash
# Two builds of Rollgate's proxy (or one build under two JVM option sets) side by side: the same wrk load, interleaved
# round by round, each proxy pinned to CPU 1 and wrk and one nginx upstream to CPU 0, as bench/proxy.sh pins them.
# Prints each round's requests/s, p99, p99.9 and CPU per request (from /proc) for A and B: a change's cost, measured
# against its parent without the noise of two separate runs. DIR_A and DIR_B are checkouts (each built by its launcher).
# Usage: [OPTS_A=...] [OPTS_B=...] bench/proxy-ab.sh ROUNDS DIR_A DIR_B
#   e.g. git worktree add /tmp/parent HEAD~1 && bench/proxy-ab.sh 5 /tmp/parent .
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/ensure-packages.sh" wrk nginx
rounds=${1:-5}; A=$(cd "$2" && pwd); B=$(cd "$3" && pwd)
UP=19080; PA=19081; PB=19082
. "$root/bench/lib/ab.sh"; ab_setup $UP
start() { ROLLGATE_JAVA_OPTS="$3" taskset -c 1 "$1/rollgate" proxy --listen 127.0.0.1:$2 --upstream 127.0.0.1:$UP --threads 1 >$work/$2.log 2>&1 & pids+=($!); echo $!; }
start $A $PA "${OPTS_A:--XX:+UseParallelGC -Xms256m -Xmx256m}" >/dev/null; start $B $PB "${OPTS_B:--XX:+UseParallelGC -Xms256m -Xmx256m}" >/dev/null
echo "done = function(s, l, r) io.write(string.format(\"p99.9 %d\\n\", l:percentile(99.9))) end" > $work/p.lua
for port in $UP $PA $PB; do for _ in $(seq 600); do curl -fs http://127.0.0.1:$port/ >/dev/null && break; sleep 0.2; done; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
listener() { ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }   # the JVM that listens (the launcher may still be training)
ja=$(listener $PA); jb=$(listener $PB)
for port in $PA $PB $PA $PB; do taskset -c 0 wrk -t2 -c64 -d10s http://127.0.0.1:$port/ >/dev/null; done
for ((i=0;i<rounds;i++)); do
  for side in A B; do
    if [ $side = A ]; then port=$PA; pid=$ja; else port=$PB; pid=$jb; fi
    c0=$(cpu $pid)
    out=$(taskset -c 0 wrk -t2 -c64 -d10s --latency -s $work/p.lua http://127.0.0.1:$port/)
    c1=$(cpu $pid)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '/ 99%/ {print $2}')
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    p999=$(echo "$out" | awk '$1=="p99.9" {printf "%.2fms", $2/1000}')
    echo "$side round $i rps $rps p99 $p99 p99.9 $p999 cpu_us_per_req $(echo "($c1-$c0)*10000/$n" | bc -l | cut -c1-6)"
  done
done
