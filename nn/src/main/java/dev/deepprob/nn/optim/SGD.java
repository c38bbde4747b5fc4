package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Fused;
import dev.deepprob.engine.NDArray;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, by
 * torch.optim.SGD's rule: g ← ∇ + wd·θ; b ← g on the first step, else μ·b + (1 - τ)·g; g ← g + μ·b
 * (Nesterov) or b; θ ← θ - lr·g. F32 parameters are updated in float arithmetic, as PyTorch does.
 */
public final class SGD extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final Map<Tensor, NDArray> buffers = new IdentityHashMap<>();

    /** Plain SGD: θ ← θ - lr·∇. */
    public SGD(Iterable<Tensor> params, double lr) { this(params, lr, 0, 0, 0, false); }

    /** SGD with momentum μ (no dampening, no weight decay). */
    public SGD(Iterable<Tensor> params, double lr, double momentum) { this(params, lr, momentum, 0, 0, false); }

    private SGD(Iterable<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super("SGD", params, lr);
        check(momentum, dampening, weightDecay, nesterov);
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    private static void check(double momentum, double dampening, double weightDecay, boolean nesterov) {
        Builder.nonNegative("momentum", momentum);
        Builder.nonNegative("dampening", dampening);
        Builder.nonNegative("weight_decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException(
                "SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum " + momentum + ", dampening " + dampening);
    }

    /** A builder with PyTorch's defaults except lr, which must be set. */
    public static Builder builder() { return new Builder(); }

    /** The settings of an SGD optimiser; each setter rejects a bad value at once. */
    public static final class Builder {
        private double lr = Double.NaN, momentum, dampening, weightDecay;
        private boolean nesterov;

        private Builder() {}

        static void nonNegative(String what, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException("SGD: " + what + " must be >= 0, got " + v);
        }

        /** The learning rate (>= 0), required. */
        public Builder lr(double lr) {
            checkLr("SGD", lr);
            this.lr = lr;
            return this;
        }

        /** The momentum factor μ (>= 0; 0, the default, disables momentum). */
        public Builder momentum(double momentum) {
            nonNegative("momentum", momentum);
            this.momentum = momentum;
            return this;
        }

        /** The dampening τ of the momentum (>= 0, default 0). */
        public Builder dampening(double dampening) {
            nonNegative("dampening", dampening);
            this.dampening = dampening;
            return this;
        }

        /** L2 weight decay (>= 0, default 0), added to the gradient. */
        public Builder weightDecay(double weightDecay) {
            nonNegative("weight_decay", weightDecay);
            this.weightDecay = weightDecay;
            return this;
        }

        /** Nesterov momentum (needs momentum > 0 and dampening = 0). */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** The optimiser over the given parameters. */
        public SGD build(Iterable<Tensor> params) {
            if (Double.isNaN(lr)) throw new IllegalArgumentException("SGD: lr must be set (builder().lr(...))");
            return new SGD(params, lr, momentum, dampening, weightDecay, nesterov);
        }
    }

    /** The momentum factor. */
    public double momentum() { return momentum; }

    /** The dampening of the momentum. */
    public double dampening() { return dampening; }

    /** The L2 weight decay factor. */
    public double weightDecay() { return weightDecay; }

    /** Whether Nesterov momentum is used. */
    public boolean nesterov() { return nesterov; }

    @Override
    protected java.util.Set<String> stateNames() { return momentum != 0 ? java.util.Set.of("momentum_buffer") : java.util.Set.of(); }

    @Override
    protected Map<String, NDArray> parameterState(Tensor p) {
        NDArray buf = buffers.get(p);
        return buf == null ? Map.of() : Map.of("momentum_buffer", buf);
    }

    @Override
    protected void restoreParameterState(Tensor p, Map<String, NDArray> state) {
        if (state.isEmpty()) buffers.remove(p);
        else buffers.put(p, state.get("momentum_buffer"));
    }

    @Override
    protected void update(Tensor p, NDArray param, NDArray grad, double lr) {
        NDArray buf = null;
        boolean first = false;
        if (momentum != 0) {
            buf = buffers.get(p);
            if (buf == null) {
                buf = NDArray.zerosLike(param);
                buffers.put(p, buf);
                first = true;
            }
        }
        Fused.sgd(param, grad, buf, lr, momentum, dampening, weightDecay, nesterov, first);
    }
}
