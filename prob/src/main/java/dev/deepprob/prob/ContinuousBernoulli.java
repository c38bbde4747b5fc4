package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The continuous Bernoulli distribution on [0, 1], p(x) ∝ λ^x (1 - λ)^(1 - x), as torch.distributions.ContinuousBernoulli
 * (Loaiza-Ganem and Cunningham 2019, "The continuous Bernoulli: fixing a pervasive error in variational autoencoders").
 * Written in the natural parameter η = logit λ, p(x) = η e^(ηx)/expm1(η), every quantity comes from expm1 and log1p
 * forms that are exact for η near 0 (λ near ½) as well as for large |η|, where torch switches to a Taylor expansion
 * within 0.001 of ½ and to the uniform distribution for the cdf there. {@link #rsample} is the quantile at a uniform draw.
 */
public final class ContinuousBernoulli extends Distribution implements Reparameterizable, HasMoments, HasEntropy, HasCdf {
    private static final Args<ContinuousBernoulli> PROBS = Args.of("ContinuousBernoulli", ContinuousBernoulli::new,
            Args.arg("probs", Constraints.unitInterval()));
    private static final Args<ContinuousBernoulli> LOGITS = Args.of("ContinuousBernoulli", ContinuousBernoulli::new,
            Args.arg("logits", Constraints.real()));
    /** Below this |η| the mean and variance are summed from their series (the closed forms lose digits to cancellation). */
    private static final double SERIES = 0.5;
    /** Beyond this |η|, expm1(η) would overflow: the forms scaled by e^(-η) are used. */
    private static final double LARGE = 700;
    /** B_{2k}/(2k)! for k = 1..8 (Bernoulli numbers): 1/(1 - e^(-η)) - 1/η = ½ + Σ B_{2k} η^(2k-1)/(2k)!. */
    private static final double[] B = {1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160,
            -691.0 / 1307674368000.0, 1.0 / 74724249600.0, -3617.0 / 10670622842880000.0};

    private final Tensor probs, logits;

    private ContinuousBernoulli(Args.Bound b) {
        super(b);
        if (b.args() == LOGITS) {
            this.logits = b.get(0);
            this.probs = logits.sigmoid();
        } else {
            this.probs = b.get(0);
            this.logits = Bernoulli.probsToLogits(probs);
        }
    }

    /** ContinuousBernoulli with shape parameters λ in [0, 1] (torch's probs; 0 and 1 are clamped to eps as torch does). */
    public static ContinuousBernoulli fromProbs(Tensor probs) { return fromProbs(probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static ContinuousBernoulli fromProbs(Tensor probs, boolean validate) { return PROBS.build(validate, probs); }

    /** ContinuousBernoulli with a scalar λ of the default floating dtype. */
    public static ContinuousBernoulli fromProbs(double p) { return fromProbs(Params.scalar(p)); }

    /** ContinuousBernoulli with natural parameters η = logit λ. */
    public static ContinuousBernoulli fromLogits(Tensor logits) { return fromLogits(logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static ContinuousBernoulli fromLogits(Tensor logits, boolean validate) { return LOGITS.build(validate, logits); }

    public Tensor probs() { return probs; }

    public Tensor logits() { return logits; }

    /** η where cond holds, {@code safe} elsewhere (so an unused branch sees no 0/0 nor overflow, and no NaN gradient). */
    private Tensor etaWhere(NDArray cond, double safe) {
        return Tensor.where(cond, logits, Tensor.full(dtype(), safe, logits.dims()));
    }

    /**
     * log(expm1(η)/η) - η/2: Σ B_{2n} η^(2n)/(2n (2n)!) for |η| &lt; ½ (the log of a ratio near 1 would keep only its rounding,
     * 1e-16 absolute against a value of η²/24), log(-expm1(-η)/η) + η/2 for η &gt; 0 and log(expm1(η)/η) - η/2 for η &lt; 0
     * beyond (no overflow at any η). Keeping η/2 apart lets logProb and entropy cancel it exactly.
     */
    Tensor logNormalizerRest() {
        NDArray eta = logits.data();
        NDArray near = eta.abs().lt(SERIES), pos = eta.ge(SERIES);
        Tensor e = etaWhere(near, 0), e2 = e.square();
        Tensor series = Tensor.zerosLike(e), pw = e2;
        for (int n = 1; n <= B.length; n++) {
            series = series.add(pw.mul(B[n - 1] / (2 * n)));
            pw = pw.mul(e2);
        }
        Tensor ep = etaWhere(pos, 1), en = etaWhere(eta.le(-SERIES), -1);
        Tensor fp = ep.neg().expm1().neg().div(ep).log().add(ep.mul(0.5));
        Tensor fn = en.expm1().div(en).log().sub(en.mul(0.5));
        return Tensor.where(near, series, Tensor.where(pos, fp, fn));
    }

    /** E[log p(X)] for an X on [0, 1] with mean m: η (m - ½) - (log(expm1(η)/η) - η/2), for the KL rules. */
    Tensor expectedLogDensity(Tensor m) { return m.sub(0.5).mul(logits).sub(logNormalizerRest()); }

    /** (x - ½)η - (log(expm1(η)/η) - η/2) for x in [0, 1]: the log-density η x - log(expm1(η)/η) with η/2 cancelled exactly. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.unitInterval());
        return x.sub(0.5).mul(logits).sub(logNormalizerRest());
    }

    /** expm1(ηx)/expm1(η) (for η &gt; 700, e^(η(x - 1)) expm1(-ηx)/expm1(-η)); x at η = 0; 0 below 0 and 1 above 1. */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor x = Params.value(this, "cdf", value, dtype(), false, null);
        Tensor xc = x.clamp(0, 1);
        NDArray eta = logits.data();
        NDArray mid = eta.eq(0).not().and(eta.le(LARGE)), big = eta.gt(LARGE);
        Tensor em = etaWhere(mid, 1), eb = etaWhere(big, 2 * LARGE);
        Tensor cm = xc.mul(em).expm1().div(em.expm1());
        Tensor cb = xc.sub(1).mul(eb).exp().mul(xc.mul(eb).neg().expm1()).div(eb.neg().expm1());
        int[] s = cm.dims();
        return Tensor.where(mid.expand(s), cm, Tensor.where(big.expand(s), cb, xc.expand(s)));
    }

    /** log1p(q expm1(η))/η (for η &gt; 700, 1 + log1p((1 - q) expm1(-η))/η); q at η = 0. */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        NDArray eta = logits.data();
        NDArray mid = eta.eq(0).not().and(eta.le(LARGE)), big = eta.gt(LARGE);
        Tensor em = etaWhere(mid, 1), eb = etaWhere(big, 2 * LARGE);
        Tensor xm = p.mul(em.expm1()).log1p().div(em);
        Tensor xb = p.rsub(1).mul(eb.neg().expm1()).log1p().div(eb).add(1);
        int[] s = xm.dims();
        return Tensor.where(mid.expand(s), xm, Tensor.where(big.expand(s), xb, p.expand(s)));
    }

    /** The quantile at u ~ U[0, 1), differentiable in the parameters. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return icdf(Tensor.rand(gen, dtype(), logits.backend(), extendedShape(sampleShape)));
    }

    private Tensor series(boolean derivative) {
        NDArray near = logits.data().abs().lt(SERIES);
        Tensor e = etaWhere(near, 0);
        Tensor e2 = e.square();
        Tensor sum = Tensor.zerosLike(e);
        Tensor pw = derivative ? Tensor.onesLike(e) : e;                       // η^(2k-2) or η^(2k-1)
        for (int k = 1; k <= B.length; k++) {
            sum = sum.add(pw.mul(derivative ? B[k - 1] * (2 * k - 1) : B[k - 1]));
            pw = pw.mul(e2);
        }
        return sum;
    }

    /** 1/(1 - e^(-η)) - 1/η, from its Bernoulli-number series for |η| &lt; ½ (½ + η/12 - ...). */
    @Override
    public Tensor mean() {
        NDArray near = logits.data().abs().lt(SERIES);
        Tensor e = etaWhere(near.not(), 1);
        Tensor far = e.neg().expm1().neg().reciprocal().sub(e.reciprocal());
        return Tensor.where(near, series(false).add(0.5), far);
    }

    /** 1/η² - 1/(expm1(η)(-expm1(-η))) (= 1/η² - 1/(4 sinh²(η/2))), from its series for |η| &lt; ½ (1/12 - η²/240 + ...). */
    @Override
    public Tensor variance() {
        NDArray near = logits.data().abs().lt(SERIES);
        Tensor e = etaWhere(near.not(), 1);
        Tensor far = e.square().reciprocal().sub(e.expm1().mul(e.neg().expm1().neg()).reciprocal());
        return Tensor.where(near, series(true), far);
    }

    /** -E[log p(x)] = (log(expm1(η)/η) - η/2) - η (E[x] - ½), with E[x] - ½ from its series for |η| &lt; ½ (no cancellation). */
    @Override
    public Tensor entropy() {
        NDArray near = logits.data().abs().lt(SERIES);
        Tensor centred = Tensor.where(near, series(false), mean().sub(0.5));
        return logNormalizerRest().sub(logits.mul(centred));
    }

    @Override
    public ContinuousBernoulli expand(int... batchShape) { return (ContinuousBernoulli) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.unitInterval(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("probs", probs); }
}
