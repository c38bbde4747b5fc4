package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner with stand-in demos: a failing check, a throwing demo, the report, progress lines. */
class RunnerTest {
    record Fake(String name, boolean pass, boolean throwIt) implements Demo {
        public String title() { return "Fake <" + name + ">"; }
        public String description() { return "A stand-in & nothing more."; }
        public DemoResult run(DemoContext ctx) {
            if (throwIt) throw new IllegalStateException("boom");
            try (Progress p = ctx.progress("loop", 50)) {
                for (int i = 0; i < 50; i++) p.stepTo(i + 1, () -> "ok");
            }
            return new DemoResult().metric("x", 1.5).metric("list", new double[]{1, 2}).steps(50)
                    .check(Check.lessThan("x small", 1.5, pass ? 2 : 1)).note("a note");
        }
    }

    @Test
    void failedChecksAndErrorsAreReportedAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Runner.Outcome> o = Runner.run(List.of(new Fake("a", false, false), new Fake("b", true, true), new Fake("c", true, false)),
                new Runner.Settings(dir, 5, true, 1, Progress.Mode.LINES), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(o.get(0).passed());
        assertFalse(o.get(1).passed());
        assertTrue(o.get(2).passed());
        assertTrue(text.contains("check x small: 1.5 < 1  FAILED"), text);
        assertTrue(text.contains("ERROR java.lang.IllegalStateException: boom"), text);
        assertTrue(text.contains("c loop: 100% (50/50 steps"), text);
        assertEquals(10, text.lines().filter(l -> l.contains("a loop:")).count(), "a line each tenth");
        JsonNode a = TestSupport.metrics(dir, "a");
        assertFalse(a.get("passed").asBoolean());
        assertEquals(1.5, a.get("checks").get(0).get("value").asDouble());
        assertEquals("<", a.get("checks").get(0).get("relation").asText());
        assertEquals(50, a.get("steps").asLong());
        assertEquals(2, a.get("metrics").get("list").size());
        JsonNode b = TestSupport.metrics(dir, "b");
        assertEquals("java.lang.IllegalStateException: boom", b.get("error").asText());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("Fake &lt;a&gt;") && html.contains("A stand-in &amp; nothing more."), "escaped");
        assertTrue(html.contains("1 of 3 demos passed"), html);
        assertTrue(html.contains("boom"));
    }

    @Test
    void checksAndFormatting() {
        assertTrue(Check.near("n", 8.0000000001, 8, 1e-9).passed());
        assertFalse(Check.near("n", Double.NaN, 8, 1e-9).passed());
        assertTrue(Check.atLeast("m", 2, 2).passed());
        assertFalse(Check.greaterThan("m", 2, 2).passed());
        assertEquals("n: 8 ≈ 8 ± 1e-09  ok", Check.near("n", 8, 8, 1e-9).describe());
        assertEquals("6.93054", Fmt.num(6.930535362387555));
        assertEquals("8", Fmt.num(7.999999999999954));
        assertEquals("-1.78e-14", Fmt.num(-1.7763568394002505e-14, 3));
        assertEquals("inf", Fmt.num(Double.POSITIVE_INFINITY));
        assertEquals("0.7236", Fmt.num(0.7236));
        assertEquals("2 min 05 s", Fmt.seconds(125));
    }
}
