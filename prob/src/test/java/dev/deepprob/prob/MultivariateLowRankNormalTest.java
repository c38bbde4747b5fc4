package dev.deepprob.prob;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.*;
import static org.junit.jupiter.api.Assertions.*;

/** LowRankMultivariateNormal against SciPy and against the full MultivariateNormal with Σ = W Wᵀ + diag(D). */
class MultivariateLowRankNormalTest {

    static LowRankMultivariateNormal reference() {
        return new LowRankMultivariateNormal(ref("lr.loc"), ref("lr.W"), ref("lr.D"));
    }

    @Test
    void logProbEntropyAndMomentsMatchScipy() {
        LowRankMultivariateNormal d = reference();
        assertArrayEquals(new int[]{2}, d.batchShape());
        assertArrayEquals(new int[]{4}, d.eventShape());
        assertEquals(2, d.rank());
        report("LowRank logProb vs scipy", assertClose(ref("lr.logpdf"), d.logProb(ref("lr.x")), 1e-10, "logProb"));
        report("LowRank entropy vs scipy", assertClose(ref("lr.entropy"), d.entropy(), 1e-10, "entropy"));
        double m = assertClose(ref("lr.cov"), d.covarianceMatrix(), 1e-12, "covariance");
        m = Math.max(m, assertClose(ref("lr.precision"), d.precisionMatrix(), 1e-10, "precision (Woodbury)"));
        m = Math.max(m, assertClose(ref("lr.cov").diagonal(), d.variance(), 1e-12, "variance"));
        m = Math.max(m, assertClose(ref("lr.loc"), d.mean(), 0, "mean"));
        m = Math.max(m, assertClose(ref("lr.loc"), d.mode(), 0, "mode"));
        Tensor l = d.scaleTril();
        m = Math.max(m, assertClose(ref("lr.cov"), l.matmul(l.mT()), 1e-12, "scaleTril"));
        report("LowRank cov/precision/variance/scaleTril vs numpy", m);
    }

    @Test
    void float32AgreesWithScipyToSinglePrecision() {
        LowRankMultivariateNormal d = new LowRankMultivariateNormal(ref("lr.loc").to(DType.F32), ref("lr.W").to(DType.F32),
                ref("lr.D").to(DType.F32));
        Tensor lp = d.logProb(ref("lr.x").to(DType.F32));
        assertEquals(DType.F32, lp.dtype());
        report("LowRank float32 logProb vs scipy", assertClose(ref("lr.logpdf"), lp, 1e-4, "float32 logProb"));
    }

    @Test
    void equalsTheFullNormalWithTheSameCovariance() {
        LowRankMultivariateNormal lr = reference();
        MultivariateNormal full = MultivariateNormal.withCovariance(ref("lr.loc"), ref("lr.cov"));
        Tensor x = ref("lr.x");
        double e = assertClose(full.logProb(x), lr.logProb(x), 1e-11, "logProb");
        e = Math.max(e, assertClose(full.entropy(), lr.entropy(), 1e-11, "entropy"));
        e = Math.max(e, assertClose(full.variance(), lr.variance(), 1e-12, "variance"));
        e = Math.max(e, assertClose(full.precisionMatrix(), lr.precisionMatrix(), 1e-11, "precision"));
        report("LowRank vs full MVN (logProb, entropy, moments)", e);
        // broadcasting: one factor shared by a batch of locs and diagonals, values with extra sample dims
        LowRankMultivariateNormal shared = new LowRankMultivariateNormal(ref("lr.loc"), ref("lr.W").select(0, 1), ref("lr.D"));
        Tensor w1 = ref("lr.W").select(0, 1);
        Tensor cov = w1.matmul(w1.mT()).add(ref("lr.D").diagEmbed());
        MultivariateNormal sharedFull = MultivariateNormal.withCovariance(ref("lr.loc"), cov);
        Tensor xs = x.reshape(5, 1, 2, 4).expand(5, 3, 2, 4);
        assertArrayEquals(new int[]{5, 3, 2}, shared.logProb(xs).dims());
        assertClose(sharedFull.logProb(xs), shared.logProb(xs), 1e-11, "shared factor");
        LowRankMultivariateNormal e2 = shared.expand(3, 2);
        assertArrayEquals(new int[]{3, 2, 4, 2}, e2.covFactor().dims());
        assertClose(shared.logProb(xs), e2.logProb(xs), 1e-12, "expanded");
    }

    @Test
    void samplesHaveTheRightMomentsAndRsampleIsTheDocumentedFormula() {
        LowRankMultivariateNormal d = reference();
        int n = 40000;
        Tensor s = d.sample(new Generator(5), n);
        assertArrayEquals(new int[]{n, 2, 4}, s.dims());
        Tensor mean = s.mean(new int[]{0}, false);
        Tensor c = s.sub(mean);
        Tensor cov = c.unsqueeze(-1).matmul(c.unsqueeze(-2)).mean(new int[]{0}, false);
        double[] m = mean.toDoubleArray(), mu = ref("lr.loc").toDoubleArray(), sc = cov.toDoubleArray(), sg = ref("lr.cov").toDoubleArray();
        double worst = 0;
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 4; i++) {
                worst = Math.max(worst, Math.abs(m[b * 4 + i] - mu[b * 4 + i]) / Math.sqrt(sg[b * 16 + i * 5] / n));
                for (int j = 0; j < 4; j++) {
                    double v = (sg[b * 16 + i * 5] * sg[b * 16 + j * 5] + Math.pow(sg[b * 16 + i * 4 + j], 2)) / n;
                    worst = Math.max(worst, Math.abs(sc[b * 16 + i * 4 + j] - sg[b * 16 + i * 4 + j]) / Math.sqrt(v));
                }
            }
        }
        report("LowRank sample mean/cov, worst z-score (bound 5)", worst);
        assertTrue(worst < 5, "sample moments off by " + worst + " standard errors");
        // rsample = loc + W ε_r + √D ε_d, ε_r drawn first
        Generator g = new Generator(9);
        Tensor er = Tensor.randn(g, DType.F64, 3, 2, 2), ed = Tensor.randn(g, DType.F64, 3, 2, 4);
        Tensor expected = ref("lr.loc").add(ref("lr.W").matmul(er.unsqueeze(-1)).squeeze(-1)).add(ref("lr.D").sqrt().mul(ed));
        assertClose(expected, d.rsample(new Generator(9), 3), 1e-12, "rsample formula");
    }

    @Test
    void gradientsPassGradCheck() {
        List<Tensor> params = List.of(ref("lr.loc"), ref("lr.W"), ref("lr.D"));
        Tensor x = ref("lr.x");
        GradCheck.check(in -> new LowRankMultivariateNormal(in.get(0), in.get(1), in.get(2)).rsample(new Generator(21), 3),
                params, 1, GRAD, new Generator(1));
        GradCheck.check(in -> new LowRankMultivariateNormal(in.get(0), in.get(1), in.get(2)).logProb(x), params, 2, GRAD, new Generator(2));
        GradCheck.check(in -> new LowRankMultivariateNormal(in.get(0), in.get(1), in.get(2)).entropy(), params, 2, GRAD, new Generator(3));
    }

    @Test
    void constructorAndMethodsRejectBadInput() {
        Tensor loc = ref("lr.loc"), w = ref("lr.W"), dg = ref("lr.D");
        String n = "LowRankMultivariateNormal: ";
        assertThrowsWith(n + "loc must have at least one dimension, got shape []",
                () -> new LowRankMultivariateNormal(Tensor.scalar(DType.F64, 0), w, dg));
        assertThrowsWith(n + "covFactor must have shape (..., d, r) with d = 4 from loc and r >= 1, got shape [2, 3, 2]",
                () -> new LowRankMultivariateNormal(loc, Tensor.zeros(DType.F64, 2, 3, 2), dg));
        assertThrowsWith(n + "covFactor must have shape (..., d, r) with d = 4 from loc and r >= 1, got shape [4]",
                () -> new LowRankMultivariateNormal(loc, Tensor.zeros(DType.F64, 4), dg));
        assertThrowsWith(n + "covDiag must have shape (..., d) with d = 4 from loc, got shape [2, 3]",
                () -> new LowRankMultivariateNormal(loc, w, Tensor.ones(DType.F64, 2, 3)));
        assertThrowsWith(n + "batch shapes of loc [2] and covFactor [3] do not broadcast",
                () -> new LowRankMultivariateNormal(loc, Tensor.zeros(DType.F64, 3, 4, 2), dg));
        assertThrowsWith(n + "loc, covFactor and covDiag must have the same dtype, got F64, F32 and F64",
                () -> new LowRankMultivariateNormal(loc, w.to(DType.F32), dg));
        assertThrowsWith(n + "covDiag must be F32 or F64, got I64", () -> new LowRankMultivariateNormal(loc, w, dg.to(DType.I64)));
        assertThrowsWith(n + "covDiag must be > 0 and finite, got -1.0 at [1]",
                () -> new LowRankMultivariateNormal(Tensor.zeros(DType.F64, 3), Tensor.ones(DType.F64, 3, 1),
                        Tensor.of(DType.F64, new double[]{1, -1, 1})));
        assertThrowsWith(n + "covFactor must be finite, got Infinity at [0, 0]",
                () -> new LowRankMultivariateNormal(Tensor.zeros(DType.F64, 3),
                        Tensor.of(DType.F64, new double[]{Double.POSITIVE_INFINITY, 0, 0}, 3, 1), Tensor.ones(DType.F64, 3)));
        assertThrowsWith(n + "loc, covFactor and covDiag must not be null", () -> new LowRankMultivariateNormal(loc, null, dg));
        LowRankMultivariateNormal d = reference();
        assertThrowsWith("LowRankMultivariateNormal.logProb: value must have shape (..., 4), got shape [3]",
                () -> d.logProb(Tensor.zeros(DType.F64, 3)));
        assertThrowsWith("LowRankMultivariateNormal.logProb: value must have dtype F64, got F32", () -> d.logProb(Tensor.zeros(DType.F32, 4)));
        assertThrowsWith("LowRankMultivariateNormal.rsample: generator must not be null", () -> d.rsample(null));
        assertThrowsWith("LowRankMultivariateNormal.expand: batch shape [2] cannot be expanded to [5]", () -> d.expand(5));
    }
}
