package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Fused;
import dev.deepprob.engine.NDArray;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Adam update shared by {@link Adam} (L2 decay added to the gradient) and {@link AdamW} (decoupled decay
 * θ ← θ(1 - lr·wd)), as PyTorch's single-tensor implementation computes it: m ← lerp(m, g, 1 - β₁),
 * v ← β₂v + (1 - β₂)g², θ ← θ - (lr / (1 - β₁ᵗ))·m / (√v̂ / √(1 - β₂ᵗ) + ε), with v̂ = v or, with amsgrad,
 * the running maximum of v (Kingma and Ba 2015; Reddi et al. 2018; Loshchilov and Hutter 2019).
 */
final class AdamRule {
    final String name;
    final double beta1, beta2, eps, weightDecay;
    final boolean amsgrad, decoupled;

    private static final class State {
        int step;
        NDArray m, v, vmax;
    }

    private final Map<Tensor, State> states = new IdentityHashMap<>();

    AdamRule(String name, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean decoupled) {
        checkBeta(name, 0, beta1);
        checkBeta(name, 1, beta2);
        checkNonNegative(name, "eps", eps);
        checkNonNegative(name, "weight_decay", weightDecay);
        this.name = name;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    static void checkBeta(String name, int i, double b) {
        if (!(b >= 0 && b < 1)) throw new IllegalArgumentException(name + ": beta" + (i + 1) + " must be in [0, 1), got " + b);
    }

    static void checkNonNegative(String name, String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + ": " + what + " must be >= 0, got " + v);
    }

    /** torch's names of a parameter's Adam state. */
    Set<String> stateNames() {
        return amsgrad ? Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq") : Set.of("step", "exp_avg", "exp_avg_sq");
    }

    Map<String, NDArray> state(Tensor p) {
        State s = states.get(p);
        if (s == null) return Map.of();
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("step", NDArray.scalar(DType.I64, s.step));
        m.put("exp_avg", s.m);
        m.put("exp_avg_sq", s.v);
        if (amsgrad) m.put("max_exp_avg_sq", s.vmax);
        return m;
    }

    void restore(Tensor p, Map<String, NDArray> st) {
        if (st.isEmpty()) {
            states.remove(p);
            return;
        }
        State s = new State();
        long step = st.get("step").toLongArray()[0];
        if (step > Integer.MAX_VALUE) throw new IllegalArgumentException(name + ".loadStateDict: step " + step + " is too large");
        s.step = (int) step;
        s.m = st.get("exp_avg");
        s.v = st.get("exp_avg_sq");
        s.vmax = st.get("max_exp_avg_sq");
        states.put(p, s);
    }

    /** The number of steps taken for p (0 before its first update). */
    int steps(Tensor p) {
        State s = states.get(p);
        return s == null ? 0 : s.step;
    }

    void update(Tensor p, NDArray param, NDArray grad, double lr) {
        State s = states.get(p);
        if (s == null) {
            s = new State();
            s.m = NDArray.zerosLike(param);
            s.v = NDArray.zerosLike(param);
            if (amsgrad) s.vmax = NDArray.zerosLike(param);
            states.put(p, s);
        }
        s.step++;
        Fused.adam(param, grad, s.m, s.v, amsgrad ? s.vmax : null, s.step, lr, beta1, beta2, eps, weightDecay, decoupled);
    }
}
