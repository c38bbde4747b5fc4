package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every closed-form KL registered by {@link UnivariateKL} against {@link KL#monteCarlo} with N = 40000 draws: the
 * closed form must lie within 5 standard errors (sample std of log p - log q over √N) of the estimate. Also
 * +inf where the support is not contained, gradients in both distributions' parameters (first and second order
 * against finite differences), KL(p || p) = 0, batch broadcasting, and the messages for bad pairs.
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class UnivariateKLTest {
    static final int N = 40000;
    static final double Z = 5;

    static Tensor f64(double... v) { return Tensor.of(DType.F64, v); }

    record Pair(String name, Distribution p, Distribution q) {}

    /** One or more parameter settings (as a batch) for each registered pair. */
    static List<Pair> pairs() {
        List<Pair> l = new ArrayList<>();
        l.add(new Pair("Normal/Normal", new Normal(f64(0, -2), f64(1, 0.3)), new Normal(f64(1, 0.5), f64(2, 0.7))));
        l.add(new Pair("LogNormal/LogNormal", new LogNormal(f64(0, -1), f64(0.5, 0.3)), new LogNormal(f64(0.3, 0), f64(0.8, 0.4))));
        l.add(new Pair("Bernoulli/Bernoulli", Bernoulli.fromProbs(f64(0.3, 0.9, 0.0)), Bernoulli.fromLogits(f64(0.4, -1, 2))));
        l.add(new Pair("Binomial/Binomial", Binomial.fromProbs(f64(10, 50), f64(0.3, 0.05)), Binomial.fromProbs(f64(10, 50), f64(0.6, 0.2))));
        l.add(new Pair("Categorical/Categorical", Categorical.fromProbs(Tensor.of(DType.F64, new double[]{0.2, 0.3, 0.5, 0, 0.5, 0.5}, 2, 3)),
                Categorical.fromLogits(Tensor.of(DType.F64, new double[]{1, 0, -1, 0, 0, 0.5}, 2, 3))));
        l.add(new Pair("OneHotCategorical/OneHotCategorical", OneHotCategorical.fromProbs(f64(0.1, 0.6, 0.3)),
                OneHotCategorical.fromProbs(f64(0.3, 0.3, 0.4))));
        l.add(new Pair("Beta/Beta", new Beta(f64(2, 0.6), f64(3, 4)), new Beta(f64(1, 5), f64(1, 2.5))));
        l.add(new Pair("Gamma/Gamma", new Gamma(f64(2, 0.7), f64(1, 0.2)), new Gamma(f64(0.5, 4), f64(3, 1))));
        l.add(new Pair("Dirichlet/Dirichlet", new Dirichlet(Tensor.of(DType.F64, new double[]{1.5, 2, 3, 4, 1.2, 2}, 2, 3)),
                new Dirichlet(Tensor.of(DType.F64, new double[]{1, 1, 1, 2, 3, 1.5}, 2, 3))));
        l.add(new Pair("Uniform/Uniform", new Uniform(f64(0, 0.5), f64(1, 2)), new Uniform(f64(-1, 0.5), f64(3, 2))));
        l.add(new Pair("Laplace/Laplace", new Laplace(f64(0, 3), f64(1, 0.5)), new Laplace(f64(0.5, -1), f64(2, 1.5))));
        l.add(new Pair("Exponential/Exponential", new Exponential(f64(1, 0.2)), new Exponential(f64(3, 0.05))));
        l.add(new Pair("Poisson/Poisson", new Poisson(f64(1.5, 20, 0)), new Poisson(f64(4, 18, 2))));
        l.add(new Pair("Exponential/Gamma", new Exponential(f64(1.3, 0.5)), new Gamma(f64(0.5, 4), f64(3, 1))));
        l.add(new Pair("Gamma/Exponential", new Gamma(f64(2, 0.7), f64(1, 0.2)), new Exponential(f64(1.3, 0.5))));
        l.add(new Pair("Exponential/Normal", new Exponential(f64(1, 0.2)), new Normal(f64(1, 0), f64(2, 3))));
        l.add(new Pair("Uniform/Normal", new Uniform(f64(0, -1), f64(1, 2)), new Normal(f64(0.5, 0), f64(1.5, 0.8))));
        l.add(new Pair("Uniform/Exponential", new Uniform(f64(0, 1.5), f64(1, 4)), new Exponential(f64(0.7, 2))));
        l.add(new Pair("Uniform/Gamma", new Uniform(f64(0, 1.5), f64(1, 4)), new Gamma(f64(2.5, 0.8), f64(1.2, 1))));
        l.add(new Pair("Normal/Laplace", new Normal(f64(0, -2), f64(1, 0.3)), new Laplace(f64(1, 0.5), f64(2, 0.7))));
        l.add(new Pair("Laplace/Normal", new Laplace(f64(1, 0.5), f64(2, 0.7)), new Normal(f64(0, -2), f64(1, 0.3))));
        return l;
    }

    @Test
    void everyRegisteredClosedFormMatchesMonteCarlo() {
        List<Pair> ps = pairs();
        assertEquals(21, ps.size(), "one entry per rule registered in UnivariateKL");
        long seed = 100;
        for (Pair pr : ps) {
            assertTrue(KL.hasClosedForm(pr.p(), pr.q()), pr.name());
            Tensor kl = KL.divergence(pr.p(), pr.q());
            assertArrayEquals(pr.p().batchShape(), kl.dims(), pr.name() + " shape");
            Tensor mc = KL.monteCarlo(pr.p(), pr.q(), N, new Generator(seed));
            // the same draws again, for the standard error
            Generator g = new Generator(seed++);
            Tensor x = pr.p() instanceof Reparameterizable r ? r.rsample(g, N) : pr.p().sample(g, N);
            Tensor ratio = pr.p().logProb(x).sub(pr.q().logProb(x));
            double[] sd = ratio.std(new int[]{0}, 1, false).toDoubleArray();
            double[] k = kl.toDoubleArray(), m = mc.toDoubleArray();
            for (int i = 0; i < k.length; i++) {
                double se = sd[i] / Math.sqrt(N);
                assertTrue(Double.isFinite(k[i]), pr.name() + " [" + i + "] finite");
                assertEquals(m[i], k[i], Z * se + 1e-9, pr.name() + " [" + i + "]: closed form " + k[i] + ", Monte Carlo " + m[i]
                        + " ± " + se);
            }
        }
    }

    @Test
    void klOfADistributionWithItselfIsZero() {
        for (Pair pr : pairs()) {
            if (pr.p().getClass() != pr.q().getClass()) continue;
            double[] k = KL.divergence(pr.p(), pr.p()).toDoubleArray();
            for (double v : k) assertEquals(0, v, 1e-12, pr.name());
        }
    }

    @Test
    void infiniteWhereTheSupportIsNotContained() {
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(new Uniform(-1, 1), new Uniform(0, 2)).item());
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(new Uniform(0, 3), new Uniform(0, 2)).item());
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(new Uniform(-1, 2), new Exponential(1)).item());
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(new Uniform(-1, 2), new Gamma(2, 1)).item());
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(Bernoulli.fromProbs(0.5), Bernoulli.fromProbs(1.0)).item());
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(Bernoulli.fromProbs(0.5), Bernoulli.fromProbs(0.0)).item());
        assertEquals(Math.log(2), KL.divergence(Bernoulli.fromProbs(0.0), Bernoulli.fromProbs(0.5)).item(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(Categorical.fromProbs(0.5, 0.5, 0), Categorical.fromProbs(0.5, 0, 0.5)).item());
        // a category with -inf logit contributes 0, with finite gradients
        Tensor l = f64(0, Double.NEGATIVE_INFINITY, 1).requiresGrad(true);
        Tensor k = KL.divergence(Categorical.fromLogits(l), Categorical.fromProbs(1, 1, 1));
        double p2 = 1 / (1 + Math.E);
        assertEquals(Math.log(3) + (1 - p2) * Math.log(1 - p2) + p2 * Math.log(p2), k.item(), 1e-14);
        k.backward();
        for (double g : l.grad().toDoubleArray()) assertTrue(Double.isFinite(g), "gradient " + g);
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(new Poisson(1.0), new Poisson(0.0)).item());
        assertEquals(2.0, KL.divergence(new Poisson(0.0), new Poisson(2.0)).item(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, KL.divergence(Binomial.fromProbs(10, 0.5), Binomial.fromProbs(5, 0.5)).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KL.divergence(Binomial.fromProbs(5, 0.5), Binomial.fromProbs(10, 0.5)));
        assertTrue(e.getMessage().contains("KL(Binomial || Binomial): no closed form where p's totalCount is smaller than q's"), e.getMessage());
    }

    static final GradCheck.Options OPT = new GradCheck.Options(1e-6, 1e-7, 1e-5);

    /** Each closed form is differentiable in the parameters of both arguments, to second order. */
    @Test
    void closedFormsAreDifferentiableInBothArguments() {
        Generator dirs = new Generator(5);
        List<Tensor> two = List.of(f64(0.3, 1.2), f64(0.8, 1.7), f64(-0.4, 0.9), f64(1.1, 0.6));
        List<Function<List<Tensor>, Tensor>> fs = List.of(
                t -> KL.divergence(new Normal(t.get(0), t.get(1)), new Normal(t.get(2), t.get(3))),
                t -> KL.divergence(new LogNormal(t.get(0), t.get(1)), new LogNormal(t.get(2), t.get(3))),
                t -> KL.divergence(Bernoulli.fromLogits(t.get(0)), Bernoulli.fromLogits(t.get(2))),
                t -> KL.divergence(Binomial.fromLogits(f64(7, 7), t.get(0)), Binomial.fromLogits(f64(7, 7), t.get(2))),
                t -> KL.divergence(Categorical.fromLogits(Tensor.stack(List.of(t.get(0), t.get(2)), -1)),
                        Categorical.fromLogits(Tensor.stack(List.of(t.get(1), t.get(3)), -1))),
                t -> KL.divergence(OneHotCategorical.fromLogits(Tensor.stack(List.of(t.get(0), t.get(2)), -1)),
                        OneHotCategorical.fromLogits(Tensor.stack(List.of(t.get(1), t.get(3)), -1))),
                t -> KL.divergence(new Beta(t.get(0), t.get(1)), new Beta(t.get(3), t.get(1).add(t.get(3)))),
                t -> KL.divergence(new Gamma(t.get(0), t.get(1)), new Gamma(t.get(3), t.get(1).add(t.get(3)))),
                t -> KL.divergence(new Dirichlet(Tensor.stack(List.of(t.get(0), t.get(1), t.get(3)), -1)),
                        new Dirichlet(Tensor.stack(List.of(t.get(1), t.get(3), t.get(0)), -1))),
                t -> KL.divergence(new Uniform(t.get(0), t.get(0).add(t.get(1))), new Uniform(t.get(0).sub(t.get(3)), t.get(0).add(t.get(1)).add(t.get(3)))),
                t -> KL.divergence(new Laplace(t.get(0), t.get(1)), new Laplace(t.get(2), t.get(3))),
                t -> KL.divergence(new Exponential(t.get(1)), new Exponential(t.get(3))),
                t -> KL.divergence(new Poisson(t.get(1)), new Poisson(t.get(3))),
                t -> KL.divergence(new Exponential(t.get(1)), new Gamma(t.get(3), t.get(0))),
                t -> KL.divergence(new Gamma(t.get(0), t.get(1)), new Exponential(t.get(3))),
                t -> KL.divergence(new Exponential(t.get(1)), new Normal(t.get(2), t.get(3))),
                t -> KL.divergence(new Uniform(t.get(2), t.get(2).add(t.get(1))), new Normal(t.get(0), t.get(3))),
                t -> KL.divergence(new Uniform(t.get(0), t.get(0).add(t.get(1))), new Exponential(t.get(3))),
                t -> KL.divergence(new Uniform(t.get(0), t.get(0).add(t.get(1))), new Gamma(t.get(3), t.get(1))),
                t -> KL.divergence(new Normal(t.get(0), t.get(1)), new Laplace(t.get(2), t.get(3))),
                t -> KL.divergence(new Laplace(t.get(0), t.get(1)), new Normal(t.get(2), t.get(3))));
        assertEquals(21, fs.size());
        for (Function<List<Tensor>, Tensor> f : fs) GradCheck.check(f, two, 2, OPT, dirs);
    }

    @Test
    void batchShapesBroadcast() {
        Normal p = new Normal(Tensor.zeros(DType.F64, 3, 1), Tensor.ones(DType.F64, 1));
        Normal q = new Normal(Tensor.zeros(DType.F64, 4), Tensor.full(DType.F64, 2, 4));
        Tensor kl = KL.divergence(p, q);
        assertArrayEquals(new int[]{3, 4}, kl.dims());
        assertEquals(Math.log(2) + 0.125 - 0.5, kl.toDoubleArray()[5], 1e-15);
        Tensor f32 = KL.divergence(new Gamma(Tensor.of(new float[]{2}), Tensor.of(new float[]{1})),
                new Gamma(Tensor.of(new float[]{3}), Tensor.of(new float[]{2})));
        assertEquals(DType.F32, f32.dtype());
    }

    @Test
    void badPairsSpeak() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KL.divergence(new StudentT(3, 0, 1), new Normal(0, 1)));
        assertEquals("KL.divergence: no closed form registered for KL(StudentT || Normal); estimate it with "
                + "KL.monteCarlo(p, q, samples, generator)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KL.divergence(new Normal(0, 1),
                new Normal(Tensor.of(new float[]{0}), Tensor.of(new float[]{1}))));
        assertEquals("KL(Normal || Normal): dtype mismatch, F64 and F32 (convert one distribution's parameters)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KL.divergence(new Normal(f64(0, 0, 0), f64(1, 1, 1)),
                new Normal(f64(0, 0), f64(1, 1))));
        assertEquals("KL(Normal || Normal): batch shapes [3] and [2] do not broadcast", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KL.divergence(Categorical.fromProbs(1, 1), Categorical.fromProbs(1, 1, 1)));
        assertEquals("KL(Categorical || Categorical): numbers of categories differ, 2 and 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KL.divergence(new Dirichlet(1, 1), new Dirichlet(1, 1, 1)));
        assertEquals("KL(Dirichlet || Dirichlet): event shapes differ, [2] and [3]", e.getMessage());
    }
}
