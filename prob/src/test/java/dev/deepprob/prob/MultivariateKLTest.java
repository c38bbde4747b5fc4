package dev.deepprob.prob;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.*;
import static org.junit.jupiter.api.Assertions.*;

/** The closed forms of MultivariateKL against dense formulas and against Monte Carlo estimates. */
class MultivariateKLTest {

    /** Symmetric positive definite matrices A Aᵀ + 0.5 I from a seed, shape batch + (d, d). */
    static Tensor spd(long seed, int d, int... batch) {
        int[] s = Batching.concat(batch, d, d);
        Tensor a = Tensor.randn(new Generator(seed), DType.F64, s);
        return a.matmul(a.mT()).add(Tensor.eye(DType.F64, d).mul(0.5));
    }

    static Tensor randn(long seed, int... shape) { return Tensor.randn(new Generator(seed), DType.F64, shape); }

    /** ½ [tr(Σq⁻¹ Σp) + δᵀ Σq⁻¹ δ - d + log det Σq - log det Σp] with dense inverses and determinants. */
    static Tensor denseKL(Tensor muP, Tensor covP, Tensor muQ, Tensor covQ) {
        int d = muP.shape(-1);
        Tensor qi = covQ.inverse();
        Tensor tr = qi.matmul(covP).diagonal().sum(new int[]{-1}, false);
        Tensor delta = muQ.sub(muP).unsqueeze(-1);
        Tensor maha = delta.mT().matmul(qi).matmul(delta).squeeze(-1).squeeze(-1);
        return tr.add(maha).sub(d).add(covQ.logdet()).sub(covP.logdet()).mul(0.5);
    }

    /**
     * Asserts the closed form lies within 5 standard errors of the Monte Carlo mean of log p(x) - log q(x), x ~ p,
     * and that {@link KL#monteCarlo} gives the same estimate from the same draws. Returns the worst z-score.
     */
    static double assertMatchesMonteCarlo(Distribution p, Distribution q, int n, long seed) {
        Tensor kl = KL.divergence(p, q);
        Tensor x = p.sample(new Generator(seed), n);
        Tensor r = p.logProb(x).sub(q.logProb(x));
        Tensor mean = r.mean(new int[]{0}, false);
        Tensor se = r.std(new int[]{0}, 1, false).div(Math.sqrt(n));
        double[] k = kl.toDoubleArray(), m = mean.toDoubleArray(), s = se.toDoubleArray();
        assertArrayEquals(mean.dims(), kl.dims(), "KL shape");
        double worst = 0;
        for (int i = 0; i < k.length; i++) {
            double z = Math.abs(k[i] - m[i]) / s[i];
            assertTrue(z < 5, "KL " + k[i] + " vs Monte Carlo " + m[i] + " ± " + s[i] + " (z = " + z + ") at " + i);
            assertTrue(k[i] >= 0, "KL must be non-negative, got " + k[i]);
            worst = Math.max(worst, z);
        }
        Tensor est;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            est = KL.monteCarlo(p, q, n, new Generator(seed));
        }
        assertArrayEquals(m, est.toDoubleArray(), 1e-9);
        return worst;
    }

    static MultivariateNormal mvnP() { return MultivariateNormal.withCovariance(randn(1, 2, 3), spd(2, 3, 2)); }

    static MultivariateNormal mvnQ() { return MultivariateNormal.withCovariance(randn(3, 3), spd(4, 3).mul(1.5)); }

    static LowRankMultivariateNormal lowRank(long seed, int... batch) {
        return new LowRankMultivariateNormal(randn(seed, Batching.concat(batch, 3)), randn(seed + 1, Batching.concat(batch, 3, 2)),
                Tensor.rand(new Generator(seed + 2), DType.F64, Batching.concat(batch, 3)).add(0.5));
    }

    @Test
    void mvnAgainstTheDenseFormula() {
        MultivariateNormal p = mvnP(), q = mvnQ();
        Tensor kl = KL.divergence(p, q);
        assertArrayEquals(new int[]{2}, kl.dims());
        double e = assertClose(denseKL(p.mean(), p.covarianceMatrix(), q.mean(), q.covarianceMatrix()), kl, 1e-11, "KL(MVN || MVN)");
        e = Math.max(e, assertClose(denseKL(q.mean().expand(2, 3), q.covarianceMatrix().expand(2, 3, 3), p.mean(), p.covarianceMatrix()),
                KL.divergence(q, p), 1e-11, "KL(MVN || MVN) reversed"));
        // precision- and scaleTril-parameterised forms give the same value; KL(p || p) = 0
        MultivariateNormal pp = MultivariateNormal.withPrecision(p.mean(), p.precisionMatrix());
        MultivariateNormal qt = MultivariateNormal.withScaleTril(q.mean(), q.scaleTril());
        e = Math.max(e, assertClose(kl, KL.divergence(pp, qt), 1e-11, "other parameterisations"));
        assertClose(Tensor.zeros(DType.F64, 2), KL.divergence(p, p), 1e-12, "KL(p || p)");
        report("KL(MVN || MVN) vs dense inverse formula", e);
    }

    @Test
    void lowRankPairsEqualTheFullForm() {
        LowRankMultivariateNormal a = lowRank(10, 2), b = lowRank(20);
        MultivariateNormal af = MultivariateNormal.withCovariance(a.mean(), a.covarianceMatrix());
        MultivariateNormal bf = MultivariateNormal.withCovariance(b.mean(), b.covarianceMatrix());
        MultivariateNormal m = mvnQ();
        double e = assertClose(KL.divergence(af, m), KL.divergence(a, m), 1e-11, "KL(LowRank || MVN)");
        e = Math.max(e, assertClose(KL.divergence(m, af), KL.divergence(m, a), 1e-11, "KL(MVN || LowRank)"));
        e = Math.max(e, assertClose(KL.divergence(af, bf), KL.divergence(a, b), 1e-11, "KL(LowRank || LowRank)"));
        e = Math.max(e, assertClose(KL.divergence(bf, af), KL.divergence(b, a), 1e-11, "KL(LowRank || LowRank) reversed"));
        report("KL low-rank pairs vs the full-covariance closed form", e);
    }

    @Test
    void everyRegisteredPairMatchesMonteCarlo() {
        int n = 20000;
        double w = assertMatchesMonteCarlo(mvnP(), mvnQ(), n, 31);
        w = Math.max(w, assertMatchesMonteCarlo(lowRank(10, 2), mvnQ(), n, 32));
        w = Math.max(w, assertMatchesMonteCarlo(mvnP(), lowRank(20), n, 33));
        w = Math.max(w, assertMatchesMonteCarlo(lowRank(10, 2), lowRank(20), n, 34));
        // Independent over full normals: batch [2, 2] of 3-vectors seen as events [2, 3]
        MultivariateNormal bp = MultivariateNormal.withCovariance(randn(40, 2, 2, 3), spd(41, 3, 2, 2));
        MultivariateNormal bq = MultivariateNormal.withCovariance(randn(42, 2, 3), spd(43, 3, 2));
        Independent ip = Independent.of(bp, 1), iq = Independent.of(bq, 1);
        assertArrayEquals(new int[]{2}, KL.divergence(ip, iq).dims());
        assertClose(KL.divergence(bp, bq).sum(new int[]{-1}, false), KL.divergence(ip, iq), 1e-12, "KL(Independent || Independent)");
        w = Math.max(w, assertMatchesMonteCarlo(ip, iq, n, 35));
        // Independent over univariate normals (the base pair's closed form comes from UnivariateKL)
        Normal np = new Normal(randn(50, 2, 3), Tensor.rand(new Generator(51), DType.F64, 2, 3).add(0.5));
        Normal nq = new Normal(randn(52, 3), Tensor.rand(new Generator(53), DType.F64, 3).add(0.5));
        Independent inp = Independent.of(np, 1), inq = Independent.of(nq, 1);
        assertClose(KL.divergence(np, nq).sum(new int[]{-1}, false), KL.divergence(inp, inq), 1e-14, "KL(Independent(Normal) || ...)");
        w = Math.max(w, assertMatchesMonteCarlo(inp, inq, n, 36));
        w = Math.max(w, assertMatchesMonteCarlo(Independent.of(np, 2), Independent.of(nq.expand(2, 3), 2), n, 37));
        report("KL vs Monte Carlo (20000 draws), worst z-score (bound 5)", w);
    }

    @Test
    void klIsDifferentiableInBothArguments() {
        Tensor locP = randn(1, 3), covP = spd(2, 3), locQ = randn(3, 3), covQ = spd(4, 3);
        GradCheck.check(in -> KL.divergence(MultivariateNormal.withCovariance(in.get(0), sym(in.get(1))),
                MultivariateNormal.withCovariance(in.get(2), sym(in.get(3)))), List.of(locP, covP, locQ, covQ), 2, GRAD, new Generator(5));
        LowRankMultivariateNormal a = lowRank(10), b = lowRank(20);
        Tensor wa = a.covFactor(), da = a.covDiag(), wb = b.covFactor(), db = b.covDiag();
        GradCheck.check(in -> KL.divergence(new LowRankMultivariateNormal(in.get(0), in.get(1), in.get(2)),
                        new LowRankMultivariateNormal(locQ, in.get(3), in.get(4))),
                List.of(a.mean(), wa, da, wb, db), 1, GRAD, new Generator(6));
        GradCheck.check(in -> KL.divergence(MultivariateNormal.withScaleTril(in.get(0), in.get(1).tril(0)),
                new LowRankMultivariateNormal(locQ, in.get(2), db)), List.of(locP, covP.cholesky(), wb), 1, GRAD, new Generator(7));
    }

    @Test
    void mismatchedPairsAreRejected() {
        MultivariateNormal d3 = mvnQ();
        MultivariateNormal d2 = MultivariateNormal.withCovariance(randn(1, 2), spd(2, 2));
        assertThrowsWith("KL(MultivariateNormal || MultivariateNormal): event sizes differ (3 and 2)", () -> KL.divergence(d3, d2));
        assertThrowsWith("KL(LowRankMultivariateNormal || MultivariateNormal): batch shapes [2] and [3] do not broadcast",
                () -> KL.divergence(lowRank(1, 2), MultivariateNormal.withCovariance(randn(1, 3, 3), spd(2, 3, 3))));
        assertThrowsWith("KL(MultivariateNormal || MultivariateNormal): dtypes differ (F64 and F32)",
                () -> KL.divergence(d3, MultivariateNormal.withCovariance(randn(1, 3).to(DType.F32), spd(2, 3).to(DType.F32))));
        MultivariateNormal b = MultivariateNormal.withCovariance(randn(40, 2, 2, 3), spd(41, 3, 2, 2));
        assertThrowsWith("KL(Independent || Independent): the distributions reinterpret different numbers of batch dims (1 and 2)",
                () -> KL.divergence(Independent.of(b, 1), Independent.of(b, 2)));
    }
}
