package dev.deepprob.demos.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Line and scatter plots with XChart in one house style (white, light grid, legend inside), and composition of
 * several images into panels. Series without a label stay out of the legend.
 */
public final class Plots {
    private Plots() {}

    /** Matplotlib's "tab10" colours, the default colour cycle of the original plots. */
    public static final Color BLUE = new Color(0x1f77b4), ORANGE = new Color(0xff7f0e), GREEN = new Color(0x2ca02c),
            RED = new Color(0xd62728), PURPLE = new Color(0x9467bd), BROWN = new Color(0x8c564b), PINK = new Color(0xe377c2),
            GREY = new Color(0x7f7f7f), OLIVE = new Color(0xbcbd22), CYAN = new Color(0x17becf);

    /** The colour cycle, in matplotlib's order. */
    public static final List<Color> CYCLE = List.of(BLUE, ORANGE, GREEN, RED, PURPLE, BROWN, PINK, GREY, OLIVE, CYAN);

    /** The i-th colour of the cycle (wrapping). */
    public static Color cycle(int i) { return CYCLE.get(Math.floorMod(i, CYCLE.size())); }

    /** An empty XY chart of the given size in the house style. */
    public static XYChart xy(String title, String xLabel, String yLabel, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title == null ? "" : title)
                .xAxisTitle(xLabel == null ? "" : xLabel).yAxisTitle(yLabel == null ? "" : yLabel).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new Color(0x333333));
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(new Color(0xe6e6e6));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickMarkLength(5);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBorderColor(new Color(0xbbbbbb));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setChartPadding(12);
        s.setMarkerSize(6);
        s.setAntiAlias(true);
        s.setToolTipsEnabled(false);
        s.setChartFontColor(new Color(0x222222));
        s.setAxisTickLabelsColor(new Color(0x333333));
        return c;
    }

    /**
     * Every font of the chart (title, axis titles, tick labels, legend) scaled by {@code factor}: for figures shown
     * smaller than their pixel size, or with long legends.
     */
    public static XYChart larger(XYChart c, float factor) {
        if (!(factor > 0) || !Float.isFinite(factor)) throw new IllegalArgumentException("Plots.larger: factor must be a positive number, got " + factor);
        XYStyler s = c.getStyler();
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(s.getChartTitleFont().getSize2D() * factor));
        s.setAxisTitleFont(s.getAxisTitleFont().deriveFont(s.getAxisTitleFont().getSize2D() * factor));
        s.setAxisTickLabelsFont(s.getAxisTickLabelsFont().deriveFont(s.getAxisTickLabelsFont().getSize2D() * factor));
        s.setLegendFont(s.getLegendFont().deriveFont(s.getLegendFont().getSize2D() * factor));
        return c;
    }

    /** The axis window (NaN leaves an end automatic). */
    public static XYChart limits(XYChart c, double xMin, double xMax, double yMin, double yMax) {
        XYStyler s = c.getStyler();
        if (!Double.isNaN(xMin)) s.setXAxisMin(xMin);
        if (!Double.isNaN(xMax)) s.setXAxisMax(xMax);
        if (!Double.isNaN(yMin)) s.setYAxisMin(yMin);
        if (!Double.isNaN(yMax)) s.setYAxisMax(yMax);
        return c;
    }

    private static String seriesName(XYChart c, String label) {
        if (label != null) return label;
        int i = c.getSeriesMap().size();
        String n;
        do {
            n = "\u200b" + i++;   // unlabelled: unique, invisible, kept out of the legend
        } while (c.getSeriesMap().containsKey(n));
        return n;
    }

    /** A solid line; a null label keeps it out of the legend. */
    public static XYSeries line(XYChart c, String label, double[] x, double[] y, Color color, float width) {
        return line(c, label, x, y, color, width, false);
    }

    /** A line, dashed or solid. */
    public static XYSeries line(XYChart c, String label, double[] x, double[] y, Color color, float width, boolean dashed) {
        check("line", x, y);
        XYSeries s = c.addSeries(seriesName(c, label), x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{8f, 5f}, 0f)
                : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        s.setShowInLegend(label != null);
        return s;
    }

    /** Points as filled circles. */
    public static XYSeries scatter(XYChart c, String label, double[] x, double[] y, Color color, int size) {
        check("scatter", x, y);
        XYSeries s = c.addSeries(seriesName(c, label), x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        s.setShowInLegend(label != null);
        c.getStyler().setMarkerSize(size);
        return s;
    }

    /** A vertical line at x from y0 to y1 (e.g. to mark an optimum). */
    public static XYSeries vline(XYChart c, String label, double x, double y0, double y1, Color color, float width) {
        return line(c, label, new double[]{x, x}, new double[]{y0, y1}, color, width, true);
    }

    private static void check(String op, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("Plots." + op + ": " + x.length + " x values but " + y.length + " y values");
        if (x.length == 0) throw new IllegalArgumentException("Plots." + op + ": no points");
    }

    private static final String TICK_GUARD = "\u200bticks";

    /**
     * The chart drawn into an image. When the x values of all series together are equally spaced (a grid), XChart
     * puts its ticks at data values (labels like 3.1999999999999971); one hidden point off the grid makes it
     * choose round ticks instead. Linear axes get labels without a leading-dot style ("0.05", not ".05").
     */
    public static BufferedImage image(XYChart c) {
        if (!c.getSeriesMap().containsKey(TICK_GUARD) && !c.getSeriesMap().isEmpty()) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, y0 = Double.NaN;
            for (XYSeries s : c.getSeriesMap().values()) {
                for (double v : s.getXData()) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                if (Double.isNaN(y0) && s.getYData().length > 0) y0 = s.getYData()[0];
            }
            if (hi > lo && Double.isFinite(y0)) {
                XYSeries g = c.addSeries(TICK_GUARD, new double[]{lo + (hi - lo) * 0.1234567891}, new double[]{y0});
                g.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                g.setMarker(SeriesMarkers.NONE);
                g.setLineColor(new Color(0, 0, 0, 0));
                g.setShowInLegend(false);
            }
        }
        XYStyler s = c.getStyler();
        if (!s.isXAxisLogarithmic() && s.getXAxisDecimalPattern() == null) s.setXAxisDecimalPattern("0.###");
        if (!s.isYAxisLogarithmic() && s.getYAxisDecimalPattern() == null) s.setYAxisDecimalPattern("0.###");
        return BitmapEncoder.getBufferedImage(c);
    }

    /**
     * Images side by side in a grid of {@code cols} columns (each cell the size of the largest image), under an
     * optional bold title.
     */
    public static BufferedImage panels(String title, int cols, List<BufferedImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("Plots.panels: no images");
        if (cols < 1) throw new IllegalArgumentException("Plots.panels: cols must be >= 1, got " + cols);
        int cw = 0, ch = 0;
        for (BufferedImage im : images) {
            cw = Math.max(cw, im.getWidth());
            ch = Math.max(ch, im.getHeight());
        }
        int rows = (images.size() + cols - 1) / cols, c = Math.min(cols, images.size());
        int head = title == null || title.isEmpty() ? 0 : 44;
        BufferedImage out = new BufferedImage(c * cw, rows * ch + head, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        if (head > 0) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 19));
            g.setColor(new Color(0x222222));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, out.getWidth() / 2 - fm.stringWidth(title) / 2, 30);
        }
        for (int i = 0; i < images.size(); i++) {
            BufferedImage im = images.get(i);
            int x = (i % cols) * cw + (cw - im.getWidth()) / 2, y = head + (i / cols) * ch + (ch - im.getHeight()) / 2;
            g.drawImage(im, x, y, null);
        }
        g.dispose();
        return out;
    }

    /** As {@link #panels(String, int, List)}. */
    public static BufferedImage panels(String title, int cols, BufferedImage... images) { return panels(title, cols, List.of(images)); }
}
