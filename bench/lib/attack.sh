# Sourced by the attack benches (zero-window.sh, idle-connections.sh): a work directory removed at exit
# with every process in $pids, four loopback ports checked free, and a self-signed certificate for
# localhost in $work/tls.crt and $work/tls.key. Usage: attack_setup NAME UP RG RGS ADMIN
attack_setup() {
  local name=$1; shift
  work=$(mktemp -d "/tmp/rollgate-$name.XXXXXX")
  pids=()
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"' EXIT
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "bench/$name.sh: port $port is in use" >&2; exit 1; fi
  done
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/tls.key" -out "$work/tls.crt" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1
  chmod a+rx "$work"   # nginx's worker reads what it serves from here
}
