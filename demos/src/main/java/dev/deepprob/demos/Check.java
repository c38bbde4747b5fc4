package dev.deepprob.demos;

/**
 * A number a demo exists to show, held against a threshold: {@code value relation threshold}, where the relation is
 * one of {@code <}, {@code <=}, {@code >}, {@code >=}, or {@code ≈} (|value - threshold| <= tolerance).
 * Tolerance is NaN for the one-sided relations.
 */
public record Check(String name, double value, String relation, double threshold, double tolerance, boolean passed) {

    public Check {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("Check: name must not be blank");
        if (relation == null) throw new IllegalArgumentException("Check: relation must not be null");
    }

    /** value < threshold. */
    public static Check lessThan(String name, double value, double threshold) {
        return new Check(name, value, "<", threshold, Double.NaN, value < threshold);
    }

    /** value <= threshold. */
    public static Check atMost(String name, double value, double threshold) {
        return new Check(name, value, "<=", threshold, Double.NaN, value <= threshold);
    }

    /** value > threshold. */
    public static Check greaterThan(String name, double value, double threshold) {
        return new Check(name, value, ">", threshold, Double.NaN, value > threshold);
    }

    /** value >= threshold. */
    public static Check atLeast(String name, double value, double threshold) {
        return new Check(name, value, ">=", threshold, Double.NaN, value >= threshold);
    }

    /** |value - target| <= tolerance (NaN fails). */
    public static Check near(String name, double value, double target, double tolerance) {
        if (!(tolerance >= 0)) throw new IllegalArgumentException("Check.near: tolerance must be >= 0, got " + tolerance);
        return new Check(name, value, "≈", target, tolerance, Math.abs(value - target) <= tolerance);
    }

    /** A one-line description, e.g. {@code "mu ≈ 8 ± 1e-09: 8.0 (passed)"}. */
    public String describe() {
        String rhs = "≈".equals(relation) ? fmt(threshold) + " ± " + fmt(tolerance) : fmt(threshold);
        return name + ": " + fmt(value) + " " + relation + " " + rhs + (passed ? "  ok" : "  FAILED");
    }

    private static String fmt(double v) { return Fmt.num(v); }
}
