package dev.deepprob.engine.cpu;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 transcendentals for {@link VecF32}, each written twice: a scalar form (the specification) and a vector
 * loop whose body performs the same IEEE operations in the same order, lane-wise. Only exactly rounded operations
 * are used (add, sub, mul, div, fma, compare and select, integer operations on the representation), so a value
 * gives the same bits in any lane, in the scalar tail, interpreted or compiled: a seed gives the same numbers
 * whatever the JIT has done (DESIGN rule 7). The Vector API's {@code lanewise(EXP)} and kin run a Java fallback
 * until C2 compiles the loop and SVML after, and the two differ in the last bits.
 *
 * <p>Why each vector loop is one method with everything written out: a helper taking and returning vectors is
 * inlined by C2 only while the caller's graph is under NodeCountInliningCutoff and the helper under
 * FreqInlineSize (only the JDK's own code may force inlining); a helper left out of line boxes every vector it
 * touches, 10 to 50 times slower. So the loops below contain only Vector API calls and repeat shared pieces (the
 * exp core appears in exp, sigmoid and the log-sum-exp block); each says which scalar form it mirrors.
 * Constants are broadcast into locals at the top of each loop, not kept in static final vectors: those are read
 * from their payload arrays, which C2 cannot prove untouched by the loop's stores to an array of the same type,
 * so every constant was reloaded in every iteration (exp ran 1.5 times slower). A vector accumulator starts
 * from {@code zero(S)}, not from a static final (that boxed it in every iteration). Lanes outside a vector
 * path's domain (NaN, infinities, zeros, huge arguments) are rare and take the scalar form lane by lane, except
 * where they are common enough to matter (exp below -87: the full vector form).
 *
 * <p>Algorithms (errors measured against {@link Math} rounded to float, see {@code KernelsTest}): exp and expm1 by
 * Cody-Waite reduction x = k ln2 + r, |r| &lt;= ln2/2, a degree 5 fit of (e^r - 1 - r)/r^2 and 2^k from exponent
 * bits, in two factors so that subnormal results are rounded once; log and log1p by exponent extraction to
 * m in [sqrt(1/2), sqrt(2)) and Cephes' logf polynomial (S. L. Moshier, Cephes Math Library 2.2); tanh by the
 * Cephes tanhf odd polynomial below 0.625 and 1 - 2/(e^2|x| + 1) above; sigmoid by e^-|x| and a compensated
 * quotient; sin and cos by Cody-Waite reduction with pi/2 in three floats and Cephes sinf/cosf polynomials, with
 * {@link StrictMath} (in double) beyond |x| = 2^17; pow in double lanes ({@link VecMathF64#powF32}).
 */
final class VecMathF32 {
    private VecMathF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = S.withLanes(int.class);
    private static final int L = S.length();

    private static final float INF = Float.POSITIVE_INFINITY;

    // ---------------------------------------------------------------- exp, expm1

    /** 1.5 * 2^23: fma(x, log2e, MAGIC) rounds x log2e to an integer k, kept in the low mantissa bits. */
    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = 0x4b400000;
    private static final float LOG2E = 0x1.715476p0f;
    /** ln 2 = LN2_HI + LN2_LO to 2^-53; x - k LN2_HI is exact in the fma for the k that occur. */
    private static final float LN2_HI = 0x1.62e43p-1f, LN2_LO = -0x1.05c61p-29f;
    /** (e^r - 1 - r) / r^2 on |r| &lt;= ln2/2: degree 5, error 4e-9 (fitted: Lawson iteration on a Chebyshev grid). */
    private static final float E0 = 0.5f, E1 = 0x1.555556p-3f, E2 = 0x1.5554e8p-5f, E3 = 0x1.1110acp-7f,
        E4 = 0x1.6d4366p-10f, E5 = 0x1.a17e4ep-13f;
    /** e^x is +inf above 88.73 and rounds to 0 below -103.98: the clamp keeps k in [-150, 128]. */
    private static final float EXP_LO = -104f, EXP_HI = 89f;

    /** Below this |x|, 2^k is a normal float and one multiply scales (the vector fast path). */
    private static final float EXP_FAST = 87f;

    private static float pow2(int k) {
        return Float.intBitsToFloat((k + 127) << 23);
    }

    /** e^x for non-NaN x: overflow to +inf, underflow through the subnormals (rounded once) to 0. */
    static float expCore(float x) {
        float xc = x > EXP_HI ? EXP_HI : x < EXP_LO ? EXP_LO : x;
        float t = Math.fma(xc, LOG2E, MAGIC);
        float kf = t - MAGIC;
        float r = Math.fma(kf, -LN2_HI, xc);
        r = Math.fma(kf, -LN2_LO, r);
        float p = Math.fma(r, E5, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E1);
        p = Math.fma(p, r, E0);
        float e = Math.fma(r * r, p, r) + 1f;
        int k = Float.floatToRawIntBits(t) - MAGIC_BITS;
        int k1 = k >> 1;
        return e * pow2(k1) * pow2(k - k1);
    }

    static float exp(float x) {
        return x != x ? x : expCore(x);
    }

    /**
     * out[oo+i] = exp(x[xo+i]) for the whole vectors of n; returns how many were done. Mirrors {@link #exp(float)}:
     * where every lane has |x| &lt;= 87, 2^k is a normal float and one multiply scales (the two factors of the
     * scalar form are then one exact scaling, bit for bit); other vectors take the full form.
     */
    static int exp(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector vExpFast = FloatVector.broadcast(S, EXP_FAST);
        FloatVector vLog2e = FloatVector.broadcast(S, LOG2E);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vMLn2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector vMLn2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector vE5 = FloatVector.broadcast(S, E5);
        FloatVector vE4 = FloatVector.broadcast(S, E4);
        FloatVector vE3 = FloatVector.broadcast(S, E3);
        FloatVector vE2 = FloatVector.broadcast(S, E2);
        FloatVector vE1 = FloatVector.broadcast(S, E1);
        FloatVector vE0 = FloatVector.broadcast(S, E0);
        FloatVector vOne = FloatVector.broadcast(S, 1f);
        IntVector vi127 = IntVector.broadcast(IS, 127);
        IntVector vi127MMagic = IntVector.broadcast(IS, 127 - MAGIC_BITS);
        FloatVector vExpHi = FloatVector.broadcast(S, EXP_HI);
        FloatVector vExpLo = FloatVector.broadcast(S, EXP_LO);
        IntVector viMagicBits = IntVector.broadcast(IS, MAGIC_BITS);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            if (v.abs().compare(LE, vExpFast).allTrue()) {
                FloatVector t = v.fma(vLog2e, vMagic);
                FloatVector kf = t.sub(vMagic);
                FloatVector r = kf.fma(vMLn2Hi, v);
                r = kf.fma(vMLn2Lo, r);
                FloatVector p = r.fma(vE5, vE4);
                p = p.fma(r, vE3);
                p = p.fma(r, vE2);
                p = p.fma(r, vE1);
                p = p.fma(r, vE0);
                FloatVector e = r.mul(r).fma(p, r).add(vOne);
                FloatVector y = e.mul(t.reinterpretAsInts().add(vi127MMagic).lanewise(LSHL, 23).reinterpretAsFloats());
                y.intoArray(out, oo + i);
                continue;
            }
            FloatVector xc = v.blend(vExpHi, v.compare(GT, vExpHi)).blend(vExpLo, v.compare(LT, vExpLo));
            FloatVector t = xc.fma(vLog2e, vMagic);
            FloatVector kf = t.sub(vMagic);
            FloatVector r = kf.fma(vMLn2Hi, xc);
            r = kf.fma(vMLn2Lo, r);
            FloatVector p = r.fma(vE5, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            FloatVector e = r.mul(r).fma(p, r).add(vOne);
            IntVector k = t.reinterpretAsInts().sub(viMagicBits);
            IntVector k1 = k.lanewise(ASHR, 1);
            FloatVector y = e.mul(k1.add(vi127).lanewise(LSHL, 23).reinterpretAsFloats())
                .mul(k.sub(k1).add(vi127).lanewise(LSHL, 23).reinterpretAsFloats());
            y.blend(v, v.test(IS_NAN)).intoArray(out, oo + i);
        }
        return i;
    }

    /**
     * Σ exp(x[o+i] - m) over len elements (len a multiple of the lane count), the lanes summed in float and
     * folded in a fixed order (see {@link VecF32#foldSum}). Mirrors {@link #exp(float)} as the exp loop does.
     */
    static double expSum(float[] x, int o, int len, float m) {
        FloatVector vMExpFast = FloatVector.broadcast(S, -EXP_FAST);
        FloatVector vLog2e = FloatVector.broadcast(S, LOG2E);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vMLn2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector vMLn2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector vE5 = FloatVector.broadcast(S, E5);
        FloatVector vE4 = FloatVector.broadcast(S, E4);
        FloatVector vE3 = FloatVector.broadcast(S, E3);
        FloatVector vE2 = FloatVector.broadcast(S, E2);
        FloatVector vE1 = FloatVector.broadcast(S, E1);
        FloatVector vE0 = FloatVector.broadcast(S, E0);
        FloatVector vOne = FloatVector.broadcast(S, 1f);
        IntVector vi127 = IntVector.broadcast(IS, 127);
        IntVector vi127MMagic = IntVector.broadcast(IS, 127 - MAGIC_BITS);
        FloatVector vExpHi = FloatVector.broadcast(S, EXP_HI);
        FloatVector vExpLo = FloatVector.broadcast(S, EXP_LO);
        IntVector viMagicBits = IntVector.broadcast(IS, MAGIC_BITS);
        FloatVector vm = FloatVector.broadcast(S, m), s = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, o + i).sub(vm);
            if (v.compare(GE, vMExpFast).allTrue()) {
                FloatVector t = v.fma(vLog2e, vMagic);
                FloatVector kf = t.sub(vMagic);
                FloatVector r = kf.fma(vMLn2Hi, v);
                r = kf.fma(vMLn2Lo, r);
                FloatVector p = r.fma(vE5, vE4);
                p = p.fma(r, vE3);
                p = p.fma(r, vE2);
                p = p.fma(r, vE1);
                p = p.fma(r, vE0);
                FloatVector e = r.mul(r).fma(p, r).add(vOne);
                FloatVector y = e.mul(t.reinterpretAsInts().add(vi127MMagic).lanewise(LSHL, 23).reinterpretAsFloats());
                s = s.add(y);
                continue;
            }
            FloatVector xc = v.blend(vExpHi, v.compare(GT, vExpHi)).blend(vExpLo, v.compare(LT, vExpLo));
            FloatVector t = xc.fma(vLog2e, vMagic);
            FloatVector kf = t.sub(vMagic);
            FloatVector r = kf.fma(vMLn2Hi, xc);
            r = kf.fma(vMLn2Lo, r);
            FloatVector p = r.fma(vE5, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            FloatVector e = r.mul(r).fma(p, r).add(vOne);
            IntVector k = t.reinterpretAsInts().sub(viMagicBits);
            IntVector k1 = k.lanewise(ASHR, 1);
            FloatVector y = e.mul(k1.add(vi127).lanewise(LSHL, 23).reinterpretAsFloats())
                .mul(k.sub(k1).add(vi127).lanewise(LSHL, 23).reinterpretAsFloats());
            s = s.add(y.blend(v, v.test(IS_NAN)));
        }
        return VecF32.foldSum(s);
    }

    private static final float EXPM1_LO = -18f, TINY = 0x1p-25f;

    /**
     * e^x - 1 = 2 (h p + (h - 1/2)), h = 2^(k-1), p = e^r - 1 (full relative accuracy near 0), one rounding in
     * the fma. Below -18 it is -1; |x| &lt; 2^-25 (and ±0) returns x.
     */
    static float expm1(float x) {
        if (Math.abs(x) < TINY || x != x) return x;
        float xc = x > EXP_HI ? EXP_HI : x < EXPM1_LO ? EXPM1_LO : x;
        float t = Math.fma(xc, LOG2E, MAGIC);
        float kf = t - MAGIC;
        float r = Math.fma(kf, -LN2_HI, xc);
        r = Math.fma(kf, -LN2_LO, r);
        float p = Math.fma(r, E5, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E1);
        p = Math.fma(p, r, E0);
        p = Math.fma(r * r, p, r);
        float h = Float.intBitsToFloat((Float.floatToRawIntBits(t) - MAGIC_BITS + 126) << 23);
        return Math.fma(h, p, h - 0.5f) * 2f;
    }

    /** Mirrors {@link #expm1(float)}. */
    static int expm1(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector vExpHi = FloatVector.broadcast(S, EXP_HI);
        FloatVector vExpm1Lo = FloatVector.broadcast(S, EXPM1_LO);
        FloatVector vLog2e = FloatVector.broadcast(S, LOG2E);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vMLn2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector vMLn2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector vE5 = FloatVector.broadcast(S, E5);
        FloatVector vE4 = FloatVector.broadcast(S, E4);
        FloatVector vE3 = FloatVector.broadcast(S, E3);
        FloatVector vE2 = FloatVector.broadcast(S, E2);
        FloatVector vE1 = FloatVector.broadcast(S, E1);
        FloatVector vE0 = FloatVector.broadcast(S, E0);
        IntVector viMagicBits = IntVector.broadcast(IS, MAGIC_BITS);
        IntVector vi126 = IntVector.broadcast(IS, 126);
        FloatVector vHalf = FloatVector.broadcast(S, 0.5f);
        FloatVector vTwo = FloatVector.broadcast(S, 2f);
        FloatVector vTiny = FloatVector.broadcast(S, TINY);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector xc = v.blend(vExpHi, v.compare(GT, vExpHi)).blend(vExpm1Lo, v.compare(LT, vExpm1Lo));
            FloatVector t = xc.fma(vLog2e, vMagic);
            FloatVector kf = t.sub(vMagic);
            FloatVector r = kf.fma(vMLn2Hi, xc);
            r = kf.fma(vMLn2Lo, r);
            FloatVector p = r.fma(vE5, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            p = r.mul(r).fma(p, r);
            FloatVector h = t.reinterpretAsInts().sub(viMagicBits).add(vi126).lanewise(LSHL, 23).reinterpretAsFloats();
            FloatVector y = h.fma(p, h.sub(vHalf)).mul(vTwo);
            y.blend(v, v.abs().compare(LT, vTiny).or(v.test(IS_NAN))).intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- log, log1p

    // x = 2^k m, m in [sqrt(1/2), sqrt(2)) read off the bits, f = m - 1 exact; log x = k ln2 + log1p(f) with
    // Cephes logf's polynomial: log1p(f) = f - f^2/2 + f^3 P(f).
    private static final int SQRTH_BITS = 0x3f3504f3, ONE_BITS = 0x3f800000, MANT = 0x007fffff;
    private static final float L0 = 0x1.204376p-4f, L1 = -0x1.d7a370p-4f, L2 = 0x1.de4a34p-4f, L3 = -0x1.fcba9ep-4f,
        L4 = 0x1.23d37ep-3f, L5 = -0x1.555ca0p-3f, L6 = 0x1.999d58p-3f, L7 = -0x1.fffff8p-3f, L8 = 0x1.555554p-2f;
    /** Cephes' split of ln 2: k LN2_C1 is exact (9 bits), LN2_C2 the rest. */
    private static final float LN2_C1 = 0.693359375f, LN2_C2 = -2.12194440e-4f;

    /** k ln2 + log1p(f) + corr, k given as the float kf. */
    private static float logKernel(float f, float kf, float corr) {
        float z = f * f;
        float p = Math.fma(f, L0, L1);
        p = Math.fma(p, f, L2);
        p = Math.fma(p, f, L3);
        p = Math.fma(p, f, L4);
        p = Math.fma(p, f, L5);
        p = Math.fma(p, f, L6);
        p = Math.fma(p, f, L7);
        p = Math.fma(p, f, L8);
        float y = p * f * z;
        y = Math.fma(kf, LN2_C2, y) + corr;
        y = Math.fma(z, -0.5f, y);
        return Math.fma(kf, LN2_C1, f + y);
    }

    /** log(x 2^kadj) for x positive, normal and finite. */
    private static float logNormal(float x, int kadj) {
        int ix = Float.floatToRawIntBits(x) + (ONE_BITS - SQRTH_BITS);
        float f = Float.intBitsToFloat((ix & MANT) + SQRTH_BITS) - 1f;
        float kf = Float.intBitsToFloat((ix >> 23) + (MAGIC_BITS - 127) + kadj) - MAGIC;
        return logKernel(f, kf, 0f);
    }

    /** log x: -inf at ±0, NaN below 0, +inf at +inf, NaN for NaN; subnormals are scaled by 2^23 first. */
    static float log(float x) {
        if (x >= Float.MIN_NORMAL && x < INF) return logNormal(x, 0);
        if (x == INF || x != x) return x;
        if (x == 0f) return Float.NEGATIVE_INFINITY;
        if (x < 0f) return Float.NaN;
        return logNormal(x * 0x1p23f, -23);
    }

    /** Mirrors {@link #log(float)}; a vector with a lane not positive, normal and finite goes lane by lane. */
    static int log(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector vMinNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        FloatVector vInf = FloatVector.broadcast(S, INF);
        IntVector viOneMSqrth = IntVector.broadcast(IS, ONE_BITS - SQRTH_BITS);
        IntVector viMant = IntVector.broadcast(IS, MANT);
        IntVector viSqrth = IntVector.broadcast(IS, SQRTH_BITS);
        FloatVector vOne = FloatVector.broadcast(S, 1f);
        IntVector viMagicM127 = IntVector.broadcast(IS, MAGIC_BITS - 127);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vL0 = FloatVector.broadcast(S, L0);
        FloatVector vL1 = FloatVector.broadcast(S, L1);
        FloatVector vL2 = FloatVector.broadcast(S, L2);
        FloatVector vL3 = FloatVector.broadcast(S, L3);
        FloatVector vL4 = FloatVector.broadcast(S, L4);
        FloatVector vL5 = FloatVector.broadcast(S, L5);
        FloatVector vL6 = FloatVector.broadcast(S, L6);
        FloatVector vL7 = FloatVector.broadcast(S, L7);
        FloatVector vL8 = FloatVector.broadcast(S, L8);
        FloatVector vLn2C2 = FloatVector.broadcast(S, LN2_C2);
        FloatVector vZero = FloatVector.broadcast(S, 0f);
        FloatVector vMHalf = FloatVector.broadcast(S, -0.5f);
        FloatVector vLn2C1 = FloatVector.broadcast(S, LN2_C1);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            if (!v.compare(GE, vMinNormal).and(v.compare(LT, vInf)).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = log(v.lane(j));
                continue;
            }
            IntVector ix = v.reinterpretAsInts().add(viOneMSqrth);
            FloatVector f = ix.and(viMant).add(viSqrth).reinterpretAsFloats().sub(vOne);
            FloatVector kf = ix.lanewise(ASHR, 23).add(viMagicM127).reinterpretAsFloats().sub(vMagic);
            FloatVector z = f.mul(f);
            FloatVector p = f.fma(vL0, vL1);
            p = p.fma(f, vL2);
            p = p.fma(f, vL3);
            p = p.fma(f, vL4);
            p = p.fma(f, vL5);
            p = p.fma(f, vL6);
            p = p.fma(f, vL7);
            p = p.fma(f, vL8);
            FloatVector y = p.mul(f).mul(z);
            y = kf.fma(vLn2C2, y).add(vZero);
            y = z.fma(vMHalf, y);
            kf.fma(vLn2C1, f.add(y)).intoArray(out, oo + i);
        }
        return i;
    }

    /**
     * log1p x: u = 1 + x rounded, c = (1 + x) - u exactly (Fast2Sum), log1p x = k ln2 + log1p(f) + c/u with
     * c/u = c 2^-k / (1 + f) and 1/(1 + f) ~ 1 - f + f^2 (the term is below half an ulp of u, so 5% is plenty).
     * When k = 0, f is x itself and there is no correction. |x| &lt; 2^-25 (and ±0) returns x.
     */
    static float log1p(float x) {
        if (Math.abs(x) < TINY || x == INF || x != x) return x;
        if (x == -1f) return Float.NEGATIVE_INFINITY;
        if (x < -1f) return Float.NaN;
        float u = x + 1f;
        int ix = Float.floatToRawIntBits(u) + (ONE_BITS - SQRTH_BITS);
        int kb = ix >> 23;
        boolean k0 = kb == 127;
        float f = k0 ? x : Float.intBitsToFloat((ix & MANT) + SQRTH_BITS) - 1f;
        float c = x >= 1f ? 1f - (u - x) : x - (u - 1f);
        float scale = Float.intBitsToFloat(Math.max(254 - kb, 0) << 23);
        float corr = k0 ? 0f : c * scale * Math.fma(f, f, 1f - f);
        float kf = Float.intBitsToFloat(kb + (MAGIC_BITS - 127)) - MAGIC;
        return logKernel(f, kf, corr);
    }

    /** Mirrors {@link #log1p(float)}; a vector with a lane &lt;= -1, +inf or NaN goes lane by lane. */
    static int log1p(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector vMOne = FloatVector.broadcast(S, -1f);
        FloatVector vInf = FloatVector.broadcast(S, INF);
        FloatVector vOne = FloatVector.broadcast(S, 1f);
        IntVector viOneMSqrth = IntVector.broadcast(IS, ONE_BITS - SQRTH_BITS);
        IntVector vi127 = IntVector.broadcast(IS, 127);
        IntVector viMant = IntVector.broadcast(IS, MANT);
        IntVector viSqrth = IntVector.broadcast(IS, SQRTH_BITS);
        IntVector vi254 = IntVector.broadcast(IS, 254);
        IntVector viZero = IntVector.broadcast(IS, 0);
        FloatVector vZero = FloatVector.broadcast(S, 0f);
        IntVector viMagicM127 = IntVector.broadcast(IS, MAGIC_BITS - 127);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vL0 = FloatVector.broadcast(S, L0);
        FloatVector vL1 = FloatVector.broadcast(S, L1);
        FloatVector vL2 = FloatVector.broadcast(S, L2);
        FloatVector vL3 = FloatVector.broadcast(S, L3);
        FloatVector vL4 = FloatVector.broadcast(S, L4);
        FloatVector vL5 = FloatVector.broadcast(S, L5);
        FloatVector vL6 = FloatVector.broadcast(S, L6);
        FloatVector vL7 = FloatVector.broadcast(S, L7);
        FloatVector vL8 = FloatVector.broadcast(S, L8);
        FloatVector vLn2C2 = FloatVector.broadcast(S, LN2_C2);
        FloatVector vMHalf = FloatVector.broadcast(S, -0.5f);
        FloatVector vLn2C1 = FloatVector.broadcast(S, LN2_C1);
        FloatVector vTiny = FloatVector.broadcast(S, TINY);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            if (!v.compare(GT, vMOne).and(v.compare(LT, vInf)).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = log1p(v.lane(j));
                continue;
            }
            FloatVector uu = v.add(vOne);
            IntVector ix = uu.reinterpretAsInts().add(viOneMSqrth);
            IntVector kb = ix.lanewise(ASHR, 23);
            VectorMask<Float> k0 = kb.compare(EQ, vi127).cast(S);
            FloatVector f = ix.and(viMant).add(viSqrth).reinterpretAsFloats().sub(vOne).blend(v, k0);
            FloatVector c = v.sub(uu.sub(vOne)).blend(vOne.sub(uu.sub(v)), v.compare(GE, vOne));
            FloatVector scale = vi254.sub(kb).max(viZero).lanewise(LSHL, 23).reinterpretAsFloats();
            FloatVector corr = c.mul(scale).mul(f.fma(f, vOne.sub(f))).blend(vZero, k0);
            FloatVector kf = kb.add(viMagicM127).reinterpretAsFloats().sub(vMagic);
            FloatVector z = f.mul(f);
            FloatVector p = f.fma(vL0, vL1);
            p = p.fma(f, vL2);
            p = p.fma(f, vL3);
            p = p.fma(f, vL4);
            p = p.fma(f, vL5);
            p = p.fma(f, vL6);
            p = p.fma(f, vL7);
            p = p.fma(f, vL8);
            FloatVector y = p.mul(f).mul(z);
            y = kf.fma(vLn2C2, y).add(corr);
            y = z.fma(vMHalf, y);
            y = kf.fma(vLn2C1, f.add(y));
            y.blend(v, v.abs().compare(LT, vTiny)).intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- tanh, sigmoid

    // Cephes tanhf: x + x^3 P(x^2) below 0.625; 1 - 2 / (e^2|x| + 1) above (e^2|x| clamped at e^40, where tanh is 1).
    private static final float T0 = -0x1.75e1d4p-8f, T1 = 0x1.52269cp-6f, T2 = -0x1.b83c5ap-5f, T3 = 0x1.110726p-3f,
        T4 = -0x1.555532p-2f;
    private static final float TANH_SMALL = 0.625f, TANH_CLAMP = 40f;

    /** tanh x, ±0 and NaN returned as they are. */
    static float tanh(float x) {
        if (x == 0f || x != x) return x;
        float a = Math.abs(x);
        if (a < TANH_SMALL) {
            float z = x * x;
            float p = Math.fma(z, T0, T1);
            p = Math.fma(p, z, T2);
            p = Math.fma(p, z, T3);
            p = Math.fma(p, z, T4);
            return Math.fma(x * z, p, x);
        }
        float xc = Math.min(a + a, TANH_CLAMP);
        float t = Math.fma(xc, LOG2E, MAGIC);
        float kf = t - MAGIC;
        float r = Math.fma(kf, -LN2_HI, xc);
        r = Math.fma(kf, -LN2_LO, r);
        float p = Math.fma(r, E5, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E1);
        p = Math.fma(p, r, E0);
        float e = (Math.fma(r * r, p, r) + 1f) * Float.intBitsToFloat((Float.floatToRawIntBits(t) - MAGIC_BITS + 127) << 23);
        float big = 1f - 2f / (e + 1f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(big) | (Float.floatToRawIntBits(x) & 0x80000000));
    }

    /** Mirrors {@link #tanh(float)}: both branches for every lane, the one that applies selected. */
    static int tanh(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector vT0 = FloatVector.broadcast(S, T0);
        FloatVector vT1 = FloatVector.broadcast(S, T1);
        FloatVector vT2 = FloatVector.broadcast(S, T2);
        FloatVector vT3 = FloatVector.broadcast(S, T3);
        FloatVector vT4 = FloatVector.broadcast(S, T4);
        FloatVector vTanhClamp = FloatVector.broadcast(S, TANH_CLAMP);
        FloatVector vLog2e = FloatVector.broadcast(S, LOG2E);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vMLn2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector vMLn2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector vE5 = FloatVector.broadcast(S, E5);
        FloatVector vE4 = FloatVector.broadcast(S, E4);
        FloatVector vE3 = FloatVector.broadcast(S, E3);
        FloatVector vE2 = FloatVector.broadcast(S, E2);
        FloatVector vE1 = FloatVector.broadcast(S, E1);
        FloatVector vE0 = FloatVector.broadcast(S, E0);
        FloatVector vOne = FloatVector.broadcast(S, 1f);
        IntVector viMagicBits = IntVector.broadcast(IS, MAGIC_BITS);
        IntVector vi127 = IntVector.broadcast(IS, 127);
        FloatVector vTwo = FloatVector.broadcast(S, 2f);
        IntVector viSign = IntVector.broadcast(IS, 0x80000000);
        FloatVector vTanhSmall = FloatVector.broadcast(S, TANH_SMALL);
        FloatVector vZero = FloatVector.broadcast(S, 0f);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = v.abs();
            FloatVector z = v.mul(v);
            FloatVector q = z.fma(vT0, vT1);
            q = q.fma(z, vT2);
            q = q.fma(z, vT3);
            q = q.fma(z, vT4);
            FloatVector small = v.mul(z).fma(q, v);
            FloatVector xc = a.add(a).min(vTanhClamp);
            FloatVector t = xc.fma(vLog2e, vMagic);
            FloatVector kf = t.sub(vMagic);
            FloatVector r = kf.fma(vMLn2Hi, xc);
            r = kf.fma(vMLn2Lo, r);
            FloatVector p = r.fma(vE5, vE4);
            p = p.fma(r, vE3);
            p = p.fma(r, vE2);
            p = p.fma(r, vE1);
            p = p.fma(r, vE0);
            FloatVector e = r.mul(r).fma(p, r).add(vOne)
                .mul(t.reinterpretAsInts().sub(viMagicBits).add(vi127).lanewise(LSHL, 23).reinterpretAsFloats());
            FloatVector big = vOne.sub(vTwo.div(e.add(vOne)));
            big = big.reinterpretAsInts().or(v.reinterpretAsInts().and(viSign)).reinterpretAsFloats();
            big.blend(small, a.compare(LT, vTanhSmall)).blend(v, v.compare(EQ, vZero).or(v.test(IS_NAN)))
                .intoArray(out, oo + i);
        }
        return i;
    }

    /**
     * 1 / (1 + e^-x) as q = n / d, n = (x &gt;= 0 ? 1 : z), d = 1 + z, z = e^-|x| in (0, 1]: never NaN, 0 and 1 at
     * the ends. d's rounding error dlo = z - (d - 1) is exact (Fast2Sum), and one Newton step
     * q += (n - q (d + dlo)) / d removes it and the division's, with 1 / d read off q (q itself, or 1 - q).
     */
    static float sigmoid(float x) {
        if (x != x) return x;
        float z = expCore(-Math.abs(x));
        float d = z + 1f;
        float dlo = z - (d - 1f);
        boolean neg = x < 0f;
        float num = neg ? z : 1f;
        float q = num / d;
        float res = Math.fma(-q, d, num) - q * dlo;
        float rinv = neg ? 1f - q : q;
        return Math.fma(res, rinv, q);
    }

    /** Mirrors {@link #sigmoid(float)} (and {@link #expCore(float)} inside it). */
    static int sigmoid(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector vMExpFast = FloatVector.broadcast(S, -EXP_FAST);
        FloatVector vLog2e = FloatVector.broadcast(S, LOG2E);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vMLn2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector vMLn2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector vE5 = FloatVector.broadcast(S, E5);
        FloatVector vE4 = FloatVector.broadcast(S, E4);
        FloatVector vE3 = FloatVector.broadcast(S, E3);
        FloatVector vE2 = FloatVector.broadcast(S, E2);
        FloatVector vE1 = FloatVector.broadcast(S, E1);
        FloatVector vE0 = FloatVector.broadcast(S, E0);
        FloatVector vOne = FloatVector.broadcast(S, 1f);
        IntVector vi127 = IntVector.broadcast(IS, 127);
        IntVector vi127MMagic = IntVector.broadcast(IS, 127 - MAGIC_BITS);
        FloatVector vExpHi = FloatVector.broadcast(S, EXP_HI);
        FloatVector vExpLo = FloatVector.broadcast(S, EXP_LO);
        IntVector viMagicBits = IntVector.broadcast(IS, MAGIC_BITS);
        FloatVector vZero = FloatVector.broadcast(S, 0f);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector w = v.abs().neg();
            FloatVector z;
            if (w.compare(GE, vMExpFast).allTrue()) { // one scaling, as in exp(float[]...); NaN lanes fail the test
                FloatVector t = w.fma(vLog2e, vMagic);
                FloatVector kf = t.sub(vMagic);
                FloatVector r = kf.fma(vMLn2Hi, w);
                r = kf.fma(vMLn2Lo, r);
                FloatVector p = r.fma(vE5, vE4);
                p = p.fma(r, vE3);
                p = p.fma(r, vE2);
                p = p.fma(r, vE1);
                p = p.fma(r, vE0);
                z = r.mul(r).fma(p, r).add(vOne)
                    .mul(t.reinterpretAsInts().add(vi127MMagic).lanewise(LSHL, 23).reinterpretAsFloats());
            } else {
                FloatVector xc = w.blend(vExpHi, w.compare(GT, vExpHi)).blend(vExpLo, w.compare(LT, vExpLo));
                FloatVector t = xc.fma(vLog2e, vMagic);
                FloatVector kf = t.sub(vMagic);
                FloatVector r = kf.fma(vMLn2Hi, xc);
                r = kf.fma(vMLn2Lo, r);
                FloatVector p = r.fma(vE5, vE4);
                p = p.fma(r, vE3);
                p = p.fma(r, vE2);
                p = p.fma(r, vE1);
                p = p.fma(r, vE0);
                FloatVector e = r.mul(r).fma(p, r).add(vOne);
                IntVector k = t.reinterpretAsInts().sub(viMagicBits);
                IntVector k1 = k.lanewise(ASHR, 1);
                z = e.mul(k1.add(vi127).lanewise(LSHL, 23).reinterpretAsFloats())
                    .mul(k.sub(k1).add(vi127).lanewise(LSHL, 23).reinterpretAsFloats());
            }
            FloatVector d = z.add(vOne);
            FloatVector dlo = z.sub(d.sub(vOne));
            VectorMask<Float> neg = v.compare(LT, vZero);
            FloatVector num = vOne.blend(z, neg);
            FloatVector q = num.div(d);
            FloatVector res = q.neg().fma(d, num).sub(q.mul(dlo));
            FloatVector rinv = q.blend(vOne.sub(q), neg);
            res.fma(rinv, q).blend(v, v.test(IS_NAN)).intoArray(out, oo + i);
        }
        return i;
    }

    // ---------------------------------------------------------------- sin, cos

    // x = j pi/2 + r, |r| <= pi/4 (a hair more when j rounds the other way), pi/2 in three floats; with fma the
    // first step x - j PIO2_1 is exact (both are multiples of 2^-24 and the difference is below 1), so r carries
    // about 72 bits of pi/2 until 2^17. Cephes sinf and cosf polynomials; j mod 4 picks and signs them.
    /** Bound of the vector reduction; beyond it (and for inf, NaN) StrictMath in double, rounded to float. */
    static final float TRIG_MAX = 0x1p17f;
    private static final float TWO_OVER_PI = 0x1.45f306p-1f;
    private static final float PIO2_1 = 0x1.921fb6p0f, PIO2_2 = -0x1.777a5cp-25f, PIO2_3 = -0x1.ee59dap-50f;
    private static final float S0 = -0x1.9943f2p-13f, S1 = 0x1.11073cp-7f, S2 = -0x1.555546p-3f;
    private static final float C0 = 0x1.99eb9cp-16f, C1 = -0x1.6c0c34p-10f, C2 = 0x1.55554ap-5f;
    private static final float TRIG_TINY = 0x1p-12f;

    /** sin x (shift 0) or cos x = sin(x + pi/2) (shift 1) for |x| &lt;= TRIG_MAX. */
    private static float trig(float x, int shift) {
        float t = Math.fma(x, TWO_OVER_PI, MAGIC);
        float j = t - MAGIC;
        int q = Float.floatToRawIntBits(t) + shift;
        float r = Math.fma(j, -PIO2_1, x);
        r = Math.fma(j, -PIO2_2, r);
        r = Math.fma(j, -PIO2_3, r);
        float z = r * r;
        float ps = Math.fma(Math.fma(z, S0, S1), z, S2);
        float s = Math.fma(r * z, ps, r);
        float pc = Math.fma(Math.fma(z, C0, C1), z, C2);
        float c = Math.fma(z * z, pc, Math.fma(z, -0.5f, 1f));
        float y = (q & 1) != 0 ? c : s;
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) ^ ((q & 2) << 30));
    }

    /** sin x; |x| &lt; 2^-12 (and ±0) gives x. */
    static float sin(float x) {
        if (!(Math.abs(x) <= TRIG_MAX)) return (float) StrictMath.sin(x);
        return Math.abs(x) < TRIG_TINY ? x : trig(x, 0);
    }

    static float cos(float x) {
        if (!(Math.abs(x) <= TRIG_MAX)) return (float) StrictMath.cos(x);
        return trig(x, 1);
    }

    /**
     * sin (shift 0) or cos (shift 1), mirroring {@link #sin(float)} and {@link #cos(float)}; a vector with a lane
     * beyond TRIG_MAX (or inf, NaN) goes lane by lane.
     */
    static int trig(float[] x, int xo, float[] out, int oo, int n, int shift) {
        FloatVector vTrigMax = FloatVector.broadcast(S, TRIG_MAX);
        FloatVector vTwoOverPi = FloatVector.broadcast(S, TWO_OVER_PI);
        FloatVector vMagic = FloatVector.broadcast(S, MAGIC);
        FloatVector vMPio21 = FloatVector.broadcast(S, -PIO2_1);
        FloatVector vMPio22 = FloatVector.broadcast(S, -PIO2_2);
        FloatVector vMPio23 = FloatVector.broadcast(S, -PIO2_3);
        FloatVector vS0 = FloatVector.broadcast(S, S0);
        FloatVector vS1 = FloatVector.broadcast(S, S1);
        FloatVector vS2 = FloatVector.broadcast(S, S2);
        FloatVector vC0 = FloatVector.broadcast(S, C0);
        FloatVector vC1 = FloatVector.broadcast(S, C1);
        FloatVector vC2 = FloatVector.broadcast(S, C2);
        FloatVector vMHalf = FloatVector.broadcast(S, -0.5f);
        FloatVector vOne = FloatVector.broadcast(S, 1f);
        IntVector viOne = IntVector.broadcast(IS, 1);
        IntVector viZero = IntVector.broadcast(IS, 0);
        IntVector viTwo = IntVector.broadcast(IS, 2);
        FloatVector vTrigTiny = FloatVector.broadcast(S, TRIG_TINY);
        IntVector vshift = IntVector.broadcast(IS, shift);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            if (!v.abs().compare(LE, vTrigMax).allTrue()) {
                for (int j = 0; j < L; j++) out[oo + i + j] = shift == 0 ? sin(v.lane(j)) : cos(v.lane(j));
                continue;
            }
            FloatVector t = v.fma(vTwoOverPi, vMagic);
            FloatVector jf = t.sub(vMagic);
            IntVector q = t.reinterpretAsInts().add(vshift);
            FloatVector r = jf.fma(vMPio21, v);
            r = jf.fma(vMPio22, r);
            r = jf.fma(vMPio23, r);
            FloatVector z = r.mul(r);
            FloatVector ps = z.fma(vS0, vS1).fma(z, vS2);
            FloatVector s = r.mul(z).fma(ps, r);
            FloatVector pc = z.fma(vC0, vC1).fma(z, vC2);
            FloatVector c = z.mul(z).fma(pc, z.fma(vMHalf, vOne));
            FloatVector y = s.blend(c, q.and(viOne).compare(NE, viZero).cast(S));
            y = y.reinterpretAsInts().lanewise(XOR, q.and(viTwo).lanewise(LSHL, 30)).reinterpretAsFloats();
            if (shift == 0) y = y.blend(v, v.abs().compare(LT, vTrigTiny));
            y.intoArray(out, oo + i);
        }
        return i;
    }
}
