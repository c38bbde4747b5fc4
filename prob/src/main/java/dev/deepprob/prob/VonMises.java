package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The von Mises (circular normal) distribution, p(x) = exp(κ cos(x - loc))/(2π I₀(κ)), as torch.distributions.VonMises.
 * log I₀ and log I₁ are composed of Tensor operations, so differentiable to any order: the power series for κ &lt; 20 and
 * the asymptotic expansion (A&amp;S 9.7.1) beyond, both summed to double precision, where torch uses polynomial fits good to
 * about 1e-7. Sampling is Best and Fisher's (1979) rejection method, as torch's, and not reparameterised; the mean and
 * mode are loc and the variance is the circular variance 1 - I₁(κ)/I₀(κ), as torch.
 */
public final class VonMises extends Distribution implements HasMoments, HasMode, HasEntropy {
    private static final Args<VonMises> ARGS = Args.of("VonMises", VonMises::new, Args.arg("loc", Constraints.real()),
            Args.arg("concentration", Constraints.positive()));
    private static final double SWITCH = 20;
    private static final int SERIES_TERMS = 70, ASYMPTOTIC_TERMS = 30;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Tensor loc, concentration;

    /**
     * @param loc           the mean direction (any real; the density has period 2π)
     * @param concentration κ &gt; 0
     */
    public VonMises(Tensor loc, Tensor concentration) { this(loc, concentration, Distribution.validateByDefault()); }

    /** VonMises with scalar parameters of the default floating dtype. */
    public VonMises(double loc, double concentration) { this(Params.scalar(loc), Params.scalar(concentration)); }

    /** As {@link #VonMises(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public VonMises(Tensor loc, Tensor concentration, boolean validate) { this(ARGS.bind(validate, loc, concentration)); }

    private VonMises(Args.Bound b) {
        super(b);
        this.loc = b.get(0);
        this.concentration = b.get(1);
    }

    public Tensor loc() { return loc; }

    public Tensor concentration() { return concentration; }

    /**
     * log I_ν(κ) - κ (the log of the scaled Bessel function i_νe) for ν = 0 or 1: log Σ_k (κ/2)^(2k+ν)/(k!(k+ν)!) - κ below
     * κ = 20 (70 terms reach the double rounding there), and log Σ_k (-1)^k a_k(ν)/κ^k - ½ log(2πκ) above (A&amp;S 9.7.1; 30
     * terms: the truncation error is below e^(-2κ)). Leaving κ out keeps the digits of differences such as
     * log I₁ - log I₀ ≈ -1/(2κ) at large κ.
     */
    static Tensor logBesselIScaled(int nu, Tensor kappa) {
        NDArray small = kappa.data().lt(SWITCH);
        Tensor ks = Tensor.where(small, kappa, Tensor.onesLike(kappa));
        Tensor kl = Tensor.where(small, Tensor.full(kappa.dtype(), SWITCH, kappa.dims()), kappa);
        // series: the terms' ratio is (κ/2)²/((k + 1)(k + 1 + ν)); summed relative to the first term (κ/2)^ν/ν!
        Tensor q = ks.mul(0.5).square();
        Tensor term = Tensor.onesLike(ks), sum = Tensor.onesLike(ks);
        for (int k = 0; k < SERIES_TERMS; k++) {
            term = term.mul(q).div((double) (k + 1) * (k + 1 + nu));
            sum = sum.add(term);
        }
        Tensor logSeries = sum.log().add(nu == 0 ? Tensor.zerosLike(ks) : ks.mul(0.5).log()).sub(ks);
        // asymptotic: a_k(ν) = Π_{j=1..k} (4ν² - (2j - 1)²) / (k! 8^k), with the alternating sign
        Tensor inv = kl.reciprocal();
        Tensor pw = Tensor.onesLike(kl), asum = Tensor.onesLike(kl);
        double coef = 1;
        for (int k = 1; k <= ASYMPTOTIC_TERMS; k++) {
            coef *= -(4.0 * nu * nu - (2.0 * k - 1) * (2.0 * k - 1)) / (8.0 * k);
            pw = pw.mul(inv);
            asum = asum.add(pw.mul(coef));
        }
        Tensor logAsym = asum.log().sub(kl.mul(2 * Math.PI).log().mul(0.5));
        return Tensor.where(small, logSeries, logAsym);
    }

    /** κ (cos(x - loc) - 1) - log 2π - (log I₀(κ) - κ): κ cos(x - loc) - log(2π I₀(κ)) with κ cancelled exactly. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.real());
        return concentration.mul(x.sub(loc).cos().sub(1)).sub(LOG_2PI).sub(logBesselIScaled(0, concentration));
    }

    /**
     * Best and Fisher's (1979) wrapped-Cauchy envelope, with torch's envelope r = (1 + ρ²)/(2ρ): each round draws three
     * uniforms per unfinished element on the parameters' device until every element is accepted; the angle arccos f is
     * found by bisection of cos on [0, π] (60 halvings, to the double rounding). Values lie in [-π, π).
     */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        int[] s = extendedShape(sampleShape);
        DType t = DType.F64;
        dev.deepprob.engine.Backend dev = loc.backend();
        NDArray k = concentration.data().to(t).expand(s);
        NDArray tau = k.square().mul(4).add(1).sqrt().add(1);
        // torch's ρ = (τ - √(2τ))/(2κ), rewritten as 2κ/(τ + √(2τ)) (τ - 2 = 4κ²/τ), which keeps its digits for small κ
        NDArray rho = k.mul(2).div(tau.add(tau.mul(2).sqrt()));
        NDArray r = rho.square().add(1).div(rho.mul(2));
        NDArray x = NDArray.zeros(t, s);
        NDArray done = NDArray.zeros(t, s).gt(0);
        while (!allTrue(done)) {
            NDArray u1 = NDArray.uniform(gen, t, 0, 1, dev, s), u2 = NDArray.uniform(gen, t, 0, 1, dev, s);
            NDArray u3 = NDArray.uniform(gen, t, 0, 1, dev, s);
            NDArray z = u1.mul(Math.PI).cos();
            NDArray f = r.mul(z).add(1).div(r.add(z));
            NDArray c = k.mul(r.sub(f));
            NDArray accept = c.mul(c.neg().add(2)).sub(u2).gt(0).or(c.div(u2).log().add(1).sub(c).ge(0));
            NDArray take = accept.and(done.not());
            x = NDArray.where(take, u3.sub(0.5).sign().mul(arccos(f.clamp(-1, 1))), x);
            done = done.or(accept);
        }
        NDArray y = x.add(Math.PI).add(loc.data().to(t).expand(s));
        y = y.sub(y.div(2 * Math.PI).floor().mul(2 * Math.PI)).sub(Math.PI);
        return Tensor.of(y.to(dtype()));
    }

    private static boolean allTrue(NDArray mask) {
        for (boolean b : mask.toBooleanArray()) if (!b) return false;
        return true;
    }

    /** arccos f for f in [-1, 1] by bisection on the decreasing cos over [0, π]. */
    private static NDArray arccos(NDArray f) {
        NDArray lo = f.mul(0), hi = lo.add(Math.PI);
        for (int i = 0; i < 60; i++) {
            NDArray mid = lo.add(hi).mul(0.5);
            NDArray above = mid.cos().gt(f);                 // cos(mid) > f: the angle lies beyond mid
            lo = NDArray.where(above, mid, lo);
            hi = NDArray.where(above, hi, mid);
        }
        return lo.add(hi).mul(0.5);
    }

    /** loc. */
    @Override
    public Tensor mean() { return loc; }

    /** The circular variance 1 - I₁(κ)/I₀(κ) = -expm1(log I₁ - log I₀), from the scaled logs (no cancellation at large κ). */
    @Override
    public Tensor variance() { return logBesselIScaled(1, concentration).sub(logBesselIScaled(0, concentration)).expm1().neg(); }

    @Override
    public Tensor mode() { return loc; }

    /** log(2π I₀(κ)) - κ I₁(κ)/I₀(κ) = log 2π + (log I₀(κ) - κ) + κ (1 - I₁/I₀). torch 1.13 has no entropy. */
    @Override
    public Tensor entropy() { return logBesselIScaled(0, concentration).add(LOG_2PI).add(concentration.mul(variance())); }

    @Override
    public VonMises expand(int... batchShape) { return (VonMises) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.real(); }
}
