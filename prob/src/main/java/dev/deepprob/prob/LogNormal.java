package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;

/**
 * The log-normal distribution: X = exp(Y) with Y ~ N(loc, scale²), as torch.distributions.LogNormal (loc and scale
 * are the mean and standard deviation of log X). Moments from Johnson, Kotz and Balakrishnan, "Continuous
 * Univariate Distributions" vol. 1 (2nd ed.), ch. 14.
 */
public final class LogNormal extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<LogNormal> ARGS = Args.of("LogNormal", LogNormal::new, Args.arg("loc", Constraints.real()), Args.arg("scale", Constraints.positive()));
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Tensor loc, scale;
    private final Normal base;

    /**
     * @param loc   mean of log X
     * @param scale standard deviation of log X, &gt; 0
     */
    public LogNormal(Tensor loc, Tensor scale) { this(loc, scale, Distribution.validateByDefault()); }

    /** LogNormal with scalar parameters of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public LogNormal(double loc, double scale) { this(Params.scalar(loc), Params.scalar(scale)); }

    /** As {@link #LogNormal(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public LogNormal(Tensor loc, Tensor scale, boolean validate) { this(ARGS.bind(validate, loc, scale)); }

    private LogNormal(Args.Bound b) {
        super(b);
        this.loc = b.get(0);
        this.scale = b.get(1);
        this.base = new Normal(this.loc, this.scale, false);
    }

    public Tensor loc() { return loc; }

    public Tensor scale() { return scale; }

    /** The normal distribution of log X. */
    public Normal base() { return base; }

    /** exp(loc + scale·ε). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return base.rsample(gen, sampleShape).exp();
    }

    /** log N(log x; loc, scale) - log x. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.positive());
        Tensor lx = x.log();
        Tensor z = lx.sub(loc).div(scale);
        return z.square().mul(-0.5).sub(scale.log()).sub(HALF_LOG_2PI).sub(lx);
    }

    /** loc + ½ + ½ log(2π) + log scale (the normal entropy plus E[log X]). */
    @Override
    public Tensor entropy() { return loc.add(scale.log()).add(0.5 + HALF_LOG_2PI); }

    /** exp(loc + scale²/2). */
    @Override
    public Tensor mean() { return loc.add(scale.square().mul(0.5)).exp(); }

    /** exp(loc - scale²). */
    @Override
    public Tensor mode() { return loc.sub(scale.square()).exp(); }

    /** (exp(scale²) - 1) exp(2 loc + scale²), with expm1 for small scales. */
    @Override
    public Tensor variance() {
        Tensor s2 = scale.square();
        return s2.expm1().mul(loc.mul(2).add(s2).exp());
    }

    /** Φ((log x - loc)/scale), with the normal's relative accuracy in the lower tail; 0 at x = 0. */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        return StandardNormal.cdf(v.log().sub(loc).div(scale));
    }

    /** exp(loc + scale Φ⁻¹(q)), with the normal quantile's tail accuracy (LogNormal(0, 1).icdf(1e-300) = 8.2e-17, not 0). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return loc.add(scale.mul(StandardNormal.icdf(p))).exp();
    }

    @Override
    public LogNormal expand(int... batchShape) { return (LogNormal) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.positive(); }
}
