package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Fused;
import dev.deepprob.engine.NDArray;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * RMSprop (Hinton's lecture 6e; centered variant from Graves 2013) as torch.optim.RMSprop: g ← ∇ + wd·θ;
 * s ← αs + (1 - α)g²; in the centered form ḡ ← lerp(ḡ, g, 1 - α) and a = √(s - ḡ²) + ε, else a = √s + ε;
 * with momentum b ← μb + g / a and θ ← θ - lr·b, else θ ← θ - lr·g / a. F32 parameters are updated in float
 * arithmetic.
 */
public final class RMSprop extends Optimizer {
    private final double alpha, eps, weightDecay, momentum;
    private final boolean centered;

    private static final class State {
        NDArray square, gradAvg, buf;
    }

    private final Map<Tensor, State> states = new IdentityHashMap<>();

    /** lr = 0.01 and PyTorch's other defaults (alpha 0.99, eps 1e-8, no decay, no momentum, not centered). */
    public RMSprop(Iterable<Tensor> params) { this(params, 0.01); }

    /** The given lr and PyTorch's other defaults. */
    public RMSprop(Iterable<Tensor> params, double lr) { this(params, lr, 0.99, 1e-8, 0, 0, false); }

    private RMSprop(Iterable<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        super("RMSprop", params, lr);
        Builder.checkAlpha(alpha);
        AdamRule.checkNonNegative("RMSprop", "eps", eps);
        AdamRule.checkNonNegative("RMSprop", "weight_decay", weightDecay);
        AdamRule.checkNonNegative("RMSprop", "momentum", momentum);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
    }

    /** A builder starting from PyTorch's defaults. */
    public static Builder builder() { return new Builder(); }

    /** The settings of RMSprop; each setter rejects a bad value at once. */
    public static final class Builder {
        private double lr = 0.01, alpha = 0.99, eps = 1e-8, weightDecay, momentum;
        private boolean centered;

        private Builder() {}

        static void checkAlpha(double alpha) {
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1], got " + alpha);
        }

        /** The learning rate (>= 0, default 0.01). */
        public Builder lr(double lr) {
            checkLr("RMSprop", lr);
            this.lr = lr;
            return this;
        }

        /** The smoothing constant of the squared-gradient average, in [0, 1] (default 0.99). */
        public Builder alpha(double alpha) {
            checkAlpha(alpha);
            this.alpha = alpha;
            return this;
        }

        /** The term added to the denominator (>= 0, default 1e-8). */
        public Builder eps(double eps) {
            AdamRule.checkNonNegative("RMSprop", "eps", eps);
            this.eps = eps;
            return this;
        }

        /** L2 weight decay (>= 0, default 0), added to the gradient. */
        public Builder weightDecay(double weightDecay) {
            AdamRule.checkNonNegative("RMSprop", "weight_decay", weightDecay);
            this.weightDecay = weightDecay;
            return this;
        }

        /** The momentum factor (>= 0, default 0). */
        public Builder momentum(double momentum) {
            AdamRule.checkNonNegative("RMSprop", "momentum", momentum);
            this.momentum = momentum;
            return this;
        }

        /** Whether to normalise by the estimated variance instead of the second moment (default false). */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /** The optimiser over the given parameters. */
        public RMSprop build(Iterable<Tensor> params) { return new RMSprop(params, lr, alpha, eps, weightDecay, momentum, centered); }
    }

    /** The smoothing constant. */
    public double alpha() { return alpha; }

    /** The term added to the denominator. */
    public double eps() { return eps; }

    /** The L2 weight decay factor. */
    public double weightDecay() { return weightDecay; }

    /** The momentum factor. */
    public double momentum() { return momentum; }

    /** Whether the centered variant is used. */
    public boolean centered() { return centered; }

    @Override
    protected java.util.Set<String> stateNames() {
        java.util.Set<String> n = new java.util.HashSet<>();
        n.add("square_avg");
        if (centered) n.add("grad_avg");
        if (momentum > 0) n.add("momentum_buffer");
        return java.util.Set.copyOf(n);
    }

    @Override
    protected Map<String, NDArray> parameterState(Tensor p) {
        State s = states.get(p);
        if (s == null) return Map.of();
        Map<String, NDArray> m = new java.util.LinkedHashMap<>();
        m.put("square_avg", s.square);
        if (centered) m.put("grad_avg", s.gradAvg);
        if (momentum > 0) m.put("momentum_buffer", s.buf);
        return m;
    }

    @Override
    protected void restoreParameterState(Tensor p, Map<String, NDArray> state) {
        if (state.isEmpty()) {
            states.remove(p);
            return;
        }
        State s = new State();
        s.square = state.get("square_avg");
        s.gradAvg = state.get("grad_avg");
        s.buf = state.get("momentum_buffer");
        states.put(p, s);
    }

    @Override
    protected void update(Tensor p, NDArray param, NDArray grad, double lr) {
        State s = states.get(p);
        if (s == null) {
            s = new State();
            s.square = NDArray.zerosLike(param);
            if (centered) s.gradAvg = NDArray.zerosLike(param);
            if (momentum > 0) s.buf = NDArray.zerosLike(param);
            states.put(p, s);
        }
        Fused.rmsprop(param, grad, s.square, centered ? s.gradAvg : null, momentum > 0 ? s.buf : null, lr, alpha, eps, weightDecay, momentum);
    }
}
