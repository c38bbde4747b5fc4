package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The Weibull distribution with cdf 1 - exp(-(x/λ)^k) on x &gt;= 0 for scale λ and concentration (shape) k, as
 * torch.distributions.Weibull(scale, concentration). {@link #rsample} is λ E^(1/k) with E ~ Exp(1), differentiable in
 * both. Moments and entropy from Johnson, Kotz and Balakrishnan vol. 1, ch. 21.
 */
public final class Weibull extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Weibull> ARGS = Args.of("Weibull", Weibull::new, Args.arg("scale", Constraints.positive()),
            Args.arg("concentration", Constraints.positive()));
    private static final double EULER_GAMMA = 0.57721566490153286061;

    private final Tensor scale, concentration;

    /**
     * @param scale         λ &gt; 0
     * @param concentration the shape k &gt; 0
     */
    public Weibull(Tensor scale, Tensor concentration) { this(scale, concentration, Distribution.validateByDefault()); }

    /** Weibull with scalar parameters of the default floating dtype. */
    public Weibull(double scale, double concentration) { this(Params.scalar(scale), Params.scalar(concentration)); }

    /** As {@link #Weibull(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Weibull(Tensor scale, Tensor concentration, boolean validate) { this(ARGS.bind(validate, scale, concentration)); }

    private Weibull(Args.Bound b) {
        super(b);
        this.scale = b.get(0);
        this.concentration = b.get(1);
    }

    public Tensor scale() { return scale; }

    public Tensor concentration() { return concentration; }

    /** λ (-log1p(-u))^(1/k), u ~ U[0, 1). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return quantile(Tensor.rand(gen, dtype(), scale.backend(), extendedShape(sampleShape)));
    }

    private Tensor quantile(Tensor u) { return scale.mul(u.neg().log1p().neg().pow(concentration.reciprocal())); }

    /** log(k/λ) + (k - 1) log(x/λ) - (x/λ)^k, with 0·log 0 = 0 at x = 0. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.nonNegative());
        Tensor z = x.div(scale);
        return concentration.log().sub(scale.log()).add(Params.xlogy(concentration.sub(1), z)).sub(z.pow(concentration));
    }

    /** -expm1(-(x/λ)^k), without cancellation for small x. */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        return v.div(scale).pow(concentration).neg().expm1().neg();
    }

    /** λ (-log1p(-q))^(1/k). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return quantile(p);
    }

    /** λ Γ(1 + 1/k). */
    @Override
    public Tensor mean() { return scale.mul(concentration.reciprocal().add(1).lgamma().exp()); }

    /** λ² (Γ(1 + 2/k) - Γ(1 + 1/k)²). */
    @Override
    public Tensor variance() {
        Tensor r = concentration.reciprocal();
        return scale.square().mul(r.mul(2).add(1).lgamma().exp().sub(r.add(1).lgamma().mul(2).exp()));
    }

    /** λ ((k - 1)/k)^(1/k) for k &gt; 1, else 0 (the density is largest at 0). */
    @Override
    public Tensor mode() {
        Tensor k = concentration;
        Tensor inner = k.sub(1).div(k).clampMin(0);
        return scale.mul(inner.pow(k.reciprocal()));
    }

    /** γ (1 - 1/k) + log(λ/k) + 1. */
    @Override
    public Tensor entropy() {
        return concentration.reciprocal().rsub(1).mul(EULER_GAMMA).add(scale.log()).sub(concentration.log()).add(1);
    }

    @Override
    public Weibull expand(int... batchShape) { return (Weibull) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegative(); }
}
