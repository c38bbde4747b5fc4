package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * {@link OneHotCategorical} with the straight-through gradient estimator, as
 * torch.distributions.OneHotCategoricalStraightThrough (Bengio, Léonard and Courville 2013, "Estimating or propagating
 * gradients through stochastic neurons"): {@link #rsample} returns the one-hot draw s, with the gradient of the
 * probabilities, s + p - stop_gradient(p). Everything else is the one-hot categorical's.
 */
public final class OneHotCategoricalStraightThrough extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasEnumerableSupport {
    private static final Args<OneHotCategoricalStraightThrough> PROBS = Args.of("OneHotCategoricalStraightThrough",
            OneHotCategoricalStraightThrough::new, Args.vector("probs", (d, n, t) -> Categorical.checkParam(d, n, t, false))).eventRank(1);
    private static final Args<OneHotCategoricalStraightThrough> LOGITS = Args.of("OneHotCategoricalStraightThrough",
            OneHotCategoricalStraightThrough::new, Args.vector("logits", (d, n, t) -> Categorical.checkParam(d, n, t, true))).eventRank(1);

    private final OneHotCategorical base;

    private OneHotCategoricalStraightThrough(Args.Bound b) {
        super(b);
        this.base = b.args() == LOGITS ? OneHotCategorical.fromLogits(b.get(0), false) : OneHotCategorical.fromProbs(b.get(0), false);
    }

    /** From (unnormalised) probabilities (..., k). */
    public static OneHotCategoricalStraightThrough fromProbs(Tensor probs) { return fromProbs(probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static OneHotCategoricalStraightThrough fromProbs(Tensor probs, boolean validate) { return PROBS.build(validate, probs); }

    /** From (unnormalised) log-probabilities (..., k). */
    public static OneHotCategoricalStraightThrough fromLogits(Tensor logits) { return fromLogits(logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static OneHotCategoricalStraightThrough fromLogits(Tensor logits, boolean validate) { return LOGITS.build(validate, logits); }

    /** The same distribution without the estimator. */
    public OneHotCategorical oneHotCategorical() { return base; }

    public Tensor probs() { return base.probs(); }

    public Tensor logits() { return base.logits(); }

    /** One-hot draws without a graph. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) { return base.sample(gen, sampleShape); }

    /** The one-hot draw s with the probabilities' gradient: s + p - p.detach() (the value is s to rounding). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Tensor s = base.sample(gen, sampleShape);
        Tensor p = probs();
        return s.add(p.sub(p.detach()));
    }

    @Override
    public Tensor logProb(Tensor value) { return base.logProb(value); }

    @Override
    public Tensor entropy() { return base.entropy(); }

    @Override
    public Tensor mean() { return base.mean(); }

    @Override
    public Tensor variance() { return base.variance(); }

    @Override
    public Tensor mode() { return base.mode(); }

    @Override
    public Tensor enumerateSupport(boolean expand) { return base.enumerateSupport(expand); }

    @Override
    public OneHotCategoricalStraightThrough expand(int... batchShape) { return (OneHotCategoricalStraightThrough) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.oneHot(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("probs", probs()); }
}
