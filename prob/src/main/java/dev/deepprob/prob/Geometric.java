package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The number of failures before the first success in Bernoulli(p) trials, P(X = k) = (1 - p)^k p, as
 * torch.distributions.Geometric, from probabilities ({@link #fromProbs}) or log-odds ({@link #fromLogits}). Everything is
 * computed from the logits l: log p = -softplus(-l) and log(1 - p) = -softplus(l), exact for p near 0 or 1.
 */
public final class Geometric extends Distribution implements HasMoments, HasMode, HasEntropy, HasCdf {
    /** probs in (0, 1]: at p = 0 no success ever comes. */
    private static final Args<Geometric> PROBS = Args.of("Geometric", Geometric::new, new Args.Arg("probs", (d, n, t) -> {
        Constraints.positive().check(d + ": " + n, t.data());
        Constraints.unitInterval().check(d + ": " + n, t.data());
    }, 0));
    private static final Args<Geometric> LOGITS = Args.of("Geometric", Geometric::new, Args.arg("logits", Constraints.real()));

    private final Tensor probs, logits;

    private Geometric(Args.Bound b) {
        super(b);
        if (b.args() == LOGITS) {
            this.logits = b.get(0);
            this.probs = logits.sigmoid();
        } else {
            this.probs = b.get(0);
            this.logits = Bernoulli.probsToLogits(probs);
        }
    }

    /** Geometric with success probabilities in (0, 1]. */
    public static Geometric fromProbs(Tensor probs) { return fromProbs(probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Geometric fromProbs(Tensor probs, boolean validate) { return PROBS.build(validate, probs); }

    /** Geometric with a scalar probability of the default floating dtype. */
    public static Geometric fromProbs(double p) { return fromProbs(Params.scalar(p)); }

    /** Geometric with log-odds of success. */
    public static Geometric fromLogits(Tensor logits) { return fromLogits(logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Geometric fromLogits(Tensor logits, boolean validate) { return LOGITS.build(validate, logits); }

    public Tensor probs() { return probs; }

    public Tensor logits() { return logits; }

    private Tensor logFailure() { return logits.softplus().neg(); }

    /** floor(log u / log(1 - p)), u ~ U(0, 1) kept off 0 (as torch), in the parameters' dtype. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        NDArray u = NDArray.rand(gen, dtype(), extendedShape(sampleShape)).clamp(Params.tiny(dtype()), 1);
        NDArray lf = logFailure().data();
        NDArray k = u.log().div(lf).floor();
        return Tensor.of(NDArray.where(lf.eq(0).expand(k.dims()), k.mul(0), k));
    }

    /** k log(1 - p) + log p, with 0·log 0 = 0 at k = 0, p = 1. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor k = Params.value(this, "logProb", value, dtype(), true, Constraints.nonNegativeInteger());
        Tensor lf = logFailure();
        NDArray zero = k.data().eq(0);
        Tensor term = Params.anyTrue(zero) ? Tensor.where(zero, Tensor.zerosLike(k), k).mul(lf) : k.mul(lf);
        return term.sub(logits.neg().softplus());
    }

    /** 1 - (1 - p)^(k + 1) = -expm1((k + 1) log(1 - p)). PyTorch's Geometric has no cdf. */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor k = Params.value(this, "cdf", value, dtype(), true, Constraints.nonNegativeInteger());
        return k.add(1).mul(logFailure()).expm1().neg();
    }

    /**
     * The smallest k with cdf(k) &gt;= q: ⌈log1p(-q)/log(1 - p)⌉ - 1, corrected by one step where the division rounded
     * across an integer (as SciPy's ppf); not differentiable.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        NDArray lf = logFailure().data().to(DType.F64);
        NDArray qd = p.data().to(DType.F64);
        NDArray k = qd.neg().log1p().div(lf).ceil().sub(1).maximum(qd.mul(0));
        NDArray below = k.sub(1).add(1).mul(lf).expm1().neg();            // cdf(k - 1)
        k = NDArray.where(k.gt(0).and(below.ge(qd)), k.sub(1), k);
        NDArray at = k.add(1).mul(lf).expm1().neg();                      // cdf(k)
        k = NDArray.where(at.lt(qd), k.add(1), k);
        return Tensor.of(NDArray.where(lf.eq(0).expand(k.dims()), k.mul(0), k).to(dtype()));
    }

    /** (1 - p)/p = 1/p - 1 (exactly 0 at p = 1). */
    @Override
    public Tensor mean() { return probs.reciprocal().sub(1); }

    /** (1 - p)/p². */
    @Override
    public Tensor variance() { return probs.rsub(1).div(probs.square()); }

    /** 0. */
    @Override
    public Tensor mode() { return probs.mul(0.0); }

    /** (softplus(l) - p l)/p: the Bernoulli entropy per trial times the mean number of trials 1/p. */
    @Override
    public Tensor entropy() { return logits.softplus().sub(probs.mul(logits)).div(probs); }

    @Override
    public Geometric expand(int... batchShape) { return (Geometric) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegativeInteger(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("probs", probs); }
}
