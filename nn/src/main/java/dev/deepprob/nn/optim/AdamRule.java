package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

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
            s.m = NDArray.zeros(param.dtype(), param.shape());
            s.v = NDArray.zeros(param.dtype(), param.shape());
            if (amsgrad) s.vmax = NDArray.zeros(param.dtype(), param.shape());
            states.put(p, s);
        }
        s.step++;
        double bc1 = 1 - Math.pow(beta1, s.step);
        double bc2 = 1 - Math.pow(beta2, s.step);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        double decay = decoupled ? 1 - lr * weightDecay : 1;
        int n = param.size();
        if (param.dtype() == DType.F32) {
            stepF32(param.f32Storage(), grad.f32Storage(), s.m.f32Storage(), s.v.f32Storage(), amsgrad ? s.vmax.f32Storage() : null,
                    n, stepSize, bc2Sqrt, decay);
        } else {
            stepF64(param.f64Storage(), grad.f64Storage(), s.m.f64Storage(), s.v.f64Storage(), amsgrad ? s.vmax.f64Storage() : null,
                    n, stepSize, bc2Sqrt, decay);
        }
    }

    /** torch.lerp's two-sided form, exact at both ends. */
    static float lerp(float a, float b, float w) { return Math.abs(w) < 0.5f ? a + w * (b - a) : b - (b - a) * (1 - w); }

    static double lerp(double a, double b, double w) { return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w); }

    private void stepF32(float[] p, float[] g, float[] m, float[] v, float[] vmax, int n, double stepSize, double bc2Sqrt, double decay) {
        float w1 = (float) (1 - beta1), b2 = (float) beta2, c2 = (float) (1 - beta2), wd = (float) weightDecay;
        float nss = (float) -stepSize, bsq = (float) bc2Sqrt, e = (float) eps, dec = (float) decay;
        boolean l2 = !decoupled && weightDecay != 0, dw = decoupled && weightDecay != 0;
        int i = vectorF32(p, g, m, v, vmax, n, w1, b2, c2, wd, nss, bsq, e, dec, l2, dw);
        scalarF32(p, g, m, v, vmax, i, n, w1, b2, c2, wd, nss, bsq, e, dec, l2, dw);
    }

    /*
     * The vector loops below compute exactly what the scalar loops compute, element by element and in the same order of
     * correctly rounded operations (no fused multiply-add; lerp's branch depends on the weight only), so an update is
     * bitwise the same whichever path an element takes. They return the first index left to the scalar loop.
     */

    static int vectorF32(float[] p, float[] g, float[] m, float[] v, float[] vmax, int n, float w1, float b2, float c2, float wd,
                         float nss, float bsq, float e, float dec, boolean l2, boolean dw) {
        VectorSpecies<Float> sp = FloatVector.SPECIES_PREFERRED;
        boolean near = Math.abs(w1) < 0.5f;
        FloatVector vw = FloatVector.broadcast(sp, near ? w1 : 1 - w1), vb2 = FloatVector.broadcast(sp, b2), vc2 = FloatVector.broadcast(sp, c2);
        FloatVector vwd = FloatVector.broadcast(sp, wd), vnss = FloatVector.broadcast(sp, nss), vbsq = FloatVector.broadcast(sp, bsq);
        FloatVector ve = FloatVector.broadcast(sp, e), vdec = FloatVector.broadcast(sp, dec);
        int i = 0;
        for (int bound = sp.loopBound(n); i < bound; i += sp.length()) {
            FloatVector pi = FloatVector.fromArray(sp, p, i), gi = FloatVector.fromArray(sp, g, i), mo = FloatVector.fromArray(sp, m, i);
            if (dw) pi = pi.mul(vdec);
            if (l2) gi = gi.add(vwd.mul(pi));
            FloatVector d = gi.sub(mo);
            FloatVector mi = near ? mo.add(vw.mul(d)) : gi.sub(d.mul(vw));
            FloatVector vi = FloatVector.fromArray(sp, v, i).mul(vb2).add(vc2.mul(gi).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vmax != null) {
                vi = FloatVector.fromArray(sp, vmax, i).max(vi);
                vi.intoArray(vmax, i);
            }
            pi.add(vnss.mul(mi).div(vi.sqrt().div(vbsq).add(ve))).intoArray(p, i);
        }
        return i;
    }

    static void scalarF32(float[] p, float[] g, float[] m, float[] v, float[] vmax, int from, int n, float w1, float b2, float c2,
                          float wd, float nss, float bsq, float e, float dec, boolean l2, boolean dw) {
        for (int i = from; i < n; i++) {
            float pi = p[i], gi = g[i];
            if (dw) pi = pi * dec;
            if (l2) gi = gi + wd * pi;
            float mi = lerp(m[i], gi, w1);
            float vi = v[i] * b2 + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bsq + e;
            p[i] = pi + nss * mi / denom;
        }
    }

    private void stepF64(double[] p, double[] g, double[] m, double[] v, double[] vmax, int n, double stepSize, double bc2Sqrt, double decay) {
        double w1 = 1 - beta1, b2 = beta2, c2 = 1 - beta2, wd = weightDecay, nss = -stepSize, e = eps;
        boolean l2 = !decoupled && weightDecay != 0, dw = decoupled && weightDecay != 0;
        int i = vectorF64(p, g, m, v, vmax, n, w1, b2, c2, wd, nss, bc2Sqrt, e, decay, l2, dw);
        scalarF64(p, g, m, v, vmax, i, n, w1, b2, c2, wd, nss, bc2Sqrt, e, decay, l2, dw);
    }

    static int vectorF64(double[] p, double[] g, double[] m, double[] v, double[] vmax, int n, double w1, double b2, double c2,
                         double wd, double nss, double bsq, double e, double dec, boolean l2, boolean dw) {
        VectorSpecies<Double> sp = DoubleVector.SPECIES_PREFERRED;
        boolean near = Math.abs(w1) < 0.5;
        DoubleVector vw = DoubleVector.broadcast(sp, near ? w1 : 1 - w1), vb2 = DoubleVector.broadcast(sp, b2), vc2 = DoubleVector.broadcast(sp, c2);
        DoubleVector vwd = DoubleVector.broadcast(sp, wd), vnss = DoubleVector.broadcast(sp, nss), vbsq = DoubleVector.broadcast(sp, bsq);
        DoubleVector ve = DoubleVector.broadcast(sp, e), vdec = DoubleVector.broadcast(sp, dec);
        int i = 0;
        for (int bound = sp.loopBound(n); i < bound; i += sp.length()) {
            DoubleVector pi = DoubleVector.fromArray(sp, p, i), gi = DoubleVector.fromArray(sp, g, i), mo = DoubleVector.fromArray(sp, m, i);
            if (dw) pi = pi.mul(vdec);
            if (l2) gi = gi.add(vwd.mul(pi));
            DoubleVector d = gi.sub(mo);
            DoubleVector mi = near ? mo.add(vw.mul(d)) : gi.sub(d.mul(vw));
            DoubleVector vi = DoubleVector.fromArray(sp, v, i).mul(vb2).add(vc2.mul(gi).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vmax != null) {
                vi = DoubleVector.fromArray(sp, vmax, i).max(vi);
                vi.intoArray(vmax, i);
            }
            pi.add(vnss.mul(mi).div(vi.sqrt().div(vbsq).add(ve))).intoArray(p, i);
        }
        return i;
    }

    static void scalarF64(double[] p, double[] g, double[] m, double[] v, double[] vmax, int from, int n, double w1, double b2,
                          double c2, double wd, double nss, double bsq, double e, double dec, boolean l2, boolean dw) {
        for (int i = from; i < n; i++) {
            double pi = p[i], gi = g[i];
            if (dw) pi = pi * dec;
            if (l2) gi = gi + wd * pi;
            double mi = lerp(m[i], gi, w1);
            double vi = v[i] * b2 + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            double denom = Math.sqrt(vi) / bsq + e;
            p[i] = pi + nss * mi / denom;
        }
    }
}
