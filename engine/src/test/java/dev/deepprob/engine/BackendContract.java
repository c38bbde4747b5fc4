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

    /** x on the backend under test (a CPU array is copied there; on the CPU backend, x itself). */
    protected final NDArray on(NDArray x) { return x.to(backend()); }

    private NDArray strided(DType t, int rows, int cols) {
        // a transposed view with an offset: strides (1, rows+1) after narrowing
        return on(NDArray.randn(gen, t, cols, rows + 1)).narrow(1, 1, rows).mT();
    }

    private void assertElementwise(NDArray got, NDArray x, DoubleUnaryOperator f, double rtol) {
        assertArrayEquals(x.dims(), got.dims());
        for (int i = 0; i < x.shape(0); i++) {
            for (int j = 0; j < x.shape(1); j++) {
                double want = f.applyAsDouble(x.get(i, j)), have = got.get(i, j);
                if (Double.isNaN(want)) assertTrue(Double.isNaN(have));
                else assertEquals(want, have, rtol * Math.max(1, Math.abs(want)), () -> "at " + x + " want " + want);
            }
        }
    }

    @Test
    @Covers({"name", "unary", "polygamma", "clamp"})
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
            assertElementwise(backend().clamp(x, -0.5, 0.25), x, v -> Math.min(Math.max(v, -0.5), 0.25), 0);
            // ψ'(|v| + 1) against its series Σ 1/(|v| + 1 + k)² (tail by the integral bound 1/(|v| + 1 + K))
            assertElementwise(backend().polygamma(1, x.abs().add(1)), x, v -> {
                double z = Math.abs(v) + 1, sum = 0;
                for (int k = 0; k < 200000; k++) sum += 1 / ((z + k) * (z + k));
                return sum + 1 / (z + 200000);
            }, t == DType.F32 ? f32Tolerance() : 1e-9);
        }
        assertFalse(backend().name().isBlank());
        for (DType t : new DType[]{DType.F32, DType.F64}) {
        }
    }

    @Test
    @Covers({"binary", "where"})
    void binaryKernelsBroadcast() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            NDArray a = strided(t, 5, 33);
            NDArray b = on(NDArray.randn(gen, t, 1, 33));
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
    @Covers({"reduce", "argReduce", "logSumExp", "cumsum"})
    void reductionsOverEveryAxisSet() {
        NDArray x = on(NDArray.randn(gen, DType.F64, 3, 4, 17));
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
    @Covers({"matmul"})
    void matmulBatchedAndTransposed() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            NDArray a = on(NDArray.randn(gen, t, 2, 13, 7));
            NDArray b = on(NDArray.randn(gen, t, 9, 7)).mT();          // (7, 9) transposed view, broadcast over the batch
            NDArray c = backend().matmul(a, b);
            assertArrayEquals(new int[]{2, 13, 9}, c.dims());
            for (int n = 0; n < 2; n++) for (int i = 0; i < 13; i++) for (int j = 0; j < 9; j++) {
                double s = 0;
                for (int p = 0; p < 7; p++) s += a.get(n, i, p) * b.get(p, j);
                assertEquals(s, c.get(n, i, j), (t == DType.F32 ? 1e-5 : 1e-12) * 7);
            }
        }
    }

    @Test
    @Covers({"copy", "copyInto", "cast", "cat", "indexSelect", "gather", "scatterAdd"})
    void movementAndIndexing() {
        NDArray x = on(NDArray.randn(gen, DType.F32, 4, 6)).mT();
        NDArray c = backend().copy(x);
        assertTrue(c.isContiguous());
        assertEquals(x, c);
        assertEquals(x.to(DType.F64).to(DType.F32), backend().cast(backend().cast(x, DType.F64), DType.F32));
        NDArray cat = backend().cat(List.of(x, x.narrow(0, 0, 2)), 0);
        assertEquals(x.get(1, 3), cat.get(7, 3));
        NDArray idx = on(NDArray.of(new long[]{3, 0, 3}));
        NDArray sel = backend().indexSelect(x, 0, idx);
        assertEquals(x.get(3, 2), sel.get(2, 2));
        NDArray g = backend().gather(x, 1, on(NDArray.of(new long[]{2, 1, 0, 3, 3, 3}, 6, 1)));
        assertEquals(x.get(4, 3), g.get(4, 0));
        NDArray sa = backend().scatterAdd(on(NDArray.zeros(DType.F32, 2, 3)), 1, on(NDArray.of(new long[]{0, 0, 2, 1}, 2, 2)), on(NDArray.ones(DType.F32, 2, 2)));
        assertArrayEquals(new float[]{2, 0, 0, 0, 1, 1}, sa.toFloatArray());
        NDArray dst = on(NDArray.zeros(DType.F32, 6, 8)).narrow(1, 2, 4);     // a strided destination
        int v0 = dst.storage.version();
        backend().copyInto(x, dst);
        assertEquals(x, dst);
        assertTrue(dst.storage.version() > v0, "copyInto bumps the destination's version");
    }

    @Test
    @Covers({"uniform", "normal"})
    void randomFillsAreReproducible() {
        NDArray u1 = backend().uniform(new Generator(5), DType.F32, -1, 3, new int[]{1000});
        NDArray u2 = backend().uniform(new Generator(5), DType.F32, -1, 3, new int[]{1000});
        assertEquals(u1, u2);
        assertTrue(u1.min().item() >= -1 && u1.max().item() < 3);
        NDArray n = backend().normal(new Generator(6), DType.F64, 2, 0.5, new int[]{20000});
        assertEquals(2, n.mean().item(), 5 * 0.5 / Math.sqrt(20000));
    }

    @Test
    @Covers({"cholesky", "triangularSolve", "solve", "inverse", "slogdet", "adjugate"})
    void linearAlgebra() {
        NDArray m = on(NDArray.randn(gen, DType.F64, 2, 5, 5));
        NDArray spd = m.matmul(m.mT()).add(on(NDArray.eye(DType.F64, 5)).mul(5));
        NDArray l = backend().cholesky(spd);
        assertTrue(l.matmul(l.mT()).allClose(spd, 1e-10, 1e-10));
        NDArray b = on(NDArray.randn(gen, DType.F64, 2, 5, 3));
        assertTrue(l.matmul(backend().triangularSolve(l, b, false, true, false)).allClose(b, 1e-10, 1e-10));
        assertTrue(spd.matmul(backend().solve(spd, b)).allClose(b, 1e-10, 1e-10));
        assertTrue(spd.matmul(backend().inverse(spd)).allClose(NDArray.eye(DType.F64, 5).expand(2, 5, 5), 1e-10, 1e-10));
        NDArray[] sl = backend().slogdet(spd);
        assertTrue(sl[1].allClose(l.diagonal().log().sum(new int[]{-1}, false).mul(2), 1e-10, 1e-10));
        // adj(A) = det(A) A⁻¹ for a regular A; a batch of vectors B (2, 5) solves each matrix against its own row
        NDArray det = sl[1].exp().reshape(2, 1, 1);
        assertTrue(backend().adjugate(spd).allClose(backend().inverse(spd).mul(det), 1e-8, 1e-10));
        NDArray v = on(NDArray.randn(gen, DType.F64, 2, 5));
        assertTrue(spd.matmul(backend().solve(spd, v).unsqueeze(2)).squeeze(2).allClose(v, 1e-10, 1e-10));
    }

    // ------------------------------------------------------------------ transfer, fill, special functions

    @Test
    @Covers("full")
    void fullAndTheLikeFactoriesMakeArraysOnTheDevice() {
        NDArray f = backend().full(DType.F64, -1.5, new int[]{3, 2});
        assertSame(backend(), f.backend());
        assertArrayEquals(new int[]{3, 2}, f.dims());
        assertEquals(NDArray.full(DType.F64, -1.5, 3, 2), backend().toCpu(f));
        NDArray x = on(NDArray.randn(new Generator(4), DType.F32, 2, 5)).narrow(1, 1, 3);
        for (NDArray like : new NDArray[]{NDArray.zerosLike(x), NDArray.onesLike(x), NDArray.fullLike(x, 7)}) {
            assertSame(backend(), like.backend(), "a *Like array lives on its model's device");
            assertEquals(DType.F32, like.dtype());
            assertArrayEquals(new int[]{2, 3}, like.dims());
        }
        assertEquals(NDArray.full(DType.F32, 7, 2, 3), backend().toCpu(NDArray.fullLike(x, 7)));
        assertEquals(0, backend().toCpu(backend().full(DType.I64, 0, new int[]{0, 4})).size());
    }

    /** A 0-dim CPU array (a scalar constant) joins the device of the other operand, as in PyTorch; others do not. */
    @Test
    void aCpuScalarJoinsTheDeviceOfTheOtherOperand() {
        NDArray x = on(NDArray.of(new double[]{1, 2, 3}));
        NDArray two = NDArray.scalar(DType.F64, 2);
        assertSame(backend(), x.mul(two).backend());
        assertSame(backend(), two.mul(x).backend());
        assertEquals(NDArray.of(new double[]{2, 4, 6}), x.mul(two).toCpu());
        assertEquals(NDArray.of(new double[]{1, 0, -1}), two.sub(x).toCpu());
        NDArray w = NDArray.where(on(NDArray.of(new boolean[]{true, false, true})), x, NDArray.scalar(DType.F64, -1));
        assertSame(backend(), w.backend());
        assertEquals(NDArray.of(new double[]{1, -1, 3}), w.toCpu());
    }

    @Test
    @Covers({"toCpu", "fromCpu", "fill"})
    void transferAndFill() {
        NDArray host = NDArray.randn(gen, DType.F64, 3, 5);
        NDArray dev = backend().fromCpu(host);
        assertSame(backend(), dev.backend());
        NDArray back = backend().toCpu(dev);
        assertSame(Backends.cpu(), back.backend());
        assertEquals(host, back);
        NDArray view = on(NDArray.zeros(DType.F32, 4, 6)).narrow(1, 1, 3);
        int v0 = view.storage.version();
        backend().fill(view, 2.5);
        assertTrue(view.storage.version() > v0, "fill bumps the version");
        NDArray all = backend().toCpu(view);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) assertEquals(2.5, all.get(i, j));
    }

    private NDArray special(SpecialFn fn, NDArray... args) {
        NDArray[] a = new NDArray[args.length];
        for (int i = 0; i < a.length; i++) a[i] = on(args[i]);
        return backend().toCpu(backend().special(fn, a));
    }

    @Test
    @Covers("special")
    void specialFunctionsAgainstClosedFormsAndIdentities() {
        NDArray x = NDArray.of(new double[]{-2.5, -0.3, 0, 0.5, 1.7, 4});
        // erf(0.5), erf(1.7) (Abramowitz and Stegun table 7.1; mpmath to 17 digits)
        NDArray e = special(SpecialFn.ERF, x);
        assertEquals(0.52049987781304654, e.get(3), 1e-15);
        assertEquals(0.98379045859077456, e.get(4), 1e-15);
        assertEquals(-e.get(1), special(SpecialFn.ERF, x.neg()).get(1), 0);
        // erfinv inverts erf
        NDArray inv = special(SpecialFn.ERFINV, e.narrow(0, 1, 4));
        assertTrue(inv.allClose(x.narrow(0, 1, 4), 1e-13, 1e-15), inv.toString());
        // P(1, x) = 1 - e^-x and P + Q = 1
        NDArray xs = NDArray.of(new double[]{0.1, 1, 3, 20});
        NDArray ones = NDArray.ones(DType.F64, 4);
        NDArray p = special(SpecialFn.GAMMA_P, ones, xs), q = special(SpecialFn.GAMMA_Q, ones, xs);
        for (int i = 0; i < 4; i++) {
            assertEquals(-Math.expm1(-xs.get(i)), p.get(i), 1e-15);
            assertEquals(Math.exp(-xs.get(i)), q.get(i), 1e-15 * Math.exp(-xs.get(i)));
        }
        // I_x(a, 1) = x^a, and betaIInv inverts betaI
        NDArray u = NDArray.of(new double[]{0.05, 0.3, 0.7, 0.99}), a = NDArray.full(DType.F64, 2.5, 4), b1 = NDArray.ones(DType.F64, 4);
        NDArray bi = special(SpecialFn.BETA_I, u, a, b1);
        for (int i = 0; i < 4; i++) assertEquals(Math.pow(u.get(i), 2.5), bi.get(i), 1e-15);
        NDArray b3 = NDArray.full(DType.F64, 3, 4);
        NDArray back = special(SpecialFn.BETA_I_INV, special(SpecialFn.BETA_I, u, a, b3), a, b3);
        assertTrue(back.allClose(u, 1e-12, 0), back.toString());
        // dx/da of the Gamma(a, 1) quantile at fixed P, by central differences of the quantile (found by bisection on P)
        double alpha = 2.3, xq = 1.9, pq = special(SpecialFn.GAMMA_P, NDArray.of(new double[]{alpha}), NDArray.of(new double[]{xq})).item();
        double h = 1e-5, fd = (gammaQuantile(alpha + h, pq) - gammaQuantile(alpha - h, pq)) / (2 * h);
        double got = special(SpecialFn.STANDARD_GAMMA_GRAD, NDArray.of(new double[]{alpha}), NDArray.of(new double[]{xq})).item();
        assertEquals(fd, got, 1e-6 * Math.abs(fd));   // central differences: O(h^2) plus bisection error 1e-15/h
        // Φ⁻¹ inverts Φ(x) = (1 + erf(x/√2))/2, down to q = 1e-300 (Φ⁻¹(1e-300) = -37.0470962993612 by mpmath)
        NDArray phi = special(SpecialFn.ERF, x.div(Math.sqrt(2))).add(1).mul(0.5);
        assertTrue(special(SpecialFn.NDTRI, phi.narrow(0, 1, 5)).allClose(x.narrow(0, 1, 5), 1e-12, 1e-14));
        assertEquals(-37.0470962993612, special(SpecialFn.NDTRI, NDArray.of(new double[]{1e-300})).item(), 1e-12);
        // the gamma quantile inverts P
        NDArray ga = NDArray.of(new double[]{0.3, 2.5, 40}), gq = NDArray.of(new double[]{0.01, 0.5, 0.999});
        NDArray gy = special(SpecialFn.GAMMA_P_INV, ga, gq);
        assertTrue(special(SpecialFn.GAMMA_P, ga, gy).allClose(gq, 1e-12, 0));
        // Student's t with ν = 1 is the Cauchy: F(t) = 1/2 + atan(t)/π, and the quantile inverts the cdf
        NDArray t = NDArray.of(new double[]{-30, -1, 0.5, 7}), one = NDArray.ones(DType.F64, 4);
        NDArray tc = special(SpecialFn.STUDENT_T_CDF, one, t);
        for (int i = 0; i < 4; i++) assertEquals(0.5 + Math.atan(t.get(i)) / Math.PI, tc.get(i), 1e-15);
        assertTrue(special(SpecialFn.STUDENT_T_ICDF, one, tc).allClose(t, 1e-12, 0));
        // F32 operands give F32 results
        assertEquals(DType.F32, backend().special(SpecialFn.ERF, new NDArray[]{on(x.to(DType.F32))}).dtype());
    }

    private double gammaQuantile(double a, double prob) {
        double lo = 0, hi = 50;
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            double pm = special(SpecialFn.GAMMA_P, NDArray.of(new double[]{a}), NDArray.of(new double[]{mid})).item();
            if (pm < prob) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    // ------------------------------------------------------------------ samplers

    @Test
    @Covers({"randint", "bernoulli", "permutation", "multinomial", "standardGamma", "poisson"})
    void samplersAreReproducibleAndHaveTheirMoments() {
        int n = 20000;
        NDArray r1 = backend().toCpu(backend().randint(new Generator(9), -3, 4, new int[]{n}));
        assertEquals(r1, backend().toCpu(backend().randint(new Generator(9), -3, 4, new int[]{n})));
        assertEquals(DType.I64, r1.dtype());
        assertTrue(r1.min().item() == -3 && r1.max().item() == 3);
        // mean of uniform{-3..3} is 0, sd 2: 5 standard errors
        assertEquals(0, r1.to(DType.F64).mean().item(), 5 * 2 / Math.sqrt(n));
        NDArray bern = backend().toCpu(backend().bernoulli(new Generator(9), 0.3, new int[]{n}));
        assertEquals(0.3, bern.to(DType.F64).mean().item(), 5 * Math.sqrt(0.3 * 0.7 / n));
        long[] perm = backend().toCpu(backend().permutation(new Generator(3), 50)).toLongArray();
        long[] sorted = perm.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        NDArray w = on(NDArray.of(new double[]{1, 0, 3, 1, 5, 2, 0, 2}, 2, 4));
        long[] draws = backend().toCpu(backend().multinomial(new Generator(4), w, 3, false)).toLongArray();
        for (int r = 0; r < 2; r++) {
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (int k = 0; k < 3; k++) {
                long c = draws[r * 3 + k];
                assertTrue(seen.add(c), "without replacement: distinct");
                assertTrue(w.get(r, (int) c) > 0, "never a zero-weight category");
            }
        }
        NDArray alpha = on(NDArray.full(DType.F64, 2.5, n));
        NDArray g = backend().toCpu(backend().standardGamma(new Generator(5), alpha));
        assertEquals(g, backend().toCpu(backend().standardGamma(new Generator(5), alpha)));
        // Gamma(2.5, 1): mean 2.5, variance 2.5
        assertEquals(2.5, g.mean().item(), 5 * Math.sqrt(2.5 / n));
        assertEquals(2.5, g.variance(new int[0], 1, false).item(), 0.15);
        NDArray rate = on(NDArray.full(DType.F32, 4, n));
        NDArray po = backend().toCpu(backend().poisson(new Generator(6), rate));
        assertEquals(DType.F32, po.dtype());
        assertEquals(4, po.to(DType.F64).mean().item(), 5 * Math.sqrt(4.0 / n));
    }

    // ------------------------------------------------------------------ fused updates and row gathers

    private static double[] vals(NDArray a) { return a.toCpu().toDoubleArray(); }

    /** A private copy of a on the backend under test (an in-place step must not reach the caller's array). */
    private NDArray fresh(NDArray a, DType t) { return on(a.to(t).copy()); }

    @Test
    @Covers({"sgdStep", "adamStep", "rmspropStep"})
    void fusedOptimiserStepsFollowTheirFormulas() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            double tol = t == DType.F32 ? 1e-6 : 1e-14;
            int n = 37;
            NDArray p0 = NDArray.randn(gen, DType.F64, n), g0 = NDArray.randn(gen, DType.F64, n);
            double[] p = vals(p0), g = vals(g0);
            // SGD, momentum 0.9, dampening 0.1, wd 0.01, Nesterov, second step from buffer b
            NDArray b0 = NDArray.randn(gen, DType.F64, n);
            double[] b = vals(b0);
            NDArray P = fresh(p0, t), G = fresh(g0, t), B = fresh(b0, t);
            backend().sgdStep(P, G, B, 0.1, 0.9, 0.1, 0.01, true, false);
            for (int i = 0; i < n; i++) {
                double gi = g[i] + 0.01 * p[i], bi = 0.9 * b[i] + 0.9 * gi;
                assertEquals(bi, vals(B)[i], tol * (1 + Math.abs(bi)));
                assertEquals(p[i] - 0.1 * (gi + 0.9 * bi), vals(P)[i], tol * (1 + Math.abs(p[i])));
            }
            // Adam, step 3, amsgrad, L2 decay
            NDArray m0 = NDArray.randn(gen, DType.F64, n), v0 = NDArray.randn(gen, DType.F64, n).abs(), vm0 = v0.mul(1.5);
            double[] m = vals(m0), v = vals(v0), vm = vals(vm0);
            P = fresh(p0, t);
            NDArray M = fresh(m0, t), V = fresh(v0, t), VM = fresh(vm0, t);
            backend().adamStep(P, G, M, V, VM, 3, 0.01, 0.9, 0.999, 1e-8, 0.02, false);
            for (int i = 0; i < n; i++) {
                double gi = g[i] + 0.02 * p[i];
                double mi = 0.9 * m[i] + 0.1 * gi, vi = 0.999 * v[i] + 0.001 * gi * gi, vmax = Math.max(vm[i], vi);
                double want = p[i] - 0.01 / (1 - Math.pow(0.9, 3)) * mi / (Math.sqrt(vmax) / Math.sqrt(1 - Math.pow(0.999, 3)) + 1e-8);
                assertEquals(mi, vals(M)[i], tol * (1 + Math.abs(mi)));
                assertEquals(vmax, vals(VM)[i], tol * (1 + vmax));
                assertEquals(want, vals(P)[i], tol * 10 * (1 + Math.abs(want)));
            }
            // AdamW's decoupled decay, step 1
            P = fresh(p0, t);
            M = fresh(NDArray.zeros(t, n), t);
            V = fresh(NDArray.zeros(t, n), t);
            backend().adamStep(P, G, M, V, null, 1, 0.01, 0.9, 0.999, 1e-8, 0.1, true);
            for (int i = 0; i < n; i++) {
                double want = p[i] * (1 - 0.01 * 0.1) - 0.01 * g[i] / (Math.abs(g[i]) + 1e-8);
                assertEquals(want, vals(P)[i], tol * 10 * (1 + Math.abs(want)));
            }
            // RMSprop, centered, momentum
            NDArray s0 = NDArray.randn(gen, DType.F64, n).abs().add(1), a0 = NDArray.randn(gen, DType.F64, n).mul(0.1);
            double[] sq = vals(s0), ga = vals(a0);
            P = fresh(p0, t);
            NDArray S = fresh(s0, t), A = fresh(a0, t);
            B = fresh(b0, t);
            backend().rmspropStep(P, G, S, A, B, 0.01, 0.99, 1e-8, 0, 0.5);
            for (int i = 0; i < n; i++) {
                double si = 0.99 * sq[i] + 0.01 * g[i] * g[i], ai = 0.99 * ga[i] + 0.01 * g[i];
                double bi = 0.5 * b[i] + g[i] / (Math.sqrt(si - ai * ai) + 1e-8);
                assertEquals(bi, vals(B)[i], tol * 10 * (1 + Math.abs(bi)));
                assertEquals(p[i] - 0.01 * bi, vals(P)[i], tol * 10 * (1 + Math.abs(p[i])));
            }
        }
    }

    @Test
    @Covers("indexSelectInto")
    void indexSelectIntoWritesTheRows() {
        NDArray x = on(NDArray.randn(gen, DType.F32, 6, 5));
        NDArray idx = on(NDArray.of(new long[]{5, 0, 0, 3}));
        NDArray out = on(NDArray.zeros(DType.F32, 4, 5));
        backend().indexSelectInto(x, 0, idx, out);
        assertEquals(backend().indexSelect(x, 0, idx), out);
        NDArray cols = on(NDArray.zeros(DType.F32, 6, 4));
        backend().indexSelectInto(x, 1, idx.sub(on(NDArray.of(new long[]{1, 0, 0, 0}))), cols);
        assertEquals(x.get(2, 4), cols.get(2, 0));
    }

    /** Every method of the Backend interface is named by some contract test's {@link Covers}. */
    @Test
    void theContractCoversEveryBackendMethod() {
        java.util.Set<String> covered = new java.util.TreeSet<>();
        for (java.lang.reflect.Method m : BackendContract.class.getDeclaredMethods()) {
            Covers c = m.getAnnotation(Covers.class);
            if (c != null) covered.addAll(java.util.List.of(c.value()));
        }
        java.util.Set<String> all = new java.util.TreeSet<>();
        // default methods too: a device backend may override them, and the override must pass the same test
        for (java.lang.reflect.Method m : Backend.class.getMethods()) if (!java.lang.reflect.Modifier.isStatic(m.getModifiers())) all.add(m.getName());
        java.util.Set<String> missing = new java.util.TreeSet<>(all);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "Backend methods no contract test covers: " + missing);
        java.util.Set<String> stale = new java.util.TreeSet<>(covered);
        stale.removeAll(all);
        assertTrue(stale.isEmpty(), "@Covers names that are not Backend methods: " + stale);
    }

    /** The Backend methods a contract test exercises. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    protected @interface Covers {
        String[] value();
    }
}
