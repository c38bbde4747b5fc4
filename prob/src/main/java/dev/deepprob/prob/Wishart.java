package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The Wishart distribution of p × p positive definite matrices with df &gt; p - 1 degrees of freedom and scale matrix Σ, as
 * torch.distributions.Wishart, from Σ ({@link #withCovariance}), its lower Cholesky factor L ({@link #withScaleTril}) or its
 * inverse ({@link #withPrecision}). {@link #rsample} is Bartlett's decomposition L A Aᵀ Lᵀ (A lower triangular with
 * A_ii² ~ χ²(df - i) and standard normals below), reparameterised in L and, through the Gamma draws, in df. Log-density,
 * moments and entropy from Anderson (2003), "An Introduction to Multivariate Statistical Analysis", section 7.2, as torch.
 */
public final class Wishart extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy {
    private static final double LOG_2 = Math.log(2);

    private enum Form { COVARIANCE, SCALE_TRIL, PRECISION }

    private static Args<Wishart> args(Form f) {
        String name = switch (f) { case COVARIANCE -> "covarianceMatrix"; case SCALE_TRIL -> "scaleTril"; case PRECISION -> "precisionMatrix"; };
        Constraint c = f == Form.SCALE_TRIL ? Constraints.lowerCholesky() : Constraints.positiveDefinite();
        return new Args<Wishart>("Wishart", b -> new Wishart(b, f), 2, b -> {
            int p = b.get(1).shape(-1);
            Constraints.greaterThan(p - 1.0).check("Wishart: df (for " + p + " x " + p + " matrices)", b.get(0).data());
        }, java.util.List.of(Args.arg("df", Constraints.real()), new Args.Arg(name, (d, n, t) -> {
            if (t.dim() < 2 || t.shape(-1) != t.shape(-2)) throw new IllegalArgumentException(d + ": " + n
                    + " must be square matrices (..., p, p), got shape " + t.shape());
            c.check(d + ": " + n, t.data());
        }, 2)));
    }

    private static final Args<Wishart> COVARIANCE = args(Form.COVARIANCE), SCALE_TRIL = args(Form.SCALE_TRIL), PRECISION = args(Form.PRECISION);

    private final Tensor df, scaleTril;
    private final int p;

    private Wishart(Args.Bound b, Form f) {
        super(b);
        this.df = b.get(0);
        Tensor m = b.get(1);
        this.p = m.shape(-1);
        this.scaleTril = switch (f) {
            case COVARIANCE -> m.cholesky();
            case SCALE_TRIL -> m;
            case PRECISION -> m.inverse().cholesky();
        };
    }

    /** Wishart(df, Σ) with df &gt; p - 1 and Σ (..., p, p) positive definite. */
    public static Wishart withCovariance(Tensor df, Tensor covarianceMatrix) { return COVARIANCE.build(Distribution.validateByDefault(), df, covarianceMatrix); }

    /** As {@link #withCovariance(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Wishart withCovariance(Tensor df, Tensor covarianceMatrix, boolean validate) { return COVARIANCE.build(validate, df, covarianceMatrix); }

    /** Wishart(df, L Lᵀ) from the lower Cholesky factor L (..., p, p) of the scale matrix. */
    public static Wishart withScaleTril(Tensor df, Tensor scaleTril) { return SCALE_TRIL.build(Distribution.validateByDefault(), df, scaleTril); }

    /** Wishart(df, P⁻¹) from the precision matrix P (..., p, p). */
    public static Wishart withPrecision(Tensor df, Tensor precisionMatrix) { return PRECISION.build(Distribution.validateByDefault(), df, precisionMatrix); }

    public Tensor df() { return df; }

    /** The lower Cholesky factor L of the scale matrix, (batch..., p, p). */
    public Tensor scaleTril() { return scaleTril; }

    /** The scale matrix Σ = L Lᵀ. */
    public Tensor covarianceMatrix() { return scaleTril.matmul(scaleTril.mT()); }

    /** log Γ_p(a) = p(p - 1)/4 log π + Σ_{j=1..p} log Γ(a + (1 - j)/2), the multivariate gamma function. */
    static Tensor mvlgamma(Tensor a, int p) {
        Tensor s = a.lgamma();
        for (int j = 2; j <= p; j++) s = s.add(a.add((1 - j) / 2.0).lgamma());
        return s.add(p * (p - 1) / 4.0 * Math.log(Math.PI));
    }

    /** Σ_{j=0..p-1} ψ(a - j/2), the derivative of log Γ_p. */
    static Tensor mvdigamma(Tensor a, int p) {
        Tensor s = a.digamma();
        for (int j = 1; j < p; j++) s = s.add(a.sub(j / 2.0).digamma());
        return s;
    }

    private Tensor halfLogDetScale() { return scaleTril.diagonal(0, -2, -1).log().sum(new int[]{-1}, false); }

    /** L A Aᵀ Lᵀ with A_ii = √(2 Gamma((df - i)/2)) (at least eps) and N(0, 1) entries below the diagonal. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        int[] out = extendedShape(sampleShape);
        int[] diagShape = java.util.Arrays.copyOf(out, out.length - 1);
        Tensor shapes = df.unsqueeze(-1).sub(Tensor.of(NDArray.arange(dtype(), p))).mul(0.5);      // (batch..., p)
        Tensor chi = shapes.expand(diagShape).standardGamma(gen).mul(2).sqrt().clampMin(Params.eps(dtype()));
        Tensor below = Tensor.randn(gen, dtype(), df.backend(), out).tril(-1).detach();
        Tensor a = chi.diagEmbed().add(below);
        Tensor c = scaleTril.matmul(a);
        return c.matmul(c.mT());
    }

    /**
     * -df (p log 2/2 + ½ log det Σ) - log Γ_p(df/2) + (df - p - 1)/2 log det X - tr(Σ⁻¹ X)/2, with tr(Σ⁻¹ X) = tr(L⁻¹ X L⁻ᵀ)
     * by two triangular solves and log det X from X's Cholesky factor.
     */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.positiveDefinite());
        Tensor m = MultivariateNormal.trilSolve(scaleTril, x);
        Tensor n = MultivariateNormal.trilSolve(scaleTril, m.mT());
        Tensor trace = n.diagonal(0, -2, -1).sum(new int[]{-1}, false);
        Tensor logDetX = x.cholesky().diagonal(0, -2, -1).log().sum(new int[]{-1}, false).mul(2);
        return df.mul(halfLogDetScale().add(p * LOG_2 / 2)).neg().sub(mvlgamma(df.mul(0.5), p))
                .add(df.sub(p + 1).mul(0.5).mul(logDetX)).sub(trace.mul(0.5));
    }

    /** df Σ. */
    @Override
    public Tensor mean() { return covarianceMatrix().mul(df.unsqueeze(-1).unsqueeze(-1)); }

    /** df (Σ_ij² + Σ_ii Σ_jj), elementwise. */
    @Override
    public Tensor variance() {
        Tensor v = covarianceMatrix();
        Tensor d = v.diagonal(0, -2, -1);
        return v.square().add(d.unsqueeze(-1).mul(d.unsqueeze(-2))).mul(df.unsqueeze(-1).unsqueeze(-1));
    }

    /** (df - p - 1) Σ where df &gt; p + 1, NaN otherwise (as torch). */
    @Override
    public Tensor mode() {
        Tensor f = df.sub(p + 1);
        Tensor m = covarianceMatrix().mul(f.unsqueeze(-1).unsqueeze(-1));
        NDArray undefined = f.data().le(0).unsqueeze(-1).unsqueeze(-1).expand(m.dims());
        return Tensor.of(m.data().maskedFill(undefined, Double.NaN));
    }

    /** (p + 1)(p log 2/2 + ½ log det Σ) + log Γ_p(df/2) - (df - p - 1)/2 ψ_p(df/2) + df p/2. */
    @Override
    public Tensor entropy() {
        Tensor h = df.mul(0.5);
        return halfLogDetScale().add(p * LOG_2 / 2).mul(p + 1).add(mvlgamma(h, p)).sub(df.sub(p + 1).mul(0.5).mul(mvdigamma(h, p)))
                .add(df.mul(p / 2.0));
    }

    @Override
    public Wishart expand(int... batchShape) { return (Wishart) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.positiveDefinite(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("df", df, "covarianceMatrix", covarianceMatrix()); }
}
