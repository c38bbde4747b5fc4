package dev.deepprob.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The kernel contract every {@link Backend} must pass, written once: each operation on strided, broadcast and
 * odd-sized inputs against plain element loops. A backend's test extends this class and supplies the backend
 * (the CPU backend's is {@link CpuBackendContractTest}; the OpenCL module reuses this class from engine's test jar).
 */
public abstract class BackendContract {
    /** The backend under test. */
    protected abstract Backend backend();

    /** Relative tolerance for F32 transcendental results (1e-5 allows a few ulps on a GPU's native functions). */
    protected double f32Tolerance() { return 1e-5; }

    private final Generator gen = new Generator(2024);

    private NDArray strided(DType t, int rows, int cols) {
        // a transposed view with an offset: strides (1, rows+1) after narrowing
        return NDArray.randn(gen, t, cols, rows + 1).narrow(1, 1, rows).mT();
    }

    private void assertElementwise(NDArray got, NDArray x, DoubleUnaryOperator f, double rtol) {
        assertArrayEquals(x.shape(), got.shape());
        for (int i = 0; i < x.shape(0); i++) {
            for (int j = 0; j < x.shape(1); j++) {
                double want = f.applyAsDouble(x.get(i, j)), have = got.get(i, j);
                if (Double.isNaN(want)) assertTrue(Double.isNaN(have));
                else assertEquals(want, have, rtol * Math.max(1, Math.abs(want)), () -> "at " + x + " want " + want);
            }
        }
    }

    @Test
    void unaryKernelsOnStridedViews() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            NDArray x = strided(t, 7, 19);
            double tol = t == DType.F32 ? f32Tolerance() : 1e-12;
            assertElementwise(backend().unary(UnaryOp.EXP, x), x, Math::exp, tol);
            assertElementwise(backend().unary(UnaryOp.TANH, x), x, Math::tanh, tol);
            assertElementwise(backend().unary(UnaryOp.SIGMOID, x), x, v -> 1 / (1 + Math.exp(-v)), tol);
            assertElementwise(backend().unary(UnaryOp.RELU, x), x, v -> Math.max(v, 0), 0);
            assertElementwise(backend().unary(UnaryOp.LOG, x.abs()), x, v -> Math.log(Math.abs(v)), tol);
            assertElementwise(backend().unary(UnaryOp.NEG, x), x, v -> -v, 0);
        }
    }

    @Test
    void binaryKernelsBroadcast() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            NDArray a = strided(t, 5, 33);
            NDArray b = NDArray.randn(gen, t, 1, 33);
            double tol = t == DType.F32 ? f32Tolerance() : 1e-12;
            DoubleBinaryOperator[] fs = {Double::sum, (u, v) -> u - v, (u, v) -> u * v, (u, v) -> u / v, Math::max, Math::min};
            BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX, BinaryOp.MIN};
            for (int k = 0; k < ops.length; k++) {
                NDArray c = backend().binary(ops[k], a, b);
                for (int i = 0; i < 5; i++) for (int j = 0; j < 33; j++) {
                    double want = fs[k].applyAsDouble(a.get(i, j), b.get(0, j));
                    assertEquals(want, c.get(i, j), tol * Math.max(1, Math.abs(want)), ops[k] + " at " + i + "," + j);
                }
            }
            NDArray lt = backend().binary(BinaryOp.LT, a, b);
            assertEquals(DType.BOOL, lt.dtype());
            for (int i = 0; i < 5; i++) for (int j = 0; j < 33; j++) assertEquals(a.get(i, j) < b.get(0, j) ? 1.0 : 0.0, lt.get(i, j));
            NDArray w = backend().where(lt, a, b);
            for (int i = 0; i < 5; i++) for (int j = 0; j < 33; j++) assertEquals(Math.min(a.get(i, j), b.get(0, j)), w.get(i, j), 0);
        }
    }

    @Test
    void reductionsOverEveryAxisSet() {
        NDArray x = NDArray.randn(gen, DType.F64, 3, 4, 17);
        for (int[] axes : new int[][]{{0}, {1}, {2}, {0, 2}, {0, 1, 2}}) {
            NDArray s = backend().reduce(ReduceOp.SUM, x, axes, true);
            NDArray m = backend().reduce(ReduceOp.MAX, x, axes, true);
            NDArray l = backend().logSumExp(x, axes, true);
            boolean[] red = new boolean[3];
            for (int a : axes) red[a] = true;
            for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 17; k++) {
                if ((red[0] && i > 0) || (red[1] && j > 0) || (red[2] && k > 0)) continue;
                double sum = 0, max = Double.NEGATIVE_INFINITY, se = 0;
                for (int p = 0; p < 3; p++) for (int q = 0; q < 4; q++) for (int r = 0; r < 17; r++) {
                    if ((!red[0] && p != i) || (!red[1] && q != j) || (!red[2] && r != k)) continue;
                    double v = x.get(p, q, r);
                    sum += v;
                    max = Math.max(max, v);
                    se += Math.exp(v);
                }
                assertEquals(sum, s.get(i, j, k), 1e-12);
                assertEquals(max, m.get(i, j, k), 0);
                assertEquals(Math.log(se), l.get(i, j, k), 1e-12);
            }
        }
        NDArray am = backend().argReduce(true, x, 2, false);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) {
            int best = 0;
            for (int k = 1; k < 17; k++) if (x.get(i, j, k) > x.get(i, j, best)) best = k;
            assertEquals(best, am.getLong(i, j));
        }
        NDArray cs = backend().cumsum(x, 1);
        assertEquals(x.get(2, 0, 5) + x.get(2, 1, 5) + x.get(2, 2, 5), cs.get(2, 2, 5), 1e-12);
    }

    @Test
    void matmulBatchedAndTransposed() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            NDArray a = NDArray.randn(gen, t, 2, 13, 7);
            NDArray b = NDArray.randn(gen, t, 9, 7).mT();          // (7, 9) transposed view, broadcast over the batch
            NDArray c = backend().matmul(a, b);
            assertArrayEquals(new int[]{2, 13, 9}, c.shape());
            for (int n = 0; n < 2; n++) for (int i = 0; i < 13; i++) for (int j = 0; j < 9; j++) {
                double s = 0;
                for (int p = 0; p < 7; p++) s += a.get(n, i, p) * b.get(p, j);
                assertEquals(s, c.get(n, i, j), (t == DType.F32 ? 1e-5 : 1e-12) * 7);
            }
        }
    }

    @Test
    void movementAndIndexing() {
        NDArray x = NDArray.randn(gen, DType.F32, 4, 6).mT();
        NDArray c = backend().copy(x);
        assertTrue(c.isContiguous());
        assertEquals(x, c);
        assertEquals(x.to(DType.F64).to(DType.F32), backend().cast(backend().cast(x, DType.F64), DType.F32));
        NDArray cat = backend().cat(List.of(x, x.narrow(0, 0, 2)), 0);
        assertEquals(x.get(1, 3), cat.get(7, 3));
        NDArray idx = NDArray.of(new long[]{3, 0, 3});
        NDArray sel = backend().indexSelect(x, 0, idx);
        assertEquals(x.get(3, 2), sel.get(2, 2));
        NDArray g = backend().gather(x, 1, NDArray.of(new long[]{2, 1, 0, 3, 3, 3}, 6, 1));
        assertEquals(x.get(4, 3), g.get(4, 0));
        NDArray sa = backend().scatterAdd(NDArray.zeros(DType.F32, 2, 3), 1, NDArray.of(new long[]{0, 0, 2, 1}, 2, 2), NDArray.ones(DType.F32, 2, 2));
        assertArrayEquals(new float[]{2, 0, 0, 0, 1, 1}, sa.toFloatArray());
    }

    @Test
    void randomFillsAreReproducible() {
        NDArray u1 = backend().uniform(new Generator(5), DType.F32, -1, 3, new int[]{1000});
        NDArray u2 = backend().uniform(new Generator(5), DType.F32, -1, 3, new int[]{1000});
        assertEquals(u1, u2);
        assertTrue(u1.min().item() >= -1 && u1.max().item() < 3);
        NDArray n = backend().normal(new Generator(6), DType.F64, 2, 0.5, new int[]{20000});
        assertEquals(2, n.mean().item(), 5 * 0.5 / Math.sqrt(20000));
    }

    @Test
    void linearAlgebra() {
        NDArray m = NDArray.randn(gen, DType.F64, 2, 5, 5);
        NDArray spd = m.matmul(m.mT()).add(NDArray.eye(DType.F64, 5).mul(5));
        NDArray l = backend().cholesky(spd);
        assertTrue(l.matmul(l.mT()).allClose(spd, 1e-10, 1e-10));
        NDArray b = NDArray.randn(gen, DType.F64, 2, 5, 3);
        assertTrue(l.matmul(backend().triangularSolve(l, b, false, true, false)).allClose(b, 1e-10, 1e-10));
        assertTrue(spd.matmul(backend().solve(spd, b)).allClose(b, 1e-10, 1e-10));
        assertTrue(spd.matmul(backend().inverse(spd)).allClose(NDArray.eye(DType.F64, 5).expand(2, 5, 5), 1e-10, 1e-10));
        NDArray[] sl = backend().slogdet(spd);
        assertTrue(sl[1].allClose(l.diagonal().log().sum(new int[]{-1}, false).mul(2), 1e-10, 1e-10));
        // adj(A) = det(A) A⁻¹ for a regular A; a batch of vectors B (2, 5) solves each matrix against its own row
        NDArray det = sl[1].exp().reshape(2, 1, 1);
        assertTrue(backend().adjugate(spd).allClose(backend().inverse(spd).mul(det), 1e-8, 1e-10));
        NDArray v = NDArray.randn(gen, DType.F64, 2, 5);
        assertTrue(spd.matmul(backend().solve(spd, v).unsqueeze(2)).squeeze(2).allClose(v, 1e-10, 1e-10));
    }
}
