"""Times numpy float32 matmul (OpenBLAS sgemm) at the shapes MatmulBench uses, at 1 and 2 BLAS threads.

A shape is "MxNxK" (C is MxN, inner size K); a trailing "t" passes A as the transposed view of a KxM array,
as the MLP weight gradient X^T @ dY does, so BLAS reads it transposed without a copy; a trailing "T" passes B as
the transposed view of an NxK array, as a Linear layer's forward x @ W^T does. Each thread count runs in a
fresh interpreter because OpenBLAS reads OPENBLAS_NUM_THREADS when it loads. Prints one JSON object per line:
{"shape", "threads", "gflops", "best_gflops", "median_s"}; gflops = 2*M*N*K / median seconds per call, best_gflops
the same from the fastest of the 15 samples. `--threads 1` (or `1,2`, the default) picks the thread counts.
`--cpu-time SECONDS [SHAPE...]` instead times one thread by its CPU time, best of the samples taken in SECONDS per
shape (as dev.deepprob.bench.MatmulCpuTime does), and prints {"shape", "gflops"}: on a machine shared with other jobs
this still measures the kernel, where wall-clock medians measure the other jobs too.

Run with Debian's interpreter, which has numpy: /usr/bin/python3 bench/python/numpy_sgemm.py
"""
import json
import os
import subprocess
import sys
import time

SHAPES = ["64x64x64", "256x256x256", "1024x1024x1024", "128x400x784", "128x400x784T", "128x784x400", "128x20x400",
          "784x400x128t", "400x20x128t"]


def time_shape(np, shape, repeats=15, sample_s=0.02):
    transposed_a, transposed_b = shape.endswith("t"), shape.endswith("T")
    m, n, k = (int(x) for x in shape.rstrip("tT").split("x"))
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (k, m)).astype(np.float32).T if transposed_a else \
        rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k)).astype(np.float32).T if transposed_b else \
        rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    calls = 1
    while True:  # calls per sample so that one sample lasts at least sample_s
        t = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        if time.perf_counter() - t >= sample_s:
            break
        calls *= 2
    for _ in range(3):
        np.matmul(a, b, out=c)
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        samples.append((time.perf_counter() - t) / calls)
    samples.sort()
    med = samples[len(samples) // 2]
    return 2.0 * m * n * k / med / 1e9, 2.0 * m * n * k / samples[0] / 1e9, med


def cpu_time(np, shape, seconds):
    transposed_a, transposed_b = shape.endswith("t"), shape.endswith("T")
    m, n, k = (int(x) for x in shape.rstrip("tT").split("x"))
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (k, m)).astype(np.float32).T if transposed_a else \
        rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k)).astype(np.float32).T if transposed_b else \
        rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    flop = 2.0 * m * n * k
    reps, best = max(1, int(2e8 / flop)), 0.0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.thread_time_ns()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        best = max(best, flop * reps / (time.thread_time_ns() - t0))
    return best


def main():
    if "--cpu-time" in sys.argv:
        i = sys.argv.index("--cpu-time")
        os.environ["OPENBLAS_NUM_THREADS"] = "1"   # before numpy loads OpenBLAS
        import numpy as np
        for shape in sys.argv[i + 2:] or SHAPES:
            print(json.dumps({"shape": shape, "gflops": round(cpu_time(np, shape, float(sys.argv[i + 1])), 2)}),
                  flush=True)
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        import numpy as np
        threads = int(os.environ["OPENBLAS_NUM_THREADS"])
        for shape in SHAPES:
            gflops, best, med = time_shape(np, shape)
            print(json.dumps({"shape": shape, "threads": threads, "gflops": round(gflops, 2),
                              "best_gflops": round(best, 2), "median_s": med}), flush=True)
        return
    counts = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1,2"
    for threads in (int(t) for t in counts.split(",")):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        subprocess.run([sys.executable, __file__, "--child"], env=env, check=True)


if __name__ == "__main__":
    main()
