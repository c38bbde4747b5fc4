#!/usr/bin/env python3
"""Arbitrary-precision references for the distributions' cdf and icdf in their tails and for extreme parameters, by
mpmath (the SciPy table, scipy_reference.tsv, covers the ordinary range; SciPy itself is off in these tails).

Its rows go into the per-distribution tables that reference_tables.py writes (running this script runs that one),
read by MpmathDistributionReferenceTest: one row per value (source 'mpmath', the value to 25 significant digits),
every number in the first four columns the shortest decimal that Java parses back to the same double, and the value the
exact function of those doubles. The mpmath methods (and their cross-checks) are the engine's, imported from
engine/src/test/python/mpmath_reference.py. Parameters that multiply the argument (Gamma's rate) are powers of two,
so the library's product is exact and the reference needs no allowance for it.

Run: python3 prob/src/test/python/mpmath_reference.py   (a few minutes)
"""
import math
import os
import sys

import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "engine", "src", "test", "python"))
import mpmath_reference as ref  # noqa: E402  (the engine's helpers: ndtri, gamma_pq, gamma_quantile, beta_*, student_t_*)

num, val = ref.num, ref.val
TINY = mp.mpf('1e-300')


def poisson_cdf(lam, k):
    """P(X <= k) = Q(k + 1, λ) (DLMF 8.4.10)."""
    return ref.gamma_q(k + 1, lam)


def poisson_quantile(lam, q):
    """The smallest k with P(X <= k) >= q (SciPy's ppf convention), by stepping from the normal approximation. Returns
    (k, margin): margin is how far q is from the cdf at k and k - 1, relative, so rows that a rounding could flip are
    left out."""
    q = mp.mpf(q)
    k = max(0, int(math.floor(lam + float(ref.ndtri(q)) * math.sqrt(lam))))
    while k > 0 and poisson_cdf(lam, k - 1) >= q:
        k -= 1
    while poisson_cdf(lam, k) < q:
        k += 1
    hi = poisson_cdf(lam, k)
    lo = poisson_cdf(lam, k - 1) if k > 0 else mp.mpf(0)
    margin = min(abs(hi - q) / q, abs(q - lo) / q)
    return k, margin


def rows():
    out = []

    def add(dist, params, method, arg, value):
        ps = ";".join(f"{k}={num(v)}" for k, v in params)
        out.append((dist, ps, method, num(arg), val(value)))

    one_minus = [1 - e for e in ref.ONE_MINUS]

    # Normal and LogNormal quantiles: the lower tail down to the smallest double, the upper up to 1 - 2^-53
    qs = [5e-324, 1e-310, 1e-300, 1e-200, 1e-100, 1e-30, 1e-16, 1e-10, 1e-5, 1e-3, 0.1, 0.24, 0.25, 0.3, 0.5, 0.7,
          0.9] + one_minus
    for loc, scale in [(0.0, 1.0), (3.0, 0.5), (-2.0, 4.0)]:
        for q in qs:
            add("Normal", [("loc", loc), ("scale", scale)], "icdf", q, loc + scale * ref.ndtri(q))
    for loc, scale in [(0.0, 1.0), (1.0, 2.0)]:
        for q in qs:
            v = mp.exp(loc + scale * ref.ndtri(q))
            if TINY < v < mp.mpf('1e300'):
                add("LogNormal", [("loc", loc), ("scale", scale)], "icdf", q, v)

    # Gamma: the cdf through the transition x ≈ a ± k √a, the quantile in both tails
    for a, rate in [(1e-3, 1.0), (0.1, 2.0), (1.0, 1.0), (30.0, 0.5), (1e3, 1.0), (1e5, 2.0), (1e8, 1.0), (1e10, 1.0)]:
        params = [("concentration", a), ("rate", rate)]
        s = math.sqrt(a)
        xs = [a + k * s for k in [-10, -3, -1, 0, 1, 3, 10]] if a >= 1 else [1e-10, 1e-3, 0.1, 1.0, 10.0, 100.0]
        for x in xs:
            if x > 0:
                v = ref.gamma_p(a, x)
                if v > TINY:
                    add("Gamma", params, "cdf", x / rate, v)
        for q in [1e-300, 1e-100, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1 - 1e-5, 1 - 1e-10, 1 - 1e-12]:
            y = ref.gamma_quantile(a, q)
            if TINY < y < mp.mpf('1e300'):
                add("Gamma", params, "icdf", q, y / rate)

    # Poisson: cdf = Q(k + 1, λ) around the mean and in the tails, quantiles in both tails
    for lam in [0.5, 30.0, 1e3, 1e6, 1e8]:
        params = [("rate", lam)]
        s = math.sqrt(lam)
        ks = sorted(set(max(0, math.floor(lam + j * s)) for j in [-10, -3, -1, 0, 1, 3, 10, 30]))
        for k in ks:
            v = poisson_cdf(lam, k)
            if v > TINY:
                add("Poisson", params, "cdf", k, v)
        for q in [1e-300, 1e-100, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1 - 1e-5, 1 - 1e-10, 1 - 1e-12]:
            if lam < 1 and q < 0.5:
                continue
            k, margin = poisson_quantile(lam, q)
            if margin > mp.mpf('1e-9'):
                add("Poisson", params, "icdf", q, k)

    # Beta: extreme shapes (quantiles far below the smallest normal double's square root) and the tails
    for a, b in [(1e-3, 1e3), (1e3, 1e-3), (0.5, 0.5), (2.0, 5.0), (30.0, 0.7), (0.5, 5e7)]:
        params = [("concentration1", a), ("concentration0", b)]
        m = a / (a + b)
        for x in sorted(set([1e-100, 1e-10, m / 10, m, 0.5, 1 - 1e-10])):
            if 0 < x < 1:
                v = ref.beta_i(x, a, b)
                if v > TINY:
                    add("Beta", params, "cdf", x, v)
        for q in [1e-300, 1e-100, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1 - 1e-3, 1 - 1e-10]:
            x = ref.beta_quantile(a, b, q)
            if TINY < x and float(x) < 1:
                add("Beta", params, "icdf", q, x)

    # Student's t: heavy tails at small df, and df = 1e6, 1e8, 1e12 where the incomplete-beta forms cancel
    for df, loc, scale in [(1.0, 0.0, 1.0), (2.5, 1.0, 2.0), (30.0, 0.0, 1.0), (1e6, 0.0, 1.0), (1e8, 0.0, 1.0),
                           (1e12, 0.0, 1.0), (1e8, -1.0, 0.5)]:
        params = [("df", df), ("loc", loc), ("scale", scale)]
        for t in [-1e10, -37.0, -8.0, -3.0, -1.0, -1e-3, 0.5, 2.0, 8.0]:
            if df >= 1e6 or abs(t) < 1e5 or df < 2:
                arg = loc + scale * t                      # the double the test passes; the reference is at exactly it
                v = ref.student_t_cdf(df, (mp.mpf(arg) - loc) / scale)
                if v > TINY:
                    add("StudentT", params, "cdf", arg, v)
        for q in [1e-300, 1e-100, 1e-10, 1e-3, 0.025, 0.3, 0.5, 0.7, 0.975, 1 - 1e-10]:
            t = ref.student_t_quantile(df, q)
            if abs(t) < mp.mpf('1e300'):
                add("StudentT", params, "icdf", q, loc + scale * t)
    return out


if __name__ == "__main__":
    import reference_tables
    reference_tables.main()
