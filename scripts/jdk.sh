# Sourced by ./loomcrawl and ./test: sets JAVA_HOME to a JDK 25 or newer, or exits with a clear error.
# Order: JAVA_HOME when it is 25+, else the newest JDK 25+ under /usr/lib/jvm.

# Only shell builtins but where a JDK has no release file: the launcher runs this at every start. Nothing here may
# fail under the launcher's `set -e`: a JDK that cannot be read is skipped.
jdk_major() { # JDK_DIR -> _jdk_major set to its feature version, or empty
  _jdk_major=""
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$1/release" ]; then
    [ -r "$1/release" ] || return 0
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=*) line=${line#JAVA_VERSION=}; line=${line#\"}; _jdk_major=${line%%[!0-9]*}; return 0 ;;
      esac
    done < "$1/release"
  else
    _jdk_major=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1) || _jdk_major=""
  fi
  return 0
}

find_jdk() { # -> JAVA_HOME set to the JDK chosen, or empty
  local best="" bestv=0 d
  if [ -n "${JAVA_HOME:-}" ]; then
    jdk_major "$JAVA_HOME"
    if [ -n "$_jdk_major" ] && [ "$_jdk_major" -ge 25 ]; then return 0; fi
  fi
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    jdk_major "$d"
    if [ -n "$_jdk_major" ] && [ "$_jdk_major" -ge 25 ] && [ "$_jdk_major" -gt "$bestv" ]; then
      best=$d; bestv=$_jdk_major
    fi
  done
  JAVA_HOME=$best
}

find_jdk
unset _jdk_major
if [ -z "${JAVA_HOME:-}" ]; then
  echo "loomcrawl: needs a JDK 25 or newer: set JAVA_HOME to one, or install one under /usr/lib/jvm" >&2
  exit 1
fi
export JAVA_HOME
# Maven 3.8's own libraries (guava) still use sun.misc.Unsafe: keep JDK 25's warnings about it off the console
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
