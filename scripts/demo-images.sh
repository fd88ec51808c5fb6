#!/usr/bin/env bash
# Builds the container demo's images without a network and pushes them to REGISTRY (over plain HTTP:
# it is on loopback). Each is a root filesystem of Debian's static busybox serving files and one CGI with
# 'busybox httpd' on $PORT (8080), made with 'podman import':
#   demo-web:v1        ready after 1 s
#   demo-web:v2        ready after 3 s (slow starts)
#   demo-web:v3        never ready (/health/ready is missing)
#   demo-web:v4        5 % of /cgi-bin/hello answers are 500
#   demo-web:stubborn  ignores SIGTERM (killed at the end of its grace period)
# Usage: scripts/demo-images.sh REGISTRY [TAG...]   (default: every tag); prints "TAG DIGEST" per image.
set -euo pipefail
registry=${1:?usage: demo-images.sh REGISTRY [TAG...]}
shift
tags=("$@")
[ ${#tags[@]} -gt 0 ] || tags=(v1 v2 v3 v4 stubborn)
busybox=/bin/busybox   # Debian's busybox-static: one binary that needs no library in the image
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' \
  || { echo "demo-images.sh: busybox-static is not installed (scripts/registry.sh start installs it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for tag in "${tags[@]}"; do
  root="$work/$tag"
  mkdir -p "$root/bin" "$root/www/health" "$root/www/cgi-bin" "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  delay=1; fail=0; ready=yes; trap_term=""
  case "$tag" in
    v1) ;;
    v2) delay=3 ;;
    v3) ready=no ;;
    v4) fail=5 ;;
    stubborn) trap_term="trap '' TERM; " ;;
    *) echo "demo-images.sh: unknown tag $tag (v1 v2 v3 v4 stubborn)" >&2; exit 2 ;;
  esac
  echo ok >"$root/www/health/started"
  echo ok >"$root/www/health/live"
  [ "$ready" = yes ] && echo ok >"$root/www/health/ready"
  cat >"$root/www/cgi-bin/hello" <<CGI
#!/bin/sh
if [ $fail -gt 0 ] && [ \$((RANDOM % 100)) -lt $fail ]; then
  printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nfailed\n'
else
  printf 'Content-Type: text/plain\r\n\r\nhello from $tag\n'
fi
CGI
  chmod 0755 "$root/www/cgi-bin/hello"
  echo "demo-web $tag" >"$root/www/index.html"
  entry="${trap_term}echo demo-web $tag starting; sleep $delay; echo demo-web $tag serving on port \${PORT:-8080}; exec /bin/busybox httpd -f -p \${PORT:-8080} -h /www"
  tar -C "$root" -cf "$work/$tag.tar" .
  podman import --quiet --change "ENTRYPOINT [\"/bin/sh\", \"-c\", \"$entry\"]" --change "EXPOSE 8080" \
    "$work/$tag.tar" "$registry/demo-web:$tag" >/dev/null
  podman push --quiet --tls-verify=false "$registry/demo-web:$tag" >/dev/null
  echo "$tag $(skopeo inspect --no-tags --tls-verify=false --format '{{.Digest}}' "docker://$registry/demo-web:$tag")"
done
