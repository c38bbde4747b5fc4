#!/usr/bin/env bash
# Runs the float32 matmul benchmark (JMH), the FMA peak benchmark and numpy's OpenBLAS sgemm in one session and
# prints one table: shape, threads, deepprob GFLOP/s, numpy GFLOP/s, ratio, % of the measured FMA peak.
# Usage: bench/compare_matmul.sh            (builds bench/target/benchmarks.jar first; about 4 minutes)
#        SKIP_BUILD=1 bench/compare_matmul.sh
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

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" bench/python/numpy_sgemm.py >"$out/numpy.jsonl"
java -jar bench/target/benchmarks.jar 'FmaPeakBench.f32' -rf json -rff "$out/peak.json" >"$out/peak.log" 2>&1 \
  || { tail -30 "$out/peak.log"; exit 1; }
java -jar bench/target/benchmarks.jar 'MatmulBench.sgemm' -rf json -rff "$out/matmul.json" >"$out/matmul.log" 2>&1 \
  || { tail -30 "$out/matmul.log"; exit 1; }

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
    p = r["params"]
    shape, threads = p["shape"], int(p["threads"])
    m, n, k = (int(x) for x in shape.rstrip("t").split("x"))
    med_us, best_us, _ = spread(r)                        # microseconds per call: the best is the lowest
    ours, ours_best = (2.0 * m * n * k / (us * 1e-6) / 1e9 for us in (med_us, best_us))
    theirs, theirs_best = numpy.get((shape, threads), (nan, nan))
    pk = peak.get(threads, nan)
    print(f"{shape:<16}{threads:>8}{ours:>9.1f} |{ours_best:>5.0f}{theirs:>9.1f} |{theirs_best:>5.0f}"
          f"{ours / theirs:>7.2f}{ours_best / theirs_best:>10.2f}{100 * ours / pk:>7.0f}%")
EOF
