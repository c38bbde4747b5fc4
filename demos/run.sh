#!/usr/bin/env bash
# Builds the demos (and the modules they use) with Maven, then runs dev.deepprob.demos.Main with the JVM flags the
# engine needs. Arguments go to Main:
#   demos/run.sh list
#   demos/run.sh run kld blr --out out/demos
#   demos/run.sh run all --quick --threads 2
# Environment: DEEPPROB_NO_BUILD=1 skips the build (reuses the last one); MVN_ARGS adds Maven flags (e.g. -o);
# JAVA_OPTS adds JVM flags. Relative --out paths are taken from the current directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_jdk() {
  local v d
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(jdk_major "$JAVA_HOME")
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$JAVA_HOME"; return 0; fi
  fi
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(jdk_major "$d")
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$d"; return 0; fi
  done
  return 1
}
if ! JDK=$(find_jdk); then
  echo "demos: needs a JDK 25 or newer (JAVA_HOME or /usr/lib/jvm/*)" >&2
  exit 1
fi
export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"

cp_file="$root/demos/target/runtime-classpath.txt"
if [ "${DEEPPROB_NO_BUILD:-}" != 1 ] || [ ! -f "$cp_file" ]; then
  command -v mvn >/dev/null || { echo "demos: needs Apache Maven on PATH" >&2; exit 1; }
  # Maven's own libraries trip JDK 25's sun.misc.Unsafe warnings; they are not ours
  export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
  # shellcheck disable=SC2086
  (cd "$root" && mvn -B -q -ntp -Dstyle.color=never ${MVN_ARGS:-} install -Dmaven.test.skip=true -pl demos -am \
     && mvn -B -q -ntp -Dstyle.color=never ${MVN_ARGS:-} -pl demos dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$cp_file") >&2
fi

# shellcheck disable=SC2086
exec java --add-modules jdk.incubator.vector -Djava.awt.headless=true -XX:+UseParallelGC -Xss8m \
  --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} \
  -cp "$root/demos/target/classes:$(cat "$cp_file")" dev.deepprob.demos.Main "$@"
