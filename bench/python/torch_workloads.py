"""PyTorch side of dev.deepprob.bench.Workloads: the tutorial's training workloads, the same code in PyTorch.

Each workload runs a warm-up, then a fixed number of training steps, and prints name<TAB>steps<TAB>seconds<TAB>steps/s
(lines starting with # say what ran). The workloads match Workloads.java line by line: the same shapes, data sizes,
losses, optimiser and batch sampling; distributions are built with validate_args=False as deepprob's are.

Run with Debian's python3 (python3-torch 1.13):
  /usr/bin/python3 bench/python/torch_workloads.py [--threads N|default] [--steps N] [--warmup N] [NAME...]
With --cold (and --since EPOCH_MS, the launcher's clock) there is no warm-up and each line is
name<TAB>ms from the launch to the first step's loss<TAB>steps in the first second<TAB>steps/s over it.
"""
import argparse
import os
import sys
import time

START_MS = time.time() * 1000

import torch
import torch.nn.functional as F
from torch import nn
from torch.distributions import MultivariateNormal, kl_divergence

N_CLASSIFY, D, HIDDEN = 2000, 3, 5


def mlp(*sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def classification():
    y = (torch.rand(N_CLASSIFY, 1) < 0.5).float()
    feats = torch.randn(N_CLASSIFY, 2) + (y * 3 - 1.5)
    x = torch.cat([torch.ones(N_CLASSIFY, 1), feats], 1)
    return x, y


def tril_from_vector(d):
    m = d * (d + 1) // 2
    idx, k = [], 0
    for i in range(d):
        for j in range(d):
            if j <= i:
                idx.append(k)
                k += 1
            else:
                idx.append(m)
    index = torch.tensor(idx)

    def fill(v):
        full = torch.cat([v, torch.zeros(1)], 0).gather(0, index).reshape(d, d)
        return full.tril(-1) + torch.diag_embed(full.diagonal().sigmoid())
    return fill


def elbo(bnn):
    x, y = classification()
    if not bnn:
        y = y.reshape(N_CLASSIFY)
    w = D * HIDDEN + HIDDEN if bnn else D
    mean = torch.ones(w, requires_grad=True)
    free = (torch.ones(w * (w + 1) // 2) if bnn else torch.tensor([1., 2, 3, 4, 5, 6])).requires_grad_(True)
    tril = tril_from_vector(w)
    prior = MultivariateNormal(torch.zeros(w), scale_tril=torch.eye(w), validate_args=False)
    opt = torch.optim.Adam([mean, free], lr=0.05)
    scale = 1.0 / (N_CLASSIFY * D)

    def step():
        q = MultivariateNormal(mean, scale_tril=tril(free), validate_args=False)
        ws = q.rsample()
        if bnn:
            logits = torch.tanh(x @ ws[:D * HIDDEN].reshape(D, HIDDEN)) @ ws[D * HIDDEN:].reshape(HIDDEN, 1)
        else:
            logits = x @ ws
        loss = F.binary_cross_entropy_with_logits(logits, y) + kl_divergence(q, prior) * scale
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


class Vae(nn.Module):
    def __init__(self, inp, hidden, latent):
        super().__init__()
        self.fc1 = nn.Linear(inp, hidden)
        self.fc21 = nn.Linear(hidden, latent)
        self.fc22 = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent, hidden)
        self.fc4 = nn.Linear(hidden, inp)

    def loss(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(logvar * 0.5) * torch.randn(mu.shape)
        logits = self.fc4(F.relu(self.fc3(z)))
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return F.binary_cross_entropy_with_logits(logits, x) + kld / x.numel()


def vae_step(data, hidden, latent, batch):
    vae = Vae(data.shape[1], hidden, latent)
    opt = torch.optim.Adam(vae.parameters(), lr=1e-3)

    def step():
        x = data.index_select(0, torch.randint(0, data.shape[0], (batch,)))
        loss = vae.loss(x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def vae_toy():
    data = torch.zeros(2000, 4)
    data[torch.arange(2000), torch.arange(2000) // 500] = 1
    return vae_step(data, 200, 2, 5)


def vae_mnist():
    return vae_step((torch.rand(1024, 784) < 0.5).float(), 400, 20, 128)


def discriminator():
    pts = torch.cat([torch.rand(3000, 2) * 11 - 3, torch.randn(3000, 2) + 3], 0)
    labels = torch.cat([torch.zeros(3000, 1), torch.ones(3000, 1)], 0)
    d = mlp(2, 30, 20, 10, 1)
    opt = torch.optim.Adam(d.parameters(), lr=1e-3)

    def step():
        idx = torch.randint(0, 6000, (50,))
        x, y = pts.index_select(0, idx), labels.index_select(0, idx)
        loss = F.binary_cross_entropy_with_logits(d(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def gan(ring):
    if ring:
        c = torch.tensor([[0., 8], [0, -8], [-8, 0], [8, 0], [4, 4], [-4, -4], [-4, 4], [4, -4]])
        real = torch.randn(1600, 2) * 0.5 + c.index_select(0, torch.randint(0, 8, (1600,)))
        gen, disc = mlp(2, 300, 300, 150, 2), mlp(2, 300, 300, 150, 1)
    else:
        real = torch.randn(2000, 2) @ torch.tensor([[1., 0.8], [0, 0.6]]) + 5
        gen, disc = mlp(2, 100, 100, 2), mlp(2, 100, 100, 1)
    d_params = list(disc.parameters())
    g_opt, d_opt = torch.optim.Adam(gen.parameters(), lr=1e-3), torch.optim.Adam(d_params, lr=1e-3)
    d_labels = torch.cat([torch.zeros(50, 1), torch.ones(50, 1)], 0)
    g_labels = torch.ones(50, 1)

    def step():
        for _ in range(5):
            with torch.no_grad():
                fake = gen(torch.randn(50, 2))
            real_batch = real.index_select(0, torch.randint(0, real.shape[0], (50,)))
            loss = F.binary_cross_entropy_with_logits(disc(torch.cat([fake, real_batch], 0)), d_labels)
            d_opt.zero_grad()
            loss.backward()
            d_opt.step()
        for p in d_params:
            p.requires_grad_(False)
        loss = F.binary_cross_entropy_with_logits(disc(gen(torch.randn(50, 2))), g_labels)
        g_opt.zero_grad()
        loss.backward()
        g_opt.step()
        for p in d_params:
            p.requires_grad_(True)
        return loss.item()
    return step


# name: (default steps, builder); fewer steps than Workloads.java where PyTorch is slower, so each run takes ~1-2 s
WORKLOADS = {
    "nb4_elbo_logreg": (1000, lambda: elbo(False)),
    "nb5_bnn": (500, lambda: elbo(True)),
    "nb6_vae_toy": (1000, vae_toy),
    "nb7_discriminator": (2000, discriminator),
    "nb8_gan": (150, lambda: gan(False)),
    "nb9_gan_ring": (50, lambda: gan(True)),
    "vae_mnist_b128": (100, vae_mnist),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", default="1", help="intra-op threads, or 'default' for PyTorch's own choice")
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--warmup", type=int, default=None)
    ap.add_argument("--cold", action="store_true", help="no warm-up: ms from launch to the first loss, steps in the first second")
    ap.add_argument("--since", type=int, default=None, help="the launch time in epoch milliseconds (default: now)")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    if args.threads != "default":
        torch.set_num_threads(int(args.threads))
    names = [n for arg in args.names for n in arg.split(",") if n] or list(WORKLOADS)
    for n in names:
        if n not in WORKLOADS:
            sys.exit(f"torch_workloads: unknown workload '{n}'; expected one of {', '.join(WORKLOADS)}")
    cap = [ln.split(":", 1)[1].strip() for ln in torch.__config__.show().splitlines() if "CPU capability usage" in ln]
    print(f"# torch {torch.__version__} threads={torch.get_num_threads()} cpu_capability={cap[0] if cap else '?'} "
          f"ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY', '')}", flush=True)
    if args.cold:
        for n in names:
            torch.manual_seed(0)
            t0 = time.perf_counter()
            step = WORKLOADS[n][1]()
            step()
            first_ms = time.time() * 1000 - (args.since if args.since is not None else START_MS)
            k = 1
            while time.perf_counter() - t0 < 1.0:
                step()
                k += 1
            print(f"{n}\t{first_ms:.0f}\t{k}\t{k / (time.perf_counter() - t0):.2f}", flush=True)
        return
    for n in names:
        default_steps, build = WORKLOADS[n]
        steps = args.steps or default_steps
        warmup = steps if args.warmup is None else args.warmup
        torch.manual_seed(0)
        step = build()
        for _ in range(warmup):
            step()
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(steps):
            step()
        sec, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"# cpu\t{n}\t{steps}\t{cpu:.4f}\t{steps / cpu:.2f}")
        print(f"{n}\t{steps}\t{sec:.4f}\t{steps / sec:.2f}", flush=True)


if __name__ == "__main__":
    main()
