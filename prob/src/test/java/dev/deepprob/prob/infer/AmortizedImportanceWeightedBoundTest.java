package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Bernoulli;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.NumbersAreF64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.deepprob.prob.infer.LaplaceApproximationTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A linear-Gaussian latent-variable model, z ~ N(0, I₂), x | z ~ N(W z + c, σ² I₃) with σ = 0.5, whose evidence is
 * known: x ~ N(c, W Wᵀ + σ² I). W's columns are orthogonal (WᵀW = diag(2.25, 1.25)), so the posterior
 * N(Σ Wᵀ(x - c)/σ², Σ) with Σ = (I + WᵀW/σ²)⁻¹ = diag(0.1, 1/6) is diagonal: a factorised Normal encoder, linear in x,
 * can be exactly right, and a perturbed one is a fixed encoder with a known weight variance.
 */
@ExtendWith(NumbersAreF64.class)
class AmortizedImportanceWeightedBoundTest {
    static final double SIGMA = 0.5;
    static final double[][] W = {{1, 0.5}, {0.5, -1}, {1, 0}};
    static final double[] C = {0.2, -0.1, 0.3};
    static final double[] POST_VAR = {1 / (1 + 2.25 / (SIGMA * SIGMA)), 1 / (1 + 1.25 / (SIGMA * SIGMA))};
    static final Tensor WT = Tensor.of(DType.F64, new double[]{1, 0.5, 1, 0.5, -1, 0}, 2, 3);     // Wᵀ
    static final Tensor CT = Tensor.of(DType.F64, C);
    /** Six data points (B = 6), from the model with seed 5 and rounded. */
    static final Tensor X = Tensor.of(DType.F64, new double[]{
            1.1, -0.9, 1.3, -0.7, 0.8, -0.4, 2.2, 0.1, 2.0, 0.3, -1.2, 0.1, -1.5, -0.6, -1.1, 0.6, 1.4, 0.2}, 6, 3);

    /** log p(x, z) for z of shape (n, B, 2): (n, B). */
    static Tensor logJoint(Tensor x, Tensor z) {
        Tensor mean = z.matmul(WT).add(CT);                                                  // (n, B, 3)
        Tensor lx = x.sub(mean).square().sum(2).mul(-0.5 / (SIGMA * SIGMA)).sub(3 * (Math.log(SIGMA) + 0.5 * Math.log(2 * Math.PI)));
        Tensor lz = z.square().sum(2).mul(-0.5).sub(Math.log(2 * Math.PI));
        return lx.add(lz);
    }

    /** q(z | x) = N(shift + Σ Wᵀ(x - c)/σ², scale·√diag Σ): the exact posterior at shift 0, scale 1. */
    static Normal encoder(Tensor x, double shift, double scale) {
        Tensor m = WT.transpose(0, 1).mul(Tensor.of(DType.F64, POST_VAR)).div(SIGMA * SIGMA);   // (3, 2) = W Σ / σ²
        Tensor loc = x.sub(CT).matmul(m).add(shift);
        Tensor sd = Tensor.of(DType.F64, new double[]{Math.sqrt(POST_VAR[0]) * scale, Math.sqrt(POST_VAR[1]) * scale}).expand(x.shape(0), 2);
        return new Normal(loc, sd);
    }

    /** log N(x; c, W Wᵀ + σ² I) per row of X, from the 3x3 covariance's Cholesky factor. */
    static double[] logEvidence() {
        double[][] s = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) s[i][j] = W[i][0] * W[j][0] + W[i][1] * W[j][1] + (i == j ? SIGMA * SIGMA : 0);
        double[][] l = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j <= i; j++) {
                double v = s[i][j];
                for (int k = 0; k < j; k++) v -= l[i][k] * l[j][k];
                l[i][j] = i == j ? Math.sqrt(v) : v / l[j][j];
            }
        }
        double[] x = X.toDoubleArray(), out = new double[6];
        for (int p = 0; p < 6; p++) {
            double[] u = new double[3];                                                       // L u = x - c
            double quad = 0, logDet = 0;
            for (int i = 0; i < 3; i++) {
                double v = x[3 * p + i] - C[i];
                for (int k = 0; k < i; k++) v -= l[i][k] * u[k];
                u[i] = v / l[i][i];
                quad += u[i] * u[i];
                logDet += Math.log(l[i][i]);
            }
            out[p] = -1.5 * Math.log(2 * Math.PI) - logDet - 0.5 * quad;
        }
        return out;
    }

    static AmortizedImportanceWeightedBound bound(int k, double shift, double scale) {
        return AmortizedImportanceWeightedBound.of(x -> encoder(x, shift, scale), AmortizedImportanceWeightedBoundTest::logJoint, k);
    }

    /** With the exact posterior as q every weight is p(x), so L_K = log p(x) for every K and every draw (to rounding). */
    @Test
    void theExactPosteriorEncoderGivesTheEvidenceForEveryK() {
        double[] lp = logEvidence();
        for (int k : new int[]{1, 5, 50}) {
            double[] b = bound(k, 0, 1).bounds(X, new Generator(k)).toDoubleArray();
            double[] e = bound(k, 0, 1).estimate(X, new Generator(k + 1), 3 * k, k);
            for (int i = 0; i < 6; i++) {
                assertEquals(lp[i], b[i], 1e-10, "K " + k + " point " + i);          // sums of a few terms of size ~10: rounding ~1e-14
                assertEquals(lp[i], e[i], 1e-10, "estimate, K " + 3 * k + " point " + i);
            }
        }
    }

    /**
     * The relative variance v = E_q[w²] - 1 of the normalised weights of the perturbed encoder (mean + 0.3, scale x1.4),
     * per point: the posterior and q differ by the same shift and scale at every x, so v is one number, ∏_d ∫ post²/q - 1
     * (quadrature over each independent dim).
     */
    static double weightVariance(double shift, double scale) {
        double prod = 1;
        for (double pv : POST_VAR) {
            double ps = Math.sqrt(pv), qs = ps * scale, h = 1e-4 * ps, acc = 0;
            for (double z = -12 * ps; z <= 12 * ps; z += h) {
                double post = Math.exp(-0.5 * z * z / pv) / (ps * Math.sqrt(2 * Math.PI));
                double q = Math.exp(-0.5 * Math.pow((z - shift) / qs, 2)) / (qs * Math.sqrt(2 * Math.PI));
                acc += post * post / q * h;
            }
            prod *= acc;
        }
        return prod - 1;
    }

    /**
     * A fixed, wrong encoder: E[L_K] rises with K and stays below log p(x), averaged over the six points and 300 repeats;
     * each step up must exceed 4 combined standard errors and each mean must stay below log p + 3 SE.
     */
    @Test
    void theBoundRisesWithKAndStaysBelowTheEvidence() {
        double lpMean = 0;
        for (double v : logEvidence()) lpMean += v / 6;
        int[] ks = {1, 4, 32};
        int r = 300;
        double[] mean = new double[ks.length], se = new double[ks.length];
        Generator g = new Generator(3);
        for (int j = 0; j < ks.length; j++) {
            double[] v = new double[r];
            for (int i = 0; i < r; i++) v[i] = bound(ks[j], 0.3, 1.4).meanEstimate(X, g, ks[j], ks[j]);
            for (double x : v) mean[j] += x / r;
            se[j] = Math.sqrt(ScoreFunctionElboTest.variance(v) / r);
            System.out.printf("amortised IWAE: mean L_%d = %.4f ± %.4f (mean log p(x) = %.4f)%n", ks[j], mean[j], se[j], lpMean);
            assertTrue(mean[j] < lpMean + 3 * se[j], "L_" + ks[j] + " = " + mean[j] + " above log p = " + lpMean);
            if (j > 0) assertTrue(mean[j] - mean[j - 1] > 4 * Math.hypot(se[j], se[j - 1]), "L_" + ks[j] + " = " + mean[j]
                    + " not above L_" + ks[j - 1] + " = " + mean[j - 1]);
        }
        // L_1 is the ELBO: log p(x) - KL(q || posterior), the same KL at every point (closed form for 1-D normals)
        double kl = 0;
        for (double pv : POST_VAR) {
            double qv = pv * 1.4 * 1.4;
            kl += 0.5 * (qv / pv + 0.3 * 0.3 / pv - 1 + Math.log(pv / qv));
        }
        assertEquals(lpMean - kl, mean[0], 5 * se[0], "L_1 is the ELBO");
    }

    /**
     * At K = 100,000 (drawn 5,000 at a time) each point's estimate is within the delta-method bias v/(2K) plus 5 standard
     * deviations √(v/K) of its log p(x), with v the weight variance above.
     */
    @Test
    void theEstimateConvergesToTheEvidencePerPoint() {
        double v = weightVariance(0.3, 1.4);
        int k = 100_000;
        double tol = v / (2 * k) + 5 * Math.sqrt(v / k);
        double[] lp = logEvidence(), est = bound(1, 0.3, 1.4).estimate(X, new Generator(8), k, 5000);
        System.out.printf("amortised IWAE at K = %d: relative weight variance %.3f, tolerance %.4f%n", k, v, tol);
        for (int i = 0; i < 6; i++) assertEquals(lp[i], est[i], tol, "point " + i);
    }

    /**
     * Training a linear encoder (loc = (x - c) M + a, scale exp(ρ)) from zeros by -L_8 with Adam: the posterior is in
     * the family, so the bound should reach log p(x) at every point. Asserted: the mean of 100 evaluations of L_8 within
     * 0.03 nats of log p(x) per point (the gap v/(2K) of an encoder whose weight variance v is below 0.5), starting more
     * than 1 nat below on average.
     */
    @Test
    void trainingTheEncoderClosesTheGap() {
        Tensor m = Tensor.zeros(DType.F64, 3, 2).requiresGrad(true), a = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        Tensor rho = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        AmortizedImportanceWeightedBound iwae = AmortizedImportanceWeightedBound.of(
                x -> new Normal(x.sub(CT).matmul(m).add(a), rho.exp().expand(x.shape(0), 2)), AmortizedImportanceWeightedBoundTest::logJoint, 8);
        double[] lp = logEvidence();
        Generator g = new Generator(6);
        double[] before = meanOf100(iwae, g);
        Adam opt = new Adam(List.of(m, a, rho), 0.03);
        for (int step = 0; step < 3000; step++) {
            if (step == 2000) opt.paramGroups().forEach(pg -> pg.setLr(0.003));
            opt.zeroGrad();
            iwae.loss(X, g).backward();
            opt.step();
        }
        double[] after = meanOf100(iwae, g);
        double gapBefore = 0;
        for (int i = 0; i < 6; i++) {
            System.out.printf("point %d: L_8 %.4f -> %.4f, log p(x) %.4f%n", i, before[i], after[i], lp[i]);
            gapBefore += (lp[i] - before[i]) / 6;
            assertEquals(lp[i], after[i], 0.03, "point " + i + " after training");
        }
        assertTrue(gapBefore > 1, "the mean gap at the start " + gapBefore);
    }

    /** The mean of 100 evaluations of L_8 per point. */
    static double[] meanOf100(AmortizedImportanceWeightedBound iwae, Generator g) {
        double[] out = new double[6];
        for (int r = 0; r < 100; r++) {
            double[] e = iwae.estimate(X, g, 8, 8);
            for (int i = 0; i < 6; i++) out[i] += e[i] / 100;
        }
        return out;
    }

    /** Mean and sum reductions are -mean and -sum of the per-point bounds on the same draws. */
    @Test
    void reductionsCombineThePerPointBounds() {
        double[] b = bound(4, 0.3, 1.4).bounds(X, new Generator(2)).toDoubleArray();
        double s = 0;
        for (double v : b) s += v;
        assertEquals(-s / 6, bound(4, 0.3, 1.4).loss(X, new Generator(2)).item(), 1e-12);
        assertEquals(-s, bound(4, 0.3, 1.4).loss(X, new Generator(2), AmortizedImportanceWeightedBound.Reduction.SUM).item(), 1e-12);
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertMessage(() -> AmortizedImportanceWeightedBound.of(null, AmortizedImportanceWeightedBoundTest::logJoint, 2),
                "AmortizedImportanceWeightedBound: encoder must not be null");
        assertMessage(() -> bound(0, 0, 1), "AmortizedImportanceWeightedBound: samples must be >= 1, got 0");
        assertMessage(() -> AmortizedImportanceWeightedBound.of(x -> new Normal(0.0, 1.0), AmortizedImportanceWeightedBoundTest::logJoint, 2)
                .loss(X, new Generator(1)), "AmortizedImportanceWeightedBound.bounds: the encoder's q must have batch shape (B, ...) with B = 6");
        assertMessage(() -> AmortizedImportanceWeightedBound.of(x -> Bernoulli.fromProbs(Tensor.full(DType.F64, 0.5, 6, 2)),
                AmortizedImportanceWeightedBoundTest::logJoint, 2).loss(X, new Generator(1)), "the encoder's q must be Reparameterizable");
        assertMessage(() -> AmortizedImportanceWeightedBound.of(x -> encoder(x, 0, 1), (x, z) -> z.sum(), 2).loss(X, new Generator(1)),
                "AmortizedImportanceWeightedBound: the log joint must return (2, 6) for z of shape [2, 6, 2], got shape []");
        assertMessage(() -> bound(2, 0, 1).estimate(X, new Generator(1), 10, 0), "AmortizedImportanceWeightedBound.estimate: chunk must be >= 1, got 0");
    }
}
