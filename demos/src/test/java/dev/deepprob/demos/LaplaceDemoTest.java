package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.data.MakeClassification;
import dev.deepprob.demos.laplace.LaplaceDemo;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaplaceDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new LaplaceDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "laplace");
        JsonNode k = m.get("metrics");
        // the two precisions agree to rounding
        assertTrue(k.get("precision_rel_err").asDouble() < 1e-12, k.get("precision_rel_err").toString());
        // Adam's 5000 steps reach Newton's mode
        assertTrue(k.get("map_vs_newton_rel_err").asDouble() < 1e-3);
        assertTrue(k.get("grad_norm_at_map").asDouble() < 1e-3);
        // the far point: the Bayesian predictive lies strictly between 0.5 and the plug-in MAP
        double map = k.get("p_far_map").asDouble(), bayes = k.get("p_far_bayes_10000_samples").asDouble();
        assertTrue((bayes - 0.5) / (map - 0.5) > 0 && (bayes - 0.5) / (map - 0.5) < 1, "MAP " + map + ", Bayes " + bayes);
        double probit = k.get("p_far_probit_approx").asDouble();
        assertTrue((probit - 0.5) / (map - 0.5) > 0 && (probit - 0.5) / (map - 0.5) < 1, "probit " + probit);
        assertTrue(k.get("train_accuracy_map").asDouble() >= 0.95);
        assertEquals("SPLIT_BY_FEATURE_2", k.get("data_layout").asText());
        assertEquals(5, m.get("checks").size());
        TestSupport.assertFigures(out, "laplace", m, "laplace_surface.png", "laplace_boundaries.png");
    }

    // ------------------------------------------------------------------ MakeClassification

    @Test
    void makeClassificationHasSklearnsStructure() {
        double sep = 10;   // far apart, so each point can be told to its cluster
        MakeClassification.Dataset d = MakeClassification.generate(2001, sep, new Generator(3));
        assertArrayEquals(new int[]{2001, 2}, d.x().dims());
        assertEquals(2001, d.y().numel());
        double[] y = d.labels(), a = d.feature(0), b = d.feature(1);
        int ones = 0;
        for (double v : y) ones += (int) v;
        // 4 clusters of 500, the remainder 1 goes to cluster 0 (class 0)
        assertEquals(1000, ones);
        assertEquals(4, d.centres().length);
        assertArrayEquals(new int[]{0, 1, 0, 1}, d.clusterClass());
        // every centre is a distinct vertex of {-sep, sep}²
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (double[] c : d.centres()) {
            assertEquals(sep, Math.abs(c[0]), 0);
            assertEquals(sep, Math.abs(c[1]), 0);
            assertTrue(seen.add(c[0] + "," + c[1]));
        }
        // each point lies nearest a centre of its own class; the cluster means are near the centres
        double[][] sum = new double[4][2];
        int[] count = new int[4];
        for (int i = 0; i < y.length; i++) {
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 4; c++) {
                double dd = Math.hypot(a[i] - d.centres()[c][0], b[i] - d.centres()[c][1]);
                if (dd < bd) {
                    bd = dd;
                    best = c;
                }
            }
            assertEquals(d.clusterClass()[best], (int) y[i], "point " + i + " is nearest a centre of the other class");
            sum[best][0] += a[i];
            sum[best][1] += b[i];
            count[best]++;
        }
        for (int c = 0; c < 4; c++) {
            assertEquals(c == 0 ? 501 : 500, count[c]);
            // the spread of z A is at most sqrt(2) per coordinate: the mean of 500 is within 5 standard errors
            assertEquals(d.centres()[c][0], sum[c][0] / count[c], 5 * Math.sqrt(2.0 / 500));
            assertEquals(d.centres()[c][1], sum[c][1] / count[c], 5 * Math.sqrt(2.0 / 500));
        }
        // rows are shuffled: the labels are not in cluster order
        boolean sorted = true;
        for (int i = 1; i < 100; i++) sorted &= y[i] == (i % 2);
        assertFalse(sorted);
    }

    @Test
    void makeClassificationIsReproducibleAndItsLayoutsAreEquallyLikely() {
        MakeClassification.Dataset a = MakeClassification.generate(50, 3, new Generator(9)), b = MakeClassification.generate(50, 3, new Generator(9));
        assertArrayEquals(a.x().toDoubleArray(), b.x().toDoubleArray(), 0);
        assertArrayEquals(a.labels(), b.labels(), 0);
        Map<MakeClassification.Layout, Integer> counts = new EnumMap<>(MakeClassification.Layout.class);
        Generator g = new Generator(4);
        int n = 600;
        for (int i = 0; i < n; i++) counts.merge(MakeClassification.generate(8, 3, g).layout(), 1, Integer::sum);
        for (MakeClassification.Layout l : MakeClassification.Layout.values()) {
            double p = counts.getOrDefault(l, 0) / (double) n;
            assertEquals(1.0 / 3, p, 5 * Math.sqrt(2.0 / 9 / n), l + ": " + counts);
        }
        // one cluster per class: always separable along a feature
        MakeClassification.Dataset one = MakeClassification.generate(40, 2, 1, new Generator(2));
        assertEquals(2, one.centres().length);
        assertTrue(one.layout() != MakeClassification.Layout.DIAGONAL);
        MakeClassification.Conditioned c = MakeClassification.generateWithLayout(40, 2, MakeClassification.Layout.SPLIT_BY_FEATURE_1,
                new Generator(5), 100);
        assertEquals(MakeClassification.Layout.SPLIT_BY_FEATURE_1, c.data().layout());
        assertTrue(c.draws() >= 1);
    }

    @Test
    void makeClassificationRejectsBadInput() {
        Generator g = new Generator(1);
        assertEquals("MakeClassification: n_samples must be >= 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> MakeClassification.generate(1, 1, g)).getMessage());
        assertEquals("MakeClassification: class_sep must be finite and > 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> MakeClassification.generate(10, -1, g)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MakeClassification.generate(10, 1, 3, g)).getMessage()
                .contains("n_clusters_per_class must be 1 or 2, got 3"));
        assertEquals("MakeClassification: generator must not be null",
                assertThrows(IllegalArgumentException.class, () -> MakeClassification.generate(10, 1, null)).getMessage());
    }
}
