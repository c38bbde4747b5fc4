package dev.deepprob.engine.cpu;

import java.math.BigInteger;

/**
 * Scalar special functions in double: log|Γ(x)|, digamma, trigamma and polygamma on the whole real line, with
 * SciPy's values at the poles. Methods: Abramowitz and Stegun (A&amp;S) chapter 6, and the Hurwitz zeta function
 * by Euler–Maclaurin summation (DLMF 2.10.1, 25.11.1); each method names the formulas it uses.
 */
public final class Special {
    private Special() {}

    private static final double EULER_GAMMA = 0.5772156649015329;
    private static final double HALF_LOG_2PI = 0.9189385332046728;
    private static final double LOG_PI = 1.1447298858494002;
    /** The positive root of digamma, x0 = 1.46163214496836234126..., as hi + lo so that x - x0 keeps its digits. */
    private static final double ROOT_HI = 1.4616321449683622, ROOT_LO = 9.549995429965697e-17;

    /** Bernoulli numbers B_2, B_4, ..., B_34. */
    private static final double[] BERNOULLI = {
        1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
        43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730, 8553103.0 / 6,
        -23749461029.0 / 870, 8615841276005.0 / 14322, -7709321041217.0 / 510, 2577687858367.0 / 6};

    /** B_{2j} / (2j)!, the Euler–Maclaurin weights. */
    private static final double[] EM = new double[BERNOULLI.length];
    /** B_{2k} / (2k (2k - 1)), Stirling's series for log Γ (A&amp;S 6.1.40), k = 1..8. */
    private static final double[] STIRLING = new double[8];
    /** B_{2k} / (2k), the asymptotic series of digamma (A&amp;S 6.3.18), k = 1..8. */
    private static final double[] PSI_ASYMP = new double[8];
    /** n! for n = 0..170, each correctly rounded. */
    private static final double[] FACTORIAL = new double[171];
    /** (-1)^n (ζ(n) - 1) / n for n = 2..31: Taylor coefficients of log Γ(2 + z) (A&amp;S 6.1.33). */
    private static final double[] LGAMMA2 = new double[30];
    /** ψ^(k)(x0) / k! = (-1)^(k+1) ζ(k+1, x0) for k = 1..24: Taylor coefficients of digamma at its root. */
    private static final double[] PSI_ROOT = new double[24];
    /** Coefficients of P_n with d^n/dy^n cot(y) = P_n(cot y), grown on demand (read without locking). */
    private static volatile double[][] cotPoly = {{0, 1}};

    static {
        double fact = 1;
        for (int j = 1; j <= BERNOULLI.length; j++) {
            fact *= (2 * j - 1) * (2.0 * j);
            EM[j - 1] = BERNOULLI[j - 1] / fact;
        }
        for (int k = 1; k <= STIRLING.length; k++) {
            STIRLING[k - 1] = BERNOULLI[k - 1] / (2.0 * k * (2 * k - 1));
            PSI_ASYMP[k - 1] = BERNOULLI[k - 1] / (2.0 * k);
        }
        BigInteger f = BigInteger.ONE;
        for (int n = 0; n < FACTORIAL.length; n++) {
            if (n > 0) f = f.multiply(BigInteger.valueOf(n));
            FACTORIAL[n] = f.doubleValue();
        }
        for (int n = 2; n < LGAMMA2.length + 2; n++) {
            double zm1 = hurwitz(n, 2.0); // ζ(n, 2) = ζ(n) - 1
            LGAMMA2[n - 2] = ((n & 1) == 0 ? zm1 : -zm1) / n;
        }
        for (int k = 1; k <= PSI_ROOT.length; k++) {
            double z = hurwitz(k + 1, ROOT_HI);
            PSI_ROOT[k - 1] = (k & 1) == 1 ? z : -z;
        }
    }

    /**
     * log|Γ(x)| for every real x, relative error about 1e-15 away from its zeros (x = 1, 2 are exact zeros;
     * near the zeros between the negative poles the reflection formula cancels, as in SciPy). Poles (0, -1, -2,
     * ...) and ±inf give +inf (for -inf SciPy gives -inf; this follows C99 and PyTorch); NaN gives NaN.
     */
    public static double lgamma(double x) {
        if (x != x) return x;
        if (Double.isInfinite(x)) return Double.POSITIVE_INFINITY;
        if (x <= 0 && x == Math.floor(x)) return Double.POSITIVE_INFINITY;
        // Reflection Γ(x) Γ(1-x) = π / sin(πx) (A&S 6.1.17), with sin(πx) reduced exactly.
        if (x < -0.5) return LOG_PI - Math.log(Math.abs(sinPi(x))) - lgammaPos(1 - x);
        // Γ(x) = Γ(1+x) / x (A&S 6.1.15), with log Γ(1+x) from a series in x itself so tiny x loses nothing.
        if (x < 0.5) return lnGamma1p(x) - Math.log(Math.abs(x));
        return lgammaPos(x);
    }

    private static double lgammaPos(double x) {
        if (x < 1.5) return lnGamma1p(x - 1);
        if (x < 2.5) return lnGamma2p(x - 2);
        if (x < 10) { // Γ(x) = (x-1)(x-2)...(x-k) Γ(x-k), down to [1.5, 2.5); x -= 1 is exact here
            double p = 1;
            while (x >= 2.5) {
                x -= 1;
                p *= x;
            }
            return Math.log(p) + lnGamma2p(x - 2);
        }
        // Stirling's series (A&S 6.1.40), 8 terms: truncation below 1e-17 relative for x >= 10.
        double xi = 1 / x, xi2 = xi * xi, s = 0;
        for (int k = STIRLING.length - 1; k >= 0; k--) s = s * xi2 + STIRLING[k];
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + xi * s;
    }

    /** log Γ(1 + x), exact in x near 0 (1 + x is never rounded there): what -expm1(a log x - log Γ(1 + a)) needs for small a. */
    static double lgamma1p(double x) {
        return Math.abs(x) <= 0.5 ? lnGamma1p(x) : lgamma(1 + x);
    }

    /**
     * Stirling's correction ω(x) = log Γ(x) - ((x - ½) log x - x + ½ log 2π) for x &gt;= 10 (A&amp;S 6.1.40, 8 terms, relative
     * error below 1e-15). Differences of log Γ at large arguments (log B(a, b), the incomplete gamma prefactor) are
     * written with it so that the large terms cancel in closed form instead of in rounding.
     */
    static double lgammaCorrection(double x) {
        double xi = 1 / x, xi2 = xi * xi, s = 0;
        for (int k = STIRLING.length - 1; k >= 0; k--) s = s * xi2 + STIRLING[k];
        return xi * s;
    }

    /** log Γ(2 + z) for |z| &lt;= 0.5 (A&amp;S 6.1.33 plus log(1+z)); terms shrink like 4^-n. */
    private static double lnGamma2p(double z) {
        double s = 0;
        for (int k = LGAMMA2.length - 1; k >= 0; k--) s = s * z + LGAMMA2[k];
        return z * ((1 - EULER_GAMMA) + z * s);
    }

    /** log Γ(1 + z) for |z| &lt;= 0.5, exact in z (no rounding of 1 + z). */
    private static double lnGamma1p(double z) {
        return lnGamma2p(z) - Math.log1p(z);
    }

    /**
     * Digamma ψ(x) = d/dx log Γ(x): recurrence up to x >= 10 (A&amp;S 6.3.5), then the asymptotic series
     * (A&amp;S 6.3.18); a Taylor series at the positive root x0 keeps relative accuracy near it; reflection
     * (A&amp;S 6.3.7) for x &lt; 0. As SciPy: ψ(+0) = -inf, ψ(-0) = +inf, ψ(-n) = NaN, ψ(-inf) = NaN.
     */
    public static double digamma(double x) {
        if (x != x || x == Double.POSITIVE_INFINITY) return x;
        if (x == Double.NEGATIVE_INFINITY) return Double.NaN;
        if (x == 0) return Math.copySign(Double.POSITIVE_INFINITY, -x);
        if (x < 0) {
            if (x == Math.floor(x)) return Double.NaN;
            return digammaPos(1 - x) - Math.PI / tanPi(x);
        }
        return digammaPos(x);
    }

    private static double digammaPos(double x) {
        double dz = (x - ROOT_HI) - ROOT_LO;
        if (Math.abs(dz) < 0.25) { // terms shrink like (0.69 dz)^k: 24 terms reach 1e-17
            double s = 0;
            for (int k = PSI_ROOT.length - 1; k >= 0; k--) s = s * dz + PSI_ROOT[k];
            return s * dz;
        }
        double acc = 0;
        while (x < 10) {
            acc -= 1 / x;
            x += 1;
        }
        // At x >= 10 the 9th term is 3e-18, so 8 terms suffice (x >= 6 would need 14).
        double xi2 = 1 / (x * x), s = 0;
        for (int k = PSI_ASYMP.length - 1; k >= 0; k--) s = s * xi2 + PSI_ASYMP[k];
        return acc + Math.log(x) - 0.5 / x - xi2 * s;
    }

    /**
     * Trigamma ψ'(x): recurrence up to x >= 10 (A&amp;S 6.4.6), then the asymptotic series through B_18 (A&amp;S
     * 6.4.12); reflection ψ'(x) = π²/sin²(πx) - ψ'(1-x) for x &lt; 0 (A&amp;S 6.4.7). +inf at the poles (SciPy),
     * 0 at +inf, NaN at -inf.
     */
    public static double trigamma(double x) {
        if (x != x) return x;
        if (x == Double.POSITIVE_INFINITY) return 0.0;
        if (x == Double.NEGATIVE_INFINITY) return Double.NaN;
        if (x <= 0 && x == Math.floor(x)) return Double.POSITIVE_INFINITY;
        if (x < 0) {
            double s = sinPi(x);
            return Math.PI * Math.PI / (s * s) - trigammaPos(1 - x);
        }
        return trigammaPos(x);
    }

    private static double trigammaPos(double x) {
        double acc = 0;
        while (x < 10) {
            acc += 1 / (x * x);
            x += 1;
        }
        // 1/x + 1/(2x^2) + Σ_k B_2k / x^(2k+1), k = 1..9; the next term is 5e-18 relative at x = 10.
        double xi = 1 / x, xi2 = xi * xi, s = 0;
        for (int k = 8; k >= 0; k--) s = s * xi2 + BERNOULLI[k];
        return acc + xi + 0.5 * xi2 + xi * xi2 * s;
    }

    /**
     * Polygamma ψ^(n)(x) = (-1)^(n+1) n! ζ(n+1, x) for n >= 0 (n = 0 is digamma). x &gt; 0: Hurwitz zeta by
     * Euler–Maclaurin (direct sum up to x + N &gt;= n + 11, then the Bernoulli tail: A&amp;S 6.4.6 and 6.4.11);
     * x &lt; 0: reflection (A&amp;S 6.4.7) with the n-th derivative of cot as a polynomial in cot. Poles give
     * (-1)^(n+1) inf and +inf gives a signed zero, as SciPy; -inf gives NaN (SciPy: ±inf).
     */
    public static double polygamma(int n, double x) {
        if (n < 0) throw new IllegalArgumentException("polygamma: order must be >= 0, got " + n);
        if (n == 0) return digamma(x);
        if (n == 1) return trigamma(x);
        if (x != x) return x;
        double sign = (n & 1) == 1 ? 1 : -1; // (-1)^(n+1)
        if (x == Double.POSITIVE_INFINITY) return sign * 0.0;
        if (x == Double.NEGATIVE_INFINITY) return Double.NaN;
        if (x <= 0 && x == Math.floor(x)) return sign * Double.POSITIVE_INFINITY;
        if (x < 0) {
            // Differentiating ψ(1-x) - ψ(x) = π cot(πx) n times gives
            // ψ^(n)(x) = (-1)^n ψ^(n)(1-x) - π^(n+1) P_n(cot πx).
            double q = polygammaPos(n, 1 - x);
            double c = cotPoly(n, 1 / tanPi(x));
            return ((n & 1) == 0 ? q : -q) - Math.pow(Math.PI, n + 1) * c;
        }
        return polygammaPos(n, x);
    }

    private static double polygammaPos(int n, double x) {
        double sign = (n & 1) == 1 ? 1 : -1;
        if (n < FACTORIAL.length) {
            double z = hurwitz(n + 1, x);
            if (z > 1e-290) return sign * (FACTORIAL[n] * z); // overflow here is the true answer
        }
        // Orders above 170 or ζ below the normal range: work in logs (relative error grows to ~1e-13).
        return sign * Math.exp(lgamma(n + 1.0) + logHurwitz(n + 1, x));
    }

    /**
     * Hurwitz zeta ζ(s, a) = Σ_k (a+k)^-s for integer s >= 2 and a &gt; 0: sum directly until w = a + N reaches
     * max(10, s + 10), then Euler–Maclaurin: w^(1-s)/(s-1) + w^-s/2 + Σ_j B_2j/(2j)! s(s+1)..(s+2j-2) w^(-s-2j+1).
     */
    static double hurwitz(int s, double a) {
        double lim = Math.max(10.0, s + 10.0), sum = 0;
        int k = 0;
        for (; a + k < lim; k++) sum += Math.pow(a + k, -s);
        double w = a + k;
        return sum + Math.pow(w, -s) * emTail(s, w);
    }

    /** log ζ(s, a), scaled by a^s inside so that nothing under- or overflows. */
    private static double logHurwitz(int s, double a) {
        double lim = Math.max(10.0, s + 10.0), sum = 0;
        int k = 0;
        for (; a + k < lim; k++) sum += Math.pow(a / (a + k), s);
        double w = a + k;
        sum += Math.pow(a / w, s) * emTail(s, w);
        return Math.log(sum) - s * Math.log(a);
    }

    /** w^s Σ_{k>=0} (w+k)^-s by Euler–Maclaurin; the weights shrink like ((s+2j)/(2πw))^2 per step. */
    private static double emTail(int s, double w) {
        double wi = 1 / w, wi2 = wi * wi;
        double t = w / (s - 1) + 0.5, f = s * wi;
        for (int j = 1; j <= EM.length; j++) {
            double term = EM[j - 1] * f;
            t += term;
            if (Math.abs(term) < 1e-18 * t) break;
            f *= (s + 2.0 * j - 1) * (s + 2.0 * j) * wi2;
        }
        return t;
    }

    /** P_n(c) with d^n/dy^n cot(y) = P_n(cot y); P_0 = c, P_{n+1} = -(1 + c^2) P_n'(c). */
    private static double cotPoly(int n, double c) {
        double[][] table = cotPoly;
        if (table.length <= n) table = growCotPoly(n);
        double[] p = table[n];
        double r = 0;
        for (int k = p.length - 1; k >= 0; k--) r = r * c + p[k];
        return r;
    }

    private static synchronized double[][] growCotPoly(int n) {
        double[][] old = cotPoly;
        if (old.length > n) return old;
        double[][] t = java.util.Arrays.copyOf(old, n + 1);
        for (int m = old.length; m <= n; m++) {
            double[] p = t[m - 1], q = new double[p.length + 1];
            for (int k = 1; k < p.length; k++) { // d/dc of c^k is k c^(k-1); times -(1 + c^2)
                q[k - 1] -= k * p[k];
                q[k + 1] -= k * p[k];
            }
            t[m] = q;
        }
        cotPoly = t;
        return t;
    }

    /** sin(πx) with the argument reduced exactly, so sinPi(n) = 0 and relative accuracy holds near integers. */
    static double sinPi(double x) {
        double y = Math.abs(x), s = Math.copySign(1.0, x);
        y -= 2 * Math.floor(0.5 * y); // y mod 2, exact
        if (y >= 1) {
            y -= 1;
            s = -s;
        }
        if (y > 0.5) y = 1 - y;
        return s * (y <= 0.25 ? Math.sin(Math.PI * y) : Math.cos(Math.PI * (0.5 - y)));
    }

    /** cos(πx) with the argument reduced exactly, so cosPi(n + 1/2) = 0. */
    static double cosPi(double x) {
        double y = Math.abs(x), s = 1;
        y -= 2 * Math.floor(0.5 * y);
        if (y > 1) y = 2 - y;
        if (y > 0.5) {
            y = 1 - y;
            s = -1;
        }
        return s * (y <= 0.25 ? Math.cos(Math.PI * y) : Math.sin(Math.PI * (0.5 - y)));
    }

    /** tan(πx) = sinPi / cosPi; infinite at half-integers, so 1 / tanPi there is a clean zero. */
    static double tanPi(double x) {
        return sinPi(x) / cosPi(x);
    }
}
