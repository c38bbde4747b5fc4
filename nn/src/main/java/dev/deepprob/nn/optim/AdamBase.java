package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;

import java.util.Map;
import java.util.Set;

/**
 * What {@link Adam} and {@link AdamW} share: the settings, their builder, the per-parameter state and the update
 * ({@code AdamRule}); the two differ only in how weight decay enters (added to the gradient, or decoupled) and in its
 * default.
 */
public abstract sealed class AdamBase extends Optimizer permits Adam, AdamW {
    private final AdamRule rule;

    AdamBase(String name, Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
             boolean amsgrad, boolean decoupled) {
        super(name, params, lr);
        this.rule = new AdamRule(name, beta1, beta2, eps, weightDecay, amsgrad, decoupled);
    }

    /** Makes an optimiser from a builder's settings. */
    interface Factory<O extends AdamBase> {
        O make(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad);
    }

    /** The settings of Adam or AdamW, starting from PyTorch's defaults; each setter rejects a bad value at once. */
    public static final class Builder<O extends AdamBase> {
        private final String name;
        private final Factory<O> factory;
        private double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;
        private boolean amsgrad;

        Builder(String name, double weightDecay, Factory<O> factory) {
            this.name = name;
            this.weightDecay = weightDecay;
            this.factory = factory;
        }

        /** The learning rate (>= 0, default 1e-3). */
        public Builder<O> lr(double lr) {
            checkLr(name, lr);
            this.lr = lr;
            return this;
        }

        /** The decay rates of the first and second moment estimates, each in [0, 1) (default 0.9, 0.999). */
        public Builder<O> betas(double beta1, double beta2) {
            AdamRule.checkBeta(name, 0, beta1);
            AdamRule.checkBeta(name, 1, beta2);
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** The term added to the denominator (>= 0, default 1e-8). */
        public Builder<O> eps(double eps) {
            AdamRule.checkNonNegative(name, "eps", eps);
            this.eps = eps;
            return this;
        }

        /**
         * The weight decay (>= 0): for Adam L2 regularisation added to the gradient (default 0), for AdamW decoupled,
         * θ ← θ·(1 - lr·wd) each step (default 1e-2).
         */
        public Builder<O> weightDecay(double weightDecay) {
            AdamRule.checkNonNegative(name, "weight_decay", weightDecay);
            this.weightDecay = weightDecay;
            return this;
        }

        /** Whether to use the AMSGrad variant (the running maximum of the second moment; default false). */
        public Builder<O> amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        /** The optimiser over the given parameters. */
        public O build(Iterable<Tensor> params) { return factory.make(params, lr, beta1, beta2, eps, weightDecay, amsgrad); }
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
    protected Set<String> stateNames() { return rule.stateNames(); }

    @Override
    protected Map<String, NDArray> parameterState(Tensor p) { return rule.state(p); }

    @Override
    protected void restoreParameterState(Tensor p, Map<String, NDArray> state) { rule.restore(p, state); }
}
