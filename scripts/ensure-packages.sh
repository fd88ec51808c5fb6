#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing (tests and benchmarks
# use real servers and tools: hey, wrk, haproxy, nginx, prometheus). Needs root and the Debian mirror.
# Usage: scripts/ensure-packages.sh hey wrk ...
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${missing[*]} from Debian packages..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
