#!/usr/bin/env bash
# The canary judge's error-rate test against two other ways of judging, on simulated traffic:
# false-abort rate for identical versions (0.1 % errors each) and how fast a canary with 5 %
# (and, sparse, 1 %) errors against a 0.1 % baseline is failed, at 10 % of the traffic, with the
# judge looking every 10 requests. Side by side: a z-test re-run at every look, and Kayenta's
# Mann-Whitney over per-interval error rates. Seeded: the same figures on every run.
# Usage: bench/judge.sh [RUNS]      (default 2000 runs per cell)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/rollgate" --version >/dev/null   # builds the jar when needed
. "$root/scripts/jdk.sh"
exec java -cp "$root/rollgate-cli/target/rollgate.jar" "$root/bench/JudgeBenchmark.java" "${1:-2000}"
