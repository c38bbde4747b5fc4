package dev.deepprob.demos;

import dev.deepprob.demos.plot.ColorMap;
import dev.deepprob.demos.plot.DensityPlot;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.demos.plot.Ticks;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void densityPlotPutsValuesWhereTheyBelong() {
        // left half 0, right half 1, on x in [0, 2), y in [0, 1): the bottom-left corner is low, the top-right high
        double[][] z = new double[10][20];
        for (double[] row : z) for (int i = 10; i < 20; i++) row[i] = 1;
        BufferedImage img = new DensityPlot(z, 0, 2, 0, 1).colorBar(null).size(600, 400).render();
        int low = ColorMap.VIRIDIS.rgb(0), high = ColorMap.VIRIDIS.rgb(1);
        // the plot area spans from the left margin to the right margin; sample well inside each half
        assertEquals(low, img.getRGB(150, 200) & 0xffffff);
        assertEquals(high, img.getRGB(500, 200) & 0xffffff);
        assertEquals(Color.WHITE.getRGB() & 0xffffff, img.getRGB(2, 2) & 0xffffff, "white margin");
    }

    @Test
    void largerScalesEveryFontAndRejectsBadFactors() {
        XYChart c = Plots.xy("t", "x", "y", 300, 200);
        float title = c.getStyler().getChartTitleFont().getSize2D(), legend = c.getStyler().getLegendFont().getSize2D();
        float ticks = c.getStyler().getAxisTickLabelsFont().getSize2D(), axis = c.getStyler().getAxisTitleFont().getSize2D();
        Plots.larger(c, 1.5f);
        assertEquals(1.5f * title, c.getStyler().getChartTitleFont().getSize2D(), 1e-4);
        assertEquals(1.5f * legend, c.getStyler().getLegendFont().getSize2D(), 1e-4);
        assertEquals(1.5f * ticks, c.getStyler().getAxisTickLabelsFont().getSize2D(), 1e-4);
        assertEquals(1.5f * axis, c.getStyler().getAxisTitleFont().getSize2D(), 1e-4);
        var e = assertThrows(IllegalArgumentException.class, () -> Plots.larger(c, 0f));
        assertTrue(e.getMessage().contains("Plots.larger") && e.getMessage().contains("got 0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.larger(c, Float.NaN));
    }

    @Test
    void rowZeroIsAtTheBottom() {
        double[][] z = {{0, 0}, {1, 1}};
        BufferedImage img = new DensityPlot(z, 0, 1, 0, 1).colorBar(null).size(400, 400).render();
        int mid = img.getWidth() / 2 + 20;
        assertEquals(ColorMap.VIRIDIS.rgb(1), img.getRGB(mid, 100) & 0xffffff, "top row is row 1");
        assertEquals(ColorMap.VIRIDIS.rgb(0), img.getRGB(mid, 300) & 0xffffff, "bottom row is row 0");
    }

    @Test
    void overlaysAndBadInput() {
        double[][] z = new double[50][50];
        for (int r = 0; r < 50; r++) for (int c = 0; c < 50; c++) z[r][c] = Math.hypot(r - 25, c - 25);
        BufferedImage img = new DensityPlot(z, -1, 1, -1, 1).title("t").xLabel("x").yLabel("y").colorBar("v")
                .contour(10, Color.RED, 2f, "level 10").line(new double[]{-1, 1}, new double[]{-1, 1}, Color.WHITE, 2f, true, "diag")
                .points(new double[]{0}, new double[]{0}, Color.ORANGE, Color.BLACK, 5, "centre").view(-0.5, 0.5, -0.5, 0.5).render();
        assertEquals(900, img.getWidth());
        assertTrue(TestSupport.notBlank(img));
        assertThrows(IllegalArgumentException.class, () -> new DensityPlot(new double[0][0], 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DensityPlot(new double[][]{{1, 2}, {3}}, 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DensityPlot(z, 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DensityPlot(z, 0, 1, 0, 1).points(new double[2], new double[3], null, null, 1, null));
    }

    @Test
    void ticksAreNice() {
        assertArrayEquals(new double[]{-4, -2, 0, 2, 4, 6}, Ticks.of(-5, 6, 6), 1e-12);
        assertEquals(0.5, Ticks.step(0, 3, 6), 1e-12);
        assertEquals("0.5", Ticks.label(0.5, 0.5));
        assertEquals("-2", Ticks.label(-2, 1));
        assertEquals("1.25", Ticks.label(1.25, 0.25));
    }

    @Test
    void chartsAndPanels() {
        XYChart c = Plots.xy("t", "x", "y", 500, 350);
        Plots.line(c, null, new double[]{0, 1}, new double[]{0, 1}, Plots.BLUE, 2f);
        Plots.line(c, null, new double[]{0, 1}, new double[]{1, 0}, Plots.ORANGE, 2f);   // two unlabelled series coexist
        Plots.scatter(c, "pts", new double[]{0.5}, new double[]{0.5}, Plots.GREEN, 6);
        BufferedImage a = Plots.image(c);
        assertEquals(500, a.getWidth());
        BufferedImage p = Plots.panels("both", 2, a, a, a);
        assertEquals(1000, p.getWidth());
        assertEquals(2 * 350 + 44, p.getHeight());
        assertThrows(IllegalArgumentException.class, () -> Plots.line(c, "bad", new double[2], new double[1], Plots.RED, 1f));
    }
}
