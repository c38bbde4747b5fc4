#!/usr/bin/env bash
# All side-by-side comparisons: matmul against numpy (OpenBLAS) and the FMA peak; tiny ops, small-model training steps
# and the tutorial's training workloads against PyTorch.
# Usage: bench/compare.sh [OUT-DIR]; bench/compare.sh workloads [ARGS] runs only bench/compare_workloads.sh ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = workloads ]; then
  shift
  SKIP_BUILD="${SKIP_BUILD:-1}" exec bench/compare_workloads.sh "$@"
fi
out="${1:-bench-results}"
mkdir -p "$out"
echo "== matmul: deepprob vs numpy sgemm (GFLOP/s) =="
bench/compare_matmul.sh "$out"
echo
echo "== tiny ops: deepprob vs PyTorch (ns per call, 1 thread) =="
bench/compare_tiny.sh "$out"
echo
echo "== small-model training step: deepprob vs PyTorch (us per step, 1 thread) =="
bench/compare_small.sh "$out"
echo
echo "== the tutorial's training workloads: deepprob vs PyTorch (steps/s, 1 and 2 threads) =="
SKIP_BUILD="${SKIP_BUILD:-1}" bench/compare_workloads.sh --out "$out"
echo
echo "== the OpenCL device beside the CPU: float32 matmul GFLOP/s, VAE 784-400-20 training steps/s =="
"${JAVA_HOME:+$JAVA_HOME/bin/}java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
  dev.deepprob.bench.DeviceBench 2>&1 | grep -v '^WARNING' | tee "$out/device.tsv"
