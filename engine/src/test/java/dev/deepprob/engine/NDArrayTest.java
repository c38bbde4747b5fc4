package dev.deepprob.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NDArrayTest {

    static NDArray seq(DType t, int... shape) {
        return NDArray.arange(t, Shapes.size(shape)).reshape(shape);
    }

    static void assertThrowsWith(Class<? extends Throwable> type, String fragment, Runnable r) {
        Throwable e = assertThrows(type, r::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void viewsShareStorageAndCopyNothing() {
        NDArray a = seq(DType.F32, 2, 3, 4);
        NDArray t = a.permute(2, 0, 1);
        assertTrue(t.sharesStorage(a));
        assertArrayEquals(new int[]{4, 2, 3}, t.dims());
        assertEquals(a.get(1, 2, 3), t.get(3, 1, 2));
        NDArray n = a.narrow(2, 1, 2);
        assertTrue(n.sharesStorage(a));
        assertEquals(a.get(1, 1, 2), n.get(1, 1, 1));
        NDArray s = a.select(1, 2);
        assertArrayEquals(new int[]{2, 4}, s.dims());
        assertEquals(a.get(1, 2, 0), s.get(1, 0));
        NDArray e = NDArray.of(new float[]{1, 2, 3}, 3, 1).expand(3, 5);
        assertTrue(e.strides()[1] == 0);
        assertEquals(3f, e.get(2, 4));
        NDArray u = a.unsqueeze(1);
        assertArrayEquals(new int[]{2, 1, 3, 4}, u.dims());
        assertArrayEquals(new int[]{2, 3, 4}, u.squeeze().dims());
        NDArray sl = a.slice(2, 0, 4, 2);
        assertArrayEquals(new int[]{2, 3, 2}, sl.dims());
        assertEquals(a.get(0, 1, 2), sl.get(0, 1, 1));
        // writing through a view is seen by the base
        s.set(-7, 0, 0);
        assertEquals(-7, a.get(0, 2, 0));
    }

    @Test
    void reshapeIsAViewWhenStridesAllowAndCopiesOtherwise() {
        NDArray a = seq(DType.F64, 4, 6);
        assertTrue(a.reshape(2, 12).sharesStorage(a));
        assertTrue(a.reshape(-1).sharesStorage(a));
        NDArray t = a.mT(); // (6, 4), not contiguous
        assertFalse(t.isContiguous());
        assertThrowsWith(IllegalArgumentException.class, "cannot be viewed", () -> t.view(24));
        NDArray r = t.reshape(24);
        assertFalse(r.sharesStorage(a));
        assertEquals(a.get(1, 0), r.get(1));
        // a narrowed view can still be viewed by splitting a dim
        NDArray n = a.narrow(1, 0, 4); // (4, 4) strides (6, 1)
        NDArray v = n.view(4, 2, 2);
        assertTrue(v.sharesStorage(a));
        assertEquals(a.get(3, 3), v.get(3, 1, 1));
        assertThrowsWith(IllegalArgumentException.class, "reshape: shape [5, -1] is invalid for 24 elements", () -> a.reshape(5, -1));
    }

    @Test
    void broadcastingFollowsNumpy() {
        NDArray a = seq(DType.F32, 3, 1);
        NDArray b = seq(DType.F32, 4);
        NDArray c = a.add(b);
        assertArrayEquals(new int[]{3, 4}, c.dims());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) assertEquals(i + j, c.get(i, j));
        assertThrowsWith(IllegalArgumentException.class, "add: shapes [3, 4] and [5, 2] cannot broadcast",
                () -> NDArray.zeros(DType.F32, 3, 4).add(NDArray.zeros(DType.F32, 5, 2)));
        assertThrowsWith(IllegalArgumentException.class, "mul: dtype mismatch F32 and F64",
                () -> NDArray.zeros(DType.F32, 3).mul(NDArray.zeros(DType.F64, 3)));
    }

    @Property(tries = 60)
    void elementwiseOnStridedViewsMatchesElementByElement(@ForAll @IntRange(min = 1, max = 9) int m,
                                                          @ForAll @IntRange(min = 1, max = 40) int n,
                                                          @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator g = new Generator(seed);
        NDArray a = NDArray.randn(g, DType.F64, n, m).mT();          // (m, n) transposed view
        NDArray b = NDArray.randn(g, DType.F64, 1, n);               // broadcast over rows
        NDArray c = a.mul(b).sub(a.exp());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = a.get(i, j) * b.get(0, j) - Math.exp(a.get(i, j));
                assertEquals(want, c.get(i, j), 1e-12 * (1 + Math.abs(want)));
            }
        }
    }

    @Property(tries = 60)
    void reductionsOverAnyAxesMatchNaiveLoops(@ForAll @IntRange(min = 1, max = 5) int d0, @ForAll @IntRange(min = 1, max = 6) int d1,
                                              @ForAll @IntRange(min = 1, max = 33) int d2, @ForAll @IntRange(min = 0, max = 6) int mask,
                                              @ForAll boolean keep, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        NDArray x = NDArray.randn(new Generator(seed), DType.F64, d0, d1, d2);
        int[] axes = java.util.stream.IntStream.range(0, 3).filter(i -> (mask >> i & 1) == 1).toArray();
        if (axes.length == 0) axes = new int[]{0, 1, 2};
        boolean[] red = new boolean[3];
        for (int a : axes) red[a] = true;
        NDArray s = x.sum(axes, keep), mx = x.max(axes, keep), lse = x.logSumExp(axes, keep);
        int[] kept = Shapes.reducedShape(x.dims(), axes, true);
        double[] ws = new double[Shapes.size(kept)], wm = new double[ws.length], we = new double[ws.length];
        java.util.Arrays.fill(wm, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < d0; i++) for (int j = 0; j < d1; j++) for (int k = 0; k < d2; k++) {
            int o = ((red[0] ? 0 : i) * kept[1] + (red[1] ? 0 : j)) * kept[2] + (red[2] ? 0 : k);
            double v = x.get(i, j, k);
            ws[o] += v;
            wm[o] = Math.max(wm[o], v);
            we[o] += Math.exp(v);
        }
        double[] gs = s.toDoubleArray(), gm = mx.toDoubleArray(), ge = lse.toDoubleArray();
        assertEquals(ws.length, gs.length);
        assertArrayEquals(Shapes.reducedShape(x.dims(), axes, keep), s.dims());
        for (int i = 0; i < ws.length; i++) {
            assertEquals(ws[i], gs[i], 1e-12 * Math.max(1, d0 * d1 * d2));
            assertEquals(wm[i], gm[i], 0);
            assertEquals(Math.log(we[i]), ge[i], 1e-12 * Math.max(1, d0 * d1 * d2));
        }
    }

    @Test
    void meanVarianceArgmaxCumsum() {
        NDArray x = NDArray.of(new double[]{1, 5, 2, 5, -1, 0}, 2, 3);
        assertArrayEquals(new double[]{8.0 / 3, 4.0 / 3}, x.mean(1).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{3, 2, 1}, x.mean(0).toDoubleArray(), 1e-15);
        assertEquals(6.4, x.variance(new int[0], 1, false).item(), 1e-12);
        assertArrayEquals(new long[]{1, 0}, x.argmax(1, false).toLongArray());
        assertArrayEquals(new long[]{0, 1}, x.argmin(1, false).toLongArray());
        assertArrayEquals(new double[]{1, 6, 8, 5, 4, 4}, x.cumsum(1).toDoubleArray());
        assertArrayEquals(new double[]{1, 5, 2, 6, 4, 2}, x.cumsum(0).toDoubleArray());
        assertEquals(Double.NEGATIVE_INFINITY, NDArray.full(DType.F64, Double.NEGATIVE_INFINITY, 3).logSumExp(new int[0], false).item());
        assertEquals(1000 + Math.log(2), NDArray.full(DType.F32, 1000, 2).logSumExp(new int[0], false).item(), 1e-3);
    }

    @Property(tries = 40)
    void batchedMatmulMatchesNaive(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 17) int m,
                                   @ForAll @IntRange(min = 1, max = 17) int k, @ForAll @IntRange(min = 1, max = 17) int n,
                                   @ForAll boolean transB, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator g = new Generator(seed);
        NDArray a = NDArray.randn(g, DType.F64, b, m, k);
        NDArray w = transB ? NDArray.randn(g, DType.F64, n, k).mT() : NDArray.randn(g, DType.F64, k, n); // broadcast over batch
        NDArray c = a.matmul(w);
        assertArrayEquals(new int[]{b, m, n}, c.dims());
        for (int t = 0; t < b; t++) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += a.get(t, i, p) * w.get(p, j);
            assertEquals(s, c.get(t, i, j), 1e-12 * k);
        }
    }

    @Test
    void matmulVectorCasesAndErrors() {
        NDArray a = seq(DType.F32, 2, 3), v = seq(DType.F32, 3);
        assertArrayEquals(new float[]{5, 14}, a.matmul(v).toFloatArray());
        assertArrayEquals(new int[]{}, v.matmul(v).dims());
        assertEquals(5, v.matmul(v).item());
        assertArrayEquals(new float[]{3, 4, 5}, NDArray.of(new float[]{0, 1}).matmul(a).toFloatArray());
        assertThrowsWith(IllegalArgumentException.class, "matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)",
                () -> NDArray.zeros(DType.F32, 3, 4).matmul(NDArray.zeros(DType.F32, 5, 2)));
    }

    @Test
    void indexingAndJoining() {
        NDArray x = seq(DType.F64, 3, 4);
        NDArray c = NDArray.cat(List.of(x, x.narrow(0, 0, 1)), 0);
        assertArrayEquals(new int[]{4, 4}, c.dims());
        assertEquals(x.get(0, 3), c.get(3, 3));
        NDArray st = NDArray.stack(List.of(x, x), 1);
        assertArrayEquals(new int[]{3, 2, 4}, st.dims());
        assertEquals(x.get(2, 1), st.get(2, 1, 1));
        NDArray idx = NDArray.of(new long[]{2, 0});
        NDArray sel = x.indexSelect(0, idx);
        assertArrayEquals(new double[]{8, 9, 10, 11, 0, 1, 2, 3}, sel.toDoubleArray());
        NDArray gi = NDArray.of(new long[]{3, 0, 1}, 3, 1);
        assertArrayEquals(new double[]{3, 4, 9}, x.gather(1, gi).toDoubleArray());
        NDArray sa = NDArray.zeros(DType.F64, 3, 4).scatterAdd(1, NDArray.of(new long[]{1, 1, 0, 2, 3, 3}, 3, 2), NDArray.ones(DType.F64, 3, 2));
        assertArrayEquals(new double[]{0, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 2}, sa.toDoubleArray());
        NDArray m = x.maskedFill(x.gt(5), -1);
        assertEquals(-1, m.get(2, 0));
        assertEquals(5, m.get(1, 1));
        assertArrayEquals(new double[]{0, 0, 0, 0, 4, 5, 0, 0, 8, 9, 10, 0}, x.tril(0).toDoubleArray());
        assertArrayEquals(new double[]{0, 1, 2, 3, 0, 5, 6, 7, 0, 0, 10, 11}, x.triu(0).toDoubleArray());
        assertArrayEquals(new double[]{0, 5, 10}, x.diagonal().toDoubleArray());
        assertArrayEquals(new double[]{1, 6, 11}, x.diagonal(1, 0, 1).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 0, 2}, NDArray.of(new double[]{1, 2}).diag(0).toDoubleArray());
        assertArrayEquals(new double[]{1, 0, 0, 1}, NDArray.eye(DType.F64, 2).toDoubleArray());
        assertArrayEquals(new double[]{0, 0.25, 0.5, 0.75, 1}, NDArray.linspace(DType.F64, 0, 1, 5).toDoubleArray());
        assertArrayEquals(new float[]{1, 0, 1}, NDArray.where(NDArray.of(new boolean[]{true, false, true}), NDArray.ones(DType.F32, 3),
                NDArray.zeros(DType.F32, 1)).toFloatArray());
        assertThrowsWith(IndexOutOfBoundsException.class, "gather: index 7 out of range for dim 1 of size 4",
                () -> x.gather(1, NDArray.of(new long[]{7}, 1, 1)));
        assertThrowsWith(IllegalArgumentException.class, "cat: array 1 has shape [3, 5]", () -> NDArray.cat(List.of(x, NDArray.zeros(DType.F64, 3, 5)), 0));
    }

    @Test
    void dtypeConversion() {
        NDArray x = NDArray.of(new double[]{1.5, -2.7, 3});
        assertArrayEquals(new long[]{1, -2, 3}, x.to(DType.I64).toLongArray());
        assertArrayEquals(new float[]{1.5f, -2.7f, 3f}, x.to(DType.F32).toFloatArray());
        assertArrayEquals(new boolean[]{true, true, true}, x.to(DType.BOOL).toBooleanArray());
        assertSame(x, x.to(DType.F64));
        // masks to 0/1 factors, also through a strided view (the transpose reads every other element of a row)
        NDArray mask = NDArray.of(new boolean[]{true, false, false, true, true, false}, 2, 3);
        assertArrayEquals(new float[]{1, 0, 0, 1, 1, 0}, mask.to(DType.F32).toFloatArray());
        assertArrayEquals(new double[]{1, 1, 0, 1, 0, 0}, mask.transpose(0, 1).to(DType.F64).toDoubleArray());
    }

    @Property(tries = 30)
    void linearAlgebraIdentities(@ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 1, max = 3) int batch,
                                 @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator g = new Generator(seed);
        NDArray m = NDArray.randn(g, DType.F64, batch, n, n);
        NDArray eye = NDArray.eye(DType.F64, n);
        NDArray spd = m.matmul(m.mT()).add(eye.mul(n));              // well conditioned SPD
        NDArray l = spd.cholesky();
        assertTrue(l.matmul(l.mT()).allClose(spd, 1e-10, 1e-10), "L Lᵀ = A");
        assertTrue(l.triu(1).abs().max().item() == 0, "L is lower triangular");
        NDArray inv = spd.inverse();
        assertTrue(spd.matmul(inv).allClose(eye.expand(batch, n, n), 1e-9, 1e-9), "A A⁻¹ = I");
        NDArray gen = m.add(eye.mul(n));                              // general, well conditioned
        NDArray b = NDArray.randn(g, DType.F64, batch, n, 2);
        assertTrue(gen.matmul(gen.solve(b)).allClose(b, 1e-9, 1e-9), "A solve(A, B) = B");
        // logdet through LU against 2 Σ log diag(L) for the SPD matrix
        NDArray viaChol = l.diagonal().log().sum(new int[]{-1}, false).mul(2);
        assertTrue(spd.logdet().allClose(viaChol, 1e-10, 1e-10), "logdet(LU) = 2 Σ log L_ii");
        // triangular solves, left and right, lower and upper
        NDArray x = l.triangularSolve(b, false, true, false);
        assertTrue(l.matmul(x).allClose(b, 1e-9, 1e-9));
        NDArray bt = b.mT();
        NDArray xr = l.mT().triangularSolve(bt, true, false, false);
        assertTrue(xr.matmul(l.mT()).allClose(bt, 1e-9, 1e-9));
        // det and logdet against the exact determinant of the same doubles (an independent computation, not slogdet)
        for (NDArray a : new NDArray[]{spd, gen}) {
            double[] det = a.det().toDoubleArray(), logdet = a == spd ? a.logdet().toDoubleArray() : null, v = a.toDoubleArray();
            for (int k = 0; k < batch; k++) {
                double exact = exactDet(java.util.Arrays.copyOfRange(v, k * n * n, (k + 1) * n * n), n);
                assertEquals(exact, det[k], DET_RTOL * Math.abs(exact), "det, n = " + n + ", batch " + k);
                if (logdet != null) assertEquals(Math.log(exact), logdet[k], DET_RTOL, "logdet, n = " + n + ", batch " + k);
            }
        }
    }

    /**
     * det's relative error (and so logdet's absolute one) on these well-conditioned matrices, n <= 12: the worst of 1500
     * random cases was 1.1e-14 (an LU's error grows about as n·eps·cond), so 1e-13 allows about 10x that.
     */
    static final double DET_RTOL = 1e-13;

    /**
     * The determinant of an n x n matrix (row-major) of doubles, exactly, rounded once: Bareiss's fraction-free
     * elimination in BigDecimal. Every intermediate is a minor of the matrix, a polynomial in its (binary, so finite
     * decimal) entries, so each division is exact.
     */
    static double exactDet(double[] a, int n) {
        java.math.BigDecimal[][] m = new java.math.BigDecimal[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = new java.math.BigDecimal(a[i * n + j]);
        java.math.BigDecimal prev = java.math.BigDecimal.ONE;
        int sign = 1;
        for (int k = 0; k < n - 1; k++) {
            if (m[k][k].signum() == 0) {
                int r = k + 1;
                while (r < n && m[r][k].signum() == 0) r++;
                if (r == n) return 0;
                java.math.BigDecimal[] t = m[k];
                m[k] = m[r];
                m[r] = t;
                sign = -sign;
            }
            for (int i = k + 1; i < n; i++) {
                for (int j = k + 1; j < n; j++) m[i][j] = m[i][j].multiply(m[k][k]).subtract(m[i][k].multiply(m[k][j])).divide(prev);
            }
            prev = m[k][k];
        }
        return sign * m[n - 1][n - 1].doubleValue();
    }

    @Test
    void detHasTheSignAndValueOfTheExactDeterminant() {
        assertEquals(5, exactDet(new double[]{2, 1, 1, 3}, 2));
        assertEquals(-1, exactDet(new double[]{0, 1, 1, 0}, 2), "a pivot swap changes the sign");
        assertEquals(-3, exactDet(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 10}, 3));
        assertEquals(-1, NDArray.of(new double[]{0, 1, 1, 0}, 2, 2).det().item(), 1e-15);
        assertEquals(-3, NDArray.of(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 10}, 3, 3).det().item(), 3 * DET_RTOL);
        // a well-conditioned matrix with two rows swapped: negative determinant, same magnitude
        NDArray m = NDArray.randn(new Generator(11), DType.F64, 6, 6).add(NDArray.eye(DType.F64, 6).mul(6));
        double[] v = m.toDoubleArray();
        for (int j = 0; j < 6; j++) {
            double t = v[j];
            v[j] = v[6 + j];
            v[6 + j] = t;
        }
        double exact = exactDet(v, 6);
        assertTrue(exact < 0, "swapped rows: " + exact);
        assertEquals(exact, NDArray.of(v, 6, 6).det().item(), DET_RTOL * Math.abs(exact));
    }

    @Test
    void linearAlgebraErrors() {
        NDArray notPd = NDArray.of(new double[]{1, 0, 0, 0, -1, 0, 0, 0, 1}, 3, 3);
        assertThrowsWith(IllegalArgumentException.class, "cholesky: matrix is not positive definite (leading minor of order 2", notPd::cholesky);
        NDArray batch = NDArray.stack(List.of(NDArray.eye(DType.F64, 3), notPd), 0);
        assertThrowsWith(IllegalArgumentException.class, "at batch index [1]", batch::cholesky);
        assertThrowsWith(IllegalArgumentException.class, "inverse: expected square matrices (..., n, n), got shape [2, 3]",
                () -> NDArray.zeros(DType.F64, 2, 3).inverse());
        assertThrowsWith(IllegalArgumentException.class, "inverse: matrix is singular", () -> NDArray.zeros(DType.F64, 2, 2).inverse());
        assertEquals(0, NDArray.zeros(DType.F64, 2, 2).det().item());
    }

    @Test
    void sameSeedSameNumbersAtOneAndTwoThreads() {
        int prev = dev.deepprob.engine.cpu.Pool.threads();
        try {
            dev.deepprob.engine.cpu.Pool.setThreads(1);
            NDArray a = NDArray.randn(new Generator(42), DType.F32, 300, 700);
            dev.deepprob.engine.cpu.Pool.setThreads(2);
            NDArray b = NDArray.randn(new Generator(42), DType.F32, 300, 700);
            assertEquals(a, b);
            assertNotEquals(a, NDArray.randn(new Generator(43), DType.F32, 300, 700));
        } finally {
            dev.deepprob.engine.cpu.Pool.setThreads(prev);
        }
    }

    @Test
    void badInputIsRejectedWithTheOperationNamed() {
        NDArray x = NDArray.zeros(DType.F32, 2, 3);
        assertThrowsWith(IllegalArgumentException.class, "permute: dim 1 repeated", () -> x.permute(1, 1));
        assertThrowsWith(IllegalArgumentException.class, "expand: shape [2, 3] cannot expand to [2, 4]", () -> x.expand(2, 4));
        assertThrowsWith(IndexOutOfBoundsException.class, "narrow: start 2 and length 2 out of range for dim 0 of size 2", () -> x.narrow(0, 2, 2));
        assertThrowsWith(IllegalArgumentException.class, "sum: dim 2 out of range for rank 2", () -> x.sum(2));
        assertThrowsWith(IllegalArgumentException.class, "zeros: shape [-1] has a negative dimension", () -> NDArray.zeros(DType.F32, -1));
        assertThrowsWith(IllegalArgumentException.class, "of: 3 values cannot fill shape [2, 2]", () -> NDArray.of(new float[3], 2, 2));
        assertThrowsWith(IllegalArgumentException.class, "exp: not defined for I64", () -> NDArray.zeros(DType.I64, 2).exp());
        assertThrowsWith(IllegalStateException.class, "item: expected exactly one element, got shape [2, 3]", x::item);
    }
}
