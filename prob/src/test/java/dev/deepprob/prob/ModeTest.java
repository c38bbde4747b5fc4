package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.engine.DType;
import dev.deepprob.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Modes against torch.distributions (the torch rows of the reference tables, from prob/src/test/python/torch_modes.py), including the
 * flat and unbounded Beta and Dirichlet cases. A flat density, or equal peaks, has mode NaN as {@link HasMode} promises;
 * where torch's answer there is an artifact of its formula the library keeps its own, listed in {@link #DIFFERENT}.
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class ModeTest {

    /**
     * Where the library differs from torch, with its own answer. Torch meets 0/0 in (c - 1)⁺ / Σ(c - 1)⁺ and answers NaN
     * when some concentration is exactly 1 (though Beta(1, 0.5)'s density is unbounded at 1 alone), and when all are
     * below 1 the vertex of argmax over NaNs, always the first (Beta(0.3, 0.5) is unbounded faster at 0; Beta(0.5, 0.5)
     * has two equal peaks).
     */
    static final Map<String, double[]> DIFFERENT = Map.of(
            "Beta concentration1=0.5;concentration0=0.5", new double[]{Double.NaN},
            "Beta concentration1=0.3;concentration0=0.5", new double[]{0},
            "Beta concentration1=1.0;concentration0=0.5", new double[]{1},
            "Beta concentration1=0.5;concentration0=1.0", new double[]{0},
            "Dirichlet concentration=0.5,0.5", new double[]{Double.NaN, Double.NaN},
            "Dirichlet concentration=0.5,0.5,0.5", new double[]{Double.NaN, Double.NaN, Double.NaN},
            "Dirichlet concentration=1.0,0.5,0.5", new double[]{1, 0, 0},
            "Dirichlet concentration=0.3,0.9,0.2", new double[]{0, 1, 0},
            // torch's λ((k - 1)/k)^(1/k) at k = 0.5 is λ (-1)² = λ; the density is unbounded at 0, the mode
            "Weibull scale=2.0;concentration=0.5", new double[]{0});

    static double parse(String s) { return s.equals("nan") ? Double.NaN : Double.parseDouble(s); }

    /** Same as torch to 1e-15 relative (closed forms of one or two operations), NaN for NaN, except the listed cases. */
    @Test
    void modesMatchTorchOrTheListedConvention() throws IOException {
        int compared = 0, different = 0;
        for (ReferenceTables.Line line : ReferenceTables.rows("torch")) {
            if (!line.method().equals("mode")) continue;
            String key = line.pDist() + " " + line.pParams();
            double[] torch = Arrays.stream(line.value().split(",")).mapToDouble(ModeTest::parse).toArray();
            Distribution d = UnivariateScipyReferenceTest.make(line.pDist(), UnivariateScipyReferenceTest.params(line.pParams()));
            double[] ours = d.as(HasMode.class).orElseThrow().mode().toDoubleArray();
            double[] want = DIFFERENT.getOrDefault(key, torch);
            if (want != torch) {
                different++;
                assertFalse(Arrays.equals(want, torch), key + " is listed as different but agrees with torch");
            }
            assertEquals(want.length, ours.length, key);
            for (int i = 0; i < want.length; i++) {
                if (Double.isNaN(want[i])) assertTrue(Double.isNaN(ours[i]), key + ": mode " + Arrays.toString(ours) + ", expected NaN");
                else assertEquals(want[i], ours[i], 1e-15 * Math.abs(want[i]), key);
            }
            compared++;
        }
        assertEquals(56, compared, "torch mode rows in the reference tables");
        assertEquals(DIFFERENT.size(), different, "every listed difference is a row of the file");
    }

    /** A flat density's mode is NaN in a batch too, next to ordinary ones (Beta(1, 1) used to give 1, Dirichlet(1, 1) (1, 0)). */
    @Test
    void flatDensitiesHaveNaNModeInABatch() {
        double[] beta = new Beta(Tensor.of(DType.F64, new double[]{1, 2, 1}), Tensor.of(DType.F64, new double[]{1, 2, 3})).mode().toDoubleArray();
        assertTrue(Double.isNaN(beta[0]));
        assertEquals(0.5, beta[1], 0);
        assertEquals(0, beta[2], 0);
        double[] dir = new Dirichlet(Tensor.of(DType.F64, new double[]{1, 1, 2, 3}, 2, 2)).mode().toDoubleArray();
        assertTrue(Double.isNaN(dir[0]) && Double.isNaN(dir[1]));
        assertArrayEquals(new double[]{1.0 / 3, 2.0 / 3}, Arrays.copyOfRange(dir, 2, 4), 1e-15);
    }
}
