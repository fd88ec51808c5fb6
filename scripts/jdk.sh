# Sourced by ./rollgate and ./test: sets JAVA_HOME to a JDK 21+ and puts it first on PATH.
# JAVA_HOME wins when it is new enough; otherwise the newest JDK under /usr/lib/jvm.

# The launcher sources this on every command, so the common path starts no program and no subshell:
# each function leaves its answer in REPLY.

rollgate_release_value() {  # REPLY = the value of key $2 in a JDK's release file $1 (empty if none)
  local line
  REPLY=""
  while IFS= read -r line; do
    case "$line" in
      "$2="*) line=${line#"$2="}; REPLY=${line//\"/}; return ;;
    esac
  done < "$1"
}

rollgate_java_major() {  # REPLY = the feature version of the java binary $1, or 0
  # The JDK's release file says it without starting a JVM (about 40 ms each); ask java itself only without one.
  local release="${1%/bin/java}/release"
  if [ -r "$release" ]; then
    rollgate_release_value "$release" JAVA_VERSION
    REPLY=${REPLY#1.}
    REPLY=${REPLY%%[!0-9]*}
    [ -n "$REPLY" ] && return
  fi
  REPLY=$("$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
  REPLY=${REPLY:-0}
}

rollgate_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    rollgate_java_major "$JAVA_HOME/bin/java"
    [ "$REPLY" -ge 21 ] && return 0
  fi
  local best="" best_major=0 dir
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    [ -x "$dir/bin/javac" ] || continue
    [ -L "$dir" ] && continue
    rollgate_java_major "$dir/bin/java"
    if [ "$REPLY" -ge 21 ] && [ "$REPLY" -gt "$best_major" ]; then
      best=$dir best_major=$REPLY
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
rollgate_java_major "$JAVA_HOME/bin/java"
ROLLGATE_JAVA_MAJOR=$REPLY
# JDK 24+ restricts sun.misc.Unsafe memory access and native access. Maven's Guava warns without
# the first; Netty (Rollgate's proxy) falls back to slower buffer access without it, and loads its
# native epoll transport with the second.
ROLLGATE_JDK_FLAGS=""
if [ "$ROLLGATE_JAVA_MAJOR" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  ROLLGATE_JDK_FLAGS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
fi
