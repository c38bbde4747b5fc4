package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

/**
 * The number of successes before totalCount failures in Bernoulli(p) trials, as torch.distributions.NegativeBinomial
 * (totalCount r &gt; 0 need not be whole: the Gamma-Poisson mixture), from probabilities ({@link #fromProbs}) or log-odds
 * ({@link #fromLogits}). Log-probabilities use the logits: log C(k + r - 1, k) + r log σ(-l) + k log σ(l), stable for
 * large |l|. The cdf is I_{1-p}(r, k + 1) (A&amp;S 26.5.26, the same incomplete beta as Binomial's).
 */
public final class NegativeBinomial extends Distribution implements HasMoments, HasMode, HasCdf {
    private static final Args<NegativeBinomial> PROBS = Args.of("NegativeBinomial", NegativeBinomial::new,
            Args.arg("totalCount", Constraints.positive()), new Args.Arg("probs", (d, n, t) -> {
                Constraints.unitInterval().check(d + ": " + n, t.data());
                Constraints.lessThan(1.0).check(d + ": " + n, t.data());
            }, 0));
    private static final Args<NegativeBinomial> LOGITS = Args.of("NegativeBinomial", NegativeBinomial::new,
            Args.arg("totalCount", Constraints.positive()), Args.arg("logits", Constraints.real()));

    private final Tensor totalCount, probs, logits;

    private NegativeBinomial(Args.Bound b) {
        super(b);
        this.totalCount = b.get(0);
        if (b.args() == LOGITS) {
            this.logits = b.get(1);
            this.probs = logits.sigmoid();
        } else {
            this.probs = b.get(1);
            this.logits = Bernoulli.probsToLogits(probs);
        }
    }

    /** NegativeBinomial(r, p) with r &gt; 0 failures and success probabilities p in [0, 1). */
    public static NegativeBinomial fromProbs(Tensor totalCount, Tensor probs) {
        return fromProbs(totalCount, probs, Distribution.validateByDefault());
    }

    /** As {@link #fromProbs(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static NegativeBinomial fromProbs(Tensor totalCount, Tensor probs, boolean validate) {
        return PROBS.build(validate, totalCount, probs);
    }

    /** NegativeBinomial with scalar parameters of the default floating dtype. */
    public static NegativeBinomial fromProbs(double totalCount, double p) { return fromProbs(Params.scalar(totalCount), Params.scalar(p)); }

    /** NegativeBinomial(r, σ(l)) from log-odds of success. */
    public static NegativeBinomial fromLogits(Tensor totalCount, Tensor logits) {
        return fromLogits(totalCount, logits, Distribution.validateByDefault());
    }

    /** As {@link #fromLogits(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static NegativeBinomial fromLogits(Tensor totalCount, Tensor logits, boolean validate) {
        return LOGITS.build(validate, totalCount, logits);
    }

    public Tensor totalCount() { return totalCount; }

    public Tensor probs() { return probs; }

    public Tensor logits() { return logits; }

    /** Poisson(λ) with λ ~ Gamma(r, rate e^(-l)) (as torch), counts in the parameters' dtype and on their device. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        int[] s = extendedShape(sampleShape);
        NDArray g = totalCount.data().expand(s).contiguous().standardGamma(gen);
        NDArray lambda = g.mul(logits.data().exp().expand(s));
        return Tensor.of(lambda.poisson(gen));
    }

    /** lgamma(k + r) - lgamma(k + 1) - lgamma(r) + r log σ(-l) + k log σ(l), with 0·log 0 = 0 at k = 0. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor k = Params.value(this, "logProb", value, dtype(), true, Constraints.nonNegativeInteger());
        Tensor r = totalCount;
        Tensor norm = k.add(r).lgamma().sub(k.add(1).lgamma()).sub(r.lgamma());
        NDArray zero = k.data().eq(0);
        Tensor kSafe = Params.anyTrue(zero) ? Tensor.where(zero, Tensor.zerosLike(k), k) : k;
        return norm.add(r.mul(logits.neg().logSigmoid())).add(kSafe.mul(logits.logSigmoid()));
    }

    /** I_{1-p}(r, k + 1), differentiable in the probabilities or logits (not in r: the incomplete beta has no shape derivative). torch has no cdf. */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor k = Params.value(this, "cdf", value, dtype(), true, Constraints.nonNegativeInteger());
        return logits.neg().sigmoid().betaI(totalCount, k.add(1));
    }

    /**
     * The smallest k with P(X &lt;= k) &gt;= q (as SciPy's ppf): doubling, then bisection on the cdf, all elements at once
     * in array operations; +inf at q = 1. Not differentiable.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        int[] s = Shapes.broadcast("NegativeBinomial.icdf", p.dims(), batchShape());
        NDArray pq = p.data().to(DType.F64).expand(s), r = totalCount.data().to(DType.F64).expand(s);
        NDArray failure = logits.data().neg().sigmoid().to(DType.F64).expand(s);
        NDArray zero = pq.mul(0);
        NDArray trivial = pq.le(0).or(pq.ge(1));
        NDArray qs = NDArray.where(trivial, zero.add(0.5), pq);
        // invariant: cdf(lo) < q <= cdf(hi), cdf(-1) = 0; first double hi until the cdf reaches q
        NDArray lo = zero.sub(1), hi = zero;
        NDArray short_ = failure.betaI(r, hi.add(1)).lt(qs);
        while (short_.to(DType.F64).max().item() > 0) {
            lo = NDArray.where(short_, hi, lo);
            hi = NDArray.where(short_, hi.mul(2).add(1), hi);
            short_ = failure.betaI(r, hi.add(1)).lt(qs);
        }
        NDArray open = hi.sub(lo).gt(1);
        while (open.to(DType.F64).max().item() > 0) {
            NDArray mid = lo.add(hi).mul(0.5).floor();
            NDArray below = failure.betaI(r, mid.add(1)).lt(qs);
            lo = NDArray.where(open.and(below), mid, lo);
            hi = NDArray.where(open.and(below.not()), mid, hi);
            open = hi.sub(lo).gt(1);
        }
        NDArray edge = NDArray.where(pq.ge(1), zero.add(Double.POSITIVE_INFINITY), zero);
        return Tensor.of(NDArray.where(trivial, edge, hi).to(dtype()));
    }

    /** r e^l = r p/(1 - p). */
    @Override
    public Tensor mean() { return totalCount.mul(logits.exp()); }

    /** r p/(1 - p)². */
    @Override
    public Tensor variance() { return mean().div(logits.neg().sigmoid()); }

    /** ⌊(r - 1) p/(1 - p)⌋, at least 0 (as torch). */
    @Override
    public Tensor mode() { return Tensor.of(totalCount.data().sub(1).mul(logits.data().exp()).floor().maximum(totalCount.data().mul(0))); }

    @Override
    public NegativeBinomial expand(int... batchShape) { return (NegativeBinomial) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegativeInteger(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("totalCount", totalCount, "probs", probs); }
}
