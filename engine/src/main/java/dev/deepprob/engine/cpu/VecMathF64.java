package dev.deepprob.engine.cpu;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float64 transcendentals for {@link VecF64} (and F32 pow, computed in double lanes), built as
 * {@link VecMathF32}: a scalar form that is the specification, and a vector loop that performs the same exactly
 * rounded operations in the same order, lane-wise, with everything written out in the loop (see VecMathF32 for
 * why). Bit-identical in any lane, in the tail, interpreted or compiled.
 *
 * <p>Algorithms (errors measured against {@link Math}, see {@code KernelsTest}): exp by Cody-Waite reduction with
 * fdlibm's split of ln 2, a degree 10 fit of (e^r - 1 - r)/r^2 on |r| &lt;= ln2/2, and 2^k from exponent bits
 * in two factors, so subnormal results round once (one factor in the vector fast path, |x| &lt;= 708, where the
 * two are the same exact scaling); expm1 likewise, with fdlibm's correction
 * for the rounding of r and a final sum arranged so that no rounded e^r - 1 is amplified near k = ±1; log and
 * log1p by fdlibm e_log.c's kernel (s = f/(2+f), R a degree 14 series in s); tanh from expm1(2|x|) with a
 * compensated quotient; sigmoid from e^-|x| likewise; sin and cos by fdlibm's medium-size reduction
 * (e_rem_pio2.c, pi/2 in 33-bit parts, always run to its third round) and FreeBSD's k_sin.c and k_cos.c
 * kernels, with {@link StrictMath} beyond |x| = 2^19; pow through a double-double log2 and exp's polynomial.
 */
final class VecMathF64 {
    private VecMathF64() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = S.withLanes(long.class);
    private static final int L = S.length();
    /** Float lanes as many as S has doubles: F32 pow widens them to double. */
    static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

    private static final double INF = Double.POSITIVE_INFINITY;

    // ---------------------------------------------------------------- exp, expm1

    private static final double MAGIC = 0x1.8p52;
    private static final long MAGIC_BITS = 0x4338000000000000L;
    private static final double LOG2E = 0x1.71547652b82fep0;
    /** fdlibm's split of ln 2: LN2_HI has 32 bits, so k LN2_HI is exact and x - k LN2_HI too. */
    private static final double LN2_HI = 0x1.62e42feep-1, LN2_LO = 0x1.a39ef35793c76p-33;
    /** (e^r - 1 - r) / r^2 on |r| &lt;= ln2/2: degree 10, error 2.5e-18 (fitted: Lawson iteration, Chebyshev grid). */
    private static final double E0 = 0x1.0p-1, E1 = 0x1.5555555555557p-3, E2 = 0x1.5555555555558p-5,
        E3 = 0x1.11111111100cep-7, E4 = 0x1.6c16c16c151e8p-10, E5 = 0x1.a01a01abef658p-13,
        E6 = 0x1.a01a01ad026b3p-16, E7 = 0x1.71de021a2c39fp-19, E8 = 0x1.27e4ccbb88369p-22,
        E9 = 0x1.af4e1a1980b46p-26, E10 = 0x1.1f8b6b791cad6p-29;
    /** e^x is +inf above 709.79 and rounds to 0 below -745.14: the clamp keeps k in [-1076, 1024]. */
    private static final double EXP_LO = -746.0, EXP_HI = 710.0;
    /** Below this |x|, 2^k is a normal double and one multiply scales (the vector fast path). */
    private static final double EXP_FAST = 708.0;


    private static double pow2(long k) {
        return Double.longBitsToDouble((k + 1023L) << 52);
    }

    /** p(r) ~ (e^r - 1 - r) / r^2. */
    private static double expPoly(double r) {
        double p = Math.fma(r, E10, E9);
        p = Math.fma(p, r, E8);
        p = Math.fma(p, r, E7);
        p = Math.fma(p, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E1);
        return Math.fma(p, r, E0);
    }

    /**
     * e^x for non-NaN x: overflow to +inf, underflow through the subnormals (rounded once) to 0. Where
     * |x| &lt;= 708 the two factors are one exact scaling, so e 2^k1 2^k2 = e 2^k bit for bit.
     */
    static double expCore(double x) {
        double xc = x > EXP_HI ? EXP_HI : x < EXP_LO ? EXP_LO : x;
        double t = Math.fma(xc, LOG2E, MAGIC);
        double kd = t - MAGIC;
        double r = Math.fma(kd, -LN2_HI, xc);
        r = Math.fma(kd, -LN2_LO, r);
        double e = Math.fma(r * r, expPoly(r), r) + 1.0;
        long k = Double.doubleToRawLongBits(t) - MAGIC_BITS;
        long k1 = k >> 1;
        return e * pow2(k1) * pow2(k - k1);
    }

    static double exp(double x) {
        return x != x ? x : expCore(x);
    }

    /** Mirrors {@link #exp(double)}: one scaling where |x| &lt;= 708, else (and for NaN) lane by lane. */
    static int exp(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector vExpFast = DoubleVector.broadcast(S, EXP_FAST);
        DoubleVector vLog2e = DoubleVector.broadcast(S, LOG2E);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vMLn2Hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector vMLn2Lo = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector vE1 = DoubleVector.broadcast(S, E1);
        DoubleVector vE10 = DoubleVector.broadcast(S, E10);
        DoubleVector vE9 = DoubleVector.broadcast(S, E9);
        DoubleVector vE8 = DoubleVector.broadcast(S, E8);
        DoubleVector vE7 = DoubleVector.broadcast(S, E7);
        DoubleVector vE6 = DoubleVector.broadcast(S, E6);
        DoubleVector vE5 = DoubleVector.broadcast(S, E5);
        DoubleVector vE4 = DoubleVector.broadcast(S, E4);
        DoubleVector vE3 = DoubleVector.broadcast(S, E3);
        DoubleVector vE2 = DoubleVector.broadcast(S, E2);
        DoubleVector vE0 = DoubleVector.broadcast(S, E0);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlBiasMMagic = LongVector.broadcast(LS, 1023L - MAGIC_BITS);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            if (!v.abs().compare(LE, vExpFast).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = exp(v.lane(j));
                continue;
            }
            DoubleVector t = v.fma(vLog2e, vMagic);
            DoubleVector kd = t.sub(vMagic);
            DoubleVector r = kd.fma(vMLn2Hi, v);
            r = kd.fma(vMLn2Lo, r);
            DoubleVector p = r.fma(vE10, vE9);
            p = p.fma(r, vE8);
            p = p.fma(r, vE7);
            p = p.fma(r, vE6);
            p = p.fma(r, vE5);
            p = p.fma(r, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            DoubleVector e = r.mul(r).fma(p, r).add(vOne);
            e.mul(t.reinterpretAsLongs().add(vlBiasMMagic).lanewise(LSHL, 52).reinterpretAsDoubles()).intoArray(out, oo + i);
        }
        return i;
    }





    /**
     * Σ exp(x[o+i] - m) over len elements (a multiple of the lane count), the lanes folded in a fixed order.
     * Mirrors {@link #expCore(double)}: one scaling when every lane is &gt;= -708, else the clamp and two factors
     * (the arguments are &lt;= 0, and there is no NaN: a NaN maximum returns before).
     */
    static double expSum(double[] x, int o, int len, double m) {
        DoubleVector vMExpFast = DoubleVector.broadcast(S, -EXP_FAST);
        DoubleVector vLog2e = DoubleVector.broadcast(S, LOG2E);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vMLn2Hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector vMLn2Lo = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector vE1 = DoubleVector.broadcast(S, E1);
        DoubleVector vE10 = DoubleVector.broadcast(S, E10);
        DoubleVector vE9 = DoubleVector.broadcast(S, E9);
        DoubleVector vE8 = DoubleVector.broadcast(S, E8);
        DoubleVector vE7 = DoubleVector.broadcast(S, E7);
        DoubleVector vE6 = DoubleVector.broadcast(S, E6);
        DoubleVector vE5 = DoubleVector.broadcast(S, E5);
        DoubleVector vE4 = DoubleVector.broadcast(S, E4);
        DoubleVector vE3 = DoubleVector.broadcast(S, E3);
        DoubleVector vE2 = DoubleVector.broadcast(S, E2);
        DoubleVector vE0 = DoubleVector.broadcast(S, E0);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlBiasMMagic = LongVector.broadcast(LS, 1023L - MAGIC_BITS);
        DoubleVector vExpHi = DoubleVector.broadcast(S, EXP_HI);
        DoubleVector vExpLo = DoubleVector.broadcast(S, EXP_LO);
        LongVector vlMagicBits = LongVector.broadcast(LS, MAGIC_BITS);
        LongVector vl1023 = LongVector.broadcast(LS, 1023L);
        DoubleVector vm = DoubleVector.broadcast(S, m), s = DoubleVector.zero(S);
        for (int i = 0; i < len; i += L) {
            DoubleVector w = DoubleVector.fromArray(S, x, o + i).sub(vm);
            if (w.compare(GE, vMExpFast).allTrue()) { // one scaling, as in exp(double[]...)
                DoubleVector t = w.fma(vLog2e, vMagic);
                DoubleVector kd = t.sub(vMagic);
                DoubleVector r = kd.fma(vMLn2Hi, w);
                r = kd.fma(vMLn2Lo, r);
                DoubleVector p = r.fma(vE10, vE9);
                p = p.fma(r, vE8);
                p = p.fma(r, vE7);
                p = p.fma(r, vE6);
                p = p.fma(r, vE5);
                p = p.fma(r, vE4);
                p = p.fma(r, vE3);
                p = p.fma(r, vE2);
                p = p.fma(r, vE1);
                p = p.fma(r, vE0);
                DoubleVector e = r.mul(r).fma(p, r).add(vOne);
                s = s.add(e.mul(t.reinterpretAsLongs().add(vlBiasMMagic).lanewise(LSHL, 52).reinterpretAsDoubles()));
                continue;
            }
            DoubleVector xc = w.blend(vExpHi, w.compare(GT, vExpHi)).blend(vExpLo, w.compare(LT, vExpLo));
            DoubleVector t = xc.fma(vLog2e, vMagic);
            DoubleVector kd = t.sub(vMagic);
            DoubleVector r = kd.fma(vMLn2Hi, xc);
            r = kd.fma(vMLn2Lo, r);
            DoubleVector p = r.fma(vE10, vE9);
            p = p.fma(r, vE8);
            p = p.fma(r, vE7);
            p = p.fma(r, vE6);
            p = p.fma(r, vE5);
            p = p.fma(r, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            DoubleVector e = r.mul(r).fma(p, r).add(vOne);
            LongVector k = t.reinterpretAsLongs().sub(vlMagicBits);
            LongVector k1 = k.lanewise(ASHR, 1);
            s = s.add(e.mul(k1.add(vl1023).lanewise(LSHL, 52).reinterpretAsDoubles())
                .mul(k.sub(k1).add(vl1023).lanewise(LSHL, 52).reinterpretAsDoubles()));
        }
        return VecF64.foldSum(s);
    }

    private static final double EXPM1_LO = -40.0, TINY = 0x1p-54;

    /**
     * e^x - 1 for non-NaN x (±0 may come out +0). With h = 2^(k-1): 2 (h q + (h r + (h - 1/2))), q = r^2 p(r) + c
     * and c the rounding error of r (fdlibm's correction): near k = ±1 the inner sum cancels and is exact, so
     * no rounded e^r - 1 is amplified. Below -40 it is -1.
     */
    private static double expm1Core(double x) {
        double xc = x > EXP_HI ? EXP_HI : x < EXPM1_LO ? EXPM1_LO : x;
        double t = Math.fma(xc, LOG2E, MAGIC);
        double kd = t - MAGIC;
        double rh = Math.fma(kd, -LN2_HI, xc);
        double r = Math.fma(kd, -LN2_LO, rh);
        double c = Math.fma(kd, -LN2_LO, rh - r);
        double q = Math.fma(r * r, expPoly(r), c);
        double h = Double.longBitsToDouble((Double.doubleToRawLongBits(t) + (1022L - MAGIC_BITS)) << 52);
        return Math.fma(h, q, Math.fma(h, r, h - 0.5)) * 2.0;
    }

    /** e^x - 1; |x| &lt; 2^-54 (and ±0) and NaN return x. */
    static double expm1(double x) {
        return Math.abs(x) < TINY || x != x ? x : expm1Core(x);
    }

    /** Mirrors {@link #expm1(double)}. */
    static int expm1(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector vExpHi = DoubleVector.broadcast(S, EXP_HI);
        DoubleVector vExpm1Lo = DoubleVector.broadcast(S, EXPM1_LO);
        DoubleVector vLog2e = DoubleVector.broadcast(S, LOG2E);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vMLn2Hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector vMLn2Lo = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector vE1 = DoubleVector.broadcast(S, E1);
        DoubleVector vE10 = DoubleVector.broadcast(S, E10);
        DoubleVector vE9 = DoubleVector.broadcast(S, E9);
        DoubleVector vE8 = DoubleVector.broadcast(S, E8);
        DoubleVector vE7 = DoubleVector.broadcast(S, E7);
        DoubleVector vE6 = DoubleVector.broadcast(S, E6);
        DoubleVector vE5 = DoubleVector.broadcast(S, E5);
        DoubleVector vE4 = DoubleVector.broadcast(S, E4);
        DoubleVector vE3 = DoubleVector.broadcast(S, E3);
        DoubleVector vE2 = DoubleVector.broadcast(S, E2);
        DoubleVector vE0 = DoubleVector.broadcast(S, E0);
        LongVector vl1022MMagic = LongVector.broadcast(LS, 1022L - MAGIC_BITS);
        DoubleVector vHalf = DoubleVector.broadcast(S, 0.5);
        DoubleVector vTwo = DoubleVector.broadcast(S, 2.0);
        DoubleVector vTiny = DoubleVector.broadcast(S, TINY);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector xc = v.blend(vExpHi, v.compare(GT, vExpHi)).blend(vExpm1Lo, v.compare(LT, vExpm1Lo));
            DoubleVector t = xc.fma(vLog2e, vMagic);
            DoubleVector kd = t.sub(vMagic);
            DoubleVector rh = kd.fma(vMLn2Hi, xc);
            DoubleVector r = kd.fma(vMLn2Lo, rh);
            DoubleVector c = kd.fma(vMLn2Lo, rh.sub(r));
            DoubleVector p = r.fma(vE10, vE9);
            p = p.fma(r, vE8);
            p = p.fma(r, vE7);
            p = p.fma(r, vE6);
            p = p.fma(r, vE5);
            p = p.fma(r, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            DoubleVector q = r.mul(r).fma(p, c);
            DoubleVector h = t.reinterpretAsLongs().add(vl1022MMagic).lanewise(LSHL, 52).reinterpretAsDoubles();
            DoubleVector y = h.fma(q, h.fma(r, h.sub(vHalf))).mul(vTwo);
            y.blend(v, v.abs().compare(LT, vTiny).or(v.test(IS_NAN))).intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- log, log1p

    // fdlibm e_log.c: x = 2^k m, m in [sqrt(1/2), sqrt(2)), f = m - 1 exact, s = f / (2 + f),
    // log1p(f) = f - (hfsq - s (hfsq + R)), hfsq = f^2/2, R = Lg1 s^2 + ... + Lg7 s^14.
    private static final long SQRTH_BITS = 0x3fe6a09e667f3bcdL, ONE_BITS = 0x3ff0000000000000L,
        MANT = 0x000fffffffffffffL;
    private static final double LG1 = 0x1.5555555555593p-1, LG2 = 0x1.999999997fa04p-2, LG3 = 0x1.2492494229359p-2,
        LG4 = 0x1.c71c51d8e78afp-3, LG5 = 0x1.7466496cb03dep-3, LG6 = 0x1.39a09d078c69fp-3,
        LG7 = 0x1.2f112df3e5244p-3;

    /** k ln2 + log1p(f) + corr, k given as the double kd. */
    private static double logKernel(double f, double kd, double corr) {
        double s = f / (f + 2.0);
        double z = s * s;
        double w = z * z;
        double t1 = w * Math.fma(w, Math.fma(w, LG6, LG4), LG2);
        double t2 = z * Math.fma(w, Math.fma(w, Math.fma(w, LG7, LG5), LG3), LG1);
        double rr = t2 + t1;
        double hfsq = f * f * 0.5;
        double lo = kd * LN2_LO + corr;
        return kd * LN2_HI - ((hfsq - (s * (hfsq + rr) + lo)) - f);
    }

    /** log(x 2^kadj) for x positive, normal and finite. */
    private static double logNormal(double x, long kadj) {
        long ix = Double.doubleToRawLongBits(x) + (ONE_BITS - SQRTH_BITS);
        double f = Double.longBitsToDouble((ix & MANT) + SQRTH_BITS) - 1.0;
        double kd = Double.longBitsToDouble((ix >> 52) + (MAGIC_BITS - 1023L) + kadj) - MAGIC;
        return logKernel(f, kd, 0.0);
    }

    /** log x: -inf at ±0, NaN below 0, +inf at +inf, NaN for NaN; subnormals are scaled by 2^54 first. */
    static double log(double x) {
        if (x >= Double.MIN_NORMAL && x < INF) return logNormal(x, 0L);
        if (x == INF || x != x) return x;
        if (x == 0.0) return Double.NEGATIVE_INFINITY;
        if (x < 0.0) return Double.NaN;
        return logNormal(x * 0x1p54, -54L);
    }

    /** Mirrors {@link #log(double)}; a vector with a lane not positive, normal and finite goes lane by lane. */
    static int log(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector vMinNormal = DoubleVector.broadcast(S, Double.MIN_NORMAL);
        DoubleVector vInf = DoubleVector.broadcast(S, INF);
        LongVector vlOneMSqrth = LongVector.broadcast(LS, ONE_BITS - SQRTH_BITS);
        LongVector vlMant = LongVector.broadcast(LS, MANT);
        LongVector vlSqrth = LongVector.broadcast(LS, SQRTH_BITS);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlMagicM1023 = LongVector.broadcast(LS, MAGIC_BITS - 1023L);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vTwo = DoubleVector.broadcast(S, 2.0);
        DoubleVector vLg6 = DoubleVector.broadcast(S, LG6);
        DoubleVector vLg4 = DoubleVector.broadcast(S, LG4);
        DoubleVector vLg2 = DoubleVector.broadcast(S, LG2);
        DoubleVector vLg7 = DoubleVector.broadcast(S, LG7);
        DoubleVector vLg5 = DoubleVector.broadcast(S, LG5);
        DoubleVector vLg3 = DoubleVector.broadcast(S, LG3);
        DoubleVector vLg1 = DoubleVector.broadcast(S, LG1);
        DoubleVector vHalf = DoubleVector.broadcast(S, 0.5);
        DoubleVector vLn2Lo = DoubleVector.broadcast(S, LN2_LO);
        DoubleVector vZero = DoubleVector.broadcast(S, 0.0);
        DoubleVector vLn2Hi = DoubleVector.broadcast(S, LN2_HI);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            if (!v.compare(GE, vMinNormal).and(v.compare(LT, vInf)).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = log(v.lane(j));
                continue;
            }
            LongVector ix = v.reinterpretAsLongs().add(vlOneMSqrth);
            DoubleVector f = ix.and(vlMant).add(vlSqrth).reinterpretAsDoubles().sub(vOne);
            DoubleVector kd = ix.lanewise(ASHR, 52).add(vlMagicM1023).reinterpretAsDoubles().sub(vMagic);
            DoubleVector s = f.div(f.add(vTwo));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector t1 = w.mul(w.fma(w.fma(vLg6, vLg4), vLg2));
            DoubleVector t2 = z.mul(w.fma(w.fma(w.fma(vLg7, vLg5), vLg3), vLg1));
            DoubleVector rr = t2.add(t1);
            DoubleVector hfsq = f.mul(f).mul(vHalf);
            DoubleVector lo = kd.mul(vLn2Lo).add(vZero);
            kd.mul(vLn2Hi).sub(hfsq.sub(s.mul(hfsq.add(rr)).add(lo)).sub(f)).intoArray(out, oo + i);
        }
        return i;
    }

    /**
     * log1p x as {@link VecMathF32#log1p(float)}: u = 1 + x, its exact error c (Fast2Sum), the log kernel at
     * f = m - 1 plus c 2^-k (1 - f + f^2) (f = x, no correction, when k = 0). |x| &lt; 2^-54 (and ±0) returns x.
     */
    static double log1p(double x) {
        if (Math.abs(x) < TINY || x == INF || x != x) return x;
        if (x == -1.0) return Double.NEGATIVE_INFINITY;
        if (x < -1.0) return Double.NaN;
        double u = x + 1.0;
        long ix = Double.doubleToRawLongBits(u) + (ONE_BITS - SQRTH_BITS);
        long kb = ix >> 52;
        boolean k0 = kb == 1023L;
        double f = k0 ? x : Double.longBitsToDouble((ix & MANT) + SQRTH_BITS) - 1.0;
        double c = x >= 1.0 ? 1.0 - (u - x) : x - (u - 1.0);
        double scale = Double.longBitsToDouble(Math.max(2046L - kb, 0L) << 52);
        double corr = k0 ? 0.0 : c * scale * Math.fma(f, f, 1.0 - f);
        double kd = Double.longBitsToDouble(kb + (MAGIC_BITS - 1023L)) - MAGIC;
        return logKernel(f, kd, corr);
    }

    /** Mirrors {@link #log1p(double)}; a vector with a lane &lt;= -1, +inf or NaN goes lane by lane. */
    static int log1p(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector vMOne = DoubleVector.broadcast(S, -1.0);
        DoubleVector vInf = DoubleVector.broadcast(S, INF);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlOneMSqrth = LongVector.broadcast(LS, ONE_BITS - SQRTH_BITS);
        LongVector vl1023 = LongVector.broadcast(LS, 1023L);
        LongVector vlMant = LongVector.broadcast(LS, MANT);
        LongVector vlSqrth = LongVector.broadcast(LS, SQRTH_BITS);
        LongVector vl2046 = LongVector.broadcast(LS, 2046L);
        LongVector vlZero = LongVector.broadcast(LS, 0L);
        DoubleVector vZero = DoubleVector.broadcast(S, 0.0);
        LongVector vlMagicM1023 = LongVector.broadcast(LS, MAGIC_BITS - 1023L);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vTwo = DoubleVector.broadcast(S, 2.0);
        DoubleVector vLg6 = DoubleVector.broadcast(S, LG6);
        DoubleVector vLg4 = DoubleVector.broadcast(S, LG4);
        DoubleVector vLg2 = DoubleVector.broadcast(S, LG2);
        DoubleVector vLg7 = DoubleVector.broadcast(S, LG7);
        DoubleVector vLg5 = DoubleVector.broadcast(S, LG5);
        DoubleVector vLg3 = DoubleVector.broadcast(S, LG3);
        DoubleVector vLg1 = DoubleVector.broadcast(S, LG1);
        DoubleVector vHalf = DoubleVector.broadcast(S, 0.5);
        DoubleVector vLn2Lo = DoubleVector.broadcast(S, LN2_LO);
        DoubleVector vLn2Hi = DoubleVector.broadcast(S, LN2_HI);
        DoubleVector vTiny = DoubleVector.broadcast(S, TINY);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            if (!v.compare(GT, vMOne).and(v.compare(LT, vInf)).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = log1p(v.lane(j));
                continue;
            }
            DoubleVector uu = v.add(vOne);
            LongVector ix = uu.reinterpretAsLongs().add(vlOneMSqrth);
            LongVector kb = ix.lanewise(ASHR, 52);
            VectorMask<Double> k0 = kb.compare(EQ, vl1023).cast(S);
            DoubleVector f = ix.and(vlMant).add(vlSqrth).reinterpretAsDoubles().sub(vOne).blend(v, k0);
            DoubleVector c = v.sub(uu.sub(vOne)).blend(vOne.sub(uu.sub(v)), v.compare(GE, vOne));
            DoubleVector scale = vl2046.sub(kb).max(vlZero).lanewise(LSHL, 52).reinterpretAsDoubles();
            DoubleVector corr = c.mul(scale).mul(f.fma(f, vOne.sub(f))).blend(vZero, k0);
            DoubleVector kd = kb.add(vlMagicM1023).reinterpretAsDoubles().sub(vMagic);
            DoubleVector s = f.div(f.add(vTwo));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector t1 = w.mul(w.fma(w.fma(vLg6, vLg4), vLg2));
            DoubleVector t2 = z.mul(w.fma(w.fma(w.fma(vLg7, vLg5), vLg3), vLg1));
            DoubleVector rr = t2.add(t1);
            DoubleVector hfsq = f.mul(f).mul(vHalf);
            DoubleVector lo = kd.mul(vLn2Lo).add(corr);
            DoubleVector y = kd.mul(vLn2Hi).sub(hfsq.sub(s.mul(hfsq.add(rr)).add(lo)).sub(f));
            y.blend(v, v.abs().compare(LT, vTiny)).intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- tanh, sigmoid

    private static final double TANH_CLAMP = 44.0;

    /**
     * tanh |x| = t / (t + 2) below 1 and 1 - 2 / (t + 2) above, t = expm1(2|x|) with 2|x| clamped at 44 (tanh is
     * 1 there). Unlike fdlibm (expm1(-2|x|) below 1) t is positive, so its error is damped by 2 / (t + 2); t + 2
     * is carried with its exact rounding error dlo, and one Newton step corrects the quotient, its 1 / (t + 2)
     * read off the quotient itself ((1 - q) / 2 or q / 2). |x| &lt; 2^-54 (and ±0) and NaN return x.
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a < TINY || x != x) return x;
        boolean small = a < 1.0;
        double t = expm1Core(Math.min(a + a, TANH_CLAMP));
        double d = t + 2.0;
        double dlo = t <= 2.0 ? t - (d - 2.0) : 2.0 - (d - t);
        double num = small ? t : 2.0;
        double q = num / d;
        double res = Math.fma(-q, d, num) - q * dlo;
        double rinv = (small ? 1.0 - q : q) * 0.5;
        q = Math.fma(res, rinv, q);
        double y = small ? q : 1.0 - q;
        return Double.longBitsToDouble(Double.doubleToRawLongBits(y) | (Double.doubleToRawLongBits(x) & 0x8000000000000000L));
    }

    /** Mirrors {@link #tanh(double)} (with {@link #expm1Core(double)} inside). */
    static int tanh(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector vTanhClamp = DoubleVector.broadcast(S, TANH_CLAMP);
        DoubleVector vLog2e = DoubleVector.broadcast(S, LOG2E);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vMLn2Hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector vMLn2Lo = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector vE1 = DoubleVector.broadcast(S, E1);
        DoubleVector vE10 = DoubleVector.broadcast(S, E10);
        DoubleVector vE9 = DoubleVector.broadcast(S, E9);
        DoubleVector vE8 = DoubleVector.broadcast(S, E8);
        DoubleVector vE7 = DoubleVector.broadcast(S, E7);
        DoubleVector vE6 = DoubleVector.broadcast(S, E6);
        DoubleVector vE5 = DoubleVector.broadcast(S, E5);
        DoubleVector vE4 = DoubleVector.broadcast(S, E4);
        DoubleVector vE3 = DoubleVector.broadcast(S, E3);
        DoubleVector vE2 = DoubleVector.broadcast(S, E2);
        DoubleVector vE0 = DoubleVector.broadcast(S, E0);
        LongVector vl1022MMagic = LongVector.broadcast(LS, 1022L - MAGIC_BITS);
        DoubleVector vHalf = DoubleVector.broadcast(S, 0.5);
        DoubleVector vTwo = DoubleVector.broadcast(S, 2.0);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlSign = LongVector.broadcast(LS, 0x8000000000000000L);
        DoubleVector vTiny = DoubleVector.broadcast(S, TINY);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector a = v.abs();
            DoubleVector xc = a.add(a).min(vTanhClamp);
            DoubleVector tt = xc.fma(vLog2e, vMagic);
            DoubleVector kd = tt.sub(vMagic);
            DoubleVector rh = kd.fma(vMLn2Hi, xc);
            DoubleVector r = kd.fma(vMLn2Lo, rh);
            DoubleVector c = kd.fma(vMLn2Lo, rh.sub(r));
            DoubleVector p = r.fma(vE10, vE9);
            p = p.fma(r, vE8);
            p = p.fma(r, vE7);
            p = p.fma(r, vE6);
            p = p.fma(r, vE5);
            p = p.fma(r, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            DoubleVector qq = r.mul(r).fma(p, c);
            DoubleVector h = tt.reinterpretAsLongs().add(vl1022MMagic).lanewise(LSHL, 52).reinterpretAsDoubles();
            DoubleVector t = h.fma(qq, h.fma(r, h.sub(vHalf))).mul(vTwo);
            VectorMask<Double> small = a.compare(LT, vOne);
            DoubleVector d = t.add(vTwo);
            DoubleVector dlo = vTwo.sub(d.sub(t)).blend(t.sub(d.sub(vTwo)), t.compare(LE, vTwo));
            DoubleVector num = vTwo.blend(t, small);
            DoubleVector q = num.div(d);
            DoubleVector res = q.neg().fma(d, num).sub(q.mul(dlo));
            DoubleVector rinv = q.blend(vOne.sub(q), small).mul(vHalf);
            q = res.fma(rinv, q);
            DoubleVector y = vOne.sub(q).blend(q, small);
            y = y.reinterpretAsLongs().or(v.reinterpretAsLongs().and(vlSign)).reinterpretAsDoubles();
            y.blend(v, a.compare(LT, vTiny).or(v.test(IS_NAN))).intoArray(out, oo + i);
        }
        return i;
    }

    /** As {@link VecMathF32#sigmoid(float)}: a compensated quotient over z = e^-|x|. */
    static double sigmoid(double x) {
        if (x != x) return x;
        double z = expCore(-Math.abs(x));
        double d = z + 1.0;
        double dlo = z - (d - 1.0);
        boolean neg = x < 0.0;
        double num = neg ? z : 1.0;
        double q = num / d;
        double res = Math.fma(-q, d, num) - q * dlo;
        double rinv = neg ? 1.0 - q : q;
        return Math.fma(res, rinv, q);
    }

    /** Mirrors {@link #sigmoid(double)}: one scaling where |x| &lt;= 708, else (and for NaN) lane by lane. */
    static int sigmoid(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector vMExpFast = DoubleVector.broadcast(S, -EXP_FAST);
        DoubleVector vLog2e = DoubleVector.broadcast(S, LOG2E);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vMLn2Hi = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector vMLn2Lo = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector vE1 = DoubleVector.broadcast(S, E1);
        DoubleVector vE10 = DoubleVector.broadcast(S, E10);
        DoubleVector vE9 = DoubleVector.broadcast(S, E9);
        DoubleVector vE8 = DoubleVector.broadcast(S, E8);
        DoubleVector vE7 = DoubleVector.broadcast(S, E7);
        DoubleVector vE6 = DoubleVector.broadcast(S, E6);
        DoubleVector vE5 = DoubleVector.broadcast(S, E5);
        DoubleVector vE4 = DoubleVector.broadcast(S, E4);
        DoubleVector vE3 = DoubleVector.broadcast(S, E3);
        DoubleVector vE2 = DoubleVector.broadcast(S, E2);
        DoubleVector vE0 = DoubleVector.broadcast(S, E0);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlBiasMMagic = LongVector.broadcast(LS, 1023L - MAGIC_BITS);
        DoubleVector vZero = DoubleVector.broadcast(S, 0.0);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector w = v.abs().neg();
            if (!w.compare(GE, vMExpFast).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = sigmoid(v.lane(j));
                continue;
            }
            DoubleVector t = w.fma(vLog2e, vMagic);
            DoubleVector kd = t.sub(vMagic);
            DoubleVector r = kd.fma(vMLn2Hi, w);
            r = kd.fma(vMLn2Lo, r);
            DoubleVector p = r.fma(vE10, vE9);
            p = p.fma(r, vE8);
            p = p.fma(r, vE7);
            p = p.fma(r, vE6);
            p = p.fma(r, vE5);
            p = p.fma(r, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            DoubleVector z = r.mul(r).fma(p, r).add(vOne)
                .mul(t.reinterpretAsLongs().add(vlBiasMMagic).lanewise(LSHL, 52).reinterpretAsDoubles());
            DoubleVector d = z.add(vOne);
            DoubleVector dlo = z.sub(d.sub(vOne));
            VectorMask<Double> neg = v.compare(LT, vZero);
            DoubleVector num = vOne.blend(z, neg);
            DoubleVector q = num.div(d);
            DoubleVector res = q.neg().fma(d, num).sub(q.mul(dlo));
            DoubleVector rinv = q.blend(vOne.sub(q), neg);
            res.fma(rinv, q).intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- sin, cos

    /** Bound of the vector reduction (fdlibm's medium case holds to 2^19 pi/2); beyond it StrictMath. */
    static final double TRIG_MAX = 0x1p19;
    private static final double INVPIO2 = 0x1.45f306dc9c883p-1, PIO2_1 = 0x1.921fb544p0, PIO2_2 = 0x1.0b4611a6p-34,
        PIO2_2T = 0x1.3198a2e037073p-69, PIO2_3 = 0x1.3198a2ep-69, PIO2_3T = 0x1.b839a252049c1p-104;
    private static final double S1 = -0x1.5555555555549p-3, S2 = 0x1.111111110f8a6p-7, S3 = -0x1.a01a019c161d5p-13,
        S4 = 0x1.71de357b1fe7dp-19, S5 = -0x1.ae5e68a2b9cebp-26, S6 = 0x1.5d93a5acfd57cp-33;
    private static final double C1 = 0x1.555555555554cp-5, C2 = -0x1.6c16c16c15177p-10, C3 = 0x1.a01a019cb159p-16,
        C4 = -0x1.27e4f809c52adp-22, C5 = 0x1.1ee9ebdb4b1c4p-29, C6 = -0x1.8fae9be8838d4p-37;
    private static final double TRIG_TINY = 0x1p-27;

    /** sin x (shift 0) or cos x = sin(x + pi/2) (shift 1) for |x| &lt;= TRIG_MAX. */
    private static double trig(double x, int shift) {
        double t = Math.fma(x, INVPIO2, MAGIC);
        double fn = t - MAGIC;
        long q = Double.doubleToRawLongBits(t) + shift;
        // e_rem_pio2.c, three rounds: y0 + y1 = x - fn pi/2 to about 2^-151 relative to pi/2
        double r = Math.fma(fn, -PIO2_1, x);
        double w = fn * PIO2_2;
        double r0 = r;
        r = r0 - w;
        w = fn * PIO2_2T - ((r0 - r) - w);
        r0 = r;
        w = fn * PIO2_3;
        r = r0 - w;
        w = fn * PIO2_3T - ((r0 - r) - w);
        double y0 = r - w;
        double y1 = (r - y0) - w;
        double z = y0 * y0;
        double zz = z * z;
        // k_sin.c: x - ((z (y/2 - v r) - y) - v S1), v = z x, r = S2 + z (S3 + z S4) + z w (S5 + z S6)
        double rs = Math.fma(z, Math.fma(z, S4, S3), S2) + z * zz * Math.fma(z, S6, S5);
        double vv = z * y0;
        double s = y0 - (((z * (y1 * 0.5 - vv * rs)) - y1) - vv * S1);
        // k_cos.c: w + (((1 - w) - hz) + (z r - x y)), hz = z/2, w = 1 - hz, r = z (C1 + z (C2 + z C3)) + w^2 (...)
        double rc = z * Math.fma(z, Math.fma(z, C3, C2), C1) + zz * zz * Math.fma(z, Math.fma(z, C6, C5), C4);
        double hz = z * 0.5;
        double wc = 1.0 - hz;
        double c = wc + (((1.0 - wc) - hz) + (z * rc - y0 * y1));
        double y = (q & 1L) != 0 ? c : s;
        return Double.longBitsToDouble(Double.doubleToRawLongBits(y) ^ ((q & 2L) << 62));
    }

    /** sin x; |x| &lt; 2^-27 (and ±0) gives x. */
    static double sin(double x) {
        if (!(Math.abs(x) <= TRIG_MAX)) return StrictMath.sin(x);
        return Math.abs(x) < TRIG_TINY ? x : trig(x, 0);
    }

    static double cos(double x) {
        if (!(Math.abs(x) <= TRIG_MAX)) return StrictMath.cos(x);
        return trig(x, 1);
    }

    /**
     * sin (shift 0) or cos (shift 1), mirroring {@link #sin(double)} and {@link #cos(double)}; a vector with a lane
     * beyond TRIG_MAX (or inf, NaN) goes lane by lane.
     */
    static int trig(double[] x, int xo, double[] out, int oo, int n, int shift) {
        DoubleVector vTrigMax = DoubleVector.broadcast(S, TRIG_MAX);
        DoubleVector vInvpio2 = DoubleVector.broadcast(S, INVPIO2);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vMPio21 = DoubleVector.broadcast(S, -PIO2_1);
        DoubleVector vPio22 = DoubleVector.broadcast(S, PIO2_2);
        DoubleVector vPio22t = DoubleVector.broadcast(S, PIO2_2T);
        DoubleVector vPio23 = DoubleVector.broadcast(S, PIO2_3);
        DoubleVector vPio23t = DoubleVector.broadcast(S, PIO2_3T);
        DoubleVector vS4 = DoubleVector.broadcast(S, S4);
        DoubleVector vS3 = DoubleVector.broadcast(S, S3);
        DoubleVector vS2 = DoubleVector.broadcast(S, S2);
        DoubleVector vS6 = DoubleVector.broadcast(S, S6);
        DoubleVector vS5 = DoubleVector.broadcast(S, S5);
        DoubleVector vHalf = DoubleVector.broadcast(S, 0.5);
        DoubleVector vS1 = DoubleVector.broadcast(S, S1);
        DoubleVector vC3 = DoubleVector.broadcast(S, C3);
        DoubleVector vC2 = DoubleVector.broadcast(S, C2);
        DoubleVector vC1 = DoubleVector.broadcast(S, C1);
        DoubleVector vC6 = DoubleVector.broadcast(S, C6);
        DoubleVector vC5 = DoubleVector.broadcast(S, C5);
        DoubleVector vC4 = DoubleVector.broadcast(S, C4);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlOne = LongVector.broadcast(LS, 1L);
        LongVector vlZero = LongVector.broadcast(LS, 0L);
        LongVector vlTwo = LongVector.broadcast(LS, 2L);
        DoubleVector vTrigTiny = DoubleVector.broadcast(S, TRIG_TINY);
        LongVector vshift = LongVector.broadcast(LS, shift);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            if (!v.abs().compare(LE, vTrigMax).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = shift == 0 ? sin(v.lane(j)) : cos(v.lane(j));
                continue;
            }
            DoubleVector t = v.fma(vInvpio2, vMagic);
            DoubleVector fn = t.sub(vMagic);
            LongVector q = t.reinterpretAsLongs().add(vshift);
            DoubleVector r = fn.fma(vMPio21, v);
            DoubleVector w = fn.mul(vPio22);
            DoubleVector r0 = r;
            r = r0.sub(w);
            w = fn.mul(vPio22t).sub(r0.sub(r).sub(w));
            r0 = r;
            w = fn.mul(vPio23);
            r = r0.sub(w);
            w = fn.mul(vPio23t).sub(r0.sub(r).sub(w));
            DoubleVector y0 = r.sub(w);
            DoubleVector y1 = r.sub(y0).sub(w);
            DoubleVector z = y0.mul(y0);
            DoubleVector zz = z.mul(z);
            DoubleVector rs = z.fma(z.fma(vS4, vS3), vS2).add(z.mul(zz).mul(z.fma(vS6, vS5)));
            DoubleVector vv = z.mul(y0);
            DoubleVector s = y0.sub(z.mul(y1.mul(vHalf).sub(vv.mul(rs))).sub(y1).sub(vv.mul(vS1)));
            DoubleVector rc = z.mul(z.fma(z.fma(vC3, vC2), vC1)).add(zz.mul(zz).mul(z.fma(z.fma(vC6, vC5), vC4)));
            DoubleVector hz = z.mul(vHalf);
            DoubleVector wc = vOne.sub(hz);
            DoubleVector c = wc.add(vOne.sub(wc).sub(hz).add(z.mul(rc).sub(y0.mul(y1))));
            DoubleVector y = s.blend(c, q.and(vlOne).compare(NE, vlZero).cast(S));
            y = y.reinterpretAsLongs().lanewise(XOR, q.and(vlTwo).lanewise(LSHL, 62)).reinterpretAsDoubles();
            if (shift == 0) y = y.blend(v, v.abs().compare(LT, vTrigTiny));
            y.intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- F64 pow

    // a^b = 2^(b log2|a|) with log2|a| in double-double: |a| = 2^k m, s = f / (2 + f) carried as sh + sl,
    // log2 m = s Q(s^2) with Q = q0 + q1 z + z^2 P(z), q0 = 2/ln2 and q1 = 2/(3 ln2) as double-doubles (their
    // terms are formed with exact products, fma), P a degree 7 fit (2^-53); k + log2 m is then good to about
    // 2^-64 relative, so y = b log2|a| (a double-double product) is good to 2^-54 absolute wherever 2^y is a double.
    // 2^y = 2^n 2^r, n = rint(yh), r = (yh - n) + yl, 2^r = e^(r ln2) with exp's polynomial, scaled in two factors.
    private static final double PQ0H = 0x1.71547652b82fep+1, PQ0L = 0x1.777d0ffda0d24p-55,
        PQ1H = 0x1.ec709dc3a03fdp-1, PQ1L = 0x1.d27f05548af0cp-55, LN2 = 0x1.62e42fefa39efp-1;
    private static final double PP0 = 0x1.2776c50ef9bfep-1, PP1 = 0x1.a61762a7adfadp-2, PP2 = 0x1.484b13d79b84fp-2,
        PP3 = 0x1.0c9a84bfeb264p-2, PP4 = 0x1.c68f2e8575df0p-3, PP5 = 0x1.89feec11e6324p-3,
        PP6 = 0x1.59ddeded9fc20p-3, PP7 = 0x1.5a7b392ef52aep-3;
    /** 2^y is +inf above 1024 and 0 below -1075: the clamp keeps n (and its two factors) in range. */
    private static final double POW2_LO = -1080.0, POW2_HI = 1030.0;
    /** Beyond this |b| an integer b's parity is not in the magic sum's last bit: a &lt; 0 goes to StrictMath. */
    private static final double BIG_EXPONENT = 0x1p51;

    /**
     * a^b, as Math.pow: 2^(b log2|a|) as above, negated for a &lt; 0 and b an odd integer, NaN for a &lt; 0 and b
     * not an integer; exactly a for b = 1, a*a for b = 2, and the exact integer when a and b are integers, b &gt;= 0
     * and the result is below 2^51 (Math.pow's promise for exact results). a zero, infinite or NaN, b infinite or
     * NaN, and a &lt; 0 with |b| &gt;= 2^51 are StrictMath.pow's (Math.pow's special cases). Subnormal a is scaled
     * by 2^54 first.
     */
    static double pow(double a, double b) {
        double aa = Math.abs(a);
        if (!(aa > 0 && aa < INF && Math.abs(b) < INF) || (a < 0 && !(Math.abs(b) < BIG_EXPONENT)))
            return StrictMath.pow(a, b);
        long kadj = 0;
        if (aa < Double.MIN_NORMAL) {
            aa *= 0x1p54;
            kadj = -54;
        }
        long ix = Double.doubleToRawLongBits(aa) + (ONE_BITS - SQRTH_BITS);
        double f = Double.longBitsToDouble((ix & MANT) + SQRTH_BITS) - 1.0;
        double kd = Double.longBitsToDouble((ix >> 52) + (MAGIC_BITS - 1023L) + kadj) - MAGIC;
        double d = f + 2.0;
        double dlo = f - (d - 2.0);
        double sh = f / d;
        double sl = (Math.fma(-sh, d, f) - sh * dlo) * ((1.0 - sh) * 0.5); // 1 / (2 + f) = (1 - s) / 2
        double zh = sh * sh;
        double zl = Math.fma(sh, sh, -zh) + 2.0 * sh * sl;
        double t1h = sh * PQ0H;
        double t1l = Math.fma(sh, PQ0H, -t1h) + (sh * PQ0L + sl * PQ0H);
        double wh = sh * zh;
        double wl = Math.fma(sh, zh, -wh) + (sh * zl + sl * zh);
        double t2h = wh * PQ1H;
        double t2l = Math.fma(wh, PQ1H, -t2h) + (wh * PQ1L + wl * PQ1H);
        double p = Math.fma(zh, PP7, PP6);
        p = Math.fma(p, zh, PP5);
        p = Math.fma(p, zh, PP4);
        p = Math.fma(p, zh, PP3);
        p = Math.fma(p, zh, PP2);
        p = Math.fma(p, zh, PP1);
        p = Math.fma(p, zh, PP0);
        double lh = t1h + t2h;
        double ll = (t2h - (lh - t1h)) + (t1l + t2l + wh * zh * p);
        double h = lh + ll; // renormalize: the z^2 term (up to 2^-12 of lh) is in ll
        ll = ll - (h - lh);
        lh = h;
        double kh = kd + lh;
        double kl = (lh - (kh - kd)) + ll;
        double yh = b * kh;
        double yl = Math.fma(b, kh, -yh) + b * kl;
        if (yh > POW2_HI || yh < POW2_LO) {
            yh = yh > POW2_HI ? POW2_HI : POW2_LO;
            yl = 0.0;
        }
        double t = yh + MAGIC;
        double r = (yh - (t - MAGIC)) + yl;
        double x = r * LN2;
        double e = Math.fma(x * x, expPoly(x), x) + 1.0;
        long n = Double.doubleToRawLongBits(t) - MAGIC_BITS;
        long n1 = n >> 1;
        double res = e * pow2(n1) * pow2(n - n1);
        double tb = b + MAGIC, ta = aa + MAGIC;
        boolean bInt = tb - MAGIC == b;
        if (bInt && b >= 0 && ta - MAGIC == aa && res < BIG_EXPONENT) res = (res + MAGIC) - MAGIC;
        if (a < 0 && bInt && (Double.doubleToRawLongBits(tb) & 1L) != 0) res = -res;
        if (a < 0 && !bInt) res = Double.NaN;
        if (b == 1.0) res = a;
        if (b == 2.0) res = a * a;
        return res;
    }

    /**
     * out[oo+i] = pow(a[ao+i*as], b[bo+i*bs]), strides 0 or 1, for the whole vectors; mirrors
     * {@link #pow(double, double)}. A vector with a lane outside its vector domain (a zero, subnormal, infinite
     * or NaN, b infinite or NaN, a &lt; 0 with |b| &gt;= 2^51) goes lane by lane.
     */
    static int pow(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        DoubleVector vZero = DoubleVector.broadcast(S, 0.0), vMinNormal = DoubleVector.broadcast(S, Double.MIN_NORMAL),
            vInf = DoubleVector.broadcast(S, INF), vBig = DoubleVector.broadcast(S, BIG_EXPONENT),
            vOne = DoubleVector.broadcast(S, 1.0), vTwo = DoubleVector.broadcast(S, 2.0), vHalf = DoubleVector.broadcast(S, 0.5),
            vMagic = DoubleVector.broadcast(S, MAGIC), vQ0h = DoubleVector.broadcast(S, PQ0H),
            vQ0l = DoubleVector.broadcast(S, PQ0L), vQ1h = DoubleVector.broadcast(S, PQ1H),
            vQ1l = DoubleVector.broadcast(S, PQ1L), vP0 = DoubleVector.broadcast(S, PP0),
            vP1 = DoubleVector.broadcast(S, PP1), vP2 = DoubleVector.broadcast(S, PP2), vP3 = DoubleVector.broadcast(S, PP3),
            vP4 = DoubleVector.broadcast(S, PP4), vP5 = DoubleVector.broadcast(S, PP5), vP6 = DoubleVector.broadcast(S, PP6),
            vP7 = DoubleVector.broadcast(S, PP7), vHi = DoubleVector.broadcast(S, POW2_HI),
            vLo = DoubleVector.broadcast(S, POW2_LO), vLn2 = DoubleVector.broadcast(S, LN2),
            vE0 = DoubleVector.broadcast(S, E0), vE1 = DoubleVector.broadcast(S, E1), vE2 = DoubleVector.broadcast(S, E2),
            vE3 = DoubleVector.broadcast(S, E3), vE4 = DoubleVector.broadcast(S, E4), vE5 = DoubleVector.broadcast(S, E5),
            vE6 = DoubleVector.broadcast(S, E6), vE7 = DoubleVector.broadcast(S, E7), vE8 = DoubleVector.broadcast(S, E8),
            vE9 = DoubleVector.broadcast(S, E9), vE10 = DoubleVector.broadcast(S, E10), vNan = DoubleVector.broadcast(S, Double.NaN);
        LongVector vlOneMSqrth = LongVector.broadcast(LS, ONE_BITS - SQRTH_BITS), vlMant = LongVector.broadcast(LS, MANT),
            vlSqrth = LongVector.broadcast(LS, SQRTH_BITS), vlMagicM1023 = LongVector.broadcast(LS, MAGIC_BITS - 1023L),
            vlMagicBits = LongVector.broadcast(LS, MAGIC_BITS), vl1023 = LongVector.broadcast(LS, 1023L),
            vlOne = LongVector.broadcast(LS, 1L), vlZero = LongVector.broadcast(LS, 0L);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            DoubleVector aa = va.abs();
            VectorMask<Double> neg = va.compare(LT, vZero);
            if (!aa.compare(GE, vMinNormal).and(aa.compare(LT, vInf)).and(vb.abs().compare(LT, vInf))
                    .andNot(neg.andNot(vb.abs().compare(LT, vBig))).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = pow(va.lane(j), vb.lane(j));
                continue;
            }
            LongVector ix = aa.reinterpretAsLongs().add(vlOneMSqrth);
            DoubleVector f = ix.and(vlMant).add(vlSqrth).reinterpretAsDoubles().sub(vOne);
            DoubleVector kd = ix.lanewise(ASHR, 52).add(vlMagicM1023).reinterpretAsDoubles().sub(vMagic);
            DoubleVector d = f.add(vTwo);
            DoubleVector dlo = f.sub(d.sub(vTwo));
            DoubleVector sh = f.div(d);
            DoubleVector sl = sh.neg().fma(d, f).sub(sh.mul(dlo)).mul(vOne.sub(sh).mul(vHalf));
            DoubleVector zh = sh.mul(sh);
            DoubleVector zl = sh.fma(sh, zh.neg()).add(vTwo.mul(sh).mul(sl));
            DoubleVector t1h = sh.mul(vQ0h);
            DoubleVector t1l = sh.fma(vQ0h, t1h.neg()).add(sh.mul(vQ0l).add(sl.mul(vQ0h)));
            DoubleVector wh = sh.mul(zh);
            DoubleVector wl = sh.fma(zh, wh.neg()).add(sh.mul(zl).add(sl.mul(zh)));
            DoubleVector t2h = wh.mul(vQ1h);
            DoubleVector t2l = wh.fma(vQ1h, t2h.neg()).add(wh.mul(vQ1l).add(wl.mul(vQ1h)));
            DoubleVector p = zh.fma(vP7, vP6);
            p = p.fma(zh, vP5);
            p = p.fma(zh, vP4);
            p = p.fma(zh, vP3);
            p = p.fma(zh, vP2);
            p = p.fma(zh, vP1);
            p = p.fma(zh, vP0);
            DoubleVector lh = t1h.add(t2h);
            DoubleVector ll = t2h.sub(lh.sub(t1h)).add(t1l.add(t2l).add(wh.mul(zh).mul(p)));
            DoubleVector hh = lh.add(ll);
            ll = ll.sub(hh.sub(lh));
            lh = hh;
            DoubleVector kh = kd.add(lh);
            DoubleVector kl = lh.sub(kh.sub(kd)).add(ll);
            DoubleVector yh = vb.mul(kh);
            DoubleVector yl = vb.fma(kh, yh.neg()).add(vb.mul(kl));
            VectorMask<Double> over = yh.compare(GT, vHi), under = yh.compare(LT, vLo);
            yh = yh.blend(vHi, over).blend(vLo, under);
            yl = yl.blend(vZero, over.or(under));
            DoubleVector t = yh.add(vMagic);
            DoubleVector r = yh.sub(t.sub(vMagic)).add(yl);
            DoubleVector x = r.mul(vLn2);
            DoubleVector q = x.fma(vE10, vE9);
            q = q.fma(x, vE8);
            q = q.fma(x, vE7);
            q = q.fma(x, vE6);
            q = q.fma(x, vE5);
            q = q.fma(x, vE4);
            q = q.fma(x, vE3);
            q = q.fma(x, vE2);
            q = q.fma(x, vE1);
            q = q.fma(x, vE0);
            DoubleVector e = x.mul(x).fma(q, x).add(vOne);
            LongVector nn = t.reinterpretAsLongs().sub(vlMagicBits);
            LongVector n1 = nn.lanewise(ASHR, 1);
            DoubleVector res = e.mul(n1.add(vl1023).lanewise(LSHL, 52).reinterpretAsDoubles())
                .mul(nn.sub(n1).add(vl1023).lanewise(LSHL, 52).reinterpretAsDoubles());
            DoubleVector tb = vb.add(vMagic), ta = aa.add(vMagic);
            VectorMask<Double> bInt = tb.sub(vMagic).compare(EQ, vb);
            VectorMask<Double> snap = bInt.and(vb.compare(GE, vZero)).and(ta.sub(vMagic).compare(EQ, aa)).and(res.compare(LT, vBig));
            res = res.blend(res.add(vMagic).sub(vMagic), snap);
            if (neg.anyTrue()) {
                VectorMask<Double> odd = tb.reinterpretAsLongs().and(vlOne).compare(NE, vlZero).cast(S);
                res = res.blend(res.neg(), neg.and(bInt).and(odd));
                res = res.blend(vNan, neg.andNot(bInt));
            }
            res = res.blend(va, vb.compare(EQ, vOne)).blend(va.mul(va), vb.compare(EQ, vTwo));
            res.intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- F32 pow, in double

    // a^b = 2^(b log2|a|), each piece only as accurate as a float result needs: log2|a| = k + s Q(s^2), s = f/(2+f)
    // as in log, Q a degree 5 fit of log2((1+s)/(1-s))/s (relative error 2^-45, so |b log2 a| <= 160 costs at
    // most 2^-37); 2^y = 2^k 2^r with k = rint(y), r = y - k exact in [-1/2, 1/2], 2^r a degree 8 fit (2^-39.7).
    // So the double result is within 2^-36 of a^b before its one rounding to float.
    private static final double Q0 = 0x1.71547652b824fp+1, Q1 = 0x1.ec709dc53fbbfp-1, Q2 = 0x1.2776c28f60b44p-1,
        Q3 = 0x1.a61a31e8105ffp-2, Q4 = 0x1.4794d3a3a4edap-2, Q5 = 0x1.21b859bac506ap-2;
    private static final double P0 = 0x1.000000000007bp+0, P1 = 0x1.62e42fef848e1p-1, P2 = 0x1.ebfbdff8051e4p-3,
        P3 = 0x1.c6b08dd79e722p-5, P4 = 0x1.3b2ab73e7ac60p-7, P5 = 0x1.5d8744e661283p-10, P6 = 0x1.43086f1c56113p-13,
        P7 = 0x1.00dcca6e29386p-16, P8 = 0x1.640ea37ac5f93p-20;
    /** 2^y is beyond the float range outside [-160, 130] (0 or +inf after rounding); the clamp keeps 2^k a normal double. */
    private static final double POW_LO = -160.0, POW_HI = 130.0;

    /**
     * Float a^b through double: 2^(b log2|a|) as above, negated for a &lt; 0 and b an odd integer, NaN for a &lt; 0
     * and b not an integer, exactly a*a for b = 2, rounded once to float. a zero, infinite or NaN, or b infinite
     * or NaN, follow {@link StrictMath#pow} (Math.pow's special cases).
     */
    static float powF32(float a, float b) {
        double da = a, db = b, aa = Math.abs(da);
        if (!(aa > 0 && aa < INF && Math.abs(db) < INF)) return (float) StrictMath.pow(da, db);
        long ix = Double.doubleToRawLongBits(aa) + (ONE_BITS - SQRTH_BITS);
        double f = Double.longBitsToDouble((ix & MANT) + SQRTH_BITS) - 1.0;
        double kd = Double.longBitsToDouble((ix >> 52) + (MAGIC_BITS - 1023L)) - MAGIC;
        double s = f / (f + 2.0);
        double z = s * s;
        double q = Math.fma(z, Q5, Q4);
        q = Math.fma(q, z, Q3);
        q = Math.fma(q, z, Q2);
        q = Math.fma(q, z, Q1);
        q = Math.fma(q, z, Q0);
        double y = db * Math.fma(s, q, kd);
        y = y > POW_HI ? POW_HI : y < POW_LO ? POW_LO : y;
        double t = y + MAGIC;
        double r = y - (t - MAGIC);
        double p = Math.fma(r, P8, P7);
        p = Math.fma(p, r, P6);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P1);
        p = Math.fma(p, r, P0);
        double res = p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) + (1023L - MAGIC_BITS)) << 52);
        double tb = db + MAGIC; // exact for |b| < 2^51, and every float beyond is an even integer
        boolean isInt = tb - MAGIC == db;
        if (da < 0 && isInt && (Double.doubleToRawLongBits(tb) & 1L) != 0) res = -res;
        if (da < 0 && !isInt) res = Double.NaN;
        if (db == 2.0) res = da * da;
        return (float) res;
    }

    /**
     * out[oo+i] = powF32(a[ao+i*as], b[bo+i*bs]), strides 0 or 1, for the whole vectors of L doubles; mirrors
     * {@link #powF32(float, float)}. A vector with a lane outside its vector domain goes lane by lane.
     */
    static int powF32(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
        DoubleVector vZero = DoubleVector.broadcast(S, 0.0);
        DoubleVector vInf = DoubleVector.broadcast(S, INF);
        LongVector vlOneMSqrth = LongVector.broadcast(LS, ONE_BITS - SQRTH_BITS);
        LongVector vlOne = LongVector.broadcast(LS, 1L);
        LongVector vlMant = LongVector.broadcast(LS, MANT);
        LongVector vlSqrth = LongVector.broadcast(LS, SQRTH_BITS);
        DoubleVector vOne = DoubleVector.broadcast(S, 1.0);
        LongVector vlMagicM1023 = LongVector.broadcast(LS, MAGIC_BITS - 1023L);
        DoubleVector vMagic = DoubleVector.broadcast(S, MAGIC);
        DoubleVector vTwo = DoubleVector.broadcast(S, 2.0);
        DoubleVector vQ5 = DoubleVector.broadcast(S, Q5);
        DoubleVector vQ4 = DoubleVector.broadcast(S, Q4);
        DoubleVector vQ3 = DoubleVector.broadcast(S, Q3);
        DoubleVector vQ2 = DoubleVector.broadcast(S, Q2);
        DoubleVector vQ1 = DoubleVector.broadcast(S, Q1);
        DoubleVector vQ0 = DoubleVector.broadcast(S, Q0);
        DoubleVector vPowHi = DoubleVector.broadcast(S, POW_HI);
        DoubleVector vPowLo = DoubleVector.broadcast(S, POW_LO);
        DoubleVector vP8 = DoubleVector.broadcast(S, P8);
        DoubleVector vP7 = DoubleVector.broadcast(S, P7);
        DoubleVector vP6 = DoubleVector.broadcast(S, P6);
        DoubleVector vP5 = DoubleVector.broadcast(S, P5);
        DoubleVector vP4 = DoubleVector.broadcast(S, P4);
        DoubleVector vP3 = DoubleVector.broadcast(S, P3);
        DoubleVector vP2 = DoubleVector.broadcast(S, P2);
        DoubleVector vP1 = DoubleVector.broadcast(S, P1);
        DoubleVector vP0 = DoubleVector.broadcast(S, P0);
        LongVector vlBiasMMagic = LongVector.broadcast(LS, 1023L - MAGIC_BITS);
        LongVector vlZero = LongVector.broadcast(LS, 0L);
        DoubleVector vNan = DoubleVector.broadcast(S, Double.NaN);
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = n & -L; i < u; i += L) {
            DoubleVector va = as == 0 ? ca : (DoubleVector) FloatVector.fromArray(FH, a, ao + i).convertShape(F2D, S, 0);
            DoubleVector vb = bs == 0 ? cb : (DoubleVector) FloatVector.fromArray(FH, b, bo + i).convertShape(F2D, S, 0);
            DoubleVector aa = va.abs();
            if (!aa.compare(GT, vZero).and(aa.compare(LT, vInf)).and(vb.abs().compare(LT, vInf)).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = powF32((float) va.lane(j), (float) vb.lane(j));
                continue;
            }
            LongVector ix = aa.reinterpretAsLongs().add(vlOneMSqrth);
            DoubleVector f = ix.and(vlMant).add(vlSqrth).reinterpretAsDoubles().sub(vOne);
            DoubleVector kd = ix.lanewise(ASHR, 52).add(vlMagicM1023).reinterpretAsDoubles().sub(vMagic);
            DoubleVector s = f.div(f.add(vTwo));
            DoubleVector z = s.mul(s);
            DoubleVector q = z.fma(vQ5, vQ4);
            q = q.fma(z, vQ3);
            q = q.fma(z, vQ2);
            q = q.fma(z, vQ1);
            q = q.fma(z, vQ0);
            DoubleVector y = vb.mul(s.fma(q, kd));
            y = y.blend(vPowHi, y.compare(GT, vPowHi)).blend(vPowLo, y.compare(LT, vPowLo));
            DoubleVector t = y.add(vMagic);
            DoubleVector r = y.sub(t.sub(vMagic));
            DoubleVector p = r.fma(vP8, vP7);
            p = p.fma(r, vP6);
            p = p.fma(r, vP5);
            p = p.fma(r, vP4);
            p = p.fma(r, vP3);
            p = p.fma(r, vP2);
            p = p.fma(r, vP1);
            p = p.fma(r, vP0);
            DoubleVector res = p.mul(t.reinterpretAsLongs().add(vlBiasMMagic).lanewise(LSHL, 52).reinterpretAsDoubles());
            VectorMask<Double> neg = va.compare(LT, vZero);
            if (neg.anyTrue()) {
                DoubleVector tb = vb.add(vMagic);
                VectorMask<Double> isInt = tb.sub(vMagic).compare(EQ, vb);
                VectorMask<Double> odd = tb.reinterpretAsLongs().and(vlOne).compare(NE, vlZero).cast(S);
                res = res.blend(res.neg(), neg.and(isInt).and(odd));
                res = res.blend(vNan, neg.andNot(isInt));
            }
            res = res.blend(va.mul(va), vb.compare(EQ, vTwo));
            ((FloatVector) res.convertShape(D2F, FH, 0)).intoArray(out, oo + i);
        }
        return i;
    }
}
