package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;

import java.util.ArrayList;
import java.util.List;

/** Gradient clipping (torch.nn.utils.clip_grad_norm_ and clip_grad_value_). */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@link #clipGradNorm(Iterable, double, double)} with the Euclidean norm. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) { return clipGradNorm(params, maxNorm, 2); }

    /**
     * Scales the gradients of params (those that have one) by min(1, maxNorm / (total + 1e-6)), where total is
     * the p-norm of all gradients together (the p-norm of the per-tensor p-norms; the largest |g| for p = ∞).
     * The scaled gradients replace the old ones (new tensors). A NaN or infinite total makes the gradients NaN,
     * as in PyTorch without {@code error_if_nonfinite}.
     * @param normType p > 0, or {@code Double.POSITIVE_INFINITY}
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        if (params == null) throw new IllegalArgumentException("clipGradNorm: params must not be null");
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be >= 0, got " + maxNorm);
        if (!(normType > 0)) throw new IllegalArgumentException("clipGradNorm: normType must be > 0 or infinity, got " + normType);
        List<Tensor> withGrad = new ArrayList<>();
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException("clipGradNorm: params contains null");
            if (p.grad() != null) withGrad.add(p);
        }
        if (withGrad.isEmpty()) return 0;
        boolean inf = normType == Double.POSITIVE_INFINITY;
        double acc = 0;
        for (Tensor p : withGrad) {
            double n = norm(p.grad().data(), normType);
            acc = inf ? (Double.isNaN(n) || Double.isNaN(acc) ? Double.NaN : Math.max(acc, n)) : acc + Math.pow(n, normType);
        }
        double total = inf ? acc : Math.pow(acc, 1 / normType);
        double coef = Math.min(maxNorm / (total + 1e-6), 1.0);
        if (Double.isNaN(total)) coef = Double.NaN;
        for (Tensor p : withGrad) p.setGrad(Tensor.of(p.grad().data().mul(coef)));
        return total;
    }

    /** The p-norm of one array, accumulated in double. */
    private static double norm(NDArray g, double p) {
        double[] x = g.toDoubleArray();
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (double v : x) {
                if (Double.isNaN(v)) return Double.NaN;
                m = Math.max(m, Math.abs(v));
            }
            return m;
        }
        double s = 0;
        if (p == 2) {
            for (double v : x) s += v * v;
            return Math.sqrt(s);
        }
        if (p == 1) {
            for (double v : x) s += Math.abs(v);
            return s;
        }
        for (double v : x) s += Math.pow(Math.abs(v), p);
        return Math.pow(s, 1 / p);
    }

    /**
     * Clamps every gradient element to [-clipValue, clipValue] (torch.nn.utils.clip_grad_value_).
     * @param clipValue >= 0
     */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        if (params == null) throw new IllegalArgumentException("clipGradValue: params must not be null");
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipGradValue: clipValue must be >= 0, got " + clipValue);
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException("clipGradValue: params contains null");
            if (p.grad() != null) p.setGrad(Tensor.of(p.grad().data().clamp(-clipValue, clipValue)));
        }
    }
}
