package dev.deepprob.demos.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A heat map of values on a regular grid (a density, a probability surface) drawn under axes, with a colour bar
 * and points, lines and contour lines on top: what matplotlib's {@code imshow} / {@code pcolormesh} plus
 * {@code scatter} draw. Rendered with Java2D, no display needed.
 *
 * <p>The grid {@code z[row][col]} holds the value of the cell [xMin + col·dx, xMin + (col+1)·dx) ×
 * [yMin + row·dy, yMin + (row+1)·dy) with dx = (xMax - xMin)/cols and dy likewise: row 0 is at the bottom, as
 * for a grid built from {@code arange(xMin, xMax, dx)}. When the grid is finer than the pixels, each pixel shows
 * the mean of the cells it covers; when coarser, the cell under it.
 */
public final class DensityPlot {
    private record Points(double[] x, double[] y, Color fill, Color edge, double radius, String label) {}

    private record Line(double[] x, double[] y, Color color, float width, boolean dashed, String label) {}

    private record Contour(double level, Color color, float width, String label) {}

    private final double[][] z;
    private final double xMin, xMax, yMin, yMax;
    private double vx0, vx1, vy0, vy1;
    private String title = "", xLabel = "", yLabel = "", colorBarLabel = "";
    private boolean colorBar = true;
    private ColorMap map = ColorMap.VIRIDIS;
    private double vMin = Double.NaN, vMax = Double.NaN;
    private int width = 900, height = 620;
    private final List<Points> points = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private final List<Contour> contours = new ArrayList<>();

    /**
     * @param z    values, z[row][col], rows of equal length, row 0 at yMin
     * @param xMin left edge of column 0
     * @param xMax right edge of the last column
     * @param yMin bottom edge of row 0
     * @param yMax top edge of the last row
     */
    public DensityPlot(double[][] z, double xMin, double xMax, double yMin, double yMax) {
        if (z == null || z.length == 0 || z[0].length == 0) throw new IllegalArgumentException("DensityPlot: the grid must not be empty");
        for (double[] row : z) {
            if (row.length != z[0].length) throw new IllegalArgumentException("DensityPlot: rows must have equal length, got "
                    + z[0].length + " and " + row.length);
        }
        if (!(xMax > xMin) || !(yMax > yMin)) throw new IllegalArgumentException("DensityPlot: need xMin < xMax and yMin < yMax, got x ["
                + xMin + ", " + xMax + "], y [" + yMin + ", " + yMax + "]");
        this.z = z;
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
        this.vx0 = xMin;
        this.vx1 = xMax;
        this.vy0 = yMin;
        this.vy1 = yMax;
    }

    /** A grid from a flat row-major array of {@code rows × cols} values. */
    public static DensityPlot ofFlat(double[] values, int rows, int cols, double xMin, double xMax, double yMin, double yMax) {
        if (values.length != rows * cols) throw new IllegalArgumentException("DensityPlot.ofFlat: " + values.length
                + " values do not fill " + rows + " x " + cols);
        double[][] z = new double[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(values, r * cols, z[r], 0, cols);
        return new DensityPlot(z, xMin, xMax, yMin, yMax);
    }

    public DensityPlot title(String t) { title = t == null ? "" : t; return this; }

    public DensityPlot xLabel(String t) { xLabel = t == null ? "" : t; return this; }

    public DensityPlot yLabel(String t) { yLabel = t == null ? "" : t; return this; }

    public DensityPlot colorMap(ColorMap m) { map = m; return this; }

    /** The colour bar's label; {@code null} hides the bar. */
    public DensityPlot colorBar(String label) {
        colorBar = label != null;
        colorBarLabel = label == null ? "" : label;
        return this;
    }

    /** Values mapped to the ends of the colour map (default: the grid's finite min and max). */
    public DensityPlot range(double lo, double hi) {
        if (!(hi > lo)) throw new IllegalArgumentException("DensityPlot.range: need lo < hi, got " + lo + ", " + hi);
        vMin = lo;
        vMax = hi;
        return this;
    }

    /** The window shown (default: the whole grid): a zoom. */
    public DensityPlot view(double x0, double x1, double y0, double y1) {
        if (!(x1 > x0) || !(y1 > y0)) throw new IllegalArgumentException("DensityPlot.view: need x0 < x1 and y0 < y1");
        vx0 = x0;
        vx1 = x1;
        vy0 = y0;
        vy1 = y1;
        return this;
    }

    /** The image size in pixels. */
    public DensityPlot size(int w, int h) {
        if (w < 200 || h < 150) throw new IllegalArgumentException("DensityPlot.size: at least 200 x 150, got " + w + " x " + h);
        width = w;
        height = h;
        return this;
    }

    /** Points drawn as discs of the given radius (pixels) with an edge; a null label keeps them out of the legend. */
    public DensityPlot points(double[] x, double[] y, Color fill, Color edge, double radius, String label) {
        if (x.length != y.length) throw new IllegalArgumentException("DensityPlot.points: " + x.length + " x values but " + y.length + " y values");
        points.add(new Points(x.clone(), y.clone(), fill, edge, radius, label));
        return this;
    }

    /** A polyline through (x, y); a null label keeps it out of the legend. */
    public DensityPlot line(double[] x, double[] y, Color color, float width, boolean dashed, String label) {
        if (x.length != y.length) throw new IllegalArgumentException("DensityPlot.line: " + x.length + " x values but " + y.length + " y values");
        lines.add(new Line(x.clone(), y.clone(), color, width, dashed, label));
        return this;
    }

    /** The contour line z = level (marching squares over the cell centres). */
    public DensityPlot contour(double level, Color color, float width, String label) {
        contours.add(new Contour(level, color, width, label));
        return this;
    }

    // ------------------------------------------------------------------ rendering

    /** Draws the plot. */
    public BufferedImage render() {
        // fonts and margins follow the size, but text never drops below a readable 14 px
        double scale = Math.max(0.95, Math.min(width / 900.0, height / 620.0));
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.round(15 * scale));
        Font small = font.deriveFont(font.getSize2D() * 0.9f);
        Font titleFont = font.deriveFont(Font.BOLD, font.getSize2D() * 1.1f);
        int left = (int) (78 * scale), bottom = (int) (58 * scale);
        int top = title.isEmpty() ? 18 : (int) (44 * scale);
        int right = colorBar ? (int) (108 * scale) : 22;
        int pw = width - left - right, ph = height - top - bottom;

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        double[] range = valueRange();
        g.drawImage(raster(pw, ph, range[0], range[1]), left, top, null);

        // overlays, clipped to the plot area
        Shape oldClip = g.getClip();
        g.clipRect(left, top, pw, ph);
        for (Contour c : contours) drawContour(g, c, left, top, pw, ph);
        for (Line l : lines) drawLine(g, l, left, top, pw, ph);
        for (Points p : points) drawPoints(g, p, left, top, pw, ph);
        g.setClip(oldClip);

        // frame and ticks
        g.setColor(new Color(0x333333));
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(left, top, pw, ph);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        int tick = 6;
        double xs = Ticks.step(vx0, vx1, Math.max(3, pw / 90));
        for (double t : Ticks.of(vx0, vx1, Math.max(3, pw / 90))) {
            int px = left + (int) Math.round((t - vx0) / (vx1 - vx0) * pw);
            g.drawLine(px, top + ph, px, top + ph + tick);
            String s = Ticks.label(t, xs);
            g.drawString(s, px - fm.stringWidth(s) / 2, top + ph + tick + fm.getAscent() + 2);
        }
        double ys = Ticks.step(vy0, vy1, Math.max(3, ph / 65));
        for (double t : Ticks.of(vy0, vy1, Math.max(3, ph / 65))) {
            int py = top + ph - (int) Math.round((t - vy0) / (vy1 - vy0) * ph);
            g.drawLine(left - tick, py, left, py);
            String s = Ticks.label(t, ys);
            g.drawString(s, left - tick - 4 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }

        // labels and title
        g.setFont(font);
        fm = g.getFontMetrics();
        if (!xLabel.isEmpty()) g.drawString(xLabel, left + pw / 2 - fm.stringWidth(xLabel) / 2, height - (int) (12 * scale));
        if (!yLabel.isEmpty()) drawRotated(g, yLabel, (int) (20 * scale), top + ph / 2);
        if (!title.isEmpty()) {
            g.setFont(titleFont);
            FontMetrics tf = g.getFontMetrics();
            g.drawString(title, left + pw / 2 - tf.stringWidth(title) / 2, top - (int) (14 * scale));
        }
        if (colorBar) drawColorBar(g, range, left + pw + (int) (18 * scale), top, (int) (18 * scale), ph, small, font);
        drawLegend(g, left, top, small);
        g.dispose();
        return img;
    }

    private double[] valueRange() {
        double lo = vMin, hi = vMax;
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            double mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY;
            for (double[] row : z) {
                for (double v : row) {
                    if (Double.isFinite(v)) {
                        mn = Math.min(mn, v);
                        mx = Math.max(mx, v);
                    }
                }
            }
            if (mn > mx) { mn = 0; mx = 1; }
            if (mn == mx) { mn -= 0.5; mx += 0.5; }
            if (Double.isNaN(lo)) lo = mn;
            if (Double.isNaN(hi)) hi = mx;
        }
        return new double[]{lo, hi};
    }

    /** The grid resampled to pw × ph pixels (box average where the grid is finer) and coloured. */
    private BufferedImage raster(int pw, int ph, double lo, double hi) {
        int rows = z.length, cols = z[0].length;
        int[] c0 = new int[pw], c1 = new int[pw], r0 = new int[ph], r1 = new int[ph];
        for (int i = 0; i < pw; i++) {
            double xa = vx0 + (vx1 - vx0) * i / pw, xb = vx0 + (vx1 - vx0) * (i + 1) / pw;
            double ga = (xa - xMin) / (xMax - xMin) * cols, gb = (xb - xMin) / (xMax - xMin) * cols;
            c0[i] = (int) Math.floor(ga + 1e-9);
            c1[i] = Math.max(c0[i] + 1, (int) Math.ceil(gb - 1e-9));
        }
        for (int j = 0; j < ph; j++) {
            // pixel row j counts from the top: its y range runs from the top of the window down
            double yb = vy1 - (vy1 - vy0) * j / ph, ya = vy1 - (vy1 - vy0) * (j + 1) / ph;
            double ga = (ya - yMin) / (yMax - yMin) * rows, gb = (yb - yMin) / (yMax - yMin) * rows;
            r0[j] = (int) Math.floor(ga + 1e-9);
            r1[j] = Math.max(r0[j] + 1, (int) Math.ceil(gb - 1e-9));
        }
        BufferedImage img = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        int background = 0xffffff;
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                double sum = 0;
                int n = 0;
                for (int r = Math.max(0, r0[j]); r < Math.min(rows, r1[j]); r++) {
                    double[] row = z[r];
                    for (int c = Math.max(0, c0[i]); c < Math.min(cols, c1[i]); c++) {
                        double v = row[c];
                        if (!Double.isNaN(v)) {
                            sum += v;
                            n++;
                        }
                    }
                }
                img.setRGB(i, j, n == 0 ? background : map.rgb((sum / n - lo) / (hi - lo)));
            }
        }
        return img;
    }

    private double px(double x, int left, int pw) { return left + (x - vx0) / (vx1 - vx0) * pw; }

    private double py(double y, int top, int ph) { return top + ph - (y - vy0) / (vy1 - vy0) * ph; }

    private static BasicStroke stroke(float w, boolean dashed) {
        return dashed ? new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{7 * w / 2 + 3, 4 * w / 2 + 2}, 0f)
                : new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private void drawLine(Graphics2D g, Line l, int left, int top, int pw, int ph) {
        Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < l.x().length; i++) {
            double x = l.x()[i], y = l.y()[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                pen = false;
                continue;
            }
            // keep far-away points from overflowing Java2D's float coordinates
            double qx = Math.max(-1e5, Math.min(1e5, px(x, left, pw))), qy = Math.max(-1e5, Math.min(1e5, py(y, top, ph)));
            if (pen) path.lineTo(qx, qy);
            else path.moveTo(qx, qy);
            pen = true;
        }
        g.setColor(l.color());
        g.setStroke(stroke(l.width(), l.dashed()));
        g.draw(path);
    }

    private void drawPoints(Graphics2D g, Points p, int left, int top, int pw, int ph) {
        double r = p.radius();
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < p.x().length; i++) {
            Ellipse2D.Double e = new Ellipse2D.Double(px(p.x()[i], left, pw) - r, py(p.y()[i], top, ph) - r, 2 * r, 2 * r);
            if (p.fill() != null) {
                g.setColor(p.fill());
                g.fill(e);
            }
            if (p.edge() != null) {
                g.setColor(p.edge());
                g.draw(e);
            }
        }
    }

    /** Marching squares over the cell centres: one or two segments per cell that the level crosses. */
    private void drawContour(Graphics2D g, Contour c, int left, int top, int pw, int ph) {
        int rows = z.length, cols = z[0].length;
        double dx = (xMax - xMin) / cols, dy = (yMax - yMin) / rows, lv = c.level();
        g.setColor(c.color());
        g.setStroke(stroke(c.width(), false));
        for (int r = 0; r + 1 < rows; r++) {
            double y0 = yMin + (r + 0.5) * dy, y1 = y0 + dy;
            if (y1 < vy0 || y0 > vy1) continue;
            for (int k = 0; k + 1 < cols; k++) {
                double x0 = xMin + (k + 0.5) * dx, x1 = x0 + dx;
                if (x1 < vx0 || x0 > vx1) continue;
                double a = z[r][k], b = z[r][k + 1], cc = z[r + 1][k + 1], d = z[r + 1][k];   // corners: bl, br, tr, tl
                if (Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(cc) || Double.isNaN(d)) continue;
                int idx = (a > lv ? 1 : 0) | (b > lv ? 2 : 0) | (cc > lv ? 4 : 0) | (d > lv ? 8 : 0);
                if (idx == 0 || idx == 15) continue;
                // crossing points on the edges: bottom, right, top, left
                double[] ex = new double[4], ey = new double[4];
                ex[0] = x0 + dx * frac(a, b, lv); ey[0] = y0;
                ex[1] = x1; ey[1] = y0 + dy * frac(b, cc, lv);
                ex[2] = x0 + dx * frac(d, cc, lv); ey[2] = y1;
                ex[3] = x0; ey[3] = y0 + dy * frac(a, d, lv);
                int[][] segs = switch (idx) {
                    case 1, 14 -> new int[][]{{3, 0}};
                    case 2, 13 -> new int[][]{{0, 1}};
                    case 3, 12 -> new int[][]{{3, 1}};
                    case 4, 11 -> new int[][]{{1, 2}};
                    case 6, 9 -> new int[][]{{0, 2}};
                    case 7, 8 -> new int[][]{{3, 2}};
                    case 5, 10 -> {
                        boolean centreAbove = (a + b + cc + d) / 4 > lv;
                        boolean split = (idx == 5) == centreAbove;
                        yield split ? new int[][]{{3, 2}, {0, 1}} : new int[][]{{3, 0}, {1, 2}};
                    }
                    default -> new int[0][];
                };
                for (int[] s : segs) {
                    g.draw(new Line2D.Double(px(ex[s[0]], left, pw), py(ey[s[0]], top, ph), px(ex[s[1]], left, pw), py(ey[s[1]], top, ph)));
                }
            }
        }
    }

    private static double frac(double a, double b, double lv) {
        double d = b - a;
        return d == 0 ? 0.5 : Math.max(0, Math.min(1, (lv - a) / d));
    }

    private void drawColorBar(Graphics2D g, double[] range, int x, int y, int w, int h, Font small, Font font) {
        for (int j = 0; j < h; j++) {
            g.setColor(map.color(1 - (j + 0.5) / h));
            g.fillRect(x, y + j, w, 1);
        }
        g.setColor(new Color(0x333333));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y, w, h);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        double step = Ticks.step(range[0], range[1], 5);
        int maxW = 0;
        for (double t : Ticks.of(range[0], range[1], 5)) {
            int py = y + h - (int) Math.round((t - range[0]) / (range[1] - range[0]) * h);
            g.drawLine(x + w, py, x + w + 4, py);
            String s = Ticks.label(t, step);
            maxW = Math.max(maxW, fm.stringWidth(s));
            g.drawString(s, x + w + 7, py + fm.getAscent() / 2 - 1);
        }
        if (!colorBarLabel.isEmpty()) {
            g.setFont(font);
            drawRotated(g, colorBarLabel, x + w + 14 + maxW + g.getFontMetrics().getAscent() / 2, y + h / 2);
        }
    }

    private void drawLegend(Graphics2D g, int left, int top, Font small) {
        List<String> labels = new ArrayList<>();
        List<Object> what = new ArrayList<>();
        for (Line l : lines) if (l.label() != null) { labels.add(l.label()); what.add(l); }
        for (Contour c : contours) if (c.label() != null) { labels.add(c.label()); what.add(c); }
        for (Points p : points) if (p.label() != null) { labels.add(p.label()); what.add(p); }
        if (labels.isEmpty()) return;
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        int lh = fm.getHeight() + 4, sw = 30, pad = 8;
        int tw = labels.stream().mapToInt(fm::stringWidth).max().orElse(0);
        int bw = pad * 3 + sw + tw, bh = pad * 2 + lh * labels.size() - 4;
        int bx = left + 10, by = top + 10;
        // white lines need a dark box to be seen; otherwise a light one
        boolean dark = what.stream().anyMatch(o -> o instanceof Line l && luminance(l.color()) > 0.8
                || o instanceof Contour c && luminance(c.color()) > 0.8);
        g.setColor(dark ? new Color(40, 40, 48, 205) : new Color(255, 255, 255, 215));
        g.fillRoundRect(bx, by, bw, bh, 8, 8);
        g.setColor(dark ? new Color(0x777777) : new Color(0xbbbbbb));
        g.setStroke(new BasicStroke(1f));
        g.drawRoundRect(bx, by, bw, bh, 8, 8);
        for (int i = 0; i < labels.size(); i++) {
            int cy = by + pad + i * lh + lh / 2 - 2;
            Object o = what.get(i);
            if (o instanceof Line l) {
                g.setColor(l.color());
                g.setStroke(stroke(l.width(), l.dashed()));
                g.draw(new Line2D.Double(bx + pad, cy, bx + pad + sw, cy));
            } else if (o instanceof Contour c) {
                g.setColor(c.color());
                g.setStroke(stroke(c.width(), false));
                g.draw(new Line2D.Double(bx + pad, cy, bx + pad + sw, cy));
            } else if (o instanceof Points p) {
                double r = Math.max(3, p.radius());
                Ellipse2D.Double e = new Ellipse2D.Double(bx + pad + sw / 2.0 - r, cy - r, 2 * r, 2 * r);
                if (p.fill() != null) { g.setColor(p.fill()); g.fill(e); }
                if (p.edge() != null) { g.setColor(p.edge()); g.setStroke(new BasicStroke(1f)); g.draw(e); }
            }
            g.setColor(dark ? Color.WHITE : new Color(0x222222));
            g.drawString(labels.get(i), bx + pad * 2 + sw, cy + fm.getAscent() / 2 - 1);
        }
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255;
    }

    private static void drawRotated(Graphics2D g, String s, int cx, int cy) {
        AffineTransform old = g.getTransform();
        FontMetrics fm = g.getFontMetrics();
        g.translate(cx, cy);
        g.rotate(-Math.PI / 2);
        g.drawString(s, -fm.stringWidth(s) / 2, fm.getAscent() / 2 - 2);
        g.setTransform(old);
    }
}
