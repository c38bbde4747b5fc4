package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Module;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.Tanh;
import dev.deepprob.nn.UnaryModule;
import dev.deepprob.nn.optim.RMSprop;
import dev.deepprob.nn.optim.SGD;
import dev.deepprob.nn.optim.UpdateRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unrolled strategy of {@link AdversarialTrainer}: the generator gradient (Metz et al. 2017, eq. 7) against central
 * finite differences of the loss after K unrolled discriminator updates, for SGD, Adam and RMSprop discriminators on a
 * tiny float64 model with smooth (tanh) units, also for a discriminator that is not a Sequential; K = 0 is the plain
 * GAN, gradient for gradient and run for run.
 */
class UnrolledStrategyTest {

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

    static double lossValue(AdversarialTrainer u, Tensor z, Tensor real) {
        return u.generatorLoss(z, real, false).item();
    }

    /** Central differences of the unrolled loss with respect to every generator parameter element. */
    static double[] finiteDifferences(AdversarialTrainer u, Tensor z, Tensor real, double h) {
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

    private static double at(AdversarialTrainer u, Tensor p, double[] v, int i, double value, Tensor z, Tensor real) {
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

    private void checkAgainstFiniteDifferences(Gan gan, UpdateRule update, int unroll, int realSteps) {
        Generator g = new Generator(5);
        Tensor data = mixture(g, 64);
        AdversarialTrainer u = AdversarialTrainer.builder(gan).realData(data).batchSize(8).unrollSteps(unroll).discriminatorUpdate(update).build();
        for (int s = 0; s < realSteps; s++) u.discriminatorStep(g);   // a non-trivial optimiser state (Adam's moments)
        Tensor z = Tensor.randn(g, DType.F64, 8, 1);
        Tensor real = mixture(g, 8);

        double[] analytic = flat(u.generatorGradient(z, real));
        double[] numeric = finiteDifferences(u, z, real, 1e-5);
        double scale = maxAbs(numeric);
        assertTrue(scale > 1e-4, "the gradient is not vacuous: " + scale);
        // central differences with h = 1e-5 of a smooth loss: truncation O(h²) ≈ 1e-10, rounding ≈ 1e-16/h ≈ 1e-11
        assertTrue(maxAbsDiff(analytic, numeric) <= 1e-7 * Math.max(1, scale),
                "unrolled gradient " + java.util.Arrays.toString(analytic) + " vs finite differences " + java.util.Arrays.toString(numeric));

        // the response of D to G matters here: the gradient of the look-ahead alone (no graph through the updates) differs
        double[] lookAhead = flat(Autograd.grad(u.generatorLoss(z, real, false), gan.generator().parameters(), false));
        assertTrue(maxAbsDiff(lookAhead, numeric) > 1e-3 * scale, "the second-order term should matter: " + maxAbsDiff(lookAhead, numeric));
    }

    @Test
    void unrolledSgdGradientEqualsFiniteDifferences() {
        checkAgainstFiniteDifferences(tinyGan(11), UpdateRule.sgd(0.5), 3, 0);
    }

    @Test
    void unrolledAdamGradientEqualsFiniteDifferences() {
        checkAgainstFiniteDifferences(tinyGan(11), UpdateRule.adam(0.05, 0.5, 0.9, 1e-8), 4, 3);
    }

    @Test
    void unrolledRmspropWithMomentumGradientEqualsFiniteDifferences() {
        checkAgainstFiniteDifferences(tinyGan(11), new UpdateRule.RMSprop(0.01, 0.9, 1e-8, 0, 0.5, false), 3, 2);
    }

    /** A discriminator that is not a Sequential: a custom module with nested children (a skip connection). */
    static final class SkipDiscriminator extends UnaryModule {
        final Linear in, out;
        final Sequential body;

        SkipDiscriminator(Generator g) {
            in = registerModule("in", new Linear(2, 4, true, DType.F64, g));
            body = registerModule("body", new Sequential(new Tanh(), new Linear(4, 4, true, DType.F64, g), new Tanh()));
            out = registerModule("out", new Linear(4, 1, true, DType.F64, g));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = in.forward(x);
            return out.forward(body.forward(h).add(h.tanh()));
        }
    }

    @Test
    void anyDiscriminatorModuleUnrolls() {
        Generator g = new Generator(13);
        Sequential gen = Mlp.of(g, 1, 3, 2).activation(Tanh::new).dtype(DType.F64).build();
        Gan gan = new Gan(gen, new SkipDiscriminator(g), Gan.gaussianNoise(1, DType.F64));
        checkAgainstFiniteDifferences(gan, UpdateRule.adam(0.05, 0.5, 0.9, 1e-8), 3, 2);
    }

    @Test
    void unrollingZeroStepsIsThePlainGan() {
        Gan gan = tinyGan(3);
        Generator g = new Generator(9);
        Tensor data = mixture(g, 32);
        AdversarialTrainer u = AdversarialTrainer.builder(gan).realData(data).batchSize(8).unrollSteps(0).build();
        AdversarialTrainer plain = AdversarialTrainer.builder(gan).realData(data).batchSize(8).build();
        Tensor z = Tensor.randn(g, DType.F64, 8, 1);
        double[] a = flat(u.generatorGradient(z, mixture(g, 8)));
        double[] b = flat(plain.generatorGradient(z));
        assertTrue(maxAbs(b) > 1e-6);
        assertEquals(0, maxAbsDiff(a, b), 0);
        // and with unrolling the gradient is a different one
        AdversarialTrainer u3 = AdversarialTrainer.builder(gan).realData(data).batchSize(8).unrollSteps(3).discriminatorUpdate(UpdateRule.sgd(0.5)).build();
        assertTrue(maxAbsDiff(flat(u3.generatorGradient(z, mixture(g, 8))), b) > 1e-6);

        // whole runs: K = 0 trains exactly as the plain strategy (same draws, same updates)
        Gan p1 = tinyGan(4), p2 = tinyGan(4);
        AdversarialTrainer t1 = AdversarialTrainer.builder(p1).realData(data).batchSize(8).discriminatorSteps(2).build();
        AdversarialTrainer t2 = AdversarialTrainer.builder(p2).realData(data).batchSize(8).discriminatorSteps(2)
                .strategy(AdversarialTrainer.Strategy.unrolled(0)).build();
        AdversarialTrainer.History h1 = t1.train(20, new Generator(6), null), h2 = t2.train(20, new Generator(6), null);
        assertArrayEquals(h1.generatorLoss(), h2.generatorLoss());
        assertArrayEquals(flat(Module.parameters(p1.generator(), p1.discriminator())), flat(Module.parameters(p2.generator(), p2.discriminator())));
    }

    @Test
    void theFirstUnrolledUpdateIsTheRealDiscriminatorStep() {
        // the unrolled updates are the discriminator optimiser's own rule from its own state: one unrolled SGD-momentum
        // update on [G(z); real] lands where the fused optimiser's step on the same batch lands
        Gan gan = tinyGan(21);
        Tensor data = mixture(new Generator(2), 40);
        AdversarialTrainer u = AdversarialTrainer.builder(gan).realData(data).batchSize(10).unrollSteps(1)
                .discriminatorOptimizer(p -> new SGD(p, 0.1, 0.9)).build();
        Generator g = new Generator(4);
        for (int s = 0; s < 3; s++) u.discriminatorStep(g);
        Tensor z = Tensor.randn(g, DType.F64, 10, 1), real = mixture(g, 10);
        double lookAhead = u.generatorLoss(z, real, false).item();
        // by hand: one fused step on the same batch, then the plain generator loss
        Tensor x = Tensor.cat(List.of(gan.generator().forward(z).detach(), real), 0);
        Tensor ld = Gan.discriminatorLoss(gan.logits(x), 10, 0, 1);
        u.discriminatorOptimizer().zeroGrad();
        ld.backward();
        u.discriminatorOptimizer().step();
        double after = Gan.generatorLoss(gan.logits(gan.generator().forward(z)), 1).item();
        // the same float64 operations on the same values (the rule equals the fused step bitwise; the graph differs only
        // in that the fake rows carry one): equal to rounding
        assertEquals(after, lookAhead, 1e-14);
    }

    @Test
    void trainingRunsAndTheGeneratorMoves() {
        Gan gan = tinyGan(8);
        Generator g = new Generator(1);
        AdversarialTrainer u = AdversarialTrainer.builder(gan).realData(mixture(g, 64)).batchSize(16).unrollSteps(2)
                .discriminatorOptimizer(p -> RMSprop.builder().lr(0.01).build(p)).build();
        double[] before = flat(gan.generator().parameters());
        int[] calls = {0};
        AdversarialTrainer.History h = u.train(5, g, (i, d, gl) -> {
            calls[0]++;
            assertEquals(calls[0], i);
            assertTrue(Double.isFinite(d) && Double.isFinite(gl));
        });
        assertEquals(5, calls[0]);
        assertEquals(5, h.discriminatorLoss().length);
        assertEquals(5, u.iterations());
        assertEquals(2, u.unrollSteps());
        assertTrue(maxAbsDiff(before, flat(gan.generator().parameters())) > 0);
        for (Tensor p : gan.discriminator().parameters()) assertTrue(p.requiresGrad() && p.isLeaf());
    }

    @Test
    void badInputSpeaks() {
        Gan gan = tinyGan(1);
        assertEquals("AdversarialTrainer.build: no real data; call realData(tensor) or realSampler(sampler)",
                assertThrows(IllegalStateException.class, () -> AdversarialTrainer.builder(gan).build()).getMessage());
        assertEquals("AdversarialTrainer.unrollSteps: must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.builder(gan).unrollSteps(-1)).getMessage());
        assertEquals("AdversarialTrainer.Strategy.unrolled: steps must be >= 0, got -2",
                assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.Strategy.unrolled(-2)).getMessage());
        assertEquals("UpdateRule.Adam: beta1 must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> UpdateRule.adam(1e-3, 1, 0.9, 1e-8)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.builder(gan).realData(mixture(new Generator(1), 8))
                .unrollSteps(2).discriminatorOptimizer(p -> new dev.deepprob.nn.optim.Optimizer("Odd", p, 0.1) {
                    @Override protected java.util.Set<String> stateNames() { return java.util.Set.of(); }
                    @Override protected java.util.Map<String, dev.deepprob.engine.NDArray> parameterState(Tensor t) { return java.util.Map.of(); }
                    @Override protected void restoreParameterState(Tensor t, java.util.Map<String, dev.deepprob.engine.NDArray> s) {}
                    @Override protected void update(Tensor t, dev.deepprob.engine.NDArray a, dev.deepprob.engine.NDArray b, double lr) {}
                }).build()).getMessage().startsWith("AdversarialTrainer.build: the unrolled strategy needs the discriminator's update rule: "
                + "UpdateRule.of: no pure rule for"));
        AdversarialTrainer u = AdversarialTrainer.builder(gan).realData(mixture(new Generator(1), 8)).unrollSteps(5).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> u.generatorGradient(Tensor.randn(new Generator(1), DType.F64, 4, 1),
                Tensor.zeros(DType.F64, 4, 3))).getMessage().startsWith("AdversarialTrainer.generatorLoss: generated F64 [4, 2] and real F64 [4, 3]"));
        assertEquals("AdversarialTrainer.generatorLoss: the unrolled strategy (K = 5) needs real rows",
                assertThrows(IllegalArgumentException.class, () -> u.generatorGradient(Tensor.randn(new Generator(1), DType.F64, 4, 1))).getMessage());
    }
}
