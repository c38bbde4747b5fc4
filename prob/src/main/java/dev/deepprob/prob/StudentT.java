package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Shapes;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Generator;

/**
 * Student's t distribution with df degrees of freedom, location loc and scale, as torch.distributions.StudentT.
 * {@link #rsample} is loc + scale·Z/√(V/df) with Z ~ N(0, 1) and V ~ χ²(df) = 2·Gamma(df/2, 1), differentiable in
 * all three parameters (df through the implicit reparameterisation of the gamma draw). Density, moments and
 * entropy from Johnson, Kotz and Balakrishnan vol. 2, ch. 28.
 */
public final class StudentT extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<StudentT> ARGS = Args.of("StudentT", StudentT::new, Args.arg("df", Constraints.positive()), Args.arg("loc", Constraints.real()), Args.arg("scale", Constraints.positive()));
    private static final double HALF_LOG_PI = 0.5 * Math.log(Math.PI);

    private final Tensor df, loc, scale;

    /**
     * @param df    degrees of freedom ν &gt; 0
     * @param loc   location
     * @param scale scale &gt; 0
     */
    public StudentT(Tensor df, Tensor loc, Tensor scale) { this(df, loc, scale, Distribution.validateByDefault()); }

    /** The standard t distribution (loc 0, scale 1) with df of any shape. */
    public StudentT(Tensor df) {
        this(df, df == null ? null : Tensor.zeros(df.dtype()), df == null ? null : Tensor.ones(df.dtype()));
    }

    /** StudentT with scalar parameters of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public StudentT(double df, double loc, double scale) { this(Params.scalar(df), Params.scalar(loc), Params.scalar(scale)); }

    /** As {@link #StudentT(Tensor, Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public StudentT(Tensor df, Tensor loc, Tensor scale, boolean validate) { this(ARGS.bind(validate, df, loc, scale)); }

    private StudentT(Args.Bound b) {
        super(b);
        this.df = b.get(0);
        this.loc = b.get(1);
        this.scale = b.get(2);
    }

    public Tensor df() { return df; }

    public Tensor loc() { return loc; }

    public Tensor scale() { return scale; }

    /** loc + scale·Z·√(df/V), Z ~ N(0, 1) drawn first, then V = 2·Gamma(df/2, 1). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        int[] s = extendedShape(sampleShape);
        Tensor z = Tensor.randn(gen, dtype(), loc.backend(), s);
        Tensor v = df.mul(0.5).expand(s).standardGamma(gen).mul(2);
        return loc.add(scale.mul(z.mul(df.div(v).sqrt())));
    }

    /**
     * -((ν + 1)/2) log(1 + y²/ν) - log scale - ½ log ν - ½ log π - log Γ(ν/2) + log Γ((ν + 1)/2), with
     * y = (x - loc)/scale.
     */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.real());
        Tensor y = x.sub(loc).div(scale);
        Tensor norm = scale.log().add(df.log().mul(0.5)).add(HALF_LOG_PI).add(df.mul(0.5).lgamma()).sub(df.add(1).mul(0.5).lgamma());
        return y.square().div(df).log1p().mul(df.add(1).mul(-0.5)).sub(norm);
    }

    /** Below this |y| the cdf is 1/2 + p(0)·y: exact to O(y³), and free of the 0·∞ of the incomplete-beta form at y = 0. */
    private static final double CDF_LINEAR = 1e-6;

    /**
     * F(y; ν) with y = (x - loc)/scale. The value is the engine's Student t kernel (½ I_z(ν/2, ½) with z = ν/(ν + y²) and
     * 1 - z formed separately, DiDonato and Morris's BGRAT for large ν: relative error about 1e-14 for ν up to 1e12 and in
     * both tails). The gradient comes from the incomplete-beta forms below in Tensor ops, added as g - g.detach():
     * for y² &lt; ν, ½ ± ½ I_w(½, ν/2) with w = y²/(ν + y²); in the tails, ½ I_z(ν/2, ½) or one minus it (A&amp;S 26.7.1
     * through 26.5.27). Differentiable in x, loc and scale (to second order and beyond). Not in ν: ν enters as a shape
     * parameter of the incomplete beta, whose derivative in its shapes is not implemented, so a gradient that must reach a
     * df requiring grad throws with that reason instead of coming back as zero. PyTorch's StudentT has no cdf.
     */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.real());
        Tensor y = v.sub(loc).div(scale);
        Tensor nu = df;
        Tensor g = differentiableCdf(y, nu);
        return Tensor.of(nu.data().studentTCdf(y.data())).add(g.sub(g.detach()));
    }

    /** The incomplete-beta composition of F(y; ν) whose derivatives the cdf uses (its value loses digits for large ν). */
    private Tensor differentiableCdf(Tensor y, Tensor nu) {
        NDArray yd = y.data(), small = yd.abs().lt(CDF_LINEAR), central = yd.square().lt(nu.data()), positive = yd.gt(0);
        Tensor safeY = Tensor.where(small, Tensor.onesLike(y), y), y2 = safeY.square(), half = Tensor.full(dtype(), 0.5, nu.dims());
        Tensor w = Tensor.where(central, y2, nu).div(nu.add(y2));        // y²/(ν+y²) centrally, ν/(ν+y²) in the tails
        String why = "StudentT.cdf with respect to df";
        Tensor centre = w.betaI(half, nu.mul(0.5), why).mul(0.5), tail = w.betaI(nu.mul(0.5), half, why).mul(0.5);
        Tensor centralCdf = Tensor.where(positive, centre.add(0.5), centre.neg().add(0.5));
        Tensor tailCdf = Tensor.where(positive, tail.neg().add(1), tail);
        Tensor near = y.mul(standardDensityAtZero(nu)).add(0.5);
        return Tensor.where(small, near, Tensor.where(central, centralCdf, tailCdf));
    }

    /** Γ((ν + 1)/2) / (√(νπ) Γ(ν/2)), the standard t density at 0. */
    private static Tensor standardDensityAtZero(Tensor nu) {
        return nu.add(1).mul(0.5).lgamma().sub(nu.mul(0.5).lgamma()).sub(nu.log().mul(0.5)).sub(HALF_LOG_PI).exp();
    }

    /**
     * The quantile loc + scale·t, t from the engine's kernel: |t| = √(ν w/z) with I_z(ν/2, ½) = 2 min(q, 1 - q) solved for
     * z and w = 1 - z each to full precision (forming 1/z - 1 lost 3e-8 at ν = 1e8); a Newton step in Tensor ops supplies
     * the gradient (see Params.newtonCorrected), so the result is differentiable (once) in q, loc and scale. There is no
     * gradient in ν: one that must reach a df requiring grad throws.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        Tensor nu = df;                 // not detached: a gradient that must reach ν throws (the cdf's incomplete beta) instead of reading 0
        int[] s = Shapes.broadcast("StudentT.icdf", p.dims(), batchShape());
        NDArray t0 = nu.data().expand(s).studentTIcdf(p.data().expand(s));
        NDArray inner = t0.abs().lt(Double.POSITIVE_INFINITY);
        StudentT standard = new StudentT(nu, Tensor.zeros(dtype()), Tensor.ones(dtype()), false);
        return loc.add(scale.mul(Params.newtonCorrected(p, t0, inner, 0, standard::cdf, standard::logProb)));
    }

    /** log scale + ((ν + 1)/2)(ψ((ν + 1)/2) - ψ(ν/2)) + ½ log ν + log B(ν/2, ½). */
    @Override
    public Tensor entropy() {
        Tensor h = df.mul(0.5), h1 = df.add(1).mul(0.5);
        Tensor logB = h.lgamma().add(HALF_LOG_PI).sub(h1.lgamma()); // log Γ(½) = ½ log π
        return scale.log().add(h1.mul(h1.digamma().sub(h.digamma()))).add(df.log().mul(0.5)).add(logB);
    }

    /** loc for ν &gt; 1, NaN otherwise (the mean does not exist). */
    @Override
    public Tensor mean() {
        return Tensor.where(df.data().gt(1), loc, Tensor.full(dtype(), Double.NaN, batchShape()));
    }

    @Override
    public Tensor mode() { return loc; }

    /** scale² ν/(ν - 2) for ν &gt; 2, +inf for 1 &lt; ν &lt;= 2, NaN for ν &lt;= 1. */
    @Override
    public Tensor variance() {
        Tensor safeDf = Tensor.where(df.data().gt(2), df, Tensor.full(dtype(), 3, batchShape()));
        Tensor v = scale.square().mul(safeDf).div(safeDf.sub(2));
        Tensor inf = Tensor.full(dtype(), Double.POSITIVE_INFINITY, batchShape());
        Tensor nan = Tensor.full(dtype(), Double.NaN, batchShape());
        return Tensor.where(df.data().gt(2), v, Tensor.where(df.data().gt(1), inf, nan));
    }

    @Override
    public StudentT expand(int... batchShape) { return (StudentT) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.real(); }
}
