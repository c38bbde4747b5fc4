package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The LKJ distribution of correlation matrices, given by their lower Cholesky factors L (L Lᵀ has unit diagonal), as
 * torch.distributions.LKJCholesky(dim, concentration): density ∝ det(L Lᵀ)^(η - 1) times the Jacobian of the factor,
 * Π_{i≥2} L_ii^(2(η - 1) + dim - i) (Lewandowski, Kurowicka and Joe 2009, "Generating random correlation matrices based on
 * vines and extended onion method", with the normaliser of their page 1999). Samples by the onion method (ibid., section
 * 3.2), as torch; not reparameterised. Event shape [dim, dim].
 */
public final class LKJCholesky extends Distribution {
    private final int dim;
    private final Tensor concentration;

    private static Args<LKJCholesky> args(int dim) {
        return Args.of("LKJCholesky", b -> new LKJCholesky(b, dim), Args.arg("concentration", Constraints.positive()));
    }

    private LKJCholesky(Args.Bound b, int dim) {
        super(new Args.Bound(b.args(), b.params(), b.batch(), new int[]{dim, dim}, b.dtype(), b.validate()));
        this.dim = dim;
        this.concentration = b.get(0);
    }

    /**
     * @param dim           the size of the correlation matrices, &gt;= 2
     * @param concentration η &gt; 0 (1: uniform over correlation matrices; larger: closer to the identity)
     */
    public LKJCholesky(int dim, Tensor concentration) { this(dim, concentration, Distribution.validateByDefault()); }

    /** LKJCholesky with a scalar concentration of the default floating dtype. */
    public LKJCholesky(int dim, double concentration) { this(dim, Params.scalar(concentration)); }

    /** As {@link #LKJCholesky(int, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public LKJCholesky(int dim, Tensor concentration, boolean validate) { this(checked(dim, concentration, validate), dim); }

    private static Args.Bound checked(int dim, Tensor concentration, boolean validate) {
        if (dim < 2) throw new IllegalArgumentException("LKJCholesky: dim must be >= 2, got " + dim);
        return args(dim).bind(validate, concentration);
    }

    public int dim() { return dim; }

    public Tensor concentration() { return concentration; }

    /**
     * The onion method: row i (i &gt;= 1) is √y times a uniform direction in its first i coordinates, y ~ Beta(i/2, η + (dim - 2
     * - (i - 1))/2), and the diagonal entry makes the row's norm 1.
     */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        int[] out = extendedShape(sampleShape);
        DType t = dtype();
        NDArray offset = NDArray.arange(t, dim).sub(1).maximum(NDArray.zeros(t, dim));        // 0, 0, 1, ..., dim - 2
        NDArray marginal = concentration.data().add(0.5 * (dim - 2)).unsqueeze(-1);            // (batch..., 1)
        Tensor c1 = Tensor.of(offset.add(0.5).expand(Batching.concat(batchShape(), dim)).contiguous());
        Tensor c0 = Tensor.of(marginal.sub(offset.mul(0.5)));
        NDArray y = new Beta(c1, c0, false).sample(gen, sampleShape).data().unsqueeze(-1);      // (sample..., batch..., dim, 1)
        NDArray normal = NDArray.normal(gen, t, 0, 1, concentration.backend(), out).tril(-1);
        NDArray norm = normal.square().sum(new int[]{-1}, true).sqrt();
        NDArray firstRow = NDArray.arange(t, dim).eq(0).to(t).unsqueeze(-1);                   // (dim, 1): 1 in row 0
        NDArray safeNorm = NDArray.where(firstRow.gt(0).expand(norm.dims()), norm.add(1), norm);
        NDArray w = y.sqrt().mul(normal.div(safeNorm));                                        // row 0 is all zero
        NDArray diag = w.square().sum(new int[]{-1}, false).neg().add(1).clamp(Params.tiny(t), Double.POSITIVE_INFINITY).sqrt();
        return Tensor.of(w.add(diag.diagEmbed()));
    }

    /**
     * Σ_{i=2..dim} (2(η - 1) + dim - i) log L_ii minus the normaliser (dim - 1)/2 log π + log Γ_{dim-1}(α - ½) - (dim - 1)
     * log Γ(α) with α = η + (dim - 1)/2 (Γ_p the multivariate gamma function), as torch.
     */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor l = Params.value(this, "logProb", value, dtype(), false, Constraints.corrCholesky());
        Tensor diag = l.diagonal(0, -2, -1).narrow(-1, 1, dim - 1).log();                     // (..., dim - 1)
        Tensor order = Tensor.of(NDArray.arange(dtype(), 2, dim + 1, 1));
        Tensor coef = concentration.sub(1).mul(2).unsqueeze(-1).add(dim).sub(order);
        Tensor unnormalised = coef.mul(diag).sum(new int[]{-1}, false);
        int dm1 = dim - 1;
        Tensor alpha = concentration.add(0.5 * dm1);
        Tensor norm = Wishart.mvlgamma(alpha.sub(0.5), dm1).sub(alpha.lgamma().mul(dm1)).add(0.5 * dm1 * Math.log(Math.PI));
        return unnormalised.sub(norm);
    }

    @Override
    public LKJCholesky expand(int... batchShape) { return (LKJCholesky) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.corrCholesky(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("concentration", concentration); }
}
