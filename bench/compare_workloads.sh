#!/usr/bin/env bash
# The tutorial's training workloads, deepprob (dev.deepprob.bench.Workloads) beside PyTorch
# (bench/python/torch_workloads.py), interleaved round by round so that drifting load hits both alike.
# Each round runs deepprob at every thread count asked for, then PyTorch at 1 thread and at its default thread count
# (the number of physical cores; on a 2-vCPU VM that is 1); the table shows the median steps/s over the rounds,
# PyTorch's best configuration, and deepprob's ratio over it, with the CPU model and vector width.
#
# Usage: bench/compare_workloads.sh [--rounds N] [--threads "1 2"] [--avx2] [--out DIR] [--steps N] [NAME...]
#   --avx2   runs as on an AVX2-only CPU: the JVM with -XX:UseAVX=2 (256-bit preferred species), PyTorch with
#            ATEN_CPU_CAPABILITY=avx2, OPENBLAS_CORETYPE=Haswell and DNNL_MAX_CPU_ISA=AVX2
# Environment: SKIP_BUILD=1 reuses bench/target/benchmarks.jar; BENCH_JAR another jar; JAVA_OPTS more JVM flags.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 threads="1 2" avx2=0 out=bench-results steps=() names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --avx2) avx2=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --steps) steps=(--steps "$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) names+=("$1"); shift ;;
  esac
done
mkdir -p "$out"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PY=/usr/bin/python3
JAR="${BENCH_JAR:-bench/target/benchmarks.jar}"
if ! "$JAVA" --add-modules jdk.incubator.vector -version >/dev/null 2>&1; then
  echo "compare_workloads: needs a JDK 25 (set JAVA_HOME); $JAVA cannot load jdk.incubator.vector" >&2
  exit 1
fi
if ! $PY -c 'import torch' 2>/dev/null; then
  echo "compare_workloads: PyTorch not found for $PY (Debian: apt-get install python3-torch)" >&2
  exit 1
fi
if [ "${SKIP_BUILD:-}" != 1 ] && [ -z "${BENCH_JAR:-}" ]; then
  MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}" mvn -B -ntp -q package -pl bench -am -Dmaven.test.skip=true
fi
# shellcheck source=bench/jvm_flags.sh
. bench/jvm_flags.sh
jvm=("${DEEPPROB_BENCH_JVM_FLAGS[@]}")
torch_env=()
tag=avx512
if [ "$avx2" = 1 ]; then
  jvm+=(-XX:UseAVX=2)
  # ATen's kernels, OpenBLAS and oneDNN each pick their instruction set by themselves: cap all three
  torch_env=(ATEN_CPU_CAPABILITY=avx2 OPENBLAS_CORETYPE=Haswell DNNL_MAX_CPU_ISA=AVX2)
  tag=avx2
fi
# shellcheck disable=SC2206
jvm+=(${JAVA_OPTS:-})
# PyTorch at one thread and at its own default (skipped where that is one thread too)
torch_threads="1"
[ "$(env "${torch_env[@]}" $PY -c 'import torch; print(torch.get_num_threads())')" != 1 ] && torch_threads="1 default"

for r in $(seq 1 "$rounds"); do
  for t in $threads; do
    echo "round $r/$rounds: deepprob, $t thread(s)" >&2
    "$JAVA" "${jvm[@]}" -cp "$JAR" dev.deepprob.bench.Workloads --threads "$t" "${steps[@]}" "${names[@]}" \
      2> "$out/wl_${tag}_dp_t${t}_r$r.err" > "$out/wl_${tag}_dp_t${t}_r$r.tsv" \
      || { echo "compare_workloads: deepprob failed, see $out/wl_${tag}_dp_t${t}_r$r.err" >&2; cat "$out/wl_${tag}_dp_t${t}_r$r.err" >&2; exit 1; }
  done
  for t in $torch_threads; do
    echo "round $r/$rounds: PyTorch, threads $t" >&2
    env "${torch_env[@]}" $PY bench/python/torch_workloads.py --threads "$t" "${steps[@]}" "${names[@]}" \
      > "$out/wl_${tag}_torch_t${t}_r$r.tsv"
  done
done

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
flags=$(lscpu | sed -n 's/^Flags: *//p')
isa="none"
case " $flags " in *" avx2 "*) isa="avx2" ;; esac
case " $flags " in *" avx512f "*) isa="$isa avx512f" ;; esac
$PY - "$out" "$tag" "$threads" "$torch_threads" "$cpu" "$isa" "$(nproc)" <<'PYEOF'
import glob, re, statistics, sys
out, tag, threads, torch_threads, cpu, isa, nproc = sys.argv[1:8]
threads, torch_threads = threads.split(), torch_threads.split()
TARGET = {"vae_mnist_b128": 1.3}

def load(impl, t):
    runs, cpu, header = {}, {}, ""
    for f in sorted(glob.glob(f"{out}/wl_{tag}_{impl}_t{t}_r*.tsv")):
        for line in open(f):
            p = line.rstrip("\n").split("\t")
            if line.startswith("# cpu") and len(p) == 5:
                cpu.setdefault(p[1], []).append(float(p[4]))
            elif line.startswith("#"):
                header = line[1:].strip()
            elif len(p) == 4:
                runs.setdefault(p[0], []).append(float(p[3]))
    med = lambda d: {k: statistics.median(v) for k, v in d.items()}
    return med(runs), {k: len(v) for k, v in runs.items()}, header, med(cpu), {k: max(v) for k, v in runs.items()}

dp = {t: load("dp", t) for t in threads}
th = {t: load("torch", t) for t in torch_threads}
print(f"CPU: {cpu} ({nproc} CPUs), lscpu flags: {isa}; run: {tag}")
for t in threads:
    print(f"  deepprob t={t}: {dp[t][2]}")
for t in torch_threads:
    print(f"  torch    t={t}: {th[t][2]}")
rounds = max((n for t in threads for n in dp[t][1].values()), default=0)
print(f"medians of {rounds} interleaved rounds, steps/s; torch best = the fastest of its thread settings ({', '.join(torch_threads)})")
names = list(dp[threads[0]][0])
head = "| workload | " + " | ".join(f"deepprob {t}T" for t in threads) + " | torch best | " \
       + " | ".join(f"ratio {t}T" for t in threads) + " | target | met | ratio 1T, CPU time | ratio 1T, best rounds |"
print(head)
print("|" + "---|" * (head.count("|") - 1))
for n in names:
    best_t, best = max(((t, th[t][0].get(n, 0.0)) for t in torch_threads), key=lambda x: x[1])
    ours = [dp[t][0].get(n, float("nan")) for t in threads]
    ratios = [o / best if best else float("nan") for o in ours]
    target = TARGET.get(n, 2.0)
    ok = all(r >= target for r in ratios)
    mono = all(ours[i + 1] >= ours[i] for i in range(len(ours) - 1))
    met = ("yes" if ok else "no") + ("" if mono else f"; {threads[-1]}T slower than {threads[0]}T")
    # steps per second of process CPU time, both at one thread: less sensitive to other jobs on the machine
    c_ours = dp[threads[0]][3].get(n) if threads[0] == "1" else None
    c_theirs = th["1"][3].get(n)
    c_ratio = f"{c_ours / c_theirs:.2f}x" if c_ours and c_theirs else "-"
    # the best round of each side: other jobs only ever slow a run down
    b_ours, b_theirs = dp[threads[0]][4].get(n), max(th[t][4].get(n, 0.0) for t in torch_threads)
    b_ratio = f"{b_ours / b_theirs:.2f}x" if b_ours and b_theirs else "-"
    print(f"| {n} | " + " | ".join(f"{o:.1f}" for o in ours) + f" | {best:.1f} ({best_t}) | "
          + " | ".join(f"{r:.2f}x" for r in ratios) + f" | {target}x | {met} | {c_ratio} | {b_ratio} |")
PYEOF
