"""Reference values for KldDemoTest, from NumPy and SciPy (Debian's python3-numpy / python3-scipy).

Reproduces the original notebook's brute-force search: x = np.arange(lo, hi, 0.1), p = 0.5 N(0,1) + 0.5 N(8,1),
q = N(mu, sigma) for mu in np.arange(-5, 15, 0.1), sigma in np.arange(0.1, 10, 0.1), objective
np.sum(scipy.special.kl_div(a, b)), keeping the first strict minimum. Run: /usr/bin/python3 kld_reference.py
(its output is kld_reference.txt next to this file).
"""
import numpy as np
import scipy
from scipy.stats import norm
from scipy.special import kl_div

print("numpy", np.__version__, "scipy", scipy.__version__)
mus = np.arange(-5, 15, 0.1)
sigmas = np.arange(0.1, 10, 0.1)
print("mus", len(mus), repr(mus[0]), repr(mus[1]), repr(mus[50]), repr(mus[130]), repr(mus[88]), repr(mus[91]), repr(mus[-1]))
print("sigmas", len(sigmas), repr(sigmas[9]), repr(sigmas[44]), repr(sigmas[41]), repr(sigmas[-1]))
for lo, hi in [(-5, 15), (-20, 15)]:
    x = np.arange(lo, hi, 0.1)
    p = 0.5 * norm.pdf(x, 0, 1) + 0.5 * norm.pdf(x, 8, 1)
    print("grid", lo, hi, "len", len(x), "x[-1]", repr(x[-1]), "x[77]", repr(x[77]), "p[77]", repr(p[77]), "sum p", repr(np.sum(p)))
    best_qp = (np.inf, -1, -1)
    best_pq = (np.inf, -1, -1)
    for i, mu in enumerate(mus):
        for j, s in enumerate(sigmas):
            q = norm.pdf(x, mu, s)
            a = np.sum(kl_div(q, p))
            b = np.sum(kl_div(p, q))
            if a < best_qp[0]:
                best_qp = (a, i, j)
            if b < best_pq[0]:
                best_pq = (b, i, j)
    print("  KL(q||p) best i j", best_qp[1], best_qp[2], "mu", repr(mus[best_qp[1]]), "sigma", repr(sigmas[best_qp[2]]), "objective", repr(best_qp[0]))
    print("  KL(p||q) best i j", best_pq[1], best_pq[2], "mu", repr(mus[best_pq[1]]), "sigma", repr(sigmas[best_pq[2]]), "objective", repr(best_pq[0]))
    for i, j in [(50, 9), (130, 9), (88, 44), (91, 41), (0, 0), (199, 98)]:
        q = norm.pdf(x, mus[i], sigmas[j])
        print("  at", i, j, "KL(q||p)", repr(np.sum(kl_div(q, p))), "KL(p||q)", repr(np.sum(kl_div(p, q))))
