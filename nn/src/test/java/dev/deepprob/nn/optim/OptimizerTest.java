package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Linear;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.nn.Asserts.assertClose;
import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each optimiser against steps computed here: literal numbers worked out by hand for the first steps, and the
 * textbook form of each rule (written independently of the fused kernels, in double) for the variants.
 */
class OptimizerTest {
    private static final double[] P0 = {1.0, -2.0, 0.5};
    /** The gradients of three steps, set directly so the expected values depend only on the rule. */
    private static final double[][] G = {{0.5, -1.0, 2.0}, {0.1, 0.3, -0.4}, {-0.2, 0.6, 1.0}};

    private static Tensor param(DType t) { return Tensor.of(DType.F64, P0).to(t).detach().contiguous().requiresGrad(true); }

    private static Tensor param(DType t, double... v) { return Tensor.of(DType.F64, v).to(t).detach().contiguous().requiresGrad(true); }

    /** Runs the given number of steps, setting gradient G[k] (plus nothing else) before each. */
    private static double[] run(Optimizer opt, Tensor p, int steps) {
        for (int k = 0; k < steps; k++) {
            p.setGrad(Tensor.of(DType.F64, G[k]).to(p.dtype()).detach());
            opt.step();
        }
        return p.toDoubleArray();
    }

    // ------------------------------------------------------------------ SGD

    @Test
    void sgdByHand() {
        Tensor p = param(DType.F64, 1, 2);
        SGD opt = new SGD(List.of(p), 0.1, 0.9);
        p.setGrad(Tensor.of(DType.F64, new double[]{1, -1}));
        opt.step();                                   // buf = g = [1, -1]; p = [0.9, 2.1]
        assertClose(new double[]{0.9, 2.1}, p.toDoubleArray(), 1e-15);
        p.setGrad(Tensor.of(DType.F64, new double[]{0.5, 0.5}));
        opt.step();                                   // buf = 0.9 buf + g = [1.4, -0.4]; p = [0.76, 2.14]
        assertClose(new double[]{0.76, 2.14}, p.toDoubleArray(), 1e-15);

        Tensor q = param(DType.F64, 1, 2);
        SGD nest = SGD.builder().lr(0.1).momentum(0.9).nesterov(true).build(List.of(q));
        q.setGrad(Tensor.of(DType.F64, new double[]{1, -1}));
        nest.step();                                  // g + 0.9 buf = [1.9, -1.9]; p = [0.81, 2.19]
        assertClose(new double[]{0.81, 2.19}, q.toDoubleArray(), 1e-15);
        q.setGrad(Tensor.of(DType.F64, new double[]{0.5, 0.5}));
        nest.step();                                  // buf = [1.4, -0.4]; g + 0.9 buf = [1.76, 0.14]; p = [0.634, 2.176]
        assertClose(new double[]{0.634, 2.176}, q.toDoubleArray(), 1e-15);
    }

    /** Textbook SGD with weight decay, momentum, dampening and Nesterov. */
    private static double[] sgdReference(double lr, double mu, double damp, double wd, boolean nesterov, int steps) {
        double[] p = P0.clone(), b = new double[p.length];
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < p.length; i++) {
                double g = G[k][i] + wd * p[i];
                if (mu != 0) {
                    b[i] = k == 0 ? g : mu * b[i] + (1 - damp) * g;
                    g = nesterov ? g + mu * b[i] : b[i];
                }
                p[i] -= lr * g;
            }
        }
        return p;
    }

    @Test
    void sgdVariantsFollowTheRule() {
        double[][] settings = {{0.1, 0, 0, 0, 0}, {0.1, 0.9, 0, 0, 0}, {0.05, 0.8, 0.3, 0, 0}, {0.1, 0.9, 0, 0.01, 0},
                {0.1, 0.9, 0, 0.1, 1}, {0.2, 0, 0, 0.5, 0}};
        for (double[] s : settings) {
            for (DType t : new DType[]{DType.F64, DType.F32}) {
                Tensor p = param(t);
                SGD opt = SGD.builder().lr(s[0]).momentum(s[1]).dampening(s[2]).weightDecay(s[3]).nesterov(s[4] == 1).build(List.of(p));
                assertClose(sgdReference(s[0], s[1], s[2], s[3], s[4] == 1, 3), run(opt, p, 3), t == DType.F64 ? 1e-14 : 1e-6);
            }
        }
    }

    // ------------------------------------------------------------------ Adam, AdamW

    @Test
    void adamByHand() {
        Tensor p = param(DType.F64, 1);
        Adam opt = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(DType.F64, new double[]{2}));
        opt.step();
        // m = 0.2, v = 0.004; m̂ = 2, √v̂ = 2: p = 1 - 0.1·2/(2 + 1e-8)
        assertEquals(1 - 0.1 * 2 / (2 + 1e-8), p.item(), 1e-15);
        p.setGrad(Tensor.of(DType.F64, new double[]{1}));
        opt.step();
        // m = 0.28, v = 0.004996; m̂ = 0.28/0.19, v̂ = 0.004996/0.001999
        double expected = 1 - 0.1 * 2 / (2 + 1e-8) - 0.1 * (0.28 / 0.19) / (Math.sqrt(0.004996 / 0.001999) + 1e-8);
        assertEquals(expected, p.item(), 1e-14);
        assertEquals(0.80678, p.item(), 1e-5);
        assertEquals(2, opt.steps(p));
    }

    /** Textbook Adam: bias-corrected moments, ε outside the root; decoupled decay first for AdamW. */
    private static double[] adamReference(double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean decoupled, int steps) {
        double[] p = P0.clone(), m = new double[3], v = new double[3], vmax = new double[3];
        for (int k = 0; k < steps; k++) {
            int t = k + 1;
            for (int i = 0; i < 3; i++) {
                double g = G[k][i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                vmax[i] = Math.max(vmax[i], v[i]);
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return p;
    }

    @Test
    void adamVariantsFollowTheRule() {
        // lr, beta1, beta2, eps, weight decay, amsgrad
        double[][] settings = {{1e-3, 0.9, 0.999, 1e-8, 0, 0}, {0.1, 0.9, 0.999, 1e-8, 0, 0}, {0.1, 0.5, 0.9, 1e-3, 0, 0},
                {0.1, 0.9, 0.999, 1e-8, 0.1, 0}, {0.1, 0.9, 0.99, 1e-8, 0, 1}, {0.05, 0.8, 0.9, 1e-6, 0.2, 1}, {0.1, 0, 0.5, 0.1, 0, 0}};
        for (double[] s : settings) {
            for (DType t : new DType[]{DType.F64, DType.F32}) {
                double tol = t == DType.F64 ? 1e-13 : 2e-6;
                Tensor p = param(t);
                Adam adam = Adam.builder().lr(s[0]).betas(s[1], s[2]).eps(s[3]).weightDecay(s[4]).amsgrad(s[5] == 1).build(List.of(p));
                assertClose(adamReference(s[0], s[1], s[2], s[3], s[4], s[5] == 1, false, 3), run(adam, p, 3), tol);
                Tensor q = param(t);
                AdamW adamw = AdamW.builder().lr(s[0]).betas(s[1], s[2]).eps(s[3]).weightDecay(s[4]).amsgrad(s[5] == 1).build(List.of(q));
                assertClose(adamReference(s[0], s[1], s[2], s[3], s[4], s[5] == 1, true, 3), run(adamw, q, 3), tol);
            }
        }
    }

    @Test
    void amsgradUsesTheRunningMaximum() {
        // β₁ = 0, β₂ = 0.5: a large gradient then a small one makes v fall from 50 to 25.005 while its maximum
        // stays 50, so AMSGrad's second step is the smaller one
        Tensor a = param(DType.F64, 0), b = param(DType.F64, 0);
        Adam plain = Adam.builder().lr(0.1).betas(0.0, 0.5).build(List.of(a));
        Adam ams = Adam.builder().lr(0.1).betas(0.0, 0.5).amsgrad(true).build(List.of(b));
        double[] pa = new double[2], pb = new double[2];
        double[] grads = {10, 0.1};
        for (int k = 0; k < 2; k++) {
            a.setGrad(Tensor.of(DType.F64, new double[]{grads[k]}));
            b.setGrad(Tensor.of(DType.F64, new double[]{grads[k]}));
            plain.step();
            ams.step();
            pa[k] = a.item();
            pb[k] = b.item();
        }
        assertEquals(pa[0], pb[0], 1e-15);
        // second step: -lr·m / (√(v / (1 - 0.25)) + ε) with v = 25.005 (plain) or 50 (AMSGrad)
        assertEquals(-0.1 * 0.1 / (Math.sqrt(25.005 / 0.75) + 1e-8), pa[1] - pa[0], 1e-15);
        assertEquals(-0.1 * 0.1 / (Math.sqrt(50 / 0.75) + 1e-8), pb[1] - pb[0], 1e-15);
    }

    @Test
    void adamWDecaysTheWeightsEvenWithZeroGradient() {
        Tensor p = param(DType.F64, 2);
        AdamW opt = AdamW.builder().lr(0.1).weightDecay(0.5).build(List.of(p));
        p.setGrad(Tensor.of(DType.F64, new double[]{0}));
        opt.step();
        assertEquals(2 * (1 - 0.1 * 0.5), p.item(), 1e-15);            // m = 0: only the decay moves p
        assertEquals(0.01, new AdamW(List.of(param(DType.F64, 1))).weightDecay());
    }

    // ------------------------------------------------------------------ RMSprop

    @Test
    void rmspropByHand() {
        Tensor p = param(DType.F64, 1);
        RMSprop opt = new RMSprop(List.of(p), 0.01);
        p.setGrad(Tensor.of(DType.F64, new double[]{2}));
        opt.step();
        // s = 0.01·4 = 0.04; p = 1 - 0.01·2/(0.2 + 1e-8)
        assertEquals(1 - 0.01 * 2 / (0.2 + 1e-8), p.item(), 1e-15);
    }

    /** Textbook RMSprop with weight decay, centering and momentum. */
    private static double[] rmspropReference(double lr, double alpha, double eps, double wd, double mu, boolean centered, int steps) {
        double[] p = P0.clone(), s = new double[3], ga = new double[3], b = new double[3];
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < 3; i++) {
                double g = G[k][i] + wd * p[i];
                s[i] = alpha * s[i] + (1 - alpha) * g * g;
                double var = s[i];
                if (centered) {
                    ga[i] = alpha * ga[i] + (1 - alpha) * g;
                    var -= ga[i] * ga[i];
                }
                double a = Math.sqrt(var) + eps;
                if (mu > 0) {
                    b[i] = mu * b[i] + g / a;
                    p[i] -= lr * b[i];
                } else {
                    p[i] -= lr * g / a;
                }
            }
        }
        return p;
    }

    @Test
    void rmspropVariantsFollowTheRule() {
        // lr, alpha, eps, weight decay, momentum, centered
        double[][] settings = {{0.01, 0.99, 1e-8, 0, 0, 0}, {0.01, 0.9, 1e-8, 0, 0, 1}, {0.01, 0.9, 1e-6, 0, 0.9, 0},
                {0.02, 0.8, 1e-8, 0.1, 0.5, 1}, {0.01, 0.5, 1e-8, 0.05, 0, 0}};
        for (double[] s : settings) {
            for (DType t : new DType[]{DType.F64, DType.F32}) {
                Tensor p = param(t);
                RMSprop opt = RMSprop.builder().lr(s[0]).alpha(s[1]).eps(s[2]).weightDecay(s[3]).momentum(s[4]).centered(s[5] == 1).build(List.of(p));
                assertClose(rmspropReference(s[0], s[1], s[2], s[3], s[4], s[5] == 1, 3), run(opt, p, 3), t == DType.F64 ? 1e-13 : 2e-6);
            }
        }
    }

    // ------------------------------------------------------------------ the base class

    @Test
    void parametersWithoutGradientsAreSkippedAndStateIsPerParameter() {
        Tensor a = param(DType.F64), b = param(DType.F64);
        Adam opt = new Adam(List.of(a, b), 0.1);
        a.setGrad(Tensor.of(DType.F64, G[0]));
        opt.step();
        assertArrayEquals(P0, b.toDoubleArray());
        assertEquals(1, opt.steps(a));
        assertEquals(0, opt.steps(b));
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void paramGroupsHaveTheirOwnLearningRates() {
        Tensor a = param(DType.F64), b = param(DType.F64);
        SGD opt = new SGD(List.of(a), 0.1);
        opt.addParamGroup(List.of(b), 0.01);
        a.setGrad(Tensor.of(DType.F64, new double[]{1, 1, 1}));
        b.setGrad(Tensor.of(DType.F64, new double[]{1, 1, 1}));
        opt.step();
        assertClose(new double[]{0.9, -2.1, 0.4}, a.toDoubleArray(), 1e-15);
        assertClose(new double[]{0.99, -2.01, 0.49}, b.toDoubleArray(), 1e-15);
        opt.setLr(0.5);
        assertEquals(0.5, opt.paramGroups().get(1).lr());
        assertEquals(0.1, opt.paramGroups().get(0).initialLr());
    }

    @Test
    void stepBumpsTheVersionAndWorksOnRealGradients() {
        Linear l = new Linear(3, 2, true, DType.F32, new Generator(1));
        SGD opt = new SGD(l.parameters(), 0.1);
        Tensor x = Tensor.randn(new Generator(2), 4, 3);
        l.forward(x).square().sum().backward();                 // the weight gradient is a transposed view
        float[] w0 = l.weight().data().toFloatArray(), g = l.weight().grad().toFloatArray();
        Tensor kept = l.forward(x).sum();                       // saves the weight
        opt.step();
        float[] w1 = l.weight().data().toFloatArray();
        for (int i = 0; i < w0.length; i++) assertEquals(w0[i] - 0.1f * g[i], w1[i], 1e-6);
        assertThrows(IllegalStateException.class, kept::backward, "a graph saved before the step must refuse to backward");
    }

    @Test
    void badInputIsRejected() {
        Tensor p = param(DType.F64);
        assertThrowsWith(IllegalArgumentException.class, () -> new Adam(List.of(p), -1), "Adam: lr must be >= 0, got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> new SGD(List.of(p), Double.NaN), "SGD: lr must be >= 0, got NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1, -0.5), "SGD: momentum must be >= 0, got -0.5");
        assertThrowsWith(IllegalArgumentException.class, () -> SGD.builder().lr(0.1).nesterov(true).build(List.of(p)),
                "SGD: Nesterov momentum requires momentum > 0 and dampening = 0");
        assertThrowsWith(IllegalArgumentException.class, () -> SGD.builder().lr(0.1).momentum(0.9).dampening(0.1).nesterov(true).build(List.of(p)),
                "SGD: Nesterov momentum requires");
        assertThrowsWith(IllegalArgumentException.class, () -> SGD.builder().build(List.of(p)), "SGD: lr must be set");
        assertThrowsWith(IllegalArgumentException.class, () -> SGD.builder().weightDecay(-1), "SGD: weight_decay must be >= 0, got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Adam.builder().betas(1.0, 0.999), "Adam: beta1 must be in [0, 1), got 1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> AdamW.builder().betas(0.9, -0.1), "AdamW: beta2 must be in [0, 1), got -0.1");
        assertThrowsWith(IllegalArgumentException.class, () -> Adam.builder().eps(-1e-8), "Adam: eps must be >= 0, got -1.0E-8");
        assertThrowsWith(IllegalArgumentException.class, () -> AdamW.builder().weightDecay(-0.1), "AdamW: weight_decay must be >= 0, got -0.1");
        assertThrowsWith(IllegalArgumentException.class, () -> AdamW.builder().lr(-0.1), "AdamW: lr must be >= 0, got -0.1");
        assertThrowsWith(IllegalArgumentException.class, () -> RMSprop.builder().alpha(1.5), "RMSprop: alpha must be in [0, 1], got 1.5");
        assertThrowsWith(IllegalArgumentException.class, () -> RMSprop.builder().momentum(-1), "RMSprop: momentum must be >= 0, got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> RMSprop.builder().eps(Double.NaN), "RMSprop: eps must be >= 0, got NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> new RMSprop(List.of(p), -0.01), "RMSprop: lr must be >= 0, got -0.01");
        assertThrowsWith(IllegalArgumentException.class, () -> new Adam(List.of()), "Adam: got an empty parameter list");
        assertThrowsWith(IllegalArgumentException.class, () -> new Adam(null), "Adam: params must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> new Adam(List.of(p, p)), "Adam: parameter 1 appears twice");
        assertThrowsWith(IllegalArgumentException.class, () -> new Adam(List.of(Tensor.zeros(3))), "Adam: parameter 0 (shape [3]) does not require grad");
        assertThrowsWith(IllegalArgumentException.class, () -> new Adam(List.of(p.mul(2.0))), "Adam: parameter 0 is not a leaf");
        Tensor view = Tensor.zeros(DType.F64, 3, 3).t().requiresGrad(true);
        assertThrowsWith(IllegalArgumentException.class, () -> new SGD(List.of(view), 0.1), "SGD: parameter 0 (shape [3, 3]) is a view");
        SGD opt = new SGD(List.of(p), 0.1);
        assertThrowsWith(IllegalArgumentException.class, () -> opt.addParamGroup(List.of(p), 0.1), "SGD.addParamGroup: parameter 0 is already in another parameter group");
        assertThrowsWith(IllegalArgumentException.class, () -> opt.setLr(-2), "SGD.setLr: lr must be >= 0, got -2.0");
    }
}
