package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain strategy: it learns a 1-D Gaussian, each step changes only its own network, bad input speaks. */
class AdversarialTrainerTest {

    static double[] meanStd(double[] v) {
        double m = 0;
        for (double d : v) m += d;
        m /= v.length;
        double s = 0;
        for (double d : v) s += (d - m) * (d - m);
        return new double[]{m, Math.sqrt(s / (v.length - 1))};
    }

    @Test
    void learnsAOneDimensionalGaussian() {
        // real data N(3, 0.5²); an affine generator x = w z + b can match it exactly
        Generator g = new Generator(42);
        Tensor data = Tensor.randn(g, 4000, 1).mul(0.5).add(3);
        Gan gan = new Gan(new Sequential(new Linear(1, 1, g)), Mlp.of(g, 1, 32, 32, 1).build(), Gan.gaussianNoise(1));
        AdversarialTrainer t = AdversarialTrainer.builder(gan).realData(data).batchSize(64).discriminatorSteps(2)
                .discriminatorOptimizer(p -> Adam.builder().lr(2e-3).betas(0.5, 0.999).build(p))
                .generatorOptimizer(p -> Adam.builder().lr(2e-3).betas(0.5, 0.999).build(p)).build();
        AdversarialTrainer.History h = t.train(2500, g, null);
        assertEquals(2500, h.discriminatorLoss().length);
        assertTrue(h.iterationsPerSecond() > 0);
        double[] ms = meanStd(gan.sample(g, 20000).toDoubleArray());
        assertEquals(3.0, ms[0], 0.1, "generated mean");
        assertEquals(0.5, ms[1], 0.1, "generated standard deviation");
        // at the equilibrium D cannot tell: its losses are near 2 ln 2 (D) and ln 2 (G)
        double dl = 0, gl = 0;
        for (int i = 2000; i < 2500; i++) {
            dl += h.discriminatorLoss()[i] / 500;
            gl += h.generatorLoss()[i] / 500;
        }
        assertEquals(2 * Math.log(2), dl, 0.15);
        assertEquals(Math.log(2), gl, 0.15);
    }

    @Test
    void eachStepChangesOnlyItsOwnNetwork() {
        Generator g = new Generator(1);
        Gan gan = new Gan(Mlp.of(g, 2, 8, 2).build(), Mlp.of(g, 2, 8, 1).build(), Gan.gaussianNoise(2));
        AdversarialTrainer t = AdversarialTrainer.builder(gan).realData(Tensor.randn(g, 100, 2)).batchSize(10).build();
        double[] gp = UnrolledStrategyTest.flat(gan.generator().parameters()), dp = UnrolledStrategyTest.flat(gan.discriminator().parameters());
        t.discriminatorStep(g);
        assertArrayEquals(gp, UnrolledStrategyTest.flat(gan.generator().parameters()));
        double[] dp2 = UnrolledStrategyTest.flat(gan.discriminator().parameters());
        assertTrue(UnrolledStrategyTest.maxAbsDiff(dp, dp2) > 0);
        t.generatorStep(g);
        assertArrayEquals(dp2, UnrolledStrategyTest.flat(gan.discriminator().parameters()));
        assertTrue(UnrolledStrategyTest.maxAbsDiff(gp, UnrolledStrategyTest.flat(gan.generator().parameters())) > 0);
        // the discriminator's parameters require grad again after the generator step, and no gradient was left on them
        for (Tensor p : gan.discriminator().parameters()) assertTrue(p.requiresGrad());
        assertEquals(0, t.iterations());   // single steps are not iterations
        int[] calls = {0};
        t.train(3, g, (i, d, gl) -> calls[0]++);
        assertEquals(3, calls[0]);
        assertEquals(3, t.iterations());
    }

    @Test
    void discriminatorLossIsTheSumOfTheTwoMeans() {
        Generator g = new Generator(3);
        Tensor fake = Tensor.randn(g, DType.F64, 5), real = Tensor.randn(g, DType.F64, 7);
        double want = Losses.bceWithLogits(fake, Tensor.full(DType.F64, 0.1, 5)).item()
                + Losses.bceWithLogits(real, Tensor.full(DType.F64, 0.9, 7)).item();
        assertEquals(want, Gan.discriminatorLoss(fake, real, 0.1, 0.9).item(), 1e-15);
        assertEquals(want, Gan.discriminatorLoss(Tensor.cat(List.of(fake, real), 0), 5, 0.1, 0.9).item(), 1e-15);
        assertEquals(Losses.bceWithLogits(fake, Tensor.ones(DType.F64, 5)).item(), Gan.generatorLoss(fake, 1).item(), 0);
    }

    @Test
    void anyOptimiserAndASampler() {
        Generator g = new Generator(5);
        Gan gan = new Gan(Mlp.of(g, 3, 8, 2).build(), Mlp.of(g, 2, 8, 1).build(), Gan.gaussianNoise(3));
        AdversarialTrainer t = AdversarialTrainer.builder(gan).realSampler((gen, n) -> Tensor.randn(gen, n, 2)).batchSize(6).generatorBatchSize(4)
                .discriminatorSteps(3).labels(0.9, 0.1).generatorTarget(0.9)
                .discriminatorOptimizer(p -> new SGD(p, 0.01)).generatorOptimizer(p -> new SGD(p, 0.01)).build();
        AdversarialTrainer.StepLosses s = t.step(g);
        assertTrue(Double.isFinite(s.discriminator()) && Double.isFinite(s.generator()));
        assertTrue(t.discriminatorOptimizer() instanceof SGD);
        // the same seed gives the same run
        Generator g2 = new Generator(5);
        Gan gan2 = new Gan(Mlp.of(g2, 3, 8, 2).build(), Mlp.of(g2, 2, 8, 1).build(), Gan.gaussianNoise(3));
        AdversarialTrainer t2 = AdversarialTrainer.builder(gan2).realSampler((gen, n) -> Tensor.randn(gen, n, 2)).batchSize(6).generatorBatchSize(4)
                .discriminatorSteps(3).labels(0.9, 0.1).generatorTarget(0.9)
                .discriminatorOptimizer(p -> new SGD(p, 0.01)).generatorOptimizer(p -> new SGD(p, 0.01)).build();
        assertEquals(s, t2.step(g2));
        assertNotEquals(0, s.generator());
    }

    @Test
    void withReplacementDrawsRowsOfTheData() {
        Tensor data = Tensor.of(new float[]{0, 0, 1, 10, 2, 20}, 3, 2);
        float[] rows = Gan.withReplacement(data).sample(new Generator(1), 50).toFloatArray();
        boolean[] seen = new boolean[3];
        for (int i = 0; i < 50; i++) {
            int r = (int) rows[2 * i];
            assertEquals(10 * r, rows[2 * i + 1]);
            seen[r] = true;
        }
        assertTrue(seen[0] && seen[1] && seen[2]);
    }

    @Test
    void badInputSpeaks() {
        Generator g = new Generator(1);
        Gan gan = new Gan(Mlp.of(g, 2, 4, 2).build(), Mlp.of(g, 2, 4, 1).build(), Gan.gaussianNoise(2));
        assertEquals("AdversarialTrainer.build: no real data; call realData(tensor) or realSampler(sampler)",
                assertThrows(IllegalStateException.class, () -> AdversarialTrainer.builder(gan).build()).getMessage());
        assertEquals("AdversarialTrainer.discriminatorSteps: must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.builder(gan).discriminatorSteps(0)).getMessage());
        assertEquals("AdversarialTrainer.labels: real label must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.builder(gan).labels(1.5, 0)).getMessage());
        assertEquals("AdversarialTrainer.realData: data must be (N, dims) with N >= 1, got shape [5]",
                assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.builder(gan).realData(Tensor.zeros(5))).getMessage());
        AdversarialTrainer wrongCols = AdversarialTrainer.builder(gan).realData(Tensor.zeros(10, 3)).build();
        assertEquals("AdversarialTrainer.discriminatorStep: real data have 3 columns but the generator returns 2",
                assertThrows(IllegalArgumentException.class, () -> wrongCols.discriminatorStep(g)).getMessage());
        AdversarialTrainer wrongType = AdversarialTrainer.builder(gan).realData(Tensor.zeros(DType.F64, 10, 2)).build();
        assertEquals("AdversarialTrainer.discriminatorStep: real data are F64 but the generator returns F32",
                assertThrows(IllegalArgumentException.class, () -> wrongType.discriminatorStep(g)).getMessage());
        Gan twoLogits = new Gan(Mlp.of(g, 2, 4, 2).build(), Mlp.of(g, 2, 4, 2).build(), Gan.gaussianNoise(2));
        AdversarialTrainer t = AdversarialTrainer.builder(twoLogits).realData(Tensor.zeros(10, 2)).batchSize(5).build();
        assertEquals("Gan.logits: the discriminator must return (n, 1) or (n) logits for n = 10 rows, got [10, 2]",
                assertThrows(IllegalStateException.class, () -> t.discriminatorStep(g)).getMessage());
        Sequential m = Mlp.of(g, 2, 2).build();
        assertEquals("Gan: generator and discriminator must be different modules",
                assertThrows(IllegalArgumentException.class, () -> new Gan(m, m, Gan.gaussianNoise(2))).getMessage());
        assertEquals("Gan.gaussianNoise: latent size must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> Gan.gaussianNoise(0)).getMessage());
    }
}
