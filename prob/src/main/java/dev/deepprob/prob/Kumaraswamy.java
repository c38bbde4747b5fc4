package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The Kumaraswamy distribution on [0, 1] with density a b x^(a-1) (1 - x^a)^(b-1) and cdf 1 - (1 - x^a)^b, as
 * torch.distributions.Kumaraswamy(concentration1 = a, concentration0 = b). Unlike Beta's, its quantile is closed, so
 * {@link #rsample} is the quantile at a uniform draw (Kumaraswamy 1980; moments and entropy from Jones 2009, "Kumaraswamy's
 * distribution: a beta-type distribution with some tractability advantages").
 */
public final class Kumaraswamy extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Kumaraswamy> ARGS = Args.of("Kumaraswamy", Kumaraswamy::new,
            Args.arg("concentration1", Constraints.positive()), Args.arg("concentration0", Constraints.positive()));
    private static final double EULER_GAMMA = 0.57721566490153286061;

    private final Tensor a, b;

    /**
     * @param concentration1 a &gt; 0, the exponent of x
     * @param concentration0 b &gt; 0, the exponent of 1 - x^a
     */
    public Kumaraswamy(Tensor concentration1, Tensor concentration0) { this(concentration1, concentration0, Distribution.validateByDefault()); }

    /** Kumaraswamy with scalar parameters of the default floating dtype. */
    public Kumaraswamy(double concentration1, double concentration0) { this(Params.scalar(concentration1), Params.scalar(concentration0)); }

    /** As {@link #Kumaraswamy(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Kumaraswamy(Tensor concentration1, Tensor concentration0, boolean validate) { this(ARGS.bind(validate, concentration1, concentration0)); }

    private Kumaraswamy(Args.Bound bound) {
        super(bound);
        this.a = bound.get(0);
        this.b = bound.get(1);
    }

    public Tensor concentration1() { return a; }

    public Tensor concentration0() { return b; }

    /** The quantile at u ~ U[0, 1), kept inside [tiny, 1 - eps] as torch's clamp. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor u = Tensor.rand(gen, dtype(), a.backend(), extendedShape(sampleShape));
        return quantile(u).clamp(Params.tiny(dtype()), 1 - Params.eps(dtype()));
    }

    /** (1 - (1 - q)^(1/b))^(1/a) = exp(log(-expm1(log1p(-q)/b))/a). */
    private Tensor quantile(Tensor q) { return q.neg().log1p().div(b).expm1().neg().log().div(a).exp(); }

    /** log a + log b + (a - 1) log x + (b - 1) log1p(-x^a). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.unitInterval());
        Tensor xa = x.pow(a);
        return a.log().add(b.log()).add(Params.xlogy(a.sub(1), x)).add(Params.xlog1py(b.sub(1), xa.neg()));
    }

    /** 1 - (1 - x^a)^b = -expm1(b log1p(-x^a)), clamped to [0, 1]. */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor x = Params.value(this, "cdf", value, dtype(), false, null).clamp(0, 1);
        return x.pow(a).neg().log1p().mul(b).expm1().neg();
    }

    @Override
    public Tensor icdf(Tensor q) { return quantile(Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval())); }

    /** The n-th raw moment b B(1 + n/a, b). */
    private Tensor moment(int n) {
        Tensor c = a.reciprocal().mul(n).add(1);
        return b.log().add(c.lgamma()).add(b.lgamma()).sub(c.add(b).lgamma()).exp();
    }

    /** b B(1 + 1/a, b). */
    @Override
    public Tensor mean() { return moment(1); }

    /** b B(1 + 2/a, b) - mean². */
    @Override
    public Tensor variance() { return moment(2).sub(moment(1).square()); }

    /**
     * ((a - 1)/(a b - 1))^(1/a) for a, b &gt;= 1 not both 1; NaN otherwise (the density is flat or unbounded at an end).
     * torch 1.13 computes (1/b) log1p(-b) - log1p(-ab) in the exponent instead, which is NaN for every b &gt; 1.
     */
    @Override
    public Tensor mode() {
        Tensor m = a.sub(1).div(a.mul(b).sub(1)).log().div(a).exp();
        dev.deepprob.engine.NDArray undefined = a.data().lt(1).or(b.data().lt(1)).or(a.data().eq(1).and(b.data().eq(1)));
        return Tensor.of(m.data().maskedFill(undefined, Double.NaN));
    }

    /** (1 - 1/b) + (1 - 1/a)(ψ(b + 1) + γ) - log a - log b (as torch). */
    @Override
    public Tensor entropy() {
        Tensor t1 = a.reciprocal().rsub(1), t0 = b.reciprocal().rsub(1);
        return t0.add(t1.mul(b.add(1).digamma().add(EULER_GAMMA))).sub(a.log()).sub(b.log());
    }

    @Override
    public Kumaraswamy expand(int... batchShape) { return (Kumaraswamy) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.unitInterval(); }
}
