package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.discriminator.DiscriminatorDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The density-ratio demo in quick mode (4000 steps, the 0.1 grid): the estimated density correlates with the truth, the KL
 * estimate is within 10% of log 121 - log(2πe) and the estimate integrates to 1 within 20% over the square.
 */
class DiscriminatorDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new DiscriminatorDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "discriminator");
        JsonNode k = m.get("metrics");
        assertEquals(Math.log(121) - Math.log(2 * Math.PI * Math.E), k.get("kl_exact").asDouble(), 1e-12);
        assertEquals(1.9579, k.get("kl_exact").asDouble(), 1e-4);
        assertEquals(1.9579, k.get("kl_estimate").asDouble(), 0.19579);
        assertTrue(k.get("grid_0.1_correlation").asDouble() >= 0.95);
        assertEquals(12100, k.get("grid_0.1_points").asInt());
        assertEquals(1, k.get("grid_0.1_mass_of_estimate").asDouble(), 0.2);
        assertEquals(1, k.get("grid_0.1_mass_of_truth").asDouble(), 1e-3);
        assertTrue(k.get("grid_0.1_max_abs_error").asDouble() < 0.08, "max error vs a peak of 0.159");
        assertEquals(0.5, k.get("class_prior").asDouble());
        assertEquals(4000, m.get("steps").asLong());
        assertEquals(2, m.get("checks").size());
        TestSupport.assertFigures(out, "discriminator", m, "density.png", "error.png");
    }
}
