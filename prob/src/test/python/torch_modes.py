#!/usr/bin/env python3
"""Reference modes from torch.distributions for the HasMode implementations (ModeTest).

Run with any Python that has torch (the version is printed in the output's first line):

    python3 prob/src/test/python/torch_modes.py

Its rows (method 'mode', values printed with repr, 'nan' for NaN) go into the per-distribution tables that
reference_tables.py writes (running this script runs that one). Beta and
Dirichlet cover the flat, U-shaped and boundary cases, where torch's formula (c - 1)+ / sum (c - 1)+ meets 0/0 and
torch then answers NaN, or, when every concentration is below 1, the one-hot vector of argmax over a row of NaNs
(index 0); ModeTest says which of these answers the library shares and why it differs where it does.
"""

import os

import torch
from torch.distributions import (Bernoulli, Beta, Binomial, Dirichlet, Exponential, Gamma, Laplace, LogNormal, Normal,
                                 Poisson, StudentT, Uniform)

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
lines = []


def put(family, params, mode):
    p = " ".join(repr(float(v)) for v in params)
    m = " ".join(repr(float(v)) for v in torch.as_tensor(mode).reshape(-1).tolist())
    lines.append(f"{family} {p} : {m}")


t = torch.tensor
for a, b in [(1, 1), (0.5, 0.5), (0.3, 0.5), (0.5, 0.3), (1, 0.5), (0.5, 1), (0.5, 2), (2, 0.5), (1, 2), (2, 1), (2, 2), (3, 1)]:
    put("beta", [a, b], Beta(t(float(a)), t(float(b))).mode)
for c in [[1, 1], [1, 1, 1], [0.5, 0.5], [0.5, 0.5, 0.5], [1, 0.5, 0.5], [1, 1, 0.5], [0.3, 0.9, 0.2], [0.5, 2], [2, 2, 0.5], [1, 2, 3]]:
    put("dirichlet", c, Dirichlet(t([float(v) for v in c])).mode)
for a, r in [(0.5, 2), (1, 2), (2.5, 2)]:
    put("gamma", [a, r], Gamma(t(float(a)), t(float(r))).mode)
for p in [0.3, 0.5, 0.7]:
    put("bernoulli", [p], Bernoulli(t(p)).mode)
for n, p in [(3, 0.5), (4, 0.5), (10, 0.3), (10, 0.99)]:
    put("binomial", [n, p], Binomial(t(float(n)), t(p)).mode)
for r in [0.3, 2.0, 2.5]:
    put("poisson", [r], Poisson(t(r)).mode)
put("exponential", [2.0], Exponential(t(2.0)).mode)
put("uniform", [0.0, 1.0], Uniform(t(0.0), t(1.0)).mode)
put("lognormal", [1.0, 0.5], LogNormal(t(1.0), t(0.5)).mode)
put("studentt", [0.5, 1.0, 2.0], StudentT(t(0.5), t(1.0), t(2.0)).mode)
put("laplace", [1.0, 2.0], Laplace(t(1.0), t(2.0)).mode)
put("normal", [1.0, 2.0], Normal(t(1.0), t(2.0)).mode)
from torch.distributions import Cauchy, Chi2, Geometric, Gumbel, HalfCauchy, HalfNormal, Pareto, Weibull  # noqa: E402
put("halfnormal", [2.0], HalfNormal(t(2.0)).mode)
put("cauchy", [1.0, 2.0], Cauchy(t(1.0), t(2.0)).mode)
put("halfcauchy", [2.0], HalfCauchy(t(2.0)).mode)
put("gumbel", [1.0, 2.0], Gumbel(t(1.0), t(2.0)).mode)
for s, k in [(2.0, 0.5), (2.0, 1.0), (2.0, 3.0)]:
    put("weibull", [s, k], Weibull(t(s), t(k)).mode)
put("pareto", [2.0, 3.0], Pareto(t(2.0), t(3.0)).mode)
for df in [1.0, 2.0, 5.0]:
    put("chi2", [df], Chi2(t(df)).mode)
put("geometric", [0.3], Geometric(t(0.3)).mode)

if __name__ == "__main__":
    import reference_tables
    reference_tables.main()
