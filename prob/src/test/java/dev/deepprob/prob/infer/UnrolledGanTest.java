package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.ReLU;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.Tanh;
import dev.deepprob.nn.UnaryModule;
import dev.deepprob.nn.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unrolled generator gradient (Metz et al. 2017, eq. 7) against central finite differences of the loss after K
 * unrolled discriminator updates, for SGD and Adam updates on a tiny float64 model with smooth (tanh) units; K = 0
 * against the plain GAN; the real discriminator update against torch-style Adam.
 */
class UnrolledGanTest {

    /** Tiny float64 networks: G 1 -> 3 -> 2, D 2 -> 4 -> 1, tanh (smooth, so finite differences are exact to O(h²)). */
    static Gan tinyGan(long seed) {
        Generator g = new Generator(seed);
        Sequential gen = Mlp.of(g, 1, 3, 2).activation(Tanh::new).dtype(DType.F64).build();
        Sequential dis = Mlp.of(g, 2, 4, 1).activation(Tanh::new).dtype(DType.F64).build();
        return new Gan(gen, dis, Gan.gaussianNoise(1, DType.F64));
    }

    /** A small two-mode mixture in 2-D. */
    static Tensor mixture(Generator g, int n) {
        Tensor eps = Tensor.randn(g, DType.F64, n, 2).mul(0.3);
        double[] c = new double[2 * n];
        for (int i = 0; i < n; i++) {
            c[2 * i] = i % 2 == 0 ? 2 : -2;
            c[2 * i + 1] = i % 2 == 0 ? 1 : -1;
        }
        return eps.add(Tensor.of(DType.F64, c, n, 2));
    }

    static double lossValue(UnrolledGan u, Tensor z, Tensor real) {
        return u.unrolledGeneratorLoss(z, real, false).item();
    }

    /** Central differences of the unrolled loss with respect to every generator parameter element. */
    static double[] finiteDifferences(UnrolledGan u, Tensor z, Tensor real, double h) {
        List<Tensor> ps = u.gan().generator().parameters();
        int total = 0;
        for (Tensor p : ps) total += p.numel();
        double[] out = new double[total];
        int k = 0;
        for (Tensor p : ps) {
            for (int i = 0; i < p.numel(); i++) {
                double[] v = p.toDoubleArray();
                double orig = v[i];
                out[k++] = (at(u, p, v, i, orig + h, z, real) - at(u, p, v, i, orig - h, z, real)) / (2 * h);
                at(u, p, v, i, orig, z, real);
            }
        }
        return out;
    }

    private static double at(UnrolledGan u, Tensor p, double[] v, int i, double value, Tensor z, Tensor real) {
        v[i] = value;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            p.copyInPlace(Tensor.of(DType.F64, v, p.dims()));
        }
        return lossValue(u, z, real);
    }

    static double[] flat(List<Tensor> gs) {
        int total = 0;
        for (Tensor g : gs) total += g.numel();
        double[] out = new double[total];
        int k = 0;
        for (Tensor g : gs) for (double d : g.toDoubleArray()) out[k++] = d;
        return out;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double d : a) m = Math.max(m, Math.abs(d));
        return m;
    }

    private void checkAgainstFiniteDifferences(UnrolledGan.Update update, int unroll, int realSteps) {
        Gan gan = tinyGan(11);
        Generator g = new Generator(5);
        Tensor data = mixture(g, 64);
        UnrolledGan u = UnrolledGan.builder(gan).realData(data).batchSize(8).unrollSteps(unroll).discriminatorUpdate(update).build();
        for (int s = 0; s < realSteps; s++) u.discriminatorStep(g);   // a non-trivial optimiser state (Adam's moments)
        Tensor z = Tensor.randn(g, DType.F64, 8, 1);
        Tensor real = mixture(g, 8);

        double[] analytic = flat(u.generatorGradient(z, real));
        double[] numeric = finiteDifferences(u, z, real, 1e-5);
        double scale = maxAbs(numeric);
        assertTrue(scale > 1e-4, "the gradient is not vacuous: " + scale);
        assertTrue(maxAbsDiff(analytic, numeric) <= 1e-7 * Math.max(1, scale),
                "unrolled gradient " + java.util.Arrays.toString(analytic) + " vs finite differences " + java.util.Arrays.toString(numeric));

        // the response of D to G matters here: the gradient of the look-ahead alone (no graph through the updates) differs
        double[] lookAhead = flat(Autograd.grad(u.unrolledGeneratorLoss(z, real, false), gan.generator().parameters(), false));
        assertTrue(maxAbsDiff(lookAhead, numeric) > 1e-3 * scale, "the second-order term should matter: " + maxAbsDiff(lookAhead, numeric));
    }

    @Test
    void unrolledSgdGradientEqualsFiniteDifferences() {
        checkAgainstFiniteDifferences(UnrolledGan.Update.sgd(0.5), 3, 0);
    }

    @Test
    void unrolledAdamGradientEqualsFiniteDifferences() {
        checkAgainstFiniteDifferences(new UnrolledGan.Update.Adam(0.05, 0.5, 0.9, 1e-8), 4, 3);
    }

    @Test
    void unrollingZeroStepsIsThePlainGanGradient() {
        Gan gan = tinyGan(3);
        Generator g = new Generator(9);
        Tensor data = mixture(g, 32);
        UnrolledGan u = UnrolledGan.builder(gan).realData(data).batchSize(8).unrollSteps(0).build();
        GanTrainer plain = GanTrainer.builder(gan).realData(data).batchSize(8).build();
        Tensor z = Tensor.randn(g, DType.F64, 8, 1);
        double[] a = flat(u.generatorGradient(z, mixture(g, 8)));
        double[] b = flat(plain.generatorGradient(z));
        assertTrue(maxAbs(b) > 1e-6);
        assertEquals(0, maxAbsDiff(a, b), 1e-15);
        // and with unrolling the gradient is a different one
        UnrolledGan u3 = UnrolledGan.builder(gan).realData(data).batchSize(8).unrollSteps(3).discriminatorUpdate(UnrolledGan.Update.sgd(0.5)).build();
        assertTrue(maxAbsDiff(flat(u3.generatorGradient(z, mixture(g, 8))), b) > 1e-6);
    }

    @Test
    void realDiscriminatorStepsAreTorchAdam() {
        // two identical GANs and data; the same random draws: the Update.Adam steps equal nn.optim.Adam's
        Gan a = tinyGan(21), b = tinyGan(21);
        Tensor data = mixture(new Generator(2), 40);
        UnrolledGan u = UnrolledGan.builder(a).realData(data).batchSize(10).discriminatorUpdate(UnrolledGan.Update.adam(0.01)).build();
        GanTrainer t = GanTrainer.builder(b).realData(data).batchSize(10).discriminatorOptimizer(p -> new Adam(p, 0.01)).build();
        Generator ga = new Generator(4), gb = new Generator(4);
        for (int s = 0; s < 5; s++) assertEquals(t.discriminatorStep(gb), u.discriminatorStep(ga), 1e-12);
        double[] pa = flat(a.discriminator().parameters()), pb = flat(b.discriminator().parameters());
        assertTrue(maxAbsDiff(pa, pb) < 1e-12, "max diff " + maxAbsDiff(pa, pb));
        assertEquals(5, u.discriminatorUpdates());
    }

    @Test
    void trainingRunsAndTheGeneratorMoves() {
        Gan gan = tinyGan(8);
        Generator g = new Generator(1);
        UnrolledGan u = UnrolledGan.builder(gan).realData(mixture(g, 64)).batchSize(16).unrollSteps(2).build();
        double[] before = flat(gan.generator().parameters());
        int[] calls = {0};
        GanTrainer.History h = u.train(5, g, (i, d, gl) -> {
            calls[0]++;
            assertEquals(calls[0], i);
            assertTrue(Double.isFinite(d) && Double.isFinite(gl));
        });
        assertEquals(5, calls[0]);
        assertEquals(5, h.discriminatorLoss().length);
        assertEquals(5, u.iterations());
        assertTrue(maxAbsDiff(before, flat(gan.generator().parameters())) > 0);
        for (Tensor p : gan.discriminator().parameters()) assertTrue(p.requiresGrad() && p.isLeaf());
    }

    @Test
    void functionalFormOfASequentialMatchesItsForward() {
        Generator g = new Generator(3);
        Sequential s = new Sequential(new Linear(2, 5, g), new ReLU(), new Linear(5, 3, false, g), new Tanh(), new Linear(3, 1, g));
        Tensor x = Tensor.randn(g, 7, 2);
        Tensor want = s.forward(x), got = UnrolledGan.functional(s).forward(s.parameters(), x);
        assertEquals(0, maxAbsDiff(want.toDoubleArray(), got.toDoubleArray()), 0);
    }

    @Test
    void badInputSpeaks() {
        Gan gan = tinyGan(1);
        assertEquals("UnrolledGan.build: no real data; call realData(tensor) or realSampler(sampler)",
                assertThrows(IllegalStateException.class, () -> UnrolledGan.builder(gan).build()).getMessage());
        assertEquals("UnrolledGan.unrollSteps: must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> UnrolledGan.builder(gan).unrollSteps(-1)).getMessage());
        assertEquals("UnrolledGan.Update.Sgd: lr must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> UnrolledGan.Update.sgd(0)).getMessage());
        assertEquals("UnrolledGan.Update.Adam: beta1 must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new UnrolledGan.Update.Adam(1e-3, 1, 0.9, 1e-8)).getMessage());
        UnaryModule odd = new UnaryModule() {
            { registerParameter("w", dev.deepprob.engine.NDArray.ones(DType.F64, 1)); }
            @Override
            public Tensor forward(Tensor x) { return x; }
        };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UnrolledGan.functional(odd)).getMessage()
                .startsWith("UnrolledGan: cannot evaluate a"));
        Sequential withOdd = new Sequential(new Linear(2, 2, new Generator(1)), odd);
        assertEquals("UnrolledGan: layer 1 ( ) has parameters but is not Linear; pass a FunctionalModel to functionalDiscriminator"
                .replace("( )", "(" + odd.getClass().getSimpleName() + ")"),
                assertThrows(IllegalArgumentException.class, () -> UnrolledGan.functional(withOdd)).getMessage());
        UnrolledGan u = UnrolledGan.builder(gan).realData(mixture(new Generator(1), 8)).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> u.generatorGradient(Tensor.randn(new Generator(1), DType.F64, 4, 1),
                Tensor.zeros(DType.F64, 4, 3))).getMessage().startsWith("UnrolledGan.unrolledGeneratorLoss: generated F64 [4, 2] and real F64 [4, 3]"));
    }
}
