package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.transforms.ExpTransform;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class MixtureSameFamilyTest {

    // batch [2], k = 3 components
    static final double[] W = {0.2, 0.5, 0.3, 0.6, 0.1, 0.3};
    static final double[] MU = {-2.0, 0.5, 3.0, 1.0, -1.0, 0.0};
    static final double[] SD = {0.5, 1.0, 0.7, 2.0, 0.3, 1.2};

    static HasMoments mixture(Tensor w, Tensor mu, Tensor sd) {
        return mixtureOf(w, mu, sd).as(HasMoments.class).orElseThrow();
    }

    static MixtureSameFamily mixtureOf(Tensor w, Tensor mu, Tensor sd) { return MixtureSameFamily.of(Categorical.fromProbs(w), new Normal(mu, sd)); }

    static HasMoments mixture() {
        return mixture(Tensor.of(DType.F64, W, 2, 3), Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3));
    }

    @Test
    void logProbIsTheLogOfTheWeightedSum() {
        MixtureSameFamily d = mixtureOf(Tensor.of(DType.F64, W, 2, 3), Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3));
        assertArrayEquals(new int[]{2}, d.batchShape());
        assertArrayEquals(new int[0], d.eventShape());
        assertEquals(3, d.numComponents());
        assertFalse(Reparameterizable.class.isInstance(d));
        double[] xs = {-3.0, -0.5, 0.2, 1.7, 4.0, 12.0};
        Tensor x = Tensor.of(DType.F64, xs, 3, 2);
        double[] expected = new double[6];
        for (int i = 0; i < 3; i++) {
            for (int b = 0; b < 2; b++) {
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    double z = (xs[i * 2 + b] - MU[b * 3 + j]) / SD[b * 3 + j];
                    sum += W[b * 3 + j] * Math.exp(-0.5 * z * z) / (SD[b * 3 + j] * Math.sqrt(2 * Math.PI));
                }
                expected[i * 2 + b] = Math.log(sum);
            }
        }
        report("MixtureSameFamily logProb vs direct sum", assertClose(Tensor.of(DType.F64, expected, 3, 2), d.logProb(x), 1e-12, "logProb"));
        // far in a tail the direct sum underflows but logSumExp does not
        assertTrue(Double.isFinite(d.logProb(Tensor.of(DType.F64, new double[]{200, -300})).toDoubleArray()[1]));
    }

    @Test
    void meanAndVarianceFollowTheLawOfTotalVarianceAndMatchSampling() {
        MixtureSameFamily d = mixtureOf(Tensor.of(DType.F64, W, 2, 3), Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3));
        HasMoments dm = d.as(HasMoments.class).orElseThrow();
        double[] mean = new double[2], var = new double[2];
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 3; j++) mean[b] += W[b * 3 + j] * MU[b * 3 + j];
            for (int j = 0; j < 3; j++) var[b] += W[b * 3 + j] * (SD[b * 3 + j] * SD[b * 3 + j] + Math.pow(MU[b * 3 + j] - mean[b], 2));
        }
        double e = assertClose(Tensor.of(DType.F64, mean), dm.mean(), 1e-14, "mean");
        e = Math.max(e, assertClose(Tensor.of(DType.F64, var), dm.variance(), 1e-13, "variance"));
        report("MixtureSameFamily mean/variance vs direct formula", e);
        int n = 200000;
        Tensor s = d.sample(new Generator(12), n);
        assertArrayEquals(new int[]{n, 2}, s.dims());
        double[] sm = s.mean(new int[]{0}, false).toDoubleArray();
        double[] sv = s.variance(new int[]{0}, 1, false).toDoubleArray();
        // fourth central moments for the standard error of the sample variance
        double[] m4 = s.sub(Tensor.of(DType.F64, mean)).pow(4).mean(new int[]{0}, false).toDoubleArray();
        double worst = 0;
        for (int b = 0; b < 2; b++) {
            worst = Math.max(worst, Math.abs(sm[b] - mean[b]) / Math.sqrt(var[b] / n));
            worst = Math.max(worst, Math.abs(sv[b] - var[b]) / Math.sqrt((m4[b] - var[b] * var[b]) / n));
        }
        report("MixtureSameFamily sample mean/variance, worst z-score (bound 5)", worst);
        assertTrue(worst < 5, "z = " + worst);
        // the component frequencies: the fraction of draws of batch 0 below -1
        double[] col = s.select(1, 0).toDoubleArray();
        int low = 0;
        for (double v : col) if (v < -1) low++;
        // Σ_j w_j Φ((-1 - μ_j) / σ_j) = 0.2 Φ(2) + 0.5 Φ(-1.5) + 0.3 Φ(-5.71)
        double p = 0.2 * 0.9772498680518208 + 0.5 * 0.0668072012688581 + 0.3 * 5.5e-9;
        assertEquals(p, low / (double) n, 5 * Math.sqrt(p * (1 - p) / n));
    }

    /** Code that asks for the capability type sees the mixture's moments; a mixture has no closed-form mode. */
    @Test
    void momentsAreReachableThroughHasMoments() {
        Distribution d = MixtureSameFamily.of(Categorical.fromProbs(Tensor.of(DType.F64, W, 2, 3)), new Normal(Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3)));
        assertTrue(d.has(HasMoments.class));
        assertFalse(d.has(HasMode.class), "a mixture has no closed-form mode");
        assertFalse(d.has(HasEntropy.class));
        HasMoments m = d.as(HasMoments.class).orElseThrow();
        HasMoments typed = mixture();
        assertClose(typed.mean(), m.mean(), 0, "mean through HasMoments");
        assertClose(typed.variance(), m.variance(), 0, "variance through HasMoments");
        assertClose(typed.variance().sqrt(), m.stddev(), 0, "stddev through HasMoments");
        // generic code over HasMoments: Independent keeps the capability, and the moments are the mixture's
        Independent ind = Independent.of(d, 1);
        assertTrue(ind.has(HasMoments.class));
        assertClose(typed.mean(), ind.as(HasMoments.class).orElseThrow().mean(), 0, "Independent(mixture) mean");
        GradCheck.check(in -> MixtureSameFamily.of(Categorical.fromLogits(in.get(0)), new Normal(in.get(1), in.get(2))).as(HasMoments.class).orElseThrow().stddev(),
                List.of(Tensor.of(DType.F64, W, 2, 3).log(), Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3)), 2, GRAD, new Generator(4));
    }

    @Test
    void vectorComponentsMixWholeEvents() {
        // 2 MVN components in 3 dims, no batch
        Tensor locs = ref("mvn.loc"), covs = ref("mvn.cov");
        MultivariateNormal comps = MultivariateNormal.withCovariance(locs, covs);
        MixtureSameFamily d = MixtureSameFamily.of(Categorical.fromProbs(0.3, 0.7), comps);
        HasMoments dm = d.as(HasMoments.class).orElseThrow();
        assertFalse(d.has(HasCdf.class), "no cdf over vector events");
        assertArrayEquals(new int[0], d.batchShape());
        assertArrayEquals(new int[]{3}, d.eventShape());
        Tensor x = ref("mvn.x").select(1, 0);                     // (4, 3)
        double[] lp = d.logProb(x).toDoubleArray();
        for (int i = 0; i < 4; i++) {
            double p0 = Math.exp(comps.logProb(x.select(0, i)).toDoubleArray()[0]), p1 = Math.exp(comps.logProb(x.select(0, i)).toDoubleArray()[1]);
            assertEquals(Math.log(0.3 * p0 + 0.7 * p1), lp[i], 1e-12);
        }
        assertClose(locs.select(0, 0).mul(0.3).add(locs.select(0, 1).mul(0.7)), dm.mean(), 1e-14, "mean");
        Tensor s = d.sample(new Generator(3), 20000);
        assertArrayEquals(new int[]{20000, 3}, s.dims());
        Tensor sm = s.mean(new int[]{0}, false);
        Tensor se = dm.variance().div(20000).sqrt();
        double z = sm.sub(dm.mean()).abs().div(se).max().item();
        report("MixtureSameFamily(MVN) sample mean, worst z-score (bound 5)", z);
        assertTrue(z < 5);
    }

    @Test
    void gradientsOfLogProbPassGradCheck() {
        Tensor x = Tensor.of(DType.F64, new double[]{-1.0, 0.4, 2.2, 0.0}, 2, 2);
        GradCheck.check(in -> MixtureSameFamily.of(Categorical.fromLogits(in.get(0)), new Normal(in.get(1), in.get(2))).logProb(x),
                List.of(Tensor.of(DType.F64, W, 2, 3).log(), Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3)), 2, GRAD, new Generator(1));
        GradCheck.check(in -> mixture(Tensor.of(DType.F64, W, 2, 3), in.get(0), in.get(1)).variance(),
                List.of(Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3)), 2, GRAD, new Generator(2));
    }

    @Test
    void shapesBroadcastAndMomentsFollowTheComponents() {
        // one weight vector shared by a batch [2] of components
        MixtureSameFamily shared = MixtureSameFamily.of(Categorical.fromProbs(0.2, 0.5, 0.3), new Normal(Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3)));
        assertArrayEquals(new int[]{2}, shared.batchShape());
        assertArrayEquals(new int[]{2}, shared.mixture().batchShape());
        assertTrue(shared.has(HasMoments.class));
        MixtureSameFamily ex = shared.expand(4, 2);
        assertArrayEquals(new int[]{4, 2}, ex.batchShape());
        assertArrayEquals(new int[]{4, 2, 3}, ex.component().batchShape());
        Tensor x = Tensor.of(DType.F64, new double[]{0.3, -1.0});
        assertClose(shared.logProb(x).expand(4, 2), ex.logProb(x), 1e-14, "expanded");
        // components without moments: a plain mixture
        TransformedDistribution logNormals = TransformedDistribution.of(new Normal(Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3)), new ExpTransform());
        MixtureSameFamily plain = MixtureSameFamily.of(Categorical.fromProbs(Tensor.of(DType.F64, W, 2, 3)), logNormals);
        assertFalse(plain.has(HasMoments.class));
        assertArrayEquals(new int[]{2}, plain.logProb(Tensor.of(DType.F64, new double[]{0.5, 2.0})).dims());
        assertThrowsWith("MixtureSameFamily.logProb: value must be > 0", () -> plain.logProb(Tensor.of(DType.F64, new double[]{-0.5, 2.0})));
    }

    @Test
    void badInputIsRejected() {
        Normal comps = new Normal(Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3));
        assertThrowsWith("MixtureSameFamily: mixing distribution must not be null", () -> MixtureSameFamily.of(null, comps));
        assertThrowsWith("MixtureSameFamily: component distribution must not be null", () -> MixtureSameFamily.of(Categorical.fromProbs(0.5, 0.5), null));
        assertThrowsWith("MixtureSameFamily: the mixing distribution has 2 categories but the component batch shape [2, 3] has 3 components",
                () -> MixtureSameFamily.of(Categorical.fromProbs(0.5, 0.5), comps));
        assertThrowsWith("MixtureSameFamily: the component distribution needs a batch shape (..., k) indexing the k components, got batch shape []",
                () -> MixtureSameFamily.of(Categorical.fromProbs(1.0), new Normal(0.0, 1.0)));
        assertThrowsWith("MixtureSameFamily: the mixing batch shape [4] does not broadcast with the component batch shape without its last dim [2]",
                () -> MixtureSameFamily.of(Categorical.fromProbs(Tensor.ones(DType.F64, 4, 3)), comps));
        MixtureSameFamily d = MixtureSameFamily.of(Categorical.fromProbs(Tensor.of(DType.F64, W, 2, 3).to(DType.F32)), comps);
        assertThrowsWith("MixtureSameFamily.logProb: the component log-densities are F64 but the mixing weights are F32",
                () -> d.logProb(Tensor.zeros(DType.F64, 2)));
        MixtureSameFamily m = mixtureOf(Tensor.of(DType.F64, W, 2, 3), Tensor.of(DType.F64, MU, 2, 3), Tensor.of(DType.F64, SD, 2, 3));
        assertThrowsWith("MixtureSameFamily.logProb: value must not be null", () -> m.logProb(null));
        assertThrowsWith("MixtureSameFamily.logProb", () -> m.logProb(Tensor.zeros(DType.F64, 3)));
        assertThrowsWith("MixtureSameFamily.sample: generator must not be null", () -> m.sample(null, 2));
        assertThrowsWith("MixtureSameFamily.expand: batch shape [2] cannot be expanded to [3]", () -> m.expand(3));
    }
}
