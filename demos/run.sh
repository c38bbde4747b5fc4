#!/usr/bin/env bash
# Runs dev.deepprob.demos.Main with the JVM flags the engine needs, building the demos (and the modules they use)
# with Maven first only when a source changed since the last build. Arguments go to Main:
#   demos/run.sh list
#   demos/run.sh run kld blr --out out/demos
#   demos/run.sh run all --quick --threads 2
# The last build is recorded in demos/target/build.stamp: a checksum of every pom.xml and src/main file (their
# paths and contents), this script and the JDK. When it matches and every class path entry is still there, java
# starts at once; otherwise Maven builds (package, no tests, nothing installed into ~/.m2) and saves the runtime class
# path in demos/target/runtime-classpath.txt.
# Environment: DEEPPROB_BUILD=1 builds even when nothing changed; DEEPPROB_NO_BUILD=1 skips the build (reuses the
# last one); MVN_ARGS adds Maven flags (e.g. -o); JAVA_OPTS adds JVM flags. Relative --out paths are taken from the
# current directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# The feature version of the JDK at $1: from its release file (no JVM start), else from the JVM itself.
jdk_major() {
  local v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v%%.*}"
}
find_jdk() {
  local d
  for d in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    if [ "$(jdk_major "$d")" -ge 25 ] 2>/dev/null; then echo "$d"; return 0; fi
  done
  return 1
}
if ! JDK=$(find_jdk); then
  echo "demos: needs a JDK 25 or newer (JAVA_HOME or /usr/lib/jvm/*)" >&2
  exit 1
fi
export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"

cp_file="$root/demos/target/runtime-classpath.txt"
stamp_file="$root/demos/target/build.stamp"

# A checksum of what the build reads: the paths and contents of every pom.xml and src/main file, this script, the JDK.
sources_stamp() {
  local files
  files=$(cd "$root" && { find . -maxdepth 2 -name pom.xml; find ./*/src/main -type f 2>/dev/null; } | LC_ALL=C sort)
  { echo "$JAVA_HOME"; echo "$files"; cat "$root/demos/run.sh"
    (cd "$root" && printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 cat); } | cksum
}

# True when the saved class path exists and each of its entries is still on disk (a `mvn clean` removes them).
classpath_present() {
  local entry cp
  [ -f "$cp_file" ] && [ -d "$root/demos/target/classes" ] || return 1
  cp=$(<"$cp_file")
  local IFS=:
  for entry in $cp; do [ -e "$entry" ] || return 1; done
  return 0
}

if [ "${DEEPPROB_NO_BUILD:-}" = 1 ] && classpath_present; then
  :
else
  stamp=$(sources_stamp)
  if [ "${DEEPPROB_BUILD:-}" = 1 ] || ! classpath_present || [ ! -f "$stamp_file" ] || [ "$(<"$stamp_file")" != "$stamp" ]; then
    command -v mvn >/dev/null || { echo "demos: needs Apache Maven on PATH" >&2; exit 1; }
    echo "demos: building (sources changed since the last build, or none yet)..." >&2
    # Maven's own libraries trip JDK 25's sun.misc.Unsafe warnings (they are not ours); jansi.noreset keeps Maven
    # 3.8 from writing terminal reset codes even with -B
    export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} -Djansi.noreset=true"
    rm -f "$stamp_file"
    # one reactor: the modules are packaged in their target/ folders and the class path names those jars;
    # each module writes its own target/runtime-classpath.txt, demos' is the one used
    # shellcheck disable=SC2086
    (cd "$root" && mvn -B -q -ntp -Dstyle.color=never ${MVN_ARGS:-} package dependency:build-classpath \
       -Dmaven.test.skip=true -pl demos -am -DincludeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt) >&2
    echo "$stamp" > "$stamp_file"
  fi
fi

# the demos' own jar (CDS below takes jars only, no class folders)
demos_jar=""
for j in "$root"/demos/target/deepprob-demos-*.jar; do
  case "$j" in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) [ -f "$j" ] && demos_jar="$j" ;; esac
done
[ -n "$demos_jar" ] || demos_jar="$root/demos/target/classes"

# Only running demos needs the Vector API. list and help start without it (and without the JVM's incubator warning)
# and with a class data sharing archive the JVM writes on their first run (and rewrites when the jars change):
# about a third less start-up time.
flags=()
aot_flags=()
aot_create=()
if [ "${1:-}" = run ]; then
  # -Xmx1g: the demos' live data stay under 100 MB (blr's predictive grid at full length, the largest, measured 85 MB
  # after a collection); without a limit the parallel collector grows its heap towards a quarter of the machine's memory
  flags=(--add-modules jdk.incubator.vector -Xmx1g)
  # JDK 25's ahead-of-time cache (JEP 483, 514, 515): classes loaded and linked, and method profiles, from an earlier
  # run, so the JIT compiles the hot loops sooner (see docs/PERFORMANCE.md for the figures). The first run after a build
  # records what it used (demos/target/demos.aotconf, little overhead); the cache is then created in the background
  # (a few seconds, a separate JVM) and used from the next run on. Rebuilt when a jar changes; DEEPPROB_AOT=0 turns it off.
  if [ "$demos_jar" != "$root/demos/target/classes" ] && [ "${DEEPPROB_AOT:-1}" != 0 ]; then
    aot="$root/demos/target/demos.aot" aotconf="$root/demos/target/demos.aotconf"
    IFS=: read -r -a entries <<<"$demos_jar:$(<"$cp_file")"
    for e in "${entries[@]}"; do
      if { [ -f "$aot" ] && [ "$e" -nt "$aot" ]; } || { [ -f "$aotconf" ] && [ "$e" -nt "$aotconf" ]; }; then
        rm -f "$aot" "$aotconf"
        break
      fi
    done
    aot_quiet=(-Xlog:aot=off -Xlog:cds=off)
    if [ -f "$aot" ]; then
      aot_flags=(-XX:AOTCache="$aot" "${aot_quiet[@]}")
    elif [ ! -f "$aotconf" ]; then
      aot_flags=(-XX:AOTMode=record -XX:AOTConfiguration="$aotconf" "${aot_quiet[@]}")
      aot_create=(-XX:AOTMode=create -XX:AOTConfiguration="$aotconf" -XX:AOTCache="$aot.$$.tmp" "${aot_quiet[@]}")
    fi
  fi
elif [ "$demos_jar" != "$root/demos/target/classes" ]; then
  # the JVM ignores an archive whose jars changed but does not rewrite it: remove it, the next run writes a new one
  jsa="$root/demos/target/cli.jsa"
  if [ -f "$jsa" ]; then
    IFS=: read -r -a entries <<<"$demos_jar:$(<"$cp_file")"
    for e in "${entries[@]}"; do
      if [ "$e" -nt "$jsa" ]; then rm -f "$jsa"; break; fi
    done
  fi
  flags=(-XX:SharedArchiveFile="$root/demos/target/cli.jsa" -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off)
fi
jvm=("${flags[@]}" -Djava.awt.headless=true -XX:+UseParallelGC -Xss8m --enable-native-access=ALL-UNNAMED -Ddeepprob.root="$root")
if [ ${#aot_create[@]} -eq 0 ]; then
  # shellcheck disable=SC2086
  exec java "${jvm[@]}" "${aot_flags[@]}" ${JAVA_OPTS:-} -cp "$demos_jar:$(<"$cp_file")" dev.deepprob.demos.Main "$@"
fi
# the recording run; then the cache is created in the background, into a temporary file renamed when complete
rc=0
# shellcheck disable=SC2086
java "${jvm[@]}" "${aot_flags[@]}" ${JAVA_OPTS:-} -cp "$demos_jar:$(<"$cp_file")" dev.deepprob.demos.Main "$@" || rc=$?
if [ -f "$aotconf" ]; then
  # the whole group detached from this script's output, so that a caller reading it through a pipe is not kept waiting
  { nohup java "${jvm[@]}" "${aot_create[@]}" -cp "$demos_jar:$(<"$cp_file")" dev.deepprob.demos.Main \
      && mv -f "$aot.$$.tmp" "$aot"; rm -f "$aot.$$.tmp"; } >/dev/null 2>&1 </dev/null &
fi
exit "$rc"
