package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The gamma distribution with shape α (concentration) and rate β, density β^α x^(α-1) e^(-βx)/Γ(α), as
 * torch.distributions.Gamma. {@link #rsample} draws Gamma(α, 1) by {@link Tensor#standardGamma} (differentiable
 * in α by implicit reparameterisation, Figurnov, Mohamed and Mnih 2018) and divides by β.
 */
public final class Gamma extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Gamma> ARGS = Args.of("Gamma", Gamma::new, Args.arg("concentration", Constraints.positive()), Args.arg("rate", Constraints.positive()));

    private final Tensor concentration, rate;

    /**
     * @param concentration shape α &gt; 0
     * @param rate          rate β &gt; 0 (the scale is 1/β)
     */
    public Gamma(Tensor concentration, Tensor rate) { this(concentration, rate, Distribution.validateByDefault()); }

    /** Gamma with scalar parameters of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Gamma(double concentration, double rate) { this(Params.scalar(concentration), Params.scalar(rate)); }

    /** As {@link #Gamma(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Gamma(Tensor concentration, Tensor rate, boolean validate) { this(ARGS.bind(validate, concentration, rate)); }

    private Gamma(Args.Bound b) {
        super(b);
        this.concentration = b.get(0);
        this.rate = b.get(1);
    }

    public Tensor concentration() { return concentration; }

    public Tensor rate() { return rate; }

    /** standardGamma(α)/β, at least the dtype's smallest normal number (as PyTorch clamps). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor g = concentration.expand(extendedShape(sampleShape)).standardGamma(gen);
        return g.div(rate).clampMin(Params.tiny(dtype()));
    }

    /** α log β + (α - 1) log x - βx - log Γ(α), with 0·log 0 = 0 at x = 0. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.nonNegative());
        return concentration.mul(rate.log()).add(Params.xlogy(concentration.sub(1), x)).sub(rate.mul(x)).sub(concentration.lgamma());
    }

    /** α - log β + log Γ(α) + (1 - α) ψ(α). */
    @Override
    public Tensor entropy() {
        Tensor a = concentration;
        return a.sub(rate.log()).add(a.lgamma()).add(a.rsub(1).mul(a.digamma()));
    }

    /** α/β. */
    @Override
    public Tensor mean() { return concentration.div(rate); }

    /** (α - 1)/β, or 0 when α &lt; 1. */
    @Override
    public Tensor mode() { return concentration.sub(1).div(rate).clampMin(0); }

    /** α/β². */
    @Override
    public Tensor variance() { return concentration.div(rate.square()); }

    /**
     * P(α, βx), the regularised lower incomplete gamma. Differentiable in x and β (to any order); the derivative in α is
     * not implemented (torch.igamma has none either), so a gradient that must reach a concentration requiring grad
     * throws instead of coming back as zero.
     */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        return concentration.gammaP(rate.mul(v), "Gamma.cdf with respect to concentration");
    }

    /**
     * The quantile y/β with P(α, y) = q, from the engine's gamma quantile kernel (Newton on log P or, above the median,
     * log Q, so both tails keep their digits and the result stays in [0, inf]); a Newton step in Tensor ops supplies the
     * gradient, dx/dq = 1/density (see Params.newtonCorrected), and β's. As for {@link #cdf}, there is no gradient in α: one
     * that must reach an α requiring grad throws.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor a = concentration;       // not detached: a gradient that must reach α throws (GammaP's shape) instead of reading 0
        NDArray y0 = a.data().gammaPInv(p.data());
        NDArray inner = y0.gt(0).and(y0.lt(Double.POSITIVE_INFINITY));
        return Params.newtonCorrected(p, y0, inner, 1, y -> a.gammaP(y, "Gamma.icdf with respect to concentration"), y -> a.sub(1).mul(y.log()).sub(y).sub(a.lgamma())).div(rate);
    }

    @Override
    public Gamma expand(int... batchShape) { return (Gamma) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegative(); }
}
