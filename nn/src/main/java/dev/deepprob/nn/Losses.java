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
        return pickedNll("crossEntropy", logp, target, weight, reduction);
    }

    /**
     * -w[y_n]·logp_n[y_n] for I64 class indices, reduced as torch's NLLLoss (MEAN divides by Σ w[y_n]); the caller has
     * checked logp, weight and reduction.
     */
    private static Tensor pickedNll(String op, Tensor logp, Tensor target, Tensor weight, Reduction reduction) {
        int cdim = logp.dim() == 1 ? 0 : 1;
        int c = logp.shape(cdim);
        int[] expected = new int[logp.dim() - 1];
        for (int i = 0, j = 0; i < logp.dim(); i++) if (i != cdim) expected[j++] = logp.shape(i);
        if (!Arrays.equals(target.dims(), expected)) throw new IllegalArgumentException(op + ": target of shape "
                + Shapes.str(target.dims()) + " does not match input of shape " + Shapes.str(logp.dims()) + " (expected "
                + Shapes.str(expected) + ")");
        long[] idx = target.data().toLongArray();
        for (long k : idx) {
            if (k < 0 || k >= c) throw new IllegalArgumentException(op + ": target class " + k + " out of range [0, " + c + ")");
        }
        NDArray index = target.data().reshape(withOne(target.dims(), cdim));
        Tensor picked = logp.gather(cdim, index).squeeze(cdim);
        Tensor loss = picked.neg();
        if (weight == null) return reduce(op, loss, reduction);
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

    // ------------------------------------------------------------------ issue 15: nll, l1, smooth L1, Huber, KL, focal

    /** Negative log-likelihood of class indices, averaged (torch.nn.NLLLoss). */
    public static Tensor nll(Tensor logProbs, Tensor target) { return nll(logProbs, target, null, Reduction.MEAN); }

    /**
     * torch.nn.NLLLoss: -w[y_n]·x_n[y_n] for log-probabilities x (a log-softmax's output); MEAN divides by Σ w[y_n].
     * {@code crossEntropy} on logits is this after a log-softmax.
     * @param logProbs (C) or (N, C, d1, ..., dk): classes on dim 1 (dim 0 for a single sample)
     * @param target   I64 class indices in [0, C) of shape () or (N, d1, ..., dk)
     * @param weight   class weights (C) of the input's dtype, or null
     */
    public static Tensor nll(Tensor logProbs, Tensor target, Tensor weight, Reduction reduction) {
        floating("nll", "input", logProbs);
        if (logProbs.dim() < 1) throw new IllegalArgumentException("nll: input must have a class dim, got a scalar");
        if (target == null) throw new IllegalArgumentException("nll: target must not be null");
        if (reduction == null) throw new IllegalArgumentException("nll: reduction must not be null");
        if (target.dtype() != DType.I64) throw new IllegalArgumentException("nll: target must be I64 class indices, got " + target.dtype());
        int c = logProbs.shape(logProbs.dim() == 1 ? 0 : 1);
        if (weight != null) {
            floating("nll", "weight", weight);
            if (weight.dtype() != logProbs.dtype() || !Arrays.equals(weight.dims(), new int[]{c})) throw new IllegalArgumentException(
                    "nll: weight must be " + logProbs.dtype() + " of shape [" + c + "], got " + weight.dtype() + " " + Shapes.str(weight.dims()));
        }
        return pickedNll("nll", logProbs, target, weight, reduction);
    }

    /** Mean absolute error |x - y|, averaged. */
    public static Tensor l1(Tensor input, Tensor target) { return l1(input, target, Reduction.MEAN); }

    /** torch.nn.L1Loss: |x - y|; its gradient at x = y is 0 (sign(0)), as torch's. */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        floating("l1", "input", input);
        sameAs("l1", input, "target", target);
        return reduce("l1", input.sub(target).abs(), reduction);
    }

    /** Smooth L1 with beta = 1, averaged. */
    public static Tensor smoothL1(Tensor input, Tensor target) { return smoothL1(input, target, 1.0, Reduction.MEAN); }

    /**
     * torch.nn.SmoothL1Loss (Girshick 2015, Fast R-CNN): ½d²/β where |d| &lt; β, |d| - β/2 elsewhere, d = x - y; β = 0 is
     * the L1 loss. Both branches are finite everywhere, so where selects without NaN.
     */
    public static Tensor smoothL1(Tensor input, Tensor target, double beta, Reduction reduction) {
        floating("smoothL1", "input", input);
        sameAs("smoothL1", input, "target", target);
        if (!(beta >= 0) || Double.isInfinite(beta)) throw new IllegalArgumentException("smoothL1: beta must be finite and >= 0, got " + beta);
        Tensor d = input.sub(target), a = d.abs();
        if (beta == 0) return reduce("smoothL1", a, reduction);
        Tensor loss = Tensor.where(a.data().lt(beta), d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta));
        return reduce("smoothL1", loss, reduction);
    }

    /** Huber loss with delta = 1, averaged. */
    public static Tensor huber(Tensor input, Tensor target) { return huber(input, target, 1.0, Reduction.MEAN); }

    /**
     * torch.nn.HuberLoss (Huber 1964): ½d² where |d| &lt; δ, δ(|d| - δ/2) elsewhere, d = x - y; δ times smooth L1 with
     * β = δ.
     */
    public static Tensor huber(Tensor input, Tensor target, double delta, Reduction reduction) {
        floating("huber", "input", input);
        sameAs("huber", input, "target", target);
        if (!(delta > 0) || Double.isInfinite(delta)) throw new IllegalArgumentException("huber: delta must be finite and > 0, got " + delta);
        Tensor d = input.sub(target), a = d.abs();
        Tensor loss = Tensor.where(a.data().lt(delta), d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta));
        return reduce("huber", loss, reduction);
    }

    /**
     * torch.nn.KLDivLoss: pointwise y (log y - x) for log-probabilities x and probabilities y (0 where y = 0, through
     * xlogy), or e^y (y - x) for log-probabilities y with {@code logTarget}. MEAN averages over all elements, as torch's
     * 'mean'; the KL divergence per sample is {@link #klDivBatchMean}.
     * @param input  log-probabilities, any shape
     * @param target the input's shape and dtype
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return reduce("klDiv", klDivPointwise(input, target, logTarget), reduction);
    }

    /** torch's KLDivLoss with reduction='batchmean': the sum divided by the batch size (dim 0), the mathematical KL per sample. */
    public static Tensor klDivBatchMean(Tensor input, Tensor target, boolean logTarget) {
        Tensor loss = klDivPointwise(input, target, logTarget);
        return input.dim() == 0 ? loss : loss.sum().div(input.shape(0));
    }

    private static Tensor klDivPointwise(Tensor input, Tensor target, boolean logTarget) {
        floating("klDiv", "input", input);
        sameAs("klDiv", input, "target", target);
        if (logTarget) return target.exp().mul(target.sub(input));
        return target.xlogy(target).sub(target.mul(input));
    }

    /** Binary focal loss on logits with α = 0.25 and γ = 2, averaged. */
    public static Tensor sigmoidFocal(Tensor logits, Tensor target) { return sigmoidFocal(logits, target, 0.25, 2, Reduction.MEAN); }

    /**
     * The binary focal loss of Lin et al. 2017 on logits (torchvision.ops.sigmoid_focal_loss): BCE with logits times
     * (1 - p_t)^γ, p_t = σ(x) y + (1 - σ(x))(1 - y), times α_t = α y + (1 - α)(1 - y) when α >= 0 (α &lt; 0: no weighting).
     * @param logits any shape
     * @param target the logits' shape and dtype, values in [0, 1]
     */
    public static Tensor sigmoidFocal(Tensor logits, Tensor target, double alpha, double gamma, Reduction reduction) {
        floating("sigmoidFocal", "input", logits);
        sameAs("sigmoidFocal", logits, "target", target);
        if (!(gamma >= 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("sigmoidFocal: gamma must be finite and >= 0, got " + gamma);
        if (alpha > 1 || Double.isNaN(alpha)) throw new IllegalArgumentException("sigmoidFocal: alpha must be <= 1 (negative: no weighting), got " + alpha);
        Tensor p = logits.sigmoid();
        Tensor ce = bceWithLogits(logits, target, Reduction.NONE);
        Tensor pt = p.mul(target).add(p.rsub(1).mul(target.rsub(1)));
        Tensor loss = ce.mul(pt.rsub(1).pow(gamma));
        if (alpha >= 0) loss = loss.mul(target.mul(alpha).add(target.rsub(1).mul(1 - alpha)));
        return reduce("sigmoidFocal", loss, reduction);
    }

    private static int[] withOne(int[] s, int at) {
        int[] r = new int[s.length + 1];
        for (int i = 0, j = 0; i < r.length; i++) r[i] = i == at ? 1 : s[j++];
        return r;
    }
}
