package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The Cauchy (Lorentz) distribution with density 1/(π scale (1 + z²)), z = (x - loc)/scale, as
 * torch.distributions.Cauchy. It has no mean or variance: {@link #mean} is NaN and {@link #variance} +inf, as
 * torch's. The cdf is Student's t with one degree of freedom (the engine's t kernel, as no arctangent primitive exists
 * yet); the quantile loc + scale tan(π(q - ½)) is also the sampler, so {@link #rsample} is differentiable.
 */
public final class Cauchy extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Cauchy> ARGS = Args.of("Cauchy", Cauchy::new, Args.arg("loc", Constraints.real()),
            Args.arg("scale", Constraints.positive()));
    private static final double LOG_PI = Math.log(Math.PI);

    private final Tensor loc, scale;

    /**
     * @param loc   the median
     * @param scale the half width at half maximum, &gt; 0
     */
    public Cauchy(Tensor loc, Tensor scale) { this(loc, scale, Distribution.validateByDefault()); }

    /** Cauchy with scalar parameters of the default floating dtype. */
    public Cauchy(double loc, double scale) { this(Params.scalar(loc), Params.scalar(scale)); }

    /** As {@link #Cauchy(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Cauchy(Tensor loc, Tensor scale, boolean validate) { this(ARGS.bind(validate, loc, scale)); }

    private Cauchy(Args.Bound b) {
        super(b);
        this.loc = b.get(0);
        this.scale = b.get(1);
    }

    public Tensor loc() { return loc; }

    public Tensor scale() { return scale; }

    /** loc + scale tan(π(u - ½)), u ~ U[0, 1). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return quantile(Tensor.rand(gen, dtype(), scale.backend(), extendedShape(sampleShape)));
    }

    /**
     * tan(π(u - ½)) on [¼, ¾] (u - ½ is exact there), -cot(πu) below and cot(π(1 - u)) above (1 - u is exact): u - ½ would
     * round a small u's digits away, and the tails' quantiles with them.
     */
    private Tensor quantile(Tensor u) {
        Tensor a = u.mul(Math.PI), b = u.rsub(1).mul(Math.PI), c = u.sub(0.5).mul(Math.PI);
        dev.deepprob.engine.NDArray ud = u.data();
        Tensor t = Tensor.where(ud.lt(0.25), a.cos().div(a.sin()).neg(), Tensor.where(ud.gt(0.75), b.cos().div(b.sin()), c.sin().div(c.cos())));
        return loc.add(scale.mul(t));
    }

    /** -log π - log scale - log1p(z²). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.real());
        return x.sub(loc).div(scale).square().log1p().neg().sub(scale.log()).sub(LOG_PI);
    }

    /** ½ + arctan(z)/π, as the Student t cdf with one degree of freedom (differentiable in x, loc and scale). */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.real());
        return new StudentT(Tensor.onesLike(loc), loc, scale, false).cdf(v);
    }

    /** loc + scale tan(π(q - ½)); ±inf at q = 0 and 1. */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor x = quantile(p);
        dev.deepprob.engine.NDArray pd = p.data();
        if (!Params.anyTrue(pd.eq(0).or(pd.eq(1)))) return x;
        Tensor inf = Tensor.full(dtype(), Double.POSITIVE_INFINITY, x.dims());
        return Tensor.where(pd.eq(0).expand(x.dims()), inf.neg(), Tensor.where(pd.eq(1).expand(x.dims()), inf, x));
    }

    /** NaN: the mean does not exist. */
    @Override
    public Tensor mean() { return loc.mul(Double.NaN); }

    /** +inf. */
    @Override
    public Tensor variance() { return Tensor.full(dtype(), Double.POSITIVE_INFINITY, batchShape()); }

    @Override
    public Tensor mode() { return loc; }

    /** log(4π scale). */
    @Override
    public Tensor entropy() { return scale.log().add(Math.log(4 * Math.PI)); }

    @Override
    public Cauchy expand(int... batchShape) { return (Cauchy) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.real(); }
}
