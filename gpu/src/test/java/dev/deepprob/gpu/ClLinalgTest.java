package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Linear algebra on the device against the CPU backend, on both paths: the host round trip (orders up to
 * {@link ClLinalg#hostMaxOrder}) and the device kernels (forced for every order by setting the threshold to 0, and
 * taken by default at order 40). The matrices are well conditioned (random plus n on the diagonal, condition number
 * below 10), so two backward-stable algorithms in double that round in different orders agree to a few hundred ulps
 * of the largest entry: F64 is held to 1e-12 of max(1, |entry|); F32 results are double results rounded once, so
 * within two float ulps of max(1, |entry|) (one for the rounding, one for an entry near a rounding boundary).
 */
class ClLinalgTest {
    private final ClBackend cl = ClTestDevice.backend();
    private final Backend cpu = Backends.cpu();
    private final Generator gen = new Generator(21);
    private final int saved = ClLinalg.hostMaxOrder;

    @AfterEach
    void restore() { ClLinalg.hostMaxOrder = saved; }

    private NDArray general(int n, int... batch) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = n;
        s[batch.length + 1] = n;
        return NDArray.randn(gen, DType.F64, s).add(NDArray.eye(DType.F64, n).mul(n));
    }

    private NDArray spd(int n, int... batch) {
        NDArray m = general(n, batch);
        return m.matmul(m.mT()).div(n).add(NDArray.eye(DType.F64, n));
    }

    private static void close(NDArray want, NDArray got, String what) {
        assertSame(Backends.cpu(), want.backend());
        assertTrue(got.backend() instanceof ClBackend, what + ": the result is on the device");
        NDArray g = got.toCpu();
        assertArrayEquals(want.dims(), g.dims(), what);
        assertEquals(want.dtype(), g.dtype(), what);
        double[] w = want.toDoubleArray(), d = g.toDoubleArray();
        double rel = want.dtype() == DType.F64 ? 1e-12 : 2 * 0x1p-23;
        for (int i = 0; i < w.length; i++) {
            if (Double.isInfinite(w[i]) || Double.isNaN(w[i])) assertEquals(w[i], d[i], 0, what + " at " + i);
            else assertEquals(w[i], d[i], rel * Math.max(1, Math.abs(w[i])), what + " at " + i);
        }
    }

    /** Runs op on the CPU and on the device (both paths) for F64 and F32, comparing. */
    private void both(String what, NDArray[] args, Function<NDArray[], NDArray> op) {
        for (int threshold : new int[]{0, saved}) {
            ClLinalg.hostMaxOrder = threshold;
            for (DType t : new DType[]{DType.F64, DType.F32}) {
                NDArray[] c = new NDArray[args.length], d = new NDArray[args.length];
                for (int i = 0; i < args.length; i++) {
                    c[i] = args[i].to(t);
                    d[i] = c[i].to(cl);
                }
                close(op.apply(c), op.apply(d), what + " " + t + " (host up to order " + threshold + ")");
            }
        }
    }

    private static Backend on(NDArray x) { return x.backend(); }

    @Test
    void choleskyOfBatchesAndViews() {
        for (int n : new int[]{1, 5, 40}) {
            both("cholesky n=" + n, new NDArray[]{spd(n, 2, 3)}, a -> on(a[0]).cholesky(a[0]));
            both("cholesky no batch n=" + n, new NDArray[]{spd(n)}, a -> on(a[0]).cholesky(a[0]));
        }
        // a transposed view (A is symmetric, so Aᵀ = A, but the strides differ)
        both("cholesky of a view", new NDArray[]{spd(37, 2)}, a -> on(a[0]).cholesky(a[0].mT()));
    }

    @Test
    void choleskyOfAMatrixThatIsNotPositiveDefiniteThrowsTheCpusMessage() {
        NDArray a = spd(36, 2, 2);
        NDArray bad = NDArray.eye(DType.F64, 36).mul(-1);
        NDArray s = NDArray.stack(java.util.List.of(a.select(0, 0).select(0, 0), a.select(0, 0).select(0, 1), a.select(0, 1).select(0, 0),
                bad), 0).reshape(2, 2, 36, 36);
        String want = assertThrows(IllegalArgumentException.class, () -> cpu.cholesky(s)).getMessage();
        assertTrue(want.contains("[1, 1]") && want.contains("order 1"), want);
        for (int threshold : new int[]{0, saved}) {
            ClLinalg.hostMaxOrder = threshold;
            assertEquals(want, assertThrows(IllegalArgumentException.class, () -> cl.cholesky(s.to(cl))).getMessage());
        }
    }

    @Test
    void triangularSolvesEveryWay() {
        for (int n : new int[]{4, 35}) {
            NDArray a = general(n, 2, 1);
            for (boolean upper : new boolean[]{false, true}) {
                for (boolean left : new boolean[]{true, false}) {
                    for (boolean unit : new boolean[]{false, true}) {
                        NDArray rhs = NDArray.randn(gen, DType.F64, left ? new int[]{3, n, 4} : new int[]{3, 5, n});
                        both("triangularSolve n=" + n + " upper=" + upper + " left=" + left + " unit=" + unit, new NDArray[]{a, rhs},
                                x -> on(x[0]).triangularSolve(x[0], x[1], upper, left, unit));
                    }
                }
            }
            // a strided (transposed) right-hand side, no batch
            NDArray rhs = NDArray.randn(gen, DType.F64, 3, n);
            both("triangularSolve of a view n=" + n, new NDArray[]{a.select(0, 1).select(0, 0), rhs},
                    x -> on(x[0]).triangularSolve(x[0], x[1].mT(), false, true, false));
        }
    }

    @Test
    void solveInverseAndSlogdet() {
        for (int n : new int[]{3, 34}) {
            NDArray a = general(n, 2, 3);
            both("solve n=" + n, new NDArray[]{a, NDArray.randn(gen, DType.F64, 3, n, 2)}, x -> on(x[0]).solve(x[0], x[1]));
            both("solve vector n=" + n, new NDArray[]{a.select(0, 0).select(0, 0), NDArray.randn(gen, DType.F64, n)},
                    x -> on(x[0]).solve(x[0], x[1]));
            both("solve batch of vectors n=" + n, new NDArray[]{a, NDArray.randn(gen, DType.F64, 2, 3, n)}, x -> on(x[0]).solve(x[0], x[1]));
            both("inverse n=" + n, new NDArray[]{a}, x -> on(x[0]).inverse(x[0]));
            // a row swap makes the determinant negative for half of them
            NDArray swapped = NDArray.cat(java.util.List.of(a.narrow(2, 1, 1), a.narrow(2, 0, 1), a.narrow(2, 2, n - 2)), 2);
            both("slogdet sign n=" + n, new NDArray[]{swapped}, x -> on(x[0]).slogdet(x[0])[0]);
            both("slogdet logabs n=" + n, new NDArray[]{swapped}, x -> on(x[0]).slogdet(x[0])[1]);
            both("adjugate n=" + n, new NDArray[]{a.div(n)}, x -> on(x[0]).adjugate(x[0]));
        }
    }

    @Test
    void singularMatricesGiveTheCpusMessagesAndDeterminants() {
        NDArray a = general(33, 3);
        NDArray m2 = a.select(0, 2);
        NDArray twoEqualRows = NDArray.cat(java.util.List.of(m2.narrow(0, 0, 1), m2.narrow(0, 0, 1), m2.narrow(0, 2, 31)), 0);
        NDArray sing = NDArray.cat(java.util.List.of(a.narrow(0, 0, 2), twoEqualRows.unsqueeze(0)), 0);   // matrix 2 is singular
        NDArray s = sing, rhs = NDArray.randn(gen, DType.F64, 3, 33, 1);
        for (int threshold : new int[]{0, saved}) {
            ClLinalg.hostMaxOrder = threshold;
            assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.solve(s, rhs)).getMessage(),
                    assertThrows(IllegalArgumentException.class, () -> cl.solve(s.to(cl), rhs.to(cl))).getMessage());
            assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.inverse(s)).getMessage(),
                    assertThrows(IllegalArgumentException.class, () -> cl.inverse(s.to(cl))).getMessage());
        }
        // an exactly singular matrix (a zero column): sign 0 and log|det| -inf on both
        NDArray z = NDArray.cat(java.util.List.of(NDArray.zeros(DType.F64, 2, 33, 1), a.narrow(0, 0, 2).narrow(2, 1, 32)), 2);
        both("slogdet of a singular matrix", new NDArray[]{z}, x -> on(x[0]).slogdet(x[0])[1]);
        both("slogdet sign of a singular matrix", new NDArray[]{z}, x -> on(x[0]).slogdet(x[0])[0]);
    }

    @Test
    void checksGiveTheCpusMessages() {
        NDArray rect = NDArray.zeros(DType.F64, 2, 3);
        assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.cholesky(rect)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> cl.cholesky(rect.to(cl))).getMessage());
        NDArray a = NDArray.eye(DType.F64, 3), b = NDArray.zeros(DType.F64, 4, 2);
        assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.solve(a, b)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> cl.solve(a.to(cl), b.to(cl))).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.triangularSolve(a, b, false, true, false)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> cl.triangularSolve(a.to(cl), b.to(cl), false, true, false)).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> cpu.inverse(NDArray.zeros(DType.I64, 2, 2))).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> cl.inverse(NDArray.zeros(DType.I64, 2, 2).to(cl))).getMessage());
    }
}
