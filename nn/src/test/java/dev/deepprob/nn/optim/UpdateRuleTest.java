package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pure update rules: each fused in-place optimiser (SGD, Adam, AdamW, RMSprop, every variant) against its rule
 * over many steps; a rule's state read back from the optimiser mid-run; the gradient through one and two unrolled
 * rule steps against finite differences.
 */
class UpdateRuleTest {
    /** Shapes with sizes below, at and above the vector widths (8 doubles, 16 floats at 512 bits), so both kernel loops run. */
    private static final int[][] SHAPES = {{3}, {4, 5}, {37}};
    private static final int STEPS = 40;

    private static List<Tensor> params(Generator g, DType t) {
        List<Tensor> ps = new ArrayList<>();
        for (int[] s : SHAPES) ps.add(Tensor.randn(g, DType.F64, s).to(t).detach().contiguous().requiresGrad(true));
        return ps;
    }

    /** Gradients that depend on the parameters (a quadratic bowl plus noise) and vary in scale, including exact zeros. */
    private static List<Tensor> grads(Generator g, List<Tensor> ps, int step) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : ps) {
            Tensor noise = Tensor.randn(g, DType.F64, p.dims()).to(p.dtype()).mul(step % 3 == 0 ? 10 : 0.1);
            Tensor gr = p.detach().mul(0.7).add(noise);
            if (step == 2) gr = Tensor.zerosLike(p);   // a zero gradient: √v and the moments' decay alone
            out.add(gr.detach().contiguous());
        }
        return out;
    }

    /**
     * Runs the fused optimiser and the rule from the same start with the same gradients; returns the largest
     * difference in ulps of the parameters over all steps (the rule also picks up the optimiser's state mid-run).
     */
    private static long maxUlps(Function<List<Tensor>, Optimizer> make, DType t) {
        Generator g = new Generator(17);
        List<Tensor> fused = params(g, t);
        List<Tensor> pure = new ArrayList<>();
        for (Tensor p : fused) pure.add(Tensor.of(p.data().copy()));
        Optimizer opt = make.apply(fused);
        UpdateRule rule = UpdateRule.of(opt);
        UpdateRule.State state = UpdateRule.stateOf(opt);
        assertEquals(UpdateRule.State.initial(), state);
        long worst = 0;
        Generator gg = new Generator(99);
        for (int s = 0; s < STEPS; s++) {
            List<Tensor> gr = grads(gg, fused, s);
            for (int i = 0; i < fused.size(); i++) fused.get(i).setGrad(gr.get(i));
            opt.step();
            UpdateRule.Step st;
            try (Autograd.Scope _ = Autograd.noGrad()) {
                st = rule.apply(pure, gr, state);
            }
            pure = st.params();
            state = st.state();
            if (s == STEPS / 2) {   // the rule's state read from the optimiser is the one the rule carried
                UpdateRule.State read = UpdateRule.stateOf(opt);
                assertEquals(state.buffers().keySet(), read.buffers().keySet());
                if (rule instanceof UpdateRule.Adam) assertEquals(state.step(), read.step());
                for (var e : read.buffers().entrySet())
                    for (int i = 0; i < fused.size(); i++) worst = Math.max(worst, ulps(e.getValue().get(i), state.buffer(e.getKey(), i)));
                state = read;
            }
            for (int i = 0; i < fused.size(); i++) worst = Math.max(worst, ulps(fused.get(i), pure.get(i)));
        }
        // the run did something
        assertTrue(Math.abs(fused.getFirst().toDoubleArray()[0] - params(new Generator(17), t).getFirst().toDoubleArray()[0]) > 1e-3);
        return worst;
    }

    private static long ulps(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        long worst = 0;
        boolean f32 = a.dtype() == DType.F32;
        for (int i = 0; i < x.length; i++) {
            long d = f32 ? Math.abs((long) Float.floatToIntBits((float) x[i]) - Float.floatToIntBits((float) y[i]))
                    : Math.abs(Double.doubleToLongBits(x[i]) - Double.doubleToLongBits(y[i]));
            worst = Math.max(worst, d);
        }
        return worst;
    }

    /** Every variant the fused optimisers support. */
    private static List<Function<List<Tensor>, Optimizer>> configurations() {
        return List.of(
                p -> new SGD(p, 0.05),
                p -> new SGD(p, 0.05, 0.9),
                p -> SGD.builder().lr(0.03).momentum(0.8).dampening(0.3).weightDecay(0.01).build(p),
                p -> SGD.builder().lr(0.03).momentum(0.9).nesterov(true).weightDecay(0.1).build(p),
                p -> new Adam(p, 0.01),
                p -> Adam.builder().lr(0.02).betas(0.5, 0.9).weightDecay(0.05).build(p),
                p -> Adam.builder().lr(0.02).betas(0.7, 0.99).eps(1e-6).amsgrad(true).build(p),
                p -> Adam.builder().lr(0.02).betas(0.3, 0.99).build(p),          // beta1 < 0.5: lerp's other branch
                p -> new AdamW(p, 0.01),
                p -> AdamW.builder().lr(0.05).weightDecay(0.1).amsgrad(true).build(p),
                p -> new RMSprop(p, 0.01),
                p -> RMSprop.builder().lr(0.01).alpha(0.9).weightDecay(0.02).momentum(0.5).build(p),
                p -> RMSprop.builder().lr(0.005).centered(true).build(p),
                p -> RMSprop.builder().lr(0.005).alpha(0.3).centered(true).momentum(0.9).eps(1e-5).build(p));
    }

    @Test
    void fusedOptimisersAreTheirRulesBitwiseInFloat64() {
        // the rule performs the kernel's correctly rounded operations in the kernel's order (no FMA on either side),
        // so the results are the same doubles: 0 ulps over 40 steps, not merely close
        for (var make : configurations()) {
            String name = make.apply(params(new Generator(1), DType.F64)).toString();
            assertEquals(0, maxUlps(make, DType.F64), () -> "F64 " + UpdateRule.of(make.apply(params(new Generator(1), DType.F64))) + " " + name);
        }
    }

    @Test
    void fusedOptimisersAreTheirRulesInFloat32() {
        // in F32 too the operations are the same float operations on the same float constants (the settings rounded
        // once to float on both sides), so again 0 ulps
        for (var make : configurations()) {
            assertEquals(0, maxUlps(make, DType.F32), () -> "F32 " + UpdateRule.of(make.apply(params(new Generator(1), DType.F32))));
        }
    }

    // ------------------------------------------------------------------ differentiable

    /**
     * The loss L(w) = Σ (θ₂ - c)² after two rule steps from θ₀ = w on the loss Σ w·x·θ + θ², whose gradient depends on
     * w: its derivative with respect to w, through both steps (createGraph), against central differences.
     */
    private static void unrolledGradientMatchesFiniteDifferences(UpdateRule rule, int steps) {
        Generator g = new Generator(3);
        Tensor w = Tensor.randn(g, DType.F64, 6).requiresGrad(true);
        Tensor x = Tensor.randn(g, DType.F64, 6), c = Tensor.randn(g, DType.F64, 6);
        Function<Tensor, Tensor> loss = ww -> {
            Tensor theta = ww.mul(1.5);
            UpdateRule.State st = UpdateRule.State.initial();
            for (int s = 0; s < steps; s++) {
                Tensor inner = ww.mul(x).mul(theta).add(theta.mul(theta).mul(0.5 + s)).sum();
                Tensor gr = Autograd.grad(List.of(inner), List.of(theta), null, true, true).getFirst();
                UpdateRule.Step next = rule.apply(List.of(theta), List.of(gr), st);
                theta = next.params().getFirst();
                st = next.state();
            }
            return theta.sub(c).square().sum();
        };
        double[] analytic = Autograd.grad(loss.apply(w), List.of(w), false).getFirst().toDoubleArray();
        double[] wv = w.toDoubleArray();
        double h = 1e-6, scale = 0;
        for (int i = 0; i < wv.length; i++) {
            double[] up = wv.clone(), down = wv.clone();
            up[i] += h;
            down[i] -= h;
            double num = (loss.apply(Tensor.of(DType.F64, up).requiresGrad(true)).item()
                    - loss.apply(Tensor.of(DType.F64, down).requiresGrad(true)).item()) / (2 * h);
            scale = Math.max(scale, Math.abs(num));
            // central differences of a smooth function: error O(h²·L''') ≈ 1e-12 plus rounding ≈ 1e-16/h = 1e-10
            assertEquals(num, analytic[i], 1e-7 * Math.max(1, Math.abs(num)), rule + " element " + i);
        }
        assertTrue(scale > 1e-3, "the gradient is not vacuous: " + scale);
    }

    @Test
    void unrolledRuleStepsAreDifferentiable() {
        unrolledGradientMatchesFiniteDifferences(UpdateRule.sgd(0.1), 1);
        unrolledGradientMatchesFiniteDifferences(new UpdateRule.Sgd(0.1, 0.9, 0, 0.01, true), 2);
        unrolledGradientMatchesFiniteDifferences(new UpdateRule.Adam(0.05, 0.5, 0.9, 1e-8, 0.01, false, false), 2);
        unrolledGradientMatchesFiniteDifferences(new UpdateRule.Adam(0.05, 0.5, 0.9, 1e-8, 0.1, true, true), 2);
        unrolledGradientMatchesFiniteDifferences(new UpdateRule.RMSprop(0.01, 0.9, 1e-8, 0, 0.5, true), 2);
    }

    @Test
    void aZeroSecondMomentSendsNoNaNBack() {
        // a coordinate whose gradient is 0 at every step has v = 0: √v is guarded, so its derivative is finite (0)
        Tensor w = Tensor.of(DType.F64, new double[]{1, 0}).requiresGrad(true);
        UpdateRule.Step s = UpdateRule.adam(0.1).apply(List.of(w.mul(2)), List.of(w.mul(w)), UpdateRule.State.initial());
        double[] gr = Autograd.grad(s.params().getFirst().sum(), List.of(w), false).getFirst().toDoubleArray();
        for (double d : gr) assertTrue(Double.isFinite(d), java.util.Arrays.toString(gr));
    }

    @Test
    void badInputSpeaks() {
        Tensor p = Tensor.zeros(DType.F64, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> UpdateRule.sgd(0.1).apply(List.of(p), List.of(), UpdateRule.State.initial()), "Sgd.apply: 1 parameters but 0 gradients");
        assertThrowsWith(IllegalArgumentException.class, () -> UpdateRule.adam(0.1).apply(List.of(p), List.of(Tensor.zeros(DType.F64, 2)), UpdateRule.State.initial()), "Adam.apply: gradient 0 is F64 [2], expected F64 [3] as its parameter");
        UpdateRule.State adamState = UpdateRule.adam(0.1).apply(List.of(p), List.of(p), UpdateRule.State.initial()).state();
        assertThrowsWith(IllegalArgumentException.class, () -> UpdateRule.sgd(0.1).apply(List.of(p), List.of(p), adamState), "Sgd.apply: the state holds 'exp_avg', which this rule does not keep (it keeps [])");
        assertThrowsWith(IllegalArgumentException.class, () -> new UpdateRule.Adam(0.1, 1, 0.9, 1e-8, 0, false, false), "UpdateRule.Adam: beta1 must be in [0, 1), got 1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> new UpdateRule.Sgd(0.1, 0, 0, 0, true), "SGD: Nesterov momentum requires momentum > 0 and dampening = 0");
        Tensor a = Tensor.zeros(DType.F64, 2).requiresGrad(true), b = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        SGD two = new SGD(List.of(a), 0.1);
        two.addParamGroup(List.of(b), 0.2);
        assertThrowsWith(IllegalArgumentException.class, () -> UpdateRule.of(two), "UpdateRule.of: the SGD optimizer's groups have different learning rates");
    }

    @Test
    void aRuleMakesItsOptimiserAndBack() {
        for (var make : configurations()) {
            UpdateRule r = UpdateRule.of(make.apply(params(new Generator(1), DType.F64)));
            assertEquals(r, UpdateRule.of(r.optimizer(params(new Generator(1), DType.F64))));
            assertEquals(0.123, r.withLr(0.123).lr());
        }
    }
}
