"""PyTorch side of SmallModelBench: microseconds per training step (forward, BCE-with-logits, backward, Adam).

Run with Debian's python3 (python3-torch): /usr/bin/python3 bench/python/torch_small.py [--threads N]
"""
import argparse
import json
import statistics
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for net in ["2-100-100-1", "2-300-300-150-1"]:
        sizes = [int(s) for s in net.split("-")]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.randn(100, sizes[0])
        y = (torch.rand(100, 1) < 0.5).float()
        loss_fn = torch.nn.BCEWithLogitsLoss()

        def step():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss.item()

        for _ in range(300):
            step()
        samples = []
        for _ in range(7):
            n = 300
            t0 = time.perf_counter_ns()
            for _ in range(n):
                step()
            samples.append((time.perf_counter_ns() - t0) / n / 1000)
        print(json.dumps({"bench": "trainStep", "net": net, "impl": "torch " + torch.__version__,
                          "us_per_step_median": statistics.median(samples), "samples": samples}))


if __name__ == "__main__":
    main()
