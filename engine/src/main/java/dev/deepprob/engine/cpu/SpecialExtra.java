package dev.deepprob.engine.cpu;

/**
 * Scalar special functions the distributions need beyond the gamma family, each with its relative accuracy kept in the
 * tails: erf, erfc and their inverses (the normal cdf and quantile), the regularised incomplete gamma functions P and Q
 * and the gamma quantile, ∂x/∂a of a Gamma(a, 1) sample (implicit reparameterisation), the regularised incomplete beta
 * function and its inverse, and Student's t cdf and quantile. engine/src/test/python/mpmath_reference.py writes the
 * mpmath values that MpmathSpecialReferenceTest holds them to.
 */
public final class SpecialExtra {
    private SpecialExtra() {}

    private static final double EPS = 0x1p-52;
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;          // 2/√π rounded
    /** 2/√π - TWO_OVER_SQRT_PI, the part of the constant a double drops. */
    private static final double TWO_OVER_SQRT_PI_LO = 1.5335459613165881e-17;
    private static final double SQRT2 = Math.sqrt(2);
    private static final double LN2 = Math.log(2);
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    /** log(Double.MIN_VALUE / 2): a quantile whose logarithm is below this rounds to 0. */
    private static final double LOG_HALF_MIN_VALUE = Math.log(Double.MIN_VALUE) - Math.log(2);
    /** (2k + 1)! for k = 0..30, the weights of BGRAT's p_n. */
    private static final double[] ODD_FACTORIAL = new double[31];

    static {
        double f = 1;
        ODD_FACTORIAL[0] = 1;
        for (int k = 1; k < ODD_FACTORIAL.length; k++) {
            f *= (2.0 * k) * (2.0 * k + 1);
            ODD_FACTORIAL[k] = f;
        }
    }

    // ------------------------------------------------------------------------------------------------ erf, erfc

    /**
     * erf(x): for |x| &lt; 2.5 the Maclaurin series (A&amp;S 7.1.5), summed with its rounding errors carried (Neumaier) and
     * scaled by 2/√π in two parts, so it is within an ulp or two (erf⁻¹ inherits that error divided by erf's slope);
     * else 1 - erfc by its continued fraction (A&amp;S 7.1.14).
     */
    public static double erf(double x) {
        if (x != x) return x;
        double ax = Math.abs(x);
        if (ax < 2.5) {
            // erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = x * x, term = x, sum = x, carry = 0;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1), next = sum + t;
                carry += Math.abs(sum) >= Math.abs(t) ? (sum - next) + t : (t - next) + sum;
                sum = next;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
            }
            double hi = TWO_OVER_SQRT_PI * sum;
            return hi + (Math.fma(TWO_OVER_SQRT_PI, sum, -hi) + (TWO_OVER_SQRT_PI_LO * sum + TWO_OVER_SQRT_PI * carry));
        }
        double r = 1 - erfc(ax);
        return x < 0 ? -r : r;
    }

    /**
     * erfc(x) = 1 - erf(x) with relative accuracy on the whole line: 1 - erf(x) for |x| &lt; 1 (erfc is at least 0.157
     * there, so the subtraction costs under three bits), e^(-x²)/(√π K(x)) with Laplace's continued fraction K beyond
     * (A&amp;S 7.1.14), and 2 - erfc(-x) below -1.
     */
    public static double erfc(double x) {
        if (x != x) return x;
        if (x < -1) return 2 - erfc(-x);
        if (x < 1) return 1 - erf(x);
        if (x > 27.3) return 0;                                    // below half the smallest subnormal
        return expMinusSquare(x) / (SQRT_PI * erfcFraction(x));
    }

    /**
     * erfcx(x) = e^(x²) erfc(x), the scaled complementary error function, with relative accuracy on the whole line:
     * 1/(√π K(x)) with Laplace's continued fraction K for x &gt;= 1 (so nothing under- or overflows), 1/(x√π) beyond
     * 1e8 (the next term of the asymptotic series, -1/(2x²), is below half an ulp), and e^(x²) erfc(x) below 1 with x²
     * split exactly (it overflows to +inf below about -26.6, as the true value does).
     */
    public static double erfcx(double x) {
        if (x != x) return x;
        if (x > 1e8) return 1 / (SQRT_PI * x);
        if (x >= 1) return 1 / (SQRT_PI * erfcFraction(x));
        if (x < -27) return Double.POSITIVE_INFINITY;               // 2e^(x²) overflows from -26.64 on
        double hi = x * x, lo = Math.fma(x, x, -hi);
        return Math.exp(hi) * (1 + lo) * erfc(x);                  // |lo| <= ulp(x²)/2, so e^lo = 1 + lo to double
    }

    /** e^(-x²) with x² split exactly into hi + lo, so its rounding (x²·eps relative in the result, 8e-14 at x = 27) is avoided. */
    private static double expMinusSquare(double x) {
        double hi = x * x, lo = Math.fma(x, x, -hi);
        return Math.exp(-hi) * (1 - lo);                           // |lo| <= ulp(x²)/2, so e^-lo = 1 - lo to double
    }

    /**
     * Laplace's continued fraction K(x) = x + (1/2)/(x + 1/(x + (3/2)/(x + ...))) = e^(-x²)/(√π erfc x) (A&amp;S 7.1.14),
     * by the modified Lentz method, for x &gt;= 1 (189 levels at x = 1, 10 at x = 10).
     */
    private static double erfcFraction(double x) {
        double tiny = 1e-300, f = x, c = x, d = 0;
        for (int n = 1; n < 1000; n++) {
            double an = n / 2.0;
            d = x + an * d;
            if (d == 0) d = tiny;
            c = x + an / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) <= EPS) break;
        }
        return f;
    }

    /**
     * erf⁻¹(y) on (-1, 1), to a few ulp everywhere; ±inf at ±1, NaN outside. For |y| &lt;= 1/2 Newton steps on erf from
     * Giles' single-precision polynomial ("Approximating the erfinv function", 2012); above, erfc⁻¹(1 - |y|), where
     * 1 - |y| is exact, solved on log erfc so that the digits hold up to 1 - 2^-53.
     */
    public static double erfinv(double y) {
        if (y != y || y < -1 || y > 1) return Double.NaN;
        if (y == 0) return y;
        double ay = Math.abs(y);
        double x = ay == 1 ? Double.POSITIVE_INFINITY : ay <= 0.5 ? erfinvCentral(ay) : erfcinvSmall(1 - ay);
        return Math.copySign(x, y);
    }

    /**
     * erfc⁻¹(t) on [0, 2], to a few ulp: +inf at 0, -inf at 2, NaN outside. Below 1/2 Newton steps on log erfc (so
     * t = 1e-300 keeps its digits); in [1/2, 3/2] erf⁻¹(1 - t) and above -erfc⁻¹(2 - t), both differences exact.
     */
    public static double erfcinv(double t) {
        if (t != t || t < 0 || t > 2) return Double.NaN;
        if (t == 0) return Double.POSITIVE_INFINITY;
        if (t == 2) return Double.NEGATIVE_INFINITY;
        if (t <= 0.5) return erfcinvSmall(t);
        if (t < 1.5) return erfinv(1 - t);
        return -erfcinvSmall(2 - t);
    }

    /**
     * Φ⁻¹(q), the standard normal quantile, as -√2 erfc⁻¹(2q) (2q is exact): a few ulp from the smallest double
     * (Φ⁻¹(4.9e-324) = -38.47) to 1 - 2^-53 (8.21); -inf at 0, +inf at 1, NaN outside [0, 1].
     */
    public static double ndtri(double q) {
        if (q != q || q < 0 || q > 1) return Double.NaN;
        return -SQRT2 * erfcinv(2 * q) + 0.0;                       // + 0.0: Φ⁻¹(1/2) is +0, not -0
    }

    /** erf⁻¹(y) for 0 &lt; y &lt;= 1/2: Giles' central polynomial (relative error 4e-7), then Newton on erf. */
    private static double erfinvCentral(double y) {
        double x = gilesCentral(-Math.log((1 - y) * (1 + y))) * y;
        for (int i = 0; i < 5; i++) {
            double dx = (erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
            x -= dx;
            if (Math.abs(dx) <= 1e-9 * x) break;                     // converged: see erfcinvSmall
        }
        return x;
    }

    /**
     * erfc⁻¹(t) for 0 &lt; t &lt;= 1/2, i.e. x &gt;= 0.4769: from Giles' polynomials (t &gt;= 2e-16) or the asymptotic
     * x² ≈ -log(t √π x), Newton steps on erfc (x &lt; 1) or on log erfc(x) = -x² - log(√π K(x)) (x &gt;= 1), whose slope is
     * -2K(x). log erfc is concave, so Newton converges from either side; the residual is formed as (-log t - hi) - lo
     * with x² = hi + lo exact, so it keeps its digits where -log t and x² nearly cancel.
     */
    private static double erfcinvSmall(double t) {
        double w = -Math.log(t * (2 - t)), x;
        if (w < 5) x = gilesCentral(w) * (1 - t);
        else if (w < 36) x = gilesTail(w) * (1 - t);
        else {
            double lt = -Math.log(t);
            x = Math.sqrt(lt);
            for (int i = 0; i < 3; i++) x = Math.sqrt(lt - Math.log(SQRT_PI * x));
        }
        double logT = Math.log(t);
        for (int i = 0; i < 100; i++) {
            double dx;
            if (x < 1) {
                dx = (erfc(x) - t) / (-TWO_OVER_SQRT_PI * Math.exp(-x * x));
            } else {
                double k = erfcFraction(x), hi = x * x, lo = Math.fma(x, x, -hi);
                double g = ((-logT - hi) - lo) - Math.log(SQRT_PI * k);      // log erfc(x) - log t
                dx = g / (-2 * k);
            }
            x -= dx;
            // Newton's error after a step is about the square of the step (relative): below 1e-9 the next would be noise
            if (Math.abs(dx) <= 1e-9 * x) break;
        }
        return x;
    }

    /** Giles' single-precision erfinv polynomial for w = -log(1 - y²) &lt; 5, without the factor y. */
    private static double gilesCentral(double w) {
        w -= 2.5;
        double p = 2.81022636e-08;
        p = 3.43273939e-07 + p * w;
        p = -3.5233877e-06 + p * w;
        p = -4.39150654e-06 + p * w;
        p = 0.00021858087 + p * w;
        p = -0.00125372503 + p * w;
        p = -0.00417768164 + p * w;
        p = 0.246640727 + p * w;
        return 1.50140941 + p * w;
    }

    /** Giles' polynomial for 5 &lt;= w &lt; 36 (single precision's range), without the factor y. */
    private static double gilesTail(double w) {
        w = Math.sqrt(w) - 3;
        double p = -0.000200214257;
        p = 0.000100950558 + p * w;
        p = 0.00134934322 + p * w;
        p = -0.00367342844 + p * w;
        p = 0.00573950773 + p * w;
        p = -0.0076224613 + p * w;
        p = 0.00943887047 + p * w;
        p = 1.00167406 + p * w;
        return 2.83297682 + p * w;
    }

    // ------------------------------------------------------------------------------------ incomplete gamma P and Q

    /**
     * Regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), to about 1e-14 relative for a from 1e-300 to 1e10 and
     * beyond: the methods of DiDonato and Morris (1986) as SciPy's igam arranges them (Temme's uniform asymptotic
     * expansion for a &gt; 20 and |x - a| &lt; 0.3a, else the power series, the continued fraction of Q or the small-x
     * series of Q), each in logs so that neither the far tails nor the prefactor x^a e^-x/Γ(a) lose digits.
     */
    public static double gammaP(double a, double x) {
        if (a != a || x != x || a <= 0) return Double.NaN;
        if (x <= 0) return 0;
        if (x == Double.POSITIVE_INFINITY) return 1;
        if (a == Double.POSITIVE_INFINITY) return 0;
        return Math.exp(logGammaPQ(a, x, false));
    }

    /**
     * Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly where it is the small one, so its far
     * tail keeps full relative precision (a Poisson cdf of e^-150 is not 0); the methods as {@link #gammaP}.
     */
    public static double gammaQ(double a, double x) {
        if (a != a || x != x || a <= 0) return Double.NaN;
        if (x <= 0) return 1;
        if (x == Double.POSITIVE_INFINITY) return 0;
        if (a == Double.POSITIVE_INFINITY) return 1;
        return Math.exp(logGammaPQ(a, x, true));
    }

    /**
     * log P(a, x) or (upper) log Q(a, x) for 0 &lt; a &lt; inf, 0 &lt; x &lt; inf. The branches are SciPy's igam/igamc
     * (DiDonato and Morris 1986, section 3): whichever of P and Q a method gives directly is the one it computes, and
     * the other is log(1 - e^l) of it, used only where that is not small.
     */
    static double logGammaPQ(double a, double x, boolean upper) {
        if (a > 20 && Math.abs(x - a) < 0.3 * a) return logTemme(a, x, upper);
        if (upper) {
            boolean viaP;
            if (x > 1.1) viaP = x < a;
            else if (x <= 0.5) viaP = -0.4 / Math.log(x) < a;
            else viaP = x * 1.1 < a;
            if (viaP) return log1mexp(logSeriesP(a, x));
            return x > 1.1 ? logFractionQ(a, x) : Math.log(seriesQ(a, x));
        }
        if (x > 1 && x > a) return log1mexp(logGammaPQ(a, x, true));
        return logSeriesP(a, x);
    }

    /** log(1 - e^l) for l &lt;= 0 (Mächler 2012: log(-expm1 l) near 0, log1p(-e^l) below -log 2). */
    private static double log1mexp(double l) {
        return l > -LN2 ? Math.log(-Math.expm1(l)) : Math.log1p(-Math.exp(l));
    }

    /** log P by its power series P = x^a e^-x/Γ(a + 1) Σ_n x^n/((a + 1)...(a + n)) (A&amp;S 6.5.29), for x &lt;= a or x &lt;= 1. */
    private static double logSeriesP(double a, double x) {
        double r = a, c = 1, sum = 1;
        for (int n = 0; n < 100_000; n++) {
            r += 1;
            c *= x / r;
            sum += c;
            if (c <= 0.5 * EPS * sum) break;
        }
        if (a < 10) return a * Math.log(x) - x - Special.lgamma1p(a) + Math.log(sum);    // Γ(a + 1) without rounding 1 + a
        return logGammaFactor(a, x) + Math.log(sum / a);
    }

    /**
     * log Q by Legendre's continued fraction Q = x^a e^-x/Γ(a) · 1/(x + 1 - a - 1(1 - a)/(x + 3 - a - 2(2 - a)/(x + 5 - a
     * - ...))) (A&amp;S 6.5.31; Numerical Recipes 3rd ed. 6.2.7), modified Lentz, for x &gt; 1.1 and x &gt;= a.
     */
    private static double logFractionQ(double a, double x) {
        double tiny = 1e-300, b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 100_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) <= EPS) break;
        }
        return logGammaFactor(a, x) + Math.log(h);
    }

    /**
     * Q for x &lt;= 1.1 and a small, where P is near 1: Q = -expm1(a log x - log Γ(1 + a)) - x^a/Γ(a) Σ_{n&gt;=1} (-x)^n/(n! (a + n))
     * (DiDonato and Morris 1986, eq. 15; SciPy's igamc_series), which keeps Q's digits.
     */
    private static double seriesQ(double a, double x) {
        double fac = 1, sum = 0;
        for (int n = 1; n < 2000; n++) {
            fac *= -x / n;
            double term = fac / (a + n);
            sum += term;
            if (Math.abs(term) <= EPS * Math.abs(sum)) break;
        }
        double lx = Math.log(x);
        return -Math.expm1(a * lx - Special.lgamma1p(a)) - Math.exp(a * lx - Special.lgamma(a)) * sum;
    }

    /**
     * log(x^a e^-x/Γ(a)), the common factor of P and Q (and x times the Gamma(a, 1) density). For a &gt;= 10 it is written
     * a·log1pmx(σ) + ½ log(a/2π) - ω(a) with σ = (x - a)/a and ω Stirling's correction, so the large terms of
     * a log x - x - log Γ(a) (2e11 at a = 1e10) cancel in closed form instead of in rounding; σ carries its rounding
     * error (from fma) into a first-order correction.
     */
    static double logGammaFactor(double a, double x) {
        if (a < 10) return a * Math.log(x) - x - Special.lgamma(a);
        double d = x - a, s = d / a, main;
        if (s > -0.5) {
            double sErr = Math.fma(-s, a, d) / a;
            main = a * (log1pmx(s) - s / (1 + s) * sErr);
        } else {
            main = a * Math.log(x / a) - d;
        }
        return main + 0.5 * Math.log(a / (2 * Math.PI)) - Special.lgammaCorrection(a);
    }

    /**
     * log(1 + x) - x without cancellation: for |x| &lt; 1/2, with t = x/(2 + x), it is -x²/(2 + x) + 2 Σ_{k&gt;=1} t^(2k+1)/(2k+1)
     * (log(1 + x) = 2 atanh t), whose terms shrink by t² &lt;= 1/9; directly beyond.
     */
    static double log1pmx(double x) {
        if (!(Math.abs(x) < 0.5)) return Math.log1p(x) - x;
        double t = x / (2 + x), t2 = t * t, term = t * t2, s = 0;
        for (int k = 1; k < 60; k++) {
            double v = term / (2 * k + 1);
            s += v;
            if (Math.abs(v) <= EPS * Math.abs(s)) break;
            term *= t2;
        }
        return -x * x / (2 + x) + 2 * s;
    }

    /**
     * log P or log Q by Temme's uniform asymptotic expansion (DLMF 8.12.3-8.12.10; Temme 1979; DiDonato and Morris 1986,
     * section 4): Q = ½ erfc(η√(a/2)) + R, P = ½ erfc(-η√(a/2)) - R, R = e^(-aη²/2)/√(2πa) Σ_k C_k(η) a^-k, with
     * ½η² = σ - log(1 + σ) and σ = (x - a)/a. Where the erfc argument u is at least 1 the factor e^(-u²) = e^(-aη²/2) is
     * taken out in logs (erfc(u) = e^(-u²)/(√π K(u))), so deep tails do not underflow before their logarithm is taken.
     */
    private static double logTemme(double a, double x, boolean upper) {
        double d = x - a, s = d / a, sErr = Math.fma(-s, a, d) / a;
        double l1 = log1pmx(s) - s / (1 + s) * sErr;                  // -η²/2
        double eta = Math.copySign(Math.sqrt(-2 * l1), s);
        double sum = 0, afac = 1, absOld = Double.POSITIVE_INFINITY;
        for (double[] dk : TEMME) {
            double ck = 0;                                             // C_k(η) by Horner (|η| < 0.4: 25 terms reach eps)
            for (int n = dk.length - 1; n >= 0; n--) ck = ck * eta + dk[n];
            double term = ck * afac, absTerm = Math.abs(term);
            if (absTerm > absOld) break;                               // the series in 1/a is asymptotic: stop at its smallest term
            sum += term;
            if (absTerm < EPS * Math.abs(sum)) break;
            absOld = absTerm;
            afac /= a;
        }
        double r = (upper ? sum : -sum) / Math.sqrt(2 * Math.PI * a);  // R e^(aη²/2), signed for P or Q
        double u = (upper ? eta : -eta) * Math.sqrt(a / 2);
        double minusU2 = a * l1;                                      // -u² = -aη²/2
        if (u >= 1) return minusU2 + Math.log(0.5 / (SQRT_PI * erfcFraction(u)) + r);
        return Math.log(0.5 * erfc(u) + Math.exp(minusU2) * r);
    }

    /**
     * The y with P(a, y) = p, the Gamma(a, 1) quantile: Newton steps on log P (p &lt;= 1/2) or on log Q (above, 1 - p
     * being exact) against log y, inside a bracket that every evaluation tightens, from Wilson and Hilferty's cube
     * (Johnson, Kotz and Balakrishnan vol. 1, 17.5) or the tail forms P ≈ y^a/Γ(a + 1), Q ≈ y^(a-1) e^-y/Γ(a). 0 at
     * p = 0 and where the quantile is below the smallest double, +inf at p = 1, NaN for a not &gt; 0 or p outside [0, 1].
     */
    public static double gammaPInv(double a, double p) {
        if (!(a > 0) || !(p >= 0 && p <= 1) || a == Double.POSITIVE_INFINITY) return Double.NaN;
        if (p == 0) return 0;
        if (p == 1) return Double.POSITIVE_INFINITY;
        boolean upper = p > 0.5;
        double target = Math.log(upper ? 1 - p : p);
        double y;
        double c = 1 / (9 * a), w = 1 - c + ndtri(p) * Math.sqrt(c), wh = a * w * w * w;
        // P = y^a e^-y/Γ(a + 1) (1 + y/(a + 1) + ...) = y^a/Γ(a + 1) (1 + O(y)): below y = 1e-20 this is the answer (to the
        // rounding of log p, which Newton could not improve on), and in the subnormal range Newton could not even
        // represent its steps. For tiny a this holds up to p near 1 (Gamma(5e-4) has P(a, e^-924) = 0.63).
        double logSmall = (Math.log(p) + Special.lgamma1p(a)) / a;
        if (logSmall < LOG_HALF_MIN_VALUE) return 0;
        double small = Math.exp(logSmall);
        if (small < 1e-20) return small;
        if (small < 0.3 * (a + 1) || !(wh > 0)) {
            y = small;
        } else if (upper && a < 1) {
            y = Math.max(1, -target);                                 // Q ≈ y^(a-1) e^-y/Γ(a): a few fixed-point steps
            for (int i = 0; i < 3; i++) y = Math.max(0.3 * (a + 1), -target + (a - 1) * Math.log(y) - Special.lgamma(a));
        } else {
            y = wh;
        }
        if (!(y > 0) || y == Double.POSITIVE_INFINITY) y = a;
        double lo = 0, hi = Double.POSITIVE_INFINITY;
        for (int it = 0; it < 300; it++) {
            double lr = logGammaPQ(a, y, upper), f = lr - target;
            if (f == 0) return y;
            if (upper == (f > 0)) lo = y;                             // y is below the root
            else hi = y;
            double slope = Math.exp(logGammaFactor(a, y) - lr);       // |d log R / d log y| = y p(y)/R
            double step = (upper ? f : -f) / slope, next = y * Math.exp(step);
            // stop once the step is below what the residual's rounding (a few eps of max(1, |log R|)) can resolve
            double noise = 4 * EPS * Math.max(1, Math.abs(target)) / slope;
            if (Math.abs(step) <= 4 * EPS + noise) return next;
            if (!(next > lo && next < hi)) {                          // Newton left the bracket: bisect it (in logs while wide)
                if (hi == Double.POSITIVE_INFINITY) next = 4 * y;
                else if (lo == 0) next = hi / 4;
                else next = hi < 2 * lo ? 0.5 * (lo + hi) : Math.sqrt(lo * hi);
                if (hi - lo <= 4 * EPS * hi) return next;
            }
            if (next == y) return y;
            y = next;
        }
        return y;
    }

    /**
     * ∂x/∂a for x ~ Gamma(a, 1), by the implicit function theorem on the cdf: -(∂P/∂a)(a, x)/p(x; a) (Figurnov, Mohamed
     * and Mnih 2018, eq. 5), written as ∓R (∂ log R/∂a)/p(x) with R the smaller of P and Q, so the upper tail, where
     * ∂P/∂a = -∂Q/∂a is tiny and P = 1 - Q, loses nothing. ∂ log R/∂a is a sixth-order central difference with step
     * 0.005·min(a, √a) (the scale on which log R varies in a), relative error 7e-13 at most against mpmath;
     * R/p(x) = exp(log R - log p(x)) in logs, so neither may underflow. 0 for a or x not &gt; 0.
     */
    public static double standardGammaGrad(double a, double x) {
        if (!(a > 0) || !(x > 0)) return 0;
        if (x == Double.POSITIVE_INFINITY || a == Double.POSITIVE_INFINITY) return x / a;
        double lp = logGammaPQ(a, x, false);
        boolean upper = lp > -LN2;
        double lr = upper ? logGammaPQ(a, x, true) : lp;
        // D_k = (f(a + kh) - f(a - kh)) divided by the points' actual distance (a ± kh rounds: at a = 1e5 that alone
        // was 6e-12 of the step); f' = (15 D_1 - 6 D_2 + D_3)/10 cancels the h² and h⁴ terms of the D_k
        double h = 0.005 * (a < 1 ? a : Math.sqrt(a)), dlogR = 0;
        double[] w = {1.5, -0.6, 0.1};
        for (int k = 1; k <= 3; k++) {
            double hi = a + k * h, lo = a - k * h;
            dlogR += w[k - 1] * (logGammaPQ(hi, x, upper) - logGammaPQ(lo, x, upper)) / (hi - lo);
        }
        double ratio = Math.exp(lr - logGammaFactor(a, x) + Math.log(x));   // R/p(x), p(x) = x^(a-1) e^-x/Γ(a)
        double g = (upper ? 1 : -1) * ratio * dlogR;
        return Double.isFinite(g) ? g : x / a;                        // log R was -inf: the first order of x ≈ a + √a z
    }

    /** Temme's d[k][n] (generated by engine/src/test/python/temme_coefficients.py, exact rationals rounded). */
    private static final double[][] TEMME = {
        {-0.3333333333333333, 0.08333333333333333, -0.014814814814814815, 0.0011574074074074073,
         0.0003527336860670194, -0.0001787551440329218, 3.919263178522438e-05, -2.185448510679992e-06,
         -1.85406221071516e-06, 8.296711340953087e-07, -1.7665952736826078e-07, 6.707853543401498e-09,
         1.0261809784240309e-08, -4.382036018453353e-09, 9.14769958223679e-10, -2.5514193994946248e-11,
         -5.830772132550426e-11, 2.4361948020667415e-11, -5.0276692801141755e-12, 1.1004392031956135e-13,
         3.371763262400985e-13, -1.392388722418162e-13, 2.8534893807047445e-14, -5.139111834242572e-16,
         -1.9752288294349442e-15},
        {-0.001851851851851852, -0.003472222222222222, 0.0026455026455026454, -0.0009902263374485596,
         0.00020576131687242798, -4.018775720164609e-07, -1.8098550334489977e-05, 7.64916091608111e-06,
         -1.6120900894563446e-06, 4.647127802807434e-09, 1.378633446915721e-07, -5.752545603517705e-08,
         1.1951628599778148e-08, -1.7543241719747647e-11, -1.0091543710600413e-09, 4.162792991842583e-10,
         -8.56390702649298e-11, 6.067215101604758e-14, 7.1624989648114856e-12, -2.933186643771437e-12,
         5.996696365683689e-13, -2.1671786527323313e-16, -4.978339972369262e-14, 2.0291628823713425e-14,
         -4.13125571381061e-15},
        {0.004133597883597883, -0.0026813271604938273, 0.0007716049382716049, 2.0093878600823047e-06,
         -0.0001073665322636516, 5.2923448829120125e-05, -1.2760635188618728e-05, 3.423578734096138e-08,
         1.3721957309062934e-06, -6.298992138380055e-07, 1.4280614206064242e-07, -2.0477098421990866e-10,
         -1.409252991086752e-08, 6.228974084922022e-09, -1.3670488396617114e-09, 9.428356159014678e-13,
         1.2872252400089318e-10, -5.5645956134363323e-11, 1.197593554636698e-11, -4.1689782251838634e-15,
         -1.0940640427884595e-12, 4.662239946390136e-13, -9.905105763906907e-14, 1.8931876768373515e-17,
         8.859221872591127e-15},
        {0.0006494341563786008, 0.00022947209362139917, -0.0004691894943952557, 0.00026772063206283885,
         -7.561801671883977e-05, -2.396505113867297e-07, 1.1082654115347302e-05, -5.6749528269915965e-06,
         1.4230900732435883e-06, -2.7861080291528143e-11, -1.6958404091930278e-07, 8.099464905388083e-08,
         -1.9111168485973655e-08, 2.3928620439808118e-12, 2.0620131815488797e-09, -9.460496661855133e-10,
         2.1541049775774907e-10, -1.388823336813903e-14, -2.1894761681963938e-11, 9.790998951171684e-12,
         -2.178219188018096e-12, 6.208819573407901e-17, 2.126978363279737e-13, -9.344688791517433e-14,
         2.045367122678285e-14},
        {-0.0008618882909167117, 0.0007840392217200666, -0.0002990724803031902, -1.4638452578843418e-06,
         6.641498215465122e-05, -3.968365047179435e-05, 1.1375726970678419e-05, 2.507497226237533e-10,
         -1.6954149536558305e-06, 8.907507532205309e-07, -2.292934834000805e-07, 2.956794137544049e-11,
         2.8865829742708783e-08, -1.4189739437803219e-08, 3.4463580499464896e-09, -2.3024517174528067e-13,
         -3.9409233028046403e-10, 1.86023389685045e-10, -4.356323005056618e-11, 1.278600101629623e-15,
         4.67927502665792e-12, -2.149246470613483e-12, 4.908815614809652e-13, -6.33859148489156e-18,
         -5.045332069080094e-14},
        {-0.00033679855336635813, -6.972813758365857e-05, 0.0002772753244959392, -0.00019932570516188847,
         6.797780477937208e-05, 1.419062920643967e-07, -1.3594048189768693e-05, 8.018470256334202e-06,
         -2.291481176508095e-06, -3.252473551298454e-10, 3.4652846491085265e-07, -1.8447187191171344e-07,
         4.8240967037894184e-08, -1.7989466721743514e-14, -6.306194500013523e-09, 3.162417628774568e-09,
         -7.840924253697429e-10, 5.192679165254041e-15, 9.358944242306784e-11, -4.513426216163278e-11,
         1.0799129993116828e-11, -3.661886712685252e-17, -1.210902069055155e-12, 5.680743584990564e-13,
         -1.3249659916340829e-13},
        {0.0005313079364639922, -0.0005921664373536939, 0.0002708782096718045, 7.902353232660328e-07,
         -8.153969367561969e-05, 5.61168275310625e-05, -1.8329116582843375e-05, -3.0796134506033047e-09,
         3.465155368803609e-06, -2.0291327396058603e-06, 5.788792863149004e-07, 2.338630673826657e-13,
         -8.828600746330484e-08, 4.7435958880408125e-08, -1.2545415020710383e-08, 8.649648858010293e-14,
         1.6846058979264062e-09, -8.575492823577594e-10, 2.1598224929232125e-10, -7.613230520476153e-16,
         -2.6639822008536144e-11, 1.3065700536611057e-11, -3.1799163902367977e-12, 4.710976121367431e-18,
         3.6902800842763465e-13},
        {0.00034436760689237765, 5.171790908260592e-05, -0.00033493161081142234, 0.0002812695154763237,
         -0.00010976582244684731, -1.2741009095484485e-07, 2.7744451511563645e-05, -1.8263488805711332e-05,
         5.7876949497350525e-06, 4.93875893393627e-10, -1.0595367014026043e-06, 6.166714376110408e-07,
         -1.7562973359060463e-07, -1.297447328701544e-12, 2.695423606288966e-08, -1.4578352908731272e-08,
         3.887645959386175e-09, -3.881002251019412e-17, -5.327994173877286e-10, 2.7437977643314844e-10,
         -6.995796092070568e-11, 2.589986387486848e-17, 8.856689099669639e-12, -4.403168815871311e-12,
         1.0865561947091654e-12},
        {-0.0006526239185953094, 0.0008394987206720873, -0.000438297098541721, -6.969091458420552e-07,
         0.00016644846642067547, -0.00012783517679769218, 4.629953263691304e-05, 4.557909867922708e-09,
         -1.0595271125805195e-05, 6.783342904865167e-06, -2.1075476666258803e-06, -1.7213731432817144e-11,
         3.773587741611098e-07, -2.1867506700122867e-07, 6.220228804018927e-08, 6.597703826733e-16,
         -9.590386497425686e-09, 5.213214492280807e-09, -1.3991589583935709e-09, 5.382058999060575e-16,
         1.9484714275467745e-10, -1.0127287556389682e-10, 2.6077347197254926e-11, -5.090418699993299e-18,
         -3.3721464474854593e-12},
        {-0.0005967612901927463, -7.204895416020011e-05, 0.0006782308837667328, -0.0006401475260262758,
         0.00027750107634328704, 1.819700838046515e-07, -8.479507117068503e-05, 6.105192082501531e-05,
         -2.1073920183404862e-05, -8.858589014125599e-10, 4.5284535953805374e-06, -2.8427815022504407e-06,
         8.708234177864641e-07, 3.6886101871706966e-12, -1.534469519070206e-07, 8.862466778790695e-08,
         -2.5184812301826817e-08, -1.0225912098215092e-14, 3.896947075815478e-09, -2.1267304792235634e-09,
         5.737013552805138e-10, -1.8877498501697116e-19, -8.093153869465787e-11, 4.23827232834492e-11,
         -1.1002224534207725e-11},
        {0.0013324454494800656, -0.0019144384985654776, 0.0011089369134596636, 9.9324041226423e-07,
         -0.0005087450129309319, 0.00042735056665392886, -0.00016858853767910798, -8.1301893922785e-09,
         4.5284402370562144e-05, -3.127053674781734e-05, 1.044986828530338e-05, 4.8435226265680926e-11,
         -2.148256587345626e-06, 1.329369701097492e-06, -4.029569309210103e-07, -1.756787766632329e-13,
         7.014504316366825e-08, -4.040787734999483e-08, 1.1474026743371964e-08, 3.964274685356394e-18,
         -1.7804938269892715e-09, 9.748026254873165e-10, -2.6405338676507616e-10, 5.79487516340376e-18,
         3.764774955354384e-11},
        {0.001579727660730835, 0.00016251626278391583, -0.0020633421035543276, 0.00213896861856891,
         -0.0010108559391263003, -3.99127055299192e-07, 0.0003623502508476469, -0.00028143901463712157,
         0.00010449513336495887, 2.12114184918303e-09, -2.5779417251947842e-05, 1.7281818956040464e-05,
         -5.641377387290428e-06, -1.1024320105776174e-11, 1.1223224418895174e-06, -6.869339637952674e-07,
         2.0653236975414888e-07, 4.6714772409838506e-14, -3.5609886164949055e-08, 2.0470855345905963e-08,
         -5.809173863328336e-09, -1.3328212875828647e-16, 9.035460439133513e-10, -4.959878251733084e-10,
         1.3481607129399748e-10},
        {-0.004072512119514016, 0.00640336283380807, -0.004041016108167662, -2.1837328028662328e-06,
         0.002174044180125464, -0.001970044051841889, 0.0008359546974796246, 1.9445447567109655e-08,
         -0.000257793871204217, 0.00019009987368139304, -6.769649993743896e-05, -1.4440629666426571e-10,
         1.5712512518742267e-05, -1.0304008744776894e-05, 3.304517767401387e-06, 7.982976024232571e-13,
         -6.4097794149313e-07, 3.8894624761300054e-07, -1.161834764494887e-07, -2.8168086305964423e-15,
         1.9878012911297094e-08, -1.1407719956357511e-08, 3.2355857064185554e-09, 4.1759462466484876e-20,
         -5.042311271810582e-10},
        {-0.0059475779383993, -0.0005401647678926045, 0.00879104135507679, -0.009857631558785612,
         0.005013469503102154, 1.2807521786221875e-06, -0.0020626019342754685, 0.0017109128573523059,
         -0.000676953127141338, -6.901154567656214e-09, 0.00018855128143995903, -0.0001339521566349197,
         4.626318303352804e-05, 4.003423061332135e-11, -1.0255652921494033e-05, 6.612086372797651e-06,
         -2.0913022027253007e-06, -2.095177564960382e-13, 3.975602904199325e-07, -2.395621197881589e-07,
         7.118288338214586e-08, 8.925574871713252e-16, -1.2101547235064677e-08, 6.935061824833439e-09,
         -1.966146445385609e-09},
        {0.01740202778752271, -0.02952788094569912, 0.020045875571402798, 7.0289515966903405e-06,
         -0.012375421071343148, 0.011976293444235255, -0.0054156038466518525, -6.329089339641862e-08,
         0.0018855118129005065, -0.001473473274825001, 0.0005551581009770838, 5.240683441255066e-10,
         -0.00014357913535784835, 9.91812932249433e-05, -3.346083474947831e-05, -3.5755837291098967e-12,
         7.1560851960630075e-06, -4.551680262815553e-06, 1.4236576649271474e-06, 1.8803149079275236e-14,
         -2.662340389892921e-07, 1.5950642189595716e-07, -4.718751467384107e-08, -6.510781264821694e-17,
         7.979509102674677e-09},
        {0.03024912416090589, 0.0024817436002649977, -0.049939134373457025, 0.05991564300930787,
         -0.03248320760162339, -5.721296865210344e-06, 0.015085251778569354, -0.013261324005088445,
         0.0055515262632426145, 3.026318225703001e-08, -0.0017229548406756724, 0.0012893570099929638,
         -0.00046845138348319875, -1.8302599378930445e-10, 0.00011449739014822654, -7.737856522124447e-05,
         2.5625836246985202e-05, 1.0766165332658074e-12, -5.324680928242262e-06, 3.3496348630644643e-06,
         -1.038125312868401e-06, -5.608908533478749e-15, 1.9150821930676722e-07, -1.1418365800203775e-07,
         3.365442520915233e-08},
        {-0.09905102088015905, 0.17954011706123485, -0.12989606383463778, -3.1478872752284355e-05,
         0.09051063527684813, -0.0928288244111844, 0.04441211283987781, 2.7779236316835886e-07,
         -0.017229543805449696, 0.014182925050891573, -0.005621416163374734, -2.3959850918638095e-09,
         0.0016029634366079909, -0.0011606784674435774, 0.00041001337768153875, 1.8365800753181603e-11,
         -9.58442565636559e-05, 6.364306233776471e-05, -2.0762506244890635e-05, -1.1806017999805486e-13,
         4.213180823912094e-06, -2.6262241337013133e-06, 8.077062049488396e-07, 5.996409690563338e-16,
         -1.47297373744462e-07},
        {-0.19994542198219728, -0.015056113040026424, 0.3647023946934849, -0.4643519231173355, 0.26640934719197895,
         3.403826602714719e-05, -0.13784338709329624, 0.1276467178337056, -0.056213828755200985,
         -1.7531508854830108e-07, 0.019235592956768112, -0.015088821281095316, 0.005740185445135012,
         1.0622382710173866e-09, -0.0015335082692563998, 0.0010819320643228215, -0.0003737251019394563,
         -6.617090419433389e-12, 8.42636173809102e-05, -5.5150706827484874e-05, 1.7769536448337793e-05,
         3.879070571006568e-14, -3.5351369749902462e-06, 2.1865832127706725e-06, -6.681284949240542e-07},
        {0.7243860850402943, -1.3918010932653375, 1.0654143352413967, 0.0001876173868950258, -0.827055011761527,
         0.8935243334782841, -0.44971003995291337, -1.6107401567546651e-06, 0.1923559016527109, -0.1659770216004261,
         0.06888222268181433, 1.391009172443142e-08, -0.021469115615086628, 0.016228980898865892,
         -0.005979601617258422, -1.1287468171928069e-10, 0.001516745111978496, -0.0010478634293554165,
         0.00035539072889105875, 8.162616536150783e-13, -7.777301344470886e-05, 5.029141389162907e-05,
         -1.6035083877747675e-05, -5.0260094840152135e-15, 3.1369106037108428e-06},
        {1.6668949727276812, 0.1165462765994632, -3.3288393225018904, 4.469232548286404, -2.6977693045875806,
         -0.0002600667859891061, 1.5389017615694538, -1.4937962361134611, 0.6888196463323315, 1.3077482004532885e-06,
         -0.2576296332559629, 0.2109767610212545, -0.08371440835921982, -7.792042747000674e-09, 0.024267923064833764,
         -0.017813678334552763, 0.006397033038886307, 4.9415957307924725e-11, -0.0015554602758916928,
         0.0010561196918773697, -0.00035277184484116647, -3.0939103274354235e-13, 7.528585452877513e-05,
         -4.8186515801973e-05, 1.5227272261135095e-05},
        {-6.618829886137293, 13.397985455142589, -10.789350606845145, -0.0014352254537875018, 9.23336945961898,
         -10.456552819547769, 5.510552602903347, 1.2024439690699193e-05, -2.5762961164755818, 2.320744274538718,
         -1.0045728797216278, -1.0207833106546672e-07, 0.33975092171169696, -0.26720517450758147,
         0.10235252851556788, 8.430448585452676e-10, -0.02799828495925492, 0.020066274142830732,
         -0.007055436896237373, -6.510036896790042e-12, 0.0016562887995937561, -0.0011082898634291512,
         0.0003654545342639166, 4.504194082820455e-14, -7.634011300557932e-05},
        {-17.112706061976095, -1.1208044642899115, 37.131966511885445, -52.29827102534896, 33.058589696624615,
         0.0024791298976198995, -20.610894034115258, 20.886727751455822, -10.045703956517746,
         -1.2238783428880736e-05, 4.077013427422142, -3.473667358470283, 1.4329352617303721, 7.135612771732799e-08,
         -0.4479725716041533, 0.34112666076996123, -0.12699786335106672, -4.5009172627885263e-10,
         0.033125776059235765, -0.023274087133486544, 0.008039999749288682, 2.9014850241350154e-12,
         -0.0018321627125162138, 0.001210814074308124, -0.00039487195597625305},
        {73.89033153567425, -156.80141270402274, 132.2177542759164, 0.013692876877323932, -123.66496885920151,
         146.2068939106273, -80.36558772486529, -0.00011259851130717249, 40.770132196180214, -38.210340013274,
         17.195222942763678, 9.351478525225111e-07, -6.271615990956665, 5.116899906638013, -2.0319658125917894,
         -7.68015576927279e-09, 0.5962639690008922, -0.44220765550893937, 0.1607999949801386, 6.105452322399745e-11,
         -0.04030757967497879, 0.02784872370893079, -0.00947692694339809, -4.5311013227974904e-13,
         0.002105335093633221},
        {212.1683709838252, 13.107863022633866, -496.9828593287175, 731.2159526696921, -482.13821720890815,
         -0.028817248691623405, 326.1672030294732, -343.89340280087987, 171.9519387080629, 0.00014038023228364068,
         -75.25941959194343, 66.51969983809508, -28.44751976721878, -8.023117747524886e-07, 9.540223647451496,
         -7.51753014765263, 2.894399900499762, 4.980023807118572e-09, -0.8061515942879215, 0.5848231979048016,
         -0.20849239270188827, -3.225438491326595e-11, 0.05052804225167161, -0.03441205280628807,
         0.011560069800937042},
        {-989.5964309832236, 2192.555536090523, -1928.3586782723344, -0.1592573812157951, 1956.9985945919989,
         -2407.2514765082165, 1375.6149959328543, 0.0012920686502737788, -752.5941716166408, 731.7166873438302,
         -341.37023489099647, -1.0517978697205148e-05, 133.56313092981054, -112.76295215735033, 46.31039839600551,
         8.49948412810344e-08, -14.510728696418298, 11.111640759871898, -4.169847853971864, -6.787845238126073e-10,
         1.1116169295323557, -0.7914772145428005, 0.277441675222115, 5.226168222780974e-12, -0.06531439992499116},
    };

    // ------------------------------------------------------------------------------------------- incomplete beta

    /**
     * log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b), with Stirling's corrections ω where an argument is at least 10,
     * so that the large terms cancel in closed form (lgamma(5e7) - lgamma(5e7 + ½) loses 1e-7 in rounding). With
     * a &lt;= b: b &lt; 10 directly; a &lt; 10 &lt;= b: log Γ(a) - a log(a + b) - b·log1pmx(a/b) + ½ log1p(a/b) + ω(b) - ω(a + b);
     * both large: (a - ½) log(a/(a + b)) - b log1p(a/b) + ½ log(2π/b) + ω(a) + ω(b) - ω(a + b) (DiDonato and Morris
     * 1992, betaln).
     */
    public static double logBeta(double a, double b) {
        double lo = Math.min(a, b), hi = Math.max(a, b);
        if (!(lo > 0)) return lo == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        if (hi < 10) return Special.lgamma(a) + Special.lgamma(b) - Special.lgamma(a + b);
        double r = lo / hi, sum = lo + hi;
        if (lo < 10) {
            return Special.lgamma(lo) - lo * Math.log(sum) - hi * log1pmx(r) + 0.5 * Math.log1p(r)
                    + Special.lgammaCorrection(hi) - Special.lgammaCorrection(sum);
        }
        return (lo - 0.5) * Math.log(lo / sum) - hi * Math.log1p(r) + HALF_LOG_2PI - 0.5 * Math.log(hi)
                + Special.lgammaCorrection(lo) + Special.lgammaCorrection(hi) - Special.lgammaCorrection(sum);
    }

    /**
     * I_x(a, b), the regularised incomplete beta function (the Beta(a, b) cdf at x), about 1e-14 relative: the continued
     * fraction of Numerical Recipes 3rd ed. 6.4 (eq. 6.4.5) by the modified Lentz method for x &lt; (a + 1)/(a + b + 2),
     * 1 - I_{1-x}(b, a) otherwise, and DiDonato and Morris's BGRAT expansion where a is large, b &lt;= 1 and x near 1
     * (there the fraction loses a·eps). NaN for a or b not &gt; 0 or a NaN x; 0 for x &lt;= 0 and 1 for x &gt;= 1.
     */
    public static double betaI(double x, double a, double b) {
        if (!(a > 0) || !(b > 0) || x != x) return Double.NaN;
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        return betaI(x, 1 - x, Math.log(x), Math.log1p(-x), a, b, false);
    }

    /**
     * I_x(a, b), or 1 - I_x(a, b) when {@code complement}, from x and y = 1 - x given separately together with their
     * logarithms, so that whichever of x and y is small (and the tail it decides) keeps its digits: Student's t needs
     * z = ν/(ν + t²) near 1 and w = t²/(ν + t²) near 0 both exactly.
     */
    static double betaI(double x, double y, double logX, double logY, double a, double b, boolean complement) {
        if (logX == Double.NEGATIVE_INFINITY) return complement ? 1 : 0;
        if (logY == Double.NEGATIVE_INFINITY) return complement ? 0 : 1;
        boolean direct = x < (a + 1) / (a + b + 2);
        // a large and b <= 1 with x near 1: the fraction in x loses a·eps there, BGRAT does not; its value is I_x itself,
        // used where that is the smaller side (or the fraction's side would be the ill-conditioned one)
        if (b <= 1 && a >= 1000 && y < 0.5) {
            double i = bgrat(a, b, logX);
            if (direct || i <= 0.5) return complement ? 1 - i : i;
        } else if (a <= 1 && b >= 1000 && x < 0.5) {
            double c = bgrat(b, a, logY);                              // 1 - I_x(a, b) = I_y(b, a)
            if (!direct || c <= 0.5) return complement ? c : 1 - c;
        }
        double logFront = a * logX + b * logY - logBeta(a, b);
        // I_x(a, b) if direct, else 1 - I_x(a, b)
        double f = direct ? Math.exp(logFront) * betaFraction(x, a, b) / a : Math.exp(logFront) * betaFraction(y, b, a) / b;
        return direct != complement ? f : 1 - f;
    }

    /**
     * I_x(a, b) for a &gt;= 1000 and b &lt;= 1 by DiDonato and Morris's asymptotic expansion in incomplete gamma functions
     * (ACM TOMS 708, 1992, BGRAT, eqs. 9.1-9.6; the form of Boost's beta_small_b_large_a_series): with T = a + (b - 1)/2
     * and u = -T log x, I = Γ(a + b)/(Γ(a) T^b) [Q(b, u) + h Σ_n p_n J_n] where h = u^b e^-u/Γ(b). It needs only log x,
     * which the caller has from log1p(-y).
     */
    private static double bgrat(double a, double b, double logX) {
        double bm1 = b - 1, t = a + bm1 / 2, u = -t * logX;
        double logH = logGammaFactor(b, u);                            // log(u^b e^-u/Γ(b))
        // log(Γ(a + b)/(Γ(a) T^b)) in Stirling's form (a >= 1000): a log1pmx(b/a) - ½ log1p(b/a) + b log1p((b + 1)/(2T)) + ω(a + b) - ω(a)
        double r = b / a;
        double logRatio = a * log1pmx(r) - 0.5 * Math.log1p(r) + b * Math.log1p((b + 1) / (2 * t))
                + Special.lgammaCorrection(a + b) - Special.lgammaCorrection(a);
        double prefix = Math.exp(logH + logRatio);
        double j = Math.exp(logGammaPQ(b, u, true) - logH);           // J_0 = Q(b, u)/h
        double sum = prefix * j;
        double[] p = new double[30];
        p[0] = 1;
        double lx2 = logX / 2, lxp = 1, t4 = 4 * t * t, b2n = b;
        lx2 *= lx2;
        for (int n = 1; n < p.length; n++) {
            double pn = 0;
            for (int m = 1; m < n; m++) pn += (m * b - n) * p[n - m] / ODD_FACTORIAL[m];
            p[n] = pn / n + bm1 / ODD_FACTORIAL[n];
            j = (b2n * (b2n + 1) * j + (u + b2n + 1) * lxp) / t4;     // J_n from J_{n-1} (eq. 9.6)
            lxp *= lx2;
            b2n += 2;
            double term = prefix * p[n] * j;
            sum += term;
            if (Math.abs(term) <= EPS * Math.abs(sum)) break;
        }
        return sum;
    }

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
     * The x in [0, 1] with I_x(a, b) = p (the Beta(a, b) quantile), to about 1e-14 relative even where x is far below the
     * square root of the smallest double (Beta(1e-3, 1e3) has its median at 1e-304): see {@link #betaIInvPair}. 0 for
     * p &lt;= 0 and where the quantile is below the smallest double, 1 for p &gt;= 1, NaN for NaN input or a, b not &gt; 0.
     */
    public static double betaIInv(double p, double a, double b) {
        if (!(a > 0) || !(b > 0) || p != p) return Double.NaN;
        if (p <= 0) return 0;
        if (p >= 1) return 1;
        return betaIInvPair(p, a, b)[0];
    }

    /**
     * {x, 1 - x} with I_x(a, b) = p for 0 &lt; p &lt; 1, each to full relative precision. Above p = 1/2 the symmetry
     * I_x(a, b) = 1 - I_{1-x}(b, a) turns it into a problem with 1 - p (exact) below 1/2; then whichever of x and y = 1 - x
     * is below 1/2 at the root (I at 1/2 tells which) is found by Newton steps on log I against its logarithm, inside a
     * bracket that every evaluation tightens. Starts: x ≈ (p a B(a, b))^(1/a) (the small-x form of I), or for the root
     * above 1/2 with b &lt;= 1 &lt; a (Student's t) 1 - e^(-u/T) from Q(b, u) = p, BGRAT's leading term.
     */
    static double[] betaIInvPair(double p, double a, double b) {
        if (p > 0.5) {
            double[] r = betaIInvPair(1 - p, b, a);
            return new double[]{r[1], r[0]};
        }
        double target = Math.log(p), lb = logBeta(a, b);
        boolean small = betaI(0.5, 0.5, -LN2, -LN2, a, b, false) >= p;   // the root x is <= 1/2: solve for x, else for y
        double u;
        if (small) {
            // I = x^a/(a B(a, b)) (1 + a(1 - b)/(a + 1) x + ...): where the correction is below 1e-18 this is the answer
            // (as for gammaPInv)
            double logStart = (target + Math.log(a) + lb) / a;
            if (logStart < LOG_HALF_MIN_VALUE) return new double[]{0, 1};
            u = Math.min(0.5, Math.exp(logStart));
            if (u * (1 + b) < 1e-18) return new double[]{u, 1};
        } else if (b <= 1 && a > 1) {
            double t = a + (b - 1) / 2, g = gammaPInv(b, 1 - p);       // Q(b, g) = p
            u = Math.min(0.5, -Math.expm1(-g / t));
        } else {
            u = Math.min(0.5, b / (a + b));
        }
        if (!(u > 0)) u = 0.25;
        double lo = 0, hi = 0.5;
        for (int it = 0; it < 400; it++) {
            double x = small ? u : 1 - u, y = small ? 1 - u : u;
            double lx = small ? Math.log(u) : Math.log1p(-u), ly = small ? Math.log1p(-u) : Math.log(u);
            double li = Math.log(betaI(x, y, lx, ly, a, b, false)), f = li - target;
            if (f == 0) break;
            if ((f < 0) == small) lo = u;                              // u is below the root
            else hi = u;
            // |d log I / d log u| = u p(x)/I, p(x) = x^(a-1) y^(b-1)/B(a, b)
            double slope = Math.exp(Math.log(u) + (a - 1) * lx + (b - 1) * ly - lb - li);
            double step = (small ? -f : f) / slope, next = u * Math.exp(step);
            double noise = 4 * EPS * Math.max(1, Math.abs(target)) / slope;
            boolean done = Math.abs(step) <= 4 * EPS + noise;
            if (!done && !(next > lo && next < hi)) {
                next = lo == 0 ? u / 4 : hi < 2 * lo ? 0.5 * (lo + hi) : Math.sqrt(lo * hi);
                done = hi - lo <= 4 * EPS * hi;
            }
            if (next == u) break;
            u = next;
            if (done) break;
        }
        return small ? new double[]{u, 1 - u} : new double[]{1 - u, u};
    }

    // ---------------------------------------------------------------------------------------------- Student's t

    /**
     * Student's t cdf F(t; ν) = ½ I_z(ν/2, ½) for t &lt; 0, z = ν/(ν + t²) (A&amp;S 26.7.1 with 26.5.27), and 1 - F(-t) above,
     * with z and w = t²/(ν + t²) = 1 - z each formed as a ratio (never as 1 minus the other) and their logarithms from
     * r = ν/t², so that large ν (where z is within 1e-12 of 1) and huge |t| lose nothing. NaN for ν not &gt; 0.
     */
    public static double studentTCdf(double nu, double t) {
        if (!(nu > 0) || t != t) return Double.NaN;
        if (t == 0) return 0.5;
        if (Double.isInfinite(t)) return t > 0 ? 1 : 0;
        // s = t²/ν; log z = -log1p(s) keeps its digits (ν/2 times it is the exponent), log w = log s - log1p(s)
        double at = Math.abs(t), s = at * (at / nu), logS, l1;
        if (s > Double.MIN_NORMAL && s < Double.POSITIVE_INFINITY) {
            logS = Math.log(s);
            l1 = Math.log1p(s);
        } else {
            logS = 2 * Math.log(at) - Math.log(nu);
            l1 = log1pOfExp(logS);
        }
        boolean ratio = s < Double.POSITIVE_INFINITY;
        double z = ratio ? 1 / (1 + s) : Math.exp(-l1), w = ratio ? s / (1 + s) : Math.exp(logS - l1);
        double half = 0.5 * betaI(z, w, -l1, logS - l1, nu / 2, 0.5, t > 0);
        return t < 0 ? half : 0.5 + half;
    }

    /** log(1 + e^l) without overflow or loss for l of any size. */
    private static double log1pOfExp(double l) {
        return l > 0 ? l + Math.log1p(Math.exp(-l)) : Math.log1p(Math.exp(l));
    }

    /**
     * The Student t quantile: |t| = √(ν w/z) with I_z(ν/2, ½) = 2 min(q, 1 - q) solved for the pair (z, w = 1 - z)
     * ({@link #betaIInvPair}: near the median it solves I_w(½, ν/2) = 1 - 2q, exact there, for w itself), so that
     * t² = ν w/z never forms 1/z - 1. ∓inf at q = 0, 1; NaN for ν not &gt; 0 or q outside [0, 1].
     */
    public static double studentTIcdf(double nu, double q) {
        if (!(nu > 0) || !(q >= 0 && q <= 1)) return Double.NaN;
        if (q == 0.5) return 0;
        if (q == 0) return Double.NEGATIVE_INFINITY;
        if (q == 1) return Double.POSITIVE_INFINITY;
        double r = q < 0.5 ? q : 1 - q, a = nu / 2;
        double logZ0 = (Math.log(2 * r) + Math.log(a) + logBeta(a, 0.5)) / a;
        if (logZ0 < -40) {                                             // I_z = z^a/(a B(a, ½)) (1 + O(z)): t² = ν w/z = ν/z
            double mag = Math.exp(0.5 * (Math.log(nu) - logZ0));
            return q < 0.5 ? -mag : mag;
        }
        double[] zw = betaIInvPair(2 * r, a, 0.5);
        double mag = Math.sqrt(nu) * Math.sqrt(zw[1] / zw[0]);
        return q < 0.5 ? -mag : mag;
    }
}
