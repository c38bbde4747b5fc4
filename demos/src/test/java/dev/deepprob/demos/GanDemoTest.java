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
 * The GAN on a correlated normal in quick mode (3000 iterations): the generated mean (median of the last 10 snapshots) within
 * 0.3 of (5, 5), the covariance within 0.4 of the real one, 30 snapshots of the moments recorded.
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
        assertEquals(3000, k.get("iterations").asInt());
        assertEquals(3000L * 6, m.get("steps").asLong());
        for (int i = 0; i < 2; i++) assertEquals(5, k.get("generated_mean").get(i).asDouble(), 0.3);
        JsonNode gc = k.get("generated_covariance"), rc = k.get("real_covariance");
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) assertEquals(rc.get(i).get(j).asDouble(), gc.get(i).get(j).asDouble(), 0.4);
        assertEquals(0.8, k.get("real_correlation").asDouble(), 0.05);
        assertTrue(k.get("generated_correlation").asDouble() > 0.5);
        assertEquals(30, k.get("snapshot_iterations").size());
        assertEquals(5, k.get("snapshot_moments_mx_my_vx_cxy_vy").get(0).size());
        assertEquals(2, k.get("final_generator_mean").size());
        assertTrue(k.get("iterations_per_second").asDouble() > 0);
        assertEquals(5, m.get("checks").size());
        TestSupport.assertFigures(out, "gan", m, "samples.png", "joint.png", "moments.png", "losses.png");
    }
}
