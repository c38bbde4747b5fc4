package dev.deepprob.engine.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks the packed and direct GEMM kernels against the scalar references over random sizes (SIMD and tile tails
 * included), transposed and offset views, accumulation, both dtypes, 1 and 2 threads and both register tiles (the
 * AVX2 and AVX-512 ones, forced in turn on whatever machine runs the tests), and checks that the bits depend on
 * neither the thread count nor the tile.
 */
class GemmTest {
    private static final float SENTINEL = 12345.5f;
    private int savedThreads;
    private Gemm.Tile savedTile;

    @BeforeEach
    void save() {
        savedThreads = Pool.threads();
        savedTile = Gemm.tile();
    }

    @AfterEach
    void restore() {
        Pool.setThreads(savedThreads);
        Gemm.setTile(savedTile);
    }

    /**
     * A random operand layout: the logical rows x cols matrix sits inside a larger array at an offset, either
     * row-major with a padded leading dimension or as the transpose of a column-major block.
     */
    private record Layout(int off, int rs, int cs, int length) {
        static Layout random(SplittableRandom r, int rows, int cols, boolean transposed) {
            int off = r.nextInt(4), pad = r.nextInt(3);
            int extra = r.nextInt(2);
            return transposed
                    ? new Layout(off, 1, rows + pad, Math.max(off, off + (cols - 1) * (rows + pad) + rows) + extra)
                    : new Layout(off, cols + pad, 1, Math.max(off, off + (rows - 1) * (cols + pad) + cols) + extra);
        }
    }

    /** One random product: sizes, layouts, accumulate flag and the data, in float64 (float32 is cast from it). */
    private record Case(int m, int n, int k, Layout la, Layout lb, int cOff, int ldc, boolean acc,
                        double[] a, double[] b, double[] c0) {
        static Case random(SplittableRandom r, int m, int n, int k) {
            return random(r, m, n, k, r.nextBoolean());
        }

        static Case random(SplittableRandom r, int m, int n, int k, boolean transposedA) {
            Layout la = Layout.random(r, m, k, transposedA);
            Layout lb = Layout.random(r, k, n, r.nextBoolean());
            int cOff = r.nextInt(3), ldc = Math.max(1, n + r.nextInt(3));
            double[] a = fill(r, la.length()), b = fill(r, lb.length());
            double[] c0 = new double[cOff + (m == 0 ? 0 : (m - 1) * ldc + n) + 2];
            Arrays.fill(c0, SENTINEL);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c0[cOff + i * ldc + j] = r.nextDouble(-1, 1);
            return new Case(m, n, k, la, lb, cOff, ldc, r.nextBoolean(), a, b, c0);
        }

        Case withAcc(boolean accumulate) {
            return new Case(m, n, k, la, lb, cOff, ldc, accumulate, a, b, c0);
        }

        float[] runF32(boolean ref) {
            float[] c = toFloat(c0);
            if (ref) {
                Gemm.sgemmRef(m, n, k, toFloat(a), la.off(), la.rs(), la.cs(), toFloat(b), lb.off(), lb.rs(), lb.cs(),
                        c, cOff, ldc, acc);
            } else {
                Gemm.sgemm(m, n, k, toFloat(a), la.off(), la.rs(), la.cs(), toFloat(b), lb.off(), lb.rs(), lb.cs(),
                        c, cOff, ldc, acc);
            }
            return c;
        }

        double[] runF64(boolean ref) {
            double[] c = c0.clone();
            if (ref) {
                Gemm.dgemmRef(m, n, k, a, la.off(), la.rs(), la.cs(), b, lb.off(), lb.rs(), lb.cs(), c, cOff, ldc, acc);
            } else {
                Gemm.dgemm(m, n, k, a, la.off(), la.rs(), la.cs(), b, lb.off(), lb.rs(), lb.cs(), c, cOff, ldc, acc);
            }
            return c;
        }

        /** Error bound of a k-term sum of products: k * eps * (sum |a||b| + |c0|), plus one rounding of the result. */
        double tolerance(int i, int j, double eps) {
            double s = acc ? Math.abs(c0[cOff + i * ldc + j]) : 0;
            for (int p = 0; p < k; p++) {
                s += Math.abs(a[la.off() + i * la.rs() + p * la.cs()] * b[lb.off() + p * lb.rs() + j * lb.cs()]);
            }
            return 2 * (k + 1) * eps * s + Double.MIN_NORMAL;
        }

        @Override
        public String toString() {
            return "m=" + m + " n=" + n + " k=" + k + " A" + la + " B" + lb + " cOff=" + cOff + " ldc=" + ldc
                    + " acc=" + acc;
        }
    }

    private static double[] fill(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextDouble(-1, 1);
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) x[i];
        return y;
    }

    /** Compares fast and reference results inside the m x n window and asserts the sentinels around it survive. */
    private static void check(Case cs, float[] got, float[] want, Gemm.Tile tile) {
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - cs.cOff(), i = rel < 0 ? -1 : rel / cs.ldc(), j = rel < 0 ? -1 : rel % cs.ldc();
            boolean inside = rel >= 0 && i < cs.m() && j < cs.n();
            if (!inside) {
                if (got[idx] != SENTINEL) fail("sgemm (" + tile + " tile) wrote outside C at index " + idx + ": " + cs);
                continue;
            }
            double tol = cs.tolerance(i, j, Math.ulp(1.0f)) + Math.ulp(want[idx]);
            if (!(Math.abs(got[idx] - want[idx]) <= tol)) {
                fail("sgemm (" + tile + " tile) C[" + i + "," + j + "] = " + got[idx] + ", reference " + want[idx] + ", tolerance " + tol
                        + ": " + cs);
            }
        }
    }

    private static void check(Case cs, double[] got, double[] want, Gemm.Tile tile) {
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - cs.cOff(), i = rel < 0 ? -1 : rel / cs.ldc(), j = rel < 0 ? -1 : rel % cs.ldc();
            boolean inside = rel >= 0 && i < cs.m() && j < cs.n();
            if (!inside) {
                if (got[idx] != SENTINEL) fail("dgemm (" + tile + " tile) wrote outside C at index " + idx + ": " + cs);
                continue;
            }
            double tol = cs.tolerance(i, j, Math.ulp(1.0));
            if (!(Math.abs(got[idx] - want[idx]) <= tol)) {
                fail("dgemm (" + tile + " tile) C[" + i + "," + j + "] = " + got[idx] + ", reference " + want[idx] + ", tolerance " + tol
                        + ": " + cs);
            }
        }
    }

    /**
     * Runs one case in both dtypes at 1 and 2 threads with each tile: close to the reference, and the same bits at
     * both counts and with both tiles (each element is the same fma chain whatever the tile).
     */
    private static void verify(Case cs) {
        float[] refF = cs.runF32(true);
        double[] refD = cs.runF64(true);
        float[] firstF = null;
        double[] firstD = null;
        for (Gemm.Tile tile : Gemm.Tile.values()) {
            Gemm.setTile(tile);
            Pool.setThreads(1);
            float[] f1 = cs.runF32(false);
            double[] d1 = cs.runF64(false);
            Pool.setThreads(2);
            float[] f2 = cs.runF32(false);
            double[] d2 = cs.runF64(false);
            check(cs, f1, refF, tile);
            check(cs, d1, refD, tile);
            assertArrayEquals(f1, f2, () -> "sgemm bits differ between 1 and 2 threads, tile " + tile + ": " + cs);
            assertArrayEquals(d1, d2, () -> "dgemm bits differ between 1 and 2 threads, tile " + tile + ": " + cs);
            if (firstF == null) {
                firstF = f1;
                firstD = d1;
            } else {
                assertArrayEquals(firstF, f1, () -> "sgemm bits differ between the tiles: " + cs);
                assertArrayEquals(firstD, d1, () -> "dgemm bits differ between the tiles: " + cs);
            }
        }
    }

    @Test
    void randomSmallShapesMatchReference() {
        SplittableRandom r = new SplittableRandom(20240601);
        for (int t = 0; t < 400; t++) {
            verify(Case.random(r, 1 + r.nextInt(70), 1 + r.nextInt(70), 1 + r.nextInt(70)));
        }
    }

    @Test
    void shapesAroundTileAndVectorEdgesMatchReference() {
        SplittableRandom r = new SplittableRandom(7);
        int[] edges = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65};
        // rows around both tiles' heights (4 and 6); depths around both tiles' blocks (256; 384 in float32's tall)
        for (int m : new int[] {1, 3, 4, 5, 6, 7, 8, 12, 13}) {
            for (int n : edges) verify(Case.random(r, m, n, 1 + r.nextInt(40)));
        }
        for (int k : new int[] {1, 2, 255, 256, 257, 383, 384, 385}) verify(Case.random(r, 9, 70, k));
    }

    /**
     * The kernels that depend on the vector width (the in-register transposes of B, one per lane count; the tails;
     * the tiles' widths; the small-C lanes) at the narrower widths too: this class's cases rerun in child JVMs.
     */
    @Test
    void everyVectorWidthMatchesReference() throws Exception {
        NarrowVectors.run(GemmTest.class);
    }

    /** The child JVM of {@link #everyVectorWidthMatchesReference}. */
    public static void main(String[] args) {
        GemmTest t = new GemmTest();
        t.save();
        NarrowVectors.child(() -> {
            t.randomSmallShapesMatchReference();
            t.shapesAroundTileAndVectorEdgesMatchReference();
            t.largeOddShapesMatchReference();
            t.narrowOutputFromTransposedAMatchesReference();
            t.directPathsComputeTheFmaChainInOrder();
        });
    }

    @Test
    void largeOddShapesMatchReference() {
        SplittableRandom r = new SplittableRandom(11);
        int[][] shapes = {{257, 131, 300}, {130, 20, 400}, {67, 401, 129}, {5, 300, 77}, {200, 33, 3}};
        for (int[] s : shapes) verify(Case.random(r, s[0], s[1], s[2]));
    }

    @Test
    void narrowOutputFromTransposedAMatchesReference() {
        // C at most two vectors wide with a column-major A is computed as C^T = B^T·A^T and written transposed.
        SplittableRandom r = new SplittableRandom(23);
        int[][] shapes = {{400, 20, 128}, {300, 1, 50}, {129, 32, 7}, {257, 17, 300}, {1000, 3, 9}, {2000, 20, 100}};
        for (int[] s : shapes) {
            verify(Case.random(r, s[0], s[1], s[2], true));
            verify(Case.random(r, s[0], s[1], s[2], false));
        }
    }

    @Test
    void matrixVectorThinAndSingleRowProductsMatchTheBlockedBits() {
        // n = 1, k <= 4 and m = 1 take direct paths on one thread; past the parallel threshold (128^3 multiply-adds)
        // two threads take the blocked path, so verify's 1-vs-2-thread bit comparison pits the two paths against
        // each other, in both dtypes, with row- and column-major A and B
        SplittableRandom r = new SplittableRandom(29);
        int[][] shapes = {{3000, 1, 800}, {800, 1, 3000}, {1000, 800, 3}, {600, 900, 4}, {1, 2000, 1100}, {5, 3, 140000},
            {4, 16, 33000}, {105000, 5, 4}, {1, 7, 300000}};
        for (int[] s : shapes) {
            verify(Case.random(r, s[0], s[1], s[2], true));
            verify(Case.random(r, s[0], s[1], s[2], false));
        }
    }

    @Test
    void directPathsComputeTheFmaChainInOrder() {
        // the contract every path keeps: C(i,j) is fma(A(i,p), B(p,j), s) over p = 0..k-1 from C (accumulating) or
        // zero; computed here with Math.fma, so the fast result must match it bit for bit (no tolerance)
        SplittableRandom r = new SplittableRandom(31);
        int[] rows = {1, 2, 7, 8, 9, 15, 16, 17, 31, 63, 64, 65, 67, 130};
        for (int m : rows) {
            for (int k : new int[] {9, 33, 100}) assertFmaChain(Case.random(r, m, 1, k));
        }
        for (int m : new int[] {1, 3, 40, 2000}) {
            for (int n : new int[] {2, 3, 5, 7, 15, 16, 17, 33, 64, 65, 130}) {
                for (int k = 1; k <= 5; k++) assertFmaChain(Case.random(r, m, n, k));
            }
        }
        for (int n : new int[] {2, 17, 70, 300}) assertFmaChain(Case.random(r, 1, n, 1 + r.nextInt(200)));
        // small C from a column-major A (weight gradients of small layers): one lane per element of C
        for (int[] s : new int[][] {{5, 3, 2000}, {2, 2, 16}, {4, 16, 300}, {16, 4, 77}, {7, 9, 500}, {3, 1, 40}}) {
            assertFmaChain(Case.random(r, s[0], s[1], s[2], true));
        }
    }

    /** Asserts that both dtypes' one-thread results are, bit for bit, the fma chain over p in order, and stay in C. */
    private static void assertFmaChain(Case cs) {
        Pool.setThreads(1);
        float[] f = cs.runF32(false), fa = toFloat(cs.a()), fb = toFloat(cs.b()), f0 = toFloat(cs.c0());
        double[] d = cs.runF64(false);
        Layout la = cs.la(), lb = cs.lb();
        for (int idx = 0; idx < f.length; idx++) {
            int rel = idx - cs.cOff();
            if (rel < 0 || rel / cs.ldc() >= cs.m() || rel % cs.ldc() >= cs.n()) {
                if (f[idx] != SENTINEL || d[idx] != SENTINEL) fail("gemm wrote outside C at index " + idx + ": " + cs);
            }
        }
        for (int i = 0; i < cs.m(); i++) {
            for (int j = 0; j < cs.n(); j++) {
                int ci = cs.cOff() + i * cs.ldc() + j;
                float sf = cs.acc() ? f0[ci] : 0f;
                double sd = cs.acc() ? cs.c0()[ci] : 0.0;
                for (int p = 0; p < cs.k(); p++) {
                    int ai = la.off() + i * la.rs() + p * la.cs(), bi = lb.off() + p * lb.rs() + j * lb.cs();
                    sf = Math.fma(fa[ai], fb[bi], sf);
                    sd = Math.fma(cs.a()[ai], cs.b()[bi], sd);
                }
                if (Float.floatToIntBits(f[ci]) != Float.floatToIntBits(sf)) {
                    fail("sgemm C[" + i + "," + j + "] = " + f[ci] + ", fma chain " + sf + ": " + cs);
                }
                if (Double.doubleToLongBits(d[ci]) != Double.doubleToLongBits(sd)) {
                    fail("dgemm C[" + i + "," + j + "] = " + d[ci] + ", fma chain " + sd + ": " + cs);
                }
            }
        }
    }

    @Test
    void chunkBoundariesMatchReference() {
        SplittableRandom r = new SplittableRandom(13);
        // Past the packed chunk limits in k, n and m (each chunk is packed and computed separately).
        int[][] shapes = {{40, 70, 2100}, {9, 2100, 10}, {2100, 40, 6}};
        for (int[] s : shapes) {
            Case cs = Case.random(r, s[0], s[1], s[2]);
            verify(cs.withAcc(false));
            verify(cs.withAcc(true));
        }
    }

    @Test
    void emptyAndDegenerateSizes() {
        SplittableRandom r = new SplittableRandom(17);
        for (int[] s : new int[][] {{0, 5, 3}, {4, 0, 3}, {1, 1, 1}, {1, 70, 1}, {70, 1, 70}}) {
            verify(Case.random(r, s[0], s[1], s[2]));
        }
        float[] c = {5f, 6f, 7f, 8f};
        Gemm.sgemm(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 0, 2, true);
        assertArrayEquals(new float[] {5f, 6f, 7f, 8f}, c, "k = 0 with accumulate leaves C as it was");
        Gemm.sgemm(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 0, 2, false);
        assertArrayEquals(new float[4], c, "k = 0 without accumulate zeroes C");
        double[] d = {5, 6};
        Gemm.dgemm(1, 2, 0, new double[0], 0, 0, 1, new double[0], 0, 2, 1, d, 0, 2, false);
        assertArrayEquals(new double[2], d);
    }

    @Test
    void largeProductIsThreadCountInvariantAndAccumulates() {
        SplittableRandom r = new SplittableRandom(19);
        int m = 300, n = 200, k = 520;
        float[] a = toFloat(fill(r, m * k)), b = toFloat(fill(r, k * n)), c0 = toFloat(fill(r, m * n));
        float[] ref = c0.clone();
        Gemm.sgemmRef(m, n, k, a, 0, k, 1, b, 0, n, 1, ref, 0, n, true);
        for (Gemm.Tile tile : Gemm.Tile.values()) {
            Gemm.setTile(tile);
            float[] c1 = c0.clone(), c2 = c0.clone();
            Pool.setThreads(1);
            Gemm.sgemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c1, 0, n, true);
            Pool.setThreads(2);
            Gemm.sgemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c2, 0, n, true);
            assertArrayEquals(c1, c2, "sgemm bits differ between 1 and 2 threads, tile " + tile);
            for (int i = 0; i < ref.length; i++) {
                // |C| sums k = 520 products of numbers in (-1, 1): float32 rounding stays far below 1e-5 * k
                assertEquals(ref[i], c1[i], 1e-5f * k, "tile " + tile + ": C[" + i / n + "," + i % n + "]");
            }
        }
    }

    @Test
    void tileFollowsTheVectorWidthUnlessForced() {
        assertEquals(Gemm.Tile.AVX512, Gemm.tileFor("auto", 512), "512-bit vectors: 32 registers, the wide tile");
        assertEquals(Gemm.Tile.AVX2, Gemm.tileFor("auto", 256), "256-bit vectors: 16 registers, the tall tile");
        assertEquals(Gemm.Tile.AVX2, Gemm.tileFor("", 128));
        assertEquals(Gemm.Tile.AVX2, Gemm.tileFor("AVX2", 512), "forced, case-insensitive");
        assertEquals(Gemm.Tile.AVX512, Gemm.tileFor(" avx512 ", 256), "forced");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Gemm.tileFor("sse", 256));
        assertEquals("gemm: system property deepprob.gemm.tile must be auto, avx2 or avx512, got 'sse'",
                bad.getMessage());
        String forced = System.getProperty(Gemm.TILE_PROPERTY);
        int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(Gemm.tileFor(forced == null ? "auto" : forced, bits), savedTile, "the tile this JVM started with");
    }

    @Test
    void rejectsBadArgumentsWithMessages() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(-1, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 2, false));
        assertTrue(neg.getMessage().startsWith("sgemm: sizes must be >= 0, got m=-1"), neg.getMessage());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.sgemm(2, 2, 3, a, 1, 3, 1, b, 0, 2, 1, c, 0, 2, false));
        assertTrue(oob.getMessage().contains("sgemm: A (2x3, offset 1, strides 3,1) spans indices [1, 6]"),
                oob.getMessage());
        IllegalArgumentException ldc = assertThrows(IllegalArgumentException.class,
                () -> Gemm.dgemm(2, 2, 3, new double[6], 0, 3, 1, new double[6], 0, 2, 1, new double[4], 0, 1, false));
        assertTrue(ldc.getMessage().contains("dgemm: ldc must be >= n"), ldc.getMessage());
        IndexOutOfBoundsException cOob = assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.sgemm(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, new float[3], 0, 2, false));
        assertTrue(cOob.getMessage().contains("sgemm: C"), cOob.getMessage());
    }
}
