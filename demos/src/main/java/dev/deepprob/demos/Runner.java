package dev.deepprob.demos;

import dev.deepprob.engine.Threads;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs demos one after another: each in a fresh {@link DemoContext}, timed, its checks printed and its
 * {@code metrics.json} written; a run of several also writes {@code index.html}. A demo that throws is reported
 * as failed and the others still run.
 */
public final class Runner {
    private Runner() {}

    /** The command line's settings. */
    public record Settings(Path out, long seed, boolean quick, int threads, Progress.Mode progress) {
        public Settings {
            if (out == null) throw new IllegalArgumentException("Runner.Settings: out must not be null");
            if (threads < 1) throw new IllegalArgumentException("Runner.Settings: threads must be >= 1, got " + threads);
        }
    }

    /** One demo's run: its result (null when it threw), wall time and error. */
    public record Outcome(Demo demo, DemoResult result, double wallSeconds, Throwable error) {
        /** True when it finished and every check passed. */
        public boolean passed() { return error == null && result != null && result.passed(); }
    }

    /** Runs the demos in the given order; returns their outcomes. */
    public static List<Outcome> run(List<Demo> demos, Settings s, PrintStream log) {
        Threads.set(s.threads());
        try {
            Files.createDirectories(s.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + s.out() + ": " + e.getMessage(), e);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Demo d : demos) {
            log.printf("== %s: %s (%s mode, seed %d, %d thread%s)%n", d.name(), d.title(), s.quick() ? "quick" : "full", s.seed(),
                    s.threads(), s.threads() == 1 ? "" : "s");
            log.flush();
            DemoContext ctx = new DemoContext(d.name(), s.out(), s.seed(), s.quick(), log, s.progress());
            long t0 = System.nanoTime();
            DemoResult r = null;
            Throwable err = null;
            try {
                r = d.run(ctx);
                if (r == null) throw new IllegalStateException("demo " + d.name() + " returned no result");
            } catch (Exception | AssertionError | OutOfMemoryError | StackOverflowError e) {
                err = e;
            }
            double wall = (System.nanoTime() - t0) * 1e-9;
            Outcome o = new Outcome(d, r, wall, err);
            outcomes.add(o);
            if (r != null) for (Check c : r.checks()) log.println("  check " + c.describe());
            if (err != null) {
                log.println("  ERROR " + err);
                for (StackTraceElement el : err.getStackTrace()) {
                    if (el.getClassName().startsWith("dev.deepprob")) log.println("      at " + el);
                }
            }
            Report.writeMetrics(ctx.dir().resolve("metrics.json"), o, s);
            log.printf("== %s: %s in %s%s%n%n", d.name(), o.passed() ? "PASSED" : "FAILED", Fmt.seconds(wall),
                    r == null ? "" : " (" + r.checks().stream().filter(Check::passed).count() + "/" + r.checks().size() + " checks)");
            log.flush();
        }
        if (demos.size() > 1) {
            Path index = Report.writeIndex(s.out(), outcomes, s);
            log.println("report: " + index.toAbsolutePath());
        }
        return outcomes;
    }
}
