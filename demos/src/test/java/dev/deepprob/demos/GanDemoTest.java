package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.gan.GanDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GAN on a correlated normal in quick mode (5000 iterations): the generated mean and covariance (medians of the last 20
 * snapshots) against the true N((5, 5), [[1, 0.8], [0.8, 1]]), the real data against the same truth, 50 snapshots recorded.
 */
class GanDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new GanDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "gan");
        JsonNode k = m.get("metrics");
        assertEquals(5000, k.get("iterations").asInt());
        assertEquals(5000L * 6, m.get("steps").asLong());
        double[][] truth = {{1, 0.8}, {0.8, 1}};
        // The 2000 real points: their covariance entries have standard deviation sqrt(2/n) = 0.032 (variances) and
        // sqrt((1 + 0.8²)/n) = 0.029 (covariance), their mean sqrt(1/n) = 0.022, their correlation (1 - 0.8²)/sqrt(n) = 0.008;
        // 4 standard deviations each.
        JsonNode rc = k.get("real_covariance"), rmean = k.get("real_mean");
        for (int i = 0; i < 2; i++) {
            assertEquals(5, rmean.get(i).asDouble(), 4 * 0.022);
            for (int j = 0; j < 2; j++) assertEquals(truth[i][j], rc.get(i).get(j).asDouble(), 4 * (i == j ? 0.032 : 0.029), "real " + i + j);
        }
        assertEquals(0.8, k.get("real_correlation").asDouble(), 4 * 0.008);
        // The generated moments: 4 standard deviations of the sampling error (2000 real points, 5000 samples per snapshot) are
        // 0.15, and the training loop's oscillation adds the rest of GanDemo.TOLERANCE = 0.2 (seeds 1-8: at most 0.146).
        JsonNode gmean = k.get("generated_mean"), gc = k.get("generated_covariance");
        for (int i = 0; i < 2; i++) {
            assertEquals(5, gmean.get(i).asDouble(), 0.2, "generated mean " + i);
            for (int j = 0; j < 2; j++) assertEquals(truth[i][j], gc.get(i).get(j).asDouble(), 0.2, "generated covariance " + i + j);
        }
        // the correlation of those medians: seeds 1-8 gave 0.75-0.84 after 5000 iterations
        assertEquals(0.8, k.get("generated_correlation").asDouble(), 0.1);
        assertEquals(50, k.get("snapshot_iterations").size());
        assertEquals(5, k.get("snapshot_moments_mx_my_vx_cxy_vy").get(0).size());
        assertEquals(2, k.get("final_generator_mean").size());
        assertTrue(k.get("iterations_per_second").asDouble() > 0);
        assertEquals(5, m.get("checks").size());
        TestSupport.assertFigures(out, "gan", m, "samples.png", "joint.png", "moments.png", "losses.png");
    }
}
