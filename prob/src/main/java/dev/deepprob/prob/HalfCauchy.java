package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The half-Cauchy distribution, |X| for X ~ Cauchy(0, scale), as torch.distributions.HalfCauchy: density
 * 2/(π scale (1 + (x/scale)²)) on x &gt;= 0, a common weakly informative prior on scales. No mean or variance (+inf,
 * as torch); the cdf (2/π) arctan(x/scale) is written as I_w(½, ½) with w = x²/(scale² + x²) (A&amp;S 26.7.1 at one
 * degree of freedom), differentiable in x and scale.
 */
public final class HalfCauchy extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<HalfCauchy> ARGS = Args.of("HalfCauchy", HalfCauchy::new, Args.arg("scale", Constraints.positive()));
    private static final double LOG_2_OVER_PI = Math.log(2 / Math.PI);

    private final Tensor scale;

    /** @param scale the scale of the folded Cauchy, &gt; 0 */
    public HalfCauchy(Tensor scale) { this(scale, Distribution.validateByDefault()); }

    /** HalfCauchy with a scalar scale of the default floating dtype. */
    public HalfCauchy(double scale) { this(Params.scalar(scale)); }

    /** As {@link #HalfCauchy(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public HalfCauchy(Tensor scale, boolean validate) { this(ARGS.bind(validate, scale)); }

    private HalfCauchy(Args.Bound b) {
        super(b);
        this.scale = b.get(0);
    }

    public Tensor scale() { return scale; }

    /** scale tan(π u/2), u ~ U[0, 1): the quantile at a uniform draw. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return quantile(Tensor.rand(gen, dtype(), scale.backend(), extendedShape(sampleShape)));
    }

    /** tan(πu/2) below ½, cot(π(1 - u)/2) above (1 - u is exact there; cos(πu/2) would keep only its rounding near 1). */
    private Tensor quantile(Tensor u) {
        Tensor a = u.mul(Math.PI / 2), b = u.rsub(1).mul(Math.PI / 2);
        return scale.mul(Tensor.where(u.data().lt(0.5), a.sin().div(a.cos()), b.cos().div(b.sin())));
    }

    /** log(2/π) - log scale - log1p((x/scale)²). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.nonNegative());
        return x.div(scale).square().log1p().neg().sub(scale.log()).add(LOG_2_OVER_PI);
    }

    /** I_w(½, ½), w = x²/(scale² + x²): (2/π) arctan(x/scale). */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        Tensor x2 = v.square(), s2 = scale.square();
        Tensor half = Tensor.full(dtype(), 0.5, batchShape());
        Tensor z = v.div(scale);
        // 2 atan(z)/π = I_{z²/(1+z²)}(½, ½); above z = 1 as 1 - I_{1/(1+z²)}(½, ½), since z²/(1+z²) would round to 1 there; below
        // z = 1e-8 as 2z/π (the square underflows long before the cdf does; the next term, z²/3, is below the rounding)
        Tensor lower = x2.div(x2.add(s2)).betaI(half, half);
        Tensor upper = s2.div(x2.add(s2)).betaI(half, half).rsub(1);
        NDArray zd = z.data();
        return Tensor.where(zd.lt(1e-8), z.mul(2 / Math.PI), Tensor.where(zd.gt(1), upper, lower));
    }

    /** scale tan(π q/2); +inf at q = 1. */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor x = quantile(p);
        dev.deepprob.engine.NDArray one = p.data().eq(1);
        if (!Params.anyTrue(one)) return x;
        return Tensor.where(one.expand(x.dims()), Tensor.full(dtype(), Double.POSITIVE_INFINITY, x.dims()), x);
    }

    /** +inf: the mean does not exist (as torch). */
    @Override
    public Tensor mean() { return Tensor.full(dtype(), Double.POSITIVE_INFINITY, batchShape()); }

    /** +inf. */
    @Override
    public Tensor variance() { return Tensor.full(dtype(), Double.POSITIVE_INFINITY, batchShape()); }

    /** 0. */
    @Override
    public Tensor mode() { return scale.mul(0.0); }

    /** log(2π scale). */
    @Override
    public Tensor entropy() { return scale.log().add(Math.log(2 * Math.PI)); }

    @Override
    public HalfCauchy expand(int... batchShape) { return (HalfCauchy) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegative(); }
}
