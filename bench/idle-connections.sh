#!/usr/bin/env bash
# Idle connections against Rollgate's front door (issue 29): an attacker on 127.0.0.2 keeps up to
# CONNS connections open to the TLS listener and says nothing on them (half HTTP/1.1 after the
# handshake, half HTTP/2 with the preface only), reopening each one the proxy closes. Meanwhile a
# client on 127.0.0.1 asks for a page twice a second, over TLS and plain HTTP. Printed: what that
# client got, how many idle connections the proxy held at most, and how long an idle one lived.
# Everything stops by itself after ATTACK seconds (default 30).
# Usage: [CONNS=10000] [ATTACK=30] bench/idle-connections.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
conns=${CONNS:-10000}; attack=${ATTACK:-30}

"$root/scripts/ensure-packages.sh" openssl curl nginx
PATH="$PATH:/usr/sbin"
ulimit -n "$(ulimit -Hn)"  # the attacker and the proxy each hold tens of thousands of sockets
UP=18280; RG=18281; RGS=18282; ADMIN=18289
. "$root/bench/lib/attack.sh"
attack_setup idle-connections $UP $RG $RGS $ADMIN
cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$UP; location / { return 200 "small\n"; } } }
CONF
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)

"$root/rollgate" --version >/dev/null  # builds the jar when needed
"$root/rollgate" proxy --listen 127.0.0.1:$RG --listen-tls 127.0.0.1:$RGS --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" \
  --upstream 127.0.0.1:$UP --admin 127.0.0.1:$ADMIN >"$work/rollgate.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -fsk "https://127.0.0.1:$RGS/" >/dev/null 2>&1 && break; sleep 0.1; done

cat > "$work/attacker.py" <<'PY'
import asyncio, ssl, sys, time
host, port, conns, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
stop = time.monotonic() + seconds
open_now = 0; most = 0; closed = 0; lifetimes = []; errors = {}
handshakes = None
def context(alpn):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
    c.set_alpn_protocols([alpn])
    return c
CONTEXTS = {False: context("http/1.1"), True: context("h2")}  # two contexts shared by all: making one reads the CA store
async def one(h2):
    global open_now, most, closed
    c = CONTEXTS[h2]
    while time.monotonic() < stop:
        try:
            async with handshakes:  # a few hundred handshakes at a time: the attacker's one core does them all
                if time.monotonic() >= stop: break
                r, w = await asyncio.wait_for(asyncio.open_connection(host, port, ssl=c, local_addr=("127.0.0.2", 0),
                                                                      server_hostname="localhost"), 10)
        except Exception as e:
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
            await asyncio.sleep(0.2); continue
        if h2:
            w.write(PREFACE)
        opened = time.monotonic(); open_now += 1; most = max(most, open_now)
        try:
            while time.monotonic() < stop:
                data = await asyncio.wait_for(r.read(65536), max(0.1, stop - time.monotonic()))
                if not data: break
        except Exception:
            pass
        open_now -= 1
        if time.monotonic() < stop:
            closed += 1; lifetimes.append(time.monotonic() - opened)
        w.close()
async def main():
    global handshakes
    handshakes = asyncio.Semaphore(64)
    try:
        await asyncio.wait_for(asyncio.gather(*(one(i % 2 == 1) for i in range(conns))), seconds + 15)
    except asyncio.TimeoutError:
        pass
asyncio.run(main())
print(errors, file=sys.stderr)
lifetimes.sort()
mid = lifetimes[len(lifetimes) // 2] if lifetimes else 0
print(f"{most} {closed} {mid:.1f}")
PY
python3 "$work/attacker.py" 127.0.0.1 $RGS "$conns" "$attack" > "$work/attacker.out" 2>"$work/attacker.err" & attacker=$!

ok=0; failed=0
while kill -0 "$attacker" 2>/dev/null; do
  for url in "https://127.0.0.1:$RGS/" "http://127.0.0.1:$RG/"; do
    if [ "$(curl -sk -m 2 -o /dev/null -w '%{http_code}' "$url")" = 200 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
  done
  sleep 0.5
done
read -r most closed median < "$work/attacker.out" || { cat "$work/attacker.err" >&2; exit 1; }
printf 'idle connections: up to %d from 127.0.0.2 (half TLS HTTP/1.1, half HTTP/2 preface only), reopened as closed, for %d s\n' "$conns" "$attack"
printf 'the proxy held at most %d of them at once; it closed %d, each after %.1f s (median)\n' "$most" "$closed" "$median"
printf 'the attacker'"'"'s failed opens: %s\n' "$(cat "$work/attacker.err")"
printf 'a client on 127.0.0.1 meanwhile (every 0.5 s, TLS and plain): %d answered 200, %d not\n' "$ok" "$failed"
