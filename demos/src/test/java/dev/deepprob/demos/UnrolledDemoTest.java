package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.unrolled.UnrolledDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unrolled-GAN benchmarks in quick mode (the ring only, 400 iterations): the table holds one plain and one unrolled
 * run scored by the published protocol, the summary agrees with the table, the published figures are there, the
 * unrolled GAN covers the modes quick mode checks, and a bad {@code seeds} setting is refused with its value.
 */
class UnrolledDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;
    /** UnrolledDemo.QUICK_MIN_MODES, the demo's own quick check, asserted here from the metrics (seed 1: 8 of 8, the plain GAN 1). */
    static final int QUICK_MIN_MODES = 6;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new UnrolledDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        assertEquals(2, dev.deepprob.engine.Threads.get(), "the demo restores the thread count");
        JsonNode m = TestSupport.metrics(out, "unrolled");
        JsonNode k = m.get("metrics");
        JsonNode runs = k.get("runs");
        assertEquals(2, runs.size(), runs.toString());
        for (JsonNode run : runs) {
            assertEquals("ring", run.get("benchmark").asText());
            assertEquals(1, run.get("seed").asInt());
            assertTrue(run.get("cpu seconds").asDouble() > 0);
        }
        // the summary of one seed is that seed's row; its spread is 0
        JsonNode unrolled = runs.get(0).get("method").asText().startsWith("unrolled") ? runs.get(0) : runs.get(1);
        assertEquals(unrolled.get("modes").asText(), k.get("ring_unrolled_modes").get(0).asInt() + " of 8");
        assertEquals(unrolled.get("high quality %").asDouble(), 100 * k.get("ring_unrolled_high_quality").get(0).asDouble(), 0.05 + 1e-9);
        assertEquals(0.0, k.get("ring_unrolled_modes_mean_sd").get(1).asDouble());
        assertEquals(k.get("ring_unrolled_modes").get(0).asDouble(), k.get("ring_unrolled_modes_mean_sd").get(0).asDouble());
        int modes = k.get("ring_unrolled_modes").get(0).asInt();
        assertTrue(modes >= QUICK_MIN_MODES, "unrolled GAN, quick: " + modes + " modes");
        assertEquals(4, k.get("published").size());
        assertEquals("7.6 / 35.6", k.get("published").get(1).get("ring: modes / high quality %").asText());
        assertEquals(2, k.get("summary").size());
        assertEquals(1, k.get("seeds").asInt());
        assertTrue(modes > k.get("ring_plain_modes").get(0).asInt(), "unrolled " + modes + " against plain " + k.get("ring_plain_modes"));
        // quick mode: 400 iterations of 1 discriminator step, 1 generator step and K = 5 unrolled steps, and of the plain 2
        assertEquals(400L * (2 + 5) + 400L * 2, m.get("steps").asLong());
        assertEquals(2, m.get("checks").size());
        TestSupport.assertFigures(out, "unrolled", m, "ring.png");
    }

    @Test
    void aBadSeedCountIsRefused(@TempDir Path dir) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Runner.Outcome o = Runner.run(List.of(new UnrolledDemo()), new Runner.Settings(dir, 1, true, 2, Progress.Mode.NONE,
                Map.of("unrolled.seeds", "7")), new PrintStream(log, true, StandardCharsets.UTF_8)).getFirst();
        assertFalse(o.passed());
        assertTrue(String.valueOf(o.error()).contains("unrolled.seeds must be from 1 to 5, got 7"), String.valueOf(o.error()));
    }
}
