#!/usr/bin/env bash
# Two builds side by side in one session: runs the same JMH benchmarks from BEFORE.jar and AFTER.jar, alternating
# jars round by round (so drifting load hits both alike), and prints each benchmark's median per jar and the ratio.
#   bench/compare_jars.sh BEFORE.jar AFTER.jar [ROUNDS] [JMH benchmark regexp]
# Defaults: 3 rounds of TinyOpsBench, SmallModelBench and MatmulBench.sgemm (1 thread, 256^3 and 1024^3).
# JMH_ARGS adds JMH options to every run, e.g. JMH_ARGS='-jvmArgsPrepend -XX:UseAVX=2 -p threads=1' (one word each:
# JVM flags that need spaces do not fit).
# A benchmarks.jar of an earlier commit: git worktree add /tmp/old COMMIT && (cd /tmp/old && mvn -q -pl bench -am
# package -Dmaven.test.skip=true) && cp /tmp/old/bench/target/benchmarks.jar before.jar
set -euo pipefail
before=${1:?usage: compare_jars.sh BEFORE.jar AFTER.jar [ROUNDS] [REGEXP]}
after=${2:?usage: compare_jars.sh BEFORE.jar AFTER.jar [ROUNDS] [REGEXP]}
rounds=${3:-3}
filter=${4:-}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
v=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if ! [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
  echo "compare_jars.sh: needs a JDK 25+ ($JAVA is ${v:-unknown}); set JAVA_HOME" >&2
  exit 1
fi
out=$(mktemp -d)
run() {   # log json jar args...: one JMH run; its output is shown when it fails
  local log=$1 json=$2 jar=$3; shift 3
  # shellcheck disable=SC2086
  if ! "$JAVA" -jar "$jar" "$@" -f 1 -wi 3 -i 5 -w 1 -r 1 ${JMH_ARGS:-} -rf json -rff "$json" >"$log" 2>&1; then
    tail -20 "$log" >&2
    echo "compare_jars.sh: JMH failed for $jar" >&2
    exit 1
  fi
}
jmh() {   # jar tag round
  if [ -n "$filter" ]; then
    run "$out/log" "$out/$2-$3-a.json" "$1" "$filter"
  else
    run "$out/log" "$out/$2-$3-a.json" "$1" 'TinyOpsBench|SmallModelBench'
    run "$out/log" "$out/$2-$3-b.json" "$1" 'MatmulBench.sgemm' -p shape=256x256x256,1024x1024x1024 -p threads=1
  fi
}
for r in $(seq 1 "$rounds"); do
  echo "round $r of $rounds: before" >&2; jmh "$before" before "$r"
  echo "round $r of $rounds: after" >&2;  jmh "$after" after "$r"
done
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); vector width: $(grep -q avx512f /proc/cpuinfo && echo 512 || echo 256) bits; load: $(cut -d' ' -f1-3 /proc/loadavg)"; echo "JMH_ARGS: ${JMH_ARGS:-none} (-XX:UseAVX=2 there means 256-bit vectors)"
python3 - "$out" <<'PY'
import json, glob, os, statistics, sys
d = sys.argv[1]
runs = {}
for f in sorted(glob.glob(os.path.join(d, '*.json'))):
    tag = os.path.basename(f).split('-')[0]
    for b in json.load(open(f)):
        key = b['benchmark'].split('.')[-2] + '.' + b['benchmark'].split('.')[-1]
        if b.get('params'): key += ' ' + ','.join(f'{k}={v}' for k, v in sorted(b['params'].items()))
        runs.setdefault(key, {}).setdefault(tag, []).append((b['primaryMetric']['score'], b['primaryMetric']['scoreUnit']))
print(f"| benchmark | before (median of rounds) | after | after/before |")
print("|---|---:|---:|---:|")
for key, t in runs.items():
    if 'before' not in t or 'after' not in t: continue
    unit = t['before'][0][1]
    b = statistics.median(s for s, _ in t['before']); a = statistics.median(s for s, _ in t['after'])
    print(f"| {key} | {b:.4g} {unit} | {a:.4g} {unit} | {a / b:.3f} |")
PY
rm -rf "$out"
