package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.optim.Optimizer;
import dev.deepprob.prob.MultivariateNormal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The Laplace approximation of a posterior over a parameter vector w (MacKay 1992; Bishop, <i>Pattern Recognition
 * and Machine Learning</i>, 2006, section 4.4): the Gaussian N(w*, Λ⁻¹) centred at the mode w* of the log joint
 * log p(w, data), with precision Λ = -∇² log p(w, data) at w*. The mode is found by an {@code nn.optim} optimiser
 * on the negative log joint, by damped Newton steps, or both (the optimiser first, Newton to polish); the
 * precision comes from a supplied analytic function or from automatic differentiation's second-order gradients
 * ({@link Autograd#hessian}). Immutable; build with {@link #fit(Function, Tensor)} or {@link #atMode}.
 *
 * <pre>{@code
 * LaplaceApproximation post = LaplaceApproximation.fit(w -> logJoint(w), Tensor.zeros(DType.F64, 3))
 *         .optimizer(ps -> new Adam(ps, 0.05), 5000)
 *         .run();
 * MultivariateNormal q = post.posterior();
 * }</pre>
 */
public final class LaplaceApproximation {
    private static final String NAME = "LaplaceApproximation";
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /**
     * Where the precision at the mode came from: a caller's closed form or autograd's Hessian. Reported by
     * {@link #precisionSource()} so a caller can tell which of the two a fit used.
     */
    public enum PrecisionSource {
        /** A function the caller supplied (e.g. prior precision + Xᵀ diag(s(1-s)) X for logistic regression). */
        ANALYTIC,
        /** The negative Hessian of the log joint from automatic differentiation (one backward pass per coordinate). */
        AUTOGRAD
    }

    /** Told the objective (the negative log joint) after each optimiser or Newton step. */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param step             1-based count of all steps taken so far (optimiser steps, then Newton steps)
         * @param negativeLogJoint -log p(w, data) at the start of the step
         */
        void onStep(int step, double negativeLogJoint);
    }

    private final Tensor mode;          // (d), detached
    private final Tensor precision;     // (d, d), detached, symmetric
    private final Tensor cholesky;      // (d, d) lower, L Lᵀ = precision
    private final PrecisionSource source;
    private final double logJointAtMode;
    private final double gradientNorm;
    private final double[] history;
    private final int optimizerSteps, newtonSteps;

    private LaplaceApproximation(Tensor mode, Tensor precision, Tensor cholesky, PrecisionSource source, double logJointAtMode, double gradientNorm,
                    double[] history, int optimizerSteps, int newtonSteps) {
        this.mode = mode;
        this.precision = precision;
        this.cholesky = cholesky;
        this.source = source;
        this.logJointAtMode = logJointAtMode;
        this.gradientNorm = gradientNorm;
        this.history = history;
        this.optimizerSteps = optimizerSteps;
        this.newtonSteps = newtonSteps;
    }

    // ------------------------------------------------------------------ construction

    /**
     * Starts a fit: find the mode of {@code logJoint} from {@code init}, then take the precision there. Without
     * {@link Builder#optimizer} or {@link Builder#newton} the builder runs Newton steps (up to 100, gradient tolerance 1e-10
     * relative).
     * @param logJoint w (d) to the scalar log p(w, data), written in Tensor operations so that it can be differentiated twice
     * @param init     (d) the starting point, F32 or F64 (F64 recommended: Hessians lose half the digits of the dtype)
     */
    public static Builder fit(Function<Tensor, Tensor> logJoint, Tensor init) {
        if (logJoint == null) throw new IllegalArgumentException(NAME + ".fit: logJoint must not be null");
        checkVector("fit", "init", init);
        return new Builder(logJoint, init);
    }

    /** The approximation at a given mode with the precision from autograd's Hessian of the log joint. */
    public static LaplaceApproximation atMode(Function<Tensor, Tensor> logJoint, Tensor mode) { return atMode(logJoint, mode, null); }

    /**
     * The approximation at a given mode (not searched for) with the precision from {@code precisionAt}, or from
     * autograd when it is null.
     * @param precisionAt w (d) to -∇² log p(w, data) (d, d), or null
     */
    public static LaplaceApproximation atMode(Function<Tensor, Tensor> logJoint, Tensor mode, Function<Tensor, Tensor> precisionAt) {
        if (logJoint == null) throw new IllegalArgumentException(NAME + ".atMode: logJoint must not be null");
        checkVector("atMode", "mode", mode);
        return finish(logJoint, precisionAt, mode.detach(), new double[0], 0, 0);
    }

    /** The settings of a fit; each setter checks its value at once. */
    public static final class Builder {
        private final Function<Tensor, Tensor> logJoint;
        private final Tensor init;
        private Function<List<Tensor>, Optimizer> optimizerFactory;
        private int optimizerSteps;
        private boolean newton;
        private int newtonMaxSteps = 100;
        private double newtonTolerance = 1e-10;
        private Function<Tensor, Tensor> precisionAt;
        private StepListener listener;

        private Builder(Function<Tensor, Tensor> logJoint, Tensor init) {
            this.logJoint = logJoint;
            this.init = init;
        }

        /**
         * Find the mode by {@code steps} steps of an optimiser on -log p(w, data) (full batch).
         * @param factory makes the optimiser over the one-element list [w], e.g. {@code ps -> new Adam(ps, 0.05)}
         */
        public Builder optimizer(Function<List<Tensor>, Optimizer> factory, int steps) {
            if (factory == null) throw new IllegalArgumentException(NAME + ".optimizer: factory must not be null");
            if (steps < 1) throw new IllegalArgumentException(NAME + ".optimizer: steps must be >= 1, got " + steps);
            this.optimizerFactory = factory;
            this.optimizerSteps = steps;
            return this;
        }

        /**
         * Find (or, after an optimiser, polish) the mode by Newton steps w ← w + t Λ(w)⁻¹ ∇ log p(w), with t halved until
         * the log joint increases (Armijo condition), stopping when ‖∇ log p‖∞ ≤ tolerance·max(1, |log p|) or after
         * maxSteps. Λ(w) comes from the precision function or autograd, and must be positive definite along the way
         * (true for log-concave models such as logistic regression with a Gaussian prior).
         */
        public Builder newton(int maxSteps, double tolerance) {
            if (maxSteps < 1) throw new IllegalArgumentException(NAME + ".newton: maxSteps must be >= 1, got " + maxSteps);
            if (!(tolerance > 0) || !Double.isFinite(tolerance)) throw new IllegalArgumentException(NAME
                    + ".newton: tolerance must be finite and > 0, got " + tolerance);
            this.newton = true;
            this.newtonMaxSteps = maxSteps;
            this.newtonTolerance = tolerance;
            return this;
        }

        /**
         * The precision as an analytic function of w: -∇² log p(w, data), (d, d) symmetric. Without it the precision is
         * autograd's Hessian of the log joint.
         */
        public Builder precision(Function<Tensor, Tensor> precisionAt) {
            if (precisionAt == null) throw new IllegalArgumentException(NAME + ".precision: function must not be null");
            this.precisionAt = precisionAt;
            return this;
        }

        /** Called after each step with the objective. */
        public Builder listener(StepListener listener) {
            this.listener = listener;
            return this;
        }

        /** Runs the search and returns the approximation at the mode found. */
        public LaplaceApproximation run() {
            boolean useNewton = newton || optimizerFactory == null;
            List<Double> hist = new ArrayList<>();
            Tensor w = Tensor.of(init.data().copy()).requiresGrad(true);
            if (optimizerFactory != null) {
                Optimizer opt = optimizerFactory.apply(List.of(w));
                if (opt == null) throw new IllegalArgumentException(NAME + ".optimizer: the factory returned null");
                checkOptimizes(opt, w);
                for (int k = 0; k < optimizerSteps; k++) {
                    opt.zeroGrad();
                    Tensor loss = scalar("optimizer step " + (k + 1), logJoint.apply(w)).neg();
                    double l = loss.item();
                    if (!Double.isFinite(l)) throw new IllegalStateException(NAME + ": the negative log joint is " + l + " at optimiser step "
                            + (k + 1) + " (w = " + Arrays.toString(w.toDoubleArray()) + "); lower the learning rate or start elsewhere");
                    loss.backward();
                    opt.step();
                    hist.add(l);
                    if (listener != null) listener.onStep(hist.size(), l);
                }
            }
            Tensor at = w.detach();
            int nNewton = 0;
            if (useNewton) {
                NewtonResult nr = newtonSearch(logJoint, precisionAt, at, newtonMaxSteps, newtonTolerance, hist, listener);
                at = nr.w;
                nNewton = nr.steps;
            }
            double[] h = new double[hist.size()];
            for (int i = 0; i < h.length; i++) h[i] = hist.get(i);
            return finish(logJoint, precisionAt, at, h, optimizerFactory == null ? 0 : optimizerSteps, nNewton);
        }
    }

    private static void checkOptimizes(Optimizer opt, Tensor w) {
        for (Optimizer.ParamGroup g : opt.paramGroups()) for (Tensor p : g.params()) if (p == w) return;
        throw new IllegalArgumentException(NAME + ".optimizer: the optimiser the factory made does not update the parameter vector "
                + "it was given; build it over the list passed to the factory");
    }

    private record NewtonResult(Tensor w, int steps) {}

    private static NewtonResult newtonSearch(Function<Tensor, Tensor> logJoint, Function<Tensor, Tensor> precisionAt, Tensor w0, int maxSteps,
                                             double tol, List<Double> hist, StepListener listener) {
        Tensor w = w0;
        int steps = 0;
        for (int k = 0; k < maxSteps; k++) {
            ValueGrad vg = valueAndGradient(logJoint, w);
            if (!Double.isFinite(vg.value)) throw new IllegalStateException(NAME + ".newton: the log joint is " + vg.value + " at w = "
                    + Arrays.toString(w.toDoubleArray()));
            if (maxAbs(vg.grad) <= tol * Math.max(1, Math.abs(vg.value))) break;
            Tensor prec = precisionAt(logJoint, precisionAt, w, "newton");
            NDArray l = choleskyOrThrow(prec, "newton", "at w = " + Arrays.toString(w.toDoubleArray())
                    + " (Newton needs a log-concave neighbourhood: find the mode with an optimiser first)");
            NDArray g = vg.grad.data().reshape(vg.grad.numel(), 1);
            NDArray dir = l.mT().triangularSolve(l.triangularSolve(g, false, true, false), true, true, false).reshape(w.numel());
            double slope = g.reshape(g.size()).mul(dir).sum().item();       // ∇ log pᵀ Δ > 0
            double t = 1;
            Tensor next = null;
            for (int h = 0; h < 60; h++) {
                Tensor cand = Tensor.of(w.data().add(dir.mul(t)));
                double v;
                try (Autograd.Scope _ = Autograd.noGrad()) {
                    v = logJoint.apply(cand).item();
                }
                if (Double.isFinite(v) && v >= vg.value + 1e-4 * t * slope) {
                    next = cand;
                    break;
                }
                t *= 0.5;
            }
            steps++;
            hist.add(-vg.value);
            if (listener != null) listener.onStep(hist.size(), -vg.value);
            if (next == null) break;   // no ascent possible along the Newton direction: at the mode to rounding
            w = next;
        }
        return new NewtonResult(w, steps);
    }

    private record ValueGrad(double value, Tensor grad) {}

    private static ValueGrad valueAndGradient(Function<Tensor, Tensor> logJoint, Tensor at) {
        try (Autograd.Scope _ = Autograd.enableGrad()) {
            Tensor w = Tensor.of(at.data()).requiresGrad(true);
            Tensor lj = scalar("gradient", logJoint.apply(w));
            if (!lj.requiresGrad()) throw new IllegalArgumentException(NAME + ": the log joint does not depend on w "
                    + "(build it from the tensor passed in, in Tensor operations)");
            Tensor g = Autograd.grad(lj, List.of(w), false).getFirst().detach();
            return new ValueGrad(lj.item(), g);
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static LaplaceApproximation finish(Function<Tensor, Tensor> logJoint, Function<Tensor, Tensor> precisionAt, Tensor mode, double[] history,
                                  int optimizerSteps, int newtonSteps) {
        ValueGrad vg = valueAndGradient(logJoint, mode);
        if (!Double.isFinite(vg.value)) throw new IllegalStateException(NAME + ": the log joint at the mode is " + vg.value);
        Tensor prec = precisionAt(logJoint, precisionAt, mode, "precision");
        NDArray l = choleskyOrThrow(prec, "precision", "at the mode w = " + Arrays.toString(mode.toDoubleArray())
                + " (is the point a maximum of the log joint? gradient norm there " + Math.sqrt(vg.grad.square().sum().item()) + ")");
        double gn = Math.sqrt(vg.grad.square().sum().item());
        return new LaplaceApproximation(Tensor.of(mode.data().contiguous()), prec, Tensor.of(l), precisionAt == null ? PrecisionSource.AUTOGRAD
                : PrecisionSource.ANALYTIC, vg.value, gn, history, optimizerSteps, newtonSteps);
    }

    /** -∇² log p at w, from the function or from autograd, checked and symmetrised: (d, d), detached. */
    private static Tensor precisionAt(Function<Tensor, Tensor> logJoint, Function<Tensor, Tensor> precisionAt, Tensor w, String op) {
        int d = w.numel();
        Tensor p;
        if (precisionAt != null) {
            try (Autograd.Scope _ = Autograd.noGrad()) {
                p = precisionAt.apply(w.detach());
            }
            if (p == null) throw new IllegalArgumentException(NAME + "." + op + ": the precision function returned null");
            if (p.dim() != 2 || p.shape(0) != d || p.shape(1) != d) throw new IllegalArgumentException(NAME + "." + op
                    + ": the precision function must return a (" + d + ", " + d + ") matrix for w of shape " + Shapes.str(w.dims())
                    + ", got shape " + Shapes.str(p.dims()));
            if (p.dtype() != w.dtype()) throw new IllegalArgumentException(NAME + "." + op + ": the precision function must return "
                    + w.dtype() + " like w, got " + p.dtype());
            p = p.detach();
        } else {
            p = autogradPrecision(logJoint, w);
        }
        NDArray a = p.data();
        double[] v = a.toDoubleArray();
        double scale = 0;
        for (double x : v) {
            if (!Double.isFinite(x)) throw new IllegalArgumentException(NAME + "." + op + ": the precision (negative Hessian of the log joint) "
                    + "has a non-finite entry " + x + " at w = " + Arrays.toString(w.toDoubleArray()));
            scale = Math.max(scale, Math.abs(x));
        }
        double tol = (w.dtype() == DType.F64 ? 1e-8 : 1e-4) * Math.max(scale, 1e-300);
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (Math.abs(v[i * d + j] - v[j * d + i]) > tol) throw new IllegalArgumentException(NAME + "." + op
                        + ": the precision must be symmetric, got " + v[i * d + j] + " at [" + i + ", " + j + "] but " + v[j * d + i]
                        + " at [" + j + ", " + i + "]");
            }
        }
        // rounding in the two triangles differs by an ulp or so: use the symmetric part
        return Tensor.of(a.add(a.mT()).mul(0.5));
    }

    /**
     * The precision from automatic differentiation: -∇² log p(w, data) at w, (d, d), by {@link Autograd#hessian} (the
     * gradient recorded with createGraph, then one backward pass per coordinate). Not symmetrised.
     * @param logJoint w (d) to the scalar log p(w, data)
     * @param w        (d)
     */
    public static Tensor autogradPrecision(Function<Tensor, Tensor> logJoint, Tensor w) {
        if (logJoint == null) throw new IllegalArgumentException(NAME + ".autogradPrecision: logJoint must not be null");
        checkVector("autogradPrecision", "w", w);
        try (Autograd.Scope _ = Autograd.enableGrad()) {
            Tensor h = Autograd.hessian(v -> scalar("autogradPrecision", logJoint.apply(v)), w.detach());
            return h.detach().neg().contiguous().detach();
        }
    }

    private static NDArray choleskyOrThrow(Tensor prec, String op, String where) {
        try {
            return prec.data().cholesky();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + "." + op + ": the precision (negative Hessian of the log joint) is not positive definite "
                    + where + ": " + e.getMessage(), e);
        }
    }

    private static Tensor scalar(String op, Tensor y) {
        if (y == null) throw new IllegalArgumentException(NAME + " (" + op + "): the log joint returned null");
        if (y.numel() != 1) throw new IllegalArgumentException(NAME + " (" + op + "): the log joint must return a scalar, got shape "
                + Shapes.str(y.dims()) + " (sum the per-datum terms)");
        return y.dim() == 0 ? y : y.reshape();
    }

    private static void checkVector(String op, String what, Tensor t) {
        if (t == null) throw new IllegalArgumentException(NAME + "." + op + ": " + what + " must not be null");
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(NAME + "." + op + ": " + what + " must be F32 or F64, got " + t.dtype());
        if (t.dim() != 1 || t.numel() < 1) throw new IllegalArgumentException(NAME + "." + op + ": " + what
                + " must be a non-empty vector (d), got shape " + Shapes.str(t.dims()));
        for (double v : t.toDoubleArray()) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException(NAME + "." + op + ": " + what + " must be finite, got "
                    + Arrays.toString(t.toDoubleArray()));
        }
    }

    // ------------------------------------------------------------------ accessors

    /** The mode w* (d). */
    public Tensor mode() { return mode; }

    /** The precision Λ = -∇² log p(w, data) at the mode, symmetric positive definite (d, d). */
    public Tensor precision() { return precision; }

    /** The covariance Λ⁻¹, through the Cholesky factor of Λ (d, d). */
    public Tensor covariance() {
        NDArray l = cholesky.data();
        NDArray li = l.triangularSolve(NDArray.eye(l.dtype(), l.shape(0)), false, true, false);
        return Tensor.of(li.mT().matmul(li));
    }

    /** The lower Cholesky factor L of the precision, L Lᵀ = Λ (d, d). */
    public Tensor precisionCholesky() { return cholesky; }

    /** The posterior approximation N(w*, Λ⁻¹). */
    public MultivariateNormal posterior() { return MultivariateNormal.withPrecision(mode, precision); }

    /** The marginal standard deviations √diag(Λ⁻¹) (d). */
    public double[] marginalStd() {
        double[] c = covariance().toDoubleArray();
        int d = mode.numel();
        double[] s = new double[d];
        for (int i = 0; i < d; i++) s[i] = Math.sqrt(c[i * d + i]);
        return s;
    }

    /** Where the precision came from. */
    public PrecisionSource precisionSource() { return source; }

    /** log p(w*, data). */
    public double logJointAtMode() { return logJointAtMode; }

    /** ‖∇ log p(w, data)‖₂ at the mode: how close to stationary the search got. */
    public double gradientNormAtMode() { return gradientNorm; }

    /** The Laplace estimate of the log evidence: log p(w*, data) + d/2 log 2π - ½ log det Λ (Bishop eq. 4.135). */
    public double logEvidence() {
        double[] l = cholesky.toDoubleArray();
        int d = mode.numel();
        double half = 0;
        for (int i = 0; i < d; i++) half += Math.log(l[i * d + i]);
        return logJointAtMode + 0.5 * d * LOG_2PI - half;
    }

    /** The negative log joint at the start of each step of the search (optimiser steps, then Newton steps). */
    public double[] history() { return history.clone(); }

    /** The number of optimiser steps taken. */
    public int optimizerSteps() { return optimizerSteps; }

    /** The number of Newton steps taken. */
    public int newtonSteps() { return newtonSteps; }

    /** The dimension d. */
    public int dimension() { return mode.numel(); }

    @Override
    public String toString() {
        return "LaplaceApproximation(d = " + dimension() + ", mode " + Arrays.toString(mode.toDoubleArray()) + ", precision from " + source + ")";
    }
}
