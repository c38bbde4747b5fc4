package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Bernoulli;
import dev.deepprob.prob.Categorical;
import dev.deepprob.prob.Distribution;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.NumbersAreF64;
import dev.deepprob.prob.Poisson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.function.Function;

import static dev.deepprob.prob.infer.LaplaceApproximationTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Elbo with a q that cannot be reparameterised: the score-function estimator is chosen automatically, and its gradient
 * is checked against the exact gradient of the ELBO written as a finite (or truncated) sum over the latent's support.
 * Unbiasedness is asserted as in ScoreFunctionElboTest: the mean of R independent estimates lies within 5 standard
 * errors of the exact value (a false failure has probability below 1e-6 per coordinate for a near-normal mean of
 * R ≥ 1000 draws), and {@link ElboTest#assertWithinStandardErrors} also fails if the SE is too large to mean anything.
 *
 * <p>The Bernoulli model: three independent latents zᵢ ~ Bernoulli(0.3), each with four observations yᵢⱼ ~ N(1.5 zᵢ, 1).
 * Its posterior factorises, with logit(0.3) + Σⱼ (1.5 yᵢⱼ - 1.125) as zᵢ's logit, so a mean-field Bernoulli q can reach it.
 */
@ExtendWith(NumbersAreF64.class)
class ElboScoreFunctionTest {
    static final double[][] YS = {{0.9, 0.4, 1.1, 0.6}, {1.6, 1.2, 0.9, 1.4}, {-0.2, 0.3, 0.1, 0.5}};
    static final Tensor YT = Tensor.of(DType.F64, new double[]{0.9, 0.4, 1.1, 0.6, 1.6, 1.2, 0.9, 1.4, -0.2, 0.3, 0.1, 0.5}, 3, 4);
    static final double PRIOR_P = 0.3, SHIFT = 1.5;
    static final double[] THETA = {0.3, -0.5, 1.0};

    /** log p(y | z) for z of shape (S, 3) holding 0/1: (S). */
    static Tensor bernoulliLogLik(Tensor z) {
        Tensor mean = z.mul(SHIFT).unsqueeze(2);                                           // (S, 3, 1)
        return YT.sub(mean).square().mul(-0.5).sub(0.5 * Math.log(2 * Math.PI)).sum(new int[]{1, 2}, false);
    }

    static Bernoulli bernoulliPrior() { return Bernoulli.fromProbs(Tensor.full(DType.F64, PRIOR_P, 3)); }

    static double[] exactPosterior() {
        double[] p = new double[3];
        for (int i = 0; i < 3; i++) {
            double l = Math.log(PRIOR_P / (1 - PRIOR_P));
            for (double y : YS[i]) l += SHIFT * y - SHIFT * SHIFT / 2;
            p[i] = 1 / (1 + Math.exp(-l));
        }
        return p;
    }

    /**
     * The exact gradient in q's parameter of the loss -Σ_z q(z)[log p(y | z) - β(log q(z) - log p(z))], divided by
     * dataSize, with z running over the whole support given (rows of {@code support}; for Poisson a truncation whose
     * left-out mass is below 1e-30).
     */
    static double[] exactGradient(double[] param, Function<Tensor, Distribution> qOf, Distribution prior, Tensor support,
                                  Function<Tensor, Tensor> logLik, double beta, double dataSize) {
        Tensor t = Tensor.of(DType.F64, param).requiresGrad(true);
        Distribution q = qOf.apply(t.dim() == 1 && param.length == 1 ? t.reshape() : t);
        Tensor lq = sumBatch(q.logProb(support), q), lp = sumBatch(prior.logProb(support), q);
        lq.exp().mul(logLik.apply(support).sub(lq.sub(lp).mul(beta))).sum().neg().div(dataSize).backward();
        return t.grad().toDoubleArray();
    }

    static Tensor sumBatch(Tensor t, Distribution q) { return q.batchShape().length == 0 ? t : t.sum(1); }

    /** R estimates of the gradient of elbo's loss in q's parameter (one row per coordinate). */
    static double[][] estimates(Elbo elbo, double[] param, Function<Tensor, Distribution> qOf, int r, long seed) {
        Generator g = new Generator(seed);
        double[][] out = new double[param.length][r];
        for (int i = 0; i < r; i++) {
            Tensor t = Tensor.of(DType.F64, param).requiresGrad(true);
            elbo.loss(qOf.apply(param.length == 1 ? t.reshape() : t), g).backward();
            double[] gi = t.grad().toDoubleArray();
            for (int d = 0; d < param.length; d++) out[d][i] = gi[d];
        }
        return out;
    }

    static Tensor allBernoulliConfigurations() {
        double[] all = new double[24];
        for (int c = 0; c < 8; c++) for (int d = 0; d < 3; d++) all[3 * c + d] = (c >> d) & 1;
        return Tensor.of(DType.F64, all, 8, 3);
    }

    @Test
    void choosesTheScoreFunctionForBernoulliCategoricalAndPoissonAndThePathwiseGradientForNormal() {
        Elbo elbo = Elbo.of(new Normal(0.0, 1.0), z -> z.sum());
        assertTrue(elbo.usesScoreFunction(Bernoulli.fromProbs(0.4)));
        assertTrue(elbo.usesScoreFunction(Categorical.fromProbs(0.2, 0.8)));
        assertTrue(elbo.usesScoreFunction(new Poisson(2.0)));
        assertFalse(elbo.usesScoreFunction(new Normal(0.0, 1.0)));
        assertTrue(Elbo.builder(new Normal(0.0, 1.0), z -> z.sum()).estimator(Elbo.Estimator.SCORE_FUNCTION).build()
                .usesScoreFunction(new Normal(0.0, 1.0)));
        // and the terms say which estimator the loss carries
        Elbo b = Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).particles(4).batchedLikelihood().build();
        Elbo.Terms t = b.terms(Bernoulli.fromLogits(Tensor.of(DType.F64, THETA)), new Generator(1));
        assertTrue(t.scoreFunction());
        assertTrue(t.analyticKl(), "KL(Bernoulli || Bernoulli) is registered");
        assertEquals(t.kl().item() - t.expectedLogLikelihood().item(), t.loss().item(), 1e-12, "the surrogate's value is -ELBO");
        assertFalse(Elbo.of(ElboTest.PRIOR, ElboTest::logLik).terms(new Normal(0.7, 0.45), new Generator(1)).scoreFunction());
    }

    /** Bernoulli q over {0,1}³: every baseline, with the closed-form and the Monte Carlo KL, against the exact sum. */
    @Test
    void bernoulliGradientMatchesTheExactSumForEveryBaselineAndKlMode() {
        Function<Tensor, Distribution> qOf = Bernoulli::fromLogits;
        Tensor support = allBernoulliConfigurations();
        double[] exact = exactGradient(THETA, qOf, bernoulliPrior(), support, ElboScoreFunctionTest::bernoulliLogLik, 1, 1);
        for (Elbo.KlMode mode : new Elbo.KlMode[]{Elbo.KlMode.ANALYTIC, Elbo.KlMode.MONTE_CARLO}) {
            for (Elbo.Baseline base : Elbo.Baseline.values()) {
                Elbo.Builder bld = Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).particles(4).batchedLikelihood().kl(mode);
                // a learned baseline held fixed here (no optimiser steps it): any constant keeps the estimator unbiased
                if (base == Elbo.Baseline.LEARNED) bld.learnedBaseline(Tensor.scalar(DType.F64, -20).requiresGrad(true));
                else bld.baseline(base);
                // without a baseline the signal (≈ -20) multiplies the score: about 50x the variance, so 16x the estimates
                int r = base == Elbo.Baseline.NONE ? 32000 : 2000;
                double[][] g = estimates(bld.build(), THETA, qOf, r, 17);
                for (int d = 0; d < 3; d++) ElboTest.assertWithinStandardErrors(g[d], exact[d], 5, mode + " " + base + " d/dθ" + d);
            }
        }
    }

    /** Scaling: β = 0.5 and dataSize 12 with the Monte Carlo KL (β enters the signal) and the closed form. */
    @Test
    void bernoulliGradientHonoursKlWeightAndDataSize() {
        Function<Tensor, Distribution> qOf = Bernoulli::fromLogits;
        double[] exact = exactGradient(THETA, qOf, bernoulliPrior(), allBernoulliConfigurations(), ElboScoreFunctionTest::bernoulliLogLik, 0.5, 12);
        for (Elbo.KlMode mode : new Elbo.KlMode[]{Elbo.KlMode.ANALYTIC, Elbo.KlMode.MONTE_CARLO}) {
            Elbo elbo = Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).particles(4).batchedLikelihood().kl(mode)
                    .klWeight(0.5).dataSize(12).baseline(Elbo.Baseline.LEAVE_ONE_OUT).build();
            double[][] g = estimates(elbo, THETA, qOf, 2000, 5);
            for (int d = 0; d < 3; d++) ElboTest.assertWithinStandardErrors(g[d], exact[d], 5, mode + " scaled d/dθ" + d);
        }
    }

    /** Categorical q over 4 categories; log p(y | z) = Σⱼ log N(yⱼ; z, 1) of the category index z. */
    @Test
    void categoricalGradientMatchesTheExactSum() {
        Tensor y = Tensor.of(DType.F64, new double[]{1.8, 2.4, 1.1});
        Function<Tensor, Tensor> ll = z -> y.sub(z.to(DType.F64).unsqueeze(1)).square().sum(1).mul(-0.5);
        Categorical prior = Categorical.fromProbs(0.1, 0.2, 0.3, 0.4);
        Function<Tensor, Distribution> qOf = Categorical::fromLogits;
        double[] theta = {0.2, -0.4, 0.9, 0.0};
        Tensor support = Tensor.of(DType.F64, new double[]{0, 1, 2, 3});
        double[] exact = exactGradient(theta, qOf, prior, support, ll, 1, 1);
        for (Elbo.KlMode mode : new Elbo.KlMode[]{Elbo.KlMode.ANALYTIC, Elbo.KlMode.MONTE_CARLO}) {
            Elbo elbo = Elbo.builder(prior, ll).particles(4).batchedLikelihood().kl(mode).baseline(Elbo.Baseline.LEAVE_ONE_OUT).build();
            double[][] g = estimates(elbo, theta, qOf, 2000, 8);
            for (int d = 0; d < 4; d++) ElboTest.assertWithinStandardErrors(g[d], exact[d], 5, "Categorical " + mode + " d/dθ" + d);
        }
    }

    /** Poisson q(rate) against a Poisson(2) prior, log p(y | k) = Σⱼ log N(yⱼ; k, 2²); the sum over k is cut at 80. */
    @Test
    void poissonGradientMatchesTheTruncatedExactSum() {
        Tensor y = Tensor.of(DType.F64, new double[]{3.5, 5.0, 4.2});
        Function<Tensor, Tensor> ll = k -> y.sub(k.unsqueeze(1)).square().sum(1).mul(-0.125);
        Poisson prior = new Poisson(2.0);
        Function<Tensor, Distribution> qOf = Poisson::new;
        double[] rate = {3.0};
        double[] ks = new double[81];
        for (int k = 0; k <= 80; k++) ks[k] = k;                           // P(k > 80 | rate 3) < 1e-60
        double[] exact = exactGradient(rate, qOf, prior, Tensor.of(DType.F64, ks), ll, 1, 1);
        for (Elbo.KlMode mode : new Elbo.KlMode[]{Elbo.KlMode.ANALYTIC, Elbo.KlMode.MONTE_CARLO}) {
            Elbo elbo = Elbo.builder(prior, ll).particles(4).batchedLikelihood().kl(mode).baseline(Elbo.Baseline.LEAVE_ONE_OUT).build();
            double[][] g = estimates(elbo, rate, qOf, 2000, 9);
            ElboTest.assertWithinStandardErrors(g[0], exact[0], 5, "Poisson " + mode + " d/drate");
        }
    }

    /**
     * The baselines cut the variance on the Bernoulli model, one particle per estimate (where leave-one-out is not
     * available): the signal's mean ≈ -20 is far from 0, so without a baseline E[f]² Var(∇ log q) dominates. The running
     * mean and a learned baseline trained by Adam (200 steps on b alone) both remove it; measured ratios are 48-88 per
     * coordinate here, asserted above 5 (the variance ratio of 4000 draws has a sampling error of a few percent).
     */
    @Test
    void baselinesReduceTheVariance() {
        Function<Tensor, Distribution> qOf = Bernoulli::fromLogits;
        Elbo none = Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).batchedLikelihood().baseline(Elbo.Baseline.NONE).build();
        Elbo running = Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).batchedLikelihood().build();
        assertEquals(Elbo.Baseline.RUNNING_MEAN, running.baseline(), "the default baseline");
        Tensor b = Tensor.scalar(DType.F64, 0).requiresGrad(true);
        Elbo learned = Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).batchedLikelihood().learnedBaseline(b).build();
        Adam adam = new Adam(List.of(b), 0.5);
        Generator g = new Generator(3);
        for (int i = 0; i < 200; i++) {
            adam.zeroGrad();
            learned.loss(Bernoulli.fromLogits(Tensor.of(DType.F64, THETA)), g).backward();
            adam.step();
        }
        double exactSignal = 0;                                            // E_q[log p(y | z)], the analytic-KL signal's mean
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Tensor s = allBernoulliConfigurations();
            exactSignal = Bernoulli.fromLogits(Tensor.of(DType.F64, THETA)).logProb(s).sum(1).exp().mul(bernoulliLogLik(s)).sum().item();
        }
        assertEquals(exactSignal, b.item(), 1.5, "the learned baseline tracks the mean signal (its noise: the signal's sd ≈ 3)");
        double[][] vn = estimates(none, THETA, qOf, 4000, 4), vr = estimates(running, THETA, qOf, 4000, 4), vl = estimates(learned, THETA, qOf, 4000, 4);
        for (int d = 0; d < 3; d++) {
            double rr = ScoreFunctionElboTest.variance(vn[d]) / ScoreFunctionElboTest.variance(vr[d]);
            double rl = ScoreFunctionElboTest.variance(vn[d]) / ScoreFunctionElboTest.variance(vl[d]);
            System.out.printf("Elbo score-function variance ratio θ%d: none/running-mean %.1f, none/learned %.1f%n", d, rr, rl);
            assertTrue(rr > 5, "running-mean ratio " + rr);
            assertTrue(rl > 5, "learned ratio " + rl);
        }
    }

    /**
     * Svi fits a mean-field Bernoulli q to the model's factorised posterior by the score-function ELBO: the posterior
     * probabilities within 0.03 (the final q's logits wander by the gradient noise over Adam's last steps at lr 0.01;
     * measured errors are below 0.01), from q = Bernoulli(0.5) everywhere. A learned baseline rides along in the optimiser.
     */
    @Test
    void sviRecoversTheExactPosteriorOfADiscreteLatent() {
        Tensor logits = Tensor.zeros(DType.F64, 3).requiresGrad(true), b = Tensor.scalar(DType.F64, 0).requiresGrad(true);
        Elbo elbo = Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).particles(4).batchedLikelihood().learnedBaseline(b).build();
        Adam adam = new Adam(List.of(logits, b), 0.05);
        Svi<Bernoulli> svi = new Svi<>(List.of(logits), adam, ps -> Bernoulli.fromLogits(ps.getFirst(), false), elbo);
        Generator g = new Generator(12);
        svi.run(1500, g);
        adam.paramGroups().forEach(pg -> pg.setLr(0.01));
        svi.run(1000, g);
        double[] fit = svi.q().probs().toDoubleArray(), exact = exactPosterior();
        for (int i = 0; i < 3; i++) assertEquals(exact[i], fit[i], 0.03, "posterior P(z" + i + " = 1)");
    }

    @Test
    void badSettingsSayWhatIsWrong() {
        assertMessage(() -> Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).baseline(Elbo.Baseline.LEAVE_ONE_OUT).build(),
                "Elbo: the leave-one-out baseline needs particles >= 2, got 1");
        assertMessage(() -> Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).baseline(Elbo.Baseline.LEARNED),
                "Elbo.baseline: LEARNED needs its parameter; use learnedBaseline(tensor)");
        assertMessage(() -> Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).learnedBaseline(Tensor.zeros(DType.F64, 2)),
                "Elbo.learnedBaseline: expected a one-element leaf tensor that requires grad, got shape [2], not requiring grad");
        assertMessage(() -> Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).runningMeanDecay(1),
                "Elbo.runningMeanDecay: must be in [0, 1), got 1.0");
        assertMessage(() -> Elbo.builder(bernoulliPrior(), ElboScoreFunctionTest::bernoulliLogLik).estimator(Elbo.Estimator.PATHWISE).build()
                .loss(Bernoulli.fromLogits(Tensor.of(DType.F64, THETA)), new Generator(1)), "Elbo: the pathwise estimator needs a reparameterisable q");
    }
}
