package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

/**
 * Stateless forms of the layers (torch.nn.functional): activations, linear and dropout, each composed of
 * autograd operations so that first and higher derivatives come from the primitives' rules. At kinks the
 * derivative is PyTorch's choice (relu'(0) = 0, leakyRelu'(0) = slope, elu'(0) = alpha).
 */
public final class Functional {
    private Functional() {}

    static void requireFloating(String op, Tensor x) {
        if (x == null) throw new IllegalArgumentException(op + ": input must not be null");
        if (!x.dtype().isFloating()) throw new IllegalArgumentException(op + ": input must be F32 or F64, got " + x.dtype());
    }

    static void requireFinite(String op, String what, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(op + ": " + what + " must be finite, got " + v);
    }

    /** max(x, 0). */
    public static Tensor relu(Tensor x) {
        requireFloating("relu", x);
        return x.relu();
    }

    /** x for x > 0, slope·x otherwise. */
    public static Tensor leakyRelu(Tensor x, double slope) {
        requireFloating("leakyRelu", x);
        requireFinite("leakyRelu", "negative slope", slope);
        return Tensor.where(x.data().gt(0), x, x.mul(slope));
    }

    /** x for x > 0, alpha·(eᕽ - 1) otherwise (Clevert et al. 2016). */
    public static Tensor elu(Tensor x, double alpha) {
        requireFloating("elu", x);
        requireFinite("elu", "alpha", alpha);
        // the negative branch sees min(x, 0): e^x of a large positive x would overflow, and 0·inf in the
        // unselected branch's gradient would give NaN
        return Tensor.where(x.data().gt(0), x, x.clampMax(0).expm1().mul(alpha));
    }

    /** The logistic function 1 / (1 + e⁻ˣ). */
    public static Tensor sigmoid(Tensor x) {
        requireFloating("sigmoid", x);
        return x.sigmoid();
    }

    /** The hyperbolic tangent. */
    public static Tensor tanh(Tensor x) {
        requireFloating("tanh", x);
        return x.tanh();
    }

    /** log(1 + eˣ) with PyTorch's defaults beta = 1, threshold = 20. */
    public static Tensor softplus(Tensor x) { return softplus(x, 1, 20); }

    /**
     * PyTorch's Softplus: log(1 + e^(beta·x)) / beta, and x itself where beta·x > threshold (where the two agree
     * to float precision).
     */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        requireFloating("softplus", x);
        if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("softplus: beta must be finite and > 0, got " + beta);
        if (Double.isNaN(threshold)) throw new IllegalArgumentException("softplus: threshold must not be NaN");
        Tensor z = beta == 1 ? x : x.mul(beta);
        Tensor sp = stableSoftplus(z);
        if (beta != 1) sp = sp.div(beta);
        return Tensor.where(z.data().gt(threshold), x, sp);
    }

    /**
     * log σ(x) = -softplus(-x), finite for any finite x, with derivative σ(-x) (0.5 at x = 0).
     * @param x any shape; the result has the same shape
     */
    public static Tensor logSigmoid(Tensor x) {
        requireFloating("logSigmoid", x);
        return stableSoftplus(x.neg()).neg();
    }

    /**
     * log(1 + eᶻ) that neither overflows nor loses the derivative σ(z) at z = 0: {@link Tensor#softplus()}, one
     * autograd node with its gradient σ(z) given explicitly.
     */
    static Tensor stableSoftplus(Tensor z) { return z.softplus(); }

    /**
     * x·wᵀ + b, the affine map of {@link Linear}.
     * @param x (..., in)
     * @param w (out, in)
     * @param b (out), or null for no bias
     * @return (..., out)
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        requireFloating("linear", x);
        if (w == null) throw new IllegalArgumentException("linear: weight must not be null");
        if (w.dim() != 2) throw new IllegalArgumentException("linear: weight must be 2-D (out, in), got shape " + Shapes.str(w.dims()));
        if (x.dim() < 1 || x.shape(-1) != w.shape(1)) throw new IllegalArgumentException("linear: input of shape "
                + Shapes.str(x.dims()) + " does not match weight of shape " + Shapes.str(w.dims()) + " (last dim must be " + w.shape(1) + ")");
        if (x.dtype() != w.dtype()) throw new IllegalArgumentException("linear: input dtype " + x.dtype() + " does not match weight dtype " + w.dtype());
        if (b != null && (b.dim() != 1 || b.shape(0) != w.shape(0) || b.dtype() != w.dtype())) throw new IllegalArgumentException(
                "linear: bias must be " + w.dtype() + " of shape [" + w.shape(0) + "], got " + b.dtype() + " " + Shapes.str(b.dims()));
        Tensor y = x.matmul(w.t());
        return b == null ? y : y.add(b);
    }

    /**
     * Inverted dropout: in training, each element is zeroed with probability p and the survivors are scaled by
     * 1 / (1 - p), so the expectation is unchanged; outside training (or with p = 0) x itself is returned.
     * @param gen the source of the mask (required even when unused, so a call site cannot forget it)
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        requireFloating("dropout", x);
        checkDropoutP("dropout", p);
        if (gen == null) throw new IllegalArgumentException("dropout: generator must not be null");
        if (!training || p == 0 || x.numel() == 0) return x;
        if (p == 1) return x.mul(0.0);
        NDArray keep = NDArray.bernoulli(gen, 1 - p, x.dims());
        NDArray mask = keep.to(x.dtype()).div(1 - p);     // 1 / (1 - p) in the input dtype, as PyTorch
        return x.mul(Tensor.of(mask));
    }

    static void checkDropoutP(String op, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
    }
}
