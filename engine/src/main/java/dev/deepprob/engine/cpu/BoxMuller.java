package dev.deepprob.engine.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transcendental part of the Box-Muller transform, r = sqrt(-2 ln u) and (cos, sin)(2 pi v), for whole vectors of
 * pairs at a time, in double precision: a float normal computed here rounds to the same float as one computed with
 * {@link StrictMath} except where the double result lies within a few double ulps of a float rounding boundary
 * (about one value in 10^8). The polynomials use only additions, multiplications, a division and a square root, each
 * correctly rounded, in a fixed order (no fused multiply-add, no library call), so the bits are the same on every
 * JVM and CPU, as RngKernels requires.
 *
 * <p>The angle is reduced exactly: v = w / 2^32 for a 32-bit word w, so 4v = q + f with the quadrant q the top two
 * bits of w and f its low 30 bits over 2^30; f is centred into [-1/2, 1/2) (carrying into q), the angle f pi / 2 lies
 * in [-pi/4, pi/4), and its sine and cosine come from Taylor polynomials of degree 17 and 16 (truncation below
 * 10^-17). The logarithm splits u = m 2^e with m in [sqrt(1/2), sqrt(2)), and ln m = 2 atanh(s), s = (m - 1)/(m + 1),
 * |s| < 0.172, as a series in s^2 to degree 20 (truncation below 10^-17).
 */
final class BoxMuller {
    private BoxMuller() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** ln 2 in two parts: e * LN2_HI is exact for |e| < 2^11, LN2_LO the rest. */
    private static final double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
    private static final double SQRT_HALF = 0.70710678118654752440;
    private static final long EXP_MASK = 0x7FF0000000000000L, ONE_BITS = 0x3FF0000000000000L, TWO52_BITS = 0x4330000000000000L;
    private static final double HALF_PI = Math.PI / 2;
    /** 1/(2k+1) for k = 1..10: ln m = 2s (1 + z/3 + z^2/5 + ...), z = s^2. */
    private static final double[] ATANH = {1 / 3.0, 1 / 5.0, 1 / 7.0, 1 / 9.0, 1 / 11.0, 1 / 13.0, 1 / 15.0, 1 / 17.0,
        1 / 19.0, 1 / 21.0};
    /** (-1)^k / (2k+1)! and (-1)^k / (2k)! for k = 1..8: the sine's and the cosine's Taylor coefficients. */
    private static final double[] SIN = new double[8], COS = new double[8];

    static {
        double f = 1;
        for (int k = 1; k <= 8; k++) {
            f *= 2 * k;
            COS[k - 1] = (k % 2 == 1 ? -1 : 1) / f;
            f *= 2 * k + 1;
            SIN[k - 1] = (k % 2 == 1 ? -1 : 1) / f;
        }
    }

    /**
     * For pairs j in [0, n): radius[j] = sqrt(-2 ln u[j]) times cos (into {@code cos[j]}) and sin (into {@code sin[j]})
     * of the angle (quadrant[j] + f[j]) pi / 2, where f[j] in [-1/2, 1/2) and quadrant[j] in 0..3 (as doubles).
     */
    static void pairs(double[] u, double[] quadrant, double[] f, int n, double[] cos, double[] sin) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            DoubleVector r = DoubleVector.fromArray(S, u, j);
            r = log(r).mul(-2.0).lanewise(VectorOperators.SQRT);
            DoubleVector t = DoubleVector.fromArray(S, f, j).mul(HALF_PI), z = t.mul(t);
            DoubleVector s = poly(z, SIN).mul(z).mul(t).add(t);
            DoubleVector c = poly(z, COS).mul(z).add(1.0);
            // rotate by the quadrant: (c, s) -> (-s, c) -> (-c, -s) -> (s, -c)
            DoubleVector q = DoubleVector.fromArray(S, quadrant, j);
            VectorMask<Double> odd = q.eq(1.0).or(q.eq(3.0)), negC = q.eq(1.0).or(q.eq(2.0)), negS = q.eq(2.0).or(q.eq(3.0));
            DoubleVector x = c.blend(s, odd), y = s.blend(c, odd);
            x = x.blend(x.neg(), negC);
            y = y.blend(y.neg(), negS);
            r.mul(x).intoArray(cos, j);
            r.mul(y).intoArray(sin, j);
        }
        for (; j < n; j++) {
            double r = Math.sqrt(-2.0 * log(u[j])), t = f[j] * HALF_PI, z = t * t;
            double s = poly(z, SIN) * z * t + t, c = poly(z, COS) * z + 1.0;
            int q = (int) quadrant[j];
            double x = (q & 1) == 0 ? c : s, y = (q & 1) == 0 ? s : c;
            if (q == 1 || q == 2) x = -x;
            if (q >= 2) y = -y;
            cos[j] = r * x;
            sin[j] = r * y;
        }
    }

    /**
     * Pair j's angle 2 pi v / 2^32 for the 32-bit word v, exactly as (quadrant + f) pi / 2: the top two bits of v, and
     * its low 30 over 2^30 centred into [-1/2, 1/2) (carrying into the quadrant).
     */
    static void angle(int v, double[] quadrant, double[] f, int j) {
        int q = v >>> 30;
        double frac = (v & 0x3FFFFFFF) * 0x1.0p-30;
        if (frac >= 0.5) {
            frac -= 1.0;
            q = (q + 1) & 3;
        }
        quadrant[j] = q;
        f[j] = frac;
    }

    /** c[0] + z (c[1] + z (c[2] + ...)), Horner's rule from the highest coefficient. */
    private static DoubleVector poly(DoubleVector z, double[] c) {
        // c is one of the three tables, read whole: the JIT unrolls the loop over its constant length
        DoubleVector p = DoubleVector.broadcast(S, c[c.length - 1]);
        for (int k = c.length - 2; k >= 0; k--) p = p.mul(z).add(c[k]);
        return p;
    }

    private static double poly(double z, double[] c) {
        double p = c[c.length - 1];
        for (int k = c.length - 2; k >= 0; k--) p = p * z + c[k];
        return p;
    }

    /** ln x for normal positive x (as the uniforms here are), lane by lane. */
    static DoubleVector log(DoubleVector x) {
        LongVector bits = x.viewAsIntegralLanes();
        LongVector e = bits.lanewise(VectorOperators.LSHR, 52);
        DoubleVector m = bits.and(~EXP_MASK).or(ONE_BITS).viewAsFloatingLanes();
        VectorMask<Double> high = m.compare(VectorOperators.GT, 1 / SQRT_HALF);
        m = m.blend(m.mul(0.5), high);
        // the exponent as a double without a long-to-double conversion (AVX2 has none): 2^52 + e's bits, minus 2^52
        DoubleVector ed = e.or(TWO52_BITS).viewAsFloatingLanes().sub(0x1.0p52).sub(1023.0);
        ed = ed.blend(ed.add(1.0), high);
        DoubleVector f = m.sub(1.0), s = f.div(f.add(2.0)), z = s.mul(s);
        DoubleVector twoS = s.add(s);
        return ed.mul(LN2_HI).add(twoS.add(twoS.mul(z).mul(poly(z, ATANH)).add(ed.mul(LN2_LO))));
    }

    static double log(double x) {
        long bits = Double.doubleToRawLongBits(x);
        double e = (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble(bits & ~EXP_MASK | ONE_BITS);
        if (m > 1 / SQRT_HALF) {
            m *= 0.5;
            e += 1.0;
        }
        double f = m - 1.0, s = f / (f + 2.0), z = s * s, twoS = s + s;
        return e * LN2_HI + (twoS + (twoS * z * poly(z, ATANH) + e * LN2_LO));
    }
}
