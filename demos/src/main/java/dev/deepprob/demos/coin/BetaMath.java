package dev.deepprob.demos.coin;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;

/**
 * The beta function's numerics the coin demo needs for exact answers: log B(a, b), the regularised incomplete beta
 * function I_x(a, b) (the Beta(a, b) CDF) and its inverse (quantiles).
 */
public final class BetaMath {
    private BetaMath() {}

    /** log Γ(x), through the engine's lgamma kernel. */
    public static double lgamma(double x) { return NDArray.scalar(DType.F64, x).lgamma().item(); }

    /** log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b). */
    public static double logBeta(double a, double b) { return lgamma(a) + lgamma(b) - lgamma(a + b); }

    /** The Beta(a, b) log-density at x in (0, 1). */
    public static double logPdf(double x, double a, double b) {
        return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b);
    }

    /**
     * I_x(a, b), the Beta(a, b) CDF at x: the continued fraction of Numerical Recipes (3rd ed., section 6.4, eq. 6.4.5)
     * evaluated by the modified Lentz method, applied directly for x < (a + 1)/(a + b + 2) and through the symmetry
     * I_x(a, b) = 1 - I_{1-x}(b, a) otherwise, where it converges fast.
     */
    public static double regularizedIncompleteBeta(double x, double a, double b) {
        if (!(a > 0) || !(b > 0)) throw new IllegalArgumentException("regularizedIncompleteBeta: need a, b > 0, got " + a + ", " + b);
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
        if (x < (a + 1) / (a + b + 2)) return front * continuedFraction(x, a, b) / a;
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        final double tiny = 1e-300, eps = 1e-16;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < eps) return h;
        }
        throw new ArithmeticException("regularizedIncompleteBeta: the continued fraction did not converge for x = " + x + ", a = " + a
                + ", b = " + b);
    }

    /** The p-quantile of Beta(a, b): I_x(a, b) = p solved by bisection to 1e-14 (the CDF is monotone). */
    public static double quantile(double p, double a, double b) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("quantile: p must be in (0, 1), got " + p);
        double lo = 0, hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-14; i++) {
            double mid = 0.5 * (lo + hi);
            if (regularizedIncompleteBeta(mid, a, b) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /**
     * For integer a, b: I_x(a, b) = P(Binomial(a + b - 1, x) >= a), a finite sum (an independent check of the
     * continued fraction).
     */
    public static double incompleteBetaBySum(double x, int a, int b) {
        int n = a + b - 1;
        double s = 0;
        for (int j = a; j <= n; j++) s += Math.exp(lgamma(n + 1) - lgamma(j + 1) - lgamma(n - j + 1) + j * Math.log(x) + (n - j) * Math.log1p(-x));
        return s;
    }
}
