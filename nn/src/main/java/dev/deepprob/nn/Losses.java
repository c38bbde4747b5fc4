package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * Loss functions with PyTorch's definitions and {@link Reduction}s (MEAN by default). Each is composed of
 * autograd operations, chosen for stability (the formulas, not hand-written gradients, keep them finite), so
 * second derivatives work. Inputs and targets must have the same shape and floating dtype unless stated.
 */
public final class Losses {
    private Losses() {}

    private static void floating(String op, String what, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": " + what + " must not be null");
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": " + what + " must be F32 or F64, got " + t.dtype());
    }

    private static void sameAs(String op, Tensor input, String what, Tensor t) {
        floating(op, what, t);
        if (t.dtype() != input.dtype()) throw new IllegalArgumentException(op + ": " + what + " dtype " + t.dtype()
                + " does not match input dtype " + input.dtype());
        if (!Arrays.equals(t.dims(), input.dims())) throw new IllegalArgumentException(op + ": " + what + " shape "
                + Shapes.str(t.dims()) + " does not match input shape " + Shapes.str(input.dims()));
    }

    private static void broadcastableTo(String op, Tensor input, String what, Tensor t) {
        floating(op, what, t);
        if (t.dtype() != input.dtype()) throw new IllegalArgumentException(op + ": " + what + " dtype " + t.dtype()
                + " does not match input dtype " + input.dtype());
        int[] s;
        try {
            s = Shapes.broadcast(op, input.dims(), t.dims());
        } catch (IllegalArgumentException e) {
            s = null;
        }
        if (s == null || !Arrays.equals(s, input.dims())) throw new IllegalArgumentException(op + ": " + what + " of shape " + Shapes.str(t.dims())
                + " does not broadcast to the input shape " + Shapes.str(input.dims()));
    }

    private static Tensor reduce(String op, Tensor loss, Reduction r) {
        if (r == null) throw new IllegalArgumentException(op + ": reduction must not be null");
        return switch (r) {
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case NONE -> loss;
        };
    }

    // ------------------------------------------------------------------ regression

    /** Mean squared error (x - y)², averaged. */
    public static Tensor mse(Tensor input, Tensor target) { return mse(input, target, Reduction.MEAN); }

    /**
     * Squared error (x - y)² (torch.nn.MSELoss).
     * @param input  any shape
     * @param target the input's shape and dtype
     */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        floating("mse", "input", input);
        sameAs("mse", input, "target", target);
        Tensor d = input.sub(target);
        return reduce("mse", d.mul(d), reduction);
    }

    /** Gaussian negative log-likelihood with eps = 1e-6, without the constant, averaged. */
    public static Tensor gaussianNll(Tensor input, Tensor target, Tensor var) {
        return gaussianNll(input, target, var, false, 1e-6, Reduction.MEAN);
    }

    /**
     * PyTorch's GaussianNLLLoss: ½(log max(var, eps) + (x - μ)² / max(var, eps)), plus ½ log 2π when
     * {@code full}. As there, the clamp to eps is invisible to autograd (the gradient passes to var as if
     * unclamped), and var may omit the last dim or have size 1 there (one variance for all of it).
     * @param input  the mean μ, any shape
     * @param target the observation, the input's shape
     * @param var    the variance (>= 0): the input's shape, or it without the last dim, or with last dim 1
     */
    public static Tensor gaussianNll(Tensor input, Tensor target, Tensor var, boolean full, double eps, Reduction reduction) {
        floating("gaussianNll", "input", input);
        sameAs("gaussianNll", input, "target", target);
        floating("gaussianNll", "var", var);
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException("gaussianNll: eps must be finite and > 0, got " + eps);
        int[] xs = input.dims(), vs = var.dims();
        if (!Arrays.equals(xs, vs)) {
            int[] lead = xs.length == 0 ? null : Arrays.copyOf(xs, xs.length - 1);
            if (lead != null && Arrays.equals(lead, vs)) {
                var = var.unsqueeze(-1);
            } else if (!(lead != null && vs.length == xs.length && vs[vs.length - 1] == 1
                    && Arrays.equals(lead, Arrays.copyOf(vs, vs.length - 1)))) {
                throw new IllegalArgumentException("gaussianNll: var of shape " + Shapes.str(vs) + " does not fit input of shape "
                        + Shapes.str(xs) + " (expected the input's shape, it without the last dim, or it with last dim 1)");
            }
        }
        if (var.dtype() != input.dtype()) throw new IllegalArgumentException("gaussianNll: var dtype " + var.dtype()
                + " does not match input dtype " + input.dtype());
        if (var.data().lt(0).to(DType.I64).sum().item() > 0) throw new IllegalArgumentException("gaussianNll: var has negative entries");
        // value max(var, eps), derivative 1: var - var.detach() is exactly 0 and carries the identity gradient
        Tensor v = var.sub(var.detach()).add(Tensor.of(var.data().clamp(eps, Double.POSITIVE_INFINITY)));
        Tensor d = input.sub(target);
        Tensor loss = v.log().add(d.mul(d).div(v)).mul(0.5);
        if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
        return reduce("gaussianNll", loss, reduction);
    }

    // ------------------------------------------------------------------ binary classification

    /** Binary cross-entropy on probabilities, averaged. */
    public static Tensor bce(Tensor probs, Tensor target) { return bce(probs, target, null, Reduction.MEAN); }

    /** Binary cross-entropy on probabilities with the given reduction. */
    public static Tensor bce(Tensor probs, Tensor target, Reduction reduction) { return bce(probs, target, null, reduction); }

    /**
     * torch.nn.BCELoss: -w·(y log p + (1 - y) log(1 - p)) with each log clamped below at -100, so p = 0 or 1
     * gives a finite loss and a finite (zero) gradient there. The gradient is that of this clamped formula;
     * PyTorch's hand-written backward instead divides by max(p(1 - p), 1e-12), so the two differ only where p is
     * within about 1e-12 of 0 or 1. Prefer {@link #bceWithLogits} on logits.
     * @param probs  probabilities in [0, 1], any shape
     * @param target the probs' shape and dtype
     * @param weight per-element weights broadcastable to the probs' shape, or null
     */
    public static Tensor bce(Tensor probs, Tensor target, Tensor weight, Reduction reduction) {
        floating("bce", "input", probs);
        sameAs("bce", probs, "target", target);
        if (weight != null) broadcastableTo("bce", probs, "weight", weight);
        NDArray p = probs.data();
        if (p.size() > 0 && p.ge(0).and(p.le(1)).not().to(DType.I64).sum().item() > 0)
            throw new IllegalArgumentException("bce: all elements of input must be probabilities in [0, 1] (got min "
                    + p.min().item() + ", max " + p.max().item() + "); use bceWithLogits for logits");
        Tensor loss = target.mul(clampedLog(probs)).add(target.rsub(1).mul(clampedLog(probs.rsub(1)))).neg();
        if (weight != null) loss = loss.mul(weight);
        return reduce("bce", loss, reduction);
    }

    /**
     * max(log p, -100) with a finite derivative everywhere: log sees 1 where p = 0 (so 0·∞ never appears in the
     * backward pass) and the constant -100 is selected there.
     */
    private static Tensor clampedLog(Tensor p) {
        NDArray pos = p.data().gt(0);
        Tensor safe = Tensor.where(pos, p, Tensor.scalar(p.dtype(), 1));
        return Tensor.where(pos, safe.log().clampMin(-100), Tensor.scalar(p.dtype(), -100));
    }

    /** Binary cross-entropy on logits, averaged. */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) { return bceWithLogits(logits, target, null, null, Reduction.MEAN); }

    /** Binary cross-entropy on logits with the given reduction. */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        return bceWithLogits(logits, target, null, null, reduction);
    }

    /**
     * torch.nn.BCEWithLogitsLoss: -w·(c·y log σ(x) + (1 - y) log(1 - σ(x))) with c = 1 + (posWeight - 1)·y
     * on the positive term, computed as (1 - y)·x + c·softplus(-x), where softplus(z) = max(z, 0) +
     * log1p(e^-|z|) written without overflow: finite for any finite logit, with gradient σ(x) - y (without
     * weights) also at x = 0. Without weights this equals max(x, 0) - x·y + log1p(e^-|x|).
     * @param logits    any shape
     * @param target    the logits' shape and dtype, values in [0, 1]
     * @param weight    per-element weights broadcastable to the logits, or null
     * @param posWeight weights of the positive class broadcastable to the logits (usually (classes)), or null
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
        floating("bceWithLogits", "input", logits);
        sameAs("bceWithLogits", logits, "target", target);
        if (weight != null) broadcastableTo("bceWithLogits", logits, "weight", weight);
        if (posWeight != null) broadcastableTo("bceWithLogits", logits, "posWeight", posWeight);
        Tensor spNeg = Functional.stableSoftplus(logits.neg());
        if (posWeight != null) spNeg = spNeg.mul(posWeight.sub(1.0).mul(target).add(1.0));
        Tensor loss = target.rsub(1).mul(logits).add(spNeg);
        if (weight != null) loss = loss.mul(weight);
        return reduce("bceWithLogits", loss, reduction);
    }

    // ------------------------------------------------------------------ multi-class

    /** Cross-entropy from logits, averaged over samples. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) { return crossEntropy(logits, target, null, Reduction.MEAN); }

    /** Cross-entropy from logits with the given reduction. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        return crossEntropy(logits, target, null, reduction);
    }

    /**
     * torch.nn.CrossEntropyLoss from unnormalised logits, through a log-softmax (stable for any finite logits).
     * With I64 class indices the loss of sample n is -w[y_n]·log softmax(x_n)[y_n] and MEAN divides by Σ w[y_n];
     * with class probabilities (target of the logits' shape and dtype) it is -Σ_c w_c y_nc log softmax(x_n)_c
     * and MEAN divides by the number of samples.
     * @param logits (C) or (N, C, d1, ..., dk): classes on dim 1 (dim 0 for a single sample)
     * @param target I64 indices in [0, C) of shape () or (N, d1, ..., dk), or probabilities of the logits' shape
     * @param weight class weights (C) of the logits' dtype, or null
     * @return a scalar, or (N, d1, ..., dk) with {@link Reduction#NONE}
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, Reduction reduction) {
        floating("crossEntropy", "input", logits);
        if (logits.dim() < 1) throw new IllegalArgumentException("crossEntropy: input must have a class dim, got a scalar");
        if (target == null) throw new IllegalArgumentException("crossEntropy: target must not be null");
        if (reduction == null) throw new IllegalArgumentException("crossEntropy: reduction must not be null");
        int cdim = logits.dim() == 1 ? 0 : 1;
        int c = logits.shape(cdim);
        if (weight != null) {
            floating("crossEntropy", "weight", weight);
            if (weight.dtype() != logits.dtype() || !Arrays.equals(weight.dims(), new int[]{c})) throw new IllegalArgumentException(
                    "crossEntropy: weight must be " + logits.dtype() + " of shape [" + c + "], got " + weight.dtype() + " " + Shapes.str(weight.dims()));
        }
        Tensor logp = logits.logSoftmax(cdim);
        if (target.dtype().isFloating()) {
            sameAs("crossEntropy", logits, "target (probabilities)", target);
            Tensor wy = weight == null ? target : target.mul(cdim == 0 ? weight : weight.reshape(classShape(logits.dim(), c)));
            Tensor loss = wy.mul(logp).sum(new int[]{cdim}, false).neg();
            return reduce("crossEntropy", loss, reduction);
        }
        if (target.dtype() != DType.I64) throw new IllegalArgumentException("crossEntropy: target must be I64 class indices or "
                + "floating probabilities, got " + target.dtype());
        int[] expected = new int[logits.dim() - 1];
        for (int i = 0, j = 0; i < logits.dim(); i++) if (i != cdim) expected[j++] = logits.shape(i);
        if (!Arrays.equals(target.dims(), expected)) throw new IllegalArgumentException("crossEntropy: target of shape "
                + Shapes.str(target.dims()) + " does not match input of shape " + Shapes.str(logits.dims()) + " (expected "
                + Shapes.str(expected) + ")");
        long[] idx = target.data().toLongArray();
        for (long k : idx) {
            if (k < 0 || k >= c) throw new IllegalArgumentException("crossEntropy: target class " + k + " out of range [0, " + c + ")");
        }
        NDArray index = target.data().reshape(withOne(target.dims(), cdim));
        Tensor picked = logp.gather(cdim, index).squeeze(cdim);
        Tensor loss = picked.neg();
        if (weight == null) return reduce("crossEntropy", loss, reduction);
        Tensor wt = weight.indexSelect(0, NDArray.of(idx)).reshape(target.dims());
        loss = loss.mul(wt);
        return switch (reduction) {
            case MEAN -> loss.sum().div(wt.sum());
            case SUM -> loss.sum();
            case NONE -> loss;
        };
    }

    private static int[] classShape(int rank, int c) {
        int[] s = new int[rank - 1];
        Arrays.fill(s, 1);
        s[0] = c;
        return s;
    }

    private static int[] withOne(int[] s, int at) {
        int[] r = new int[s.length + 1];
        for (int i = 0, j = 0; i < r.length; i++) r[i] = i == at ? 1 : s[j++];
        return r;
    }
}
