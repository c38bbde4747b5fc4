package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The beta distribution with density x^(α-1) (1-x)^(β-1)/B(α, β) on [0, 1], as torch.distributions.Beta
 * (concentration1 = α, concentration0 = β). {@link #rsample} is X/(X + Y) for X ~ Gamma(α, 1), Y ~ Gamma(β, 1),
 * differentiable in both through the implicit reparameterisation of the gamma draws. Moments and entropy from
 * Johnson, Kotz and Balakrishnan vol. 2, ch. 25.
 */
public final class Beta extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Beta> ARGS = Args.of("Beta", Beta::new, Args.arg("concentration1", Constraints.positive()), Args.arg("concentration0", Constraints.positive()));

    private final Tensor alpha, beta;

    /**
     * @param concentration1 α &gt; 0, the exponent of x
     * @param concentration0 β &gt; 0, the exponent of 1 - x
     */
    public Beta(Tensor concentration1, Tensor concentration0) { this(concentration1, concentration0, Distribution.validateByDefault()); }

    /** Beta(α, β) with scalar parameters of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Beta(double concentration1, double concentration0) { this(Params.scalar(concentration1), Params.scalar(concentration0)); }

    /** As {@link #Beta(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Beta(Tensor concentration1, Tensor concentration0, boolean validate) { this(ARGS.bind(validate, concentration1, concentration0)); }

    private Beta(Args.Bound b) {
        super(b);
        this.alpha = b.get(0);
        this.beta = b.get(1);
    }

    /** α. */
    public Tensor concentration1() { return alpha; }

    /** β. */
    public Tensor concentration0() { return beta; }

    /** X/(X + Y), X ~ Gamma(α, 1), Y ~ Gamma(β, 1), clamped to [tiny, 1 - eps] so log x and log(1 - x) stay finite. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        int[] s = extendedShape(sampleShape);
        Tensor x = alpha.expand(s).standardGamma(gen);
        Tensor y = beta.expand(s).standardGamma(gen);
        return x.div(x.add(y)).clamp(Params.tiny(dtype()), 1 - Params.eps(dtype()));
    }

    /** (α - 1) log x + (β - 1) log(1 - x) - log B(α, β). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.unitInterval());
        return Params.xlogy(alpha.sub(1), x).add(Params.xlog1py(beta.sub(1), x.neg())).sub(logBeta(alpha, beta));
    }

    /**
     * I_x(α, β), the regularised incomplete beta function. Differentiable in x (to any order); the derivatives in the
     * concentrations are not implemented, so a gradient that must reach one requiring grad throws instead of coming back
     * as zero (PyTorch's Beta has no cdf).
     */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.unitInterval());
        return v.betaI(alpha, beta, "Beta.cdf with respect to concentration1 or concentration0");
    }

    /**
     * The quantile, I_x(α, β) = q solved by a kernel (Newton steps inside a bisection bracket), then one Newton correction
     * in Tensor ops, x + (q - I_x)/p(x), so the result is differentiable once in q (dx/dq = 1/density). There is no
     * gradient in the concentrations: one that must reach a concentration requiring grad throws.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor a = alpha, b = beta;     // not detached: a gradient that must reach them throws (BetaI's shapes) instead of reading 0
        NDArray x0 = p.data().betaIInv(a.data(), b.data());
        NDArray inner = x0.gt(0).and(x0.lt(1));            // the density is positive and finite inside (0, 1)
        return Params.newtonCorrected(p, x0, inner, 0.5, x -> x.betaI(a, b, "Beta.icdf with respect to the concentrations"),
                x -> Params.xlogy(a.sub(1), x).add(Params.xlog1py(b.sub(1), x.neg())).sub(logBeta(a, b)));
    }

    /** log B(α, β) = log Γ(α) + log Γ(β) - log Γ(α + β). */
    static Tensor logBeta(Tensor a, Tensor b) { return a.lgamma().add(b.lgamma()).sub(a.add(b).lgamma()); }

    /** log B(α, β) - (α - 1) ψ(α) - (β - 1) ψ(β) + (α + β - 2) ψ(α + β). */
    @Override
    public Tensor entropy() {
        Tensor s = alpha.add(beta);
        return logBeta(alpha, beta).sub(alpha.sub(1).mul(alpha.digamma())).sub(beta.sub(1).mul(beta.digamma()))
                .add(s.sub(2).mul(s.digamma()));
    }

    /** α/(α + β). */
    @Override
    public Tensor mean() { return alpha.div(alpha.add(beta)); }

    /** αβ/((α + β)²(α + β + 1)). */
    @Override
    public Tensor variance() {
        Tensor s = alpha.add(beta);
        return alpha.mul(beta).div(s.square().mul(s.add(1)));
    }

    /**
     * (α - 1)/(α + β - 2) when α, β &gt; 1; 0 when α &lt;= 1 &lt; β; 1 when β &lt;= 1 &lt; α. When both are &lt;= 1 the density is
     * largest at an end, the one where it grows faster: 1 if α &gt; β (at α = 1 only that end is unbounded), 0 if α &lt; β
     * (the rule of Dirichlet's mode for k = 2). NaN where α = β &lt;= 1, as HasMode promises: a flat density (α = β = 1,
     * where PyTorch agrees) or two equal peaks (where PyTorch returns 1 from an argmax over NaNs).
     */
    @Override
    public Tensor mode() {
        Tensor am = alpha.sub(1).clampMin(0), bm = beta.sub(1).clampMin(0);
        NDArray corner = am.data().eq(0).and(bm.data().eq(0));
        Tensor den = am.add(bm);
        den = Tensor.where(corner, Tensor.onesLike(den), den);
        Tensor interior = am.div(den);
        NDArray a = alpha.data(), b = beta.data();
        Tensor end = Tensor.of(NDArray.where(a.eq(b), NDArray.scalar(dtype(), Double.NaN), a.gt(b).to(dtype())));
        return Tensor.where(corner, end, interior);
    }

    @Override
    public Beta expand(int... batchShape) { return (Beta) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.unitInterval(); }
}
