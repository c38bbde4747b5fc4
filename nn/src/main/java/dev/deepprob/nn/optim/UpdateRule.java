package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The optimisers' update rules written once as pure functions (θ, g, state) → (θ', state') in {@link Tensor}
 * operations, so that a step can be differentiated when it is unrolled (with grad mode on and inputs that require
 * grad, every operation is recorded), as the unrolled GAN needs. They are also the definition the fused in-place
 * optimisers of this package ({@link SGD}, {@link dev.deepprob.nn.optim.Adam}, {@link AdamW},
 * {@link dev.deepprob.nn.optim.RMSprop}) are tested against: each rule performs, element by element, the same
 * correctly rounded operations in the same order as the fused kernel, so the two agree bitwise on the CPU.
 *
 * <p>A rule holds its settings, including the learning rate; {@link #of(Optimizer)} and {@link #stateOf(Optimizer)}
 * read them and the state from a fused optimiser, and {@link #optimizer(Iterable)} makes the fused optimiser of a rule.
 * Nothing is modified in place: the inputs, and every state, are values.
 */
public sealed interface UpdateRule permits UpdateRule.Sgd, UpdateRule.Adam, UpdateRule.RMSprop {

    /**
     * The optimiser state of a list of parameters: the number of steps taken (Adam's bias correction counts it;
     * SGD and RMSprop ignore it) and, by torch's names ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq},
     * {@code max_exp_avg_sq}, {@code square_avg}, {@code grad_avg}), one tensor per parameter. Empty before the first
     * step. Immutable.
     */
    record State(int step, Map<String, List<Tensor>> buffers) {
        /** Copies the map and lists (the tensors are shared: they are never written). */
        public State {
            if (step < 0) throw new IllegalArgumentException("UpdateRule.State: step must be >= 0, got " + step);
            if (buffers == null) throw new IllegalArgumentException("UpdateRule.State: buffers must not be null");
            LinkedHashMap<String, List<Tensor>> copy = new LinkedHashMap<>();
            for (var e : buffers.entrySet()) copy.put(e.getKey(), List.copyOf(e.getValue()));
            buffers = Collections.unmodifiableMap(copy);
        }

        /** The state before the first step. */
        public static State initial() { return new State(0, Map.of()); }

        /** The buffer {@code name} of parameter i, or null when there is none yet. */
        public Tensor buffer(String name, int i) {
            List<Tensor> l = buffers.get(name);
            return l == null ? null : l.get(i);
        }
    }

    /** The result of one step: the new parameter values and the new state. */
    record Step(List<Tensor> params, State state) {
        /** Copies the list. */
        public Step {
            params = List.copyOf(params);
        }
    }

    /** The learning rate. */
    double lr();

    /** The same rule with another learning rate (a schedule changes it between steps). */
    UpdateRule withLr(double lr);

    /** The names of the per-parameter buffers this rule keeps with its settings (torch's names). */
    Set<String> bufferNames();

    /** The fused in-place optimiser with these settings, over {@code params}. */
    Optimizer optimizer(Iterable<Tensor> params);

    /**
     * One step of the rule for every parameter: θ_i' from θ_i and its gradient g_i, and the new state. Differentiable
     * in the parameters, gradients and state when grad mode is on.
     * @param params the current values (any tensors, leaves or not)
     * @param grads  their gradients, in the same order, of the same dtypes and shapes
     * @param state  the state from {@link State#initial()}, {@link #stateOf(Optimizer)} or a previous step
     */
    default Step apply(List<Tensor> params, List<Tensor> grads, State state) {
        String op = getClass().getSimpleName() + ".apply";
        check(op, params, grads, state, bufferNames());
        return step(op, params, grads, state);
    }

    /** The step itself, on checked operands. */
    Step step(String op, List<Tensor> params, List<Tensor> grads, State state);

    /** Plain gradient descent θ ← θ - lr·g. */
    static Sgd sgd(double lr) { return new Sgd(lr, 0, 0, 0, false); }

    /** Adam with PyTorch's defaults besides lr (betas 0.9, 0.999; eps 1e-8; no decay, no amsgrad). */
    static Adam adam(double lr) { return new Adam(lr, 0.9, 0.999, 1e-8, 0, false, false); }

    /** Adam with the given betas and eps (no decay, no amsgrad). */
    static Adam adam(double lr, double beta1, double beta2, double eps) { return new Adam(lr, beta1, beta2, eps, 0, false, false); }

    // ------------------------------------------------------------------ the rules

    /**
     * torch.optim.SGD: g ← ∇ + wd·θ; b ← g on the first step, else μ·b + (1 - τ)·g; g ← g + μ·b (Nesterov) or b;
     * θ ← θ - lr·g.
     */
    record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) implements UpdateRule {
        /** Checks the settings as {@link SGD} does. */
        public Sgd {
            Optimizer.checkLr("UpdateRule.Sgd", lr);
            SGD.Builder.nonNegative("momentum", momentum);
            SGD.Builder.nonNegative("dampening", dampening);
            SGD.Builder.nonNegative("weight_decay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException(
                    "SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum " + momentum + ", dampening " + dampening);
        }

        @Override
        public Sgd withLr(double lr) { return new Sgd(lr, momentum, dampening, weightDecay, nesterov); }

        @Override
        public Set<String> bufferNames() { return momentum != 0 ? Set.of("momentum_buffer") : Set.of(); }

        @Override
        public SGD optimizer(Iterable<Tensor> params) {
            return SGD.builder().lr(lr).momentum(momentum).dampening(dampening).weightDecay(weightDecay).nesterov(nesterov).build(params);
        }

        @Override
        public Step step(String op, List<Tensor> params, List<Tensor> grads, State state) {
            int n = params.size();
            List<Tensor> out = new ArrayList<>(n), bufs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Tensor p = params.get(i), g = grads.get(i);
                if (weightDecay != 0) g = g.add(p.mul(weightDecay));
                if (momentum != 0) {
                    Tensor b0 = state.buffer("momentum_buffer", i);
                    Tensor b = b0 == null ? g : b0.mul(momentum).add(g.mul(1 - dampening));
                    bufs.add(b);
                    g = nesterov ? g.add(b.mul(momentum)) : b;
                }
                out.add(p.add(g.mul(-lr)));
            }
            Map<String, List<Tensor>> st = momentum != 0 ? Map.of("momentum_buffer", bufs) : Map.of();
            return new Step(out, new State(state.step() + 1, st));
        }
    }

    /**
     * torch.optim.Adam and AdamW (Kingma and Ba 2015; Reddi et al. 2018; Loshchilov and Hutter 2019): θ ← θ(1 - lr·wd)
     * when {@code decoupled}, else g ← ∇ + wd·θ; m ← lerp(m, g, 1 - β₁); v ← β₂v + (1 - β₂)g²; v̂ = v or, with amsgrad,
     * max(v̂, v); θ ← θ - (lr / (1 - β₁ᵗ))·m / (√v̂ / √(1 - β₂ᵗ) + ε).
     */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean decoupled)
            implements UpdateRule {
        /** Checks the settings as {@link dev.deepprob.nn.optim.Adam} does. */
        public Adam {
            String name = decoupled ? "UpdateRule.AdamW" : "UpdateRule.Adam";
            Optimizer.checkLr(name, lr);
            AdamRule.checkBeta(name, 0, beta1);
            AdamRule.checkBeta(name, 1, beta2);
            AdamRule.checkNonNegative(name, "eps", eps);
            AdamRule.checkNonNegative(name, "weight_decay", weightDecay);
        }

        /** AdamW with PyTorch's defaults besides lr (weight decay 1e-2, decoupled). */
        public static Adam adamW(double lr) { return new Adam(lr, 0.9, 0.999, 1e-8, 1e-2, false, true); }

        @Override
        public Adam withLr(double lr) { return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled); }

        @Override
        public Set<String> bufferNames() {
            return amsgrad ? Set.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : Set.of("exp_avg", "exp_avg_sq");
        }

        @Override
        public AdamBase optimizer(Iterable<Tensor> params) {
            AdamBase.Builder<? extends AdamBase> b = decoupled ? AdamW.builder() : dev.deepprob.nn.optim.Adam.builder();
            return b.lr(lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay).amsgrad(amsgrad).build(params);
        }

        @Override
        public Step step(String op, List<Tensor> params, List<Tensor> grads, State state) {
            int n = params.size(), t = state.step() + 1;
            double stepSize = lr / (1 - Math.pow(beta1, t));
            double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
            double decay = 1 - lr * weightDecay;
            List<Tensor> out = new ArrayList<>(n), ms = new ArrayList<>(n), vs = new ArrayList<>(n), vmaxs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Tensor p = params.get(i), g = grads.get(i);
                if (decoupled && weightDecay != 0) p = p.mul(decay);
                if (!decoupled && weightDecay != 0) g = g.add(p.mul(weightDecay));
                Tensor m0 = state.buffer("exp_avg", i), v0 = state.buffer("exp_avg_sq", i);
                if (m0 == null) m0 = Tensor.zerosLike(p);
                if (v0 == null) v0 = Tensor.zerosLike(p);
                Tensor m = Rules.lerp(m0, g, 1 - beta1);
                Tensor v = v0.mul(beta2).add(g.mul(1 - beta2).mul(g));
                ms.add(m);
                vs.add(v);
                if (amsgrad) {
                    Tensor vm0 = state.buffer("max_exp_avg_sq", i);
                    v = vm0 == null ? v.maximum(Tensor.zerosLike(p)) : vm0.maximum(v);
                    vmaxs.add(v);
                }
                Tensor denom = Rules.sqrt(v).div(Tensor.scalar(p.dtype(), bc2Sqrt)).add(eps);
                out.add(p.add(m.mul(-stepSize).div(denom)));
            }
            Map<String, List<Tensor>> st = new LinkedHashMap<>();
            st.put("exp_avg", ms);
            st.put("exp_avg_sq", vs);
            if (amsgrad) st.put("max_exp_avg_sq", vmaxs);
            return new Step(out, new State(t, st));
        }
    }

    /**
     * torch.optim.RMSprop: g ← ∇ + wd·θ; s ← αs + (1 - α)g²; centered: ḡ ← lerp(ḡ, g, 1 - α), a = √(s - ḡ²) + ε,
     * else a = √s + ε; with momentum b ← μb + g / a and θ ← θ - lr·b, else θ ← θ - lr·g / a.
     */
    record RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) implements UpdateRule {
        /** Checks the settings as {@link dev.deepprob.nn.optim.RMSprop} does. */
        public RMSprop {
            Optimizer.checkLr("UpdateRule.RMSprop", lr);
            dev.deepprob.nn.optim.RMSprop.Builder.checkAlpha(alpha);
            AdamRule.checkNonNegative("RMSprop", "eps", eps);
            AdamRule.checkNonNegative("RMSprop", "weight_decay", weightDecay);
            AdamRule.checkNonNegative("RMSprop", "momentum", momentum);
        }

        @Override
        public RMSprop withLr(double lr) { return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered); }

        @Override
        public Set<String> bufferNames() {
            Set<String> s = new TreeSet<>();
            s.add("square_avg");
            if (centered) s.add("grad_avg");
            if (momentum > 0) s.add("momentum_buffer");
            return Set.copyOf(s);
        }

        @Override
        public dev.deepprob.nn.optim.RMSprop optimizer(Iterable<Tensor> params) {
            return dev.deepprob.nn.optim.RMSprop.builder().lr(lr).alpha(alpha).eps(eps).weightDecay(weightDecay).momentum(momentum)
                    .centered(centered).build(params);
        }

        @Override
        public Step step(String op, List<Tensor> params, List<Tensor> grads, State state) {
            int n = params.size();
            List<Tensor> out = new ArrayList<>(n), sqs = new ArrayList<>(n), gas = new ArrayList<>(n), bufs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Tensor p = params.get(i), g = grads.get(i);
                if (weightDecay != 0) g = g.add(p.mul(weightDecay));
                Tensor s0 = state.buffer("square_avg", i);
                if (s0 == null) s0 = Tensor.zerosLike(p);
                Tensor s = s0.mul(alpha).add(g.mul(1 - alpha).mul(g));
                sqs.add(s);
                Tensor avg;
                if (centered) {
                    Tensor ga0 = state.buffer("grad_avg", i);
                    Tensor ga = Rules.lerp(ga0 == null ? Tensor.zerosLike(p) : ga0, g, 1 - alpha);
                    gas.add(ga);
                    avg = Rules.sqrt(s.sub(ga.mul(ga)));
                } else {
                    avg = Rules.sqrt(s);
                }
                avg = avg.add(eps);
                if (momentum > 0) {
                    Tensor b0 = state.buffer("momentum_buffer", i);
                    Tensor b = (b0 == null ? Tensor.zerosLike(p) : b0).mul(momentum).add(g.div(avg));
                    bufs.add(b);
                    out.add(p.add(b.mul(-lr)));
                } else {
                    out.add(p.add(g.mul(-lr).div(avg)));
                }
            }
            Map<String, List<Tensor>> st = new LinkedHashMap<>();
            st.put("square_avg", sqs);
            if (centered) st.put("grad_avg", gas);
            if (momentum > 0) st.put("momentum_buffer", bufs);
            return new Step(out, new State(state.step() + 1, st));
        }
    }

    // ------------------------------------------------------------------ from and to the fused optimisers

    /**
     * The rule of a fused optimiser's settings (its first group's learning rate).
     * @throws IllegalArgumentException when its groups have different learning rates, or for an optimiser of another kind
     */
    static UpdateRule of(Optimizer o) {
        if (o == null) throw new IllegalArgumentException("UpdateRule.of: optimizer must not be null");
        double lr = o.lr();
        for (Optimizer.ParamGroup g : o.paramGroups()) if (g.lr() != lr) throw new IllegalArgumentException("UpdateRule.of: the "
                + o.name() + " optimizer's groups have different learning rates (" + lr + " and " + g.lr() + "); one rule has one");
        return switch (o) {
            case SGD s -> new Sgd(lr, s.momentum(), s.dampening(), s.weightDecay(), s.nesterov());
            case AdamBase a -> new Adam(lr, a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.amsgrad(), a instanceof AdamW);
            case dev.deepprob.nn.optim.RMSprop r -> new RMSprop(lr, r.alpha(), r.eps(), r.weightDecay(), r.momentum(), r.centered());
            default -> throw new IllegalArgumentException("UpdateRule.of: no pure rule for " + o.getClass().getSimpleName()
                    + " (expected SGD, Adam, AdamW or RMSprop)");
        };
    }

    /**
     * The state of a fused optimiser as a rule's state over its parameters (in group order): copies of its buffers as
     * constant tensors, and its step count (Adam's; 0 for the rules that do not count). Initial when no parameter has
     * state yet.
     * @throws IllegalArgumentException when some parameters have state and others not, or Adam's step counts differ
     */
    static State stateOf(Optimizer o) {
        if (o == null) throw new IllegalArgumentException("UpdateRule.stateOf: optimizer must not be null");
        int n = 0;
        for (Optimizer.ParamGroup g : o.paramGroups()) n += g.params().size();
        Map<String, NDArray> sd = o.stateDict();
        Set<String> names = of(o).bufferNames();
        Map<String, List<Tensor>> buffers = new LinkedHashMap<>();
        int step = -1, with = 0;
        for (int i = 0; i < n; i++) {
            NDArray s = sd.get("state." + i + ".step");
            boolean has = false;
            for (String name : names) {
                NDArray a = sd.get("state." + i + "." + name);
                if (a == null) continue;
                has = true;
                buffers.computeIfAbsent(name, k -> new ArrayList<>()).add(Tensor.of(a));
            }
            if (s != null) {
                has = true;
                int st = (int) s.toLongArray()[0];
                if (step >= 0 && st != step) throw new IllegalArgumentException("UpdateRule.stateOf: the " + o.name()
                        + " optimizer's parameters have taken different numbers of steps (" + step + " and " + st + ")");
                step = st;
            }
            if (has) with++;
        }
        if (with == 0) return State.initial();
        if (with != n) throw new IllegalArgumentException("UpdateRule.stateOf: " + with + " of the " + n + " parameters of the " + o.name()
                + " optimizer have state; a rule's state covers all or none");
        return new State(Math.max(step, 0), buffers);
    }

    private static void check(String op, List<Tensor> params, List<Tensor> grads, State state, Set<String> names) {
        if (params == null || grads == null || state == null) throw new IllegalArgumentException(op + ": params, grads and state must not be null");
        if (params.size() != grads.size()) throw new IllegalArgumentException(op + ": " + params.size() + " parameters but " + grads.size()
                + " gradients");
        for (var e : state.buffers().entrySet()) {
            if (!names.contains(e.getKey())) throw new IllegalArgumentException(op + ": the state holds '" + e.getKey()
                    + "', which this rule does not keep (it keeps " + new TreeSet<>(names) + ")");
            if (e.getValue().size() != params.size()) throw new IllegalArgumentException(op + ": the state's '" + e.getKey() + "' has "
                    + e.getValue().size() + " tensors for " + params.size() + " parameters");
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), g = grads.get(i);
            if (p == null || g == null) throw new IllegalArgumentException(op + ": parameter or gradient " + i + " is null");
            if (!p.dtype().isFloating()) throw new IllegalArgumentException(op + ": parameter " + i + " must be F32 or F64, got " + p.dtype());
            if (g.dtype() != p.dtype() || !Arrays.equals(g.dims(), p.dims())) throw new IllegalArgumentException(op + ": gradient " + i
                    + " is " + g.dtype() + " " + Shapes.str(g.dims()) + ", expected " + p.dtype() + " " + Shapes.str(p.dims())
                    + " as its parameter");
            for (var e : state.buffers().entrySet()) {
                Tensor b = e.getValue().get(i);
                if (b == null || b.dtype() != p.dtype() || !Arrays.equals(b.dims(), p.dims())) throw new IllegalArgumentException(op
                        + ": the state's '" + e.getKey() + "' of parameter " + i + " is " + (b == null ? "null" : b.dtype() + " "
                        + Shapes.str(b.dims())) + ", expected " + p.dtype() + " " + Shapes.str(p.dims()));
            }
        }
    }
}

/** The element-wise pieces the rules share, in the fused kernels' order of operations. */
final class Rules {
    private Rules() {}

    /** torch.lerp's two-sided form a + w(b - a) for |w| < 0.5, else b - (b - a)(1 - w), as the kernels compute it. */
    static Tensor lerp(Tensor a, Tensor b, double w) {
        Tensor d = b.sub(a);
        return Math.abs(w) < 0.5 ? a.add(d.mul(w)) : b.sub(d.mul(1 - w));
    }

    /**
     * √x; when x will be differentiated, entries at 0 get derivative 0 instead of ∞ (there the moments are 0 too, so
     * the update is 0, and an unguarded √ would send ∞·0 = NaN back). The values are √x either way.
     */
    static Tensor sqrt(Tensor x) {
        if (!x.requiresGrad()) return x.sqrt();
        NDArray pos = x.data().gt(0);
        return Tensor.where(pos, Tensor.where(pos, x, Tensor.scalar(x.dtype(), 1)).sqrt(), Tensor.scalar(x.dtype(), 0));
    }
}
