package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The chi-squared distribution with df degrees of freedom, Gamma(df/2, rate ½), as torch.distributions.Chi2: every
 * method is the Gamma's (so the cdf and quantile keep the Gamma kernels' tails, and {@link #rsample} is differentiable
 * in df by implicit reparameterisation).
 */
public final class Chi2 extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Chi2> ARGS = Args.of("Chi2", Chi2::new, Args.arg("df", Constraints.positive()));

    private final Tensor df;
    private final Gamma gamma;

    /** @param df degrees of freedom &gt; 0 */
    public Chi2(Tensor df) { this(df, Distribution.validateByDefault()); }

    /** Chi2 with scalar df of the default floating dtype. */
    public Chi2(double df) { this(Params.scalar(df)); }

    /** As {@link #Chi2(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Chi2(Tensor df, boolean validate) { this(ARGS.bind(validate, df)); }

    private Chi2(Args.Bound b) {
        super(b);
        this.df = b.get(0);
        this.gamma = new Gamma(df.mul(0.5), Tensor.full(b.dtype(), 0.5, b.batch()), false);
    }

    public Tensor df() { return df; }

    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return gamma.rsample(gen, sampleShape);
    }

    /** The Gamma(df/2, ½) log-density. */
    @Override
    public Tensor logProb(Tensor value) {
        Params.value(this, "logProb", value, dtype(), false, Constraints.nonNegative());
        return gamma.logProb(value);
    }

    /** P(df/2, x/2). */
    @Override
    public Tensor cdf(Tensor x) {
        Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        return gamma.cdf(x);
    }

    @Override
    public Tensor icdf(Tensor q) {
        Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return gamma.icdf(q);
    }

    /** df. */
    @Override
    public Tensor mean() { return df; }

    /** 2 df. */
    @Override
    public Tensor variance() { return df.mul(2); }

    /** max(df - 2, 0). */
    @Override
    public Tensor mode() { return gamma.mode(); }

    @Override
    public Tensor entropy() { return gamma.entropy(); }

    @Override
    public Chi2 expand(int... batchShape) { return (Chi2) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegative(); }
}
