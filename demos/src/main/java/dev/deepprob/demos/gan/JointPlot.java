package dev.deepprob.demos.gan;

import dev.deepprob.demos.plot.Ticks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A scatter plot with the marginal histograms of both coordinates above and to the right of it (what seaborn's
 * {@code jointplot} draws), for one or more point sets, drawn with Java2D. Histograms are densities, so sets of
 * different sizes compare.
 */
public final class JointPlot {
    private record Series(String label, double[] x, double[] y, Color color) {}

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private double x0 = Double.NaN, x1, y0, y1;
    private int width = 760, height = 760, bins = 40;
    private double radius = 2.2;

    /** An empty plot with a title and axis labels. */
    public JointPlot(String title, String xLabel, String yLabel) {
        this.title = title == null ? "" : title;
        this.xLabel = xLabel == null ? "" : xLabel;
        this.yLabel = yLabel == null ? "" : yLabel;
    }

    /** Adds a point set (x, y of equal length); a null label keeps it out of the legend. */
    public JointPlot series(String label, double[] x, double[] y, Color color) {
        if (x.length != y.length) throw new IllegalArgumentException("JointPlot.series: " + x.length + " x values but " + y.length + " y values");
        if (x.length == 0) throw new IllegalArgumentException("JointPlot.series: no points");
        series.add(new Series(label, x.clone(), y.clone(), color));
        return this;
    }

    /** The axis window (default: the data's range with a margin). */
    public JointPlot limits(double xMin, double xMax, double yMin, double yMax) {
        if (!(xMax > xMin) || !(yMax > yMin)) throw new IllegalArgumentException("JointPlot.limits: need min < max");
        x0 = xMin;
        x1 = xMax;
        y0 = yMin;
        y1 = yMax;
        return this;
    }

    /** The image size in pixels. */
    public JointPlot size(int w, int h) {
        if (w < 300 || h < 300) throw new IllegalArgumentException("JointPlot.size: at least 300 x 300, got " + w + " x " + h);
        width = w;
        height = h;
        return this;
    }

    /** Histogram bins over each axis window (default 40). */
    public JointPlot bins(int n) {
        if (n < 2) throw new IllegalArgumentException("JointPlot.bins: at least 2, got " + n);
        bins = n;
        return this;
    }

    /** The point radius in pixels (default 2.2). */
    public JointPlot pointRadius(double r) {
        radius = r;
        return this;
    }

    /** Draws the plot. */
    public BufferedImage render() {
        if (series.isEmpty()) throw new IllegalStateException("JointPlot.render: no series");
        if (Double.isNaN(x0)) autoLimits();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 15), small = font.deriveFont(13f), bold = font.deriveFont(Font.BOLD, 16f);

        int left = 70, bottom = 56, top = title.isEmpty() ? 14 : 40, right = 16, gap = 6;
        int margW = (int) ((width - left - right) * 0.18), margH = (int) ((height - top - bottom) * 0.18);
        int pw = width - left - right - margW - gap, ph = height - top - bottom - margH - gap;
        int px = left, py = top + margH + gap;

        // marginal histograms (densities): x above, y to the right
        double[][] hx = new double[series.size()][], hy = new double[series.size()][];
        double maxX = 0, maxY = 0;
        for (int s = 0; s < series.size(); s++) {
            hx[s] = histogram(series.get(s).x, x0, x1);
            hy[s] = histogram(series.get(s).y, y0, y1);
            for (double v : hx[s]) maxX = Math.max(maxX, v);
            for (double v : hy[s]) maxY = Math.max(maxY, v);
        }
        for (int s = 0; s < series.size(); s++) {
            Color c = series.get(s).color;
            Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 90);
            for (int b = 0; b < bins; b++) {
                double bw = (double) pw / bins, h = hx[s][b] / maxX * (margH - 4);
                Rectangle2D r = new Rectangle2D.Double(px + b * bw, top + margH - h, bw, h);
                g.setColor(fill);
                g.fill(r);
                g.setColor(c);
                g.setStroke(new BasicStroke(0.8f));
                g.draw(r);
                double bh = (double) ph / bins, w = hy[s][b] / maxY * (margW - 4);
                Rectangle2D q = new Rectangle2D.Double(px + pw + gap, py + ph - (b + 1) * bh, w, bh);
                g.setColor(fill);
                g.fill(q);
                g.setColor(c);
                g.draw(q);
            }
        }

        // the scatter, clipped to the plot area
        g.setClip(px, py, pw, ph);
        for (Series s : series) {
            Color c = new Color(s.color.getRed(), s.color.getGreen(), s.color.getBlue(), 150);
            g.setColor(c);
            for (int i = 0; i < s.x.length; i++) {
                double sx = px + (s.x[i] - x0) / (x1 - x0) * pw, sy = py + ph - (s.y[i] - y0) / (y1 - y0) * ph;
                g.fill(new Ellipse2D.Double(sx - radius, sy - radius, 2 * radius, 2 * radius));
            }
        }
        g.setClip(null);

        // frames, ticks and labels
        g.setColor(new Color(0x333333));
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(px, py, pw, ph);
        g.drawLine(px, top + margH, px + pw, top + margH);
        g.drawLine(px + pw + gap, py, px + pw + gap, py + ph);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        double xs = Ticks.step(x0, x1, 6);
        for (double t : Ticks.of(x0, x1, 6)) {
            int tx = px + (int) Math.round((t - x0) / (x1 - x0) * pw);
            g.drawLine(tx, py + ph, tx, py + ph + 5);
            String lab = Ticks.label(t, xs);
            g.drawString(lab, tx - fm.stringWidth(lab) / 2, py + ph + 7 + fm.getAscent());
        }
        double ys = Ticks.step(y0, y1, 6);
        for (double t : Ticks.of(y0, y1, 6)) {
            int ty = py + ph - (int) Math.round((t - y0) / (y1 - y0) * ph);
            g.drawLine(px - 5, ty, px, ty);
            String lab = Ticks.label(t, ys);
            g.drawString(lab, px - 8 - fm.stringWidth(lab), ty + fm.getAscent() / 2 - 1);
        }
        g.setFont(font);
        fm = g.getFontMetrics();
        g.drawString(xLabel, px + pw / 2 - fm.stringWidth(xLabel) / 2, height - 14);
        AffineTransform old = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(py + ph / 2) - fm.stringWidth(yLabel) / 2, 20);
        g.setTransform(old);
        if (!title.isEmpty()) {
            g.setFont(bold);
            fm = g.getFontMetrics();
            g.drawString(title, width / 2 - fm.stringWidth(title) / 2, 26);
        }

        // legend, inside the scatter's upper left corner
        g.setFont(small);
        fm = g.getFontMetrics();
        int ly = py + 10, lx = px + 10, n = 0;
        int lw = 0;
        for (Series s : series) if (s.label != null) lw = Math.max(lw, fm.stringWidth(s.label));
        long labelled = series.stream().filter(s -> s.label != null).count();
        if (labelled > 0) {
            g.setColor(new Color(255, 255, 255, 220));
            g.fillRect(lx - 4, ly - 4, lw + 32, (int) labelled * (fm.getHeight() + 2) + 6);
            g.setColor(new Color(0xbbbbbb));
            g.drawRect(lx - 4, ly - 4, lw + 32, (int) labelled * (fm.getHeight() + 2) + 6);
            for (Series s : series) {
                if (s.label == null) continue;
                int yy = ly + n * (fm.getHeight() + 2);
                g.setColor(s.color);
                g.fill(new Ellipse2D.Double(lx + 4, yy + fm.getHeight() / 2.0 - 4, 8, 8));
                g.setColor(new Color(0x222222));
                g.drawString(s.label, lx + 20, yy + fm.getAscent());
                n++;
            }
        }
        g.dispose();
        return img;
    }

    private double[] histogram(double[] v, double lo, double hi) {
        double[] h = new double[bins];
        double w = (hi - lo) / bins;
        for (double d : v) {
            int b = (int) Math.floor((d - lo) / w);
            if (b >= 0 && b < bins) h[b]++;
        }
        for (int b = 0; b < bins; b++) h[b] /= v.length * w;
        return h;
    }

    private void autoLimits() {
        double a = Double.POSITIVE_INFINITY, b = Double.NEGATIVE_INFINITY, c = Double.POSITIVE_INFINITY, d = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.x) if (Double.isFinite(v)) {
                a = Math.min(a, v);
                b = Math.max(b, v);
            }
            for (double v : s.y) if (Double.isFinite(v)) {
                c = Math.min(c, v);
                d = Math.max(d, v);
            }
        }
        if (!(b > a)) {
            a -= 1;
            b += 1;
        }
        if (!(d > c)) {
            c -= 1;
            d += 1;
        }
        double mx = 0.05 * (b - a), my = 0.05 * (d - c);
        x0 = a - mx;
        x1 = b + mx;
        y0 = c - my;
        y1 = d + my;
    }
}
