# Sourced by the A/B benches (proxy-ab.sh, h2-ab.sh): a work directory removed at exit with every process
# started (pids), and one nginx upstream pinned to CPU 0 answering a small fixed body.
# Usage: ab_setup UPSTREAM_PORT
ab_setup() {
  PATH="$PATH:/usr/sbin"
  work=$(mktemp -d); pids=()
  trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done; sleep 0.5; rm -rf $work' EXIT
  mkdir -p $work/up
  cat > $work/up/nginx.conf <<CONF
worker_processes 1; daemon off; pid $work/up/nginx.pid; error_log $work/up/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  server { listen 127.0.0.1:$1; location / { return 200 "hello from upstream\n"; } } }
CONF
  taskset -c 0 nginx -c $work/up/nginx.conf -p $work/up & pids+=($!)
}
