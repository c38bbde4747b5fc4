package dev.deepprob.engine.cpu;

/**
 * Scalar special functions the distributions need beyond the gamma family: erf and its inverse (normal cdf and
 * quantile), the regularised lower incomplete gamma P(a, x) (gamma cdf), and ∂x/∂a of a Gamma(a, 1) sample for
 * implicit reparameterisation.
 */
public final class SpecialExtra {
    private SpecialExtra() {}

    /**
     * erf(x): for |x| < 2.5 the Maclaurin series (A&amp;S 7.1.5), else 1 - erfc by its continued fraction
     * (A&amp;S 7.1.14); relative error about 1e-15.
     */
    public static double erf(double x) {
        if (x != x) return x;
        double ax = Math.abs(x);
        if (ax < 2.5) {
            // erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        double r = 1 - erfcLarge(ax);
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x >= 2.5 by the continued fraction erfc x = e^{-x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (A&amp;S 7.1.14). */
    private static double erfcLarge(double x) {
        if (x > 27) return 0;
        // Lentz evaluation of K = x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 300; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /**
     * erf⁻¹(y) for y in (-1, 1): Giles (2012) "Approximating the erfinv function" single-precision polynomial as a
     * start, then two Newton steps on erf for full double precision. ±1 give ±inf, outside gives NaN.
     */
    public static double erfinv(double y) {
        if (y != y || y < -1 || y > 1) return Double.NaN;
        if (y == 1) return Double.POSITIVE_INFINITY;
        if (y == -1) return Double.NEGATIVE_INFINITY;
        double w = -Math.log((1 - y) * (1 + y)), x;
        if (w < 5) {
            w -= 2.5;
            double p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
            x = p * y;
        } else {
            w = Math.sqrt(w) - 3;
            double p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
            x = p * y;
        }
        // Newton on erf(x) - y: derivative 2/√π e^{-x²}; in the far tails use erfc to avoid cancellation
        for (int i = 0; i < 2; i++) {
            double err = Math.abs(x) > 2.5 ? Math.signum(x) * (1 - erfcLarge(Math.abs(x))) - y : erf(x) - y;
            x -= err / (2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
        }
        return x;
    }

    /**
     * Regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a): its series for x &lt; a + 1, else
     * 1 - Q by the continued fraction (Numerical Recipes 3rd ed. 6.2, A&amp;S 6.5.29 and 6.5.31).
     */
    public static double gammaP(double a, double x) { return incompleteGamma(a, x, false); }

    /**
     * Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly where it is small (the continued
     * fraction for x &gt;= a + 1), so its far tail keeps full relative precision (a Poisson cdf e^-150 is not 0).
     */
    public static double gammaQ(double a, double x) { return incompleteGamma(a, x, true); }

    private static double incompleteGamma(double a, double x, boolean upper) {
        if (a != a || x != x || a <= 0) return Double.NaN;
        if (x <= 0) return upper ? 1 : 0;
        if (x == Double.POSITIVE_INFINITY) return upper ? 0 : 1;
        double lpre = a * Math.log(x) - x - Special.lgamma(a);
        if (x < a + 1) {
            double ap = a, sum = 1 / a, del = sum;
            for (int n = 0; n < 10000; n++) {
                ap += 1;
                del *= x / ap;
                sum += del;
                if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
            }
            double p = Math.min(1, sum * Math.exp(lpre));
            return upper ? 1 - p : p;
        }
        double tiny = 1e-300, b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 10000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) break;
        }
        double q = Math.min(1, Math.exp(lpre) * h);
        return upper ? q : Math.max(0, 1 - q);
    }

    /**
     * ∂x/∂a for x ~ Gamma(a, 1), by the implicit function theorem on the cdf: -(∂P/∂a)(a, x) / p(x; a)
     * (Figurnov, Mohamed and Mnih 2018, "Implicit reparameterization gradients", eq. 5). ∂P/∂a comes from a
     * central difference of P in a with a relative step, accurate to about 1e-8 relative.
     */
    public static double standardGammaGrad(double a, double x) {
        if (!(a > 0) || !(x > 0)) return 0;
        double logPdf = (a - 1) * Math.log(x) - x - Special.lgamma(a);
        double h = 1e-5 * Math.max(a, 1e-3);
        if (a - h <= 0) h = a / 2;
        double dPda = (gammaP(a + h, x) - gammaP(a - h, x)) / (2 * h);
        double g = -dPda / Math.exp(logPdf);
        if (!Double.isFinite(g)) {
            // deep tails: the density underflows; the sample is then (to first order) x ≈ a + √a z, so ∂x/∂a ≈ x/a
            return x / a;
        }
        return g;
    }

    /**
     * I_x(a, b), the regularised incomplete beta function (the Beta(a, b) cdf at x): the continued fraction of
     * Numerical Recipes 3rd ed. 6.4 (eq. 6.4.5) by the modified Lentz method, applied for x &lt; (a + 1)/(a + b + 2) and
     * through I_x(a, b) = 1 - I_{1-x}(b, a) otherwise, where it converges fast. NaN for a or b not &gt; 0 or a NaN x;
     * 0 for x &lt;= 0 and 1 for x &gt;= 1.
     */
    public static double betaI(double x, double a, double b) {
        if (!(a > 0) || !(b > 0) || x != x) return Double.NaN;
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
        if (x < (a + 1) / (a + b + 2)) return Math.exp(logFront) * betaFraction(x, a, b) / a;
        return 1 - Math.exp(logFront) * betaFraction(1 - x, b, a) / b;
    }

    /** log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b). */
    public static double logBeta(double a, double b) { return Special.lgamma(a) + Special.lgamma(b) - Special.lgamma(a + b); }

    private static double betaFraction(double x, double a, double b) {
        final double tiny = 1e-300, eps = 1e-16;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 100_000; m++) {
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
        return h;                                          // not reached for a, b below ~1e9 (O(sqrt(max(a, b))) terms)
    }

    /**
     * The x in [0, 1] with I_x(a, b) = p: Newton steps on I kept inside a bisection bracket, to a relative step of
     * 1e-15 (the cdf is monotone, so the bracket always holds the root). 0 for p &lt;= 0, 1 for p &gt;= 1, NaN for NaN
     * input or a, b not &gt; 0.
     */
    public static double betaIInv(double p, double a, double b) {
        if (!(a > 0) || !(b > 0) || p != p) return Double.NaN;
        if (p <= 0) return 0;
        if (p >= 1) return 1;
        double lo = 0, hi = 1, lb = logBeta(a, b);
        double x = a / (a + b);                              // the mean: a start inside (0, 1)
        for (int it = 0; it < 300; it++) {
            double f = betaI(x, a, b) - p;
            if (f == 0) return x;
            if (f < 0) lo = x;
            else hi = x;
            double logPdf = (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lb;
            double next = x - f / Math.exp(logPdf);
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);   // Newton left the bracket (or the pdf under/overflowed)
            if (Math.abs(next - x) <= 1e-15 * Math.max(x, 1e-300) || hi - lo <= 1e-300) return next;
            x = next;
        }
        return x;
    }
}
