package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sampling: moments of samples under fixed seeds against the closed-form mean and variance, with tolerances of
 * Z = 5 standard errors (mean: √(var/N); variance: √((m₄ - s⁴)/N) + var/N with m₄ the sample fourth central moment), so a
 * correct sampler fails with probability below 1e-6 per check; pmf frequencies for the exact discrete samplers;
 * reproducibility; and pathwise gradients: finite differences with the noise fixed by re-seeding for the
 * location-scale families, and first-order checks for the gamma-based ones (the implicit reparameterisation keeps
 * the cdf value fixed, checked pointwise through Gamma's cdf and icdf, and the Monte Carlo gradient of an
 * expectation matches its analytic derivative within 5 standard errors).
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class UnivariateSamplingTest {
    static final double Z = 5;
    static final int N = 20000;

    static Tensor f64(double... v) { return Tensor.of(DType.F64, v); }

    /** Sample mean and variance per batch element of samples (N, batch...) against the distribution's moments. */
    static void checkMoments(String what, Tensor samples, Tensor mean, Tensor variance) {
        int n = samples.shape(0);
        NDArray x = samples.data().to(DType.F64);
        NDArray m = x.mean(new int[]{0}, false);
        NDArray d = x.sub(m);
        NDArray s2 = d.square().sum(new int[]{0}, false).div(n - 1);
        NDArray m4 = d.square().square().mean(new int[]{0}, false);
        double[] mu = mean.data().to(DType.F64).expand(m.dims()).contiguous().toDoubleArray();
        double[] var = variance.data().to(DType.F64).expand(m.dims()).contiguous().toDoubleArray();
        double[] gm = m.toDoubleArray(), gs2 = s2.toDoubleArray(), gm4 = m4.toDoubleArray();
        for (int i = 0; i < mu.length; i++) {
            double seMean = Math.sqrt(var[i] / n);
            assertTrue(Math.abs(gm[i] - mu[i]) <= Z * seMean, what + " [" + i + "]: sample mean " + gm[i] + " vs " + mu[i]
                    + " (5 SE = " + Z * seMean + ")");
            double seVar = Math.sqrt(Math.max(gm4[i] - gs2[i] * gs2[i], 0) / n);
            // plus Z·var/N: the O(1/N) term that dominates where m₄ = s⁴ (a fair coin)
            assertTrue(Math.abs(gs2[i] - var[i]) <= Z * seVar + Z * var[i] / n + 1e-12, what + " [" + i + "]: sample variance " + gs2[i] + " vs " + var[i]
                    + " (5 SE = " + Z * seVar + ")");
        }
    }

    static <D extends Distribution & HasMoments> void moments(String what, D d, long seed) {
        Tensor s = d.sample(new Generator(seed), N);
        assertArrayEquals(d.extendedShape(N), s.dims(), what + " sample shape");
        checkMoments(what, s, d.mean(), d.variance());
        if (d instanceof Reparameterizable r) checkMoments(what + " rsample", r.rsample(new Generator(seed + 1), N), d.mean(), d.variance());
    }

    @Test
    void continuousMomentsMatch() {
        moments("Normal", new Normal(f64(0, 2.5, -1), f64(1, 0.1, 3)), 1);
        moments("LogNormal", new LogNormal(f64(0, 1), f64(0.25, 0.5)), 2);
        moments("Uniform", new Uniform(f64(0, -2), f64(1, 5)), 3);
        moments("Laplace", new Laplace(f64(0, 4), f64(1, 0.3)), 4);
        moments("Exponential", new Exponential(f64(1, 0.2, 30)), 5);
        moments("Gamma", new Gamma(f64(0.3, 1, 7.5, 60), f64(1, 2, 0.5, 10)), 6);
        moments("Beta", new Beta(f64(0.4, 2, 30), f64(0.6, 5, 1.5)), 7);
        moments("StudentT", new StudentT(f64(10, 30), f64(0, 2), f64(1, 0.5)), 8);
        moments("Dirichlet", new Dirichlet(Tensor.of(DType.F64, new double[]{0.5, 1, 3, 10, 2, 0.3}, 2, 3)), 9);
    }

    @Test
    void discreteMomentsMatch() {
        moments("Bernoulli", Bernoulli.fromProbs(f64(0.05, 0.5, 0.9)), 11);
        moments("Bernoulli(logits)", Bernoulli.fromLogits(f64(-3, 0, 2)), 12);
        moments("Binomial", Binomial.fromProbs(f64(10, 200, 1000, 5000, 1), f64(0.3, 0.3, 0.9, 0.002, 0.5)), 13);
        moments("Poisson", new Poisson(f64(0.5, 4, 40, 1000)), 14);
        moments("OneHotCategorical", OneHotCategorical.fromProbs(Tensor.of(DType.F64, new double[]{0.2, 0.3, 0.5, 0.7, 0.1, 0.2}, 2, 3)), 15);
        // Categorical: index frequencies against probs
        Categorical c = Categorical.fromLogits(Tensor.of(DType.F64, new double[]{0, 1, 2, -1, 0.5, 0.5}, 2, 3));
        Tensor s = c.sample(new Generator(16), N);
        assertEquals(DType.I64, s.dtype());
        assertArrayEquals(new int[]{N, 2}, s.dims());
        double[] p = c.probs().toDoubleArray();
        long[] idx = s.data().toLongArray();
        for (int b = 0; b < 2; b++) {
            for (int k = 0; k < 3; k++) {
                int count = 0;
                for (int i = 0; i < N; i++) if (idx[i * 2 + b] == k) count++;
                double pk = p[b * 3 + k], se = Math.sqrt(pk * (1 - pk) / N);
                assertEquals(pk, count / (double) N, Z * se, "Categorical frequency of " + k + " in batch " + b);
            }
        }
    }

    /** Exact samplers: frequency of each count within 5 SE of its pmf, on both the inversion and the BTRS paths. */
    @Test
    void binomialAndPoissonFrequenciesMatchTheirPmf() {
        Object[][] cases = {{Binomial.fromProbs(12, 0.35), 21L}, {Binomial.fromProbs(60, 0.45), 22L}, {Binomial.fromProbs(300, 0.93), 23L},
                {new Poisson(3.0), 24L}, {new Poisson(25.0), 25L}};
        for (Object[] cs : cases) {
            Distribution d = (Distribution) cs[0];
            Tensor s = d.sample(new Generator((Long) cs[1]), N);
            double[] v = s.toDoubleArray();
            int max = 0;
            for (double x : v) {
                assertEquals(Math.rint(x), x, 0, d + " draws whole numbers");
                max = Math.max(max, (int) x);
            }
            int[] counts = new int[max + 1];
            for (double x : v) counts[(int) x]++;
            for (int k = 0; k <= max; k++) {
                double pk = Math.exp(d.logProb(Tensor.scalar(DType.F64, k)).item());
                double se = Math.sqrt(pk * (1 - pk) / N);
                assertEquals(pk, counts[k] / (double) N, Z * se + 1e-9, d + ": frequency of " + k);
            }
        }
    }

    @Test
    void samplesAreReproducibleAndFollowTheDtype() {
        Normal n32 = new Normal(Tensor.of(new float[]{0, 1}), Tensor.of(new float[]{1, 2}));
        Tensor a = n32.sample(new Generator(5), 3), b = n32.sample(new Generator(5), 3);
        assertEquals(DType.F32, a.dtype());
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertArrayEquals(new int[]{3, 2}, a.dims());
        List<Distribution> f32 = List.of(new Gamma(Tensor.of(new float[]{2}), Tensor.of(new float[]{1})),
                new Beta(Tensor.of(new float[]{2}), Tensor.of(new float[]{3})), new Dirichlet(Tensor.of(new float[]{1, 2})),
                new StudentT(Tensor.of(new float[]{4})), new LogNormal(Tensor.of(new float[]{0}), Tensor.of(new float[]{1})),
                new Laplace(Tensor.of(new float[]{0}), Tensor.of(new float[]{1})), new Exponential(Tensor.of(new float[]{1})),
                new Uniform(Tensor.of(new float[]{0}), Tensor.of(new float[]{1})), Bernoulli.fromProbs(Tensor.of(new float[]{0.5f})),
                Binomial.fromProbs(Tensor.of(new float[]{5}), Tensor.of(new float[]{0.5f})), new Poisson(Tensor.of(new float[]{2})),
                OneHotCategorical.fromProbs(Tensor.of(new float[]{1, 1})));
        for (Distribution d : f32) {
            Tensor s = d.sample(new Generator(1), 4);
            assertEquals(DType.F32, s.dtype(), d + " sample dtype");
            assertArrayEquals(d.extendedShape(4), s.dims(), d + " sample shape");
            assertEquals(DType.F32, d.logProb(s).dtype(), d + " logProb dtype");
            if (d instanceof Reparameterizable r) assertEquals(DType.F32, r.rsample(new Generator(1), 2).dtype());
            if (d instanceof HasEntropy h) assertEquals(DType.F32, h.entropy().dtype(), d + " entropy dtype");
            if (d instanceof HasMoments m) {
                assertEquals(DType.F32, m.mean().dtype());
                assertEquals(DType.F32, m.variance().dtype());
            }
            if (d instanceof HasMode m) assertEquals(DType.F32, m.mode().dtype(), d + " mode dtype");
        }
    }

    @Test
    void sampleCarriesNoGradientAndRsampleDoes() {
        Tensor loc = f64(0, 1).requiresGrad(true), scale = f64(1, 2).requiresGrad(true);
        Normal n = new Normal(loc, scale);
        assertFalse(n.sample(new Generator(1), 3).requiresGrad());
        assertTrue(n.rsample(new Generator(1), 3).requiresGrad());
        Tensor a = f64(2, 3).requiresGrad(true);
        Gamma g = new Gamma(a, f64(1, 1));
        assertFalse(g.sample(new Generator(1), 3).requiresGrad());
        Tensor x = g.rsample(new Generator(1), 3);
        assertTrue(x.requiresGrad());
        x.sum().backward();
        assertTrue(a.grad() != null && Double.isFinite(a.grad().toDoubleArray()[0]));
    }

    static final GradCheck.Options OPT = new GradCheck.Options(1e-6, 1e-7, 1e-6);

    /** d/dθ of rsample with the noise fixed (the generator re-seeded for every evaluation), first and second order. */
    @Test
    void locationScaleRsamplesPassGradCheck() {
        Generator dirs = new Generator(99);
        List<Function<List<Tensor>, Tensor>> fs = List.of(
                p -> new Normal(p.get(0), p.get(1)).rsample(new Generator(7), 3),
                p -> new LogNormal(p.get(0), p.get(1)).rsample(new Generator(7), 3),
                p -> new Uniform(p.get(0), p.get(0).add(p.get(1))).rsample(new Generator(7), 3),
                p -> new Laplace(p.get(0), p.get(1)).rsample(new Generator(7), 3),
                p -> new Exponential(p.get(1)).rsample(new Generator(7), 3),
                // StudentT's loc and scale enter pathwise exactly; df goes through the gamma draw (checked below)
                p -> new StudentT(f64(5, 5), p.get(0), p.get(1)).rsample(new Generator(7), 3));
        for (Function<List<Tensor>, Tensor> f : fs) GradCheck.check(f, List.of(f64(0.3, -1), f64(0.8, 1.7)), 2, OPT, dirs);
    }

    /**
     * Implicit reparameterisation keeps u = F(x; α) fixed, so dx/dα must equal the derivative of the quantile
     * α ↦ F⁻¹(u; α), here a central difference of Gamma.icdf; dx/dβ is -x/β exactly.
     */
    @Test
    @SuppressWarnings("try")
    void gammaRsampleGradientKeepsTheCdfFixed() {
        double[] alphas = {0.2, 0.9, 3.0, 25.0};
        Tensor a = f64(alphas).requiresGrad(true), rate = f64(1.5, 1.5, 1.5, 1.5).requiresGrad(true);
        Tensor x = new Gamma(a, rate).rsample(new Generator(31), 5);          // (5, 4)
        x.sum().backward();
        double[] xs = x.toDoubleArray(), ga = a.grad().toDoubleArray(), gr = rate.grad().toDoubleArray();
        double h = 1e-5;
        double[] fdA = new double[4], fdR = new double[4];
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor xd = Tensor.of(x.data());
            Tensor u = new Gamma(f64(alphas), f64(1.5, 1.5, 1.5, 1.5)).cdf(xd);
            double[] up = new double[4], dn = new double[4];
            for (int i = 0; i < 4; i++) {
                up[i] = alphas[i] * (1 + h);
                dn[i] = alphas[i] * (1 - h);
            }
            double[] xp = new Gamma(f64(up), f64(1.5, 1.5, 1.5, 1.5)).icdf(u).toDoubleArray();
            double[] xm = new Gamma(f64(dn), f64(1.5, 1.5, 1.5, 1.5)).icdf(u).toDoubleArray();
            for (int j = 0; j < 20; j++) fdA[j % 4] += (xp[j] - xm[j]) / (2 * h * alphas[j % 4]);
            for (int j = 0; j < 20; j++) fdR[j % 4] += -xs[j] / 1.5;
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(fdA[i], ga[i], 1e-5 * Math.max(1, Math.abs(fdA[i])), "d x/d alpha at alpha " + alphas[i]);
            assertEquals(fdR[i], gr[i], 1e-10 * Math.max(1, Math.abs(fdR[i])), "d x/d rate");
        }
    }

    /** Mean and standard error of per-sample gradients (the grad of a (N)-batch of independent copies). */
    static double[] meanAndSe(double[] g) {
        double m = 0, v = 0;
        for (double x : g) m += x;
        m /= g.length;
        for (double x : g) v += (x - m) * (x - m);
        return new double[]{m, Math.sqrt(v / (g.length - 1) / g.length)};
    }

    static Tensor full(double v) { return Tensor.full(DType.F64, v, N).requiresGrad(true); }

    static void assertMcGradient(String what, double expected, Tensor param) {
        double[] ms = meanAndSe(param.grad().toDoubleArray());
        assertEquals(expected, ms[0], Z * ms[1], what + ": Monte Carlo gradient " + ms[0] + " vs " + expected + " (5 SE " + Z * ms[1] + ")");
    }

    /** Pathwise gradients of expectations against their derivatives: unbiased, so within 5 SE of the truth. */
    @Test
    void gammaBasedRsampleGradientsAreUnbiased() {
        // Gamma: d/dα E[log x] = ψ'(α); d/dα E[x] = 1/β
        Tensor a = full(2.5), b = full(2.0);
        Gamma g = new Gamma(a, b);
        g.rsample(new Generator(41)).log().sum().backward();
        assertMcGradient("Gamma dE[log x]/dα", Tensor.scalar(DType.F64, 2.5).polygamma(1).item(), a);
        // Beta: d/dα E[x] = β/(α+β)², d/dβ E[x] = -α/(α+β)²
        Tensor al = full(2.0), be = full(3.0);
        new Beta(al, be).rsample(new Generator(42)).sum().backward();
        assertMcGradient("Beta dE[x]/dα", 3.0 / 25, al);
        assertMcGradient("Beta dE[x]/dβ", -2.0 / 25, be);
        // Dirichlet: d/dα_j E[x_0] = (δ_0j α₀ - α_0)/α₀²
        Tensor conc = Tensor.of(DType.F64, new double[]{1.5, 2.0, 4.0}).expand(N, 3).contiguous().mul(1.0);
        Tensor leaf = Tensor.of(conc.data()).requiresGrad(true);
        new Dirichlet(leaf).rsample(new Generator(43)).select(-1, 0).sum().backward();
        double[] gd = leaf.grad().toDoubleArray();
        double a0 = 7.5;
        double[] expect = {(a0 - 1.5) / (a0 * a0), -1.5 / (a0 * a0), -1.5 / (a0 * a0)};
        for (int j = 0; j < 3; j++) {
            double[] col = new double[N];
            for (int i = 0; i < N; i++) col[i] = gd[i * 3 + j];
            double[] ms = meanAndSe(col);
            assertEquals(expect[j], ms[0], Z * ms[1], "Dirichlet dE[x_0]/dα_" + j);
        }
        // StudentT: d/dν E[x²] = d/dν ν/(ν - 2) = -2/(ν - 2)² (loc 0, scale 1)
        Tensor df = full(12.0);
        new StudentT(df, Tensor.zeros(DType.F64, N), Tensor.ones(DType.F64, N)).rsample(new Generator(44)).square().sum().backward();
        assertMcGradient("StudentT dE[x²]/dν", -2.0 / 100, df);
    }
}
