package dev.deepprob.prob.infer;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.prob.NumbersAreF64;
import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.Beta;
import dev.deepprob.prob.MultivariateNormal;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.TransformedDistribution;
import dev.deepprob.prob.transforms.SigmoidTransform;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.deepprob.prob.infer.LaplaceApproximationTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model: w ~ N(0, 1), y_i | w ~ N(w, 1), i = 1..n; q = N(m, s). Everything is closed form:
 * E_q[log p(y | w)] = Σᵢ [-½ log 2π - ½((yᵢ - m)² + s²)], KL(q || p) = -log s + (s² + m²)/2 - ½.
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class ElboTest {
    static final double[] Y = {0.8, 1.9, 1.1, 0.4, 1.6, 1.3, 0.2, 2.2, 1.0, 0.9};
    static final Tensor YT = Tensor.of(DType.F64, Y);
    static final double M = 0.7, S = 0.45;

    static Tensor logLik(Tensor w) {
        return YT.sub(w).square().sum().mul(-0.5).sub(0.5 * Y.length * Math.log(2 * Math.PI));
    }

    /** The same, for particles w of shape (S): returns (S). */
    static Tensor logLikBatched(Tensor w) {
        return YT.sub(w.unsqueeze(1)).square().sum(1).mul(-0.5).sub(0.5 * Y.length * Math.log(2 * Math.PI));
    }

    static double exactExpectedLogLik(double m, double s) {
        double v = 0;
        for (double y : Y) v += -0.5 * Math.log(2 * Math.PI) - 0.5 * ((y - m) * (y - m) + s * s);
        return v;
    }

    static double exactKl(double m, double s) { return -Math.log(s) + (s * s + m * m) / 2 - 0.5; }

    static Normal q(Tensor m, Tensor s) { return new Normal(m, s); }

    static final Normal PRIOR = new Normal(Tensor.scalar(DType.F64, 0), Tensor.scalar(DType.F64, 1));   // built at class load, outside the F64 scope

    /** K independent one-particle estimates: their mean is within 5 standard errors of the exact value. */
    @Test
    void estimatorIsUnbiasedWithAnalyticAndMonteCarloKl() {
        int k = 4000;
        for (Elbo.KlMode mode : new Elbo.KlMode[]{Elbo.KlMode.ANALYTIC, Elbo.KlMode.MONTE_CARLO}) {
            Elbo elbo = Elbo.builder(PRIOR, ElboTest::logLik).kl(mode).build();
            Generator g = new Generator(42);
            Normal q = q(Tensor.scalar(DType.F64, M), Tensor.scalar(DType.F64, S));
            assertEquals(mode == Elbo.KlMode.ANALYTIC, elbo.usesAnalyticKl(q));
            double[] loss = new double[k], kl = new double[k];
            try (Autograd.Scope _ = Autograd.noGrad()) {
                for (int i = 0; i < k; i++) {
                    Elbo.Terms t = elbo.terms(q, g);
                    loss[i] = t.loss().item();
                    kl[i] = t.kl().item();
                    assertEquals(mode == Elbo.KlMode.ANALYTIC, t.analyticKl());
                }
            }
            double exact = -(exactExpectedLogLik(M, S) - exactKl(M, S));
            assertWithinStandardErrors(loss, exact, 5, mode + " loss");
            if (mode == Elbo.KlMode.ANALYTIC) {
                for (double v : kl) assertEquals(exactKl(M, S), v, 1e-12);
            } else {
                assertWithinStandardErrors(kl, exactKl(M, S), 5, "Monte Carlo KL");
            }
        }
    }

    /** Many particles in one estimate: the analytic-KL and Monte-Carlo-KL paths agree with each other and the truth. */
    @Test
    void analyticAndMonteCarloPathsAgreeInExpectation() {
        int s = 20000;
        Normal q = q(Tensor.scalar(DType.F64, M), Tensor.scalar(DType.F64, S));
        double exact = -(exactExpectedLogLik(M, S) - exactKl(M, S));
        double a, b;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            a = Elbo.builder(PRIOR, ElboTest::logLikBatched).particles(s).batchedLikelihood().kl(Elbo.KlMode.ANALYTIC).build()
                    .loss(q, new Generator(1)).item();
            b = Elbo.builder(PRIOR, ElboTest::logLikBatched).particles(s).batchedLikelihood().kl(Elbo.KlMode.MONTE_CARLO).build()
                    .loss(q, new Generator(2)).item();
        }
        // the loss's standard deviation per particle is about sqrt(Var(Σ(y - w)²/2)) ≈ n·s·|ȳ - m| + ... ≈ 2.5: 5 SE ≈ 0.1
        assertEquals(exact, a, 0.1);
        assertEquals(exact, b, 0.1);
        assertEquals(a, b, 0.15);
    }

    /** The pathwise gradient is unbiased: d(-ELBO)/dm = -Σ(yᵢ - m) + m and d(-ELBO)/ds = n s - 1/s + s. */
    @Test
    void pathwiseGradientMatchesTheClosedForm() {
        int s = 20000, n = Y.length;
        for (Elbo.KlMode mode : new Elbo.KlMode[]{Elbo.KlMode.ANALYTIC, Elbo.KlMode.MONTE_CARLO}) {
            Tensor m = Tensor.scalar(DType.F64, M).requiresGrad(true), sd = Tensor.scalar(DType.F64, S).requiresGrad(true);
            Elbo elbo = Elbo.builder(PRIOR, ElboTest::logLikBatched).particles(s).batchedLikelihood().kl(mode).build();
            elbo.loss(q(m, sd), new Generator(7)).backward();
            double sumY = 0;
            for (double y : Y) sumY += y;
            double dm = -(sumY - n * M) + M, ds = n * S - 1 / S + S;
            assertEquals(dm, m.grad().item(), 0.05 * Math.abs(dm) + 0.05, mode + " d/dm");
            assertEquals(ds, sd.grad().item(), 0.05 * Math.abs(ds) + 0.05, mode + " d/ds");
        }
    }

    @Test
    void scalingDividesByDataSizeAndWeightsTheKl() {
        Normal q = q(Tensor.scalar(DType.F64, M), Tensor.scalar(DType.F64, S));
        Elbo plain = Elbo.of(PRIOR, ElboTest::logLik);
        Elbo scaled = Elbo.builder(PRIOR, ElboTest::logLik).dataSize(10).klWeight(1.0 / 3).build();
        Elbo.Terms a = plain.terms(q, new Generator(9)), b = scaled.terms(q, new Generator(9));
        assertEquals(a.expectedLogLikelihood().item(), b.expectedLogLikelihood().item(), 0);
        assertEquals(a.kl().item(), b.kl().item(), 0);
        assertEquals(a.kl().item() - a.expectedLogLikelihood().item(), a.loss().item(), 1e-12);
        assertEquals((b.kl().item() / 3 - b.expectedLogLikelihood().item()) / 10, b.loss().item(), 1e-12);
        assertEquals(a.expectedLogLikelihood().item() - a.kl().item(), a.elbo(), 1e-12);
    }

    @Test
    void perParticleAndBatchedLikelihoodsGiveTheSameEstimate() {
        Normal q = q(Tensor.scalar(DType.F64, M), Tensor.scalar(DType.F64, S));
        double a = Elbo.builder(PRIOR, ElboTest::logLik).particles(5).build().loss(q, new Generator(3)).item();
        double b = Elbo.builder(PRIOR, ElboTest::logLikBatched).particles(5).batchedLikelihood().build().loss(q, new Generator(3)).item();
        assertEquals(a, b, 1e-12);
    }

    /** A factorised Normal over a vector (batch dims) and a full MultivariateNormal both work and use the closed form. */
    @Test
    void vectorLatentsSumTheirBatchDimsAndMultivariateNormalUsesTheClosedForm() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 0.5, 1, -1, 1, 2}, 3, 2);
        Tensor yy = Tensor.of(DType.F64, new double[]{1.2, -0.3, 2.5});
        Function<Tensor, Tensor> ll = w -> yy.sub(x.matmul(w)).square().sum().mul(-0.5);
        Tensor loc = Tensor.of(DType.F64, new double[]{0.5, 0.8}), sd = Tensor.of(DType.F64, new double[]{0.3, 0.2});
        Normal fact = new Normal(loc, sd);
        Normal priorF = new Normal(Tensor.zeros(DType.F64, 2), Tensor.ones(DType.F64, 2));
        MultivariateNormal full = MultivariateNormal.withScaleTril(loc, sd.diagEmbed());
        MultivariateNormal priorM = MultivariateNormal.withScaleTril(Tensor.zeros(DType.F64, 2), Tensor.eye(DType.F64, 2));
        Elbo ef = Elbo.of(priorF, ll), em = Elbo.of(priorM, ll);
        assertTrue(em.usesAnalyticKl(full));
        Elbo.Terms tf = ef.terms(fact, new Generator(4)), tm = em.terms(full, new Generator(4));
        assertEquals(tf.kl().item(), tm.kl().item(), 1e-12, "the same KL from the factorised and the full normal");
        assertEquals(0, tf.loss().dim());
        // a scalar prior broadcasts over q's batch
        Elbo eb = Elbo.of(new Normal(0.0, 1.0), ll);
        assertEquals(tf.kl().item(), eb.terms(fact, new Generator(4)).kl().item(), 1e-12);
    }

    /** A logit-normal q against a Beta prior has no closed form: AUTO falls back to Monte Carlo. */
    @Test
    void withoutAClosedFormAutoUsesMonteCarlo() {
        TransformedDistribution.Reparameterized q = TransformedDistribution.reparameterized(new Normal(-1.0, 0.5), new SigmoidTransform());
        Beta prior = new Beta(1.0, 1.0);
        Function<Tensor, Tensor> ll = th -> th.log().mul(5).add(th.neg().log1p().mul(15));
        Elbo auto = Elbo.builder(prior, ll).particles(4000).build();
        assertFalse(auto.usesAnalyticKl(q));
        Elbo.Terms t = auto.terms(q, new Generator(5));
        assertFalse(t.analyticKl());
        // KL(q || U(0,1)) = -H(q) = -(H(N) + E[log σ'(z)]): checked against a quadrature on z
        double kl = 0, h = 1e-3;
        for (double z = -1 - 6; z <= -1 + 6; z += h) {
            double pz = Math.exp(-0.5 * Math.pow((z + 1) / 0.5, 2)) / (0.5 * Math.sqrt(2 * Math.PI));
            double sig = 1 / (1 + Math.exp(-z));
            double logq = Math.log(pz) - Math.log(sig * (1 - sig));
            kl += pz * logq * h;
        }
        assertEquals(kl, t.kl().item(), 0.02);
        assertMessage(() -> Elbo.builder(prior, ll).kl(Elbo.KlMode.ANALYTIC).build().loss(q, new Generator(1)),
                "Elbo: no closed-form KL(Reparameterized || Beta) is registered; use KlMode.AUTO or MONTE_CARLO");
    }

    @Test
    void badInputSaysWhatIsWrong() {
        Normal q = q(Tensor.scalar(DType.F64, M), Tensor.scalar(DType.F64, S));
        assertMessage(() -> Elbo.builder(null, ElboTest::logLik), "Elbo: prior must not be null");
        assertMessage(() -> Elbo.builder(PRIOR, null), "Elbo: logLikelihood must not be null");
        assertMessage(() -> Elbo.builder(PRIOR, ElboTest::logLik).particles(0), "Elbo.particles: must be >= 1, got 0");
        assertMessage(() -> Elbo.builder(PRIOR, ElboTest::logLik).dataSize(0), "Elbo.dataSize: must be finite and > 0, got 0.0");
        assertMessage(() -> Elbo.builder(PRIOR, ElboTest::logLik).klWeight(Double.NaN), "Elbo.klWeight: must be finite and > 0, got NaN");
        assertMessage(() -> Elbo.of(PRIOR, ElboTest::logLik).loss(q, null), "Elbo: generator must not be null");
        assertMessage(() -> Elbo.of(PRIOR, w -> YT.sub(w).square().mul(-0.5)).loss(q, new Generator(1)),
                "Elbo: the log-likelihood must return a scalar for one particle w of shape [] (sum over the data), got shape [10]");
        assertMessage(() -> Elbo.builder(PRIOR, ElboTest::logLik).particles(3).batchedLikelihood().build().loss(q, new Generator(1)),
                "Elbo: the log-likelihood failed on w of shape [3] (all 3 particles at once): add: shapes [10] and [3] cannot broadcast");
        assertMessage(() -> Elbo.builder(PRIOR, w -> w.sum()).particles(3).batchedLikelihood().build().loss(q, new Generator(1)),
                "Elbo: the batched log-likelihood must return (3) for particles of shape [3], got shape []");
        MultivariateNormal mvn = MultivariateNormal.withScaleTril(Tensor.zeros(DType.F64, 2), Tensor.eye(DType.F64, 2));
        assertMessage(() -> Elbo.of(PRIOR, ElboTest::logLik).loss(mvn, new Generator(1)), "Elbo: q's event shape [2] differs from the prior's []");
        Normal wide = new Normal(Tensor.zeros(DType.F64, 4), Tensor.ones(DType.F64, 4));
        assertMessage(() -> Elbo.of(wide, ElboTest::logLik).loss(q, new Generator(1)),
                "Elbo: the prior's batch shape [4] does not broadcast to q's []");
    }

    static void assertWithinStandardErrors(double[] v, double exact, double z, String what) {
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        double se = Math.sqrt(var / (v.length - 1) / v.length);
        assertTrue(Math.abs(mean - exact) < z * se, what + ": mean " + mean + " vs exact " + exact + " (SE " + se + ")");
        assertTrue(se < 0.05 * Math.abs(exact) + 0.05, what + ": the test is too weak, SE " + se);
    }
}
