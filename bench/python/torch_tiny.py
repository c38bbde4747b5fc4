"""PyTorch side of TinyOpsBench: ns per call for a 4-element add and a (x*y).sum() forward+backward.

Run with Debian's python3 (python3-torch): /usr/bin/python3 bench/python/torch_tiny.py [--threads N]
Prints JSON lines {"bench": ..., "ns_per_call_median": ..., ...}.
"""
import argparse
import json
import statistics
import time

import torch


def measure(fn, inner=20000, repeats=7):
    for _ in range(inner // 4):
        fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter_ns() - t0) / inner)
    return statistics.median(samples), samples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    a = torch.tensor([1.0, 2, 3, 4])
    b = torch.tensor([5.0, 6, 7, 8])
    x = torch.tensor([1.0, 2, 3, 4], requires_grad=True)
    y = torch.tensor([5.0, 6, 7, 8], requires_grad=True)

    def add():
        return a + b

    def step():
        x.grad = None
        y.grad = None
        (x * y).sum().backward()
        return x.grad

    for name, fn in [("tinyAdd", add), ("tinyStep", step)]:
        med, samples = measure(fn, inner=20000 if name == "tinyAdd" else 5000)
        print(json.dumps({"bench": name, "impl": "torch " + torch.__version__, "ns_per_call_median": med,
                          "samples": samples}))


if __name__ == "__main__":
    main()
