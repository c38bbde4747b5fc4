#!/usr/bin/env bash
# Start-up of the tutorial's small workloads in a fresh JVM, without a warm-up: milliseconds from the launch to the
# first training step's loss, and steps/s over the first second, with no class data sharing (-Xshare:off), with the
# JDK's default CDS archive (the JVM's default), and with a JDK 25 AOT cache (JEP 483/514/515: classes loaded and
# linked, method profiles) trained by one run of the same workloads. PyTorch's figures, from a fresh python3 each, are
# printed beside them. Medians of ROUNDS runs, the modes interleaved.
# Usage: bench/compare_startup.sh [ROUNDS] [NAME...]   (SKIP_BUILD=1 reuses bench/target/benchmarks.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"; shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(nb4_elbo_logreg nb5_bnn nb6_vae_toy nb7_discriminator nb8_gan)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PY=/usr/bin/python3
JAR="${BENCH_JAR:-bench/target/benchmarks.jar}"
if [ "${SKIP_BUILD:-}" != 1 ] && [ -z "${BENCH_JAR:-}" ]; then
  MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}" mvn -B -ntp -q package -pl bench -am -Dmaven.test.skip=true
fi
# shellcheck source=bench/jvm_flags.sh
. bench/jvm_flags.sh
jvm=("${DEEPPROB_BENCH_JVM_FLAGS[@]}" -Xlog:aot=off -Xlog:cds=off)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
aot="$tmp/workloads.aot"
t0=$(date +%s%N)
"$JAVA" "${jvm[@]}" -XX:AOTCacheOutput="$aot" -cp "$JAR" dev.deepprob.bench.Workloads --cold "${names[@]}" > /dev/null 2>&1
echo "AOT cache: trained and written in $(( ($(date +%s%N) - t0) / 1000000 )) ms, $(( $(stat -c %s "$aot") / 1048576 )) MiB" >&2

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  for n in "${names[@]}"; do
    for mode in noshare cds aot; do
      case $mode in noshare) extra=(-Xshare:off) ;; cds) extra=() ;; aot) extra=(-XX:AOTCache="$aot") ;; esac
      "$JAVA" "${jvm[@]}" "${extra[@]}" -cp "$JAR" dev.deepprob.bench.Workloads --cold --since "$(now_ms)" "$n" 2>/dev/null \
        | grep -v '^#' | sed "s/^/$mode\t/" >> "$tmp/java.tsv"
    done
    $PY bench/python/torch_workloads.py --cold --since "$(now_ms)" "$n" | grep -v '^#' | sed "s/^/torch\t/" >> "$tmp/java.tsv"
  done
done
$PY - "$tmp/java.tsv" <<'PYEOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    mode, name, ms, n, rate = line.split("\t")
    rows.setdefault((name, mode), []).append((float(ms), float(rate)))
names = list(dict.fromkeys(k[0] for k in rows))
modes = ["noshare", "cds", "aot", "torch"]
label = {"noshare": "no CDS", "cds": "default CDS", "aot": "AOT cache", "torch": "PyTorch"}
print("ms from launch to the first step's loss | steps/s over the first second (medians)")
print("| workload | " + " | ".join(label[m] for m in modes) + " |")
print("|---|" + "---:|" * len(modes))
for n in names:
    cells = []
    for m in modes:
        v = rows.get((n, m), [])
        cells.append(f"{statistics.median(x[0] for x in v):.0f} \\| {statistics.median(x[1] for x in v):.0f}" if v else "-")
    print(f"| {n} | " + " | ".join(cells) + " |")
PYEOF
