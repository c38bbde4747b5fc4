package dev.deepprob.engine;

import dev.deepprob.engine.cpu.RngKernels;
import dev.deepprob.engine.cpu.RngPhilox;

import java.util.Objects;

/**
 * A seedable random generator built on the Philox4x32-10 counter-based bijection (Salmon et al., SC 2011): element
 * i of a fill is a pure function of (seed, counter + i), so a seed gives the same numbers on every run and at every
 * thread count, and each call advances the counter past the blocks it used. Not thread-safe: give each thread its
 * own generator, for example through {@link #fork()}.
 */
public final class Generator {
    private long seed;
    private long key;
    private long counter;

    /** A generator whose stream is fixed by {@code seed}, starting at counter 0. */
    public Generator(long seed) {
        this.seed = seed;
        this.key = RngPhilox.keyOf(seed);
        this.counter = 0;
    }

    /** The seed this generator's stream is keyed by. */
    public long seed() {
        return seed;
    }

    /**
     * An independent generator whose seed is the next 64 random bits of this one, so this one advances by one
     * block; a different key gives a statistically independent Philox stream.
     */
    public Generator fork() {
        return new Generator(nextLong());
    }

    /** A copy of the state, {@code {seed, counter}}, that {@link #setState} restores exactly. */
    public long[] state() {
        return new long[] {seed, counter};
    }

    /** Restores a state saved by {@link #state()}: the following calls replay the numbers drawn after the save. */
    public void setState(long[] s) {
        Objects.requireNonNull(s, "Generator.setState: state is null");
        if (s.length != 2) {
            throw new IllegalArgumentException(
                    "Generator.setState: state must have 2 elements {seed, counter}, got " + s.length);
        }
        this.seed = s[0];
        this.key = RngPhilox.keyOf(s[0]);
        this.counter = s[1];
    }

    /** The next 64 random bits; uses one block. */
    public long nextLong() {
        int[] w = new int[4];
        RngPhilox.block(key, take(1), 0, w);
        advance(1);
        return RngPhilox.join(w[0], w[1]);
    }

    /** A uniform double in [0, 1) with 53 random bits; uses one block. */
    public double nextDouble() {
        return RngPhilox.unit53(nextLong());
    }

    /** Fills {@code out[off, off + n)} with uniform floats in [low, high). */
    public void uniform(float[] out, int off, int n, float low, float high) {
        String op = "Generator.uniform";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        checkInterval(op, low, high);
        advance(RngKernels.uniform(key, take(n), out, off, n, low, high));
    }

    /** Fills {@code out[off, off + n)} with uniform doubles in [low, high), 53 random bits each. */
    public void uniform(double[] out, int off, int n, double low, double high) {
        String op = "Generator.uniform";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        checkInterval(op, low, high);
        advance(RngKernels.uniform(key, take(n), out, off, n, low, high));
    }

    /** Fills {@code out[off, off + n)} with Normal(mean, std) floats by the Box-Muller transform (1958). */
    public void normal(float[] out, int off, int n, float mean, float std) {
        String op = "Generator.normal";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        checkNormal(op, mean, std);
        advance(RngKernels.normal(key, take(n), out, off, n, mean, std));
    }

    /** Fills {@code out[off, off + n)} with Normal(mean, std) doubles by the Box-Muller transform (1958). */
    public void normal(double[] out, int off, int n, double mean, double std) {
        String op = "Generator.normal";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        checkNormal(op, mean, std);
        advance(RngKernels.normal(key, take(n), out, off, n, mean, std));
    }

    /** Fills {@code out[off, off + n)} with uniform longs in [low, high), without modulo bias (Lemire 2019). */
    public void integers(long[] out, int off, int n, long low, long high) {
        String op = "Generator.integers";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        if (low >= high) {
            throw new IllegalArgumentException(op + ": low (" + low + ") must be < high (" + high + ")");
        }
        advance(RngKernels.integers(key, take(n), out, off, n, low, high - low));
    }

    /** Fills {@code out[off, off + n)} with Bernoulli(p) flags: true with probability p. */
    public void bernoulli(boolean[] out, int off, int n, double p) {
        String op = "Generator.bernoulli";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
        }
        advance(RngKernels.bernoulli(key, take(n), out, off, n, p));
    }

    /** A uniformly random permutation of 0..n-1, by the Fisher-Yates shuffle; uses one counter value. */
    public int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("Generator.permutation: n must be >= 0, got " + n);
        int[] out = new int[n];
        advance(RngKernels.permutation(key, take(1), out));
        return out;
    }

    /**
     * Writes n independent draws of a category index in [0, k) to {@code out[off, off + n)}, category c having
     * probability {@code probs[probsOff + c] / sum}. Weights need not be normalised but must be finite, >= 0 and
     * not all 0; a zero-weight category is never drawn.
     */
    public void categorical(double[] probs, int probsOff, int k, long[] out, int off, int n) {
        String op = "Generator.categorical";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        double[] cdf = new double[Math.max(k, 0)];
        int lastPositive = checkWeights(op, probs, probsOff, k, cdf);
        advance(RngKernels.categorical(key, take(n), cdf, k, lastPositive, out, off, n));
    }

    /**
     * Writes n distinct category indices to {@code out[off, off + n)}, in the order of successive draws each
     * proportional to the weights not yet drawn (as {@code torch.multinomial(w, n, replacement=False)}). Weights
     * follow {@link #categorical}'s rules, and n must not exceed the number of positive weights.
     */
    public void multinomialWithoutReplacement(double[] w, int wOff, int k, long[] out, int off, int n) {
        String op = "Generator.multinomialWithoutReplacement";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        double[] cdf = new double[Math.max(k, 0)];
        checkWeights(op, w, wOff, k, cdf);
        if (n > k) throw new IllegalArgumentException(op + ": n (" + n + ") must be <= k (" + k + ")");
        int positive = 0;
        for (int c = 0; c < k; c++) if (w[wOff + c] > 0) positive++;
        if (n > positive) {
            throw new IllegalArgumentException(op + ": n (" + n
                    + ") must be <= the number of categories with positive weight (" + positive + ")");
        }
        advance(RngKernels.multinomialWithoutReplacement(key, take(k), w, wOff, k, out, off, n));
    }

    /**
     * Fills {@code out[off + i]} with a Gamma(alpha[alphaOff + i], 1) draw, by Marsaglia and Tsang (2000) with
     * their U^(1/alpha) boost for alpha &lt; 1; results are at least {@link Double#MIN_NORMAL}. {@code out} may be
     * {@code alpha} itself at the same offset (in place); other overlaps are undefined.
     */
    public void gamma(double[] alpha, int alphaOff, double[] out, int off, int n) {
        String op = "Generator.gamma";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        checkSpan(op, "alpha", nonNull(op, "alpha", alpha).length, alphaOff, n);
        for (int i = 0; i < n; i++) checkAlpha(op, alpha[alphaOff + i], i);
        advance(RngKernels.gamma(key, take(n), alpha, alphaOff, out, off, n));
    }

    /**
     * Fills {@code out[off + i]} with a Gamma(alpha[alphaOff + i], 1) draw, computed in double and rounded, at
     * least {@link Float#MIN_NORMAL}. {@code out} may be {@code alpha} itself at the same offset.
     */
    public void gamma(float[] alpha, int alphaOff, float[] out, int off, int n) {
        String op = "Generator.gamma";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        checkSpan(op, "alpha", nonNull(op, "alpha", alpha).length, alphaOff, n);
        for (int i = 0; i < n; i++) checkAlpha(op, alpha[alphaOff + i], i);
        advance(RngKernels.gamma(key, take(n), alpha, alphaOff, out, off, n));
    }

    /**
     * Fills {@code out[off + i]} with a Poisson(rate[rateOff + i]) count: inversion for rates below 10, Hormann's
     * PTRS transformed rejection (1993) above. {@code out} may be {@code rate} itself at the same offset.
     */
    public void poisson(double[] rate, int rateOff, double[] out, int off, int n) {
        String op = "Generator.poisson";
        checkSpan(op, "out", nonNull(op, "out", out).length, off, n);
        checkSpan(op, "rate", nonNull(op, "rate", rate).length, rateOff, n);
        for (int i = 0; i < n; i++) {
            double r = rate[rateOff + i];
            if (!(r >= 0.0 && r < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(
                        op + ": rate must be finite and >= 0, got " + r + " at [" + i + "]");
            }
        }
        advance(RngKernels.poisson(key, take(n), rate, rateOff, out, off, n));
    }

    /**
     * Reserves {@code blocks} counter values for a sampler outside this class (a device kernel) and returns
     * {@code {key, firstCounter}}; the counter advances past them, so the device draws exactly the numbers the CPU's
     * call at this point would have drawn from blocks (key, firstCounter + i). Fails, as every draw, when the 2^64
     * counter space of this seed would run out.
     */
    public long[] reserveBlocks(long blocks) {
        if (blocks < 0) throw new IllegalArgumentException("Generator.reserveBlocks: blocks must be >= 0, got " + blocks);
        long first = take(blocks);
        advance(blocks);
        return new long[] {key, first};
    }

    /**
     * The counter at which a call that uses at most {@code maxBlocks} counter values starts; it fails before
     * anything is written when the 2^64-value counter space of this seed would run out.
     */
    private long take(long maxBlocks) {
        if (Long.compareUnsigned(maxBlocks, -1L - counter) > 0) {
            throw new IllegalStateException("Generator: counter " + Long.toUnsignedString(counter)
                    + " is too close to 2^64 for a call of up to " + maxBlocks + " blocks; fork or reseed");
        }
        return counter;
    }

    private void advance(long blocks) {
        counter += blocks;
    }

    private static <T> T nonNull(String op, String name, T array) {
        if (array == null) throw new NullPointerException(op + ": " + name + " is null");
        return array;
    }

    private static void checkSpan(String op, String name, int length, int off, int n) {
        if (n < 0) throw new IllegalArgumentException(op + ": n must be >= 0, got " + n);
        if (off < 0 || off > length - n) {
            throw new IndexOutOfBoundsException(op + ": range [" + off + ", " + ((long) off + n)
                    + ") is out of bounds for " + name + " of length " + length);
        }
    }

    private static void checkInterval(String op, double low, double high) {
        if (!(Double.isFinite(low) && Double.isFinite(high))) {
            throw new IllegalArgumentException(
                    op + ": low (" + low + ") and high (" + high + ") must be finite");
        }
        if (!(low < high)) {
            throw new IllegalArgumentException(op + ": low (" + low + ") must be < high (" + high + ")");
        }
    }

    private static void checkNormal(String op, double mean, double std) {
        if (!Double.isFinite(mean)) throw new IllegalArgumentException(op + ": mean must be finite, got " + mean);
        if (!(std >= 0.0 && std < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(op + ": std must be finite and >= 0, got " + std);
        }
    }

    private static void checkAlpha(String op, double a, int i) {
        if (!(a > 0.0 && a < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(op + ": alpha must be finite and > 0, got " + a + " at [" + i + "]");
        }
    }

    /** Checks k weights and writes their running sums into {@code cdf}; returns the last positive weight's index. */
    private static int checkWeights(String op, double[] w, int wOff, int k, double[] cdf) {
        if (k < 1) throw new IllegalArgumentException(op + ": k must be >= 1, got " + k);
        checkSpan(op, "weights", nonNull(op, "weights", w).length, wOff, k);
        double sum = 0.0;
        int lastPositive = -1;
        for (int c = 0; c < k; c++) {
            double x = w[wOff + c];
            if (!(x >= 0.0 && x < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(
                        op + ": weights must be finite and >= 0, got " + x + " at [" + c + "]");
            }
            if (x > 0.0) lastPositive = c;
            sum += x;
            cdf[c] = sum;
        }
        if (!(sum > 0.0)) throw new IllegalArgumentException(op + ": weights sum to 0; need at least one > 0");
        if (sum == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(op + ": weights sum overflows to Infinity");
        }
        return lastPositive;
    }
}
