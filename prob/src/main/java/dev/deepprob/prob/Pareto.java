package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The Pareto (type I) distribution with density α s^α / x^(α+1) on x &gt;= s, for scale s and shape α, as
 * torch.distributions.Pareto(scale, alpha). {@link #rsample} is s exp(E/α) with E ~ Exp(1), differentiable in both.
 * The mean is +inf for α &lt;= 1 and the variance for α &lt;= 2 (as torch). Johnson, Kotz and Balakrishnan vol. 1, ch. 20.
 */
public final class Pareto extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Pareto> ARGS = Args.of("Pareto", Pareto::new, Args.arg("scale", Constraints.positive()),
            Args.arg("alpha", Constraints.positive()));

    private final Tensor scale, alpha;

    /**
     * @param scale the smallest value s &gt; 0
     * @param alpha the tail index α &gt; 0
     */
    public Pareto(Tensor scale, Tensor alpha) { this(scale, alpha, Distribution.validateByDefault()); }

    /** Pareto with scalar parameters of the default floating dtype. */
    public Pareto(double scale, double alpha) { this(Params.scalar(scale), Params.scalar(alpha)); }

    /** As {@link #Pareto(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Pareto(Tensor scale, Tensor alpha, boolean validate) { this(ARGS.bind(validate, scale, alpha)); }

    private Pareto(Args.Bound b) {
        super(b);
        this.scale = b.get(0);
        this.alpha = b.get(1);
    }

    public Tensor scale() { return scale; }

    public Tensor alpha() { return alpha; }

    /** s exp(-log1p(-u)/α), u ~ U[0, 1). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return quantile(Tensor.rand(gen, dtype(), scale.backend(), extendedShape(sampleShape)));
    }

    private Tensor quantile(Tensor u) { return scale.mul(u.neg().log1p().neg().div(alpha).exp()); }

    /** log α + α log s - (α + 1) log x. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, support());
        return alpha.log().add(alpha.mul(scale.log())).sub(alpha.add(1).mul(x.log()));
    }

    /** 1 - (s/x)^α = -expm1(α log(s/x)), 0 below s. */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.nonNegative());
        // log(x/s) = log1p((x - s)/s): x - s is exact near s, where the cdf 1 - (s/x)^α is smallest and log(s/x) would round
        return alpha.mul(v.sub(scale).div(scale).clampMin(0).log1p()).neg().expm1().neg();
    }

    /** s (1 - q)^(-1/α). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return quantile(p);
    }

    /** α s/(α - 1) for α &gt; 1, +inf otherwise. */
    @Override
    public Tensor mean() {
        dev.deepprob.engine.NDArray finite = alpha.data().gt(1);
        Tensor a = Tensor.where(finite, alpha, Tensor.full(dtype(), 2, batchShape()));
        return Tensor.where(finite, a.mul(scale).div(a.sub(1)), Tensor.full(dtype(), Double.POSITIVE_INFINITY, batchShape()));
    }

    /** s² α/((α - 1)² (α - 2)) for α &gt; 2, +inf otherwise. */
    @Override
    public Tensor variance() {
        dev.deepprob.engine.NDArray finite = alpha.data().gt(2);
        Tensor a = Tensor.where(finite, alpha, Tensor.full(dtype(), 3, batchShape()));
        Tensor v = scale.square().mul(a).div(a.sub(1).square().mul(a.sub(2)));
        return Tensor.where(finite, v, Tensor.full(dtype(), Double.POSITIVE_INFINITY, batchShape()));
    }

    /** s. */
    @Override
    public Tensor mode() { return scale; }

    /** log(s/α) + 1/α + 1. */
    @Override
    public Tensor entropy() { return scale.div(alpha).log().add(alpha.reciprocal()).add(1); }

    @Override
    public Pareto expand(int... batchShape) { return (Pareto) super.expand(batchShape); }

    /** x &gt;= s, elementwise over the batch. */
    @Override
    public Constraint support() { return Constraints.greaterThanEq(scale.data()); }
}
