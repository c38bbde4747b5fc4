package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The Bernoulli distribution on {0, 1}, as torch.distributions.Bernoulli, built from probabilities
 * ({@link #fromProbs}) or log-odds ({@link #fromLogits}); both representations are available. Log-probabilities
 * are computed from the logits as -BCE-with-logits, x·l - softplus(l), which neither overflows nor loses
 * precision for large |l|. Samples are 0.0/1.0 in the parameters' dtype().
 */
public final class Bernoulli extends Distribution implements HasMoments, HasMode, HasEntropy, HasEnumerableSupport {
    private final Tensor probs, logits;
    private final boolean isLogits;

    private static final Args<Bernoulli> PROBS = Args.of("Bernoulli", Bernoulli::new, Args.arg("probs", Constraints.unitInterval()));
    private static final Args<Bernoulli> LOGITS = Args.of("Bernoulli", Bernoulli::new, Args.arg("logits", Constraints.real()));

    private Bernoulli(Args.Bound b) {
        super(b);
        this.isLogits = b.args() == LOGITS;
        if (isLogits) {
            this.logits = b.get(0);
            this.probs = logits.sigmoid();
        } else {
            this.probs = b.get(0);
            this.logits = probsToLogits(probs);
        }
    }

    /**
     * log(p/(1 - p)) of p clamped to [eps, 1 - eps] (as PyTorch's probs_to_logits), so p = 0 or 1 give large
     * finite logits rather than infinities whose gradients would be NaN.
     */
    static Tensor probsToLogits(Tensor p) {
        double eps = Params.eps(p.dtype());
        Tensor c = p.clamp(eps, 1 - eps);
        return c.log().sub(c.neg().log1p());
    }

    /** Bernoulli with success probabilities {@code probs} in [0, 1]. */
    public static Bernoulli fromProbs(Tensor probs) { return fromProbs(probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Bernoulli fromProbs(Tensor probs, boolean validate) { return PROBS.build(validate, probs); }

    /** Bernoulli with a scalar probability of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public static Bernoulli fromProbs(double p) { return fromProbs(Params.scalar(p)); }

    /** Bernoulli with log-odds {@code logits} (p = σ(l)). */
    public static Bernoulli fromLogits(Tensor logits) { return fromLogits(logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Bernoulli fromLogits(Tensor logits, boolean validate) { return LOGITS.build(validate, logits); }

    /** Bernoulli with scalar log-odds of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public static Bernoulli fromLogits(double logit) { return fromLogits(Params.scalar(logit)); }

    /** P(x = 1), of the batch shape. */
    public Tensor probs() { return probs; }

    /** log(p/(1 - p)), of the batch shape. */
    public Tensor logits() { return logits; }

    /** True when built from logits. */
    public boolean isLogitParameterized() { return isLogits; }

    /** 0/1 draws of shape sampleShape + batchShape, in the parameters' dtype(). */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        NDArray p = probs.data().expand(extendedShape(sampleShape));
        return Tensor.of(p.bernoulli(gen).to(dtype()));
    }

    /** x·l - softplus(l) (= x log p + (1 - x) log(1 - p)); x must be 0 or 1 when validating. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), true, Constraints.bool());
        return x.mul(logits).sub(logits.softplus());
    }

    /** softplus(l) - p·l (= -p log p - (1 - p) log(1 - p)). */
    @Override
    public Tensor entropy() { return logits.softplus().sub(probs.mul(logits)); }

    @Override
    public Tensor mean() { return probs; }

    /** p(1 - p). */
    @Override
    public Tensor variance() { return probs.mul(probs.rsub(1)); }

    /** 1 where p &gt; ½, 0 where p &lt; ½, NaN at p = ½ (two modes), as PyTorch. */
    @Override
    public Tensor mode() {
        NDArray p = probs.data();
        NDArray m = p.gt(0.5).to(dtype());
        return Tensor.of(m.maskedFill(p.eq(0.5), Double.NaN));
    }

    /** 0 and 1 in the parameters' dtype, (2, 1, ..., 1), or (2) + batchShape with {@code expand}. */
    @Override
    public Tensor enumerateSupport(boolean expand) { return Batching.enumerate(Tensor.of(dev.deepprob.engine.NDArray.arange(dtype(), 2)), batchShape(), expand); }

    @Override
    public Bernoulli expand(int... batchShape) { return (Bernoulli) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.bool(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("probs", probs); }
}
