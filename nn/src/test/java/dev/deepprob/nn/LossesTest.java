package dev.deepprob.nn;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.nn.Asserts.assertClose;
import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

class LossesTest {
    private static final GradCheck.Options OPT = GradCheck.Options.defaults();

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** log(1 + e^x) computed without overflow, for reference values. */
    private static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    private static void assertAllFinite(double[] v) {
        for (double x : v) assertTrue(Double.isFinite(x), () -> "non-finite value in " + java.util.Arrays.toString(v));
    }

    @Test
    void mseAndReductions() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2, 3, 4}, 2, 2), y = Tensor.of(DType.F64, new double[]{0, 2, 5, 1}, 2, 2);
        assertClose(new double[]{1, 0, 4, 9}, Losses.mse(x, y, Reduction.NONE).toDoubleArray(), 0);
        assertEquals(14, Losses.mse(x, y, Reduction.SUM).item());
        assertEquals(3.5, Losses.mse(x, y).item());
        GradCheck.check(xs -> Losses.mse(xs.get(0), xs.get(1)), List.of(x, y), 2, OPT, new Generator(1));
    }

    @Test
    void bceMatchesItsFormulaAndClampsLogsAtMinus100() {
        double[] p = {0.1, 0.5, 0.9, 0.0, 1.0, 1e-50}, y = {1, 0, 1, 1, 1, 0};
        double[] want = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            want[i] = -(y[i] * Math.max(Math.log(p[i]), -100) + (1 - y[i]) * Math.max(Math.log(1 - p[i]), -100));
        }
        Tensor pt = Tensor.of(DType.F64, p).requiresGrad(true);
        Tensor l = Losses.bce(pt, Tensor.of(DType.F64, y), Reduction.NONE);
        assertClose(want, l.toDoubleArray(), 1e-14);
        assertEquals(100, l.toDoubleArray()[3]);                        // p = 0, y = 1: -max(log 0, -100)
        l.sum().backward();
        double[] g = pt.grad().toDoubleArray();
        assertAllFinite(g);
        assertEquals(-1 / 0.1, g[0], 1e-12);                            // -y/p
        assertEquals(1 / 0.5, g[1], 1e-12);                             // (1-y)/(1-p)
        assertEquals(0, g[3]);                                          // clamped: flat
        double[] w = {2, 1, 1, 1, 1, 1};
        Tensor weighted = Losses.bce(Tensor.of(DType.F64, p), Tensor.of(DType.F64, y), Tensor.of(DType.F64, w), Reduction.MEAN);
        double s = 0;
        for (int i = 0; i < p.length; i++) s += w[i] * want[i];
        assertEquals(s / p.length, weighted.item(), 1e-12);
        // float32: p = 1 - 1e-9 rounds to 1, still finite
        assertAllFinite(new double[]{Losses.bce(Tensor.of(new float[]{1f, 0f}), Tensor.of(new float[]{0f, 1f})).item()});
        Tensor inner = Tensor.of(DType.F64, new double[]{0.2, 0.7, 0.4});
        GradCheck.check(xs -> Losses.bce(xs.get(0), Tensor.of(DType.F64, new double[]{1, 0, 0.3})), List.of(inner), 2, OPT, new Generator(2));
    }

    @Test
    void bceWithLogitsIsStableForExtremeLogits() {
        double[] x = {-1000, -100, -3, -0.5, 0, 0.5, 3, 100, 1000}, y = {0, 1, 1, 0, 1, 0.3, 0, 0, 1};
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            Tensor xt = Tensor.of(DType.F64, x).to(t).detach().requiresGrad(true);
            Tensor l = Losses.bceWithLogits(xt, Tensor.of(DType.F64, y).to(t), Reduction.NONE);
            double[] got = l.toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                // max(x, 0) - x y + log1p(e^-|x|)
                double want = Math.max(x[i], 0) - x[i] * y[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
                assertEquals(want, got[i], (t == DType.F32 ? 1e-6 : 1e-14) * Math.max(1, Math.abs(want)), t + " x=" + x[i]);
            }
            l.sum().backward();
            double[] g = xt.grad().toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(sigmoid(x[i]) - y[i], g[i], t == DType.F32 ? 1e-6 : 1e-14, t + " gradient at x=" + x[i]);
            }
        }
        assertEquals(0.5 - 1, gradAt0(), 0, "gradient at exactly 0 is σ(0) - y");
        Tensor xs = Tensor.of(DType.F64, new double[]{-2, -0.3, 0.7, 4}), ys = Tensor.of(DType.F64, new double[]{1, 0, 0.5, 1});
        GradCheck.check(v -> Losses.bceWithLogits(v.get(0), ys), List.of(xs), 2, OPT, new Generator(3));
    }

    private static double gradAt0() {
        Tensor x = Tensor.of(DType.F64, new double[]{0}).requiresGrad(true);
        Losses.bceWithLogits(x, Tensor.of(DType.F64, new double[]{1})).backward();
        return x.grad().item();
    }

    @Test
    void bceWithLogitsWeightsAndPosWeight() {
        double[] x = {-1.5, 0.2, 2.0, -0.7}, y = {1, 0, 1, 0.25}, w = {1, 2, 0.5, 1}, pw = {3};
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            // PyTorch's documented form: -w (p_c y log σ(x) + (1 - y) log(1 - σ(x)))
            sum += w[i] * (-(pw[0] * y[i] * Math.log(sigmoid(x[i])) + (1 - y[i]) * Math.log(1 - sigmoid(x[i]))));
        }
        Tensor l = Losses.bceWithLogits(Tensor.of(DType.F64, x), Tensor.of(DType.F64, y), Tensor.of(DType.F64, w), Tensor.of(DType.F64, pw), Reduction.SUM);
        assertEquals(sum, l.item(), 1e-13);
        // consistent with bce on probabilities away from the clamp
        double p = Losses.bce(Tensor.of(DType.F64, x).sigmoid(), Tensor.of(DType.F64, y), Reduction.SUM).item();
        assertEquals(p, Losses.bceWithLogits(Tensor.of(DType.F64, x), Tensor.of(DType.F64, y), Reduction.SUM).item(), 1e-13);
    }

    @Test
    void crossEntropyWithClassIndices() {
        double[] logits = {2, 1, 0.1, -1, 3, 0.5};              // (2, 3)
        long[] cls = {0, 1};
        double[] want = new double[2];
        for (int n = 0; n < 2; n++) {
            double lse = 0;
            for (int c = 0; c < 3; c++) lse += Math.exp(logits[n * 3 + c]);
            want[n] = Math.log(lse) - logits[n * 3 + (int) cls[n]];
        }
        Tensor x = Tensor.of(DType.F64, logits, 2, 3), t = Tensor.of(NDArray.of(cls));
        assertClose(want, Losses.crossEntropy(x, t, Reduction.NONE).toDoubleArray(), 1e-14);
        assertEquals((want[0] + want[1]) / 2, Losses.crossEntropy(x, t).item(), 1e-14);
        // class weights: MEAN divides by the weights of the targets
        Tensor w = Tensor.of(DType.F64, new double[]{2, 0.5, 1});
        assertEquals((2 * want[0] + 0.5 * want[1]) / 2.5, Losses.crossEntropy(x, t, w, Reduction.MEAN).item(), 1e-14);
        // a single sample (C) with a 0-d target
        assertEquals(want[1], Losses.crossEntropy(Tensor.of(DType.F64, new double[]{-1, 3, 0.5}), Tensor.of(NDArray.of(new long[]{1}).reshape())).item(), 1e-14);
        // K-dimensional: (N, C, d) with targets (N, d)
        Tensor x3 = Tensor.of(DType.F64, new double[]{2, -1, 1, 3, 0.1, 0.5}, 1, 3, 2);
        Tensor t3 = Tensor.of(NDArray.of(new long[]{0, 1}, 1, 2));
        assertClose(want, Losses.crossEntropy(x3, t3, Reduction.NONE).flatten().toDoubleArray(), 1e-14);
        GradCheck.check(v -> Losses.crossEntropy(v.get(0), t, w, Reduction.MEAN), List.of(x), 2, OPT, new Generator(4));
    }

    @Test
    void crossEntropyWithProbabilities() {
        double[] logits = {2, 1, 0.1, -1, 3, 0.5};
        double[] probs = {0.7, 0.2, 0.1, 0, 0.5, 0.5};
        double total = 0;
        for (int n = 0; n < 2; n++) {
            double lse = 0;
            for (int c = 0; c < 3; c++) lse += Math.exp(logits[n * 3 + c]);
            for (int c = 0; c < 3; c++) total -= probs[n * 3 + c] * (logits[n * 3 + c] - Math.log(lse));
        }
        Tensor x = Tensor.of(DType.F64, logits, 2, 3), p = Tensor.of(DType.F64, probs, 2, 3);
        assertEquals(total / 2, Losses.crossEntropy(x, p).item(), 1e-14);
        // one-hot probabilities give the index form
        Tensor onehot = Tensor.of(DType.F64, new double[]{1, 0, 0, 0, 1, 0}, 2, 3);
        assertEquals(Losses.crossEntropy(x, Tensor.of(NDArray.of(new long[]{0, 1}))).item(), Losses.crossEntropy(x, onehot).item(), 1e-14);
        GradCheck.check(v -> Losses.crossEntropy(v.get(0), v.get(1)), List.of(x, p), 2, OPT, new Generator(5));
    }

    @Test
    void crossEntropyIsFiniteForExtremeLogits() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            Tensor x = Tensor.of(DType.F64, new double[]{100, -100, 0, -100, 100, 100, 1000, -1000, 0}, 3, 3).to(t).detach().requiresGrad(true);
            Tensor target = Tensor.of(NDArray.of(new long[]{1, 1, 1}));
            Tensor l = Losses.crossEntropy(x, target, Reduction.NONE);
            double[] v = l.toDoubleArray();
            assertAllFinite(v);
            double tol = t == DType.F32 ? 1e-4 : 1e-12;                  // float32 resolves 100.69 to ~8e-6
            assertEquals(200, v[0], tol);                                // logsumexp ≈ 100, picked -100
            assertEquals(Math.log(2), v[1], tol);                        // two tied at 100
            assertEquals(2000, v[2], 1e-2);
            l.sum().backward();
            double[] g = x.grad().toDoubleArray();
            assertAllFinite(g);
            // softmax - onehot
            assertClose(new double[]{1, -1, 0, 0, -0.5, 0.5, 1, -1, 0}, g, 1e-6);
        }
    }

    @Test
    void gaussianNllMatchesPyTorchsDefinition() {
        double[] mu = {0.5, -1, 2, 0}, x = {1, -1, 0, 3}, var = {0.25, 1, 4, 1e-9};
        double eps = 1e-6;
        double[] want = new double[4];
        for (int i = 0; i < 4; i++) {
            double v = Math.max(var[i], eps);
            want[i] = 0.5 * (Math.log(v) + (x[i] - mu[i]) * (x[i] - mu[i]) / v);
        }
        Tensor varT = Tensor.of(DType.F64, var).requiresGrad(true);
        Tensor l = Losses.gaussianNll(Tensor.of(DType.F64, mu), Tensor.of(DType.F64, x), varT, false, eps, Reduction.NONE);
        assertClose(want, l.toDoubleArray(), 1e-12);
        double full = Losses.gaussianNll(Tensor.of(DType.F64, mu), Tensor.of(DType.F64, x), Tensor.of(DType.F64, var), true, eps, Reduction.SUM).item();
        double s = 0;
        for (double w : want) s += w + 0.5 * Math.log(2 * Math.PI);
        assertEquals(s, full, 1e-9);
        assertEquals((want[0] + want[1] + want[2] + want[3]) / 4, Losses.gaussianNll(Tensor.of(DType.F64, mu), Tensor.of(DType.F64, x), Tensor.of(DType.F64, var)).item(), 1e-12);
        // the clamp is invisible to autograd: d/dvar is evaluated at max(var, eps) and passed straight through
        l.sum().backward();
        double[] g = varT.grad().toDoubleArray();
        for (int i = 0; i < 4; i++) {
            double v = Math.max(var[i], eps), d2 = (x[i] - mu[i]) * (x[i] - mu[i]);
            assertEquals(0.5 * (1 / v - d2 / (v * v)), g[i], 1e-9 * Math.max(1, Math.abs(g[i])), "d/dvar at " + i);
        }
        // var without the last dim, or with last dim 1: one variance per row
        Tensor in = Tensor.of(DType.F64, new double[]{0, 1, 2, 3}, 2, 2), tg = Tensor.of(DType.F64, new double[]{1, 1, 1, 1}, 2, 2);
        double a = Losses.gaussianNll(in, tg, Tensor.of(DType.F64, new double[]{0.5, 2}), false, eps, Reduction.SUM).item();
        double b = Losses.gaussianNll(in, tg, Tensor.of(DType.F64, new double[]{0.5, 2}, 2, 1), false, eps, Reduction.SUM).item();
        double c = Losses.gaussianNll(in, tg, Tensor.of(DType.F64, new double[]{0.5, 0.5, 2, 2}, 2, 2), false, eps, Reduction.SUM).item();
        assertEquals(c, a, 1e-14);
        assertEquals(c, b, 1e-14);
        GradCheck.check(v -> Losses.gaussianNll(v.get(0), v.get(1), v.get(2)), List.of(Tensor.of(DType.F64, mu), Tensor.of(DType.F64, x), Tensor.of(DType.F64, new double[]{0.25, 1, 4, 0.5})),
                2, OPT, new Generator(6));
    }

    @Test
    void badInputsAreRejected() {
        Tensor a = Tensor.zeros(DType.F64, 2, 3), b = Tensor.zeros(DType.F64, 3, 2);
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.mse(a, b), "mse: target shape [3, 2] does not match input shape [2, 3]");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.mse(a, Tensor.zeros(DType.F32, 2, 3)), "mse: target dtype F32 does not match input dtype F64");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.mse(a, a, null), "mse: reduction must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.mse(null, a), "mse: input must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.bce(Tensor.of(DType.F64, new double[]{0.5, 1.5}), Tensor.of(DType.F64, new double[]{1, 0})),
                "bce: all elements of input must be probabilities in [0, 1]", "max 1.5");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.bce(Tensor.of(DType.F64, new double[]{Double.NaN}), Tensor.of(DType.F64, new double[]{1})), "bce: all elements");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.bceWithLogits(a, a, Tensor.zeros(DType.F64, 4), null, Reduction.MEAN),
                "bceWithLogits: weight of shape [4] does not broadcast to the input shape [2, 3]");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.bceWithLogits(a, b), "bceWithLogits: target shape");
        Tensor t = Tensor.of(NDArray.of(new long[]{0, 3}));
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.crossEntropy(a, t), "crossEntropy: target class 3 out of range [0, 3)");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.crossEntropy(a, Tensor.of(NDArray.of(new long[]{0, 1, 2}))),
                "crossEntropy: target of shape [3] does not match input of shape [2, 3] (expected [2])");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.crossEntropy(a, Tensor.of(NDArray.of(new boolean[]{true, false}))),
                "crossEntropy: target must be I64 class indices or floating probabilities, got BOOL");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.crossEntropy(a, Tensor.of(NDArray.of(new long[]{0, 1})), Tensor.zeros(DType.F64, 2), Reduction.MEAN),
                "crossEntropy: weight must be F64 of shape [3], got F64 [2]");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.scalar(DType.F64, 1), t), "crossEntropy: input must have a class dim");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.gaussianNll(a, a, Tensor.zeros(DType.F64, 3)),
                "gaussianNll: var of shape [3] does not fit input of shape [2, 3]");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.gaussianNll(a, a, Tensor.full(DType.F64, -1, 2, 3)), "gaussianNll: var has negative entries");
        assertThrowsWith(IllegalArgumentException.class, () -> Losses.gaussianNll(a, a, Tensor.ones(DType.F64, 2, 3), false, 0, Reduction.MEAN),
                "gaussianNll: eps must be finite and > 0, got 0.0");
    }
}
