#!/usr/bin/env bash
# How fast the rollgate command answers: the median wall time of RUNS calls (default 15) of
# `rollgate --version`, `rollgate get` against a running daemon and `rollgate validate -f`,
# side by side with `kubectl version --client` on the same machine, and with a plain
# `java -jar` start (no start-up cache, every JIT tier) to show what the launcher's choices buy.
# Goal (issue 27): --version, get and validate within 2x kubectl's. Each everyday command starts from a
# start-up cache of its own that holds its everyday path, trained by its first (unmeasured) run after a
# build; `get -o json` (shown, no goal) reads JSON and starts from the cache the other commands share.
# Usage: bench/cli.sh            RUNS=31 bench/cli.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-15}
state=$(mktemp -d /tmp/rollgate-bench-cli.XXXXXX)
cleanup() { "$root/rollgate" down --state-dir "$state" >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT

"$root/rollgate" --version >/dev/null   # builds the jar and trains the start-up cache when needed
. "$root/scripts/jdk.sh"
jar="$root/rollgate-cli/target/rollgate.jar"
cat > "$state/bench.yaml" <<YAML
apiVersion: rollgate.dev/v1alpha1
kind: Rollout
metadata: {name: bench}
spec:
  replicas: 0
  template:
    version: v1
    command: [/bin/true]
YAML
"$root/rollgate" up --state-dir "$state" >/dev/null
"$root/rollgate" apply -f "$state/bench.yaml" --state-dir "$state" >/dev/null

# Median wall time in seconds of running "$@" $runs times (after one unmeasured run).
median() {
  "$@" >/dev/null 2>&1 || { echo "bench/cli.sh: '$*' failed" >&2; exit 1; }
  local times=() i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)] / 1e6}'
}

if command -v kubectl >/dev/null; then
  kubectl=$(median kubectl version --client)
else
  kubectl=""
fi
row() {  # name, seconds
  if [ -n "$kubectl" ]; then
    printf '%-46s %8s s %10s\n' "$1" "$2" "$(awk -v a="$2" -v b="$kubectl" 'BEGIN {printf "%.2fx", a / b}')"
  else
    printf '%-46s %8s s\n' "$1" "$2"
  fi
}

echo "rollgate CLI start-up, median of $runs runs; $(nproc) cores; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
printf '%-46s %10s %10s\n' "command" "median" "/ kubectl"
[ -n "$kubectl" ] && row "kubectl version --client" "$kubectl"
row "rollgate --version" "$(median "$root/rollgate" --version)"
row "rollgate get (daemon running)" "$(median "$root/rollgate" get --state-dir "$state")"
row "rollgate get -o json (the shared cache)" "$(median "$root/rollgate" get -o json --state-dir "$state")"
row "rollgate validate -f examples/specs/demo.yaml" "$(median "$root/rollgate" validate -f "$root/examples/specs/demo.yaml")"
echo "without the launcher's start-up choices (java -jar, no cache, every JIT tier):"
row "java -jar rollgate.jar --version" "$(median "$JAVA_HOME/bin/java" $ROLLGATE_JDK_FLAGS -jar "$jar" --version)"
row "java -jar rollgate.jar get" "$(median "$JAVA_HOME/bin/java" $ROLLGATE_JDK_FLAGS -jar "$jar" get --state-dir "$state")"
