package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VEEGAN/PacGAN mode-coverage metric on hand-made samples, on exact mixture samples, and on bad input. */
class ModeCoverageTest {

    @Test
    void benchmarkCentres() {
        double[][] ring = ModeCoverage.ring(8, 2);
        assertEquals(8, ring.length);
        assertArrayEquals(new double[]{2, 0}, ring[0], 1e-15);
        assertArrayEquals(new double[]{0, 2}, ring[2], 1e-15);
        assertArrayEquals(new double[]{Math.sqrt(2), -Math.sqrt(2)}, ring[7], 1e-15);
        double[][] grid = ModeCoverage.grid(5, 2);
        assertEquals(25, grid.length);
        assertArrayEquals(new double[]{-4, -4}, grid[0], 0);
        assertArrayEquals(new double[]{-4, -2}, grid[1], 0);
        assertArrayEquals(new double[]{0, 0}, grid[12], 0);
        assertArrayEquals(new double[]{4, 4}, grid[24], 0);
    }

    @Test
    void handMadeSamples() {
        ModeCoverage m = ModeCoverage.of(ModeCoverage.ring(8, 2), 0.02);
        assertEquals(0.06, m.radius(), 1e-15);
        double[] xy = {
                2.05, 0,          // 0.05 from centre 0: high quality
                2.0, 0.059,       // 0.059 from centre 0: high quality
                2.07, 0,          // 0.07 > 3 std: not
                0.0, 1.95,        // centre 2
                1.0, 1.0,         // between centres 0 and 1, far from both
                Double.NaN, 0};   // never high quality
        ModeCoverage.Score s = m.score(xy);
        assertEquals(6, s.samples());
        assertEquals(2, s.modes());
        assertEquals(8, s.totalModes());
        assertEquals(3.0 / 6, s.highQuality(), 1e-15);
        assertArrayEquals(new int[]{2, 0, 1, 0, 0, 0, 0, 0}, s.perMode());
        // the same through a Tensor
        ModeCoverage.Score t = m.score(Tensor.of(new float[]{2.05f, 0, 0, 1.95f, 5, 5}, 3, 2));
        assertEquals(2, t.modes());
        assertArrayEquals(new int[]{1, 0, 1, 0, 0, 0, 0, 0}, t.perMode());
        // asking for two high-quality samples per mode drops centre 2
        assertEquals(1, ModeCoverage.of(ModeCoverage.ring(8, 2), 0.02, 3, 2).score(xy).modes());
        // with 4 standard deviations (0.08) the sample at 2.07 counts too
        assertEquals(4.0 / 6, ModeCoverage.of(ModeCoverage.ring(8, 2), 0.02, 4, 1).score(xy).highQuality(), 1e-15);
    }

    @Test
    void aSampleCountsForItsNearestCentreOnly() {
        // overlapping 3-std balls: (0.8, 0) is within 3 of both centres and counts for the nearer, (1, 0)
        ModeCoverage m = ModeCoverage.of(new double[][]{{0, 0}, {1, 0}}, 1);
        ModeCoverage.Score s = m.score(new double[]{0.8, 0, 0.8, 0});
        assertArrayEquals(new int[]{0, 2}, s.perMode());
        assertEquals(1, s.modes());
        assertEquals(1.0, s.highQuality());
    }

    @Test
    void anyDimension() {
        ModeCoverage m = ModeCoverage.of(new double[][]{{0, 0, 0}, {10, 0, 0}}, 1);
        ModeCoverage.Score s = m.score(new double[]{0, 0, 2.9, 10, 0, 3.1});
        assertArrayEquals(new int[]{1, 0}, s.perMode());
        assertEquals(0.5, s.highQuality());
    }

    @Test
    void exactMixtureSamplesScoreAsTheChiSquareLaw() {
        // a perfect generator on the 5x5 grid (std 0.05): a 2-D Gaussian sample lies within 3 std with probability
        // P(chi2_2 <= 9) = 1 - exp(-4.5) = 0.98889; with 2500 samples the share's standard error is 0.0021, so 5 of them
        // bound it. Every mode is covered (each gets about 100 samples).
        double[][] c = ModeCoverage.grid(5, 2);
        Random r = new Random(12);
        int n = 2500;
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double[] k = c[r.nextInt(c.length)];
            xy[2 * i] = k[0] + 0.05 * r.nextGaussian();
            xy[2 * i + 1] = k[1] + 0.05 * r.nextGaussian();
        }
        ModeCoverage.Score s = ModeCoverage.of(c, 0.05).score(xy);
        assertEquals(25, s.modes());
        double p = 1 - Math.exp(-4.5), se = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, s.highQuality(), 5 * se);
        int sum = 0;
        for (int v : s.perMode()) sum += v;
        assertEquals(Math.round(s.highQuality() * n), sum);
        // one collapsed mode: all samples at one centre cover 1 mode at 100%
        double[] one = new double[2 * n];
        ModeCoverage.Score t = ModeCoverage.of(c, 0.05).score(one);
        assertEquals(1, t.modes());
        assertEquals(1.0, t.highQuality());
        assertEquals(n, t.perMode()[12]);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of(new double[0][], 1));
        assertTrue(e.getMessage().contains("ModeCoverage.of"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of(new double[][]{{0, 0}, {1}}, 1));
        assertTrue(e.getMessage().contains("centre 1 has 1 coordinates, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of(new double[][]{{0, 0}}, 0));
        assertTrue(e.getMessage().contains("std must be finite and > 0, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of(new double[][]{{0, 0}}, 1, 3, 0));
        assertTrue(e.getMessage().contains("minPerMode must be >= 1, got 0"), e.getMessage());
        ModeCoverage m = ModeCoverage.of(ModeCoverage.ring(8, 2), 0.02);
        e = assertThrows(IllegalArgumentException.class, () -> m.score(new double[]{1, 2, 3}));
        assertTrue(e.getMessage().contains("ModeCoverage.score") && e.getMessage().contains("multiple of 2") && e.getMessage().contains("got 3"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.score(Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("(n, 2)") && e.getMessage().contains("4, 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModeCoverage.ring(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ModeCoverage.grid(5, -1));
    }
}
