package dev.deepprob.demos;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
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
 * as failed and the others still run. The index is written before the first demo and again around each one, so a run
 * that is stopped (Ctrl-C, a kill) leaves an index that lists the demos that did not finish rather than an old or
 * complete-looking one; on Ctrl-C a shutdown hook also marks it as interrupted.
 */
public final class Runner {
    private Runner() {}

    /**
     * The most threads a run accepts: the largest parallelism of a {@link java.util.concurrent.ForkJoinPool} (its
     * documented limit, 32767), which the {@code kld} demo's grid search creates with the thread count.
     */
    public static final int MAX_THREADS = 0x7fff;

    /** The command line's settings. */
    public record Settings(Path out, long seed, boolean quick, int threads, Progress.Mode progress,
                           java.util.Map<String, String> options, Backend device, String deviceName) {
        /** Checks the values; {@code options} are the {@code --set} pairs, keyed {@code NAME.KEY}. */
        public Settings {
            options = java.util.Map.copyOf(options == null ? java.util.Map.of() : options);
            if (out == null) throw new IllegalArgumentException("Runner.Settings: out must not be null");
            if (threads < 1 || threads > MAX_THREADS) throw new IllegalArgumentException("Runner.Settings: threads must be in [1, "
                    + MAX_THREADS + "], got " + threads);
            if (device == null || deviceName == null) throw new IllegalArgumentException("Runner.Settings: device must not be null");
        }

        /** Settings with demo options, computing on the CPU. */
        public Settings(Path out, long seed, boolean quick, int threads, Progress.Mode progress, java.util.Map<String, String> options) {
            this(out, seed, quick, threads, progress, options, Backends.cpu(), "cpu");
        }

        /** Settings without demo options, computing on the CPU. */
        public Settings(Path out, long seed, boolean quick, int threads, Progress.Mode progress) {
            this(out, seed, quick, threads, progress, java.util.Map.of());
        }

        /** The options given for demo {@code name}, keyed without the {@code name.} prefix. */
        public java.util.Map<String, String> optionsFor(String name) {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            options.forEach((k, v) -> {
                if (k.startsWith(name + ".")) m.put(k.substring(name.length() + 1), v);
            });
            return m;
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
        // every array a demo makes without an operand to follow is made on the chosen device (the program-wide
        // default, so that the demos' own worker threads follow it too); restored when the run ends
        Backend previousDevice = Backends.defaultBackend();
        Backends.setDefault(s.device());
        try {
            return runOn(demos, s, log);
        } finally {
            Backends.setDefault(previousDevice == Backends.cpu() ? null : previousDevice);
        }
    }

    private static List<Outcome> runOn(List<Demo> demos, Settings s, PrintStream log) {
        try {
            Files.createDirectories(s.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + s.out() + ": " + e.getMessage(), e);
        }
        Index index = demos.size() > 1 ? new Index(demos, s, log) : null;
        Thread hook = index == null ? null : new Thread(index::interrupted, "demos-interrupted");
        if (hook != null) {
            index.write(null);                                    // before anything runs: no earlier run's index survives
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            List<Outcome> outcomes = new ArrayList<>();
            for (Demo d : demos) {
                log.printf("== %s: %s (%s mode, seed %d, %d thread%s%s)%n", d.name(), d.title(), s.quick() ? "quick" : "full", s.seed(),
                        s.threads(), s.threads() == 1 ? "" : "s", s.device() == Backends.cpu() ? "" : ", on " + s.deviceName());
                log.flush();
                DemoContext ctx = new DemoContext(d.name(), s.out(), s.seed(), s.quick(), log, s.progress(), s.optionsFor(d.name()));
                Path metrics = ctx.dir().resolve("metrics.json");
                try {
                    Files.deleteIfExists(metrics);                // an earlier run's numbers must not pass for this run's
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove the old " + metrics + ": " + e.getMessage(), e);
                }
                if (index != null) index.write(d);
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
                if (r != null && r.skipped() != null) log.println("  SKIPPED: " + r.skipped());
                if (err != null) {
                    log.println("  ERROR " + err);
                    for (StackTraceElement el : err.getStackTrace()) {
                        if (el.getClassName().startsWith("dev.deepprob")) log.println("      at " + el);
                    }
                }
                Report.writeMetrics(metrics, o, s);
                if (index != null) index.finished(o);
                log.printf("== %s: %s in %s%s%n%n", d.name(), o.passed() ? (r.skipped() != null ? "SKIPPED" : "PASSED") : "FAILED", Fmt.seconds(wall),
                        r == null ? "" : " (" + r.checks().stream().filter(Check::passed).count() + "/" + r.checks().size() + " checks)");
                log.flush();
            }
            if (index != null) log.println("report: " + index.file().toAbsolutePath());
            return outcomes;
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping: the hook runs, and says which demos did not finish
                }
            }
        }
    }

    /**
     * The index of a run of several demos as it goes: which finished, which one is running, whether the run was
     * interrupted. Every write replaces {@code index.html} atomically; the main thread and the shutdown hook take turns.
     */
    static final class Index {
        private final List<Demo> demos;
        private final Settings settings;
        private final PrintStream log;
        private final List<Outcome> finished = new ArrayList<>();
        private Demo running;
        private boolean interrupted;

        Index(List<Demo> demos, Settings settings, PrintStream log) {
            this.demos = List.copyOf(demos);
            this.settings = settings;
            this.log = log;
        }

        Path file() { return settings.out().resolve("index.html"); }

        /** Writes the index with {@code running} (null: none) as the demo under way. */
        synchronized void write(Demo running) {
            this.running = running;
            Report.writeIndex(settings.out(), new Report.RunState(demos, finished, running, interrupted), settings);
        }

        /** Records a finished demo and writes the index. */
        synchronized void finished(Outcome o) {
            finished.add(o);
            write(null);
        }

        /** The shutdown hook: when demos are left, marks the run as interrupted and says so. */
        synchronized void interrupted() {
            if (finished.size() == demos.size()) return;
            interrupted = true;
            try {
                write(running);
                log.println();
                log.println("interrupted: " + (running == null ? "" : running.name() + " did not finish; ") + finished.size() + " of "
                        + demos.size() + " demos finished; " + file().toAbsolutePath() + " says which");
                log.flush();
            } catch (RuntimeException e) {
                log.println("interrupted: cannot update " + file() + ": " + e.getMessage());
            }
        }
    }
}
