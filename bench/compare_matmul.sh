#!/usr/bin/env bash
# Runs the float32 matmul benchmark (JMH), the FMA peak benchmark and numpy's OpenBLAS sgemm in one session and
# prints one table: shape, threads, deepprob GFLOP/s, numpy GFLOP/s, ratio, % of the measured FMA peak.
# Usage: bench/compare_matmul.sh            (builds bench/target/benchmarks.jar first; about 5 minutes)
#        SKIP_BUILD=1 bench/compare_matmul.sh
# Options (environment):
#   AVX2=1       emulate an AVX2-only machine on an AVX-512 one: the JVM runs with -XX:UseAVX=2 (256-bit species,
#                so the AVX2 register tile) and OpenBLAS with OPENBLAS_CORETYPE=Haswell (its AVX2 kernels).
#                Without it, OpenBLAS picks its kernels for this CPU (OPENBLAS_CORETYPE is unset).
#   THREADS=1    thread counts to run (default 1,2)
#   JVM_FLAGS=.. more flags for the benchmark JVM (e.g. -XX:-OptoRegScheduling, -Ddeepprob.gemm.tile=avx2)
#   DGEMM=1      also time deepprob's float64 dgemm (printed after the float32 table, no numpy column)
#   CPU_TIME=1   one thread timed by its CPU time instead of JMH: dev.deepprob.bench.MatmulCpuTime and
#                numpy_sgemm.py --cpu-time, alternated for ROUNDS rounds (default 3) of SECONDS per shape (default 2),
#                best per shape. On a machine shared with other jobs (whose time slices stretch wall-clock medians)
#                this still measures the kernels; caches are shared with those jobs all the same.
# Reports medians and bests of the JMH iterations and of numpy's samples. Other processes on the machine skew both
# columns (the load average is printed before and after); run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
PY="${PYTHON:-/usr/bin/python3}"   # Debian's python3 has numpy; the one first on PATH may not
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # the bench pom names the JMH annotation processor (JDK 23+ does not run it from the class path)
  mvn -q -o -pl engine,bench -am package -Dmaven.test.skip=true >"$out/build.log" 2>&1 \
    || { cat "$out/build.log"; exit 1; }
fi

threads="${THREADS:-1,2}"
jvm_flags="${JVM_FLAGS:-}"
# OPENBLAS_L2_SIZE and OPENBLAS_CORETYPE from the environment would change OpenBLAS's blocking and kernels
unset OPENBLAS_L2_SIZE OPENBLAS_CORETYPE
if [[ "${AVX2:-0}" == 1 ]]; then
  jvm_flags="-XX:UseAVX=2 $jvm_flags"
  export OPENBLAS_CORETYPE=Haswell
fi
bench="MatmulBench.sgemm"
[[ "${DGEMM:-0}" == 1 ]] && bench="MatmulBench.[sd]gemm"
# -jvmArgsPrepend keeps the benchmarks' own -jvmArgsAppend (--add-modules jdk.incubator.vector, heap)
jmh_flags=()
[[ -n "${jvm_flags// /}" ]] && jmh_flags=(-jvmArgsPrepend "$jvm_flags")
# shellcheck disable=SC2086
width=$(java --add-modules jdk.incubator.vector $jvm_flags -cp bench/target/benchmarks.jar \
  dev.deepprob.bench.MatmulBench 2>/dev/null || echo "?")
core=$(OPENBLAS_VERBOSE=2 "$PY" -c 'import numpy' 2>&1 | sed -n 's/^Core: //p' | head -1)
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo \
  | cut -d: -f2 | xargs), model $(grep -m1 '^model' /proc/cpuinfo | cut -d: -f2 | xargs)); JVM flags: ${jvm_flags:-none}"
echo "deepprob: $width; numpy: OpenBLAS ${core:-?} kernels"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${CPU_TIME:-0}" == 1 ]]; then
  for r in $(seq 1 "${ROUNDS:-3}"); do
    "$PY" bench/python/numpy_sgemm.py --cpu-time "${SECONDS_PER_SHAPE:-2}" | sed 's/^/numpy /' >>"$out/cpu.txt"
    # shellcheck disable=SC2086
    java --add-modules jdk.incubator.vector -XX:+UseParallelGC $jvm_flags -cp bench/target/benchmarks.jar \
      dev.deepprob.bench.MatmulCpuTime "${SECONDS_PER_SHAPE:-2}" f32 64x64x64 256x256x256 1024x1024x1024 \
      128x400x784 128x400x784T 128x784x400 128x20x400 784x400x128t 400x20x128t 2>/dev/null | sed 's/^/ours /' >>"$out/cpu.txt"
    if [[ "${DGEMM:-0}" == 1 ]]; then
      # shellcheck disable=SC2086
      java --add-modules jdk.incubator.vector -XX:+UseParallelGC $jvm_flags -cp bench/target/benchmarks.jar \
        dev.deepprob.bench.MatmulCpuTime "${SECONDS_PER_SHAPE:-2}" f64 256x256x256 1024x1024x1024 128x400x784 \
        784x400x128t 2>/dev/null | sed 's/^/ours /' >>"$out/cpu.txt"
    fi
  done
  echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
  "$PY" - "$out/cpu.txt" "${ROUNDS:-3}" <<'EOF'
import json, sys
best, order = {}, []
for line in open(sys.argv[1]):
    who, rec = line.split(" ", 1)
    r = json.loads(rec)
    key = (who, r.get("dtype", "f32"), r["shape"])
    if key not in best: order.append(key)
    best[key] = max(best.get(key, 0.0), r["gflops"])
print(f"one thread, GFLOP/s by thread CPU time, best of {sys.argv[2]} rounds")
print(f"{'shape (MxNxK)':<16}{'deepprob f32':>13}{'numpy':>8}{'ratio':>7}{'deepprob f64':>14}")
for who, dt, shape in order:
    if who != "ours" or dt != "f32": continue
    ours, theirs = best[("ours", "f32", shape)], best.get(("numpy", "f32", shape), float("nan"))
    d = best.get(("ours", "f64", shape))
    print(f"{shape:<16}{ours:>13.1f}{theirs:>8.1f}{ours / theirs:>7.2f}{'' if d is None else f'{d:14.1f}'}")
EOF
  exit 0
fi
"$PY" bench/python/numpy_sgemm.py --threads "$threads" >"$out/numpy.jsonl"
peak=FmaPeakBench.f32
[[ "$threads" == 1 ]] && peak='FmaPeakBench.f32$'
java -jar bench/target/benchmarks.jar "$peak" "${jmh_flags[@]}" -rf json -rff "$out/peak.json" >"$out/peak.log" 2>&1 \
  || { tail -30 "$out/peak.log"; exit 1; }
java -jar bench/target/benchmarks.jar "$bench" -p threads="$threads" "${jmh_flags[@]}" -rf json -rff "$out/matmul.json" \
  >"$out/matmul.log" 2>&1 || { tail -30 "$out/matmul.log"; exit 1; }

echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$out" <<'EOF'
import json, sys
out = sys.argv[1]

def spread(r):
    raw = sorted(x for fork in r["primaryMetric"]["rawData"] for x in fork)
    return raw[len(raw) // 2], raw[0], raw[-1]

peak = {}
for r in json.load(open(f"{out}/peak.json")):
    name = r["benchmark"].rsplit(".", 1)[1]
    med, lo, hi = spread(r)                               # ops/s: the best is the highest
    peak[{"f32": 1, "f32AllCores": 2}.get(name)] = hi / 1e9
numpy = {}
for line in open(f"{out}/numpy.jsonl"):
    r = json.loads(line)
    numpy[(r["shape"], r["threads"])] = (r["gflops"], r["best_gflops"])
nan = float("nan")
print(f"FMA peak float32 (FmaPeakBench, best iteration): 1 core {peak.get(1, nan):.1f} GFLOP/s, "
      f"all cores {peak.get(2, nan):.1f} GFLOP/s")
print("GFLOP/s: median | best of the JMH iterations / numpy samples; ratio and % peak from the medians")
print(f"{'shape (MxNxK)':<16}{'threads':>8}{'deepprob':>16}{'numpy':>16}{'ratio':>7}{'best/best':>10}{'% peak':>8}")
for r in json.load(open(f"{out}/matmul.json")):
    if r["benchmark"].endswith("dgemm"):
        continue
    p = r["params"]
    shape, threads = p["shape"], int(p["threads"])
    m, n, k = (int(x) for x in shape.rstrip("tT").split("x"))
    med_us, best_us, _ = spread(r)                        # microseconds per call: the best is the lowest
    ours, ours_best = (2.0 * m * n * k / (us * 1e-6) / 1e9 for us in (med_us, best_us))
    theirs, theirs_best = numpy.get((shape, threads), (nan, nan))
    pk = peak.get(threads, nan)
    print(f"{shape:<16}{threads:>8}{ours:>9.1f} |{ours_best:>5.0f}{theirs:>9.1f} |{theirs_best:>5.0f}"
          f"{ours / theirs:>7.2f}{ours_best / theirs_best:>10.2f}{100 * ours / pk:>7.0f}%")
EOF
if [[ "${DGEMM:-0}" == 1 ]]; then
  "$PY" - "$out" <<'EOF'
import json, sys
print("float64 dgemm (no numpy column), GFLOP/s median | best")
for r in json.load(open(f"{sys.argv[1]}/matmul.json")):
    if not r["benchmark"].endswith("dgemm"):
        continue
    shape, threads = r["params"]["shape"], r["params"]["threads"]
    m, n, k = (int(x) for x in shape.rstrip("tT").split("x"))
    raw = sorted(x for fork in r["primaryMetric"]["rawData"] for x in fork)
    med, best = (2.0 * m * n * k / (us * 1e-6) / 1e9 for us in (raw[len(raw) // 2], raw[0]))
    print(f"{shape:<16}{threads:>8}{med:>9.1f} |{best:>5.0f}")
EOF
fi
