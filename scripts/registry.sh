#!/usr/bin/env bash
# A throwaway OCI registry from Debian's docker-registry package (the CNCF distribution registry), for
# tests and the container demo: loopback only, no authentication, nothing outside DIR. Installs what
# container replicas need when it is missing (podman with runc, skopeo, the registry, busybox-static).
#   scripts/registry.sh start DIR PORT   # serve DIR/data on 127.0.0.1:PORT; prints 127.0.0.1:PORT
#   scripts/registry.sh stop DIR         # stop it (the images stay in DIR)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:?usage: registry.sh start DIR PORT | stop DIR}
dir=${2:?usage: registry.sh start DIR PORT | stop DIR}
case "$cmd" in
  start)
    port=${3:?usage: registry.sh start DIR PORT}
    "$here/ensure-packages.sh" podman runc skopeo docker-registry busybox-static >&2
    mkdir -p "$dir/data"
    cat >"$dir/config.yml" <<CONFIG
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $dir/data}
  delete: {enabled: true}
http: {addr: "127.0.0.1:$port"}
CONFIG
    setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
    echo $! >"$dir/registry.pid"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null; then echo "127.0.0.1:$port"; exit 0; fi
      kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "registry.sh: the registry did not answer on 127.0.0.1:$port" >&2
    cat "$dir/registry.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$dir/registry.pid" ] && kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
    rm -f "$dir/registry.pid"
    ;;
  *) echo "usage: registry.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
