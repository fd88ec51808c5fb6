# Sourced by the benches that run a daemon of their own (bake.sh, mirror.sh, quiet-judge.sh):
# builds the jar when needed, finds the JDK, and gives a state directory removed at exit with its
# daemon stopped, `rg` (rollgate against it), `free_ports N`, `admin GET-PATH` (the admin API with
# the token) and `demo_command VERSION [ARG...]` (the demo service as a template's command).
# Usage: daemon_setup NAME
daemon_setup() {
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  state=$(mktemp -d "/tmp/rollgate-bench-$1.XXXXXX")
  trap 'rg down >/dev/null 2>&1 || true; jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$state"' EXIT
  "$root/rollgate" --version >/dev/null   # builds the jar when needed
  . "$root/scripts/jdk.sh"
  jar="$root/rollgate-cli/target/rollgate.jar"
}

rg() { "$root/rollgate" "$@" --state-dir "$state"; }

free_ports() {
  python3 -c 'import socket, sys
s = [socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])' "$1"
}

admin() {
  local port
  port=$(sed -n 's/^port=//p' "$state/daemon.properties")
  curl -s -H "Authorization: Bearer $(cat "$state/token")" "http://127.0.0.1:$port$1"
}

demo_command() {
  local version=$1; shift
  local extra=""
  for a in "$@"; do extra="$extra, '$a'"; done
  echo "['$JAVA_HOME/bin/java', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '$jar', dev.rollgate.demo.DemoService, --version, $version$extra]"
}
