#!/usr/bin/env bash
# Tiny-op overhead, deepprob (JMH) beside PyTorch (Debian's python3-torch), in one session.
# Prints ns per call (median over iterations) and the speed-up. Usage: bench/compare_tiny.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench-results}"
mkdir -p "$out"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PY=/usr/bin/python3
if ! $PY -c 'import torch' 2>/dev/null; then
  echo "compare_tiny: PyTorch not found for $PY (Debian: apt-get install python3-torch)" >&2
  exit 1
fi
"$JAVA" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TinyOpsBench \
  -f 1 -wi 3 -w 1 -i 7 -r 1 -t 1 -rf json -rff "$out/tiny_jmh.json" > "$out/tiny_jmh.log" 2>&1
$PY bench/python/torch_tiny.py --threads 1 > "$out/tiny_torch.jsonl"
$PY - "$out" <<'PYEOF'
import json, statistics, sys
out = sys.argv[1]
jmh = {r["benchmark"].rsplit(".", 1)[1]: r for r in json.load(open(f"{out}/tiny_jmh.json"))}
torch = {d["bench"]: d for d in map(json.loads, open(f"{out}/tiny_torch.jsonl"))}
print(f"{'benchmark':<12} {'deepprob ns':>12} {'torch ns':>12} {'speed-up':>9}")
for name in ("tinyAdd", "tinyStep"):
    raw = [x for it in jmh[name]["primaryMetric"]["rawData"] for x in it]
    ours = statistics.median(raw)
    theirs = torch[name]["ns_per_call_median"]
    print(f"{name:<12} {ours:>12.1f} {theirs:>12.1f} {theirs / ours:>8.1f}x")
PYEOF
