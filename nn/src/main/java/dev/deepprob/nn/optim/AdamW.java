package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;

/**
 * AdamW (Loshchilov and Hutter 2019) as torch.optim.AdamW: Adam with decoupled weight decay, θ ← θ·(1 - lr·wd)
 * before the Adam step; default weight decay 1e-2.
 * Bias-corrected moments; ε is added after the square root of the corrected second moment, as PyTorch does;
 * optional AMSGrad. F32 parameters are updated in float arithmetic. See {@code AdamRule} for the update.
 */
public final class AdamW extends Optimizer {
    private final AdamRule rule;

    /** lr = 1e-3 and PyTorch's other defaults (betas 0.9, 0.999; eps 1e-8; weight decay 1e-2). */
    public AdamW(Iterable<Tensor> params) { this(params, 1e-3); }

    /** The given lr and PyTorch's other defaults. */
    public AdamW(Iterable<Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false); }

    private AdamW(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super("AdamW", params, lr);
        this.rule = new AdamRule("AdamW", beta1, beta2, eps, weightDecay, amsgrad, true);
    }

    /** A builder starting from PyTorch's defaults. */
    public static Builder builder() { return new Builder(); }

    /** The settings of AdamW; each setter rejects a bad value at once. */
    public static final class Builder {
        private double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 1e-2;
        private boolean amsgrad;

        private Builder() {}

        /** The learning rate (>= 0, default 1e-3). */
        public Builder lr(double lr) {
            checkLr("AdamW", lr);
            this.lr = lr;
            return this;
        }

        /** The decay rates of the first and second moment estimates, each in [0, 1) (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) {
            AdamRule.checkBeta("AdamW", 0, beta1);
            AdamRule.checkBeta("AdamW", 1, beta2);
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** The term added to the denominator (>= 0, default 1e-8). */
        public Builder eps(double eps) {
            AdamRule.checkNonNegative("AdamW", "eps", eps);
            this.eps = eps;
            return this;
        }

        /** Decoupled weight decay (>= 0, default 1e-2): θ ← θ·(1 - lr·wd) each step. */
        public Builder weightDecay(double weightDecay) {
            AdamRule.checkNonNegative("AdamW", "weight_decay", weightDecay);
            this.weightDecay = weightDecay;
            return this;
        }

        /** Whether to use the AMSGrad variant (the running maximum of the second moment; default false). */
        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        /** The optimiser over the given parameters. */
        public AdamW build(Iterable<Tensor> params) { return new AdamW(params, lr, beta1, beta2, eps, weightDecay, amsgrad); }
    }

    /** The decay rate of the first moment. */
    public double beta1() { return rule.beta1; }

    /** The decay rate of the second moment. */
    public double beta2() { return rule.beta2; }

    /** The term added to the denominator. */
    public double eps() { return rule.eps; }

    /** The weight decay factor. */
    public double weightDecay() { return rule.weightDecay; }

    /** Whether the AMSGrad variant is used. */
    public boolean amsgrad() { return rule.amsgrad; }

    /** The number of updates applied to p so far (its bias-correction step). */
    public int steps(Tensor p) { return rule.steps(p); }

    @Override
    protected void update(Tensor p, NDArray param, NDArray grad, double lr) { rule.update(p, param, grad, lr); }

    @Override
    protected java.util.Set<String> stateNames() { return rule.stateNames(); }

    @Override
    protected java.util.Map<String, NDArray> parameterState(Tensor p) { return rule.state(p); }

    @Override
    protected void restoreParameterState(Tensor p, java.util.Map<String, NDArray> state) { rule.restore(p, state); }
}
