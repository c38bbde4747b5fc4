package dev.deepprob.prob;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.transforms.AffineTransform;
import dev.deepprob.prob.transforms.ExpTransform;
import dev.deepprob.prob.transforms.SigmoidTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.deepprob.prob.UnivariateSamplingTest.f64;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The KL rules of CrossFamilyKL beyond their reference rows (TorchReferenceTest, with torch's values cross-checked by
 * quadrature in the script): +inf by the supports in the batch shape, the batch-wise +inf masks of the partial rules,
 * Monte Carlo agreement for pairs whose p is sampled pathwise, gradients in both distributions' parameters, the
 * TransformedDistribution rule and KL.hasClosedForm for it, and where this library departs from torch.
 */
@ExtendWith(NumbersAreF64.class)
class CrossFamilyKLTest {
    static final GradCheck.Options GRAD = new GradCheck.Options(1e-6, 1e-6, 1e-5);

    @Test
    void pairsOutsideTheSupportAreInfiniteInTheBatchShape() {
        List<Distribution[]> pairs = List.of(
                new Distribution[]{new Normal(f64(0, 1), f64(1, 2)), new Uniform(f64(-5), f64(5))},
                new Distribution[]{new Laplace(f64(0, 1), f64(1, 2)), new Beta(2.0, 3.0)},
                new Distribution[]{new Gumbel(f64(0, 1), f64(1, 2)), new Exponential(f64(1))},
                new Distribution[]{new Gamma(f64(2, 3), f64(1, 1)), new Pareto(1.0, 2.0)},
                new Distribution[]{new Exponential(f64(1, 2)), ContinuousBernoulli.fromProbs(0.3)},
                new Distribution[]{new Pareto(f64(1, 2), f64(3, 3)), new Uniform(f64(0), f64(100))},
                new Distribution[]{new Poisson(f64(0.5, 3)), Bernoulli.fromProbs(0.3)},
                new Distribution[]{new Poisson(f64(0.5, 3)), Binomial.fromProbs(10, 0.3)});
        for (Distribution[] pq : pairs) {
            assertTrue(KL.hasClosedForm(pq[0], pq[1]), pq[0] + " || " + pq[1]);
            Tensor k = KL.divergence(pq[0], pq[1]);
            assertArrayEquals(new int[]{2}, k.dims(), pq[0] + " || " + pq[1]);
            for (double v : k.toDoubleArray()) assertEquals(Double.POSITIVE_INFINITY, v, pq[0] + " || " + pq[1]);
        }
        // Poisson(0) is the point mass at 0: KL = -log q(0), finite (torch answers +inf)
        assertEquals(-Math.log(0.7), KL.divergence(new Poisson(0.0), Bernoulli.fromProbs(0.3)).item(), 1e-15);
        assertEquals(-5 * Math.log(0.7), KL.divergence(new Poisson(0.0), Binomial.fromProbs(5, 0.3)).item(), 1e-14);
    }

    /** A rule that holds only inside q's support is +inf in exactly the batch members outside it. */
    @Test
    void partialRulesMaskOnlyTheMembersOutside() {
        double[] k = KL.divergence(new Uniform(f64(0.2, -0.1, 0.5), f64(0.9, 0.5, 1.2)), new Beta(2.0, 3.0)).toDoubleArray();
        assertTrue(Double.isFinite(k[0]));
        assertEquals(Double.POSITIVE_INFINITY, k[1]);
        assertEquals(Double.POSITIVE_INFINITY, k[2]);
        double[] pe = KL.divergence(new Pareto(f64(2, 1), f64(3, 0.8)), new Exponential(0.5)).toDoubleArray();
        assertTrue(Double.isFinite(pe[0]));
        assertEquals(Double.POSITIVE_INFINITY, pe[1], "Pareto with α <= 1 has no mean: +inf against an exponential");
        double[] pp = KL.divergence(new Pareto(f64(2, 1), f64(3, 3)), new Pareto(1.5, 2.0)).toDoubleArray();
        assertTrue(Double.isFinite(pp[0]));
        assertEquals(Double.POSITIVE_INFINITY, pp[1], "p's scale below q's: mass where q has none");
    }

    /**
     * Closed forms against Monte Carlo means of log p - log q over 200000 pathwise draws, within 5 standard errors of
     * the estimate (the spread of log p - log q measured on the same draws).
     */
    @Test
    void closedFormsAgreeWithMonteCarlo() {
        List<Distribution[]> pairs = List.of(
                new Distribution[]{new Beta(2.0, 3.0), new Gamma(f64(2), f64(1.5))},
                new Distribution[]{new Gamma(f64(2.5), f64(2)), new Gumbel(1.0, 2.0)},
                new Distribution[]{new Gumbel(1.0, 2.0), new Gumbel(0.0, 0.5)},
                new Distribution[]{new Pareto(2.0, 3.0), new Normal(3.0, 2.0)},
                new Distribution[]{new Uniform(f64(2), f64(5)), new Pareto(1.5, 3.0)},
                new Distribution[]{ContinuousBernoulli.fromProbs(0.3), ContinuousBernoulli.fromProbs(0.8)},
                new Distribution[]{new Cauchy(0.0, 1.0), new Cauchy(1.5, 0.4)},
                new Distribution[]{ContinuousBernoulli.fromProbs(0.3), new Uniform(f64(0), f64(1))});
        int n = 200000;
        for (Distribution[] pq : pairs) {
            Tensor x = pq[0].sample(new Generator(17), n);
            double[] d = pq[0].logProb(x).sub(pq[1].logProb(x)).toDoubleArray();
            double m = 0, v = 0;
            for (double e : d) m += e;
            m /= n;
            for (double e : d) v += (e - m) * (e - m);
            double se = Math.sqrt(v / (n - 1) / n);
            assertEquals(KL.divergence(pq[0], pq[1]).item(), m, 5 * se + 1e-12, pq[0] + " || " + pq[1]);
        }
    }

    @Test
    void rulesAreDifferentiableInBothDistributions() {
        GradCheck.check(p -> KL.divergence(new Beta(p.get(0), p.get(1)), new Normal(p.get(2), p.get(3))),
                List.of(f64(2, 0.5), f64(3, 0.7), f64(0.3, -1), f64(0.5, 2)), 2, GRAD, new Generator(1));
        GradCheck.check(p -> KL.divergence(new Gamma(p.get(0), p.get(1)), new Gumbel(p.get(2), p.get(3))),
                List.of(f64(2.5), f64(2), f64(1), f64(2)), 2, GRAD, new Generator(2));
        GradCheck.check(p -> KL.divergence(ContinuousBernoulli.fromLogits(p.get(0)), ContinuousBernoulli.fromLogits(p.get(1))),
                List.of(f64(-0.8, 0.01, 3), f64(1.4, -0.2, 0.3)), 2, GRAD, new Generator(3));
        GradCheck.check(p -> KL.divergence(new Uniform(p.get(0), p.get(1)), new Beta(p.get(2), p.get(3))),
                List.of(f64(0.2), f64(0.9), f64(2), f64(3)), 2, GRAD, new Generator(4));
        GradCheck.check(p -> KL.divergence(new Pareto(p.get(0), p.get(1)), new Gamma(p.get(2), p.get(3))),
                List.of(f64(2), f64(3), f64(2), f64(0.5)), 2, GRAD, new Generator(5));
    }

    /** Two pushforwards by equal transforms: the bases' KL; by different ones: no closed form, and hasClosedForm says so. */
    @Test
    void transformedPairsUseTheirBasesWhenTheTransformsAreEqual() {
        Normal a = new Normal(0.3, 0.8), b = new Normal(-1.0, 1.5);
        TransformedDistribution p = TransformedDistribution.of(a, new AffineTransform(1.0, 2.0), new ExpTransform());
        TransformedDistribution q = TransformedDistribution.of(b, new AffineTransform(1.0, 2.0), new ExpTransform());
        assertTrue(KL.hasClosedForm(p, q));
        assertEquals(KL.divergence(a, b).item(), KL.divergence(p, q).item(), 0);
        TransformedDistribution r = TransformedDistribution.of(b, new AffineTransform(1.0, 3.0), new ExpTransform());
        TransformedDistribution s = TransformedDistribution.of(b, new SigmoidTransform());
        assertFalse(KL.hasClosedForm(p, r), "different affine scales");
        assertFalse(KL.hasClosedForm(p, s), "different transforms");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KL.divergence(p, s));
        assertTrue(e.getMessage().startsWith("KL(TransformedDistribution || TransformedDistribution): the transforms differ"), e.getMessage());
        TransformedDistribution t = TransformedDistribution.of(new StudentT(3.0, 0.0, 1.0), new ExpTransform());
        assertFalse(KL.hasClosedForm(TransformedDistribution.of(a, new ExpTransform()), t), "no Normal/StudentT rule beneath");
    }

    /**
     * Where torch 1.13 is wrong the library is not: ContinuousBernoulli against U(0, 1) (and back) is finite (torch's
     * support test uses >= and <=, so it answers +inf), and U(0, 1) against a Beta is finite (torch's 0 log 0 gives NaN);
     * the values are the quadrature rows of the reference tables.
     */
    @Test
    void departuresFromTorchAreFinite() {
        assertTrue(Double.isFinite(KL.divergence(ContinuousBernoulli.fromProbs(0.3), new Uniform(f64(0), f64(1))).item()));
        assertTrue(Double.isFinite(KL.divergence(new Uniform(f64(0), f64(1)), ContinuousBernoulli.fromProbs(0.3)).item()));
        assertTrue(Double.isFinite(KL.divergence(new Uniform(f64(0), f64(1)), new Beta(0.5, 2.0)).item()));
        assertEquals(0, KL.divergence(new Uniform(f64(0), f64(1)), new Beta(1.0, 1.0)).item(), 1e-15);
    }
}
