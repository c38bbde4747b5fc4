package dev.deepprob.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels ({@link VecF32}, {@link VecF64}) against the scalar reference ({@link RefF32},
 * {@link RefF64}): every op of every kernel, sizes 0..300 (every SIMD tail), random offsets, strides 0, 1 and 3,
 * inputs sprinkled with NaN, ±inf and ±0.
 *
 * <p>Tolerances, |vec - ref| &lt;= abs + rel |ref| + ulps ulp(ref) unless stated: exact (0) for NEG, ABS, SIGN,
 * SQRT, RELU, RECIPROCAL, SQUARE, FLOOR, CEIL, ROUND, TRUNC, the scalar special functions (ATAN, ASIN, ACOS, ERFC and
 * ERFCX among them: the vector kernels call the same scalar forms), ADD..FMOD but POW,
 * comparisons, where, clamp, accumulate, MAX/MIN reductions and arg reductions (IEEE ops give the same bits in a
 * lane as in a scalar). Transcendentals ({@link VecMathF32}, {@link VecMathF64} against Math; the reference
 * rounds Math's double to float for F32): 2 ulps for EXP, EXPM1, LOG, LOG1P, TANH, SIN, COS, POW and F32
 * SIGMOID (measured maxima over millions of points: 1 ulp, except 2 for F32 SIN and COS near 2^17 and F64 EXPM1
 * and TANH); 3 ulps for F64 SIGMOID, whose reference 1/(1 + Math.exp(-x)) is itself up to 2 ulps off (ours:
 * 1.3 ulps from the exact value). The same bounds over wide ranges
 * and edge cases in {@link #transcendentalsWithinTheirUlpBounds}. Reassociated sums (SUM, dot, logSumExp, cumsum):
 * 1e-6 f32 and 1e-14 f64 relative to the sum of magnitudes; PROD: n ulps; axpy (one FMA against
 * multiply-then-add): 2 ulps of |alpha x| + |y|.
 */
class KernelsTest {
    private static final int[] STRIDES = {0, 1, 3};
    private static final double SENTINEL = 12345.5;

    /** Allowed error of a kernel against the reference: abs + rel |ref| + ulps ulp(ref), per dtype. */
    record Tol(double rel32, double abs32, double rel64, double abs64, double ulps32, double ulps64) {
        Tol(double rel32, double abs32, double rel64, double abs64) {
            this(rel32, abs32, rel64, abs64, 0, 0);
        }

        static Tol ulps(double ulps32, double ulps64) {
            return new Tol(0, 0, 0, 0, ulps32, ulps64);
        }

        double rel(boolean f32) { return f32 ? rel32 : rel64; }
        /** abs, plus the ulps of ref. */
        double abs(boolean f32, double ref) { return (f32 ? abs32 : abs64) + (f32 ? ulps32 : ulps64) * ulp(f32, ref); }
    }

    private static final Tol EXACT = new Tol(0, 0, 0, 0);
    private static final Tol TRANSCENDENTAL = Tol.ulps(2, 2);

    /** Every UnaryOp the float kernels implement, with its tolerance; NOT is BOOL only and must throw. */
    private static final Map<UnaryOp, Tol> UNARY = new EnumMap<>(UnaryOp.class);
    private static final Set<UnaryOp> UNARY_UNSUPPORTED = EnumSet.of(UnaryOp.NOT);
    /** Every arithmetic BinaryOp with its tolerance; comparisons go through compare (exact); AND/OR must throw. */
    private static final Map<BinaryOp, Tol> ARITHMETIC = new EnumMap<>(BinaryOp.class);
    private static final Set<BinaryOp> COMPARISONS = EnumSet.of(BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT,
        BinaryOp.LE, BinaryOp.GT, BinaryOp.GE);
    private static final Set<BinaryOp> LOGICAL = EnumSet.of(BinaryOp.AND, BinaryOp.OR);
    /** Every ReduceOp with the tolerance of reduce (accumulate is exact for all of them). */
    private static final Map<ReduceOp, Tol> REDUCE = new EnumMap<>(ReduceOp.class);

    static {
        for (UnaryOp op : List.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.SQRT, UnaryOp.RELU,
                UnaryOp.RECIPROCAL, UnaryOp.SQUARE, UnaryOp.FLOOR, UnaryOp.CEIL, UnaryOp.ROUND, UnaryOp.LGAMMA,
                UnaryOp.DIGAMMA, UnaryOp.TRIGAMMA, UnaryOp.TRUNC, UnaryOp.ATAN, UnaryOp.ASIN, UnaryOp.ACOS, UnaryOp.ERFC,
                UnaryOp.ERFCX)) UNARY.put(op, EXACT);
        for (UnaryOp op : List.of(UnaryOp.EXP, UnaryOp.EXPM1, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.TANH, UnaryOp.SIN,
                UnaryOp.COS)) UNARY.put(op, TRANSCENDENTAL);
        UNARY.put(UnaryOp.SIGMOID, Tol.ulps(2, 3));
        for (BinaryOp op : List.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX,
                BinaryOp.MIN, BinaryOp.ATAN2, BinaryOp.FMOD)) ARITHMETIC.put(op, EXACT);
        ARITHMETIC.put(BinaryOp.POW, TRANSCENDENTAL);
        REDUCE.put(ReduceOp.SUM, new Tol(1e-6, 0, 1e-14, 0)); // relative to Σ|x|
        REDUCE.put(ReduceOp.PROD, new Tol(0x1p-23, 0, 0x1p-52, 0)); // times n, relative to |ref|
        REDUCE.put(ReduceOp.MAX, EXACT);
        REDUCE.put(ReduceOp.MIN, EXACT);
    }

    // ------------------------------------------------------------------ coverage

    @Test
    void everyEnumConstantIsCovered() {
        for (UnaryOp op : UnaryOp.values())
            assertTrue(UNARY.containsKey(op) ^ UNARY_UNSUPPORTED.contains(op), "UnaryOp." + op + " is not covered by KernelsTest");
        for (BinaryOp op : BinaryOp.values()) {
            int n = (ARITHMETIC.containsKey(op) ? 1 : 0) + (COMPARISONS.contains(op) ? 1 : 0) + (LOGICAL.contains(op) ? 1 : 0);
            assertEquals(1, n, "BinaryOp." + op + " is not covered by KernelsTest (exactly once)");
            assertEquals(op.isComparison(), COMPARISONS.contains(op), "BinaryOp." + op + ".isComparison()");
        }
        for (ReduceOp op : ReduceOp.values()) assertTrue(REDUCE.containsKey(op), "ReduceOp." + op + " is not covered by KernelsTest");
    }

    @Test
    void unsupportedOpsThrowAndSayWhy() {
        for (Impl k : ALL) {
            double[] x = {1, 2}, o = new double[2];
            boolean[] m = new boolean[2];
            for (UnaryOp op : UNARY_UNSUPPORTED) {
                var e = assertThrows(IllegalArgumentException.class, () -> k.unary(op, x, 0, 1, o, 0, 2), k + " " + op);
                assertTrue(e.getMessage().contains(op.name()) && e.getMessage().contains("BOOL"), e.getMessage());
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (!ARITHMETIC.containsKey(op)) {
                    var e = assertThrows(IllegalArgumentException.class, () -> k.binary(op, x, 0, 1, x, 0, 1, o, 0, 2), k + " " + op);
                    assertTrue(e.getMessage().startsWith("binary: " + op), e.getMessage());
                }
                if (!COMPARISONS.contains(op)) {
                    var e = assertThrows(IllegalArgumentException.class, () -> k.compare(op, x, 0, 1, x, 0, 1, m, 0, 2), k + " " + op);
                    assertTrue(e.getMessage().startsWith("compare: " + op), e.getMessage());
                }
            }
            var e = assertThrows(IllegalArgumentException.class, () -> k.polygamma(-1, x, 0, 1, o, 0, 2));
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.argReduce(true, x, 0, 1, 0));
            assertTrue(e.getMessage().startsWith("argReduce: empty"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ Vec against Ref, random runs

    /** One random case per kernel and stride pattern; every op, F32 and F64. */
    @Property(tries = 40)
    void vectorKernelsMatchReference(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed) {
        check(n, new Random(seed));
    }

    /** Every size up to 4 vectors of 16 lanes and beyond, so every tail of every unrolled loop runs. */
    @Test
    void everyTailLength() {
        Random r = new Random(7);
        for (int n = 0; n <= 70; n++) check(n, r);
    }

    private static void check(int n, Random r) {
        for (boolean f32 : new boolean[] {true, false}) {
            Impl vec = f32 ? F32_VEC : F64_VEC, ref = f32 ? F32_REF : F64_REF;
            for (int xs : STRIDES) {
                for (UnaryOp op : UNARY.keySet()) checkUnary(vec, ref, op, n, xs, r);
                checkClampAndPolygamma(vec, ref, n, xs, r);
                checkReductions(vec, ref, n, xs, r);
                for (int bs : STRIDES) {
                    for (BinaryOp op : ARITHMETIC.keySet()) checkBinary(vec, ref, op, n, xs, bs, r);
                    for (BinaryOp op : COMPARISONS) checkCompare(vec, ref, op, n, xs, bs, r);
                    for (int cs : STRIDES) checkWhere(vec, ref, n, cs, xs, bs, r);
                }
            }
            checkContiguous(vec, ref, n, r);
        }
    }

    private static void checkUnary(Impl vec, Impl ref, UnaryOp op, int n, int xs, Random r) {
        boolean f32 = vec.f32();
        int xo = r.nextInt(6), oo = r.nextInt(6);
        double[] x = input(r, xo, xs, n, f32, op == UnaryOp.SIGMOID || op == UnaryOp.EXP ? 120 : 30);
        double[] got = output(oo, n, r), want = got.clone();
        vec.unary(op, x, xo, xs, got, oo, n);
        ref.unary(op, x, xo, xs, want, oo, n);
        Tol t = UNARY.get(op);
        String where = vec + " unary " + op + " n=" + n + " xo=" + xo + " xs=" + xs;
        for (int i = 0; i < n; i++)
            assertClose(where + " i=" + i + " x=" + x[xo + i * xs], want[oo + i], got[oo + i], t.rel(f32), t.abs(f32, want[oo + i]));
        assertPadding(where, got, oo, n);
    }

    private static void checkBinary(Impl vec, Impl ref, BinaryOp op, int n, int as, int bs, Random r) {
        boolean f32 = vec.f32();
        int ao = r.nextInt(6), bo = r.nextInt(6), oo = r.nextInt(6);
        double[] a = input(r, ao, as, n, f32, op == BinaryOp.POW ? 4 : 30);
        double[] b = input(r, bo, bs, n, f32, op == BinaryOp.POW ? 4 : 30);
        if (op == BinaryOp.POW) for (int i = 0; i < b.length; i += 3) b[i] = Math.rint(b[i]); // negative bases too
        double[] got = output(oo, n, r), want = got.clone();
        vec.binary(op, a, ao, as, b, bo, bs, got, oo, n);
        ref.binary(op, a, ao, as, b, bo, bs, want, oo, n);
        Tol t = ARITHMETIC.get(op);
        String where = vec + " binary " + op + " n=" + n + " as=" + as + " bs=" + bs;
        for (int i = 0; i < n; i++)
            assertClose(where + " i=" + i + " a=" + a[ao + i * as] + " b=" + b[bo + i * bs], want[oo + i], got[oo + i], t.rel(f32), t.abs(f32, want[oo + i]));
        assertPadding(where, got, oo, n);
    }

    private static void checkCompare(Impl vec, Impl ref, BinaryOp op, int n, int as, int bs, Random r) {
        boolean f32 = vec.f32();
        int ao = r.nextInt(6), bo = r.nextInt(6), oo = r.nextInt(6);
        double[] a = input(r, ao, as, n, f32, 3), b = input(r, bo, bs, n, f32, 3);
        for (int i = 0; i < n; i++) if (r.nextInt(4) == 0) b[bo + i * bs] = a[ao + i * as]; // ties
        boolean[] got = new boolean[oo + n + 3], want = new boolean[oo + n + 3];
        for (int i = 0; i < got.length; i++) got[i] = want[i] = r.nextBoolean();
        boolean[] before = got.clone();
        vec.compare(op, a, ao, as, b, bo, bs, got, oo, n);
        ref.compare(op, a, ao, as, b, bo, bs, want, oo, n);
        String where = vec + " compare " + op + " n=" + n + " as=" + as + " bs=" + bs;
        assertTrue(Arrays.equals(want, got), where);
        for (int i = 0; i < got.length; i++) if (i < oo || i >= oo + n) assertEquals(before[i], got[i], where + " wrote outside");
    }

    private static void checkWhere(Impl vec, Impl ref, int n, int cs, int as, int bs, Random r) {
        boolean f32 = vec.f32();
        int co = r.nextInt(6), ao = r.nextInt(6), bo = r.nextInt(6), oo = r.nextInt(6);
        boolean[] c = new boolean[co + Math.max(0, n - 1) * cs + 1 + r.nextInt(3)];
        for (int i = 0; i < c.length; i++) c[i] = r.nextBoolean();
        double[] a = input(r, ao, as, n, f32, 10), b = input(r, bo, bs, n, f32, 10);
        double[] got = output(oo, n, r), want = got.clone();
        vec.where(c, co, cs, a, ao, as, b, bo, bs, got, oo, n);
        ref.where(c, co, cs, a, ao, as, b, bo, bs, want, oo, n);
        String where = vec + " where n=" + n + " cs=" + cs + " as=" + as + " bs=" + bs;
        for (int i = 0; i < n; i++) assertClose(where + " i=" + i, want[oo + i], got[oo + i], 0, 0);
        assertPadding(where, got, oo, n);
    }

    private static void checkClampAndPolygamma(Impl vec, Impl ref, int n, int xs, Random r) {
        boolean f32 = vec.f32();
        int xo = r.nextInt(6), oo = r.nextInt(6);
        double[] x = input(r, xo, xs, n, f32, 6);
        double lo = round(f32, r.nextGaussian()), hi = round(f32, lo + r.nextDouble() * 3 - 0.5); // lo > hi at times
        double[] got = output(oo, n, r), want = got.clone();
        vec.clamp(x, xo, xs, lo, hi, got, oo, n);
        ref.clamp(x, xo, xs, lo, hi, want, oo, n);
        for (int i = 0; i < n; i++) assertClose(vec + " clamp n=" + n + " xs=" + xs + " i=" + i, want[oo + i], got[oo + i], 0, 0);
        assertPadding(vec + " clamp", got, oo, n);
        for (int order = 0; order <= 3; order++) {
            got = output(oo, n, r);
            want = got.clone();
            vec.polygamma(order, x, xo, xs, got, oo, n);
            ref.polygamma(order, x, xo, xs, want, oo, n);
            for (int i = 0; i < n; i++) {
                String where = vec + " polygamma(" + order + ") n=" + n + " i=" + i;
                assertClose(where, want[oo + i], got[oo + i], 0, 0);
                assertClose(where + " vs Special", round(f32, Special.polygamma(order, x[xo + i * xs])), got[oo + i], 0, 0);
            }
            assertPadding(vec + " polygamma", got, oo, n);
        }
    }

    private static void checkReductions(Impl vec, Impl ref, int n, int xs, Random r) {
        boolean f32 = vec.f32();
        int xo = r.nextInt(6);
        for (ReduceOp op : REDUCE.keySet()) {
            double[] x = input(r, xo, xs, n, f32, 8);
            if (op == ReduceOp.PROD) for (int i = 0; i < x.length; i++) // stay well inside float range
                if (Double.isFinite(x[i])) x[i] = round(f32, Math.copySign(0.5 + r.nextDouble(), x[i]));
            double want = ref.reduce(op, x, xo, xs, n), got = vec.reduce(op, x, xo, xs, n);
            Tol t = REDUCE.get(op);
            String where = vec + " reduce " + op + " n=" + n + " xs=" + xs;
            switch (op) {
                case SUM -> assertClose(where, want, got, 0, t.rel(f32) * absSum(x, xo, xs, n) + ulp(f32, want));
                case PROD -> assertClose(where, want, got, (n + 2) * t.rel(f32), 0);
                case MAX, MIN -> assertClose(where, want, got, 0, 0);
            }
        }
        double[] x = input(r, xo, xs, n, f32, 8);
        if (n > 0) {
            if (r.nextBoolean() && n > 3) x[xo + r.nextInt(n) * xs] = x[xo + r.nextInt(n) * xs]; // ties
            for (boolean max : new boolean[] {true, false})
                assertEquals(ref.argReduce(max, x, xo, xs, n), vec.argReduce(max, x, xo, xs, n), vec + " argReduce max=" + max + " n=" + n + " xs=" + xs);
        }
        double want = ref.logSumExp(x, xo, xs, n), got = vec.logSumExp(x, xo, xs, n);
        double scale = 1 + absMax(x, xo, xs, n);
        assertClose(vec + " logSumExp n=" + n + " xs=" + xs, want, got, 0, (f32 ? 1e-6 : 1e-14) * scale);
        int oo = r.nextInt(6);
        double[] cum = output(oo, n, r), cumRef = cum.clone();
        vec.cumsum(x, xo, xs, cum, oo, n);
        ref.cumsum(x, xo, xs, cumRef, oo, n);
        for (int i = 0; i < n; i++)
            assertClose(vec + " cumsum n=" + n + " xs=" + xs + " i=" + i, cumRef[oo + i], cum[oo + i], 0,
                (f32 ? 1e-6 : 1e-14) * absSum(x, xo, xs, i + 1) + ulp(f32, cumRef[oo + i]));
        assertPadding(vec + " cumsum", cum, oo, n);
    }

    /** Kernels that take contiguous runs only: accumulate, axpy, dot. */
    private static void checkContiguous(Impl vec, Impl ref, int n, Random r) {
        boolean f32 = vec.f32();
        int xo = r.nextInt(6), ao = r.nextInt(6);
        for (ReduceOp op : ReduceOp.values()) {
            double[] x = input(r, xo, 1, n, f32, 4);
            double[] acc = input(r, ao, 1, n, f32, 4), accRef = acc.clone(), before = acc.clone();
            vec.accumulate(op, x, xo, acc, ao, n);
            ref.accumulate(op, x, xo, accRef, ao, n);
            for (int i = 0; i < acc.length; i++) {
                if (i >= ao && i < ao + n) assertClose(vec + " accumulate " + op + " n=" + n + " i=" + i, accRef[i], acc[i], 0, 0);
                else assertEquals(before[i], acc[i], vec + " accumulate wrote outside at " + i);
            }
        }
        double[] x = finite(input(r, xo, 1, n, f32, 4)), y = finite(input(r, ao, 1, n, f32, 4));
        double[] yRef = y.clone(), y0 = y.clone();
        double alpha = round(f32, r.nextGaussian());
        vec.axpy(alpha, x, xo, y, ao, n);
        ref.axpy(alpha, x, xo, yRef, ao, n);
        for (int i = 0; i < n; i++) {
            double scale = Math.abs(alpha * x[xo + i]) + Math.abs(y0[ao + i]);
            assertClose(vec + " axpy n=" + n + " i=" + i, yRef[ao + i], y[ao + i], 0, 2 * ulp(f32, scale));
        }
        double[] p = new double[n];
        for (int i = 0; i < n; i++) p[i] = Math.abs(x[xo + i] * y[ao + i]);
        double want = ref.dot(x, xo, y, ao, n), got = vec.dot(x, xo, y, ao, n);
        assertClose(vec + " dot n=" + n, want, got, 0, (f32 ? 1e-6 : 1e-14) * absSum(p, 0, 1, n) + ulp(f32, want));
    }

    // ------------------------------------------------------------------ special values

    @Test
    void nanAndInfinitiesPropagate() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        for (Impl k : ALL) {
            Map<UnaryOp, double[]> expect = new EnumMap<>(UnaryOp.class); // f(NaN), f(+inf), f(-inf)
            expect.put(UnaryOp.NEG, new double[] {nan, -inf, inf});
            expect.put(UnaryOp.ABS, new double[] {nan, inf, inf});
            expect.put(UnaryOp.SIGN, new double[] {nan, 1, -1});
            expect.put(UnaryOp.EXP, new double[] {nan, inf, 0});
            expect.put(UnaryOp.EXPM1, new double[] {nan, inf, -1});
            expect.put(UnaryOp.LOG, new double[] {nan, inf, nan});
            expect.put(UnaryOp.LOG1P, new double[] {nan, inf, nan});
            expect.put(UnaryOp.SQRT, new double[] {nan, inf, nan});
            expect.put(UnaryOp.SIN, new double[] {nan, nan, nan});
            expect.put(UnaryOp.COS, new double[] {nan, nan, nan});
            expect.put(UnaryOp.TANH, new double[] {nan, 1, -1});
            expect.put(UnaryOp.SIGMOID, new double[] {nan, 1, 0});
            expect.put(UnaryOp.RELU, new double[] {nan, inf, 0});
            expect.put(UnaryOp.LGAMMA, new double[] {nan, inf, inf});
            expect.put(UnaryOp.DIGAMMA, new double[] {nan, inf, nan});
            expect.put(UnaryOp.TRIGAMMA, new double[] {nan, 0, nan});
            expect.put(UnaryOp.RECIPROCAL, new double[] {nan, 0, -0.0});
            expect.put(UnaryOp.SQUARE, new double[] {nan, inf, inf});
            expect.put(UnaryOp.FLOOR, new double[] {nan, inf, -inf});
            expect.put(UnaryOp.CEIL, new double[] {nan, inf, -inf});
            expect.put(UnaryOp.ROUND, new double[] {nan, inf, -inf});
            expect.put(UnaryOp.TRUNC, new double[] {nan, inf, -inf});
            double halfPi = k.f32() ? (float) (Math.PI / 2) : Math.PI / 2;
            expect.put(UnaryOp.ATAN, new double[] {nan, halfPi, -halfPi});
            expect.put(UnaryOp.ASIN, new double[] {nan, nan, nan});
            expect.put(UnaryOp.ACOS, new double[] {nan, nan, nan});
            expect.put(UnaryOp.ERFC, new double[] {nan, 0, 2});
            expect.put(UnaryOp.ERFCX, new double[] {nan, 0, inf});
            assertEquals(UNARY.keySet(), expect.keySet());
            int n = 3 * 37; // vector body and tail both see every special value
            double[] x = new double[n], o = new double[n];
            for (int i = 0; i < n; i++) x[i] = i % 3 == 0 ? nan : i % 3 == 1 ? inf : -inf;
            for (var e : expect.entrySet()) {
                k.unary(e.getKey(), x, 0, 1, o, 0, n);
                for (int i = 0; i < n; i++) assertClose(k + " " + e.getKey() + "(" + x[i] + ")", e.getValue()[i % 3], o[i], 0, 0);
            }
            double[] y = new double[n];
            Arrays.fill(y, 2);
            for (BinaryOp op : ARITHMETIC.keySet()) {
                k.binary(op, x, 0, 1, y, 0, 1, o, 0, n);
                for (int i = 0; i < n; i += 3) assertTrue(Double.isNaN(o[i]), k + " " + op + "(NaN, 2)");
            }
            k.clamp(x, 0, 1, -1, 1, o, 0, n);
            for (int i = 0; i < n; i++) assertClose(k + " clamp", i % 3 == 0 ? nan : i % 3 == 1 ? 1 : -1, o[i], 0, 0);
            boolean[] m = new boolean[n];
            k.compare(BinaryOp.NE, x, 0, 1, x, 0, 1, m, 0, n);
            for (int i = 0; i < n; i++) assertEquals(i % 3 == 0, m[i], k + " NaN != NaN");
            k.compare(BinaryOp.EQ, x, 0, 1, x, 0, 1, m, 0, n);
            for (int i = 0; i < n; i++) assertEquals(i % 3 != 0, m[i], k + " x == x");
        }
    }

    @Test
    void zeroSignAndHalfwayCases() {
        for (Impl k : ALL) {
            double[] x = {0.0, -0.0, 0.5, 1.5, 2.5, -0.5, -2.5, 3.7, -3.7}, o = new double[x.length];
            k.unary(UnaryOp.SIGN, x, 0, 1, o, 0, 2);
            assertEquals(0.0, o[0]);
            assertEquals(-0.0, o[1]);
            k.unary(UnaryOp.ROUND, x, 2, 1, o, 0, 7); // half to even, as torch.round
            assertArrayEquals(new double[] {0, 2, 2, -0.0, -2, 4, -4}, Arrays.copyOf(o, 7), k + " round");
            k.unary(UnaryOp.FLOOR, x, 2, 1, o, 0, 7);
            assertArrayEquals(new double[] {0, 1, 2, -1, -3, 3, -4}, Arrays.copyOf(o, 7), k + " floor");
            k.unary(UnaryOp.CEIL, x, 2, 1, o, 0, 7);
            assertArrayEquals(new double[] {1, 2, 3, -0.0, -2, 4, -3}, Arrays.copyOf(o, 7), k + " ceil");
        }
    }

    @Test
    void sigmoidStaysFiniteForLargeArguments() {
        for (Impl k : ALL) {
            int n = 40;
            double[] x = new double[n], o = new double[n];
            for (int i = 0; i < n; i++) x[i] = i % 2 == 0 ? 100 : -100 * (1 + i);
            k.unary(UnaryOp.SIGMOID, x, 0, 1, o, 0, n);
            for (int i = 0; i < n; i++) {
                assertTrue(o[i] >= 0 && o[i] <= 1, k + " sigmoid(" + x[i] + ") = " + o[i]);
                if (x[i] > 0) assertEquals(1.0, o[i], k + " sigmoid(100)");
                else assertTrue(o[i] < 1e-40, k + " sigmoid(" + x[i] + ") = " + o[i]);
            }
        }
    }

    @Test
    void reductionsOfSpecialValues() {
        double inf = Double.POSITIVE_INFINITY;
        for (Impl k : ALL) {
            double[] empty = new double[3];
            assertEquals(0.0, k.reduce(ReduceOp.SUM, empty, 1, 1, 0));
            assertEquals(1.0, k.reduce(ReduceOp.PROD, empty, 1, 1, 0));
            assertEquals(-inf, k.reduce(ReduceOp.MAX, empty, 1, 1, 0));
            assertEquals(inf, k.reduce(ReduceOp.MIN, empty, 1, 1, 0));
            assertEquals(-inf, k.logSumExp(empty, 1, 1, 0));
            for (int n : new int[] {2, 5, 17, 64, 100, 257}) {
                for (int at : new int[] {0, n / 2, n - 1}) {
                    double[] x = new double[n];
                    for (int i = 0; i < n; i++) x[i] = Math.sin(i);
                    x[at] = Double.NaN;
                    for (ReduceOp op : ReduceOp.values()) assertTrue(Double.isNaN(k.reduce(op, x, 0, 1, n)), k + " " + op + " NaN at " + at + " of " + n);
                    assertTrue(Double.isNaN(k.logSumExp(x, 0, 1, n)), k + " logSumExp NaN");
                    if (at < n - 1) x[n - 1] = Double.NaN;
                    assertEquals(at, k.argReduce(true, x, 0, 1, n), k + " argmax first NaN");
                    assertEquals(at, k.argReduce(false, x, 0, 1, n), k + " argmin first NaN");
                }
                double[] allNegInf = new double[n];
                Arrays.fill(allNegInf, -inf);
                assertEquals(-inf, k.logSumExp(allNegInf, 0, 1, n), k + " logSumExp(-inf...)");
                assertEquals(0, k.argReduce(true, allNegInf, 0, 1, n));
                allNegInf[n / 2] = inf;
                assertEquals(inf, k.logSumExp(allNegInf, 0, 1, n), k + " logSumExp with +inf");
                double[] big = new double[n];
                Arrays.fill(big, 1000);
                double want = 1000 + Math.log(n);
                assertEquals(want, k.logSumExp(big, 0, 1, n), ulp(k.f32(), want), k + " logSumExp(1000 x " + n + ")");
            }
            assertEquals(1000 + Math.log(2), k.logSumExp(new double[] {1000, 1000}, 0, 1, 2), ulp(k.f32(), 1000));
            assertEquals(-inf, k.logSumExp(new double[] {-inf, -inf}, 0, 1, 2));
        }
    }

    @Test
    void argReduceTiesGoToTheFirstIndex() {
        for (Impl k : ALL) {
            assertEquals(1, k.argReduce(true, new double[] {1, 3, 3, 2}, 0, 1, 4));
            assertEquals(0, k.argReduce(false, new double[] {1, 3, 1, 2}, 0, 1, 4));
            assertEquals(0, k.argReduce(true, new double[] {9, -0.0, 0.0, -1}, 1, 1, 3)); // 0 == -0: first one
            for (int n : new int[] {40, 100, 300}) {
                double[] x = new double[n];
                for (int i = 0; i < n; i++) x[i] = (i * 37) % 11;
                int first = -1;
                for (int i = 0; i < n; i++) if (x[i] == 10 && first < 0) first = i;
                assertEquals(first, k.argReduce(true, x, 0, 1, n), k + " argmax n=" + n);
                assertEquals(0, k.argReduce(false, x, 0, 1, n), k + " argmin n=" + n);
                x[n - 5] = 42;
                x[n - 2] = 42;
                assertEquals(n - 5, k.argReduce(true, x, 0, 1, n));
                assertEquals(0, k.argReduce(true, x, 7, 0, n), k + " broadcast run");
            }
        }
    }

    @Test
    void largeSumStaysAccurate() {
        // float32 SUM of 10^6 values: blocks of float lanes summed in double keep it near the double result.
        int n = 1_000_000;
        float[] x = new float[n];
        Random r = new Random(3);
        double exact = 0, abs = 0;
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() + 0.5);
            exact += x[i];
            abs += Math.abs(x[i]);
        }
        assertEquals(exact, VecF32.reduce(ReduceOp.SUM, x, 0, 1, n), 1e-6 * abs);
        float[] c = new float[n];
        VecF32.cumsum(x, 0, 1, c, 0, n);
        assertEquals(exact, c[n - 1], 1e-6 * abs);
    }

    // ------------------------------------------------------------------ accuracy over wide ranges

    /**
     * The transcendental kernels against Math over 20000 random points per range (uniform and log-uniform,
     * overflow and underflow, subnormals, the edges of each reduction), F32 and F64: the largest error in ulps of
     * the reference stays within the bound of {@link #UNARY} (2, or 3 for F64 SIGMOID) and POW's.
     */
    @Test
    void transcendentalsWithinTheirUlpBounds() {
        Random r = new Random(17);
        Map<UnaryOp, double[][]> ranges = new EnumMap<>(UnaryOp.class); // {lo, hi, log-uniform with random sign?}
        ranges.put(UnaryOp.EXP, new double[][] {{-104, 89, 0}, {-1, 1, 0}, {1e-12, 100, 1}, {-750, 710, 0}});
        ranges.put(UnaryOp.EXPM1, new double[][] {{-20, 89, 0}, {1e-30, 2, 1}, {-0.8, 0.8, 0}, {-40, 710, 0}});
        ranges.put(UnaryOp.LOG, new double[][] {{1e-45, 3e38, 1}, {0.5, 2, 0}, {1e-320, 1e308, 1}});
        ranges.put(UnaryOp.LOG1P, new double[][] {{-1, 10, 0}, {1e-30, 0.99, 1}, {1e-3, 3e38, 1}, {-0.5, 1.5, 0}});
        ranges.put(UnaryOp.TANH, new double[][] {{-12, 12, 0}, {1e-30, 30, 1}, {-1.2, 1.2, 0}});
        ranges.put(UnaryOp.SIGMOID, new double[][] {{-100, 100, 0}, {-20, 20, 0}, {1e-30, 700, 1}});
        ranges.put(UnaryOp.SIN, new double[][] {{-10, 10, 0}, {1e-30, 6e5, 1}, {-1.3e5, 1.3e5, 0}});
        ranges.put(UnaryOp.COS, ranges.get(UnaryOp.SIN));
        int m = 20_000;
        for (var e : ranges.entrySet()) {
            UnaryOp op = e.getKey();
            Tol t = UNARY.get(op);
            for (double[] range : e.getValue()) {
                double[] x = new double[m];
                for (int i = 0; i < m; i++) {
                    x[i] = range[2] == 0 ? range[0] + r.nextDouble() * (range[1] - range[0])
                        : Math.exp(Math.log(range[0]) + r.nextDouble() * Math.log(range[1] / range[0])) * (r.nextBoolean() ? 1 : -1);
                    if (op == UnaryOp.LOG) x[i] = Math.abs(x[i]);
                }
                for (boolean f32 : new boolean[] {true, false}) {
                    Impl vec = f32 ? F32_VEC : F64_VEC, ref = f32 ? F32_REF : F64_REF;
                    double[] xi = x.clone();
                    for (int i = 0; i < m; i++) xi[i] = round(f32, xi[i]);
                    double[] got = new double[m], want = new double[m];
                    vec.unary(op, xi, 0, 1, got, 0, m);
                    ref.unary(op, xi, 0, 1, want, 0, m);
                    for (int i = 0; i < m; i++) assertClose(vec + " " + op + " x=" + xi[i], want[i], got[i], 0, t.abs(f32, want[i]));
                }
            }
        }
        for (boolean f32 : new boolean[] {true, false}) {
            Impl vec = f32 ? F32_VEC : F64_VEC, ref = f32 ? F32_REF : F64_REF;
            double[] a = new double[m], b = new double[m];
            for (int i = 0; i < m; i++) {
                a[i] = round(f32, i % 3 == 0 ? (r.nextDouble() - 0.5) * 8 : Math.exp((r.nextDouble() - 0.5) * 60));
                b[i] = round(f32, i % 3 == 0 ? Math.rint((r.nextDouble() - 0.5) * 16) : (r.nextDouble() - 0.5) * 40);
            }
            double[] got = new double[m], want = new double[m];
            vec.binary(BinaryOp.POW, a, 0, 1, b, 0, 1, got, 0, m);
            ref.binary(BinaryOp.POW, a, 0, 1, b, 0, 1, want, 0, m);
            Tol t = ARITHMETIC.get(BinaryOp.POW);
            for (int i = 0; i < m; i++) assertClose(vec + " pow(" + a[i] + ", " + b[i] + ")", want[i], got[i], 0, t.abs(f32, want[i]));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertArrayEquals(double[] want, double[] got, String what) {
        for (int i = 0; i < want.length; i++)
            assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), what + " [" + i + "]: want " + want[i] + ", got " + got[i]);
    }

    /** |got - want| &lt;= abs + rel |want|; NaN only matches NaN, an infinity only itself. */
    private static void assertClose(String what, double want, double got, double rel, double abs) {
        if (Double.isNaN(want) || Double.isNaN(got)) {
            if (Double.isNaN(want) != Double.isNaN(got)) fail(what + ": want " + want + ", got " + got);
            return;
        }
        if (Double.isInfinite(want) || Double.isInfinite(got)) {
            if (want != got) fail(what + ": want " + want + ", got " + got);
            return;
        }
        double err = Math.abs(got - want);
        if (err > abs + rel * Math.abs(want)) fail(what + ": want " + want + ", got " + got + " (error " + err + ")");
    }

    private static void assertPadding(String what, double[] out, int oo, int n) {
        for (int i = 0; i < out.length; i++)
            if (i < oo || i >= oo + n) assertEquals(SENTINEL, out[i], what + ": wrote outside the run at " + i);
    }

    /** A strided run of n values at xo (plus padding), rounded to float for F32; about 3% NaN, ±inf or ±0. */
    private static double[] input(Random r, int xo, int xs, int n, boolean f32, double scale) {
        double[] x = new double[xo + Math.max(0, n - 1) * xs + 1 + r.nextInt(4)];
        for (int i = 0; i < x.length; i++) {
            int kind = r.nextInt(100);
            double v = switch (kind) {
                case 0 -> Double.NaN;
                case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                case 2 -> r.nextBoolean() ? 0.0 : -0.0;
                case 3, 4, 5 -> (r.nextDouble() - 0.5) * 1e-3;
                case 6, 7 -> Math.rint((r.nextDouble() - 0.5) * 8) + (r.nextBoolean() ? 0.5 : 0); // halfway cases
                default -> (r.nextDouble() * 2 - 1) * scale;
            };
            x[i] = round(f32, v);
        }
        return x;
    }

    private static double[] finite(double[] x) {
        for (int i = 0; i < x.length; i++) if (!Double.isFinite(x[i])) x[i] = 0.25;
        return x;
    }

    private static double[] output(int oo, int n, Random r) {
        double[] o = new double[oo + n + r.nextInt(4)];
        Arrays.fill(o, SENTINEL);
        return o;
    }

    private static double round(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    private static double ulp(boolean f32, double v) {
        return f32 ? Math.ulp((float) v) : Math.ulp(v);
    }

    private static double absSum(double[] x, int xo, int xs, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) if (Double.isFinite(x[xo + i * xs])) s += Math.abs(x[xo + i * xs]);
        return s;
    }

    private static double absMax(double[] x, int xo, int xs, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) if (Double.isFinite(x[xo + i * xs])) m = Math.max(m, Math.abs(x[xo + i * xs]));
        return m;
    }

    // ------------------------------------------------------------------ the four implementations behind double[]

    /** One dtype's kernels behind double[] arrays, so one test body checks F32 and F64 alike. */
    interface Impl {
        boolean f32();
        void unary(UnaryOp op, double[] x, int xo, int xs, double[] out, int oo, int n);
        void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n);
        void compare(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, boolean[] out, int oo, int n);
        void where(boolean[] c, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n);
        void clamp(double[] x, int xo, int xs, double lo, double hi, double[] out, int oo, int n);
        void polygamma(int order, double[] x, int xo, int xs, double[] out, int oo, int n);
        double reduce(ReduceOp op, double[] x, int xo, int xs, int n);
        void accumulate(ReduceOp op, double[] x, int xo, double[] acc, int ao, int n);
        int argReduce(boolean max, double[] x, int xo, int xs, int n);
        double logSumExp(double[] x, int xo, int xs, int n);
        void cumsum(double[] x, int xo, int xs, double[] out, int oo, int n);
        void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n);
        double dot(double[] x, int xo, double[] y, int yo, int n);
    }

    private static final Impl F32_VEC = new F32(true), F32_REF = new F32(false);
    private static final Impl F64_VEC = new F64(true), F64_REF = new F64(false);
    private static final List<Impl> ALL = List.of(F32_VEC, F32_REF, F64_VEC, F64_REF);

    private record F32(boolean vec) implements Impl {
        static float[] f(double[] x) {
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) y[i] = (float) x[i];
            return y;
        }

        static void back(float[] y, double[] x) {
            for (int i = 0; i < x.length; i++) x[i] = y[i];
        }

        @Override public boolean f32() { return true; }
        @Override public String toString() { return vec ? "VecF32" : "RefF32"; }

        @Override public void unary(UnaryOp op, double[] x, int xo, int xs, double[] out, int oo, int n) {
            float[] o = f(out);
            if (vec) VecF32.unary(op, f(x), xo, xs, o, oo, n); else RefF32.unary(op, f(x), xo, xs, o, oo, n);
            back(o, out);
        }

        @Override public void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
            float[] o = f(out);
            if (vec) VecF32.binary(op, f(a), ao, as, f(b), bo, bs, o, oo, n); else RefF32.binary(op, f(a), ao, as, f(b), bo, bs, o, oo, n);
            back(o, out);
        }

        @Override public void compare(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, boolean[] out, int oo, int n) {
            if (vec) VecF32.compare(op, f(a), ao, as, f(b), bo, bs, out, oo, n); else RefF32.compare(op, f(a), ao, as, f(b), bo, bs, out, oo, n);
        }

        @Override public void where(boolean[] c, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
            float[] o = f(out);
            if (vec) VecF32.where(c, co, cs, f(a), ao, as, f(b), bo, bs, o, oo, n); else RefF32.where(c, co, cs, f(a), ao, as, f(b), bo, bs, o, oo, n);
            back(o, out);
        }

        @Override public void clamp(double[] x, int xo, int xs, double lo, double hi, double[] out, int oo, int n) {
            float[] o = f(out);
            if (vec) VecF32.clamp(f(x), xo, xs, (float) lo, (float) hi, o, oo, n); else RefF32.clamp(f(x), xo, xs, (float) lo, (float) hi, o, oo, n);
            back(o, out);
        }

        @Override public void polygamma(int order, double[] x, int xo, int xs, double[] out, int oo, int n) {
            float[] o = f(out);
            if (vec) VecF32.polygamma(order, f(x), xo, xs, o, oo, n); else RefF32.polygamma(order, f(x), xo, xs, o, oo, n);
            back(o, out);
        }

        @Override public double reduce(ReduceOp op, double[] x, int xo, int xs, int n) {
            return vec ? VecF32.reduce(op, f(x), xo, xs, n) : RefF32.reduce(op, f(x), xo, xs, n);
        }

        @Override public void accumulate(ReduceOp op, double[] x, int xo, double[] acc, int ao, int n) {
            float[] a = f(acc);
            if (vec) VecF32.accumulate(op, f(x), xo, a, ao, n); else RefF32.accumulate(op, f(x), xo, a, ao, n);
            back(a, acc);
        }

        @Override public int argReduce(boolean max, double[] x, int xo, int xs, int n) {
            return vec ? VecF32.argReduce(max, f(x), xo, xs, n) : RefF32.argReduce(max, f(x), xo, xs, n);
        }

        @Override public double logSumExp(double[] x, int xo, int xs, int n) {
            return vec ? VecF32.logSumExp(f(x), xo, xs, n) : RefF32.logSumExp(f(x), xo, xs, n);
        }

        @Override public void cumsum(double[] x, int xo, int xs, double[] out, int oo, int n) {
            float[] o = f(out);
            if (vec) VecF32.cumsum(f(x), xo, xs, o, oo, n); else RefF32.cumsum(f(x), xo, xs, o, oo, n);
            back(o, out);
        }

        @Override public void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
            float[] o = f(y);
            if (vec) VecF32.axpy((float) alpha, f(x), xo, o, yo, n); else RefF32.axpy((float) alpha, f(x), xo, o, yo, n);
            back(o, y);
        }

        @Override public double dot(double[] x, int xo, double[] y, int yo, int n) {
            return vec ? VecF32.dot(f(x), xo, f(y), yo, n) : RefF32.dot(f(x), xo, f(y), yo, n);
        }
    }

    private record F64(boolean vec) implements Impl {
        @Override public boolean f32() { return false; }
        @Override public String toString() { return vec ? "VecF64" : "RefF64"; }

        @Override public void unary(UnaryOp op, double[] x, int xo, int xs, double[] out, int oo, int n) {
            if (vec) VecF64.unary(op, x, xo, xs, out, oo, n); else RefF64.unary(op, x, xo, xs, out, oo, n);
        }

        @Override public void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
            if (vec) VecF64.binary(op, a, ao, as, b, bo, bs, out, oo, n); else RefF64.binary(op, a, ao, as, b, bo, bs, out, oo, n);
        }

        @Override public void compare(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, boolean[] out, int oo, int n) {
            if (vec) VecF64.compare(op, a, ao, as, b, bo, bs, out, oo, n); else RefF64.compare(op, a, ao, as, b, bo, bs, out, oo, n);
        }

        @Override public void where(boolean[] c, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
            if (vec) VecF64.where(c, co, cs, a, ao, as, b, bo, bs, out, oo, n); else RefF64.where(c, co, cs, a, ao, as, b, bo, bs, out, oo, n);
        }

        @Override public void clamp(double[] x, int xo, int xs, double lo, double hi, double[] out, int oo, int n) {
            if (vec) VecF64.clamp(x, xo, xs, lo, hi, out, oo, n); else RefF64.clamp(x, xo, xs, lo, hi, out, oo, n);
        }

        @Override public void polygamma(int order, double[] x, int xo, int xs, double[] out, int oo, int n) {
            if (vec) VecF64.polygamma(order, x, xo, xs, out, oo, n); else RefF64.polygamma(order, x, xo, xs, out, oo, n);
        }

        @Override public double reduce(ReduceOp op, double[] x, int xo, int xs, int n) {
            return vec ? VecF64.reduce(op, x, xo, xs, n) : RefF64.reduce(op, x, xo, xs, n);
        }

        @Override public void accumulate(ReduceOp op, double[] x, int xo, double[] acc, int ao, int n) {
            if (vec) VecF64.accumulate(op, x, xo, acc, ao, n); else RefF64.accumulate(op, x, xo, acc, ao, n);
        }

        @Override public int argReduce(boolean max, double[] x, int xo, int xs, int n) {
            return vec ? VecF64.argReduce(max, x, xo, xs, n) : RefF64.argReduce(max, x, xo, xs, n);
        }

        @Override public double logSumExp(double[] x, int xo, int xs, int n) {
            return vec ? VecF64.logSumExp(x, xo, xs, n) : RefF64.logSumExp(x, xo, xs, n);
        }

        @Override public void cumsum(double[] x, int xo, int xs, double[] out, int oo, int n) {
            if (vec) VecF64.cumsum(x, xo, xs, out, oo, n); else RefF64.cumsum(x, xo, xs, out, oo, n);
        }

        @Override public void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
            if (vec) VecF64.axpy(alpha, x, xo, y, yo, n); else RefF64.axpy(alpha, x, xo, y, yo, n);
        }

        @Override public double dot(double[] x, int xo, double[] y, int yo, int n) {
            return vec ? VecF64.dot(x, xo, y, yo, n) : RefF64.dot(x, xo, y, yo, n);
        }
    }
}
