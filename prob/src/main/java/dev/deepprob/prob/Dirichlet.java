package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

import java.util.Arrays;

/**
 * The Dirichlet distribution on the (k-1)-simplex with density Γ(α₀)/∏Γ(αᵢ) ∏ xᵢ^(αᵢ-1), α₀ = Σαᵢ, as
 * torch.distributions.Dirichlet: concentration (..., k) gives batch shape (...) and event shape [k].
 * {@link #rsample} normalises independent Gamma(αᵢ, 1) draws, differentiable by implicit reparameterisation.
 * Moments and entropy from Kotz, Balakrishnan and Johnson, "Continuous Multivariate Distributions" vol. 1, ch. 49.
 */
public final class Dirichlet extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy {
    private static final Args<Dirichlet> ARGS = Args.of("Dirichlet", Dirichlet::new, Args.vector("concentration", Constraints.positive()))
            .eventRank(1);

    private final Tensor concentration;

    /** @param concentration α (..., k), every element &gt; 0 */
    public Dirichlet(Tensor concentration) { this(concentration, Distribution.validateByDefault()); }

    /** Dirichlet with one concentration vector of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Dirichlet(double... concentration) { this(concentration == null ? (Tensor) null : Tensor.of(concentration)); }

    /** As {@link #Dirichlet(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Dirichlet(Tensor concentration, boolean validate) { this(ARGS.bind(validate, concentration)); }

    private Dirichlet(Args.Bound b) {
        super(b);
        this.concentration = b.get(0);
    }

    /** α, of shape batchShape + [k]. */
    public Tensor concentration() { return concentration; }

    /** g/Σg with gᵢ ~ Gamma(αᵢ, 1), clamped below at the dtype's smallest normal number. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor g = concentration.expand(extendedShape(sampleShape)).standardGamma(gen);
        return g.div(g.sum(new int[]{-1}, true)).clampMin(Params.tiny(dtype()));
    }

    /** Σ (αᵢ - 1) log xᵢ + log Γ(α₀) - Σ log Γ(αᵢ). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, Constraints.simplex());
        Tensor a = concentration;
        return Params.xlogy(a.sub(1), x).sum(new int[]{-1}, false).add(a.sum(new int[]{-1}, false).lgamma())
                .sub(a.lgamma().sum(new int[]{-1}, false));
    }

    /** log B(α) + (α₀ - k) ψ(α₀) - Σ (αᵢ - 1) ψ(αᵢ), with log B(α) = Σ log Γ(αᵢ) - log Γ(α₀). */
    @Override
    public Tensor entropy() {
        Tensor a = concentration;
        int k = a.shape(-1);
        Tensor a0 = a.sum(new int[]{-1}, false);
        Tensor logB = a.lgamma().sum(new int[]{-1}, false).sub(a0.lgamma());
        return logB.add(a0.sub(k).mul(a0.digamma())).sub(a.sub(1).mul(a.digamma()).sum(new int[]{-1}, false));
    }

    /** αᵢ/α₀. */
    @Override
    public Tensor mean() { return concentration.div(concentration.sum(new int[]{-1}, true)); }

    /** αᵢ(α₀ - αᵢ)/(α₀²(α₀ + 1)). */
    @Override
    public Tensor variance() {
        Tensor a0 = concentration.sum(new int[]{-1}, true);
        return concentration.mul(a0.sub(concentration)).div(a0.square().mul(a0.add(1)));
    }

    /**
     * (αᵢ - 1)⁺/Σⱼ(αⱼ - 1)⁺ when some αⱼ &gt; 1 (the interior maximiser, or a face of the simplex where some
     * αᵢ &lt;= 1); when all αᵢ &lt;= 1 the density is largest at a vertex: the one-hot vector of the largest αᵢ, whose
     * neighbours' factors grow fastest. NaN where that largest αᵢ is shared, as HasMode promises: a flat density (all
     * αᵢ = 1, where PyTorch agrees) or equal peaks (where PyTorch returns the first vertex from an argmax over NaNs).
     */
    @Override
    public Tensor mode() {
        Tensor am = concentration.sub(1).clampMin(0);
        Tensor den = am.sum(new int[]{-1}, true);
        NDArray corner = den.data().eq(0);
        Tensor safeDen = Tensor.where(corner, Tensor.onesLike(den), den);
        Tensor interior = am.div(safeDen);
        int k = concentration.shape(-1);
        NDArray c = concentration.data();
        NDArray arg = c.argmax(-1, true).to(DType.F64);
        NDArray idx = NDArray.arange(DType.F64, k);
        NDArray oneHot = arg.eq(idx.reshape(shapeWithLast(arg.rank(), k))).to(dtype());
        NDArray shared = c.eq(c.max(new int[]{-1}, true)).to(DType.F64).sum(new int[]{-1}, true).gt(1);
        Tensor vertex = Tensor.of(NDArray.where(shared, NDArray.scalar(dtype(), Double.NaN), oneHot));
        return Tensor.where(corner, vertex, interior);
    }

    private static int[] shapeWithLast(int rank, int k) {
        int[] s = new int[Math.max(rank, 1)];
        Arrays.fill(s, 1);
        s[s.length - 1] = k;
        return s;
    }

    @Override
    public Dirichlet expand(int... batchShape) { return (Dirichlet) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.simplex(); }
}
