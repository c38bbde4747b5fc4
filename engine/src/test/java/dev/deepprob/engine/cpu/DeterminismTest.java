package dev.deepprob.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * DESIGN rule 7 for the CPU kernels: a value gives the same bits whatever the JIT has done. The bug this guards
 * against: the Vector API's {@code lanewise(EXP)} (and LOG, TANH, ...) runs a Java fallback until C2 compiles
 * the loop and SVML after, and {@code reduceLanes(ADD)} adds in a different order in the two, so the same seed
 * gave different numbers depending on JIT timing.
 *
 * <p>Three checks, each robust to this JVM having compiled the kernels already (other test classes run first):
 * <ol>
 *   <li>the same computations in a child JVM run with {@code -Xint} (the interpreter: every Vector API call is
 *       its Java fallback, never an intrinsic) against this JVM after a warm-up that gets the kernels compiled by
 *       C2 (a digest of every result, bit for bit);</li>
 *   <li>this JVM before and after the warm-up (cold only if this class runs first);</li>
 *   <li>every element of every vector kernel against the scalar form of the same algorithm applied to that value
 *       alone, over values in every range and edge case, at offsets that put it in the vector body or the tail,
 *       through the contiguous, strided and broadcast paths; and every reduction against a scalar emulation of
 *       its fixed lane order.</li>
 * </ol>
 * Bits are compared with {@link Float#floatToIntBits} and {@link Double#doubleToLongBits}, which make all NaNs one.
 */
class DeterminismTest {
    private static final List<UnaryOp> UNARY = List.of(UnaryOp.EXP, UnaryOp.EXPM1, UnaryOp.LOG, UnaryOp.LOG1P,
        UnaryOp.SIN, UnaryOp.COS, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SQRT, UnaryOp.RECIPROCAL, UnaryOp.NEG);
    private static final int LF = FloatVector.SPECIES_PREFERRED.length(), LD = DoubleVector.SPECIES_PREFERRED.length();

    /** Computed when the class loads: before the warm-up below, interpreted if nothing has run the kernels yet. */
    private static final Map<String, String> FIRST = Probe.compute();

    // ------------------------------------------------------------------ 1 and 2: interpreter, cold, warm

    @Test
    void interpretedColdAndCompiledGiveTheSameBits() throws Exception {
        warmUp();
        Map<String, String> warm = Probe.compute();
        assertSame("before and after the warm-up (C2)", FIRST, warm);
        assertSame("-Xint child JVM (Vector API fallbacks) and this JVM after the warm-up (C2)", childInterpreted(), warm);
    }

    /** Calls every kernel on small arrays until C2 has compiled it: 20000 calls is well past the C2 thresholds. */
    private static void warmUp() {
        Random r = new Random(11);
        float[] x = Probe.values32(r, 3 * LF + 5), o = new float[x.length], y = Probe.values32(r, x.length);
        double[] xd = Probe.values64(r, 3 * LD + 5), od = new double[xd.length], yd = Probe.values64(r, xd.length);
        float[] pos = Probe.positive(x); // finite: a NaN or infinite maximum returns before the exponentials
        double[] posd = Probe.positive(xd);
        float sink = 0;
        double sinkd = 0;
        int nl = 3 * LD + 2;                               // wide enough for the vector path of the linear-algebra dot products
        double[] spd = new double[nl * nl], chol = new double[nl * nl], rhs = new double[nl];
        int[] piv = new int[nl];
        for (int i = 0; i < nl; i++) spd[i * nl + i] = nl;
        for (int i = 0; i < nl * nl; i++) spd[i] += 1e-3 * xd[i % xd.length] * xd[(i / nl * nl + i % nl + i / nl) % xd.length];
        for (int i = 0; i < nl; i++) for (int j = 0; j < i; j++) spd[i * nl + j] = spd[j * nl + i];   // symmetric
        for (int it = 0; it < 20_000; it++) {
            if (it % 4 == 0) {
                LinalgKernels.cholesky(spd, 0, nl, chol, 0);
                double[] lu = spd.clone();
                LinalgKernels.luFactor(lu, 0, nl, piv, 0);
                LinalgKernels.luSolve(lu, 0, nl, piv, 0, rhs, 0, 1);
                sinkd += chol[nl * nl - 1] + rhs[0];
            }
            for (UnaryOp op : UNARY) {
                VecF32.unary(op, x, 0, 1, o, 0, x.length);
                VecF64.unary(op, xd, 0, 1, od, 0, xd.length);
            }
            VecF32.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, o, 0, x.length);
            VecF32.binary(BinaryOp.POW, y, 0, 1, x, 0, 0, o, 0, x.length);
            VecF64.binary(BinaryOp.POW, xd, 0, 1, yd, 0, 1, od, 0, xd.length);
            VecF64.binary(BinaryOp.POW, posd, 0, 1, yd, 0, 0, od, 0, xd.length);
            for (ReduceOp op : ReduceOp.values()) {
                sink += VecF32.reduce(op, x, 0, 1, x.length);
                sinkd += VecF64.reduce(op, xd, 0, 1, xd.length);
            }
            sink += VecF32.logSumExp(pos, 0, 1, pos.length) + VecF32.dot(x, 0, y, 0, x.length);
            sinkd += VecF64.logSumExp(posd, 0, 1, posd.length) + VecF64.dot(xd, 0, yd, 0, xd.length);
            VecF32.cumsum(x, 0, 1, o, 0, x.length);
            VecF64.cumsum(xd, 0, 1, od, 0, xd.length);
        }
        assertTrue(sink == sink || sink != sink); // keep the results alive
        assertTrue(sinkd == sinkd || sinkd != sinkd);
    }

    /** Runs {@link Probe} in a fresh JVM with -Xint and reads its digest. */
    private static Map<String, String> childInterpreted() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        // the child must use this JVM's vector width (e.g. the 256-bit path tested with -XX:UseAVX=2 on an AVX-512 machine)
        int bytes = FloatVector.SPECIES_PREFERRED.vectorByteSize();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xint", "-XX:MaxVectorSize=" + bytes, "--add-modules", "jdk.incubator.vector",
            "-cp", System.getProperty("java.class.path"), Probe.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Map<String, String> out = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                int sp = line.indexOf(' ');
                if (line.startsWith("@") && sp > 0) out.put(line.substring(1, sp), line.substring(sp + 1));
                else other.add(line);
            }
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the -Xint child JVM did not finish");
        assertEquals(0, p.exitValue(), "the -Xint child JVM failed:\n" + String.join("\n", other));
        return out;
    }

    private static void assertSame(String what, Map<String, String> want, Map<String, String> got) {
        assertEquals(want.keySet(), got.keySet(), what + ": different computations");
        List<String> diff = new ArrayList<>();
        for (var e : want.entrySet()) if (!e.getValue().equals(got.get(e.getKey()))) diff.add(e.getKey());
        if (!diff.isEmpty()) fail(what + ": different bits for " + diff);
    }

    /**
     * A fixed set of kernel calls on seeded inputs (every unary op, POW, the reductions, dot, log-sum-exp,
     * cumsum; lengths with tails; contiguous, strided and broadcast), each result written as hex bits. Its main
     * prints them for the parent JVM.
     */
    static final class Probe {
        public static void main(String[] args) {
            for (var e : compute().entrySet()) System.out.println("@" + e.getKey() + " " + e.getValue());
        }

        static Map<String, String> compute() {
            Map<String, String> m = new LinkedHashMap<>();
            Random r = new Random(2024);
            for (int n : new int[] {1, LF - 1, 4 * LF + 3, 300}) {
                float[] x = values32(r, 3 * n + 2), y = values32(r, 3 * n + 2);
                double[] xd = values64(r, 3 * n + 2), yd = values64(r, 3 * n + 2);
                for (int xs : new int[] {1, 3, 0}) {
                    for (UnaryOp op : UNARY) {
                        float[] o = new float[n];
                        double[] od = new double[n];
                        VecF32.unary(op, x, 1, xs, o, 0, n);
                        VecF64.unary(op, xd, 1, xs, od, 0, n);
                        m.put(op + "/f32/n" + n + "/s" + xs, hex(o));
                        m.put(op + "/f64/n" + n + "/s" + xs, hex(od));
                    }
                    for (int bs : new int[] {1, 0}) {
                        if ((xs | bs) == 0) continue;
                        float[] o = new float[n];
                        double[] od = new double[n];
                        VecF32.binary(BinaryOp.POW, x, 1, xs, y, 2, bs, o, 0, n);
                        VecF64.binary(BinaryOp.POW, xd, 1, xs, yd, 2, bs, od, 0, n);
                        m.put("POW/f32/n" + n + "/s" + xs + bs, hex(o));
                        m.put("POW/f64/n" + n + "/s" + xs + bs, hex(od));
                    }
                    if (xs == 0) continue;
                    for (ReduceOp op : ReduceOp.values()) {
                        m.put(op + "/f32/n" + n + "/s" + xs, hex(new float[] {VecF32.reduce(op, x, 1, xs, n)}));
                        m.put(op + "/f64/n" + n + "/s" + xs, hex(new double[] {VecF64.reduce(op, xd, 1, xs, n)}));
                    }
                    float[] pos = positive(x);
                    double[] posd = positive(xd);
                    m.put("LSE/f32/n" + n + "/s" + xs, hex(new float[] {VecF32.logSumExp(pos, 1, xs, n), VecF32.logSumExp(x, 1, xs, n)}));
                    m.put("LSE/f64/n" + n + "/s" + xs, hex(new double[] {VecF64.logSumExp(posd, 1, xs, n), VecF64.logSumExp(xd, 1, xs, n)}));
                    float[] c = new float[n];
                    double[] cd = new double[n];
                    VecF32.cumsum(pos, 1, xs, c, 0, n);
                    VecF64.cumsum(posd, 1, xs, cd, 0, n);
                    m.put("CUMSUM/f32/n" + n + "/s" + xs, hex(c));
                    m.put("CUMSUM/f64/n" + n + "/s" + xs, hex(cd));
                }
                // linear algebra: Cholesky (its inner dot products), an LU solve and a blocked GEMM update of an SPD matrix A Aᵀ + n I
                double[] spd = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double acc = i == j ? n : 0;
                        for (int k = 0; k < n; k++) acc += xd[(i * n + k) % xd.length] * xd[(j * n + k) % xd.length] * 1e-3;
                        spd[i * n + j] = acc;
                    }
                }
                double[] chol = new double[n * n];
                LinalgKernels.cholesky(spd, 0, n, chol, 0);
                m.put("CHOLESKY/f64/n" + n, hex(chol));
                double[] lu = spd.clone(), rhs = java.util.Arrays.copyOf(yd, n);
                int[] piv = new int[n];
                LinalgKernels.luFactor(lu, 0, n, piv, 0);
                LinalgKernels.luSolve(lu, 0, n, piv, 0, rhs, 0, 1);
                m.put("LUSOLVE/f64/n" + n, hex(rhs));
                m.put("DOT/f32/n" + n, hex(new float[] {VecF32.dot(x, 1, y, 2, n)}));
                m.put("DOT/f64/n" + n, hex(new double[] {VecF64.dot(xd, 1, yd, 2, n)}));
            }
            return m;
        }

        /** Mostly moderate values of both signs, with every kind of edge case mixed in. */
        static float[] values32(Random r, int n) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) value(r, true);
            return x;
        }

        static double[] values64(Random r, int n) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = value(r, false);
            return x;
        }

        static double value(Random r, boolean f32) {
            return switch (r.nextInt(40)) {
                case 0 -> Double.NaN;
                case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                case 2 -> r.nextBoolean() ? 0.0 : -0.0;
                case 3 -> (r.nextBoolean() ? 1 : -1) * (f32 ? Float.MIN_VALUE * (1 + r.nextInt(1000)) : Double.MIN_VALUE * (1 + r.nextInt(1000)));
                case 4 -> (r.nextBoolean() ? 1 : -1) * Math.exp((r.nextDouble() - 0.5) * (f32 ? 170 : 1400)); // any magnitude
                case 5 -> (r.nextDouble() - 0.5) * (f32 ? 220 : 1500); // exp's overflow and underflow
                case 6 -> (r.nextDouble() - 0.5) * 4e5; // sin and cos beyond the vector range
                case 7 -> -1 + (r.nextDouble() - 0.5) * 1e-6; // log1p near -1
                case 8 -> Math.rint((r.nextDouble() - 0.5) * 10); // integer exponents
                default -> (r.nextDouble() - 0.5) * 12;
            };
        }

        static float[] positive(float[] x) {
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) y[i] = Float.isFinite(x[i]) ? Math.abs(x[i]) % 50 : 1f;
            return y;
        }

        static double[] positive(double[] x) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = Double.isFinite(x[i]) ? Math.abs(x[i]) % 700 : 1.0;
            return y;
        }

        static String hex(float[] v) {
            StringBuilder sb = new StringBuilder();
            for (float f : v) sb.append(Integer.toHexString(Float.floatToIntBits(f))).append(',');
            return sb.toString();
        }

        static String hex(double[] v) {
            StringBuilder sb = new StringBuilder();
            for (double d : v) sb.append(Long.toHexString(Double.doubleToLongBits(d))).append(',');
            return sb.toString();
        }
    }

    // ------------------------------------------------------------------ 3: vector lanes against the scalar form

    /**
     * Every element of every transcendental kernel equals the scalar form of its algorithm applied to that value
     * alone ({@link VecF32#apply(UnaryOp, float)}), whether it sat in the vector body or the tail (offsets 0..L
     * move each value through every lane and into the tail), and whatever the path: contiguous, strided, broadcast,
     * or a run of one.
     */
    @Test
    void everyElementEqualsItsScalarForm() {
        Random r = new Random(5);
        int n = 40 * LF + LF - 1;
        float[] x = Probe.values32(r, n + LF + 1);
        double[] xd = Probe.values64(r, n + LD + 1);
        for (UnaryOp op : UNARY) {
            for (int off = 0; off <= LF; off++) {
                float[] o = new float[n];
                VecF32.unary(op, x, off, 1, o, 0, n);
                for (int i = 0; i < n; i++) same32(op + " f32 offset " + off, x[off + i], VecF32.apply(op, x[off + i]), o[i]);
            }
            for (int off = 0; off <= LD; off++) {
                double[] o = new double[n];
                VecF64.unary(op, xd, off, 1, o, 0, n);
                for (int i = 0; i < n; i++) same64(op + " f64 offset " + off, xd[off + i], VecF64.apply(op, xd[off + i]), o[i]);
            }
            float[] o = new float[n / 3];
            VecF32.unary(op, x, 0, 3, o, 0, o.length);
            for (int i = 0; i < o.length; i++) same32(op + " f32 stride 3", x[3 * i], VecF32.apply(op, x[3 * i]), o[i]);
            double[] od = new double[n / 3];
            VecF64.unary(op, xd, 0, 3, od, 0, od.length);
            for (int i = 0; i < od.length; i++) same64(op + " f64 stride 3", xd[3 * i], VecF64.apply(op, xd[3 * i]), od[i]);
            for (int i = 0; i < 50; i++) {
                float[] one = new float[LF + 2];
                VecF32.unary(op, x, i, 0, one, 0, one.length);
                float[] alone = new float[1];
                VecF32.unary(op, x, i, 1, alone, 0, 1);
                for (float v : one) same32(op + " f32 broadcast", x[i], alone[0], v);
                same32(op + " f32 alone", x[i], VecF32.apply(op, x[i]), alone[0]);
                double[] oned = new double[LD + 2];
                VecF64.unary(op, xd, i, 0, oned, 0, oned.length);
                double[] aloned = new double[1];
                VecF64.unary(op, xd, i, 1, aloned, 0, 1);
                for (double v : oned) same64(op + " f64 broadcast", xd[i], aloned[0], v);
                same64(op + " f64 alone", xd[i], VecF64.apply(op, xd[i]), aloned[0]);
            }
        }
    }

    /** The same for POW: each element against {@link VecF32#apply(BinaryOp, float, float)}, every stride pattern. */
    @Test
    void powElementsEqualTheirScalarForm() {
        Random r = new Random(6);
        int n = 20 * LF + 3;
        float[] a = Probe.values32(r, n + 3), b = Probe.values32(r, n + 3);
        double[] ad = Probe.values64(r, n + 3), bd = Probe.values64(r, n + 3);
        for (int i = 0; i < n; i += 4) { // small bases with integer exponents, and exponents that are 2
            b[i] = (float) Math.rint(b[i] % 7);
            bd[i] = Math.rint(bd[i] % 7);
            if (i % 8 == 0) b[i + 1] = 2f;
        }
        for (int as : new int[] {1, 0, 2}) {
            for (int bs : new int[] {1, 0, 2}) {
                int len = as == 2 || bs == 2 ? n / 2 : n;
                for (int off = 0; off < 3; off++) {
                    float[] o = new float[len];
                    VecF32.binary(BinaryOp.POW, a, off, as, b, 1 - off % 2, bs, o, 0, len);
                    for (int i = 0; i < len; i++) {
                        float av = a[off + i * as], bv = b[1 - off % 2 + i * bs];
                        same32("pow f32 as=" + as + " bs=" + bs + " b=" + bv, av, VecF32.apply(BinaryOp.POW, av, bv), o[i]);
                    }
                    double[] od = new double[len];
                    VecF64.binary(BinaryOp.POW, ad, off, as, bd, 1 - off % 2, bs, od, 0, len);
                    for (int i = 0; i < len; i++) {
                        double av = ad[off + i * as], bv = bd[1 - off % 2 + i * bs];
                        same64("pow f64 as=" + as + " bs=" + bs + " b=" + bv, av, VecF64.apply(BinaryOp.POW, av, bv), od[i]);
                    }
                }
            }
        }
        for (double e : new double[] {0, 1, 2, -1, 0.5, 3}) { // 0, 1 and 2 broadcast have loops of their own
            double[] od = new double[n];
            VecF64.binary(BinaryOp.POW, ad, 0, 1, new double[] {e}, 0, 0, od, 0, n);
            float[] o = new float[n];
            VecF32.binary(BinaryOp.POW, a, 0, 1, new float[] {(float) e}, 0, 0, o, 0, n);
            for (int i = 0; i < n; i++) {
                same64("pow f64 ^" + e, ad[i], VecF64.apply(BinaryOp.POW, ad[i], e), od[i]);
                same32("pow f32 ^" + e, a[i], VecF32.apply(BinaryOp.POW, a[i], (float) e), o[i]);
                if (e == 0) same64("pow f64 ^0", ad[i], 1.0, od[i]);
                if (e == 1) same64("pow f64 ^1", ad[i], ad[i], od[i]);
                if (e == 2) same64("pow f64 ^2", ad[i], ad[i] * ad[i], od[i]);
                if (e == 2) same32("pow f32 ^2", a[i], a[i] * a[i], o[i]);
            }
        }
    }

    private static void same32(String what, float x, float want, float got) {
        if (Float.floatToIntBits(want) != Float.floatToIntBits(got))
            fail(what + ": x = " + x + " (" + Float.toHexString(x) + "): scalar " + want + ", kernel " + got);
    }

    private static void same64(String what, double x, double want, double got) {
        if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got))
            fail(what + ": x = " + x + " (" + Double.toHexString(x) + "): scalar " + want + ", kernel " + got);
    }

    // ------------------------------------------------------------------ reductions against a scalar emulation

    /**
     * SUM, PROD, MAX, MIN, dot, log-sum-exp and cumsum against a plain-Java emulation of their documented order:
     * four accumulators of L lanes over blocks of 64 * 4 * L elements, the accumulators combined as
     * (a0 + a1) + (a2 + a3), the lanes folded by adding the vector rotated by L/2, L/4, ..., 1, the block sums and
     * the tail added in order in double. Any order that depends on compilation would show here.
     */
    @Test
    void reductionsFollowTheirFixedOrder() {
        Random r = new Random(8);
        for (int n : new int[] {0, 1, LF - 1, LF, 4 * LF + 1, 257, 64 * 4 * LF + 7 * LF + 3, 3 * 64 * 4 * LF + 5}) {
            float[] x = new float[n + 1], y = new float[n + 1];
            for (int i = 0; i <= n; i++) {
                x[i] = (float) ((r.nextDouble() - 0.5) * Math.exp(r.nextGaussian() * 3));
                y[i] = (float) (r.nextGaussian());
            }
            double[] xd = new double[n + 1], yd = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                xd[i] = (r.nextDouble() - 0.5) * Math.exp(r.nextGaussian() * 3);
                yd[i] = r.nextGaussian();
            }
            float[] p = new float[n + 1];
            double[] pd = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                p[i] = (float) (0.9 + 0.2 * r.nextDouble());
                pd[i] = 0.9 + 0.2 * r.nextDouble();
            }
            String at = " n=" + n;
            assertEquals(Float.floatToIntBits(Emulate.sum32(x, 1, n, null, 0)), Float.floatToIntBits(VecF32.reduce(ReduceOp.SUM, x, 1, 1, n)), "sum f32" + at);
            assertEquals(Double.doubleToLongBits(Emulate.sum64(xd, 1, n, null, 0)), Double.doubleToLongBits(VecF64.reduce(ReduceOp.SUM, xd, 1, 1, n)), "sum f64" + at);
            assertEquals(Float.floatToIntBits(Emulate.sum32(x, 1, n, y, 1)), Float.floatToIntBits(VecF32.dot(x, 1, y, 1, n)), "dot f32" + at);
            assertEquals(Double.doubleToLongBits(Emulate.sum64(xd, 1, n, yd, 1)), Double.doubleToLongBits(VecF64.dot(xd, 1, yd, 1, n)), "dot f64" + at);
            assertEquals(Float.floatToIntBits(Emulate.prod32(p, 1, n)), Float.floatToIntBits(VecF32.reduce(ReduceOp.PROD, p, 1, 1, n)), "prod f32" + at);
            assertEquals(Double.doubleToLongBits(Emulate.prod64(pd, 1, n)), Double.doubleToLongBits(VecF64.reduce(ReduceOp.PROD, pd, 1, 1, n)), "prod f64" + at);
            assertEquals(Float.floatToIntBits(Emulate.lse32(x, 1, n)), Float.floatToIntBits(VecF32.logSumExp(x, 1, 1, n)), "logSumExp f32" + at);
            assertEquals(Double.doubleToLongBits(Emulate.lse64(xd, 1, n)), Double.doubleToLongBits(VecF64.logSumExp(xd, 1, 1, n)), "logSumExp f64" + at);
            float[] c = new float[n];
            VecF32.cumsum(x, 1, 1, c, 0, n);
            float[] ce = Emulate.cumsum32(x, 1, n);
            for (int i = 0; i < n; i++) assertEquals(Float.floatToIntBits(ce[i]), Float.floatToIntBits(c[i]), "cumsum f32" + at + " i=" + i);
            double[] cd = new double[n];
            VecF64.cumsum(xd, 1, 1, cd, 0, n);
            double[] cde = Emulate.cumsum64(xd, 1, n);
            for (int i = 0; i < n; i++) assertEquals(Double.doubleToLongBits(cde[i]), Double.doubleToLongBits(cd[i]), "cumsum f64" + at + " i=" + i);
            if (n > 0) {
                x[1 + n / 2] = Float.NaN;
                xd[1 + n / 2] = Double.NaN;
            }
            for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) { // exact, NaN if any: the same as the reference
                assertEquals(Float.floatToIntBits(RefF32.reduce(op, x, 1, 1, n)), Float.floatToIntBits(VecF32.reduce(op, x, 1, 1, n)), op + " f32" + at);
                assertEquals(Double.doubleToLongBits(RefF64.reduce(op, xd, 1, 1, n)), Double.doubleToLongBits(VecF64.reduce(op, xd, 1, 1, n)), op + " f64" + at);
            }
        }
    }

    /** The reductions' order written out with arrays for lanes: no Vector API involved. */
    private static final class Emulate {
        static final int BLOCK32 = 64 * 4 * LF, BLOCK64 = 64 * 4 * LD;

        /** Lane-wise fold: v[j] += v[(j + d) % L] for d = L/2, ..., 1; returns lane 0 (the kernels' foldSum). */
        static float fold(float[] v) {
            for (int d = v.length / 2; d >= 1; d /= 2) {
                float[] w = v.clone();
                for (int j = 0; j < v.length; j++) v[j] = w[j] + w[(j + d) % v.length];
            }
            return v[0];
        }

        static double fold(double[] v) {
            for (int d = v.length / 2; d >= 1; d /= 2) {
                double[] w = v.clone();
                for (int j = 0; j < v.length; j++) v[j] = w[j] + w[(j + d) % v.length];
            }
            return v[0];
        }

        /** SUM (y null) or dot: float accumulators (fma for dot), block sums and the tail in double. */
        static float sum32(float[] x, int o, int n, float[] y, int yo) {
            double total = 0;
            int i = 0, u = n - n % LF;
            while (i < u) {
                int len = Math.min(BLOCK32, u - i);
                float[][] acc = new float[4][LF];
                int k = 0;
                for (int uu = len & -(4 * LF); k < uu; k += 4 * LF)
                    for (int a = 0; a < 4; a++) for (int j = 0; j < LF; j++) add(acc[a], j, x, o + i + k + a * LF + j, y, yo + i + k + a * LF + j);
                for (; k < len; k += LF) for (int j = 0; j < LF; j++) add(acc[0], j, x, o + i + k + j, y, yo + i + k + j);
                float[] v = new float[LF];
                for (int j = 0; j < LF; j++) v[j] = (acc[0][j] + acc[1][j]) + (acc[2][j] + acc[3][j]);
                total += fold(v);
                i += len;
            }
            for (; i < n; i++) total += y == null ? x[o + i] : (double) x[o + i] * y[yo + i];
            return (float) total;
        }

        private static void add(float[] acc, int j, float[] x, int xi, float[] y, int yi) {
            acc[j] = y == null ? acc[j] + x[xi] : Math.fma(x[xi], y[yi], acc[j]);
        }

        static double sum64(double[] x, int o, int n, double[] y, int yo) {
            double total = 0;
            int i = 0, u = n - n % LD;
            while (i < u) {
                int len = Math.min(BLOCK64, u - i);
                double[][] acc = new double[4][LD];
                int k = 0;
                for (int uu = len & -(4 * LD); k < uu; k += 4 * LD)
                    for (int a = 0; a < 4; a++) for (int j = 0; j < LD; j++) add(acc[a], j, x, o + i + k + a * LD + j, y, yo + i + k + a * LD + j);
                for (; k < len; k += LD) for (int j = 0; j < LD; j++) add(acc[0], j, x, o + i + k + j, y, yo + i + k + j);
                double[] v = new double[LD];
                for (int j = 0; j < LD; j++) v[j] = (acc[0][j] + acc[1][j]) + (acc[2][j] + acc[3][j]);
                total += fold(v);
                i += len;
            }
            for (; i < n; i++) total += y == null ? x[o + i] : x[o + i] * y[yo + i];
            return total;
        }

        private static void add(double[] acc, int j, double[] x, int xi, double[] y, int yi) {
            acc[j] = y == null ? acc[j] + x[xi] : Math.fma(x[xi], y[yi], acc[j]);
        }

        static float prod32(float[] x, int o, int n) {
            float[][] acc = new float[4][LF];
            for (float[] a : acc) java.util.Arrays.fill(a, 1f);
            int i = 0;
            for (int u = n & -(4 * LF); i < u; i += 4 * LF)
                for (int a = 0; a < 4; a++) for (int j = 0; j < LF; j++) acc[a][j] *= x[o + i + a * LF + j];
            for (int u = n - n % LF; i < u; i += LF) for (int j = 0; j < LF; j++) acc[0][j] *= x[o + i + j];
            float[] v = new float[LF];
            for (int j = 0; j < LF; j++) v[j] = (acc[0][j] * acc[1][j]) * (acc[2][j] * acc[3][j]);
            for (int d = LF / 2; d >= 1; d /= 2) {
                float[] w = v.clone();
                for (int j = 0; j < LF; j++) v[j] = w[j] * w[(j + d) % LF];
            }
            float p = v[0];
            for (; i < n; i++) p *= x[o + i];
            return p;
        }

        static double prod64(double[] x, int o, int n) {
            double[][] acc = new double[4][LD];
            for (double[] a : acc) java.util.Arrays.fill(a, 1.0);
            int i = 0;
            for (int u = n & -(4 * LD); i < u; i += 4 * LD)
                for (int a = 0; a < 4; a++) for (int j = 0; j < LD; j++) acc[a][j] *= x[o + i + a * LD + j];
            for (int u = n - n % LD; i < u; i += LD) for (int j = 0; j < LD; j++) acc[0][j] *= x[o + i + j];
            double[] v = new double[LD];
            for (int j = 0; j < LD; j++) v[j] = (acc[0][j] * acc[1][j]) * (acc[2][j] * acc[3][j]);
            for (int d = LD / 2; d >= 1; d /= 2) {
                double[] w = v.clone();
                for (int j = 0; j < LD; j++) v[j] = w[j] * w[(j + d) % LD];
            }
            double p = v[0];
            for (; i < n; i++) p *= x[o + i];
            return p;
        }

        /** m + log Σ exp(x - m): one float accumulator per block, exp by the scalar form, StrictMath's log. */
        static float lse32(float[] x, int o, int n) {
            float m = RefF32.reduce(ReduceOp.MAX, x, o, 1, n);
            if (m != m || Float.isInfinite(m)) return m;
            double total = 0;
            int i = 0, u = n - n % LF;
            while (i < u) {
                int len = Math.min(BLOCK32, u - i);
                float[] acc = new float[LF];
                for (int k = 0; k < len; k += LF) for (int j = 0; j < LF; j++) acc[j] += VecMathF32.exp(x[o + i + k + j] - m);
                total += fold(acc);
                i += len;
            }
            for (; i < n; i++) total += VecMathF32.exp(x[o + i] - m);
            return (float) (m + StrictMath.log(total));
        }

        static double lse64(double[] x, int o, int n) {
            double m = RefF64.reduce(ReduceOp.MAX, x, o, 1, n);
            if (m != m || Double.isInfinite(m)) return m;
            double total = 0;
            int i = 0, u = n - n % LD;
            while (i < u) {
                int len = Math.min(BLOCK64, u - i);
                double[] acc = new double[LD];
                for (int k = 0; k < len; k += LD) for (int j = 0; j < LD; j++) acc[j] += VecMathF64.exp(x[o + i + k + j] - m);
                total += fold(acc);
                i += len;
            }
            for (; i < n; i++) total += VecMathF64.exp(x[o + i] - m);
            return m + StrictMath.log(total);
        }

        /** In-register prefix sums (v[j] += v[j - d], d = 1, 2, 4, ...) plus a running double carry. */
        static float[] cumsum32(float[] x, int o, int n) {
            float[] out = new float[n];
            double carry = 0;
            int i = 0;
            for (int u = n - n % LF; i < u; i += LF) {
                float[] v = new float[LF];
                for (int j = 0; j < LF; j++) v[j] = x[o + i + j];
                for (int d = 1; d < LF; d *= 2) { // the shifted-in lanes are +0, so -0 + 0 = +0 there too
                    float[] w = v.clone();
                    for (int j = 0; j < LF; j++) v[j] = w[j] + (j >= d ? w[j - d] : 0);
                }
                for (int j = 0; j < LF; j++) out[i + j] = v[j] + (float) carry;
                carry += v[LF - 1];
            }
            for (; i < n; i++) {
                carry += x[o + i];
                out[i] = (float) carry;
            }
            return out;
        }

        static double[] cumsum64(double[] x, int o, int n) {
            double[] out = new double[n];
            double carry = 0;
            int i = 0;
            for (int u = n - n % LD; i < u; i += LD) {
                double[] v = new double[LD];
                for (int j = 0; j < LD; j++) v[j] = x[o + i + j];
                for (int d = 1; d < LD; d *= 2) { // the shifted-in lanes are +0, so -0 + 0 = +0 there too
                    double[] w = v.clone();
                    for (int j = 0; j < LD; j++) v[j] = w[j] + (j >= d ? w[j - d] : 0);
                }
                for (int j = 0; j < LD; j++) out[i + j] = v[j] + carry;
                carry += v[LD - 1];
            }
            for (; i < n; i++) {
                carry += x[o + i];
                out[i] = carry;
            }
            return out;
        }
    }
}
