package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.Bernoulli;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.NumbersAreF64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.deepprob.prob.infer.ElboTest.Y;
import static dev.deepprob.prob.infer.LaplaceApproximationTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ElboTest's conjugate model (w ~ N(0, 1), yᵢ | w ~ N(w, 1)) with q = N(m, s), whose ELBO gradient is closed form:
 * ∂/∂m = Σᵢ(yᵢ - m) - m, ∂/∂s = -n s + 1/s - s; and a Bernoulli latent whose ELBO is a finite sum over {0,1}³.
 * Unbiasedness is asserted as: the mean of R independent estimates is within 5 standard errors of the exact value
 * (a false failure has probability below 1e-6 per coordinate for a near-normal mean of R ≥ 1000 draws).
 */
@ExtendWith(NumbersAreF64.class)
class ScoreFunctionElboTest {
    static final double M = 0.7, S = 0.45;

    /** log p(y, w) for w of shape (K): (K). */
    static Tensor logJoint(Tensor w) {
        return ElboTest.logLikBatched(w).add(w.square().mul(-0.5).sub(0.5 * Math.log(2 * Math.PI)));
    }

    static double[] exactLossGrad(double m, double s) {
        double gm = -m, gs = -Y.length * s + 1 / s - s;
        for (double y : Y) gm += y - m;
        return new double[]{-gm, -gs};                                 // of the loss = -ELBO
    }

    /** R estimates of the loss gradient in (m, s): grads[0] for m, grads[1] for s. */
    static double[][] gradients(ScoreFunctionElbo est, int r, long seed) {
        Generator g = new Generator(seed);
        double[][] out = new double[2][r];
        for (int i = 0; i < r; i++) {
            Tensor m = Tensor.scalar(DType.F64, M).requiresGrad(true), s = Tensor.scalar(DType.F64, S).requiresGrad(true);
            est.loss(new Normal(m, s), g).backward();
            out[0][i] = m.grad().item();
            out[1][i] = s.grad().item();
        }
        return out;
    }

    static double variance(double[] v) {
        double mean = 0, var = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        for (double x : v) var += (x - mean) * (x - mean);
        return var / (v.length - 1);
    }

    @Test
    void unbiasedOnNormalWithEveryBaseline() {
        double[] exact = exactLossGrad(M, S);
        for (ScoreFunctionElbo.Baseline b : ScoreFunctionElbo.Baseline.values()) {
            // without a baseline the variance is 10-20x larger (see baselinesReduceVariance): 8x the estimates keeps the SE small
            double[][] gr = gradients(ScoreFunctionElbo.of(ScoreFunctionElboTest::logJoint, 4, b), b == ScoreFunctionElbo.Baseline.NONE ? 32000 : 4000, 11);
            ElboTest.assertWithinStandardErrors(gr[0], exact[0], 5, b + " d/dm");
            ElboTest.assertWithinStandardErrors(gr[1], exact[1], 5, b + " d/ds");
        }
    }

    /**
     * The baselines cut the variance: the learning signal f = log p - log q has mean ≈ -18 here, so without a baseline
     * the estimator's variance is dominated by E[f]² Var(∇ log q); both baselines remove that part. Measured ratios
     * (4000 estimates, K = 4) are far above the asserted 5, whose sampling error at R = 4000 is a few percent.
     */
    @Test
    void baselinesReduceVariance() {
        double[][] none = gradients(ScoreFunctionElbo.of(ScoreFunctionElboTest::logJoint, 4, ScoreFunctionElbo.Baseline.NONE), 4000, 5);
        double[][] loo = gradients(ScoreFunctionElbo.of(ScoreFunctionElboTest::logJoint, 4, ScoreFunctionElbo.Baseline.LEAVE_ONE_OUT), 4000, 5);
        double[][] run = gradients(ScoreFunctionElbo.of(ScoreFunctionElboTest::logJoint, 4, ScoreFunctionElbo.Baseline.RUNNING_MEAN), 4000, 5);
        for (int c = 0; c < 2; c++) {
            double rl = variance(none[c]) / variance(loo[c]), rr = variance(none[c]) / variance(run[c]);
            System.out.printf("ScoreFunctionElbo variance ratio (%s): none/leave-one-out %.1f, none/running-mean %.1f%n", c == 0 ? "m" : "s", rl, rr);
            assertTrue(rl > 5, "leave-one-out ratio " + rl);
            assertTrue(rr > 5, "running-mean ratio " + rr);
        }
    }

    static final double[] A = {0.4, -1.2, 0.9};

    /** log p(x, z) for z ∈ {0,1}³ of shape (K, 3): a·z + 1.5 z₀z₁ - 2 z₁z₂ (any function of z would do). */
    static Tensor bernoulliJoint(Tensor z) {
        Tensor z0 = z.select(1, 0), z1 = z.select(1, 1), z2 = z.select(1, 2);
        return z.mul(Tensor.of(DType.F64, A)).sum(1).add(z0.mul(z1).mul(1.5)).sub(z1.mul(z2).mul(2));
    }

    /** Against the exact gradient of the finite sum Σ_z q(z)(log p(x, z) - log q(z)) over the 8 configurations. */
    @Test
    void unbiasedOnBernoulliLatentAgainstTheExactSum() {
        double[] theta = {0.3, -0.5, 1.0};
        Tensor t = Tensor.of(DType.F64, theta).requiresGrad(true);
        double[] all = new double[24];
        for (int c = 0; c < 8; c++) for (int d = 0; d < 3; d++) all[3 * c + d] = (c >> d) & 1;
        Tensor z = Tensor.of(DType.F64, all, 8, 3);
        Tensor lq = Bernoulli.fromLogits(t).logProb(z).sum(1);
        lq.exp().mul(bernoulliJoint(z).sub(lq)).sum().neg().backward();
        double[] exact = t.grad().toDoubleArray();
        int r = 3000;
        double[][] g = new double[3][r];
        Generator gen = new Generator(3);
        ScoreFunctionElbo est = ScoreFunctionElbo.of(ScoreFunctionElboTest::bernoulliJoint, 4, ScoreFunctionElbo.Baseline.LEAVE_ONE_OUT);
        for (int i = 0; i < r; i++) {
            Tensor ti = Tensor.of(DType.F64, theta).requiresGrad(true);
            est.loss(Bernoulli.fromLogits(ti), gen).backward();
            double[] gi = ti.grad().toDoubleArray();
            for (int d = 0; d < 3; d++) g[d][i] = gi[d];
        }
        for (int d = 0; d < 3; d++) ElboTest.assertWithinStandardErrors(g[d], exact[d], 5, "d/dθ" + d);
    }

    /** The loss's value is the negative ELBO estimate, so it can be logged like Elbo's. */
    @Test
    void lossValueIsTheNegativeElboEstimate() {
        ScoreFunctionElbo est = ScoreFunctionElbo.of(ScoreFunctionElboTest::logJoint, 8, ScoreFunctionElbo.Baseline.LEAVE_ONE_OUT);
        ScoreFunctionElbo.Terms t = est.terms(new Normal(Tensor.scalar(DType.F64, M), Tensor.scalar(DType.F64, S)), new Generator(1));
        assertEquals(-t.elbo(), t.loss().item(), 1e-12);
    }

    @Test
    void rejectsBadSettings() {
        assertMessage(() -> ScoreFunctionElbo.of(ScoreFunctionElboTest::logJoint, 1, ScoreFunctionElbo.Baseline.LEAVE_ONE_OUT),
                "ScoreFunctionElbo: the leave-one-out baseline needs samples >= 2, got 1");
        assertMessage(() -> ScoreFunctionElbo.of(w -> w.sum(), 3, ScoreFunctionElbo.Baseline.NONE)
                        .loss(new Normal(Tensor.scalar(DType.F64, 0), Tensor.scalar(DType.F64, 1)), new Generator(1)),
                "ScoreFunctionElbo: the log joint must return (3) for z of shape [3], got shape []");
    }
}
