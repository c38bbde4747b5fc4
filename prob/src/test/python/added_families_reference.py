#!/usr/bin/python3
"""Reference rows for the families added in the second part of issue 15 (NegativeBinomial, Multinomial, RelaxedBernoulli,
RelaxedOneHotCategorical, ContinuousBernoulli, Kumaraswamy, VonMises, FisherSnedecor, LogisticNormal,
OneHotCategoricalStraightThrough, LKJCholesky, Wishart) and mpmath tail rows of the families added before them (Gumbel,
Weibull, Pareto, HalfNormal, Cauchy, HalfCauchy).

Each value comes from whichever source is exact: scipy.stats where it has the family (nbinom, multinomial, f, wishart;
vonmises only through mpmath, whose Bessel functions are exact), mpmath from the density's closed form where SciPy lacks the
family (ContinuousBernoulli, Kumaraswamy, RelaxedBernoulli's binary Concrete density of Maddison et al. 2017, eq. 23) or its
value is numerically integrated (FisherSnedecor's entropy, by mpmath quadrature of -p log p), and torch 1.13 for families
defined by torch's own construction (RelaxedOneHotCategorical, LogisticNormal's stick-breaking map, LKJCholesky). The
script cross-checks torch against the closed forms where both exist (RelaxedBernoulli, RelaxedOneHotCategorical's Concrete
density) and fails if they disagree.

Rows: (source, dist, params, qdist, qparams, method, arg, value), the format of reference_tables.py, which imports this.
Run:  /usr/bin/python3 prob/src/test/python/reference_tables.py
"""
import math

import mpmath as mp
import numpy as np
import torch
from scipy import special, stats

torch.set_default_dtype(torch.float64)
mp.mp.dps = 40
rows = []


def fmt(v):
    if isinstance(v, (list, tuple, np.ndarray, torch.Tensor)):
        return ",".join(fmt(x) for x in np.asarray(v, dtype=float).ravel())
    if isinstance(v, mp.mpf):
        if mp.isinf(v):
            return "inf" if v > 0 else "-inf"
        return mp.nstr(v, 25, strip_zeros=False, min_fixed=-1, max_fixed=-1) if v != 0 else "0.0"
    v = float(v)
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if math.isnan(v):
        return "nan"
    return repr(v)


def params(d):
    return ";".join(f"{k}={fmt(v)}" for k, v in d.items())


def add(source, dist, p, method, arg, value, qdist="-", q=None):
    rows.append([source, dist, params(p), qdist, "-" if q is None else params(q), method, "-" if arg is None else fmt(arg), fmt(value)])


QS = (0.001, 0.1, 0.5, 0.9, 0.999)
t = torch.tensor
D = torch.distributions

# ---------------------------------------------------------------- NegativeBinomial: scipy's nbinom counts failures before
# n successes of probability p, torch's successes (probs) before totalCount failures: nbinom(n = r, p = 1 - probs)
for r, prob in [(3.0, 0.3), (0.5, 0.8), (12.5, 0.05)]:
    f = stats.nbinom(r, 1 - prob)
    for key, val in [("probs", prob), ("logits", special.logit(prob))]:
        p = {"totalCount": r, key: val}
        for k in [0, 1, 5, 40]:
            add("scipy", "NegativeBinomial", p, "logProb", float(k), f.logpmf(k))
            add("scipy", "NegativeBinomial", p, "cdf", float(k), f.cdf(k))
        for q in QS:
            add("scipy", "NegativeBinomial", p, "icdf", q, f.ppf(q))
        add("scipy", "NegativeBinomial", p, "mean", None, f.mean())
        add("scipy", "NegativeBinomial", p, "variance", None, f.var())
    add("torch", "NegativeBinomial", {"totalCount": r, "probs": prob}, "mode", None, D.NegativeBinomial(t(r), probs=t(prob)).mode)

# ---------------------------------------------------------------- Multinomial
for n, pr in [(5, [0.2, 0.3, 0.5]), (12, [0.1, 0.0, 0.6, 0.3]), (1, [0.25, 0.75])]:
    f = stats.multinomial(n, pr)
    p = {"totalCount": float(n), "probs": pr}
    xs = {5: [[1, 2, 2], [5, 0, 0], [0, 0, 5]], 12: [[2, 0, 7, 3], [0, 0, 12, 0], [12, 0, 0, 0]], 1: [[1, 0], [0, 1]]}[n]
    for x in xs:
        add("scipy", "Multinomial", p, "logProb", [float(v) for v in x], f.logpmf(x))
    add("scipy", "Multinomial", p, "mean", None, f.mean())
    add("scipy", "Multinomial", p, "variance", None, np.diag(f.cov()))
    add("scipy", "Multinomial", p, "entropy", None, f.entropy())

# ---------------------------------------------------------------- RelaxedBernoulli: the binary Concrete density (Maddison,
# Mnih and Teh 2017, eq. 23), p(y) = τ α y^(-τ-1) (1-y)^(-τ-1) / (α y^(-τ) + (1-y)^(-τ))², α = e^l, in mpmath
for tau, prob in [(0.5, 0.3), (1.0, 0.9), (2.5, 0.5), (0.1, 0.02)]:
    a = mp.mpf(prob) / (1 - mp.mpf(prob))
    for key, val in [("probs", prob), ("logits", special.logit(prob))]:
        p = {"temperature": tau, key: val}
        dist = D.RelaxedBernoulli(t(tau), **{key: t(val)})
        for y in [0.01, 0.3, 0.5, 0.97]:
            yy, tt = mp.mpf(y), mp.mpf(tau)
            if key == "logits":
                a = mp.exp(mp.mpf(val))
            v = mp.log(tt * a * yy ** (-tt - 1) * (1 - yy) ** (-tt - 1) / (a * yy ** (-tt) + (1 - yy) ** (-tt)) ** 2)
            tv = dist.log_prob(t(y)).item()
            assert abs(tv - float(v)) < 1e-9 * max(1, abs(tv)), (p, y, tv, v)
            add("mpmath", "RelaxedBernoulli", p, "logProb", y, v)

# ---------------------------------------------------------------- RelaxedOneHotCategorical: torch, checked against the
# Concrete density (ibid., eq. 11 pushed to the simplex): (k-1)! τ^(k-1) Π (αᵢ yᵢ^(-τ-1)) / (Σ αᵢ yᵢ^(-τ))^k
for tau, pr, ys in [(0.5, [0.2, 0.3, 0.5], [[0.1, 0.2, 0.7], [0.98, 0.01, 0.01]]), (2.0, [0.5, 0.5], [[0.3, 0.7], [0.5, 0.5]]),
                    (1.0, [0.1, 0.2, 0.3, 0.4], [[0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]])]:
    dist = D.RelaxedOneHotCategorical(t(tau), probs=t(pr))
    for y in ys:
        k, tt = len(pr), mp.mpf(tau)
        al = [mp.mpf(v) / sum(mp.mpf(w) for w in pr) for v in pr]
        yy = [mp.mpf(v) for v in y]
        dens = mp.factorial(k - 1) * tt ** (k - 1) * mp.fprod(a * v ** (-tt - 1) for a, v in zip(al, yy)) / mp.fsum(
            a * v ** (-tt) for a, v in zip(al, yy)) ** k
        tv = dist.log_prob(t(y)).item()
        assert abs(tv - float(mp.log(dens))) < 1e-9 * max(1, abs(tv)), (pr, y, tv, dens)
        add("torch", "RelaxedOneHotCategorical", {"temperature": tau, "probs": pr}, "logProb", y, tv)
        add("torch", "RelaxedOneHotCategorical", {"temperature": tau, "logits": np.log(pr)}, "logProb", y, tv)

# ---------------------------------------------------------------- ContinuousBernoulli in mpmath from η = logit λ:
# p(x) = η e^(ηx)/expm1(η); cdf expm1(ηx)/expm1(η); quantile log1p(q expm1(η))/η; moments and entropy by quadrature
def cb_rows(p, eta):
    eta = mp.mpf(eta)
    if eta == 0:
        dens = lambda x: mp.mpf(1)
        cdf = lambda x: x
        icdf = lambda q: q
    else:
        dens = lambda x: eta * mp.exp(eta * x) / mp.expm1(eta)
        cdf = lambda x: mp.expm1(eta * x) / mp.expm1(eta)
        icdf = lambda q: mp.log1p(q * mp.expm1(eta)) / eta
    for x in [0.0, 0.1, 0.5, 0.93, 1.0]:
        add("mpmath", "ContinuousBernoulli", p, "logProb", x, mp.log(dens(mp.mpf(x))))
        add("mpmath", "ContinuousBernoulli", p, "cdf", x, cdf(mp.mpf(x)))
    for q in QS:
        add("mpmath", "ContinuousBernoulli", p, "icdf", q, icdf(mp.mpf(q)))
    mean = mp.quad(lambda x: x * dens(x), [0, 1])
    add("mpmath", "ContinuousBernoulli", p, "mean", None, mean)
    add("mpmath", "ContinuousBernoulli", p, "variance", None, mp.quad(lambda x: (x - mean) ** 2 * dens(x), [0, 1]))
    add("mpmath", "ContinuousBernoulli", p, "entropy", None, -mp.quad(lambda x: dens(x) * mp.log(dens(x)), [0, 1]))


for prob in [0.2, 0.4999, 0.5, 0.5000001, 0.8, 1e-4]:
    lam = mp.mpf(prob)
    cb_rows({"probs": prob}, mp.log(lam) - mp.log1p(-lam))
for eta in [-30.0, 1e-9, 0.3, 2.0, 800.0]:
    cb_rows({"logits": eta}, eta)

# ---------------------------------------------------------------- Kumaraswamy in mpmath: density a b x^(a-1) (1 - x^a)^(b-1),
# cdf 1 - (1 - x^a)^b, quantile (1 - (1 - q)^(1/b))^(1/a); moments and entropy by quadrature, the mode by the closed form
for a, b in [(2.0, 3.0), (0.5, 0.7), (5.0, 1.0), (1.0, 1.0), (0.8, 20.0)]:
    p = {"concentration1": a, "concentration0": b}
    A, B = mp.mpf(a), mp.mpf(b)
    dens = lambda x: A * B * x ** (A - 1) * (1 - x ** A) ** (B - 1)
    for x in [1e-6, 0.1, 0.5, 0.9]:
        X = mp.mpf(x)
        add("mpmath", "Kumaraswamy", p, "logProb", x, mp.log(dens(X)))
        add("mpmath", "Kumaraswamy", p, "cdf", x, -mp.expm1(B * mp.log1p(-X ** A)))
    for q in QS + (1e-100,):
        add("mpmath", "Kumaraswamy", p, "icdf", q, (-mp.expm1(mp.log1p(-mp.mpf(q)) / B)) ** (1 / A))
    m1 = B * mp.beta(1 + 1 / A, B)
    add("mpmath", "Kumaraswamy", p, "mean", None, m1)
    add("mpmath", "Kumaraswamy", p, "variance", None, B * mp.beta(1 + 2 / A, B) - m1 ** 2)
    add("mpmath", "Kumaraswamy", p, "entropy", None, -mp.quad(lambda x: dens(x) * mp.log(dens(x)), [0, mp.mpf('0.5'), 1]))
    mode = ((A - 1) / (A * B - 1)) ** (1 / A) if a >= 1 and b >= 1 and not (a == 1 and b == 1) else mp.nan
    if mode == mode:
        add("mpmath", "Kumaraswamy", p, "mode", None, mode)

# ---------------------------------------------------------------- VonMises in mpmath (exact Bessel functions)
for loc, kappa in [(0.0, 0.01), (1.0, 1.0), (-2.0, 19.9), (0.5, 20.0), (3.0, 50.0), (0.0, 1e4)]:
    p = {"loc": loc, "concentration": kappa}
    K = mp.mpf(kappa)
    li0 = mp.log(mp.besseli(0, K))
    for x in [loc, loc + 0.3, loc + 3.0, -3.1]:
        add("mpmath", "VonMises", p, "logProb", x, K * mp.cos(mp.mpf(x) - mp.mpf(loc)) - mp.log(2 * mp.pi) - li0)
    ratio = mp.besseli(1, K) / mp.besseli(0, K)
    add("mpmath", "VonMises", p, "variance", None, 1 - ratio)
    add("mpmath", "VonMises", p, "entropy", None, mp.log(2 * mp.pi) + li0 - K * ratio)

# ---------------------------------------------------------------- FisherSnedecor: scipy's f; the entropy by mpmath quadrature
for d1, d2 in [(3.0, 7.0), (0.5, 2.5), (10.0, 30.0), (1.0, 1.0)]:
    f = stats.f(d1, d2)
    p = {"df1": d1, "df2": d2}
    for x in [0.01, 0.5, 1.0, 4.0, 50.0]:
        add("scipy", "FisherSnedecor", p, "logProb", x, f.logpdf(x))
        add("scipy", "FisherSnedecor", p, "cdf", x, f.cdf(x))
    for q in QS:
        add("scipy", "FisherSnedecor", p, "icdf", q, f.ppf(q))
    if d2 > 4:
        add("scipy", "FisherSnedecor", p, "mean", None, f.mean())
        add("scipy", "FisherSnedecor", p, "variance", None, f.var())
    A, B = mp.mpf(d1) / 2, mp.mpf(d2) / 2
    logd = lambda x: (A * mp.log(mp.mpf(d1) / d2) + (A - 1) * mp.log(x) - (A + B) * mp.log1p(mp.mpf(d1) / d2 * x)
                      - mp.log(mp.beta(A, B)))
    add("mpmath", "FisherSnedecor", p, "entropy", None, -mp.quad(lambda x: mp.exp(logd(x)) * logd(x), [0, mp.mpf('1e-40'), mp.mpf('1e-30'), mp.mpf('1e-20'), mp.mpf('1e-10'), mp.mpf('1e-5'), mp.mpf('0.01'), 1, 10, 100, 1e4, 1e8, mp.inf]))

# ---------------------------------------------------------------- LogisticNormal (torch's stick-breaking construction)
for loc, scale, ys in [([0.0, 0.5], [1.0, 0.3], [[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]]),
                       ([1.0, -1.0, 0.2], [0.5, 2.0, 1.0], [[0.25, 0.25, 0.25, 0.25], [0.1, 0.6, 0.2, 0.1]])]:
    dist = D.LogisticNormal(t(loc), t(scale))
    for y in ys:
        add("torch", "LogisticNormal", {"loc": loc, "scale": scale}, "logProb", y, dist.log_prob(t(y)).item())

# ---------------------------------------------------------------- OneHotCategoricalStraightThrough: scipy's multinomial(1, p)
for pr in [[0.2, 0.3, 0.5], [0.7, 0.0, 0.3]]:
    f = stats.multinomial(1, pr)
    p = {"probs": pr}
    for i in range(len(pr)):
        if pr[i] > 0:
            x = [1.0 if j == i else 0.0 for j in range(len(pr))]
            add("scipy", "OneHotCategoricalStraightThrough", p, "logProb", x, f.logpmf(x))
    add("scipy", "OneHotCategoricalStraightThrough", p, "mean", None, f.mean())
    add("scipy", "OneHotCategoricalStraightThrough", p, "variance", None, np.diag(f.cov()))
    add("scipy", "OneHotCategoricalStraightThrough", p, "entropy", None, f.entropy())

# ---------------------------------------------------------------- LKJCholesky (torch)
for dim, conc in [(2, 1.0), (3, 0.5), (4, 2.5)]:
    dist = D.LKJCholesky(dim, t(conc))
    g = torch.Generator().manual_seed(dim)
    for i in range(2):
        a = torch.randn(dim, dim, generator=g)
        c = a @ a.T + dim * torch.eye(dim)
        s = torch.diag(c.diagonal().rsqrt())
        l = torch.linalg.cholesky(s @ c @ s)
        add("torch", "LKJCholesky", {"dim": float(dim), "concentration": conc}, "logProb", l, dist.log_prob(l).item())
    add("torch", "LKJCholesky", {"dim": float(dim), "concentration": conc}, "logProb", torch.eye(dim),
        dist.log_prob(torch.eye(dim)).item())

# ---------------------------------------------------------------- Wishart: scipy's wishart
for df, a in [(4.0, [[1.0, 0.0], [0.5, 2.0]]), (3.5, [[1.0, 0.0, 0.0], [0.3, 0.8, 0.0], [-0.5, 0.2, 1.5]])]:
    a = np.asarray(a)
    cov = a @ a.T
    f = stats.wishart(df, cov)
    p = {"df": df, "covarianceMatrix": cov}
    n = len(cov)
    for x in [cov, np.eye(n) * 2.0, cov + np.ones((n, n)) * 0.3]:
        add("scipy", "Wishart", p, "logProb", x, f.logpdf(x))
    add("scipy", "Wishart", p, "mean", None, f.mean())
    add("scipy", "Wishart", p, "variance", None, f.var())
    add("scipy", "Wishart", p, "entropy", None, f.entropy())
    if df > n + 1:
        add("scipy", "Wishart", p, "mode", None, f.mode())


# ---------------------------------------------------------------- KL: torch.distributions.kl_divergence for the pairs torch
# registers, each finite continuous value cross-checked here by quadrature of p log(p/q) (scipy.integrate.quad on torch's
# log-densities); where torch's rule is wrong (ContinuousBernoulli against U(0, 1), +inf in torch 1.13) the row is the
# quadrature itself, with source scipy.
from scipy import integrate  # noqa: E402


def torch_dist(name, p):
    T = {k: t(v) for k, v in p.items()}
    return {
        "Beta": lambda: D.Beta(T["concentration1"], T["concentration0"]), "Exponential": lambda: D.Exponential(T["rate"]),
        "Gamma": lambda: D.Gamma(T["concentration"], T["rate"]), "Normal": lambda: D.Normal(T["loc"], T["scale"]),
        "Uniform": lambda: D.Uniform(T["low"], T["high"]), "ContinuousBernoulli": lambda: D.ContinuousBernoulli(probs=T["probs"]),
        "Gumbel": lambda: D.Gumbel(T["loc"], T["scale"]), "Pareto": lambda: D.Pareto(T["scale"], T["alpha"]),
        "Cauchy": lambda: D.Cauchy(T["loc"], T["scale"]), "HalfNormal": lambda: D.HalfNormal(T["scale"]),
        "Geometric": lambda: D.Geometric(probs=T["probs"]), "Bernoulli": lambda: D.Bernoulli(probs=T["probs"]),
        "Poisson": lambda: D.Poisson(T["rate"]), "Binomial": lambda: D.Binomial(T["totalCount"], probs=T["probs"]),
        "Laplace": lambda: D.Laplace(T["loc"], T["scale"]),
        "OneHotCategoricalStraightThrough": lambda: D.OneHotCategoricalStraightThrough(probs=T["probs"]),
        "TransformedDistribution": lambda: D.TransformedDistribution(D.Normal(T["loc"], T["scale"]), [D.ExpTransform()]),
    }[name]()


def quad_kl(tp, tq, lo, hi):
    def g(x):
        x = t(x)
        lp = tp.log_prob(x).item()
        if math.exp(lp) == 0:
            return 0.0                        # far in p's tail: no mass, whatever q's log-density has become there
        return math.exp(lp) * (lp - tq.log_prob(x).item())
    cuts = [lo] + [v for v in (0.0, 1.0) if lo < v < hi] + [hi]
    return sum(integrate.quad(g, a, b, limit=400, epsabs=1e-13, epsrel=1e-12)[0] for a, b in zip(cuts, cuts[1:]))


SUPPORT = {"Beta": (0, 1), "ContinuousBernoulli": (0, 1), "Exponential": (0, math.inf), "Gamma": (0, math.inf),
           "HalfNormal": (0, math.inf), "Normal": (-math.inf, math.inf), "Gumbel": (-math.inf, math.inf),
           "Cauchy": (-math.inf, math.inf)}


def kl_row(pd, pp, qd, qq):
    tp, tq = torch_dist(pd, pp), torch_dist(qd, qq)
    v = D.kl_divergence(tp, tq).item()
    if math.isnan(v):
        # torch's x log x is 0 log 0 = NaN at an end of [0, 1] (Uniform(0, 1) against Beta): the quadrature is the reference
        add("scipy", pd, pp, "kl", None, quad_kl(tp, tq, pp["low"], pp["high"]), qdist=qd, q=qq)
        return
    if math.isfinite(v):
        lo, hi = SUPPORT.get(pd, (None, None))
        if pd == "Uniform":
            lo, hi = pp["low"], pp["high"]
        if pd == "Pareto":
            lo, hi = pp["scale"], math.inf
        if lo is not None:
            qv = quad_kl(tp, tq, lo, hi)
            assert abs(qv - v) <= 1e-6 * max(1, abs(v)), (pd, pp, qd, qq, v, qv)
    add("torch", pd, pp, "kl", None, v, qdist=qd, q=qq)


B23, B55 = dict(concentration1=2.0, concentration0=3.0), dict(concentration1=0.5, concentration0=0.7)
for pd, pp, qd, qq in [
        ("Beta", B23, "Exponential", dict(rate=1.5)), ("Beta", B55, "Exponential", dict(rate=0.2)),
        ("Beta", B23, "Gamma", dict(concentration=2.0, rate=1.5)), ("Beta", B55, "Gamma", dict(concentration=0.5, rate=3.0)),
        ("Beta", B23, "Normal", dict(loc=0.3, scale=0.5)), ("Beta", B55, "Normal", dict(loc=-1.0, scale=2.0)),
        ("Beta", B23, "Uniform", dict(low=0.0, high=1.0)), ("Beta", B23, "Uniform", dict(low=-1.0, high=2.0)),
        ("Beta", B23, "Uniform", dict(low=0.1, high=1.0)),
        ("Beta", B23, "ContinuousBernoulli", dict(probs=0.3)), ("Beta", B55, "ContinuousBernoulli", dict(probs=0.9)),
        ("Gamma", dict(concentration=2.5, rate=2.0), "Normal", dict(loc=1.0, scale=2.0)),
        ("Gamma", dict(concentration=0.7, rate=0.5), "Normal", dict(loc=-1.0, scale=0.5)),
        ("Gamma", dict(concentration=2.5, rate=2.0), "Gumbel", dict(loc=1.0, scale=2.0)),
        ("Exponential", dict(rate=0.7), "Gumbel", dict(loc=-1.0, scale=0.5)),
        ("Normal", dict(loc=0.5, scale=1.2), "Gumbel", dict(loc=0.0, scale=2.0)),
        ("Gumbel", dict(loc=1.0, scale=2.0), "Normal", dict(loc=0.0, scale=3.0)),
        ("Gumbel", dict(loc=1.0, scale=2.0), "Gumbel", dict(loc=0.0, scale=0.5)),
        ("Uniform", dict(low=0.2, high=0.9), "Beta", B23), ("Uniform", dict(low=0.0, high=1.0), "Beta", dict(concentration1=0.5, concentration0=2.0)),
        ("Uniform", dict(low=-0.1, high=0.5), "Beta", B23),
        ("Uniform", dict(low=-1.0, high=2.0), "Gumbel", dict(loc=0.5, scale=1.5)),
        ("Uniform", dict(low=2.0, high=5.0), "Pareto", dict(scale=1.5, alpha=3.0)), ("Uniform", dict(low=1.0, high=2.0), "Pareto", dict(scale=1.5, alpha=3.0)),
        ("Uniform", dict(low=0.2, high=0.7), "ContinuousBernoulli", dict(probs=0.3)),
        ("Uniform", dict(low=-1.0, high=0.5), "ContinuousBernoulli", dict(probs=0.3)),
        ("ContinuousBernoulli", dict(probs=0.3), "ContinuousBernoulli", dict(probs=0.8)),
        ("ContinuousBernoulli", dict(probs=0.9), "ContinuousBernoulli", dict(probs=0.1)),
        ("ContinuousBernoulli", dict(probs=0.3), "Exponential", dict(rate=2.0)),
        ("ContinuousBernoulli", dict(probs=0.3), "Normal", dict(loc=0.5, scale=0.7)),
        ("ContinuousBernoulli", dict(probs=0.3), "Uniform", dict(low=-1.0, high=2.0)),
        ("ContinuousBernoulli", dict(probs=0.3), "Uniform", dict(low=0.2, high=1.0)),
        ("Pareto", dict(scale=2.0, alpha=3.0), "Pareto", dict(scale=1.0, alpha=1.5)), ("Pareto", dict(scale=1.0, alpha=3.0), "Pareto", dict(scale=2.0, alpha=1.0)),
        ("Pareto", dict(scale=2.0, alpha=3.0), "Exponential", dict(rate=0.5)), ("Pareto", dict(scale=1.0, alpha=0.8), "Exponential", dict(rate=1.0)),
        ("Pareto", dict(scale=2.0, alpha=3.0), "Gamma", dict(concentration=2.0, rate=0.5)),
        ("Pareto", dict(scale=2.0, alpha=3.0), "Normal", dict(loc=3.0, scale=2.0)), ("Pareto", dict(scale=1.0, alpha=1.5), "Normal", dict(loc=0.0, scale=1.0)),
        ("Cauchy", dict(loc=0.0, scale=1.0), "Cauchy", dict(loc=1.5, scale=0.4)), ("Cauchy", dict(loc=-2.0, scale=3.0), "Cauchy", dict(loc=-2.0, scale=3.0)),
        ("HalfNormal", dict(scale=1.0), "HalfNormal", dict(scale=2.5)),
        ("Geometric", dict(probs=0.3), "Geometric", dict(probs=0.7)), ("Geometric", dict(probs=0.9), "Geometric", dict(probs=0.05)),
        ("Bernoulli", dict(probs=0.3), "Poisson", dict(rate=2.0)), ("Bernoulli", dict(probs=0.0), "Poisson", dict(rate=0.5)),
        ("Poisson", dict(rate=2.0), "Bernoulli", dict(probs=0.3)), ("Poisson", dict(rate=2.0), "Binomial", dict(totalCount=5.0, probs=0.3)),
        ("Normal", dict(loc=0.0, scale=1.0), "Uniform", dict(low=-1.0, high=1.0)), ("Normal", dict(loc=0.0, scale=1.0), "Beta", B23),
        ("Normal", dict(loc=0.0, scale=1.0), "Gamma", dict(concentration=2.0, rate=1.0)),
        ("Normal", dict(loc=0.0, scale=1.0), "ContinuousBernoulli", dict(probs=0.3)),
        ("Laplace", dict(loc=0.0, scale=1.0), "Exponential", dict(rate=1.0)), ("Gamma", dict(concentration=2.0, rate=1.0), "Uniform", dict(low=0.0, high=5.0)),
        ("Exponential", dict(rate=1.0), "Beta", B23), ("Exponential", dict(rate=1.0), "Pareto", dict(scale=1.0, alpha=2.0)),
        ("Gumbel", dict(loc=0.0, scale=1.0), "Pareto", dict(scale=1.0, alpha=2.0)), ("Pareto", dict(scale=1.0, alpha=2.0), "Uniform", dict(low=0.0, high=5.0)),
        ("TransformedDistribution", dict(loc=0.3, scale=0.8), "TransformedDistribution", dict(loc=-1.0, scale=1.5)),
        ("OneHotCategoricalStraightThrough", dict(probs=[0.2, 0.3, 0.5]), "OneHotCategoricalStraightThrough", dict(probs=[0.6, 0.3, 0.1])),
]:
    kl_row(pd, pp, qd, qq)

# torch 1.13 answers +inf for ContinuousBernoulli against U(0, 1) both ways (its support test uses >= and <=); quadrature
for cp in [0.3, 0.8]:
    tp, tq = torch_dist("ContinuousBernoulli", dict(probs=cp)), D.Uniform(t(0.0), t(1.0))
    assert math.isinf(D.kl_divergence(tp, tq).item())
    add("scipy", "ContinuousBernoulli", dict(probs=cp), "kl", None, quad_kl(tp, tq, 0.0, 1.0), qdist="Uniform", q=dict(low=0.0, high=1.0))
    add("scipy", "Uniform", dict(low=0.0, high=1.0), "kl", None, quad_kl(tq, tp, 0.0, 1.0), qdist="ContinuousBernoulli", q=dict(probs=cp))

# ---------------------------------------------------------------- mpmath tails of the families added before
def tails():
    one_minus = [1 - 2.0 ** -40, 1 - 1e-15]
    tiny = [1e-300, 1e-100, 1e-20]
    for loc, scale in [(0.0, 1.0), (2.0, 0.5)]:
        p = {"loc": loc, "scale": scale}
        for z in [-3.0, -5.0, -6.5, 30.0]:
            x = loc + scale * z
            add("mpmath", "Gumbel", p, "cdf", x, mp.exp(-mp.exp(-(mp.mpf(x) - loc) / scale)))
        for q in tiny + one_minus:
            add("mpmath", "Gumbel", p, "icdf", q, loc - scale * mp.log(-mp.log(mp.mpf(q))))
    for scale, k in [(1.0, 0.5), (2.0, 3.0)]:
        p = {"scale": scale, "concentration": k}
        for x in [1e-100, 1e-10, 30.0]:
            add("mpmath", "Weibull", p, "cdf", x, -mp.expm1(-(mp.mpf(x) / scale) ** k))
        for q in tiny + one_minus:
            add("mpmath", "Weibull", p, "icdf", q, scale * (-mp.log1p(-mp.mpf(q))) ** (1 / mp.mpf(k)))
    for scale, alpha in [(1.0, 3.0), (2.0, 0.5)]:
        p = {"scale": scale, "alpha": alpha}
        for x in [scale * (1 + 2.0 ** -40), scale * 1.001, scale * 1e10]:
            add("mpmath", "Pareto", p, "cdf", x, -mp.expm1(-alpha * mp.log(mp.mpf(x) / scale)))
        for q in tiny + one_minus:
            add("mpmath", "Pareto", p, "icdf", q, scale * mp.exp(-mp.log1p(-mp.mpf(q)) / alpha))
    for scale in [1.0, 3.0]:
        p = {"scale": scale}
        for x in [1e-200, 1e-8, 30.0]:
            add("mpmath", "HalfNormal", p, "cdf", x, mp.erf(mp.mpf(x) / scale / mp.sqrt(2)))
        for q in tiny + one_minus:
            add("mpmath", "HalfNormal", p, "icdf", q, scale * mp.sqrt(2) * mp.erfinv(mp.mpf(q)))
    for loc, scale in [(0.0, 1.0), (1.5, 0.4)]:
        p = {"loc": loc, "scale": scale}
        for x in [-1e10, -1e200, 1e10]:
            z = (mp.mpf(x) - loc) / scale       # ½ + atan(z)/π = -atan(1/z)/π for z < 0, without cancelling ½
            add("mpmath", "Cauchy", p, "cdf", x, -mp.atan(1 / z) / mp.pi if z < 0 else mp.mpf(1) / 2 + mp.atan(z) / mp.pi)
        for q in tiny + one_minus:
            Q = mp.mpf(q)                       # tan(π(q - ½)) = -cot(πq): q - ½ would cancel q's digits at 40 digits too
            add("mpmath", "Cauchy", p, "icdf", q, loc - scale / mp.tan(mp.pi * Q) if Q < 0.5 else loc + scale * mp.tan(mp.pi * (Q - mp.mpf(1) / 2)))
    for scale in [1.0, 0.5]:
        p = {"scale": scale}
        for x in [1e-200, 1e10]:
            add("mpmath", "HalfCauchy", p, "cdf", x, 2 * mp.atan(mp.mpf(x) / scale) / mp.pi)
        for q in tiny + one_minus:
            add("mpmath", "HalfCauchy", p, "icdf", q, scale * mp.tan(mp.pi * mp.mpf(q) / 2))


tails()

if __name__ == "__main__":
    import reference_tables
    reference_tables.main()
