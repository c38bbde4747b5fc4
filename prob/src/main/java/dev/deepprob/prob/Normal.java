package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The normal (Gaussian) distribution N(loc, scale²), as torch.distributions.Normal: loc and scale broadcast to the
 * batch shape; samples are loc + scale·ε with ε ~ N(0, 1), so {@link #rsample} is differentiable in both.
 */
public final class Normal extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Normal> ARGS = Args.of("Normal", Normal::new, Args.arg("loc", Constraints.real()),
            Args.arg("scale", Constraints.positive()));
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Tensor loc, scale;

    /**
     * @param loc   the mean, any shape broadcasting with scale
     * @param scale the standard deviation, &gt; 0
     */
    public Normal(Tensor loc, Tensor scale) { this(loc, scale, Distribution.validateByDefault()); }

    /** N(loc, scale²) with scalar parameters of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Normal(double loc, double scale) { this(Params.scalar(loc), Params.scalar(scale)); }

    /** As {@link #Normal(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Normal(Tensor loc, Tensor scale, boolean validate) { this(ARGS.bind(validate, loc, scale)); }

    private Normal(Args.Bound b) {
        super(b);
        this.loc = b.get(0);
        this.scale = b.get(1);
    }

    /** The mean, of the batch shape. */
    public Tensor loc() { return loc; }

    /** The standard deviation, of the batch shape. */
    public Tensor scale() { return scale; }

    /** loc + scale·ε, ε ~ N(0, 1) of shape sampleShape + batchShape. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor eps = Tensor.randn(gen, dtype(), loc.backend(), extendedShape(sampleShape));
        return loc.add(eps.mul(scale));
    }

    /** -(x - loc)²/(2 scale²) - log scale - log √(2π). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.real());
        Tensor z = x.sub(loc).div(scale);
        return z.square().mul(-0.5).sub(scale.log()).sub(HALF_LOG_2PI);
    }

    /** ½ + ½ log(2π) + log scale. */
    @Override
    public Tensor entropy() { return scale.log().add(0.5 + HALF_LOG_2PI); }

    @Override
    public Tensor mean() { return loc; }

    @Override
    public Tensor mode() { return loc; }

    @Override
    public Tensor variance() { return scale.square(); }

    @Override
    public Tensor stddev() { return scale; }

    /**
     * Φ((x - loc)/scale): ½ (1 + erf(z/√2)) near the centre and a continued fraction in the lower tail, so the
     * value keeps its relative accuracy (about 1e-14) as it falls towards 0.
     */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.real());
        return StandardNormal.cdf(v.sub(loc).div(scale));
    }

    /**
     * loc + scale Φ⁻¹(q), with Φ⁻¹ to a few ulp from q = 4.9e-324 (-38.47) to 1 - 2^-53 (8.21): in the lower tail through
     * the engine's ndtri kernel, as erf⁻¹(2q - 1) rounds its argument there (see StandardNormal.icdf). Differentiable in
     * q (to second order in the tail, any order above q = 1/4), loc and scale.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return loc.add(scale.mul(StandardNormal.icdf(p)));
    }

    @Override
    public Normal expand(int... batchShape) { return (Normal) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.real(); }
}
