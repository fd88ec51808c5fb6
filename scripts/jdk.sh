# Sourced by ./rollgate and ./test: sets JAVA_HOME to a JDK 21+ and puts it first on PATH.
# JAVA_HOME wins when it is new enough; otherwise the newest JDK under /usr/lib/jvm.

rollgate_java_major() {  # prints the feature version of the java binary $1, or 0
  # The JDK's release file says it without starting a JVM (about 40 ms each); ask java itself only without one.
  local release version
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$release")
    case "$version" in
      1.*) version=${version#1.} ;;
    esac
    version=${version%%.*}
    if [ -n "$version" ]; then echo "$version"; return; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}

rollgate_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] &&
     [ "$(rollgate_java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return 0
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    [ -x "$dir/bin/javac" ] || continue
    [ -L "$dir" ] && continue
    major=$(rollgate_java_major "$dir/bin/java")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$dir best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "rollgate: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
    echo "rollgate: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

rollgate_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
ROLLGATE_JAVA_MAJOR=$(rollgate_java_major "$JAVA_HOME/bin/java")
# JDK 24+ restricts sun.misc.Unsafe memory access and native access. Maven's Guava warns without
# the first; Netty (Rollgate's proxy) falls back to slower buffer access without it, and loads its
# native epoll transport with the second.
ROLLGATE_JDK_FLAGS=""
if [ "$ROLLGATE_JAVA_MAJOR" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  ROLLGATE_JDK_FLAGS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
fi
