package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

import java.util.Arrays;

/**
 * Closed-form KL divergences between multivariate distributions (see {@link KL}).
 *
 * <p>Between Gaussians, KL(p ‖ q) = ½ [tr(Σq⁻¹ Σp) + (μq - μp)ᵀ Σq⁻¹ (μq - μp) - d + log det Σq - log det Σp]
 * (Petersen &amp; Pedersen, The Matrix Cookbook, 2012, section 8.1.8; Rasmussen &amp; Williams, Gaussian Processes
 * for Machine Learning, 2006, eq. A.23). With Σp = S Sᵀ for a square-root factor S of p (its Cholesky factor,
 * or [W, diag √D] for a low-rank-plus-diagonal p), the trace is Σ over the columns s of S of sᵀ Σq⁻¹ s, so one
 * routine of q, the inverse quadratic form, gives both the trace and the Mahalanobis term: ‖Lq⁻¹ S‖²_F by a
 * triangular solve for a full q, and the Woodbury identity through q's capacitance matrix for a low-rank q.
 * Log determinants come from Cholesky diagonals (and the matrix determinant lemma for low-rank factors).
 */
final class MultivariateKL {
    private MultivariateKL() {}

    static void registerAll() {
        KL.register(MultivariateNormal.class, MultivariateNormal.class, MultivariateKL::gaussian);
        KL.register(LowRankMultivariateNormal.class, MultivariateNormal.class, MultivariateKL::gaussian);
        KL.register(MultivariateNormal.class, LowRankMultivariateNormal.class, MultivariateKL::gaussian);
        KL.register(LowRankMultivariateNormal.class, LowRankMultivariateNormal.class, MultivariateKL::gaussian);
        KL.register(Independent.class, Independent.class, MultivariateKL::independent);
        KL.restrict(Independent.class, Independent.class, (p, q) -> p.reinterpretedBatchNdims() == q.reinterpretedBatchNdims()
                && java.util.Arrays.equals(p.eventShape(), q.eventShape()) && KL.hasClosedForm(p.base(), q.base()));
    }

    /**
     * KL between two Gaussians (full or low-rank) over the same dimension d, of the broadcast batch shape.
     */
    static Tensor gaussian(Distribution p, Distribution q) {
        int dp = p.eventShape()[0], dq = q.eventShape()[0];
        String pair = "KL(" + p.getClass().getSimpleName() + " || " + q.getClass().getSimpleName() + ")";
        if (dp != dq) throw new IllegalArgumentException(pair + ": event sizes differ (" + dp + " and " + dq + ")");
        Tensor muP = ((HasMoments) p).mean(), muQ = ((HasMoments) q).mean();
        if (muP.dtype() != muQ.dtype()) throw new IllegalArgumentException(pair + ": dtypes differ (" + muP.dtype() + " and " + muQ.dtype() + ")");
        int[] batch;
        try {
            batch = dev.deepprob.engine.Shapes.broadcast(pair, p.batchShape(), q.batchShape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pair + ": batch shapes " + Arrays.toString(p.batchShape()) + " and "
                    + Arrays.toString(q.batchShape()) + " do not broadcast", e);
        }
        Tensor trace = inverseQuadratic(q, sqrtCovariance(p));
        Tensor delta = muQ.sub(muP).unsqueeze(-1);                 // (batch..., d, 1)
        Tensor maha = inverseQuadratic(q, delta);
        Tensor kl = trace.add(maha).sub(dp).add(logDetCovariance(q)).sub(logDetCovariance(p)).mul(0.5);
        return kl.expand(batch);
    }

    /** A factor S with Σ = S Sᵀ: L for the full normal, [W, diag √D] (d × (r + d)) for the low-rank one. */
    private static Tensor sqrtCovariance(Distribution p) {
        if (p instanceof MultivariateNormal m) return m.unbroadcastedScaleTril();
        LowRankMultivariateNormal l = (LowRankMultivariateNormal) p;
        Tensor w = l.unbroadcastedCovFactor();
        Tensor sd = l.unbroadcastedCovDiag().sqrt().diagEmbed();
        int[] wb = Arrays.copyOf(w.dims(), w.dim() - 2), db = Arrays.copyOf(sd.dims(), sd.dim() - 2);
        int[] b = dev.deepprob.engine.Shapes.broadcast("sqrtCovariance", wb, db);
        int d = w.shape(-2);
        return Tensor.cat(java.util.List.of(w.expand(Batching.concat(b, d, w.shape(-1))),
                sd.expand(Batching.concat(b, d, d))), -1);
    }

    /** Σ over the columns s of S of sᵀ Σq⁻¹ s. */
    private static Tensor inverseQuadratic(Distribution q, Tensor s) {
        if (q instanceof MultivariateNormal m) {
            return MultivariateNormal.trilSolve(m.unbroadcastedScaleTril(), s).square().sum(new int[]{-2, -1}, false);
        }
        return ((LowRankMultivariateNormal) q).inverseQuadratic(s);
    }

    private static Tensor logDetCovariance(Distribution p) {
        if (p instanceof MultivariateNormal m) return MultivariateNormal.halfLogDet(m.unbroadcastedScaleTril()).mul(2);
        return ((LowRankMultivariateNormal) p).logDetCovariance();
    }

    /**
     * KL between two Independent distributions reinterpreting the same number of dims: the base KL (independent
     * parts add) summed over those dims.
     */
    static Tensor independent(Independent p, Independent q) {
        int n = p.reinterpretedBatchNdims();
        if (n != q.reinterpretedBatchNdims()) throw new IllegalArgumentException("KL(Independent || Independent): the distributions "
                + "reinterpret different numbers of batch dims (" + n + " and " + q.reinterpretedBatchNdims() + "); KL is defined only "
                + "between distributions over the same events");
        if (!Arrays.equals(p.eventShape(), q.eventShape())) throw new IllegalArgumentException("KL(Independent || Independent): event "
                + "shapes differ (" + Arrays.toString(p.eventShape()) + " and " + Arrays.toString(q.eventShape()) + ")");
        Tensor k = KL.divergence(p.base(), q.base());
        if (n == 0) return k;
        int[] ax = new int[n];
        for (int i = 0; i < n; i++) ax[i] = k.dim() - n + i;
        return k.sum(ax, false);
    }
}
