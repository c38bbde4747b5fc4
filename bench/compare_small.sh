#!/usr/bin/env bash
# One training step of the tutorial's small networks (forward, BCE-with-logits, backward, Adam; batch 100),
# deepprob (SmallModelBench, JMH) beside PyTorch (bench/python/torch_small.py), in one session, 1 thread each.
# Prints microseconds per step (median over iterations) and the speed-up. Usage: bench/compare_small.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench-results}"
mkdir -p "$out"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PY=/usr/bin/python3
JAR="${BENCH_JAR:-bench/target/benchmarks.jar}"
if ! $PY -c 'import torch' 2>/dev/null; then
  echo "compare_small: PyTorch not found for $PY (Debian: apt-get install python3-torch)" >&2
  exit 1
fi
"$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" SmallModelBench \
  -f 1 -wi 3 -w 1 -i 7 -r 1 -t 1 -rf json -rff "$out/small_jmh.json" > "$out/small_jmh.log" 2>&1
$PY bench/python/torch_small.py --threads 1 > "$out/small_torch.jsonl"
$PY - "$out" <<'PYEOF'
import json, statistics, sys
out = sys.argv[1]
jmh = {r["params"]["net"]: r for r in json.load(open(f"{out}/small_jmh.json"))}
torch = {d["net"]: d for d in map(json.loads, open(f"{out}/small_torch.jsonl"))}
print(f"{'network (batch 100)':<20} {'deepprob us':>12} {'torch us':>10} {'speed-up':>9}")
for net, r in jmh.items():
    raw = [x for it in r["primaryMetric"]["rawData"] for x in it]
    ours = statistics.median(raw)
    theirs = torch[net]["us_per_step_median"]
    print(f"{net:<20} {ours:>12.1f} {theirs:>10.1f} {theirs / ours:>8.2f}x")
PYEOF
