package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;

/**
 * The Laplace (double exponential) distribution with density exp(-|x - loc|/scale)/(2 scale), as
 * torch.distributions.Laplace. Samples invert the cdf, loc - scale·sign(u)·log(1 - |u|) with u ~ U(-1, 1), so
 * {@link #rsample} is differentiable in loc and scale (Johnson, Kotz and Balakrishnan vol. 2, ch. 24).
 */
public final class Laplace extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Laplace> ARGS = Args.of("Laplace", Laplace::new, Args.arg("loc", Constraints.real()), Args.arg("scale", Constraints.positive()));

    private final Tensor loc, scale;

    /**
     * @param loc   location (mean, median and mode)
     * @param scale scale b &gt; 0 (the standard deviation is √2 b)
     */
    public Laplace(Tensor loc, Tensor scale) { this(loc, scale, Distribution.validateByDefault()); }

    /** Laplace with scalar parameters of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Laplace(double loc, double scale) { this(Params.scalar(loc), Params.scalar(scale)); }

    /** As {@link #Laplace(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Laplace(Tensor loc, Tensor scale, boolean validate) { this(ARGS.bind(validate, loc, scale)); }

    private Laplace(Args.Bound b) {
        super(b);
        this.loc = b.get(0);
        this.scale = b.get(1);
    }

    public Tensor loc() { return loc; }

    public Tensor scale() { return scale; }

    /**
     * loc - scale·sign(u)·log1p(-|u|) with u uniform on [-1 + eps, 1): the open lower end keeps log1p finite
     * (as PyTorch, which draws from (eps - 1, 1)).
     */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        double eps = Params.eps(dtype());
        Tensor u = Tensor.uniform(gen, dtype(), -1 + eps, 1, extendedShape(sampleShape));
        return loc.sub(scale.mul(u.sign().mul(u.abs().neg().log1p())));
    }

    /** -log(2 scale) - |x - loc|/scale. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.real());
        return x.sub(loc).abs().div(scale).neg().sub(scale.mul(2).log());
    }

    /** 1 + log(2 scale). */
    @Override
    public Tensor entropy() { return scale.mul(2).log().add(1); }

    @Override
    public Tensor mean() { return loc; }

    @Override
    public Tensor mode() { return loc; }

    /** 2 scale². */
    @Override
    public Tensor variance() { return scale.square().mul(2); }

    @Override
    public Tensor stddev() { return scale.mul(Math.sqrt(2)); }

    /** ½ - ½ sign(x - loc) expm1(-|x - loc|/scale). */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.real());
        Tensor d = v.sub(loc);
        return d.sign().mul(d.abs().div(scale).neg().expm1()).mul(-0.5).add(0.5);
    }

    /** loc - scale·sign(q - ½)·log1p(-2|q - ½|). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor t = p.sub(0.5);
        return loc.sub(scale.mul(t.sign().mul(t.abs().mul(-2).log1p())));
    }

    @Override
    public Laplace expand(int... batchShape) { return (Laplace) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.real(); }
}
