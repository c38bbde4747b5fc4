package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The runner with stand-in demos: a failing check, a throwing demo, the report, progress lines. */
class RunnerTest {
    static class Fake implements Demo {
        private final String name;
        private final boolean pass, throwIt;

        Fake(String name, boolean pass, boolean throwIt) {
            this.name = name;
            this.pass = pass;
            this.throwIt = throwIt;
        }

        public String name() { return name; }
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

    /** A demo that, while it runs, reads what a stop at that moment would leave: the index and its own old metrics.json. */
    static final class Peek implements Demo {
        String index;
        boolean oldMetrics;

        public String name() { return "peek"; }
        public String title() { return "Peek"; }
        public String description() { return "Looks at the report mid-run."; }
        public DemoResult run(DemoContext ctx) {
            try {
                index = Files.readString(ctx.dir().getParent().resolve("index.html"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            oldMetrics = Files.exists(ctx.dir().resolve("metrics.json"));
            return new DemoResult().check(Check.atLeast("fine", 1, 0));
        }
    }

    @Test
    void whileADemoRunsTheIndexSaysTheRunIsUnfinished(@TempDir Path dir) throws Exception {
        // an earlier complete run left its index and numbers: a stopped run must not leave them to speak for it
        Files.createDirectories(dir.resolve("peek"));
        Files.writeString(dir.resolve("index.html"), "3 of 3 demos passed every check.");
        Files.writeString(dir.resolve("peek/metrics.json"), "{\"passed\": true}");
        Peek peek = new Peek();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Runner.run(List.of(new Fake("a", true, false), peek, new Fake("c", true, false)),
                new Runner.Settings(dir, 5, true, 1, Progress.Mode.NONE), new PrintStream(log, true, StandardCharsets.UTF_8));
        // what a kill at that moment would have left
        assertTrue(peek.index.contains("<title>deepprob demos (incomplete)</title>"), peek.index);
        assertTrue(peek.index.contains("This run has not finished (it is still going, or was stopped without notice): 1 of 3 demos "
                + "finished, 1 of them passing every check; peek is running; not run yet: c."), peek.index);
        assertFalse(peek.index.contains("demos passed every check"), "no claim of a complete run");
        assertTrue(peek.index.contains("<span class=\"badge\">not run</span>"), peek.index);
        assertFalse(peek.oldMetrics, "the earlier run's metrics.json was removed before the demo started");
        // and when the run ends, the index is complete
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("3 of 3 demos passed every check.") && !html.contains("(incomplete)") && !html.contains("not run"), html);
    }

    /** A child JVM's run: demo a, then demo "b" that says it started and waits, then c. */
    static final class Interrupted {
        public static void main(String[] args) {
            Demo b = new Fake("b", true, false) {
                @Override
                public DemoResult run(DemoContext ctx) {
                    System.out.println("@running b");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.run(ctx);
                }
            };
            Runner.run(List.of(new Fake("a", true, false), b, new Fake("c", true, false)),
                    new Runner.Settings(Path.of(args[0]), 1, true, 1, Progress.Mode.NONE), System.out);
        }
    }

    /** True when this process ignores SIGINT (then so does a child it starts: a job started in the background by a shell). */
    private static boolean sigintIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) return false;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) return (Long.parseLong(line.substring(7).strip(), 16) & 2) != 0;   // bit 1: signal 2
        }
        return false;
    }

    @Test
    void aRunStoppedByCtrlCSaysWhichDemosDidNotFinish(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")), "needs kill(1)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Interrupted.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder said = new StringBuilder();
            CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        said.append(line).append('\n');
                        if (line.equals("@running b")) return true;
                    }
                    return false;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(running.get(2, TimeUnit.MINUTES), () -> "the child did not reach demo b:\n" + said);
            // Ctrl-C sends SIGINT; where this process ignores it, the child does too, and SIGTERM takes the same shutdown path
            String signal = sigintIgnored() ? "-TERM" : "-INT";
            assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the child did not stop on " + signal);
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(rest.contains("interrupted: b did not finish; 1 of 3 demos finished"), said + rest);
        } finally {
            p.destroyForcibly();
        }
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("This run was interrupted: 1 of 3 demos finished, 1 of them passing every check; b did not finish; "
                + "not run: c."), html);
        assertTrue(html.contains("<span class=\"badge fail\">did not finish</span>"), html);
        assertFalse(html.contains("demos passed every check"), "no claim of a complete run");
        assertTrue(TestSupport.metrics(dir, "a").get("passed").asBoolean());
        assertFalse(Files.exists(dir.resolve("b/metrics.json")), "no numbers for the unfinished demo");
        assertFalse(Files.exists(dir.resolve("c")), "c never started");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("a", "b", "index.html"), files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary files");
        }
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
