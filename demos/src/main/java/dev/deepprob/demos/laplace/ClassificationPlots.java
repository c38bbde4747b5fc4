package dev.deepprob.demos.laplace;

import dev.deepprob.demos.data.MakeClassification;
import dev.deepprob.demos.plot.ColorMap;
import dev.deepprob.demos.plot.DensityPlot;

import java.awt.Color;
import java.util.function.DoubleBinaryOperator;

/**
 * Figures shared by the classification demos (laplace, elbo, bnn): probability surfaces over the two features with
 * the data on top, and straight decision boundaries of logistic-regression weight vectors [w₀, w₁, w₂].
 */
public final class ClassificationPlots {
    private ClassificationPlots() {}

    /** Class 0 and class 1 point colours (blue and red, as the surfaces' ends). */
    public static final Color CLASS0 = new Color(0x2166ac), CLASS1 = new Color(0xb2182b);

    /** A window of the feature plane. */
    public record Window(double x0, double x1, double y0, double y1) {
        /** The data's bounding box with a margin of {@code pad} times its size on every side. */
        public static Window around(MakeClassification.Dataset d, double pad) {
            double[] a = d.feature(0), b = d.feature(1);
            double ax = min(a), bx = max(a), ay = min(b), by = max(b);
            double px = (bx - ax) * pad, py = (by - ay) * pad;
            return new Window(ax - px, bx + px, ay - py, by + py);
        }
    }

    /** f at the centres of a rows × cols grid over the window; row 0 at the bottom (DensityPlot's convention). */
    public static double[][] grid(DoubleBinaryOperator f, Window w, int cols, int rows) {
        double[][] z = new double[rows][cols];
        double dx = (w.x1() - w.x0()) / cols, dy = (w.y1() - w.y0()) / rows;
        for (int r = 0; r < rows; r++) {
            double y = w.y0() + (r + 0.5) * dy;
            for (int c = 0; c < cols; c++) z[r][c] = f.applyAsDouble(w.x0() + (c + 0.5) * dx, y);
        }
        return z;
    }

    /** A probability surface (blue 0, white ½, red 1) over the window with a colour bar. */
    public static DensityPlot surface(double[][] z, Window w, String title, String barLabel) {
        return new DensityPlot(z, w.x0(), w.x1(), w.y0(), w.y1()).colorMap(ColorMap.BLUE_RED).range(0, 1).title(title)
                .xLabel("feature 1").yLabel("feature 2").colorBar(barLabel).size(760, 620);
    }

    /** The data as discs coloured by class with a dark edge, so they show on either end of the map. */
    public static DensityPlot withData(DensityPlot p, MakeClassification.Dataset d, double radius) {
        double[] a = d.feature(0), b = d.feature(1), y = d.labels();
        int n1 = 0;
        for (double v : y) if (v > 0.5) n1++;
        double[] x0 = new double[y.length - n1], y0 = new double[y.length - n1], x1 = new double[n1], y1 = new double[n1];
        int i0 = 0, i1 = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] > 0.5) {
                x1[i1] = a[i];
                y1[i1++] = b[i];
            } else {
                x0[i0] = a[i];
                y0[i0++] = b[i];
            }
        }
        Color edge = new Color(0x111111);
        return p.points(x0, y0, new Color(0x4393c3), edge, radius, "class 0").points(x1, y1, new Color(0xf4a582), edge, radius, "class 1");
    }

    /**
     * The line w₀ + w₁x₁ + w₂x₂ = 0 across the window, as {x, y} arrays (parameterised by x₁ when the line is closer to
     * horizontal, by x₂ otherwise, so steep lines are drawn as well).
     */
    public static double[][] boundary(double[] w, Window win) {
        int n = 200;
        double[] x = new double[n], y = new double[n];
        if (Math.abs(w[2]) >= Math.abs(w[1])) {
            for (int i = 0; i < n; i++) {
                x[i] = win.x0() + (win.x1() - win.x0()) * i / (n - 1);
                y[i] = -(w[0] + w[1] * x[i]) / w[2];
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[i] = win.y0() + (win.y1() - win.y0()) * i / (n - 1);
                x[i] = -(w[0] + w[2] * y[i]) / w[1];
            }
        }
        return new double[][]{x, y};
    }

    static double min(double[] a) {
        double v = Double.POSITIVE_INFINITY;
        for (double x : a) v = Math.min(v, x);
        return v;
    }

    static double max(double[] a) {
        double v = Double.NEGATIVE_INFINITY;
        for (double x : a) v = Math.max(v, x);
        return v;
    }
}
