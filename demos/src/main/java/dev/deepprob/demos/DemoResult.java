package dev.deepprob.demos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a demo reports: its key numbers (in insertion order), the checks on them, the figures it wrote (file names
 * relative to the demo's folder, with captions), the number of optimisation steps it took and free-form notes.
 * A demo fills one in as it goes and returns it; the runner adds the wall time.
 */
public final class DemoResult {
    /** A figure file inside the demo's folder, with a caption for the report. */
    public record Figure(String file, String caption) {}

    private final Map<String, Object> metrics = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long steps;
    private String skipped;

    /**
     * Records a key number (or string, array, list or map of them) under a name; a later value replaces an
     * earlier one. Values must be something Jackson writes: numbers, strings, booleans, arrays, lists, maps.
     */
    public DemoResult metric(String name, Object value) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("DemoResult.metric: name must not be blank");
        metrics.put(name, value);
        return this;
    }

    /** Adds a check. */
    public DemoResult check(Check c) {
        if (c == null) throw new IllegalArgumentException("DemoResult.check: check must not be null");
        checks.add(c);
        return this;
    }

    /** Records a figure written into the demo's folder. */
    public DemoResult figure(String file, String caption) {
        if (file == null || file.isBlank()) throw new IllegalArgumentException("DemoResult.figure: file must not be blank");
        figures.add(new Figure(file, caption == null ? "" : caption));
        return this;
    }

    /** Adds a note shown in the report (a reading of the original, a deviation from it, ...). */
    public DemoResult note(String text) {
        notes.add(text);
        return this;
    }

    /**
     * Marks the demo as skipped, not failed, with the reason and what to do about it (e.g. data that is not there and
     * how to fetch it). A skipped demo has no checks and counts as passed.
     */
    public DemoResult skip(String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("DemoResult.skip: reason must not be blank");
        skipped = reason;
        return this;
    }

    /** The reason the demo was skipped, or null when it ran. */
    public String skipped() { return skipped; }

    /** Sets the number of optimisation (or sampling) steps the demo took. */
    public DemoResult steps(long n) {
        if (n < 0) throw new IllegalArgumentException("DemoResult.steps: must be >= 0, got " + n);
        steps = n;
        return this;
    }

    /** Adds to the step count. */
    public DemoResult addSteps(long n) { return steps(steps + n); }

    public Map<String, Object> metrics() { return Collections.unmodifiableMap(metrics); }

    public List<Check> checks() { return Collections.unmodifiableList(checks); }

    public List<Figure> figures() { return Collections.unmodifiableList(figures); }

    public List<String> notes() { return Collections.unmodifiableList(notes); }

    public long steps() { return steps; }

    /** True when every check passed (and there is at least none failing). */
    public boolean passed() { return checks.stream().allMatch(Check::passed); }

    /** The check with the given name, or null. */
    public Check check(String name) {
        for (Check c : checks) if (c.name().equals(name)) return c;
        return null;
    }
}
