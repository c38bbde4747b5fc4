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

    /** I_x(a, b), the Beta(a, b) CDF at x, by the engine's incomplete beta kernel ({@link NDArray#betaI}). */
    public static double regularizedIncompleteBeta(double x, double a, double b) {
        if (!(a > 0) || !(b > 0)) throw new IllegalArgumentException("regularizedIncompleteBeta: need a, b > 0, got " + a + ", " + b);
        return NDArray.scalar(DType.F64, x).betaI(NDArray.scalar(DType.F64, a), NDArray.scalar(DType.F64, b)).item();
    }

    /** The p-quantile of Beta(a, b) ({@link NDArray#betaIInv}). */
    public static double quantile(double p, double a, double b) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("quantile: p must be in (0, 1), got " + p);
        return NDArray.scalar(DType.F64, p).betaIInv(NDArray.scalar(DType.F64, a), NDArray.scalar(DType.F64, b)).item();
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
