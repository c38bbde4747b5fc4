package dev.deepprob.demos.unrolled;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Sequential;
import dev.deepprob.prob.infer.AdversarialTrainer;
import dev.deepprob.prob.infer.Gan;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The two training choices the benchmarks' settings rely on: the networks working on the data scaled inside them, and
 * the learning-rate decay that keeps the optimisers' state (one trainer) against the one that rebuilds them.
 */
class UnrolledCoreTest {
    private static UnrolledCore.Config small(double scale, boolean freshTail) {
        return new UnrolledCore.Config(4, new int[]{8}, new int[]{8}, false, 16, 1, 6, 2e-3, 1e-3, 0.5, 1 / 3.0, scale, freshTail);
    }

    @Test
    void theScaleIsAnAffineMapAroundTheNetworks() {
        Gan gan = UnrolledCore.networks(new Generator(3), small(4, false));
        Tensor z = normal(4, 5, 4, 1), x = normal(5, 5, 2, 3);
        Sequential g = (Sequential) gan.generator(), d = (Sequential) gan.discriminator();
        // multiplying by 4 and 1/4 (powers of two) is exact in float, so the results agree bit for bit
        assertArrayEquals(g.get(0).forward(z).mul(4).toFloatArray(), gan.generator().forward(z).toFloatArray());
        assertArrayEquals(d.get(1).forward(x.mul(0.25)).toFloatArray(), gan.discriminator().forward(x).toFloatArray());
        // with scale 1 there is no wrapper: the generator's last module is its output layer
        Sequential plain = (Sequential) UnrolledCore.networks(new Generator(3), small(1, false)).generator();
        assertFalse(plain.get(plain.size() - 1) instanceof UnrolledCore.Scale);
    }

    private static Tensor normal(long seed, int rows, int cols, float std) {
        float[] v = new float[rows * cols];
        new Generator(seed).normal(v, 0, v.length, 0f, std);
        return Tensor.of(v, rows, cols);
    }

    @Test
    void theDecayInPlaceKeepsOneTrainerAndTheFreshOneRebuildsIt() {
        for (boolean fresh : new boolean[]{false, true}) {
            UnrolledCore.Config c = small(2, fresh);
            Gan gan = UnrolledCore.networks(new Generator(7), c);
            int[] last = {-1};
            AdversarialTrainer t = UnrolledCore.train(gan, UnrolledDemo.RING, c, new Generator(8), i -> last[0] = i);
            // 6 iterations: the first 4 at the full rates, the last 2 at a tenth; in place, the same trainer took all 6
            assertEquals(fresh ? 2 : 6, t.iterations(), "freshTail " + fresh);
            assertEquals(6, last[0], "progress reaches the last iteration");
            assertEquals(0.1 * c.dLr(), t.discriminatorOptimizer().lr(), 1e-15);
            assertEquals(0.1 * c.gLr(), t.generatorOptimizer().lr(), 1e-15);
        }
    }
}
