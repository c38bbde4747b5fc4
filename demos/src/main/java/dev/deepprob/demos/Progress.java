package dev.deepprob.demos;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Progress of a long loop: a progress bar when the program runs in a terminal, plain lines (one each tenth of the
 * way) otherwise, so logs of batch runs stay readable. Use with try-with-resources.
 */
public abstract sealed class Progress implements AutoCloseable permits Progress.Bar, Progress.Lines, Progress.Silent {
    /** How progress is shown. */
    public enum Mode { AUTO, BAR, LINES, NONE }

    protected final long total;
    protected long done;

    private Progress(long total) { this.total = Math.max(0, total); }

    /** A progress display for {@code total} steps of the task {@code label}. */
    public static Progress create(Mode mode, String label, long total, PrintStream lines) {
        Mode m = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.LINES) : mode;
        return switch (m) {
            case BAR -> new Bar(label, total);
            case LINES -> new Lines(label, total, lines);
            default -> new Silent(total);
        };
    }

    /**
     * True when standard output is a terminal. Since JDK 22 {@code System.console()} is non-null even when the
     * streams are redirected, so ask {@code Console.isTerminal()} too.
     */
    public static boolean isTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    /** One step done. */
    public final void step() { stepTo(done + 1); }

    /** Steps done so far set to n. */
    public final void stepTo(long n) {
        done = Math.min(Math.max(n, done), total);
        shown(null);
    }

    /** Steps done set to n, with a short status (e.g. the current loss), computed only when it is shown. */
    public final void stepTo(long n, Supplier<String> status) {
        done = Math.min(Math.max(n, done), total);
        shown(status);
    }

    /** Shows the progress; {@code status} may be null. */
    protected abstract void shown(Supplier<String> status);

    @Override
    public abstract void close();

    /** Work done before the remaining time is estimated: the first steps (set-up, JIT compilation) are the slowest. */
    static final double ETA_MIN_FRACTION = 0.03;
    static final Duration ETA_MIN_ELAPSED = Duration.ofSeconds(1);

    /**
     * The remaining time for {@code done} of {@code total} steps after {@code elapsed}, at the average rate so far;
     * empty (shown as "?") until at least 3% of the steps and one second have passed, so a slow first step does not
     * promise hours for a run of seconds.
     */
    static Optional<Duration> eta(long done, long total, Duration elapsed) {
        if (total <= 0 || done <= 0 || elapsed.compareTo(ETA_MIN_ELAPSED) < 0 || done < ETA_MIN_FRACTION * total) return Optional.empty();
        if (done >= total) return Optional.of(Duration.ZERO);
        return Optional.of(Duration.ofNanos((long) (elapsed.toNanos() * (double) (total - done) / done)));
    }

    static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String label, long total) {
            super(total);
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(this.total).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(200).continuousUpdate()
                    .setEtaFunction(st -> eta(st.getCurrent() - st.getStart(), st.getMax() - st.getStart(), st.getElapsedAfterStart()))
                    .build();
        }

        private final long every = Math.max(1, total / 200);

        @Override
        protected void shown(Supplier<String> status) {
            bar.stepTo(done);
            if (status != null && (done % every == 0 || done == total)) bar.setExtraMessage(" " + status.get());
        }

        @Override
        public void close() { bar.close(); }
    }

    static final class Lines extends Progress {
        private final String label;
        private final PrintStream out;
        private final long start = System.nanoTime();
        private int lastTenth = 0;

        Lines(String label, long total, PrintStream out) {
            super(total);
            this.label = label;
            this.out = out;
        }

        @Override
        protected void shown(Supplier<String> status) {
            if (total == 0) return;
            int tenth = (int) (10 * done / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                double s = (System.nanoTime() - start) * 1e-9;
                out.printf(Locale.ROOT, "  %s: %3d%% (%d/%d steps, %s)%s%n", label, 10 * tenth, done, total, Fmt.seconds(s),
                        status == null ? "" : "  " + status.get());
                out.flush();
            }
        }

        @Override
        public void close() {}
    }

    static final class Silent extends Progress {
        Silent(long total) { super(total); }

        @Override
        protected void shown(Supplier<String> status) {}

        @Override
        public void close() {}
    }
}
