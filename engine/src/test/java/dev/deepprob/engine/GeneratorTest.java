package dev.deepprob.engine;

import dev.deepprob.engine.cpu.Pool;
import dev.deepprob.engine.cpu.RngPhilox;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tests of {@link Generator}: Philox known answers, reproducibility (seed, state, thread count, fill length),
 * sampling moments under fixed seeds, and bad-input messages.
 *
 * <p>Moment tolerances: every estimate is compared with its exact value within {@value #Z} standard errors, the
 * standard error being the exact one for the estimator and sample size (given next to each check). With the fixed
 * seeds the outcome is deterministic; under a fresh seed a correct sampler would fail one check in about 10^6.
 */
class GeneratorTest {
    /** Standard errors allowed between an estimate and its exact value. */
    private static final double Z = 5.0;

    private static final int BIG = 200_000;

    // ---------------------------------------------------------------- Philox core

    /** Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter words, key words, result words. */
    @Test
    void philoxMatchesRandom123KnownAnswers() {
        int[][] kat = {
            {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
            {-1, -1, -1, -1, -1, -1, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
            {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
                0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
        };
        for (int[] v : kat) {
            int[] out = new int[4];
            RngPhilox.block(v[4], v[5], v[0], v[1], v[2], v[3], out);
            assertArrayEquals(Arrays.copyOfRange(v, 6, 10), out);
            // The (key, lo, hi) layout is the same block.
            RngPhilox.block(RngPhilox.join(v[4], v[5]), RngPhilox.join(v[0], v[1]), RngPhilox.join(v[2], v[3]), out);
            assertArrayEquals(Arrays.copyOfRange(v, 6, 10), out);
        }
    }

    // ---------------------------------------------------------------- reproducibility

    /** Every sampler once, into one array of fingerprints, so a test can compare whole streams. */
    private static double[] drawAll(Generator g, int n) {
        double[] acc = new double[0];
        float[] f = new float[n];
        double[] d = new double[n];
        long[] l = new long[n];
        boolean[] b = new boolean[n];
        g.uniform(f, 0, n, -1f, 2f);
        acc = append(acc, f);
        g.uniform(d, 0, n, -1, 2);
        acc = append(acc, d);
        g.normal(f, 0, n, 1f, 2f);
        acc = append(acc, f);
        g.normal(d, 0, n, 1, 2);
        acc = append(acc, d);
        g.integers(l, 0, n, -5, 1000);
        acc = append(acc, l);
        g.bernoulli(b, 0, n, 0.4);
        double[] bb = new double[n];
        for (int i = 0; i < n; i++) bb[i] = b[i] ? 1 : 0;
        acc = append(acc, bb);
        acc = append(acc, toDouble(g.permutation(n)));
        double[] w = {0.5, 0, 2, 1, 3};
        g.categorical(w, 0, 5, l, 0, n);
        acc = append(acc, l);
        long[] m = new long[3];
        g.multinomialWithoutReplacement(w, 0, 5, m, 0, 3);
        acc = append(acc, m);
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) alpha[i] = 0.2 + (i % 7);
        g.gamma(alpha, 0, d, 0, n);
        acc = append(acc, d);
        float[] alphaF = new float[n];
        for (int i = 0; i < n; i++) alphaF[i] = 0.2f + (i % 7);
        g.gamma(alphaF, 0, f, 0, n);
        acc = append(acc, f);
        double[] rate = new double[n];
        for (int i = 0; i < n; i++) rate[i] = (i % 5) * 7.5;
        g.poisson(rate, 0, d, 0, n);
        acc = append(acc, d);
        acc = append(acc, new double[] {g.nextDouble()});
        return append(acc, new long[] {g.nextLong()});
    }

    @Test
    void sameSeedGivesSameNumbersAndDifferentSeedsDiffer() {
        double[] a = drawAll(new Generator(42), 37);
        double[] b = drawAll(new Generator(42), 37);
        double[] c = drawAll(new Generator(43), 37);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(42, new Generator(42).seed());
    }

    @Test
    void successiveCallsGiveFreshNumbers() {
        Generator g = new Generator(7);
        double[] x = new double[9];
        double[] y = new double[9];
        g.uniform(x, 0, 9, 0, 1);
        g.uniform(y, 0, 9, 0, 1);
        assertFalse(Arrays.equals(x, y));
        // Two doubles per block: each call of 9 used 5 blocks, so the counter is at 10.
        assertEquals(10, g.state()[1]);
    }

    @Test
    void stateAndSetStateReplayExactly() {
        Generator g = new Generator(123);
        drawAll(g, 11);
        long[] saved = g.state();
        double[] first = drawAll(g, 19);
        g.setState(saved);
        assertArrayEquals(first, drawAll(g, 19));
        Generator other = new Generator(-9);
        other.setState(saved);
        assertArrayEquals(first, drawAll(other, 19));
        assertEquals(123, other.seed());
        long[] copy = g.state();
        copy[1] = 0; // state() hands out a copy
        assertNotEquals(0, g.state()[1]);
    }

    @Test
    void forkGivesAnIndependentReproducibleStream() {
        Generator parent = new Generator(5);
        long[] before = parent.state();
        Generator child = parent.fork();
        assertEquals(before[1] + 1, parent.state()[1], "fork advances the parent by one block");
        assertNotEquals(parent.seed(), child.seed());
        assertFalse(Arrays.equals(drawAll(child, 13), drawAll(parent, 13)));
        Generator parent2 = new Generator(5);
        assertArrayEquals(drawAll(new Generator(5).fork(), 13), drawAll(parent2.fork(), 13));
        assertNotEquals(parent2.fork().seed(), parent2.fork().seed(), "successive forks differ");
    }

    /** Element i of a fill is a function of (seed, counter + i) only: a longer fill extends a shorter one. */
    @Property(tries = 60)
    void aFillIsAPrefixOfALongerFill(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int n,
                                     @ForAll @IntRange(min = 0, max = 9) int extra,
                                     @ForAll @IntRange(min = 0, max = 5) int off) {
        int m = n + extra;
        float[] fs = new float[off + n];
        float[] fl = new float[off + m];
        new Generator(seed).normal(fs, off, n, 0f, 1f);
        new Generator(seed).normal(fl, off, m, 0f, 1f);
        assertArrayEquals(fs, Arrays.copyOf(fl, off + n));
        double[] ds = new double[off + n];
        double[] dl = new double[off + m];
        new Generator(seed).uniform(ds, off, n, -3, 3);
        new Generator(seed).uniform(dl, off, m, -3, 3);
        assertArrayEquals(ds, Arrays.copyOf(dl, off + n));
        double[] alpha = new double[m];
        Arrays.fill(alpha, 0.7);
        new Generator(seed).gamma(alpha, 0, ds, off, n);
        new Generator(seed).gamma(alpha, 0, dl, off, m);
        assertArrayEquals(ds, Arrays.copyOf(dl, off + n));
        long[] ls = new long[off + n];
        long[] ll = new long[off + m];
        new Generator(seed).integers(ls, off, n, -17, 1L << 40);
        new Generator(seed).integers(ll, off, m, -17, 1L << 40);
        assertArrayEquals(ls, Arrays.copyOf(ll, off + n));
    }

    /** Large fills (split over the pool) at 1, 2 and 3 threads give the same bits. */
    @Test
    void largeFillsAreTheSameAtEveryThreadCount() {
        int saved = Pool.threads();
        try {
            Pool.setThreads(1);
            double[] one = drawLarge();
            Pool.setThreads(2);
            assertArrayEquals(one, drawLarge());
            Pool.setThreads(3);
            assertArrayEquals(one, drawLarge());
        } finally {
            Pool.setThreads(saved);
        }
    }

    private static double[] drawLarge() {
        Generator g = new Generator(2024);
        int n = BIG + 3; // odd, so the last block is partial
        int off = 5;
        double[] acc = new double[0];
        float[] f = new float[off + n];
        double[] d = new double[off + n];
        long[] l = new long[off + n];
        boolean[] b = new boolean[off + n];
        g.uniform(f, off, n, 0f, 1f);
        acc = append(acc, f);
        g.uniform(d, off, n, 0, 1);
        acc = append(acc, d);
        g.normal(f, off, n, 0f, 1f);
        acc = append(acc, f);
        g.normal(d, off, n, 0, 1);
        acc = append(acc, d);
        g.integers(l, off, n, 0, 1_000_003);
        acc = append(acc, l);
        g.bernoulli(b, off, n, 0.5);
        int ones = 0;
        long hash = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i]) {
                ones++;
                hash = hash * 31 + i;
            }
        }
        acc = append(acc, new double[] {ones, hash});
        double[] w = new double[1000];
        for (int i = 0; i < w.length; i++) w[i] = 1 + i % 13;
        g.categorical(w, 0, w.length, l, off, n);
        acc = append(acc, l);
        double[] wk = new double[n];
        for (int i = 0; i < n; i++) wk[i] = 1 + i % 17;
        long[] pick = new long[500];
        g.multinomialWithoutReplacement(wk, 0, n, pick, 0, pick.length);
        acc = append(acc, pick);
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) alpha[i] = 0.3 + i % 5;
        g.gamma(alpha, 0, d, off, n);
        acc = append(acc, d);
        float[] alphaF = new float[n];
        for (int i = 0; i < n; i++) alphaF[i] = 0.3f + i % 5;
        g.gamma(alphaF, 0, f, off, n);
        acc = append(acc, f);
        double[] rate = new double[n];
        for (int i = 0; i < n; i++) rate[i] = (i % 4) * 9.0;
        g.poisson(rate, 0, d, off, n);
        acc = append(acc, d);
        return acc;
    }

    // ---------------------------------------------------------------- moments

    private static void near(String what, double actual, double expected, double se) {
        assertTrue(Math.abs(actual - expected) <= Z * se,
                what + ": got " + actual + ", expected " + expected + " +- " + Z + " * " + se);
    }

    /** Mean, variance (n - 1), and the third and fourth standardised central moments. */
    private static double[] moments(double[] x) {
        int n = x.length;
        double mean = 0;
        for (double v : x) mean += v;
        mean /= n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double v : x) {
            double d = v - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        double var = m2 / (n - 1);
        double pop = m2 / n;
        return new double[] {mean, var, (m3 / n) / Math.pow(pop, 1.5), (m4 / n) / (pop * pop)};
    }

    @Test
    void uniformMeanAndVariance() {
        double a = -2;
        double b = 3;
        double[] d = new double[BIG];
        new Generator(1).uniform(d, 0, BIG, a, b);
        float[] f = new float[BIG];
        new Generator(2).uniform(f, 0, BIG, (float) a, (float) b);
        // U(a, b): mean (a+b)/2, variance (b-a)^2/12, fourth central moment (b-a)^4/80.
        // SE of the mean sqrt(var/n); SE of the sample variance sqrt((mu4 - var^2)/n).
        double var = (b - a) * (b - a) / 12;
        double mu4 = Math.pow(b - a, 4) / 80;
        for (double[] x : new double[][] {d, toDouble(f)}) {
            double[] m = moments(x);
            near("uniform mean", m[0], (a + b) / 2, Math.sqrt(var / BIG));
            near("uniform variance", m[1], var, Math.sqrt((mu4 - var * var) / BIG));
            for (double v : x) assertTrue(v >= a && v < b, "uniform value " + v + " outside [a, b)");
        }
    }

    @Test
    void uniformStaysBelowHighEvenWhenRoundingWouldReachIt() {
        float[] f = new float[1000];
        new Generator(3).uniform(f, 0, f.length, 1f, Math.nextUp(1f));
        for (float v : f) assertEquals(1f, v);
        double[] d = new double[1000];
        new Generator(3).uniform(d, 0, d.length, 1.0, Math.nextUp(1.0));
        for (double v : d) assertEquals(1.0, v);
        new Generator(3).uniform(d, 0, d.length, -Double.MAX_VALUE, Double.MAX_VALUE);
        int negative = 0;
        for (double v : d) {
            assertTrue(Double.isFinite(v) && v < Double.MAX_VALUE);
            if (v < 0) negative++;
        }
        // Binomial(1000, 1/2): SE sqrt(1000 / 4).
        near("wide uniform sign balance", negative, 500, Math.sqrt(250));
    }

    @Test
    void scalarsAreUniform() {
        Generator g = new Generator(4);
        int n = 100_000;
        double[] x = new double[n];
        long highBits = 0;
        for (int i = 0; i < n; i++) {
            x[i] = g.nextDouble();
            assertTrue(x[i] >= 0 && x[i] < 1);
            if (g.nextLong() < 0) highBits++;
        }
        double[] m = moments(x);
        near("nextDouble mean", m[0], 0.5, Math.sqrt(1.0 / 12 / n));
        near("nextDouble variance", m[1], 1.0 / 12, Math.sqrt((1.0 / 80 - 1.0 / 144) / n));
        near("nextLong sign bit rate", highBits / (double) n, 0.5, Math.sqrt(0.25 / n));
        assertEquals(2L * n, g.state()[1], "each scalar uses one block");
    }

    @Test
    void normalMomentsAndKolmogorovSmirnov() {
        double mu = 1.5;
        double sigma = 2.0;
        double[] d = new double[BIG];
        new Generator(5).normal(d, 0, BIG, mu, sigma);
        float[] f = new float[BIG];
        new Generator(6).normal(f, 0, BIG, (float) mu, (float) sigma);
        for (double[] x : new double[][] {d, toDouble(f)}) {
            double[] m = moments(x);
            // Normal: SE of mean sigma/sqrt(n), of variance sigma^2 sqrt(2/n), of skewness sqrt(6/n),
            // of kurtosis sqrt(24/n) (large-sample values).
            near("normal mean", m[0], mu, sigma / Math.sqrt(BIG));
            near("normal variance", m[1], sigma * sigma, sigma * sigma * Math.sqrt(2.0 / BIG));
            near("normal skewness", m[2], 0, Math.sqrt(6.0 / BIG));
            near("normal kurtosis", m[3], 3, Math.sqrt(24.0 / BIG));
            // Kolmogorov-Smirnov against the N(mu, sigma) cdf: sqrt(n) D exceeds 1.95 with probability 0.001.
            double[] s = x.clone();
            Arrays.sort(s);
            double dmax = 0;
            for (int i = 0; i < s.length; i++) {
                double c = normalCdf((s[i] - mu) / sigma);
                dmax = Math.max(dmax, Math.max((i + 1.0) / s.length - c, c - (double) i / s.length));
            }
            assertTrue(Math.sqrt(s.length) * dmax < 1.95, "KS statistic sqrt(n) D = " + Math.sqrt(s.length) * dmax);
        }
        double[] zero = new double[10];
        new Generator(7).normal(zero, 0, 10, 4, 0);
        for (double v : zero) assertEquals(4, v);
    }

    /** Standard normal cdf through erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7, far below KS's D). */
    private static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double erf = 1 - poly * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    @Test
    void bernoulliRate() {
        boolean[] b = new boolean[BIG];
        double p = 0.3;
        new Generator(8).bernoulli(b, 0, BIG, p);
        int ones = 0;
        for (boolean v : b) if (v) ones++;
        // Binomial(n, p) / n: SE sqrt(p(1-p)/n).
        near("bernoulli rate", ones / (double) BIG, p, Math.sqrt(p * (1 - p) / BIG));
        new Generator(8).bernoulli(b, 0, 1000, 0.0);
        for (int i = 0; i < 1000; i++) assertFalse(b[i]);
        new Generator(8).bernoulli(b, 0, 1000, 1.0);
        for (int i = 0; i < 1000; i++) assertTrue(b[i]);
    }

    @Test
    void integersAreInRangeAndUniform() {
        long low = -3;
        int k = 10;
        long[] x = new long[BIG];
        new Generator(9).integers(x, 0, BIG, low, low + k);
        long[] counts = new long[k];
        for (long v : x) {
            assertTrue(v >= low && v < low + k, "integer " + v + " outside [-3, 7)");
            counts[(int) (v - low)]++;
        }
        // Pearson chi-square with k-1 = 9 degrees of freedom: mean 9, sd sqrt(18); mean + 5 sd = 30.2 has
        // upper-tail probability about 4e-4.
        assertTrue(chiSquare(counts, uniformProbs(k)) < 9 + Z * Math.sqrt(18), Arrays.toString(counts));
    }

    @Test
    void integersHaveNoModuloBiasOnAWideRange() {
        // Range 3 * 2^62 over [-2^63, 2^62): "x mod range" on 64 random bits would put half the mass (not a third)
        // on the lowest third [-2^63, -2^62). Fraction SE sqrt((1/3)(2/3)/n).
        long[] x = new long[BIG];
        new Generator(10).integers(x, 0, BIG, Long.MIN_VALUE, 1L << 62);
        int lowest = 0;
        for (long v : x) {
            assertTrue(v < (1L << 62));
            if (v < -(1L << 62)) lowest++;
        }
        near("lowest third of a 3 * 2^62 range", lowest / (double) BIG, 1.0 / 3, Math.sqrt(2.0 / 9 / BIG));
        // The widest range, all of long but Long.MAX_VALUE itself.
        new Generator(11).integers(x, 0, 1000, Long.MIN_VALUE, Long.MAX_VALUE);
        for (int i = 0; i < 1000; i++) assertTrue(x[i] < Long.MAX_VALUE);
        long[] one = new long[5];
        new Generator(11).integers(one, 0, 5, 41, 42);
        for (long v : one) assertEquals(41, v);
    }

    @Test
    void categoricalFrequencies() {
        double[] w = {99, 1, 0, 3, 6}; // offset 1: weights {1, 0, 3, 6}, sum 10
        long[] x = new long[BIG];
        new Generator(12).categorical(w, 1, 4, x, 0, BIG);
        long[] counts = new long[4];
        for (long v : x) counts[(int) v]++;
        assertEquals(0, counts[1], "a zero-weight category is never drawn");
        double[] p = {0.1, 0, 0.3, 0.6};
        for (int c = 0; c < 4; c++) {
            // Binomial frequency: SE sqrt(p(1-p)/n).
            near("categorical frequency of " + c, counts[c] / (double) BIG, p[c], Math.sqrt(p[c] * (1 - p[c]) / BIG));
        }
        long[] single = new long[100];
        new Generator(12).categorical(new double[] {0, 0, 2.5}, 0, 3, single, 0, 100);
        for (long v : single) assertEquals(2, v);
    }

    @Test
    void multinomialWithoutReplacementDrawsInSuccessiveOrder() {
        double[] w = {1, 2, 0, 3, 4};
        double total = 10;
        int trials = 40_000;
        Generator g = new Generator(13);
        long[] out = new long[2];
        long[] first = new long[5];
        long[] second = new long[5];
        for (int t = 0; t < trials; t++) {
            g.multinomialWithoutReplacement(w, 0, 5, out, 0, 2);
            assertNotEquals(out[0], out[1]);
            first[(int) out[0]]++;
            second[(int) out[1]]++;
        }
        assertEquals(0, first[2] + second[2], "a zero-weight category is never drawn");
        for (int j = 0; j < 5; j++) {
            double p1 = w[j] / total;
            double p2 = 0; // P(second = j) = sum over i != j of P(first = i) * w_j / (total - w_i)
            for (int i = 0; i < 5; i++) if (i != j && w[i] > 0) p2 += w[i] / total * w[j] / (total - w[i]);
            near("first draw frequency of " + j, first[j] / (double) trials, p1, Math.sqrt(p1 * (1 - p1) / trials));
            near("second draw frequency of " + j, second[j] / (double) trials, p2, Math.sqrt(p2 * (1 - p2) / trials));
        }
        long[] all = new long[4];
        g.multinomialWithoutReplacement(w, 0, 5, all, 0, 4);
        long[] sorted = all.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new long[] {0, 1, 3, 4}, sorted);
    }

    @Test
    void gammaMeanAndVariance() {
        for (double a : new double[] {0.3, 1, 2.5, 50}) {
            double[] alpha = new double[BIG];
            Arrays.fill(alpha, a);
            double[] x = new double[BIG];
            new Generator(14).gamma(alpha, 0, x, 0, BIG);
            for (double v : x) assertTrue(v > 0, "gamma draw " + v);
            double[] m = moments(x);
            // Gamma(a, 1): mean a, variance a, fourth central moment 3a^2 + 6a.
            // SE of the mean sqrt(a/n); SE of the sample variance sqrt((mu4 - a^2)/n) = sqrt((2a^2 + 6a)/n).
            near("gamma(" + a + ") mean", m[0], a, Math.sqrt(a / BIG));
            near("gamma(" + a + ") variance", m[1], a, Math.sqrt((2 * a * a + 6 * a) / BIG));
        }
        int n = 50_000;
        float[] alphaF = new float[n];
        Arrays.fill(alphaF, 0.3f);
        float[] f = new float[n];
        new Generator(15).gamma(alphaF, 0, f, 0, n);
        double[] m = moments(toDouble(f));
        near("float gamma(0.3) mean", m[0], 0.3, Math.sqrt(0.3 / n));
        near("float gamma(0.3) variance", m[1], 0.3, Math.sqrt((2 * 0.09 + 1.8) / n));
        // Tiny shapes underflow; draws are clamped to the smallest normal number, never 0.
        double[] tiny = {1e-4, 1e-4, 1e-4, 1e-4};
        new Generator(16).gamma(tiny, 0, tiny, 0, 4);
        for (double v : tiny) assertTrue(v >= Double.MIN_NORMAL);
        float[] tinyF = {1e-4f, 1e-4f, 1e-4f, 1e-4f};
        new Generator(16).gamma(tinyF, 0, tinyF, 0, 4);
        for (float v : tinyF) assertTrue(v >= Float.MIN_NORMAL);
    }

    @Test
    void poissonMeanAndVariance() {
        for (double r : new double[] {0.5, 5, 10, 80, 1e6}) {
            double[] rate = new double[BIG];
            Arrays.fill(rate, r);
            double[] x = new double[BIG];
            new Generator(17).poisson(rate, 0, x, 0, BIG);
            for (double v : x) assertTrue(v >= 0 && v == Math.rint(v), "poisson draw " + v);
            double[] m = moments(x);
            // Poisson(r): mean r, variance r, fourth central moment r(1 + 3r).
            // SE of the mean sqrt(r/n); SE of the sample variance sqrt((r + 3r^2 - r^2)/n).
            near("poisson(" + r + ") mean", m[0], r, Math.sqrt(r / BIG));
            near("poisson(" + r + ") variance", m[1], r, Math.sqrt((r + 2 * r * r) / BIG));
        }
        double[] zero = {0, 0, 0};
        new Generator(18).poisson(zero, 0, zero, 0, 3);
        assertArrayEquals(new double[3], zero);
        // Mixed rates in one call: standardised draws have mean 0 and variance 1.
        double[] rate = new double[BIG];
        for (int i = 0; i < BIG; i++) rate[i] = 0.25 + (i % 40) * 1.5;
        double[] x = new double[BIG];
        new Generator(19).poisson(rate, 0, x, 0, BIG);
        double sum = 0;
        for (int i = 0; i < BIG; i++) sum += (x[i] - rate[i]) / Math.sqrt(rate[i]);
        near("mixed-rate standardised poisson mean", sum / BIG, 0, Math.sqrt(1.0 / BIG));
    }

    @Test
    void permutationIsUniform() {
        Generator g = new Generator(20);
        int n = 10;
        int trials = 20_000;
        double[] positionSum = new double[n];
        for (int t = 0; t < trials; t++) {
            int[] p = g.permutation(n);
            assertPermutation(p);
            for (int i = 0; i < n; i++) positionSum[i] += p[i];
        }
        // A position's value is uniform on 0..n-1: mean (n-1)/2, variance (n^2-1)/12; SE sqrt(var/trials).
        for (int i = 0; i < n; i++) {
            near("mean value at position " + i, positionSum[i] / trials, (n - 1) / 2.0,
                    Math.sqrt((n * n - 1) / 12.0 / trials));
        }
        assertPermutation(g.permutation(BIG));
        assertEquals(0, g.permutation(0).length);
        assertArrayEquals(new int[] {0}, g.permutation(1));
    }

    private static void assertPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            assertTrue(v >= 0 && v < p.length && !seen[v], "not a permutation: " + v);
            seen[v] = true;
        }
    }

    // ---------------------------------------------------------------- bad input

    private static void throwsWith(Class<? extends Throwable> type, String message, Executable call) {
        Throwable t = assertThrows(type, call);
        assertEquals(message, t.getMessage());
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        Generator g = new Generator(1);
        float[] f = new float[10];
        double[] d = new double[10];
        long[] l = new long[10];
        boolean[] b = new boolean[10];
        throwsWith(IllegalArgumentException.class, "Generator.uniform: low (5.0) must be < high (3.0)",
                () -> g.uniform(d, 0, 1, 5, 3));
        throwsWith(IllegalArgumentException.class, "Generator.uniform: low (1.0) must be < high (1.0)",
                () -> g.uniform(f, 0, 1, 1f, 1f));
        throwsWith(IllegalArgumentException.class, "Generator.uniform: low (NaN) and high (1.0) must be finite",
                () -> g.uniform(d, 0, 1, Double.NaN, 1));
        throwsWith(IllegalArgumentException.class, "Generator.uniform: n must be >= 0, got -1",
                () -> g.uniform(d, 0, -1, 0, 1));
        throwsWith(IndexOutOfBoundsException.class,
                "Generator.uniform: range [5, 15) is out of bounds for out of length 10",
                () -> g.uniform(d, 5, 10, 0, 1));
        throwsWith(IndexOutOfBoundsException.class,
                "Generator.normal: range [-1, 1) is out of bounds for out of length 10",
                () -> g.normal(f, -1, 2, 0f, 1f));
        throwsWith(NullPointerException.class, "Generator.normal: out is null",
                () -> g.normal((double[]) null, 0, 1, 0, 1));
        throwsWith(IllegalArgumentException.class, "Generator.normal: std must be finite and >= 0, got -1.0",
                () -> g.normal(d, 0, 1, 0, -1));
        throwsWith(IllegalArgumentException.class, "Generator.normal: mean must be finite, got Infinity",
                () -> g.normal(f, 0, 1, Float.POSITIVE_INFINITY, 1f));
        throwsWith(IllegalArgumentException.class, "Generator.integers: low (5) must be < high (3)",
                () -> g.integers(l, 0, 1, 5, 3));
        throwsWith(IllegalArgumentException.class, "Generator.bernoulli: p must be in [0, 1], got 1.5",
                () -> g.bernoulli(b, 0, 1, 1.5));
        throwsWith(IllegalArgumentException.class, "Generator.bernoulli: p must be in [0, 1], got NaN",
                () -> g.bernoulli(b, 0, 1, Double.NaN));
        throwsWith(IllegalArgumentException.class, "Generator.permutation: n must be >= 0, got -2",
                () -> g.permutation(-2));
        throwsWith(IllegalArgumentException.class,
                "Generator.categorical: weights must be finite and >= 0, got -1.0 at [1]",
                () -> g.categorical(new double[] {1, -1}, 0, 2, l, 0, 1));
        throwsWith(IllegalArgumentException.class,
                "Generator.categorical: weights must be finite and >= 0, got NaN at [0]",
                () -> g.categorical(new double[] {Double.NaN}, 0, 1, l, 0, 1));
        throwsWith(IllegalArgumentException.class,
                "Generator.categorical: weights sum to 0; need at least one > 0",
                () -> g.categorical(new double[] {0, 0}, 0, 2, l, 0, 1));
        throwsWith(IllegalArgumentException.class, "Generator.categorical: k must be >= 1, got 0",
                () -> g.categorical(new double[] {1}, 0, 0, l, 0, 1));
        throwsWith(IndexOutOfBoundsException.class,
                "Generator.categorical: range [1, 3) is out of bounds for weights of length 2",
                () -> g.categorical(new double[] {1, 1}, 1, 2, l, 0, 1));
        throwsWith(IllegalArgumentException.class,
                "Generator.categorical: weights sum overflows to Infinity",
                () -> g.categorical(new double[] {Double.MAX_VALUE, Double.MAX_VALUE}, 0, 2, l, 0, 1));
        throwsWith(IllegalArgumentException.class,
                "Generator.multinomialWithoutReplacement: n (3) must be <= k (2)",
                () -> g.multinomialWithoutReplacement(new double[] {1, 1}, 0, 2, l, 0, 3));
        throwsWith(IllegalArgumentException.class,
                "Generator.multinomialWithoutReplacement: n (2) must be <= the number of categories with positive"
                        + " weight (1)",
                () -> g.multinomialWithoutReplacement(new double[] {1, 0, 0}, 0, 3, l, 0, 2));
        throwsWith(IllegalArgumentException.class, "Generator.gamma: alpha must be finite and > 0, got 0.0 at [1]",
                () -> g.gamma(new double[] {1, 0}, 0, d, 0, 2));
        throwsWith(IllegalArgumentException.class, "Generator.gamma: alpha must be finite and > 0, got NaN at [0]",
                () -> g.gamma(new float[] {Float.NaN}, 0, f, 0, 1));
        throwsWith(IndexOutOfBoundsException.class,
                "Generator.gamma: range [0, 3) is out of bounds for alpha of length 2",
                () -> g.gamma(new double[] {1, 1}, 0, d, 0, 3));
        throwsWith(IllegalArgumentException.class, "Generator.poisson: rate must be finite and >= 0, got -1.0 at [2]",
                () -> g.poisson(new double[] {1, 2, -1}, 0, d, 0, 3));
        throwsWith(IllegalArgumentException.class,
                "Generator.setState: state must have 2 elements {seed, counter}, got 3",
                () -> g.setState(new long[3]));
        throwsWith(NullPointerException.class, "Generator.setState: state is null", () -> g.setState(null));
        // A rejected call draws nothing and writes nothing.
        assertArrayEquals(new long[] {1, 0}, g.state());
        assertArrayEquals(new double[10], d);
    }

    @Test
    void exhaustedCounterFailsBeforeWriting() {
        Generator g = new Generator(1);
        g.setState(new long[] {1, -3L}); // 2^64 - 3: two more values at most
        double[] d = new double[8];
        Consumer<Generator> fill = x -> x.uniform(d, 0, 8, 0, 1);
        Throwable t = assertThrows(IllegalStateException.class, () -> fill.accept(g));
        assertTrue(t.getMessage().startsWith("Generator: counter 18446744073709551613 is too close to 2^64 for a call of up to 8"),
                t.getMessage());
        assertArrayEquals(new double[8], d);
        g.nextLong();
        assertEquals(-2L, g.state()[1]);
    }

    // ---------------------------------------------------------------- helpers

    private static double chiSquare(long[] counts, double[] p) {
        long n = 0;
        for (long c : counts) n += c;
        double chi = 0;
        for (int i = 0; i < counts.length; i++) {
            double e = n * p[i];
            chi += (counts[i] - e) * (counts[i] - e) / e;
        }
        return chi;
    }

    private static double[] uniformProbs(int k) {
        double[] p = new double[k];
        Arrays.fill(p, 1.0 / k);
        return p;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static double[] toDouble(int[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static double[] append(double[] acc, double[] x) {
        double[] r = Arrays.copyOf(acc, acc.length + x.length);
        System.arraycopy(x, 0, r, acc.length, x.length);
        return r;
    }

    private static double[] append(double[] acc, float[] x) {
        return append(acc, toDouble(x));
    }

    private static double[] append(double[] acc, long[] x) {
        double[] d = new double[2 * x.length]; // both 32-bit halves, exactly
        for (int i = 0; i < x.length; i++) {
            d[2 * i] = x[i] >>> 32;
            d[2 * i + 1] = x[i] & 0xFFFFFFFFL;
        }
        return append(acc, d);
    }
}
