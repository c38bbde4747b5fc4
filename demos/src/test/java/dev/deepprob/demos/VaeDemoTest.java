package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.vae.VaeDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VAE in quick mode (8 epochs): four clusters told apart (codes nearest their own mean, decoded to their input), a
 * loss above its floor and falling; and its checks hold at other seeds (2 and 3 failed the separation ratio it used to check).
 */
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
        // the floor is exact (a bound; 0.01 below it for the batches' noise); 0.5: quick runs end at 0.435-0.476 (seeds 15-40)
        assertTrue(last > Math.log(4) / 4 - 0.01 && last < 0.5, "loss per element " + last);
        assertEquals(last / 5, k.get("final_loss_per_batch_as_printed_originally").asDouble(), 1e-12);
        // 0.8: above the 0.75 that three clusters (two merged) could reach at most; seeds 1-40 measured 0.834-0.922 and 0.862-0.927
        assertTrue(k.get("share_nearest_own_cluster_mean").asDouble() >= 0.8);
        assertTrue(k.get("share_decoded_to_own_input").asDouble() >= 0.8);
        assertTrue(k.get("separation_ratio").asDouble() > 0, "reported");
        assertEquals(4, k.get("cluster_means").size());
        assertEquals(3, m.get("checks").size());
        TestSupport.assertFigures(out, "vae", m, "latent.png", "loss.png");
    }

    @Test
    void theQuickChecksHoldAtOtherSeeds(@TempDir Path dir) {
        for (long seed : new long[]{2, 3}) {
            Runner.Outcome o = TestSupport.runQuick(new VaeDemo(), dir.resolve("seed" + seed), seed);
            assertTrue(o.passed(), () -> "seed " + seed + ": " + TestSupport.failures(o));
        }
    }
}
