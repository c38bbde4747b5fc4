package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * The mode-collapse metric of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018) for samples of a mixture
 * of isotropic Gaussians with known centres: a sample is of high quality when it lies within a few (3) standard
 * deviations of its nearest centre, and a mode is covered when it is the nearest centre of enough (at least one)
 * high-quality samples. Immutable; the centres are copied.
 */
public final class ModeCoverage {
    private final double[][] centres;
    private final double std, radius;
    private final int dims, minPerMode;

    /** The score of one set of samples: modes covered, the share of high-quality samples, and those nearest each centre. */
    public record Score(int modes, double highQuality, int[] perMode, int samples) {
        /** The number of modes scored against. */
        public int totalModes() { return perMode.length; }

        @Override
        public String toString() {
            return "Score(" + modes + " of " + perMode.length + " modes, " + 100 * highQuality + "% high quality of " + samples
                    + ", per mode " + Arrays.toString(perMode) + ")";
        }
    }

    private ModeCoverage(double[][] centres, double std, double stds, int minPerMode) {
        String op = "ModeCoverage.of";
        if (centres == null || centres.length == 0) throw new IllegalArgumentException(op + ": at least one centre is needed, got none");
        int d = centres[0] == null ? 0 : centres[0].length;
        if (d == 0) throw new IllegalArgumentException(op + ": centre 0 has no coordinates");
        this.centres = new double[centres.length][];
        for (int k = 0; k < centres.length; k++) {
            if (centres[k] == null || centres[k].length != d) throw new IllegalArgumentException(op + ": centre " + k + " has "
                    + (centres[k] == null ? "no" : String.valueOf(centres[k].length)) + " coordinates, expected " + d + " as centre 0");
            for (double v : centres[k]) if (!Double.isFinite(v)) throw new IllegalArgumentException(op + ": centre " + k + " is not finite: "
                    + Arrays.toString(centres[k]));
            this.centres[k] = centres[k].clone();
        }
        if (!(std > 0) || !Double.isFinite(std)) throw new IllegalArgumentException(op + ": std must be finite and > 0, got " + std);
        if (!(stds > 0) || !Double.isFinite(stds)) throw new IllegalArgumentException(op + ": stds must be finite and > 0, got " + stds);
        if (minPerMode < 1) throw new IllegalArgumentException(op + ": minPerMode must be >= 1, got " + minPerMode);
        this.dims = d;
        this.std = std;
        this.radius = stds * std;
        this.minPerMode = minPerMode;
    }

    /** The published protocol: high quality within 3 standard deviations, a mode covered by one high-quality sample. */
    public static ModeCoverage of(double[][] centres, double std) { return new ModeCoverage(centres, std, 3, 1); }

    /**
     * A variant: high quality within {@code stds} standard deviations, a mode covered by at least {@code minPerMode}
     * high-quality samples (the tutorial's mode-dropping demo asks for 1% of them).
     */
    public static ModeCoverage of(double[][] centres, double std, double stds, int minPerMode) {
        return new ModeCoverage(centres, std, stds, minPerMode);
    }

    /** {@code n} centres evenly on a circle of radius {@code radius} about the origin, the first at angle 0 (the 2-D ring benchmark). */
    public static double[][] ring(int n, double radius) {
        if (n < 1) throw new IllegalArgumentException("ModeCoverage.ring: n must be >= 1, got " + n);
        if (!(radius > 0) || !Double.isFinite(radius)) throw new IllegalArgumentException("ModeCoverage.ring: radius must be finite and > 0, got " + radius);
        double[][] c = new double[n][];
        for (int k = 0; k < n; k++) c[k] = new double[]{radius * Math.cos(2 * Math.PI * k / n), radius * Math.sin(2 * Math.PI * k / n)};
        return c;
    }

    /** A {@code side} x {@code side} grid of centres {@code spacing} apart, centred on the origin, row by row (the 2-D grid benchmark). */
    public static double[][] grid(int side, double spacing) {
        if (side < 1) throw new IllegalArgumentException("ModeCoverage.grid: side must be >= 1, got " + side);
        if (!(spacing > 0) || !Double.isFinite(spacing)) throw new IllegalArgumentException("ModeCoverage.grid: spacing must be finite and > 0, got " + spacing);
        double[][] c = new double[side * side][];
        double off = (side - 1) / 2.0;
        for (int i = 0; i < side; i++) for (int j = 0; j < side; j++) c[i * side + j] = new double[]{(i - off) * spacing, (j - off) * spacing};
        return c;
    }

    /** The centres (a copy). */
    public double[][] centres() {
        double[][] c = new double[centres.length][];
        for (int k = 0; k < c.length; k++) c[k] = centres[k].clone();
        return c;
    }

    /** The mixture's standard deviation. */
    public double std() { return std; }

    /** The high-quality radius: the number of standard deviations times the standard deviation. */
    public double radius() { return radius; }

    /** High-quality samples a mode needs to count as covered. */
    public int minPerMode() { return minPerMode; }

    /** Scores (n, dims) samples. */
    public Score score(Tensor samples) {
        if (samples == null) throw new IllegalArgumentException("ModeCoverage.score: samples must not be null");
        if (samples.dim() != 2 || samples.shape(1) != dims) throw new IllegalArgumentException("ModeCoverage.score: samples must be (n, "
                + dims + "), got " + Shapes.str(samples.dims()));
        return score(samples.toDoubleArray());
    }

    /**
     * Scores samples given row-major, {@code dims} numbers each. A sample that is not finite is never of high quality.
     * @throws IllegalArgumentException when the length is not a positive multiple of the centres' dimension
     */
    public Score score(double[] samples) {
        if (samples == null || samples.length == 0 || samples.length % dims != 0) throw new IllegalArgumentException("ModeCoverage.score: "
                + "expected a positive multiple of " + dims + " numbers (rows of " + dims + "), got " + (samples == null ? "null" : samples.length));
        int n = samples.length / dims, hq = 0;
        int[] per = new int[centres.length];
        double r2 = radius * radius;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int k = 0; k < centres.length; k++) {
                double d2 = 0;
                for (int j = 0; j < dims; j++) {
                    double e = samples[i * dims + j] - centres[k][j];
                    d2 += e * e;
                }
                if (d2 < bd) {
                    bd = d2;
                    best = k;
                }
            }
            if (best >= 0 && bd <= r2) {
                hq++;
                per[best]++;
            }
        }
        int modes = 0;
        for (int c : per) if (c >= minPerMode) modes++;
        return new Score(modes, (double) hq / n, per, n);
    }

    @Override
    public String toString() {
        return "ModeCoverage(" + centres.length + " centres in " + dims + "-D, std " + std + ", high quality within " + radius
                + ", covered with >= " + minPerMode + ")";
    }
}
