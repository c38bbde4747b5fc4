package dev.deepprob.prob;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

import static dev.deepprob.prob.Batching.concat;

/**
 * The multivariate normal N(loc, W Wᵀ + diag(D)) with a low-rank-plus-diagonal covariance: covFactor W (..., d, r)
 * and covDiag D (..., d), D > 0. Densities and entropy cost O(d r²) instead of O(d³) through the r × r
 * capacitance matrix C = I + Wᵀ D⁻¹ W: Σ⁻¹ = D⁻¹ - D⁻¹ W C⁻¹ Wᵀ D⁻¹ (the Woodbury identity; Petersen &amp;
 * Pedersen, The Matrix Cookbook, 2012, eq. 156) and det Σ = det C · Π D (the matrix determinant lemma; Matrix
 * Cookbook eq. 24). Batch dims of the three parameters broadcast; event shape is [d].
 */
public final class LowRankMultivariateNormal extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final String NAME = "LowRankMultivariateNormal";

    private final Tensor loc;          // (batch..., d)
    private final Tensor covFactor;    // (wbatch..., d, r)
    private final Tensor covDiag;      // (dbatch..., d)
    private final Tensor capTril;      // Cholesky factor of C = I + Wᵀ D⁻¹ W, (broadcast of wbatch and dbatch..., r, r)

    /**
     * @param loc (..., d) the mean
     * @param covFactor (..., d, r) the low-rank factor W
     * @param covDiag (..., d) the diagonal D, positive
     */
    public LowRankMultivariateNormal(Tensor loc, Tensor covFactor, Tensor covDiag) {
        this(loc, covFactor, covDiag, Distribution.validateByDefault());
    }

    /** As the three-argument constructor, choosing whether parameters (and later logProb values) are validated. */
    public LowRankMultivariateNormal(Tensor loc, Tensor covFactor, Tensor covDiag, boolean validate) {
        this(check(loc, covFactor, covDiag, validate), loc, covFactor, covDiag, validate);
    }

    private LowRankMultivariateNormal(int[] batch, Tensor loc, Tensor covFactor, Tensor covDiag, boolean validate) {
        super(batch, new int[]{loc.shape(-1)}, validate);
        this.loc = loc.expand(concat(batch, loc.shape(-1)));
        this.covFactor = covFactor;
        this.covDiag = covDiag;
        int r = covFactor.shape(-1);
        Tensor wd = covFactor.div(covDiag.unsqueeze(-1));                               // D⁻¹ W
        Tensor cap = covFactor.mT().matmul(wd).add(Tensor.eye(loc.dtype(), r));         // I + Wᵀ D⁻¹ W
        this.capTril = cap.cholesky();
    }

    private static int[] check(Tensor loc, Tensor w, Tensor dg, boolean validate) {
        if (loc == null || w == null || dg == null) throw new IllegalArgumentException(NAME + ": loc, covFactor and covDiag must not be null");
        MultivariateNormal.checkFloating(NAME, "loc", loc);
        MultivariateNormal.checkFloating(NAME, "covFactor", w);
        MultivariateNormal.checkFloating(NAME, "covDiag", dg);
        if (w.dtype() != loc.dtype() || dg.dtype() != loc.dtype()) throw new IllegalArgumentException(NAME + ": loc, covFactor and "
                + "covDiag must have the same dtype, got " + loc.dtype() + ", " + w.dtype() + " and " + dg.dtype());
        if (loc.dim() < 1) throw new IllegalArgumentException(NAME + ": loc must have at least one dimension, got shape " + Shapes.str(loc.dims()));
        int d = loc.shape(-1);
        if (d < 1) throw new IllegalArgumentException(NAME + ": loc must have a non-empty last dimension, got shape " + Shapes.str(loc.dims()));
        if (w.dim() < 2 || w.shape(-2) != d || w.shape(-1) < 1) throw new IllegalArgumentException(NAME + ": covFactor must have shape "
                + "(..., d, r) with d = " + d + " from loc and r >= 1, got shape " + Shapes.str(w.dims()));
        if (dg.dim() < 1 || dg.shape(-1) != d) throw new IllegalArgumentException(NAME + ": covDiag must have shape (..., d) with d = "
                + d + " from loc, got shape " + Shapes.str(dg.dims()));
        int[] b1 = Batching.batchOf(NAME, loc.dims(), 1, w.dims(), 2, "covFactor");
        int[] b2 = Batching.batchOf(NAME, loc.dims(), 1, dg.dims(), 1, "covDiag");
        int[] batch;
        try {
            batch = Shapes.broadcast(NAME, b1, b2);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": batch shapes of covFactor " + Shapes.str(Arrays.copyOf(w.dims(), w.dim() - 2))
                    + " and covDiag " + Shapes.str(Arrays.copyOf(dg.dims(), dg.dim() - 1)) + " do not broadcast", e);
        }
        if (validate) {
            Batching.checkFinite(NAME + ": loc", loc.data());
            Batching.checkFinite(NAME + ": covFactor", w.data());
            int bad = Batching.firstFalse(dg.data().gt(0).and(dg.data().lt(Double.POSITIVE_INFINITY)));
            if (bad >= 0) {
                int[] idx = Batching.unravel(bad, dg.dims());
                throw new IllegalArgumentException(NAME + ": covDiag must be > 0 and finite, got " + dg.data().get(idx) + " at "
                        + Arrays.toString(idx));
            }
        }
        return batch;
    }

    // ------------------------------------------------------------------ accessors

    public Tensor loc() { return loc; }

    /** W, (batch..., d, r). */
    public Tensor covFactor() { return covFactor.expand(concat(batchShape(), dimension(), rank())); }

    /** D, (batch..., d). */
    public Tensor covDiag() { return covDiag.expand(extendedShape()); }

    public int dimension() { return loc.shape(-1); }

    /** The number of columns r of W. */
    public int rank() { return covFactor.shape(-1); }

    /** Σ = W Wᵀ + diag(D), (batch..., d, d). */
    public Tensor covarianceMatrix() {
        int d = dimension();
        return covFactor.matmul(covFactor.mT()).add(covDiag.diagEmbed()).expand(concat(batchShape(), d, d));
    }

    /** Σ⁻¹ = D⁻¹ - Aᵀ A with A = L_C⁻¹ Wᵀ D⁻¹ (Woodbury), (batch..., d, d). */
    public Tensor precisionMatrix() {
        int d = dimension();
        Tensor a = MultivariateNormal.trilSolve(capTril, covFactor.div(covDiag.unsqueeze(-1)).mT());
        return covDiag.reciprocal().diagEmbed().sub(a.mT().matmul(a)).expand(concat(batchShape(), d, d));
    }

    /** The lower Cholesky factor of Σ (a dense d × d factorisation), (batch..., d, d). */
    public Tensor scaleTril() { return covarianceMatrix().cholesky(); }

    // package use: KL

    Tensor unbroadcastedCovFactor() { return covFactor; }

    Tensor unbroadcastedCovDiag() { return covDiag; }

    Tensor capacitanceTril() { return capTril; }

    /** log det Σ = 2 Σ log diag L_C + Σ log D, of the broadcast batch of W and D. */
    Tensor logDetCovariance() {
        return MultivariateNormal.halfLogDet(capTril).mul(2).add(covDiag.log().sum(new int[]{-1}, false));
    }

    /**
     * Σ over the columns s of S of sᵀ Σ⁻¹ s = Σ S²/D - ‖L_C⁻¹ Wᵀ D⁻¹ S‖²_F (Woodbury).
     * @param s (..., d, m), batch broadcasting with this distribution's
     */
    Tensor inverseQuadratic(Tensor s) {
        Tensor sd = s.div(covDiag.unsqueeze(-1));                                    // D⁻¹ S
        Tensor t1 = s.mul(sd).sum(new int[]{-2, -1}, false);
        Tensor z = MultivariateNormal.trilSolve(capTril, covFactor.mT().matmul(sd));  // L_C⁻¹ Wᵀ D⁻¹ S
        return t1.sub(z.square().sum(new int[]{-2, -1}, false));
    }

    // ------------------------------------------------------------------ Distribution

    /**
     * log N(x; μ, Σ) = -½ (d log 2π + log det Σ + δᵀ Σ⁻¹ δ), δ = x - μ, with δᵀ Σ⁻¹ δ = Σ δ²/D - ‖L_C⁻¹ Wᵀ D⁻¹ δ‖².
     * @param value (sample..., batch..., d)
     * @return (sample..., batch...)
     */
    @Override
    public Tensor logProb(Tensor value) {
        if (value.dtype() != loc.dtype()) throw new IllegalArgumentException(name() + ".logProb: value must have dtype " + loc.dtype()
                + ", got " + value.dtype());
        if (value.dim() < 1 || value.shape(-1) != dimension()) throw new IllegalArgumentException(name() + ".logProb: value must have shape "
                + "(..., " + dimension() + "), got shape " + Shapes.str(value.dims()));
        checkValue(value);
        Tensor diff = value.sub(loc);
        Tensor dd = diff.div(covDiag);
        Tensor t1 = diff.mul(dd).sum(new int[]{-1}, false);
        Tensor z = MultivariateNormal.matVec(covFactor.mT(), dd);                    // Wᵀ D⁻¹ δ, (..., r)
        Tensor t2 = MultivariateNormal.solveVectors(capTril, z).square().sum(new int[]{-1}, false);
        return t1.sub(t2).add(logDetCovariance()).add(dimension() * LOG_2PI).mul(-0.5);
    }

    /** loc + W ε_r + √D ε_d with standard normal ε_r (r values) and ε_d (d values) per draw, drawn in that order. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        if (gen == null) throw new IllegalArgumentException(name() + ".rsample: generator must not be null");
        int[] shape = extendedShape(sampleShape);
        int[] shapeR = shape.clone();
        shapeR[shapeR.length - 1] = rank();
        Tensor epsW = Tensor.randn(gen, loc.dtype(), loc.backend(), shapeR);
        Tensor epsD = Tensor.randn(gen, loc.dtype(), loc.backend(), shape);
        return loc.add(MultivariateNormal.matVec(covFactor, epsW)).add(covDiag.sqrt().mul(epsD));
    }

    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return rsample(gen, sampleShape).detach();
        }
    }

    @Override
    public LowRankMultivariateNormal expand(int... batchShape) {
        int[] b = Batching.checkExpand(name(), batchShape(), batchShape);
        int d = dimension();
        return new LowRankMultivariateNormal(b, loc.expand(concat(b, d)), covFactor.expand(concat(b, d, rank())),
                covDiag.expand(concat(b, d)), validates());
    }

    @Override
    public Constraint support() { return Constraints.realVector(); }

    @Override
    public dev.deepprob.engine.DType dtype() { return loc.dtype(); }

    // ------------------------------------------------------------------ moments and entropy

    @Override
    public Tensor mean() { return loc; }

    @Override
    public Tensor mode() { return loc; }

    /** diag Σ = Σⱼ Wᵢⱼ² + Dᵢ, (batch..., d). */
    @Override
    public Tensor variance() {
        return covFactor.square().sum(new int[]{-1}, false).add(covDiag).expand(extendedShape());
    }

    /** ½ (d (1 + log 2π) + log det Σ), (batch...). */
    @Override
    public Tensor entropy() {
        return logDetCovariance().add(dimension() * (1 + LOG_2PI)).mul(0.5).expand(batchShape());
    }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("loc", loc, "covFactor", covFactor, "covDiag", covDiag); }
}
