package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;

/**
 * The exponential distribution with density rate·exp(-rate·x) on x &gt;= 0, as torch.distributions.Exponential.
 * Samples invert the cdf, -log1p(-u)/rate, so {@link #rsample} is differentiable in rate.
 */
public final class Exponential extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Exponential> ARGS = Args.of("Exponential", Exponential::new, Args.arg("rate", Constraints.positive()));

    private final Tensor rate;

    /** @param rate the rate λ &gt; 0 (the mean is 1/λ) */
    public Exponential(Tensor rate) { this(rate, Distribution.validateByDefault()); }

    /** Exponential with a scalar rate of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Exponential(double rate) { this(Params.scalar(rate)); }

    /** As {@link #Exponential(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Exponential(Tensor rate, boolean validate) { this(ARGS.bind(validate, rate)); }

    private Exponential(Args.Bound b) {
        super(b);
        this.rate = b.get(0);
    }

    public Tensor rate() { return rate; }

    /** -log1p(-u)/rate, u ~ U[0, 1) (finite: 1 - u &gt; 0). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor u = Tensor.rand(gen, dtype(), rate.backend(), extendedShape(sampleShape));
        return u.neg().log1p().neg().div(rate);
    }

    /** log rate - rate·x. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.nonNegative());
        return rate.log().sub(rate.mul(x));
    }

    /** 1 - log rate. */
    @Override
    public Tensor entropy() { return rate.log().rsub(1); }

    @Override
    public Tensor mean() { return rate.reciprocal(); }

    /** 0. */
    @Override
    public Tensor mode() { return rate.mul(0.0); }

    @Override
    public Tensor variance() { return rate.square().reciprocal(); }

    @Override
    public Tensor stddev() { return rate.reciprocal(); }

    /** 1 - exp(-rate·x), as -expm1(-rate·x). */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        return rate.mul(v).neg().expm1().neg();
    }

    /** -log1p(-q)/rate. */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return p.neg().log1p().neg().div(rate);
    }

    @Override
    public Exponential expand(int... batchShape) { return (Exponential) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegative(); }
}
