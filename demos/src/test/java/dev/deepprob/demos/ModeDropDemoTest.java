package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.modedrop.ModeDropDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mode dropping in quick mode (600 plain and 300 unrolled iterations, K = 10, narrower networks): the unrolled GAN covers
 * several modes and more than the same loop without unrolling; all three runs are scored on 2500 samples at 10 snapshots
 * each and report their speed; the thread count is restored. Unrolled against plain is checked only by the full run.
 */
class ModeDropDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new ModeDropDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        assertEquals(2, dev.deepprob.engine.Threads.get(), "the demo restores the thread count");
        JsonNode m = TestSupport.metrics(out, "modedrop");
        JsonNode k = m.get("metrics");
        for (String run : new String[]{"plain_", "unrolled_", "control_k0_"}) {
            // the modes covered are those with >= 25 high-quality samples, so the per-mode counts must agree with them
            int covered = 0, hq = 0;
            for (JsonNode c : k.get(run + "high_quality_per_mode")) {
                if (c.asInt() >= 25) covered++;
                hq += c.asInt();
            }
            assertEquals(covered, k.get(run + "modes_covered").asInt(), run);
            assertEquals(hq / 2500.0, k.get(run + "high_quality_share").asDouble(), 1e-12, run);
            assertEquals(10, k.get(run + "snapshot_iterations").size());
            assertEquals(10, k.get(run + "modes_by_snapshot").size());
            assertEquals(8, k.get(run + "high_quality_per_mode").size());
            assertTrue(k.get(run + "iterations_per_second").asDouble() > 0);
        }
        // seeds 1-8: the unrolled GAN ends on 4-6 modes, the same loop with K = 0 on 0-1 (seed 1, this run: 6 and 0)
        int unrolled = k.get("unrolled_modes_covered").asInt(), control = k.get("control_k0_modes_covered").asInt();
        assertTrue(unrolled >= 3, "unrolled GAN: " + unrolled + " modes");
        assertTrue(unrolled - control >= 2, "unrolled " + unrolled + " against K = 0 " + control);
        assertEquals(10, k.get("unroll_steps").asInt(), "quick mode unrolls as far as the full run");
        assertEquals(600, k.get("plain_iterations").asInt());
        assertEquals(300, k.get("unrolled_iterations").asInt());
        assertEquals(600, k.get("plain_snapshot_iterations").get(9).asInt());
        assertTrue(k.get("settings").get("networks").asText().contains("G 2-128-128-64-2, D 2-128-128-64-1"), k.get("settings").toString());
        assertEquals(600L * 6 + 300L * (2 + 10) + 300L * 2, m.get("steps").asLong());
        assertEquals(2, m.get("checks").size());
        TestSupport.assertFigures(out, "modedrop", m, "plain_progress.png", "unrolled_progress.png", "control_progress.png", "final.png");
    }

    @Test
    void scoringCountsModesAndHighQualitySamples() {
        // 30 points near each of 3 centres, 20 near a fourth (too few to count), 10 far from all: 3 modes, 90% high quality
        double[] xy = new double[2 * 120];
        double[][] c = {{0, 8}, {4, 4}, {-8, 0}, {4, -4}};
        for (int i = 0; i < 110; i++) {
            int k = Math.min(i / 30, 3);
            xy[2 * i] = c[k][0] + 0.3;
            xy[2 * i + 1] = c[k][1] - 1.0;
        }
        ModeDropDemo.Score s = ModeDropDemo.score(xy);
        assertEquals(3, s.modes());
        assertEquals(110.0 / 120, s.highQuality(), 1e-12);
        assertEquals(30, s.perMode()[0]);
        assertEquals(20, s.perMode()[7]);
    }
}
