#!/usr/bin/env bash
# All side-by-side comparisons: matmul against numpy (OpenBLAS) and the FMA peak, tiny ops against PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench-results}"
mkdir -p "$out"
echo "== matmul: deepprob vs numpy sgemm (GFLOP/s) =="
bench/compare_matmul.sh "$out"
echo
echo "== tiny ops: deepprob vs PyTorch (ns per call, 1 thread) =="
bench/compare_tiny.sh "$out"
