package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.optim.Adam;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The discriminator trick on two Gaussians whose log-ratio is known in closed form: p1 = N(0, 1), p0 = N(1, 2²),
 * log p1/p0 = log 2 - x²/2 + (x - 1)²/8 and KL(p1 || p0) = log 2 + (1 + 1)/8 - 1/2 = 0.4431 (the Gaussian KL,
 * log σ0/σ1 + (σ1² + (μ1 - μ0)²)/(2σ0²) - 1/2).
 */
class DensityRatioTest {
    static final double KL = Math.log(2) + 2.0 / 8 - 0.5;

    static double trueLogRatio(double x) { return Math.log(2) - x * x / 2 + (x - 1) * (x - 1) / 8; }

    static Tensor p1(Generator g, int n) { return Tensor.randn(g, n, 1); }

    static Tensor p0(Generator g, int n) { return Tensor.randn(g, n, 1).mul(2).add(1); }

    static double correlation(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static DensityRatio fit(int n1, int n0, DensityRatio.Sampling sampling, long seed) {
        Generator g = new Generator(seed);
        Sequential clf = Mlp.of(g, 1, 32, 32, 1).build();
        return DensityRatio.trainer(clf).steps(3000).batchSize(256).sampling(sampling).optimizer(p -> new Adam(p, 1e-3))
                .fit(p1(g, n1), p0(g, n0), g);
    }

    private static void assertRecoversTheRatio(DensityRatio r, long seed) {
        Generator g = new Generator(seed);
        // the estimated log-ratio against the truth on fresh samples of both densities
        Tensor x = Tensor.cat(java.util.List.of(p1(g, 2000), p0(g, 2000)), 0);
        double[] xs = x.toDoubleArray(), est = r.logRatioValues(x, 1000), truth = new double[xs.length];
        for (int i = 0; i < xs.length; i++) truth[i] = trueLogRatio(xs[i]);
        double corr = correlation(est, truth);
        assertTrue(corr > 0.95, "correlation " + corr);
        double kl = r.klEstimate(p1(g, 20000));
        assertEquals(KL, kl, 0.1 * KL, "KL estimate");
    }

    @Test
    void balancedSetsGiveTheRatioAndTheKl() {
        DensityRatio r = fit(5000, 5000, DensityRatio.Sampling.POOLED, 1);
        assertEquals(0.5, r.prior());
        assertEquals(3000, r.losses().length);
        assertRecoversTheRatio(r, 2);
    }

    @Test
    void unbalancedSetsAreCorrectedByTheClassPrior() {
        // three times as many p0 samples: the classifier's odds are a third of the ratio, log(π0/π1) = log 3 puts it back
        DensityRatio r = fit(4000, 12000, DensityRatio.Sampling.POOLED, 3);
        assertEquals(0.25, r.prior());
        assertRecoversTheRatio(r, 4);
        DensityRatio b = fit(4000, 12000, DensityRatio.Sampling.BALANCED, 5);
        assertEquals(0.5, b.prior());
        assertRecoversTheRatio(b, 6);
    }

    @Test
    void ratioIsTheExponentialOfTheLogitPlusThePriorLogOdds() {
        Generator g = new Generator(7);
        Linear clf = new Linear(2, 1, true, DType.F64, g);
        DensityRatio r = DensityRatio.of(clf, 0.2);
        Tensor x = Tensor.randn(g, DType.F64, 6, 2).mul(30);   // large logits: still finite
        double[] logit = clf.forward(x).toDoubleArray();
        double[] lr = r.logRatio(x).toDoubleArray(), ratio = r.ratio(x).toDoubleArray(), prob = r.probability(x).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(logit[i] + Math.log(4), lr[i], 1e-12);
            assertEquals(Math.exp(logit[i] + Math.log(4)), ratio[i], 1e-12 * Math.max(1, ratio[i]));
            assertEquals(1 / (1 + Math.exp(-logit[i])), prob[i], 1e-12);
        }
        assertArrayEquals(lr, r.logRatioValues(x, 4), 0);
        assertEquals((lr[0] + lr[1] + lr[2] + lr[3] + lr[4] + lr[5]) / 6, r.klEstimate(x), 1e-12);
    }

    @Test
    void badInputSpeaks() {
        Generator g = new Generator(1);
        Sequential clf = Mlp.of(g, 2, 4, 1).build();
        DensityRatio.Trainer t = DensityRatio.trainer(clf).steps(1);
        assertEquals("DensityRatio.fit: x1 has 2 columns but x0 has 3",
                assertThrows(IllegalArgumentException.class, () -> t.fit(Tensor.zeros(4, 2), Tensor.zeros(4, 3), g)).getMessage());
        assertEquals("DensityRatio.fit: x1 is F32 but x0 is F64",
                assertThrows(IllegalArgumentException.class, () -> t.fit(Tensor.zeros(4, 2), Tensor.zeros(DType.F64, 4, 2), g)).getMessage());
        assertEquals("DensityRatio.fit: data must be (N, dims) with N >= 1, got shape [4]",
                assertThrows(IllegalArgumentException.class, () -> t.fit(Tensor.zeros(4), Tensor.zeros(4, 2), g)).getMessage());
        assertEquals("DensityRatio.fit: balanced sampling needs an even batch size, got 5",
                assertThrows(IllegalArgumentException.class, () -> DensityRatio.trainer(clf).batchSize(5)
                        .sampling(DensityRatio.Sampling.BALANCED).fit(Tensor.zeros(4, 2), Tensor.zeros(4, 2), g)).getMessage());
        assertEquals("DensityRatio.of: class prior must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> DensityRatio.of(clf, 1)).getMessage());
        assertEquals("DensityRatio.steps: must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> DensityRatio.trainer(clf).steps(-1)).getMessage());
        Sequential two = Mlp.of(g, 2, 4, 2).build();
        assertEquals("DensityRatio.fit: the classifier must return (n, 1) or (n) logits for n = 50 rows, got [50, 2]",
                assertThrows(IllegalStateException.class, () -> DensityRatio.trainer(two).steps(1).fit(Tensor.zeros(4, 2), Tensor.zeros(4, 2), g))
                        .getMessage());
        assertEquals("DensityRatio.logRatio: x must be (n, dims), got [3]",
                assertThrows(IllegalArgumentException.class, () -> DensityRatio.of(clf, 0.5).logRatio(Tensor.zeros(3))).getMessage());
    }
}
