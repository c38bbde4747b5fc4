package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The device samplers draw the CPU's numbers for the same seed and leave the generator where the CPU leaves it.
 * Tolerances: the fills that use only +, *, and exact conversions (uniform, bernoulli, randint, permutation,
 * multinomial's searches) must match bit for bit; where the CPU calls StrictMath's log, sin, cos, sqrt or pow and the
 * device its own (OpenCL allows 3-4 ulp for double log/sin/cos and 16 for pow), F64 results may differ by a few ulps
 * of the terms (bounded below by 1e-13 relative plus 1e-13 absolute, generous for a handful of ulps in two or three
 * operations), and F32 results, computed in double and rounded once as on the CPU, by at most one float ulp.
 */
class ClRandomTest {
    private final ClBackend cl = ClTestDevice.backend();
    private final Backend cpu = Backends.cpu();
    private static final long[] SEEDS = {0, 7, -123456789012345L};
    /** 0, one element, odd, one more than a block, several blocks with a partial last one. */
    private static final int[] SIZES = {0, 1, 7, 5, 4099};

    /** Draws with the same seed on both backends; checks the results and that both generators end in the same state. */
    private void same(String what, BiFunction<Backend, Generator, NDArray> draw, double rel, double abs) {
        for (long seed : SEEDS) {
            Generator gc = new Generator(seed), gd = new Generator(seed);
            gc.nextLong();                                       // not at counter 0
            gd.nextLong();
            NDArray want = draw.apply(cpu, gc);
            NDArray got = draw.apply(cl, gd);
            assertSame(cl, got.backend(), what);
            NDArray g = got.toCpu();
            assertArrayEquals(want.dims(), g.dims(), what);
            assertEquals(want.dtype(), g.dtype(), what);
            assertArrayEquals(gc.state(), gd.state(), what + ": generator state after the call (seed " + seed + ")");
            assertEquals(gc.nextLong(), gd.nextLong(), what + ": the next draw lines up");
            if (want.dtype() == DType.I64) {
                assertArrayEquals(want.toLongArray(), g.toLongArray(), what + " (seed " + seed + ")");
            } else if (want.dtype() == DType.BOOL) {
                assertArrayEquals(want.toBooleanArray(), g.toBooleanArray(), what + " (seed " + seed + ")");
            } else if (want.dtype() == DType.F32) {
                float[] w = want.toFloatArray(), d = g.toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    float tol = rel == 0 ? 0 : Math.ulp(w[i]);
                    assertEquals(w[i], d[i], tol, what + " (seed " + seed + ") at " + i);
                }
            } else {
                double[] w = want.toDoubleArray(), d = g.toDoubleArray();
                for (int i = 0; i < w.length; i++) assertEquals(w[i], d[i], rel * Math.abs(w[i]) + abs, what + " (seed " + seed + ") at " + i);
            }
        }
    }

    @Test
    void uniformAndBernoulliAndRandintAreTheCpusBitForBit() {
        for (int n : SIZES) {
            int[] s = {n};
            same("uniform F32 n=" + n, (b, g) -> b.uniform(g, DType.F32, -1.5, 3.25, s), 0, 0);
            same("uniform F64 n=" + n, (b, g) -> b.uniform(g, DType.F64, -1.5, 3.25, s), 0, 0);
            same("uniform F64 wide n=" + n, (b, g) -> b.uniform(g, DType.F64, -Double.MAX_VALUE, Double.MAX_VALUE, s), 0, 0);
            same("bernoulli n=" + n, (b, g) -> b.bernoulli(g, 0.3, s), 0, 0);
            same("randint n=" + n, (b, g) -> b.randint(g, -3, 40, s), 0, 0);
            same("randint full range n=" + n, (b, g) -> b.randint(g, Long.MIN_VALUE, Long.MAX_VALUE, s), 0, 0);
            same("randint odd range n=" + n, (b, g) -> b.randint(g, 0, (1L << 62) + 12345, s), 0, 0);
        }
        same("uniform F32 2-D", (b, g) -> b.uniform(g, DType.F32, 0, 1, new int[]{3, 5}), 0, 0);
    }

    @Test
    void normalMatchesUpToTheRoundingOfLogSinCos() {
        for (int n : SIZES) {
            int[] s = {n};
            same("normal F32 n=" + n, (b, g) -> b.normal(g, DType.F32, 0.5, 2, s), 1, 0);
            same("normal F64 n=" + n, (b, g) -> b.normal(g, DType.F64, 0.5, 2, s), 1e-13, 1e-13);
        }
    }

    @Test
    void permutationIsTheCpusShuffle() {
        for (int n : new int[]{0, 1, 2, 7, 1000}) same("permutation n=" + n, (b, g) -> b.permutation(g, n), 0, 0);
    }

    @Test
    void multinomialWithAndWithoutReplacement() {
        NDArray w1 = NDArray.of(new double[]{0.1, 0, 2, 0.5, 0, 3, 1e-3});
        NDArray w2 = NDArray.uniform(new Generator(3), DType.F32, 0, 1, 5, 33);
        for (NDArray w : new NDArray[]{w1, w2, w1.to(DType.F32), w2.to(DType.F64).mT().contiguous().mT()}) {
            NDArray wd = w.to(cl);
            BiFunction<Backend, NDArray, NDArray> on = (b, x) -> b == cpu ? x : wd;
            for (int samples : new int[]{0, 1, 4, 9}) {
                same("multinomial with replacement " + w.shape() + " " + samples, (b, g) -> b.multinomial(g, on.apply(b, w), samples, true), 0, 0);
            }
            for (int samples : new int[]{0, 1, 3, 5}) {
                same("multinomial without replacement " + w.shape() + " " + samples, (b, g) -> b.multinomial(g, on.apply(b, w), samples, false), 0, 0);
            }
        }
        // a bad weight in the second row: the same message, and the generator advanced past the first row only
        NDArray bad = NDArray.of(new double[]{1, 2, 3, 4, -1, 6}).reshape(2, 3);
        for (boolean repl : new boolean[]{true, false}) {
            Generator gc = new Generator(1), gd = new Generator(1);
            var ec = assertThrows(IllegalArgumentException.class, () -> cpu.multinomial(gc, bad, 2, repl));
            var ed = assertThrows(IllegalArgumentException.class, () -> cl.multinomial(gd, bad.to(cl), 2, repl));
            assertEquals(ec.getMessage(), ed.getMessage());
            assertArrayEquals(gc.state(), gd.state());
        }
        // weights summing to 0, and fewer positive weights than draws without replacement
        NDArray zeros = NDArray.of(new double[]{0, 0, 1, 0});
        Generator gc = new Generator(1), gd = new Generator(1);
        String m1 = assertThrows(IllegalArgumentException.class, () -> cpu.multinomial(gc, zeros.narrow(0, 0, 2), 1, true)).getMessage();
        assertEquals(m1, assertThrows(IllegalArgumentException.class, () -> cl.multinomial(gd, zeros.narrow(0, 0, 2).to(cl), 1, true)).getMessage());
        String m2 = assertThrows(IllegalArgumentException.class, () -> cpu.multinomial(gc, zeros, 2, false)).getMessage();
        assertEquals(m2, assertThrows(IllegalArgumentException.class, () -> cl.multinomial(gd, zeros.to(cl), 2, false)).getMessage());
        assertArrayEquals(gc.state(), gd.state());
    }

    @Test
    void standardGammaAndPoissonPerElementSubStreams() {
        // alpha below 1 (the boost), near 1, large; rates 0, below 10 (inversion), at and above 10 (PTRS), large
        double[] alphas = {0.01, 0.3, 0.999, 1, 1.5, 7, 150, 1e4};
        double[] rates = {0, 0.2, 3, 9.99, 10, 47.5, 1e3, 1e6};
        for (int n : SIZES) {
            NDArray a = NDArray.of(tile(alphas, n)), r = NDArray.of(tile(rates, n));
            for (DType t : new DType[]{DType.F32, DType.F64}) {
                NDArray at = a.to(t), rt = r.to(t), ad = at.to(cl), rd = rt.to(cl);
                same("standardGamma " + t + " n=" + n, (b, g) -> b.standardGamma(g, b == cpu ? at : ad), 1e-13, 0);
                same("poisson " + t + " n=" + n, (b, g) -> b.poisson(g, b == cpu ? rt : rd), 0, 0);
            }
        }
        // a strided parameter view
        NDArray a2 = NDArray.of(tile(alphas, 24)).reshape(4, 6);
        same("standardGamma of a transposed view", (b, g) -> b.standardGamma(g, b == cpu ? a2.mT() : a2.to(cl).mT()), 1e-13, 0);
        // a bad parameter: the CPU's message, and the generator untouched
        NDArray bad = NDArray.of(new double[]{1, 2, -0.5, Double.NaN});
        Generator gc = new Generator(4), gd = new Generator(4);
        assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.standardGamma(gc, bad)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> cl.standardGamma(gd, bad.to(cl))).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.poisson(gc, bad)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> cl.poisson(gd, bad.to(cl))).getMessage());
        assertArrayEquals(gc.state(), gd.state());
    }

    @Test
    void badArgumentsGiveTheCpusMessages() {
        Generator g = new Generator(1);
        String[][] pairs = {
                {msg(() -> cpu.uniform(g, DType.F32, 1, 1, new int[]{2})), msg(() -> cl.uniform(g, DType.F32, 1, 1, new int[]{2}))},
                {msg(() -> cpu.uniform(g, DType.F64, 0, Double.NaN, new int[]{2})), msg(() -> cl.uniform(g, DType.F64, 0, Double.NaN, new int[]{2}))},
                {msg(() -> cpu.uniform(g, DType.I64, 0, 1, new int[]{2})), msg(() -> cl.uniform(g, DType.I64, 0, 1, new int[]{2}))},
                {msg(() -> cpu.normal(g, DType.F32, 0, -1, new int[]{2})), msg(() -> cl.normal(g, DType.F32, 0, -1, new int[]{2}))},
                {msg(() -> cpu.randint(g, 3, 3, new int[]{2})), msg(() -> cl.randint(g, 3, 3, new int[]{2}))},
                {msg(() -> cpu.bernoulli(g, 1.5, new int[]{2})), msg(() -> cl.bernoulli(g, 1.5, new int[]{2}))},
                {msg(() -> cpu.permutation(g, -1)), msg(() -> cl.permutation(g, -1))},
        };
        for (String[] p : pairs) assertEquals(p[0], p[1]);
    }

    private static String msg(Runnable r) { return assertThrows(IllegalArgumentException.class, r::run).getMessage(); }

    private static double[] tile(double[] v, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = v[i % v.length];
        return out;
    }
}
