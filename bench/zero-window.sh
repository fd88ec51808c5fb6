#!/usr/bin/env bash
# The HTTP/2 zero-window attack of issue 29 against Rollgate's proxy (TLS, HTTP/2 by ALPN), on loopback:
# h2load opens CONNS connections of STREAMS streams each, every stream asking for a 1 MB answer, and
# sets SETTINGS_INITIAL_WINDOW_SIZE to 0 (-w 0) without ever granting a window. Meanwhile a second client
# asks for a small page twice a second, over TLS and over plain HTTP. Printed: what that client got, whether
# the proxy process lived through it, and its largest resident size. The attack stops by itself after
# ATTACK seconds (default 40).
# Usage: [CONNS=24] [STREAMS=256] [ATTACK=40] [HEAP=512m] bench/zero-window.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
conns=${CONNS:-24}; streams=${STREAMS:-256}; attack=${ATTACK:-40}; heap=${HEAP:-512m}

"$root/scripts/ensure-packages.sh" nghttp2-client openssl curl nginx
PATH="$PATH:/usr/sbin"
UP=18180; RG=18181; RGS=18182; ADMIN=18189
. "$root/bench/lib/attack.sh"
attack_setup zero-window $UP $RG $RGS $ADMIN
mkdir -p "$work/www"; chmod a+rx "$work/www"
head -c 1048576 /dev/zero > "$work/www/big"
echo small > "$work/www/small"; chmod a+r "$work/www/"*
# The upstream: nginx serving the files, fast enough to answer every stream at once.
cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 16384; }
http { access_log off; server { listen 127.0.0.1:$UP; root $work/www; } }
CONF
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)

"$root/rollgate" --version >/dev/null  # builds the jar when needed
ROLLGATE_JAVA_OPTS="-Xmx$heap" "$root/rollgate" proxy --listen 127.0.0.1:$RG --listen-tls 127.0.0.1:$RGS \
  --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" --upstream 127.0.0.1:$UP --admin 127.0.0.1:$ADMIN >"$work/rollgate.log" 2>&1 &
pids+=($!); proxy=$!
for _ in $(seq 100); do curl -fsk "https://127.0.0.1:$RGS/small" >/dev/null 2>&1 && break; sleep 0.1; done
# The JVM is a child of the launcher's exec: the same pid.

timeout "$attack" h2load -c "$conns" -m "$streams" -n $((conns * streams)) -w 0 -W 16 "https://127.0.0.1:$RGS/big" \
  >"$work/h2load.log" 2>&1 & attacker=$!

ok=0; failed=0; max_rss=0; alive=yes
while kill -0 "$attacker" 2>/dev/null; do
  for url in "https://127.0.0.1:$RGS/small" "http://127.0.0.1:$RG/small"; do
    if [ "$(curl -sk -m 2 -o /dev/null -w '%{http_code}' "$url")" = 200 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
  done
  if kill -0 "$proxy" 2>/dev/null; then
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$proxy/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$max_rss" ] && max_rss=$rss
  else
    alive=no
  fi
  sleep 0.5
done
wait "$attacker" 2>/dev/null || true
kill -0 "$proxy" 2>/dev/null || alive=no
after=$(curl -sk -m 2 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$RGS/small" || true)

printf 'zero-window attack: %d connections x %d streams, 1 MB each, window 0, for %d s; proxy heap %s\n' "$conns" "$streams" "$attack" "$heap"
printf 'other clients (every 0.5 s, TLS and plain): %d answered 200, %d not\n' "$ok" "$failed"
printf 'proxy alive throughout: %s; largest RSS %d MB; after the attack: %s\n' "$alive" $((max_rss / 1024)) "${after:-none}"
printf 'h2load: %s\n' "$(grep -m1 '^requests:' "$work/h2load.log" || echo 'no summary (stopped by the time limit)')"
printf 'out-of-memory errors in its log: %d\n' "$(grep -c OutOfMemoryError "$work/rollgate.log" || true)"
