package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The Gumbel (type I extreme value) distribution with cdf exp(-exp(-z)), z = (x - loc)/scale, as
 * torch.distributions.Gumbel. {@link #rsample} is the quantile at a uniform draw, loc - scale log(-log u), differentiable
 * in both parameters. Moments and entropy from Johnson, Kotz and Balakrishnan vol. 2, ch. 22.
 */
public final class Gumbel extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Gumbel> ARGS = Args.of("Gumbel", Gumbel::new, Args.arg("loc", Constraints.real()),
            Args.arg("scale", Constraints.positive()));
    private static final double EULER_GAMMA = 0.57721566490153286061;

    private final Tensor loc, scale;

    /**
     * @param loc   the mode
     * @param scale the scale, &gt; 0
     */
    public Gumbel(Tensor loc, Tensor scale) { this(loc, scale, Distribution.validateByDefault()); }

    /** Gumbel with scalar parameters of the default floating dtype. */
    public Gumbel(double loc, double scale) { this(Params.scalar(loc), Params.scalar(scale)); }

    /** As {@link #Gumbel(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Gumbel(Tensor loc, Tensor scale, boolean validate) { this(ARGS.bind(validate, loc, scale)); }

    private Gumbel(Args.Bound b) {
        super(b);
        this.loc = b.get(0);
        this.scale = b.get(1);
    }

    public Tensor loc() { return loc; }

    public Tensor scale() { return scale; }

    /** loc - scale log(-log u), u ~ U(0, 1) kept off 0 and 1 (as torch clamps to [tiny, 1 - eps]). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor u = Tensor.rand(gen, dtype(), scale.backend(), extendedShape(sampleShape)).clamp(Params.tiny(dtype()), 1 - Params.eps(dtype()));
        return loc.sub(scale.mul(u.log().neg().log()));
    }

    /** -(z + exp(-z)) - log scale. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.real());
        Tensor z = x.sub(loc).div(scale);
        return z.add(z.neg().exp()).neg().sub(scale.log());
    }

    /** exp(-exp(-z)). */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.real());
        return v.sub(loc).div(scale).neg().exp().neg().exp();
    }

    /** loc - scale log(-log q). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return loc.sub(scale.mul(p.log().neg().log()));
    }

    /** loc + scale γ (γ Euler's constant). */
    @Override
    public Tensor mean() { return loc.add(scale.mul(EULER_GAMMA)); }

    /** π² scale²/6. */
    @Override
    public Tensor variance() { return scale.square().mul(Math.PI * Math.PI / 6); }

    @Override
    public Tensor mode() { return loc; }

    /** log scale + γ + 1. */
    @Override
    public Tensor entropy() { return scale.log().add(EULER_GAMMA + 1); }

    @Override
    public Gumbel expand(int... batchShape) { return (Gumbel) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.real(); }
}
