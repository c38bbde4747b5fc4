package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The F distribution with df1 and df2 degrees of freedom, the ratio of two scaled chi-squares (X₁/df1)/(X₂/df2), as
 * torch.distributions.FisherSnedecor. {@link #rsample} draws that ratio from two Gamma(df/2, df/2) draws, differentiable
 * in both df by implicit reparameterisation. The cdf is I_{df1 x/(df1 x + df2)}(df1/2, df2/2) (A&amp;S 26.6.2); moments,
 * mode and entropy from Johnson, Kotz and Balakrishnan vol. 2, ch. 27.
 */
public final class FisherSnedecor extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<FisherSnedecor> ARGS = Args.of("FisherSnedecor", FisherSnedecor::new,
            Args.arg("df1", Constraints.positive()), Args.arg("df2", Constraints.positive()));

    private final Tensor df1, df2;

    /**
     * @param df1 the numerator's degrees of freedom, &gt; 0
     * @param df2 the denominator's degrees of freedom, &gt; 0
     */
    public FisherSnedecor(Tensor df1, Tensor df2) { this(df1, df2, Distribution.validateByDefault()); }

    /** FisherSnedecor with scalar parameters of the default floating dtype. */
    public FisherSnedecor(double df1, double df2) { this(Params.scalar(df1), Params.scalar(df2)); }

    /** As {@link #FisherSnedecor(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public FisherSnedecor(Tensor df1, Tensor df2, boolean validate) { this(ARGS.bind(validate, df1, df2)); }

    private FisherSnedecor(Args.Bound b) {
        super(b);
        this.df1 = b.get(0);
        this.df2 = b.get(1);
    }

    public Tensor df1() { return df1; }

    public Tensor df2() { return df2; }

    /** Gamma(df1/2, df1/2) / Gamma(df2/2, df2/2), at least the dtype's smallest normal number (as torch). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        int[] s = extendedShape(sampleShape);
        Tensor h1 = df1.mul(0.5), h2 = df2.mul(0.5);
        Tensor x1 = h1.expand(s).standardGamma(gen).div(h1);
        Tensor x2 = h2.expand(s).standardGamma(gen).div(h2);
        return x1.div(x2).clampMin(Params.tiny(dtype()));
    }

    /** lgamma((d1 + d2)/2) - lgamma(d1/2) - lgamma(d2/2) + (d1/2) log(d1/d2) + (d1/2 - 1) log x - ((d1 + d2)/2) log1p(d1 x/d2). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.nonNegative());
        Tensor h1 = df1.mul(0.5), h2 = df2.mul(0.5), hs = h1.add(h2), r = df1.div(df2);
        Tensor t1 = hs.lgamma().sub(h1.lgamma()).sub(h2.lgamma());
        return t1.add(h1.mul(r.log())).add(Params.xlogy(h1.sub(1), x)).sub(hs.mul(r.mul(x).log1p()));
    }

    /** I_z(d1/2, d2/2) with z = d1 x/(d1 x + d2); differentiable in x (the incomplete beta has no derivative in its shapes). torch has no cdf. */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor x = Params.value(this, "cdf", value, dtype(), false, Constraints.nonNegative());
        Tensor dx = df1.mul(x);
        return dx.div(dx.add(df2)).betaI(df1.mul(0.5), df2.mul(0.5));
    }

    /** d2 z/(d1 (1 - z)) with z the Beta(d1/2, d2/2) quantile (a kernel's root, made differentiable by one Newton step). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor ha = df1.mul(0.5), hb = df2.mul(0.5);
        NDArray z0 = p.data().betaIInv(ha.data(), hb.data());
        NDArray x0 = z0.mul(df2.data()).div(z0.neg().add(1).mul(df1.data()));
        NDArray inner = z0.gt(0).and(z0.lt(1));
        return Params.newtonCorrected(p, x0, inner, 1.0, x -> cdf(x), x -> logProb(x));
    }

    /** d2/(d2 - 2) for d2 &gt; 2, NaN otherwise (as torch). */
    @Override
    public Tensor mean() {
        Tensor m = df2.div(df2.sub(2));
        return Tensor.of(m.data().maskedFill(df2.data().le(2), Double.NaN)).add(m.sub(m.detach()));
    }

    /** 2 d2² (d1 + d2 - 2)/(d1 (d2 - 2)² (d2 - 4)) for d2 &gt; 4, NaN otherwise (as torch). */
    @Override
    public Tensor variance() {
        Tensor v = df2.square().mul(2).mul(df1.add(df2).sub(2)).div(df1.mul(df2.sub(2).square()).mul(df2.sub(4)));
        return Tensor.of(v.data().maskedFill(df2.data().le(4), Double.NaN)).add(v.sub(v.detach()));
    }

    /** (d1 - 2)/d1 · d2/(d2 + 2) for d1 &gt; 2, else 0 (where the density is largest or unbounded). torch has no mode. */
    @Override
    public Tensor mode() {
        Tensor m = df1.sub(2).div(df1).mul(df2.div(df2.add(2)));
        return Tensor.where(df1.data().gt(2), m, Tensor.zerosLike(m));
    }

    /**
     * log(d2/d1) + log B(d1/2, d2/2) + (1 - d1/2) ψ(d1/2) - (1 + d2/2) ψ(d2/2) + ((d1 + d2)/2) ψ((d1 + d2)/2), from
     * E[log X] and E[log(1 + d1 X/d2)] of the beta-prime form. torch has no entropy.
     */
    @Override
    public Tensor entropy() {
        Tensor h1 = df1.mul(0.5), h2 = df2.mul(0.5), hs = h1.add(h2);
        return df2.div(df1).log().add(Beta.logBeta(h1, h2)).add(h1.rsub(1).mul(h1.digamma())).sub(h2.add(1).mul(h2.digamma()))
                .add(hs.mul(hs.digamma()));
    }

    @Override
    public FisherSnedecor expand(int... batchShape) { return (FisherSnedecor) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegative(); }
}
