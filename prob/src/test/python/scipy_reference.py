#!/usr/bin/python3
"""Reference values for the univariate distributions' tests, computed with SciPy.

Run with Debian's Python, which has scipy and numpy:

    /usr/bin/python3 prob/src/test/python/scipy_reference.py

Its rows go, with the mpmath and torch rows, into one table per distribution,
prob/src/test/resources/reference/<Distribution>.tsv, written by reference_tables.py (running this script runs that
one); UnivariateScipyReferenceTest reads the rows whose source is 'scipy', so the tests never need Python. Each row is

    source  p_dist  p_params  q_dist  q_params  method  arg  value

separated by tabs. Parameters are name=value pairs joined by ';', vector values and vector arguments are
comma-separated, and q_dist/q_params are '-' except for method 'kl'. Values are printed with repr (17
significant digits); 'inf' marks an infinite KL.

logpdf/logpmf, cdf, ppf (icdf), mean, var and entropy come from scipy.stats, except two entropies where SciPy is
off (Chi2's and Geometric's: closed forms in mpmath instead, noted where they are computed). KL divergences are computed
independently of the closed forms under test: by adaptive quadrature (scipy.integrate.quad, dblquad for a
3-category Dirichlet) of p log(p/q) for continuous pairs and by summing the pmf for discrete ones.
"""

import math
import os

import numpy as np
from scipy import integrate, special, stats

HERE = os.path.dirname(os.path.abspath(__file__))

rows = []


def fmt(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return ",".join(fmt(x) for x in np.asarray(v, dtype=float).ravel())
    v = float(v)
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def params(d):
    return ";".join(f"{k}={fmt(v)}" for k, v in d.items())


def add(dist, p, method, arg, value, qdist="-", q=None):
    rows.append("\t".join([dist, params(p), qdist, "-" if q is None else params(q), method,
                           "-" if arg is None else fmt(arg), fmt(value)]))


def univariate(dist, p, frozen, xs, cdf=True, icdf_qs=(), entropy=True, moments=True, discrete=False):
    for x in xs:
        add(dist, p, "logProb", x, frozen.logpmf(x) if discrete else frozen.logpdf(x))
        if cdf:
            add(dist, p, "cdf", x, frozen.cdf(x))
    for q in icdf_qs:
        add(dist, p, "icdf", q, frozen.ppf(q))
    if moments:
        add(dist, p, "mean", None, frozen.mean())
        add(dist, p, "variance", None, frozen.var())
    if entropy:
        add(dist, p, "entropy", None, frozen.entropy())


QS = (0.001, 0.1, 0.5, 0.9, 0.999)

# ---------------------------------------------------------------- continuous
for loc, scale in [(0.0, 1.0), (0.5, 2.0), (-3.0, 0.1)]:
    univariate("Normal", dict(loc=loc, scale=scale), stats.norm(loc, scale),
               [loc - 3 * scale, loc - 0.7 * scale, loc, loc + 1.3 * scale, loc + 8 * scale], icdf_qs=QS)

for loc, scale in [(0.0, 1.0), (0.3, 0.5), (-1.0, 1.7)]:
    f = stats.lognorm(s=scale, scale=math.exp(loc))
    univariate("LogNormal", dict(loc=loc, scale=scale), f, [0.05, 0.5, 1.0, 2.5, 20.0], icdf_qs=QS)

for low, high in [(0.0, 1.0), (-2.0, 3.5), (10.0, 10.25)]:
    f = stats.uniform(loc=low, scale=high - low)
    xs = [low, low + 0.3 * (high - low), high]
    univariate("Uniform", dict(low=low, high=high), f, xs, icdf_qs=QS)
    for x in [low - 1.0, high + 1.0]:
        add("Uniform", dict(low=low, high=high), "cdf", x, f.cdf(x))

for loc, scale in [(0.0, 1.0), (1.5, 0.3), (-2.0, 4.0)]:
    univariate("Laplace", dict(loc=loc, scale=scale), stats.laplace(loc, scale),
               [loc - 5 * scale, loc - 0.2 * scale, loc, loc + 0.9 * scale, loc + 30 * scale], icdf_qs=QS)

for rate in [1.0, 0.25, 7.5]:
    univariate("Exponential", dict(rate=rate), stats.expon(scale=1 / rate), [0.0, 0.01, 0.5, 3.0, 40.0], icdf_qs=QS)

for a, rate in [(1.0, 1.0), (0.3, 2.0), (2.5, 0.5), (40.0, 3.0)]:
    f = stats.gamma(a, scale=1 / rate)
    xs = [0.001, 0.1, a / rate, 3 * a / rate + 1]
    univariate("Gamma", dict(concentration=a, rate=rate), f, xs, icdf_qs=QS)

for a, b in [(1.0, 1.0), (0.5, 0.5), (2.0, 5.0), (30.0, 0.7)]:
    univariate("Beta", dict(concentration1=a, concentration0=b), stats.beta(a, b), [0.001, 0.2, 0.5, 0.97], icdf_qs=QS)

for df, loc, scale in [(1.0, 0.0, 1.0), (2.5, 1.0, 2.0), (7.0, -1.0, 0.5), (100.0, 0.0, 1.0)]:
    f = stats.t(df, loc, scale)
    xs = [loc - 10 * scale, loc - scale, loc, loc + 0.4 * scale]
    univariate("StudentT", dict(df=df, loc=loc, scale=scale), f, xs + [loc + 1e-9 * scale, loc + 3e4 * scale], icdf_qs=QS, moments=False)
    if df > 2:
        add("StudentT", dict(df=df, loc=loc, scale=scale), "mean", None, f.mean())
        add("StudentT", dict(df=df, loc=loc, scale=scale), "variance", None, f.var())

for alpha in [[1.0, 1.0, 1.0], [0.5, 2.0, 3.5], [10.0, 0.8, 4.0, 2.0]]:
    f = stats.dirichlet(alpha)
    k = len(alpha)
    pts = [np.full(k, 1.0 / k), np.array([0.7] + [0.3 / (k - 1)] * (k - 1)), np.linspace(1, 2, k) / np.linspace(1, 2, k).sum()]
    p = dict(concentration=alpha)
    for x in pts:
        add("Dirichlet", p, "logProb", x, f.logpdf(x))
    add("Dirichlet", p, "mean", None, f.mean())
    add("Dirichlet", p, "variance", None, f.var())
    add("Dirichlet", p, "entropy", None, f.entropy())

# ---------------------------------------------------------------- discrete
for prob in [0.3, 0.999, 1e-4]:
    f = stats.bernoulli(prob)
    univariate("Bernoulli", dict(probs=prob), f, [0.0, 1.0], cdf=False, discrete=True)
    univariate("Bernoulli", dict(logits=special.logit(prob)), f, [0.0, 1.0], cdf=False, discrete=True)

for n, prob in [(10, 0.3), (1, 0.5), (200, 0.9), (1000, 0.01)]:
    f = stats.binom(n, prob)
    ks = sorted({0, 1, int(n * prob), n})
    univariate("Binomial", dict(totalCount=n, probs=prob), f, ks, icdf_qs=QS, discrete=True)
    univariate("Binomial", dict(totalCount=n, logits=special.logit(prob)), f, ks, icdf_qs=QS, discrete=True)

for rate in [0.5, 4.0, 150.0]:
    f = stats.poisson(rate)
    univariate("Poisson", dict(rate=rate), f, [0, 1, int(rate), 3 * int(rate) + 5], icdf_qs=QS, entropy=False, discrete=True)

for w in [[0.2, 0.3, 0.5], [1.0, 1.0, 2.0, 4.0], [0.9999, 0.0001]]:
    pr = np.asarray(w) / np.sum(w)
    m = stats.multinomial(1, pr)
    for key, val in [("probs", w), ("logits", np.log(w) + 0.7)]:
        for i in range(len(w)):
            onehot = np.eye(len(w))[i]
            add("Categorical", {key: val}, "logProb", i, m.logpmf(onehot))
            add("OneHotCategorical", {key: val}, "logProb", onehot, m.logpmf(onehot))
        add("Categorical", {key: val}, "entropy", None, stats.entropy(pr))
        add("OneHotCategorical", {key: val}, "entropy", None, m.entropy())
        add("OneHotCategorical", {key: val}, "mean", None, pr)
        add("OneHotCategorical", {key: val}, "variance", None, np.diag(m.cov()))

# ---------------------------------------------------------------- families added with issue 15
for scale in [1.0, 0.3, 4.0]:
    univariate("HalfNormal", dict(scale=scale), stats.halfnorm(scale=scale), [0.0, 0.1 * scale, scale, 4 * scale], icdf_qs=QS)

for loc, scale in [(0.0, 1.0), (1.5, 0.4), (-3.0, 2.5)]:
    f = stats.cauchy(loc, scale)
    univariate("Cauchy", dict(loc=loc, scale=scale), f, [loc - 50 * scale, loc - scale, loc, loc + 0.3 * scale, loc + 7 * scale],
               icdf_qs=QS, moments=False)

for scale in [1.0, 0.5, 3.0]:
    univariate("HalfCauchy", dict(scale=scale), stats.halfcauchy(scale=scale), [0.0, 0.2 * scale, scale, 30 * scale],
               icdf_qs=QS, moments=False)

for loc, scale in [(0.0, 1.0), (2.0, 0.5), (-1.0, 3.0)]:
    univariate("Gumbel", dict(loc=loc, scale=scale), stats.gumbel_r(loc, scale),
               [loc - 2 * scale, loc, loc + 0.7 * scale, loc + 10 * scale], icdf_qs=QS)

for scale, k in [(1.0, 1.0), (2.0, 0.5), (0.7, 3.5)]:
    univariate("Weibull", dict(scale=scale, concentration=k), stats.weibull_min(c=k, scale=scale),
               [0.01 * scale, 0.5 * scale, scale, 3 * scale], icdf_qs=QS)

for scale, alpha in [(1.0, 3.0), (2.0, 1.5), (0.5, 0.8)]:
    f = stats.pareto(b=alpha, scale=scale)
    univariate("Pareto", dict(scale=scale, alpha=alpha), f, [scale, 1.5 * scale, 10 * scale], icdf_qs=QS, moments=False)
    add("Pareto", dict(scale=scale, alpha=alpha), "mean", None, f.mean())
    add("Pareto", dict(scale=scale, alpha=alpha), "variance", None, f.var())

import mpmath  # noqa: E402  (closed forms where SciPy's value is off: its chi2 entropy at df = 1 by 5.6e-10, and its
#                            geometric entropy, summed numerically, by 1.7e-14 at p = 0.3 and by 43% at p = 0.01)
mpmath.mp.dps = 40
for df in [1.0, 3.0, 12.5]:
    univariate("Chi2", dict(df=df), stats.chi2(df), [0.01, 1.0, df, 4 * df], icdf_qs=QS, entropy=False)
    a = mpmath.mpf(df) / 2
    add("Chi2", dict(df=df), "entropy", None, float(a + mpmath.log(2) + mpmath.loggamma(a) + (1 - a) * mpmath.digamma(a)))

for prob in [0.3, 0.9, 0.01]:
    f = stats.geom(prob, loc=-1)                   # failures before the first success, as torch's
    for key, val in [("probs", prob), ("logits", special.logit(prob))]:
        univariate("Geometric", {key: val}, f, [0, 1, 5, 40], icdf_qs=QS, discrete=True, entropy=False)
        mp_p = mpmath.mpf(prob)
        add("Geometric", {key: val}, "entropy", None, float(-(mp_p * mpmath.log(mp_p) + (1 - mp_p) * mpmath.log1p(-mp_p)) / mp_p))

# ---------------------------------------------------------------- multivariate and wrappers
for loc, a in [([0.5, -1.0, 2.0], [[1.0, 0.0, 0.0], [0.3, 0.8, 0.0], [-0.5, 0.2, 1.5]]), ([0.0, 0.0], [[2.0, 0.0], [-1.0, 0.5]])]:
    a = np.asarray(a)
    cov = a @ a.T
    f = stats.multivariate_normal(loc, cov)
    p = dict(loc=loc, covarianceMatrix=cov.ravel())
    d = len(loc)
    for x in [np.asarray(loc), np.asarray(loc) + np.linspace(-1, 1.5, d), np.asarray(loc) - 3.0]:
        add("MultivariateNormal", p, "logProb", x, f.logpdf(x))
    add("MultivariateNormal", p, "mean", None, np.asarray(loc))
    add("MultivariateNormal", p, "variance", None, np.diag(cov))
    add("MultivariateNormal", p, "entropy", None, f.entropy())

for loc, w, dg in [([0.5, -1.0, 2.0], [[1.0, 0.2], [-0.3, 0.8], [0.5, -1.1]], [0.5, 1.2, 0.3])]:
    w = np.asarray(w)
    cov = w @ w.T + np.diag(dg)
    f = stats.multivariate_normal(loc, cov)
    p = dict(loc=loc, covFactor=w.ravel(), covDiag=dg)
    for x in [np.asarray(loc), np.asarray([1.0, 0.0, -1.0]), np.asarray(loc) + 4.0]:
        add("LowRankMultivariateNormal", p, "logProb", x, f.logpdf(x))
    add("LowRankMultivariateNormal", p, "mean", None, np.asarray(loc))
    add("LowRankMultivariateNormal", p, "variance", None, np.diag(cov))
    add("LowRankMultivariateNormal", p, "entropy", None, f.entropy())

# Independent(Normal(loc, scale), 1): one event of 3 independent normals
for loc, scale in [([0.0, 1.0, -2.0], [1.0, 0.5, 3.0])]:
    fs = [stats.norm(m, s) for m, s in zip(loc, scale)]
    p = dict(loc=loc, scale=scale)
    for x in [np.asarray(loc), np.asarray([0.3, -1.0, 4.0])]:
        add("Independent", p, "logProb", x, sum(f.logpdf(v) for f, v in zip(fs, x)))
    add("Independent", p, "mean", None, np.asarray(loc))
    add("Independent", p, "variance", None, np.asarray(scale) ** 2)
    add("Independent", p, "entropy", None, sum(f.entropy() for f in fs))

# TransformedDistribution(Normal(loc, scale), ExpTransform) is the log-normal
for loc, scale in [(0.3, 0.8), (-1.0, 1.5)]:
    univariate("TransformedDistribution", dict(loc=loc, scale=scale), stats.lognorm(s=scale, scale=math.exp(loc)),
               [0.05, 1.0, 6.0], icdf_qs=QS, moments=False, entropy=False)

# MixtureSameFamily(Categorical(probs), Normal(loc, scale)); the quantile by root-finding on the weighted cdf
for probs, loc, scale in [([0.2, 0.5, 0.3], [-2.0, 0.5, 3.0], [0.5, 1.0, 0.7])]:
    fs = [stats.norm(m, s) for m, s in zip(loc, scale)]
    pdf = lambda x: sum(w * f.pdf(x) for w, f in zip(probs, fs))
    cdf = lambda x: sum(w * f.cdf(x) for w, f in zip(probs, fs))
    p = dict(probs=probs, loc=loc, scale=scale)
    for x in [-3.0, -0.5, 1.0, 4.0]:
        add("MixtureSameFamily", p, "logProb", x, math.log(pdf(x)))
        add("MixtureSameFamily", p, "cdf", x, cdf(x))
    from scipy import optimize
    for q in QS:
        add("MixtureSameFamily", p, "icdf", q, optimize.brentq(lambda x: cdf(x) - q, -20, 20, xtol=1e-15, rtol=1e-15))
    mean = sum(w * m for w, m in zip(probs, loc))
    add("MixtureSameFamily", p, "mean", None, mean)
    add("MixtureSameFamily", p, "variance", None, sum(w * (s * s + (m - mean) ** 2) for w, m, s in zip(probs, loc, scale)))

# ---------------------------------------------------------------- KL by quadrature and summation


def kl_quad(fp, fq, lo, hi, points=None):
    def g(x):
        lp = fp.logpdf(x)
        return math.exp(lp) * (lp - fq.logpdf(x)) if lp > -745 else 0.0
    v, err = integrate.quad(g, lo, hi, limit=500, epsabs=1e-13, epsrel=1e-12, points=points)
    return v


def kl_sum(fp, fq, ks):
    total = 0.0
    for k in ks:
        lp = fp.logpmf(k)
        if lp > -np.inf:
            total += math.exp(lp) * (lp - fq.logpmf(k))
    return total


INF = float("inf")


def kl(pd, pp, qd, qq, value):
    add(pd, pp, "kl", None, value, qdist=qd, q=qq)


def normal(p): return stats.norm(p["loc"], p["scale"])
def laplace(p): return stats.laplace(p["loc"], p["scale"])
def gamma(p): return stats.gamma(p["concentration"], scale=1 / p["rate"])
def expon(p): return stats.expon(scale=1 / p["rate"])
def unif(p): return stats.uniform(p["low"], p["high"] - p["low"])


for p, q in [(dict(loc=0.0, scale=1.0), dict(loc=1.0, scale=2.0)), (dict(loc=-2.0, scale=0.3), dict(loc=0.5, scale=0.7))]:
    lo, hi = p["loc"] - 40 * p["scale"], p["loc"] + 40 * p["scale"]
    kl("Normal", p, "Normal", q, kl_quad(normal(p), normal(q), lo, hi, points=[p["loc"]]))
    fp = stats.lognorm(s=p["scale"], scale=math.exp(p["loc"]))
    fq = stats.lognorm(s=q["scale"], scale=math.exp(q["loc"]))
    lo12, hi12 = math.exp(p["loc"] - 12 * p["scale"]), math.exp(p["loc"] + 12 * p["scale"])
    kl("LogNormal", p, "LogNormal", q, kl_quad(fp, fq, lo12, hi12, points=[math.exp(p["loc"] + k * p["scale"]) for k in (-3, 0, 3)]))
    lq = dict(loc=q["loc"], scale=q["scale"])
    kl("Normal", p, "Laplace", lq, kl_quad(normal(p), laplace(lq), lo, hi, points=sorted({p["loc"], q["loc"]})))
    kl("Laplace", lq, "Normal", p, kl_quad(laplace(lq), normal(p), q["loc"] - 60 * q["scale"], q["loc"] + 60 * q["scale"],
                                           points=[q["loc"]]))

for p, q in [(dict(loc=0.0, scale=1.0), dict(loc=0.5, scale=2.0)), (dict(loc=3.0, scale=0.5), dict(loc=-1.0, scale=1.5))]:
    kl("Laplace", p, "Laplace", q, kl_quad(laplace(p), laplace(q), p["loc"] - 60 * p["scale"], p["loc"] + 60 * p["scale"],
                                           points=[p["loc"], q["loc"]]))

for p, q in [(dict(concentration=2.0, rate=1.0), dict(concentration=0.5, rate=3.0)),
             (dict(concentration=0.7, rate=0.2), dict(concentration=4.0, rate=1.0))]:
    kl("Gamma", p, "Gamma", q, kl_quad(gamma(p), gamma(q), 0, np.inf))
    e = dict(rate=1.3)
    kl("Gamma", p, "Exponential", e, kl_quad(gamma(p), expon(e), 0, np.inf))
    kl("Exponential", e, "Gamma", q, kl_quad(expon(e), gamma(q), 0, np.inf))

for p, q in [(dict(rate=1.0), dict(rate=3.0)), (dict(rate=0.2), dict(rate=0.05))]:
    kl("Exponential", p, "Exponential", q, kl_quad(expon(p), expon(q), 0, np.inf))
    nq = dict(loc=1.0, scale=2.0)
    kl("Exponential", p, "Normal", nq, kl_quad(expon(p), normal(nq), 0, np.inf))

for p, q in [(dict(concentration1=2.0, concentration0=3.0), dict(concentration1=1.0, concentration0=1.0)),
             (dict(concentration1=0.6, concentration0=4.0), dict(concentration1=5.0, concentration0=2.5))]:
    fp = stats.beta(p["concentration1"], p["concentration0"])
    fq = stats.beta(q["concentration1"], q["concentration0"])
    kl("Beta", p, "Beta", q, kl_quad(fp, fq, 0, 1))

for p, q in [(dict(low=0.0, high=1.0), dict(low=-1.0, high=3.0)), (dict(low=0.5, high=2.0), dict(low=0.5, high=2.0)),
             (dict(low=-1.0, high=1.0), dict(low=0.0, high=2.0))]:
    inside = q["low"] <= p["low"] and p["high"] <= q["high"]
    kl("Uniform", p, "Uniform", q, kl_quad(unif(p), unif(q), p["low"], p["high"]) if inside else INF)

for p in [dict(low=0.0, high=1.0), dict(low=1.5, high=4.0), dict(low=-1.0, high=2.0)]:
    nq = dict(loc=0.5, scale=1.5)
    kl("Uniform", p, "Normal", nq, kl_quad(unif(p), normal(nq), p["low"], p["high"]))
    eq = dict(rate=0.7)
    gq = dict(concentration=2.5, rate=1.2)
    if p["low"] >= 0:
        kl("Uniform", p, "Exponential", eq, kl_quad(unif(p), expon(eq), p["low"], p["high"]))
        kl("Uniform", p, "Gamma", gq, kl_quad(unif(p), gamma(gq), p["low"], p["high"]))
    else:
        kl("Uniform", p, "Exponential", eq, INF)
        kl("Uniform", p, "Gamma", gq, INF)

for p, q in [([1.5, 2.0, 3.0], [1.0, 1.0, 1.0]), ([4.0, 1.2, 2.0], [2.0, 3.0, 1.5])]:
    fp, fq = stats.dirichlet(p), stats.dirichlet(q)

    def g(x2, x1):
        x = np.array([x1, x2, max(1.0 - x1 - x2, 0.0)])
        if x[2] <= 0 or x1 <= 0 or x2 <= 0:
            return 0.0
        lp = fp.logpdf(x)
        return math.exp(lp) * (lp - fq.logpdf(x))
    v, _ = integrate.dblquad(g, 0, 1, 0, lambda x1: 1 - x1, epsabs=1e-12, epsrel=1e-11)
    kl("Dirichlet", dict(concentration=p), "Dirichlet", dict(concentration=q), v)

for p, q in [(0.3, 0.6), (0.999, 0.01), (0.0, 0.5), (0.5, 1.0)]:
    v = kl_sum(stats.bernoulli(p), stats.bernoulli(q), [0, 1]) if not (q == 1.0 and p < 1) else INF
    kl("Bernoulli", dict(probs=p), "Bernoulli", dict(probs=q), v)
    if 0 < p < 1 and 0 < q < 1:
        kl("Bernoulli", dict(logits=special.logit(p)), "Bernoulli", dict(logits=special.logit(q)), v)

for n, p, q in [(10, 0.3, 0.6), (50, 0.05, 0.2)]:
    kl("Binomial", dict(totalCount=n, probs=p), "Binomial", dict(totalCount=n, probs=q),
       kl_sum(stats.binom(n, p), stats.binom(n, q), range(n + 1)))

for p, q in [(1.5, 4.0), (20.0, 18.0), (0.0, 2.0)]:
    kl("Poisson", dict(rate=p), "Poisson", dict(rate=q), kl_sum(stats.poisson(p), stats.poisson(q), range(400)))

for p, q in [([0.2, 0.3, 0.5], [0.6, 0.3, 0.1]), ([0.0, 0.5, 0.5], [0.25, 0.25, 0.5]), ([0.5, 0.5, 0.0], [0.5, 0.0, 0.5])]:
    pp, qq = np.asarray(p), np.asarray(q)
    v = float(np.sum(special.rel_entr(pp, qq)))
    kl("Categorical", dict(probs=p), "Categorical", dict(probs=q), v)
    kl("OneHotCategorical", dict(probs=p), "OneHotCategorical", dict(probs=q), v)

if __name__ == "__main__":
    import reference_tables
    reference_tables.main()
