package dev.deepprob.prob;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.deepprob.prob.AddedFamiliesTest.assertThrowsWith;
import static dev.deepprob.prob.UnivariateSamplingTest.f64;
import static dev.deepprob.prob.UnivariateSamplingTest.moments;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The families of issue 15's second part beyond their reference tables: sample moments within 5 standard errors
 * (UnivariateSamplingTest's rule), exact properties of the relaxations (a relaxed draw rounds to a draw of the discrete law:
 * P(y &gt; ½) = p, argmax y ~ Categorical(p)), the circular moments of von Mises draws, LKJ's correlation marginals, pathwise
 * gradients of rsample by finite differences with the noise fixed by the seed, and the parameter checks' messages.
 */
@ExtendWith(NumbersAreF64.class)
class SecondAddedFamiliesTest {
    static final GradCheck.Options GRAD = new GradCheck.Options(1e-6, 1e-6, 1e-5);
    static final int N = 40000;

    /** |observed - expected| within 5 binomial standard errors of a frequency over n draws. */
    static void frequency(String what, double expected, double observed, int n) {
        double se = Math.sqrt(expected * (1 - expected) / n);
        assertEquals(expected, observed, 5 * se + 1e-12, what);
    }

    @Test
    void sampleMomentsMatch() {
        moments("NegativeBinomial", NegativeBinomial.fromProbs(f64(3, 0.5, 20), f64(0.3, 0.8, 0.05)), 41);
        moments("ContinuousBernoulli", ContinuousBernoulli.fromProbs(f64(0.1, 0.4999, 0.5, 0.93)), 42);
        moments("Kumaraswamy", new Kumaraswamy(f64(0.5, 2, 5), f64(0.7, 3, 1)), 43);
        moments("FisherSnedecor", new FisherSnedecor(f64(3, 20), f64(12, 30)), 44);      // df2 > 8: a finite fourth moment
        moments("Multinomial", Multinomial.fromProbs(7, Tensor.of(DType.F64, new double[]{0.2, 0.3, 0.5, 0.6, 0.0, 0.4}, 2, 3)), 45);
        moments("OneHotCategoricalStraightThrough", OneHotCategoricalStraightThrough.fromProbs(f64(0.1, 0.6, 0.3)), 46);
        Tensor l = Tensor.of(DType.F64, new double[]{1, 0, 0.4, 0.7}, 2, 2);
        moments("Wishart", Wishart.withScaleTril(f64(5.5), l), 47);
    }

    @Test
    void multinomialDrawsSumToTheCount() {
        Multinomial m = Multinomial.fromLogits(9, f64(0.3, -1, 2, 0));
        double[] x = m.sample(new Generator(3), 50).toDoubleArray();
        for (int i = 0; i < 50; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) s += x[4 * i + j];
            assertEquals(9, s, 0, "draw " + i);
        }
        assertEquals(0, Multinomial.fromProbs(0, f64(0.5, 0.5)).sample(new Generator(1), 3).sum().item(), 0);
    }

    /** y &gt; ½ exactly when the logistic relaxation's argument is positive, an event of probability p at every temperature. */
    @Test
    void relaxationsRoundToTheirDiscreteLaws() {
        for (double tau : new double[]{0.1, 1, 5}) {
            RelaxedBernoulli rb = RelaxedBernoulli.fromProbs(f64(tau, tau), f64(0.2, 0.7));
            double[] y = rb.rsample(new Generator(5), N).toDoubleArray();
            int[] above = new int[2];
            for (int i = 0; i < y.length; i++) {
                assertTrue(y[i] > 0 && y[i] < 1, "RelaxedBernoulli draw in (0, 1): " + y[i]);
                if (y[i] > 0.5) above[i % 2]++;
            }
            frequency("RelaxedBernoulli(τ = " + tau + ") P(y > ½)", 0.2, (double) above[0] / N, N);
            frequency("RelaxedBernoulli(τ = " + tau + ") P(y > ½)", 0.7, (double) above[1] / N, N);
            double[] p = {0.1, 0.6, 0.3};
            RelaxedOneHotCategorical rc = RelaxedOneHotCategorical.fromProbs(Tensor.scalar(DType.F64, tau), f64(p));
            double[] z = rc.rsample(new Generator(6), N).toDoubleArray();
            int[] wins = new int[3];
            for (int i = 0; i < N; i++) {
                int best = 0;
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    sum += z[3 * i + j];
                    if (z[3 * i + j] > z[3 * i + best]) best = j;
                }
                assertEquals(1, sum, 1e-12, "a relaxed one-hot draw lies on the simplex");
                wins[best]++;
            }
            for (int j = 0; j < 3; j++) frequency("RelaxedOneHotCategorical(τ = " + tau + ") P(argmax = " + j + ")", p[j], (double) wins[j] / N, N);
        }
    }

    /** E[cos(x - loc)] = I₁/I₀ = 1 - variance and E[sin(x - loc)] = 0, each within 5 standard errors; draws in [-π, π). */
    @Test
    void vonMisesDrawsHaveTheirCircularMoments() {
        for (double[] lk : new double[][]{{0.5, 0.01}, {-2.5, 1}, {3, 30}, {0, 1e4}}) {
            VonMises d = new VonMises(lk[0], lk[1]);
            double r = 1 - d.variance().item();
            double[] x = d.sample(new Generator(7), N).toDoubleArray();
            double c = 0, c2 = 0, s = 0, s2 = 0;
            for (double v : x) {
                assertTrue(v >= -Math.PI && v < Math.PI, "draw " + v);
                c += Math.cos(v - lk[0]);
                c2 += Math.pow(Math.cos(v - lk[0]), 2);
                s += Math.sin(v - lk[0]);
                s2 += Math.pow(Math.sin(v - lk[0]), 2);
            }
            double mc = c / N, ms = s / N;
            assertEquals(r, mc, 5 * Math.sqrt((c2 / N - mc * mc) / N) + 1e-12, "E cos, " + d);
            assertEquals(0, ms, 5 * Math.sqrt(s2 / N / N) + 1e-12, "E sin, " + d);
        }
    }

    /**
     * LKJ draws are Cholesky factors of correlation matrices whose off-diagonal entries have mean 0 and variance
     * 1/(2η + d - 1) (their marginal is 2 Beta(η - 1 + d/2, η - 1 + d/2) - 1; Lewandowski et al. 2009, section 3.2).
     */
    @Test
    void lkjDrawsAreCorrelationFactorsWithTheirMarginals() {
        for (int d : new int[]{2, 4}) {
            for (double eta : new double[]{0.5, 1, 3}) {
                LKJCholesky lkj = new LKJCholesky(d, eta);
                Tensor l = lkj.sample(new Generator(d * 10 + (long) eta), 20000);
                Constraints.corrCholesky().check("LKJ draw", l.data());
                Tensor c = l.matmul(l.mT());
                double[] r = c.data().narrow(-2, 1, 1).narrow(-1, 0, 1).contiguous().toDoubleArray();   // C[1, 0]
                double m = 0, v = 0;
                for (double x : r) m += x;
                m /= r.length;
                for (double x : r) v += (x - m) * (x - m);
                v /= r.length - 1;
                double var = 1 / (2 * eta + d - 1);
                assertEquals(0, m, 5 * Math.sqrt(var / r.length), "LKJ(" + d + ", " + eta + ") mean");
                assertEquals(var, v, 5 * var * Math.sqrt(2.0 / r.length), "LKJ(" + d + ", " + eta + ") variance");
            }
        }
    }

    @Test
    void rsampleAndLogProbAreDifferentiable() {
        GradCheck.check(p -> ContinuousBernoulli.fromLogits(p.get(0)).rsample(new Generator(7), 3), List.of(f64(-2, 0.1, 3)), 2, GRAD, new Generator(1));
        GradCheck.check(p -> new Kumaraswamy(p.get(0), p.get(1)).rsample(new Generator(7), 3), List.of(f64(0.7, 2), f64(1.5, 3)), 2, GRAD, new Generator(2));
        GradCheck.check(p -> RelaxedBernoulli.fromLogits(p.get(0), p.get(1)).rsample(new Generator(7), 3), List.of(f64(0.5, 2), f64(-1, 0.3)), 2, GRAD,
                new Generator(3));
        GradCheck.check(p -> RelaxedOneHotCategorical.fromLogits(p.get(0), p.get(1)).rsample(new Generator(7), 2), List.of(f64(0.7), f64(0.2, -1, 1)), 2,
                GRAD, new Generator(4));
        GradCheck.check(p -> new LogisticNormal(p.get(0), p.get(1)).rsample(new Generator(7), 2), List.of(f64(0.2, -1), f64(1, 0.5)), 2, GRAD,
                new Generator(5));
        // in the scale factor Wishart's draw L A Aᵀ Lᵀ is pathwise exactly; in the degrees of freedom (FisherSnedecor's and
        // Wishart's) the Gamma draws' gradient is the implicit one, which is not the derivative of a seeded rejection
        // sampler's output, so finite differences cannot check it (the Gamma tests check that gradient in expectation)
        GradCheck.check(p -> Wishart.withScaleTril(f64(4.5), p.get(0).tril(0)).rsample(new Generator(7), 2),
                List.of(Tensor.of(DType.F64, new double[]{1, 0, 0.4, 0.7}, 2, 2)), 2, GRAD, new Generator(8));
        Tensor x = f64(0.2, 0.9);
        GradCheck.check(p -> new VonMises(p.get(0), p.get(1)).logProb(x), List.of(f64(0.3, -1), f64(0.5, 25)), 2, GRAD, new Generator(9));
        GradCheck.check(p -> ContinuousBernoulli.fromLogits(p.get(0)).logProb(x), List.of(f64(0.01, 3)), 2, GRAD, new Generator(10));
        GradCheck.check(p -> NegativeBinomial.fromLogits(p.get(0), p.get(1)).logProb(f64(0, 4)), List.of(f64(2.5, 7), f64(-1, 0.4)), 2, GRAD,
                new Generator(11));
        GradCheck.check(p -> new FisherSnedecor(f64(3, 8), f64(5, 20)).cdf(p.get(0)), List.of(f64(0.5, 3)), 2, GRAD, new Generator(12));
        GradCheck.check(p -> NegativeBinomial.fromLogits(f64(2.5, 7), p.get(0)).cdf(f64(0, 4)), List.of(f64(-1, 0.4)), 2, GRAD, new Generator(15));
        GradCheck.check(p -> new LKJCholesky(3, p.get(0)).logProb(Tensor.of(DType.F64, new double[]{1, 0, 0, 0.6, 0.8, 0, -0.36, 0.48, 0.8}, 3, 3)),
                List.of(f64(0.7, 2)), 2, GRAD, new Generator(13));
        Tensor w = Tensor.of(DType.F64, new double[]{2, 0.3, 0.3, 1}, 2, 2);
        GradCheck.check(p -> Wishart.withScaleTril(p.get(0), Tensor.of(DType.F64, new double[]{1, 0, 0.4, 0.7}, 2, 2)).logProb(w), List.of(f64(3.5)), 2,
                GRAD, new Generator(14));
    }

    /** The straight-through draw is the one-hot sample, and its gradient is the probabilities'. */
    @Test
    void straightThroughPassesTheProbabilitiesGradient() {
        Tensor logits = f64(0.3, -1, 2).requiresGrad(true);
        OneHotCategoricalStraightThrough d = OneHotCategoricalStraightThrough.fromLogits(logits);
        Tensor weights = f64(1, 2, 3);
        Tensor s = d.rsample(new Generator(3));
        assertArrayEquals(d.sample(new Generator(3)).toDoubleArray(), s.toDoubleArray(), 1e-15);
        s.mul(weights).sum().backward();
        double[] viaSample = logits.grad().toDoubleArray();
        Tensor l2 = f64(0.3, -1, 2).requiresGrad(true);
        l2.softmax(-1).mul(weights).sum().backward();
        assertArrayEquals(l2.grad().toDoubleArray(), viaSample, 1e-15);
    }

    @Test
    void badParametersAreNamed() {
        assertThrowsWith("NegativeBinomial: totalCount must be > 0, got 0.0 at []", () -> NegativeBinomial.fromProbs(0, 0.5));
        assertThrowsWith("NegativeBinomial: probs must be < 1, got 1.0 at []", () -> NegativeBinomial.fromProbs(2, 1));
        assertThrowsWith("Multinomial: totalCount must be >= 0, got -1", () -> Multinomial.fromProbs(-1, f64(0.5, 0.5)));
        assertThrowsWith("Multinomial.logProb: value must be whole numbers >= 0 summing to 3", () -> Multinomial.fromProbs(3, f64(0.5, 0.5))
                .logProb(f64(1, 1)));
        assertThrowsWith("RelaxedBernoulli: temperature must be > 0, got 0.0 at [0]", () -> RelaxedBernoulli.fromProbs(f64(0), f64(0.5)));
        assertThrowsWith("ContinuousBernoulli: probs must be in [0, 1], got 1.5 at []", () -> ContinuousBernoulli.fromProbs(1.5));
        assertThrowsWith("Kumaraswamy: concentration0 must be > 0, got -1.0 at []", () -> new Kumaraswamy(1, -1));
        assertThrowsWith("VonMises: concentration must be > 0, got 0.0 at []", () -> new VonMises(0, 0));
        assertThrowsWith("FisherSnedecor: df2 must be > 0, got -2.0 at []", () -> new FisherSnedecor(1, -2));
        assertThrowsWith("LogisticNormal: scale must be > 0, got 0.0 at [1]", () -> new LogisticNormal(f64(0, 0), f64(1, 0)));
        assertThrowsWith("LKJCholesky: dim must be >= 2, got 1", () -> new LKJCholesky(1, 1.0));
        assertThrowsWith("Wishart: df (for 2 x 2 matrices) must be > 1, got 0.5 at [0]", () -> Wishart.withCovariance(f64(0.5),
                Tensor.eye(DType.F64, 2)));
        assertThrowsWith("Wishart: covarianceMatrix must be square matrices (..., p, p), got shape [2, 3]", () -> Wishart.withCovariance(f64(3),
                Tensor.zeros(DType.F64, 2, 3)));
        assertThrowsWith("Wishart: covarianceMatrix must be symmetric positive definite", () -> Wishart.withCovariance(f64(3),
                Tensor.of(DType.F64, new double[]{1, 2, 2, 1}, 2, 2)));
        assertThrowsWith("RelaxedOneHotCategorical: parameter shapes do not broadcast", () -> RelaxedOneHotCategorical.fromProbs(f64(1, 1, 1),
                Tensor.of(DType.F64, new double[]{0.5, 0.5, 0.5, 0.5}, 2, 2)));
        // shapes: event [k + 1] for LogisticNormal, [d, d] for LKJ and Wishart, expand keeps them
        assertArrayEquals(new int[]{3}, new LogisticNormal(f64(0, 0), f64(1, 1)).eventShape());
        assertArrayEquals(new int[]{4, 3}, new LogisticNormal(f64(0, 0), f64(1, 1)).expand(4).extendedShape());
        assertArrayEquals(new int[]{5, 2, 3, 3}, new LKJCholesky(3, f64(1, 2)).expand(5, 2).extendedShape());
        assertArrayEquals(new int[]{2, 2, 2}, Wishart.withCovariance(f64(3, 4), Tensor.eye(DType.F64, 2)).extendedShape());
    }
}
