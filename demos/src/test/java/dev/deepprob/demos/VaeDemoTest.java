package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.vae.VaeDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VAE in quick mode (8 epochs): distinct clusters whose codes decode to their input, a loss above its floor and falling. */
class VaeDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new VaeDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "vae");
        assertEquals("vae", m.get("name").asText());
        JsonNode k = m.get("metrics");
        assertEquals(8, k.get("epochs").asInt());
        assertEquals(8L * 501, m.get("steps").asLong());
        JsonNode loss = k.get("loss_per_element_by_epoch");
        assertEquals(8, loss.size());
        double first = loss.get(0).asDouble(), last = loss.get(7).asDouble();
        assertTrue(last < first, "the loss falls: " + first + " -> " + last);
        assertTrue(last > Math.log(4) / 4 - 0.01 && last < 0.5, "loss per element " + last);
        assertEquals(last / 5, k.get("final_loss_per_batch_as_printed_originally").asDouble(), 1e-12);
        assertTrue(k.get("separation_ratio").asDouble() >= 1.2);
        assertTrue(k.get("share_decoded_to_own_input").asDouble() >= 0.85);
        assertEquals(4, k.get("cluster_means").size());
        assertEquals(3, m.get("checks").size());
        TestSupport.assertFigures(out, "vae", m, "latent.png", "loss.png");
    }
}
