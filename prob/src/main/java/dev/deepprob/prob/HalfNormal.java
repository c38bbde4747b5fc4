package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The half-normal distribution, |X| for X ~ N(0, scale²), as torch.distributions.HalfNormal: density
 * 2 φ(x/scale)/scale on x &gt;= 0. {@link #rsample} is scale·|ε|, differentiable in scale. Moments and entropy from
 * Johnson, Kotz and Balakrishnan vol. 1, ch. 13 (the folded normal with mean 0).
 */
public final class HalfNormal extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<HalfNormal> ARGS = Args.of("HalfNormal", HalfNormal::new, Args.arg("scale", Constraints.positive()));
    private static final double LOG_2 = Math.log(2), HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Tensor scale;

    /** @param scale the scale of the normal folded at 0, &gt; 0 */
    public HalfNormal(Tensor scale) { this(scale, Distribution.validateByDefault()); }

    /** HalfNormal with a scalar scale of the default floating dtype. */
    public HalfNormal(double scale) { this(Params.scalar(scale)); }

    /** As {@link #HalfNormal(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public HalfNormal(Tensor scale, boolean validate) { this(ARGS.bind(validate, scale)); }

    private HalfNormal(Args.Bound b) {
        super(b);
        this.scale = b.get(0);
    }

    public Tensor scale() { return scale; }

    /** scale·|ε|, ε ~ N(0, 1). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return Tensor.randn(gen, dtype(), scale.backend(), extendedShape(sampleShape)).abs().mul(scale);
    }

    /** log 2 - x²/(2 scale²) - log scale - ½ log 2π. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.nonNegative());
        return x.div(scale).square().mul(-0.5).sub(scale.log()).add(LOG_2 - HALF_LOG_2PI);
    }

    /** erf(x/(scale √2)) = 2Φ(x/scale) - 1. */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        return v.div(scale).mul(1 / Math.sqrt(2)).erf();
    }

    /**
     * scale √2 erfinv(q), from the Normal quantile in each range where it keeps q's digits: -Φ⁻¹((1 - q)/2) for q &gt;= ½ (1 - q
     * is exact there, where (1 + q)/2 would round q's distance from 1 away), Φ⁻¹((1 + q)/2) for 10⁻³ &lt;= q &lt; ½, and the
     * series √π/2 (q + π q³/12 + 7π² q⁵/480 + 127π³ q⁷/40320) below 10⁻³ (A&amp;S 7.1.1 inverted; the next term is below
     * 10⁻¹⁸ relative), where (1 + q)/2 would lose q altogether.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor upper = StandardNormal.icdf(p.rsub(1).mul(0.5)).neg();
        Tensor middle = StandardNormal.icdf(p.add(1).mul(0.5));
        double pi = Math.PI;
        Tensor p2 = p.square();
        Tensor series = p.mul(p2.mul(127 * pi * pi * pi / 40320).add(7 * pi * pi / 480).mul(p2).add(pi / 12).mul(p2).add(1))
                .mul(Math.sqrt(2 * pi) / 2);
        dev.deepprob.engine.NDArray pd = p.data();
        return Tensor.where(pd.ge(0.5), upper, Tensor.where(pd.ge(1e-3), middle, series)).mul(scale);
    }

    /** scale √(2/π). */
    @Override
    public Tensor mean() { return scale.mul(Math.sqrt(2 / Math.PI)); }

    /** scale² (1 - 2/π). */
    @Override
    public Tensor variance() { return scale.square().mul(1 - 2 / Math.PI); }

    /** 0. */
    @Override
    public Tensor mode() { return scale.mul(0.0); }

    /** ½ log(π scale²/2) + ½. */
    @Override
    public Tensor entropy() { return scale.log().add(0.5 * Math.log(Math.PI / 2) + 0.5); }

    @Override
    public HalfNormal expand(int... batchShape) { return (HalfNormal) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegative(); }
}
