package dev.deepprob.prob;

import dev.deepprob.engine.Generator;

/**
 * Scalar numerics the univariate distributions need beyond the engine's kernels: log k! and exact binomial sampling
 * (inversion for small means, Hörmann's BTRS above).
 */
final class UnivariateNumerics {
    private UnivariateNumerics() {}

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double[] LOG_FACT = new double[256];

    static {
        double s = 0;
        for (int k = 1; k < LOG_FACT.length; k++) {
            s += Math.log(k);
            LOG_FACT[k] = s;
        }
    }

    /**
     * log k! for integer k &gt;= 0: a table below 256, else Stirling's series for log Γ(k + 1) (A&amp;S 6.1.40) with
     * three correction terms, whose truncation error is below 1e-19 there.
     */
    static double logFactorial(double k) {
        if (k < LOG_FACT.length) return LOG_FACT[(int) k];
        double x = k + 1, xi = 1 / x, xi2 = xi * xi;
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + xi * (1.0 / 12 - xi2 * (1.0 / 360 - xi2 / 1260));
    }

    /**
     * Binomial(n, p) draws, elementwise (n a whole number). Means below 10 use inversion by sequential search
     * from 0 (one uniform per draw); larger ones Hörmann's transformed rejection with squeeze, BTRS ("The
     * generation of binomial random variates", J. Statist. Comput. Simul. 46, 1993), on min(p, 1 - p).
     */
    static double[] binomial(Generator gen, double[] n, double[] p) {
        double[] out = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            long ni = (long) Math.floor(n[i]);
            double pi = p[i];
            if (ni <= 0 || pi <= 0) {
                out[i] = 0;
                continue;
            }
            if (pi >= 1) {
                out[i] = ni;
                continue;
            }
            boolean flip = pi > 0.5;
            double pp = flip ? 1 - pi : pi;
            long k = ni * pp < 10 ? binomialInversion(gen, ni, pp) : binomialBtrs(gen, ni, pp);
            out[i] = flip ? ni - k : k;
        }
        return out;
    }

    /** Sequential search: walks the pmf f(k+1) = f(k)·(n - k)/(k + 1)·p/q from f(0) = qⁿ until it passes u. */
    private static long binomialInversion(Generator gen, long n, double p) {
        double q = 1 - p, ratio = p / q;
        double f0 = Math.exp(n * Math.log1p(-p));
        while (true) {
            double u = gen.nextDouble(), f = f0;
            long k = 0;
            while (u > f) {
                u -= f;
                if (k >= n) break;
                f *= ratio * (n - k) / (k + 1);
                k++;
            }
            if (k <= n && u <= f) return k;
            // rounding left u above the total mass: draw again (probability about 1e-16)
        }
    }

    /** BTRS for n p &gt;= 10 and p &lt;= 1/2 (Hörmann 1993, algorithm BTRS; constants from its table). */
    private static long binomialBtrs(Generator gen, long n, double p) {
        double q = 1 - p;
        double spq = Math.sqrt(n * p * q);
        double b = 1.15 + 2.53 * spq;
        double a = -0.0873 + 0.0248 * b + 0.01 * p;
        double c = n * p + 0.5;
        double alpha = (2.83 + 5.1 / b) * spq;
        double vr = 0.92 - 4.2 / b;
        double lpq = Math.log(p / q);
        long m = (long) Math.floor((n + 1) * p);
        double h = logFactorial(m) + logFactorial(n - m);
        while (true) {
            double u = gen.nextDouble() - 0.5;
            double v = gen.nextDouble();
            double us = 0.5 - Math.abs(u);
            double kd = Math.floor((2 * a / us + b) * u + c);
            if (kd < 0 || kd > n) continue;
            long k = (long) kd;
            if (us >= 0.07 && v <= vr) return k;
            // accept when v·α/(a/us² + b) <= f(k)/f(m), compared in logs
            double lv = Math.log(v * alpha / (a / (us * us) + b));
            if (lv <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
        }
    }
}
