package dev.deepprob.demos;

/**
 * One of the tutorial's programs as a runnable demo: it computes what the program computed, writes its figures
 * into {@link DemoContext#dir()} and returns the numbers it exists to show, with checks on them. Register a new
 * demo with one line in {@link Demos}.
 */
public interface Demo {
    /** The short name used on the command line and as the output folder, e.g. {@code "kld"}. */
    String name();

    /** A one-line title, e.g. "KL divergence is not symmetric". */
    String title();

    /** A short paragraph on what the demo shows, for {@code list} and the HTML report. */
    String description();

    /**
     * Runs the demo: full settings, or short ones when {@link DemoContext#quick()} (for tests).
     * Throwing marks the demo as failed; a failed check does too, but the run goes on.
     */
    DemoResult run(DemoContext ctx) throws Exception;

    /**
     * The settings this demo takes on the command line as {@code --set NAME.KEY=VALUE} (a data path, a longer run),
     * key to a one-line help; {@link DemoContext#option} reads them. Most demos take none.
     */
    default java.util.Map<String, String> options() { return java.util.Map.of(); }
}
