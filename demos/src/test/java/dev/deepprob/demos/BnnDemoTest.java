package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.bnn.BnnDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BnnDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new BnnDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "bnn");
        JsonNode k = m.get("metrics");
        assertTrue(k.get("train_accuracy_mean_weights").asDouble() >= 0.95);
        assertTrue(k.get("train_accuracy_bayesian").asDouble() >= 0.95);
        // more uncertain away from the data than on it
        assertTrue(k.get("predictive_std_far_mean").asDouble() > k.get("predictive_std_on_data_mean").asDouble());
        // the fast log-likelihood is -BCE-with-logits summed
        assertEquals(k.get("loglik_at_q_mean_bce_with_logits").asDouble(), k.get("loglik_at_q_mean_fast_formula").asDouble(), 1e-8);
        assertEquals(20, k.get("q_mean").size());
        assertTrue(k.get("loss").asText().contains("+KL"));
        assertEquals(6, m.get("checks").size());
        assertTrue(k.get("max_abs_diff_module_vs_plain_double_network").asDouble() < 1e-12);
        TestSupport.assertFigures(out, "bnn", m, "bnn_surface.png", "bnn_uncertainty.png");
    }
}
