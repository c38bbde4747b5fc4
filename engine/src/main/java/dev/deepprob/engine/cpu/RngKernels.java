package dev.deepprob.engine.cpu;

/**
 * Random fills on raw arrays, driven by the Philox block at (key, ctr + b): element i of a fill reads a fixed
 * block and word, or for rejection samplers its own sub-stream at counter ctr + i, so results are the same at
 * every thread count. Arguments are assumed valid (the public {@code Generator} checks them); each method returns
 * the number of counter values it used. Transcendentals use {@link StrictMath}, or for the float normals the
 * fixed-order polynomials of {@link BoxMuller} (which round to the same floats), so that the bits are the same on
 * every JVM and CPU, not only on every run.
 */
public final class RngKernels {
    /** 2 pi, the Box-Muller angle scale. */
    static final double TWO_PI = 2.0 * Math.PI;
    /** Below this many elements, cheap fills run on the caller alone. */
    static final int PARALLEL_MIN = 1 << 15;
    /** Below this many elements, per-element rejection samplers run on the caller alone (each element costs more). */
    static final int PARALLEL_MIN_HEAVY = 1 << 12;
    /** Rates below this use inversion, from here on PTRS (Hormann 1993 states PTRS for rates >= 10). */
    static final double POISSON_PTRS_MIN = 10.0;

    private RngKernels() {}

    /** A body run over a range [from, to) of block (or element) indices. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, units), split into fixed slices over the pool when {@code elements} is at least
     * {@code minParallel}. The slicing never changes results, since each unit's numbers depend on its index only.
     */
    static void split(int units, int elements, int minParallel, Range body) {
        int threads = Pool.threads();
        if (threads <= 1 || elements < minParallel || units < 2) {
            body.run(0, units);
            return;
        }
        int tasks = Math.min(units, threads * 4);
        Pool.parallelFor(tasks, t -> body.run(
                (int) ((long) units * t / tasks), (int) ((long) units * (t + 1) / tasks)));
    }

    private static int ceilDiv(int n, int d) {
        return (int) (((long) n + d - 1) / d);
    }

    /** Uniform floats in [low, high) from 24 bits of each word; four per block. */
    public static long uniform(long key, long ctr, float[] out, int off, int n, float low, float high) {
        int blocks = ceilDiv(n, 4);
        double lo = low;
        double span = (double) high - (double) low;
        float top = Math.nextDown(high);
        split(blocks, n, PARALLEL_MIN, (b0, b1) -> {
            int batch = Math.min(BATCH_BLOCKS, b1 - b0);
            int[] w = new int[4 * batch];
            long[] scratch = new long[RngPhilox.scratchLength()];
            for (int bb = b0; bb < b1; bb += batch) {
                int nb = Math.min(batch, b1 - bb);
                RngPhilox.blocks(key, ctr + bb, 0, nb, w, scratch);
                int base = bb << 2, m = Math.min(4 * nb, n - base);
                for (int j = 0; j < m; j++) {
                    float v = (float) (lo + ((w[j] >>> 8) * 0x1.0p-24) * span);
                    out[off + base + j] = v < high ? v : top;
                }
            }
        });
        return blocks;
    }

    /** Uniform doubles in [low, high) from 53 bits of each word pair; two per block. */
    public static long uniform(long key, long ctr, double[] out, int off, int n, double low, double high) {
        int blocks = ceilDiv(n, 2);
        double span = high - low;
        boolean wide = Double.isInfinite(span); // e.g. [-MAX, MAX): scale by 1/2 so the span stays finite
        double half = 0.5 * high - 0.5 * low;
        double top = Math.nextDown(high);
        split(blocks, n, PARALLEL_MIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                RngPhilox.block(key, ctr + b, 0, w);
                int base = b << 1;
                int m = Math.min(2, n - base);
                for (int j = 0; j < m; j++) {
                    double u = RngPhilox.unit53(RngPhilox.join(w[2 * j], w[2 * j + 1]));
                    double v = wide ? 2.0 * (0.5 * low + u * half) : low + u * span;
                    out[off + base + j] = v < high ? v : top;
                }
            }
        });
        return blocks;
    }

    /** Philox blocks computed at a time by the fills that take {@link RngPhilox#blocks} (their words stay in L1). */
    static final int BATCH_BLOCKS = 128;
    /** Pairs per batch of the vectorised Box-Muller transform (the batch's arrays stay in L1). */
    static final int BOX_MULLER_PAIRS = 256;

    /**
     * Normal floats by Box-Muller on 32-bit uniforms: each block gives two pairs, four values. The transcendentals
     * run a batch of pairs at a time in {@link BoxMuller}, whose double-precision results round to the floats that
     * {@link StrictMath} gives (the result differs from the StrictMath formula in about one value in 10^8, by one
     * float ulp) and are the same on every JVM and CPU.
     */
    public static long normal(long key, long ctr, float[] out, int off, int n, float mean, float std) {
        int blocks = ceilDiv(n, 4);
        double mu = mean;
        double sd = std;
        split(blocks, n, PARALLEL_MIN, (b0, b1) -> {
            int cap = Math.min(BOX_MULLER_PAIRS, 2 * (b1 - b0));   // small fills allocate small buffers
            int[] w = new int[2 * cap];
            long[] scratch = new long[RngPhilox.scratchLength()];
            double[] u = new double[cap], q = new double[cap], f = new double[cap], c = new double[cap], s = new double[cap];
            for (int bb = b0; bb < b1; bb += cap / 2) {
                int nb = Math.min(cap / 2, b1 - bb);
                RngPhilox.blocks(key, ctr + bb, 0, nb, w, scratch);
                for (int i = 0; i < nb; i++) {
                    for (int h = 0; h < 2; h++) {
                        int j = 2 * i + h;
                        u[j] = RngPhilox.openUnit32(w[4 * i + 2 * h]);
                        BoxMuller.angle(w[4 * i + 2 * h + 1], q, f, j);
                    }
                }
                BoxMuller.pairs(u, q, f, 2 * nb, c, s);
                for (int i = 0; i < nb; i++) {
                    int base = (bb + i) << 2;
                    int m = Math.min(4, n - base);
                    for (int p = 0; p < m; p += 2) {
                        int j = 2 * i + p / 2;
                        out[off + base + p] = (float) (mu + sd * c[j]);
                        if (p + 1 < m) out[off + base + p + 1] = (float) (mu + sd * s[j]);
                    }
                }
            }
        });
        return blocks;
    }

    /** Normal doubles by Box-Muller on 53-bit uniforms: each block gives one pair. */
    public static long normal(long key, long ctr, double[] out, int off, int n, double mean, double std) {
        int blocks = ceilDiv(n, 2);
        split(blocks, n, PARALLEL_MIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                RngPhilox.block(key, ctr + b, 0, w);
                int base = b << 1;
                double r = StrictMath.sqrt(-2.0 * StrictMath.log(RngPhilox.openUnit53(RngPhilox.join(w[0], w[1]))));
                double t = TWO_PI * RngPhilox.unit53(RngPhilox.join(w[2], w[3]));
                out[off + base] = mean + std * (r * StrictMath.cos(t));
                if (base + 1 < n) out[off + base + 1] = mean + std * (r * StrictMath.sin(t));
            }
        });
        return blocks;
    }

    /**
     * Uniform longs in [low, low + range) for an unsigned 64-bit {@code range} (0 means 2^64), unbiased by
     * Lemire's method; element i owns the sub-stream at ctr + i, so a rejection shifts nothing else.
     */
    public static long integers(long key, long ctr, long[] out, int off, int n, long low, long range) {
        split(n, n, PARALLEL_MIN_HEAVY, (i0, i1) -> {
            RngStream s = new RngStream(key);
            for (int i = i0; i < i1; i++) {
                s.reset(ctr + i);
                out[off + i] = low + s.nextBelow(range);
            }
        });
        return n;
    }

    /** Bernoulli(p) flags, true when a 53-bit uniform is below p; two per block. */
    public static long bernoulli(long key, long ctr, boolean[] out, int off, int n, double p) {
        int blocks = ceilDiv(n, 2);
        split(blocks, n, PARALLEL_MIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                RngPhilox.block(key, ctr + b, 0, w);
                int base = b << 1;
                out[off + base] = RngPhilox.unit53(RngPhilox.join(w[0], w[1])) < p;
                if (base + 1 < n) out[off + base + 1] = RngPhilox.unit53(RngPhilox.join(w[2], w[3])) < p;
            }
        });
        return blocks;
    }

    /**
     * A uniform permutation of 0..n-1 by the Fisher-Yates shuffle (Knuth, TAOCP vol. 2, Algorithm 3.4.2 P) with
     * unbiased bounded draws from the one sub-stream at ctr. Sequential by nature; uses one counter value.
     */
    public static long permutation(long key, long ctr, int[] out) {
        int n = out.length;
        for (int i = 0; i < n; i++) out[i] = i;
        RngStream s = new RngStream(key);
        s.reset(ctr);
        for (int i = n - 1; i > 0; i--) {
            int j = s.nextBelow(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return 1;
    }

    /**
     * Draws from the categories whose running sums of weights are {@code cdf[0..k)} (non-decreasing, last one the
     * total, positive): the first category whose running sum exceeds u * total, by binary search, two per block.
     * Zero-weight categories are never drawn; {@code lastPositive} catches u * total rounding up to the total.
     */
    public static long categorical(long key, long ctr, double[] cdf, int k, int lastPositive,
                                   long[] out, int off, int n) {
        int blocks = ceilDiv(n, 2);
        double total = cdf[k - 1];
        split(blocks, n, PARALLEL_MIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                RngPhilox.block(key, ctr + b, 0, w);
                int base = b << 1;
                int m = Math.min(2, n - base);
                for (int j = 0; j < m; j++) {
                    double x = RngPhilox.unit53(RngPhilox.join(w[2 * j], w[2 * j + 1])) * total;
                    out[off + base + j] = search(cdf, k, x, lastPositive);
                }
            }
        });
        return blocks;
    }

    private static int search(double[] cdf, int k, double x, int lastPositive) {
        int lo = 0;
        int hi = k; // first index with cdf > x lies in [lo, hi]; hi == k means none
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > x) hi = mid; else lo = mid + 1;
        }
        return lo < k ? lo : lastPositive;
    }

    /**
     * n distinct categories drawn one after another with probability proportional to the remaining weights,
     * written in draw order. Uses the exponential-keys form of Efraimidis and Spirakis ("Weighted random sampling
     * with a reservoir", IPL 2006): category c gets key E_c / w_c with E_c ~ Exp(1), and sorting keys ascending
     * gives the successive draws. Keys are compared as log(E_c) - log(w_c) so tiny weights do not overflow.
     * Zero-weight categories are never chosen; the caller ensures n is at most the number of positive weights.
     */
    public static long multinomialWithoutReplacement(long key, long ctr, double[] wts, int wOff, int k,
                                                     long[] out, int off, int n) {
        int blocks = ceilDiv(k, 2);
        double[] keys = new double[k];
        split(blocks, k, PARALLEL_MIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                RngPhilox.block(key, ctr + b, 0, w);
                int base = b << 1;
                int m = Math.min(2, k - base);
                for (int j = 0; j < m; j++) {
                    double wt = wts[wOff + base + j];
                    double u = RngPhilox.openUnit53(RngPhilox.join(w[2 * j], w[2 * j + 1]));
                    keys[base + j] = wt > 0
                            ? StrictMath.log(-StrictMath.log(u)) - StrictMath.log(wt)
                            : Double.POSITIVE_INFINITY;
                }
            }
        });
        // Keep the n smallest (key, index) pairs in a max-heap, then pop them largest first into the tail.
        int[] heap = new int[n];
        int size = 0;
        for (int c = 0; c < k && n > 0; c++) {
            if (!(wts[wOff + c] > 0)) continue;
            if (size < n) {
                heap[size] = c;
                siftUp(heap, size++, keys);
            } else if (before(c, heap[0], keys)) {
                heap[0] = c;
                siftDown(heap, size, keys);
            }
        }
        for (int i = size - 1; i >= 0; i--) {
            out[off + i] = heap[0];
            heap[0] = heap[i];
            siftDown(heap, i, keys);
        }
        return blocks;
    }

    private static boolean before(int a, int b, double[] keys) {
        return keys[a] < keys[b] || (keys[a] == keys[b] && a < b);
    }

    private static void siftUp(int[] heap, int i, double[] keys) {
        int x = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(heap[parent], x, keys)) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = x;
    }

    private static void siftDown(int[] heap, int size, double[] keys) {
        if (size == 0) return;
        int x = heap[0];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && before(heap[child], heap[child + 1], keys)) child++;
            if (!before(x, heap[child], keys)) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }

    /** Gamma(alpha_i, 1) doubles, element i from the sub-stream at ctr + i; see {@link #gammaOne}. */
    public static long gamma(long key, long ctr, double[] alpha, int aOff, double[] out, int off, int n) {
        split(n, n, PARALLEL_MIN_HEAVY, (i0, i1) -> {
            RngStream s = new RngStream(key);
            for (int i = i0; i < i1; i++) {
                s.reset(ctr + i);
                out[off + i] = gammaOne(s, alpha[aOff + i]);
            }
        });
        return n;
    }

    /** Gamma(alpha_i, 1) floats, drawn in double and rounded, never below {@link Float#MIN_NORMAL}. */
    public static long gamma(long key, long ctr, float[] alpha, int aOff, float[] out, int off, int n) {
        split(n, n, PARALLEL_MIN_HEAVY, (i0, i1) -> {
            RngStream s = new RngStream(key);
            for (int i = i0; i < i1; i++) {
                s.reset(ctr + i);
                out[off + i] = Math.max((float) gammaOne(s, alpha[aOff + i]), Float.MIN_NORMAL);
            }
        });
        return n;
    }

    /**
     * One Gamma(alpha, 1) draw by Marsaglia and Tsang ("A simple method for generating gamma variables", ACM TOMS
     * 2000), with their boost for alpha < 1: Gamma(alpha + 1) * U^(1/alpha). The result is clamped to at least
     * {@link Double#MIN_NORMAL}, since tiny alpha underflows to 0 and a 0 breaks the log-density downstream.
     */
    static double gammaOne(RngStream s, double alpha) {
        double a = alpha < 1.0 ? alpha + 1.0 : alpha;
        double d = a - 1.0 / 3.0;
        double c = 1.0 / StrictMath.sqrt(9.0 * d);
        double g;
        while (true) {
            double x;
            double v;
            do {
                x = s.nextNormal();
                v = 1.0 + c * x;
            } while (v <= 0.0);
            v = v * v * v;
            double u = s.nextOpenDouble();
            double x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2
                    || StrictMath.log(u) < 0.5 * x2 + d * (1.0 - v + StrictMath.log(v))) {
                g = d * v;
                break;
            }
        }
        if (alpha < 1.0) g *= StrictMath.pow(s.nextOpenDouble(), 1.0 / alpha);
        return Math.max(g, Double.MIN_NORMAL);
    }

    /** Poisson(rate_i) counts as doubles, element i from the sub-stream at ctr + i; see {@link #poissonOne}. */
    public static long poisson(long key, long ctr, double[] rate, int rOff, double[] out, int off, int n) {
        split(n, n, PARALLEL_MIN_HEAVY, (i0, i1) -> {
            RngStream s = new RngStream(key);
            for (int i = i0; i < i1; i++) {
                s.reset(ctr + i);
                out[off + i] = poissonOne(s, rate[rOff + i]);
            }
        });
        return n;
    }

    /**
     * One Poisson(lambda) draw: sequential-search inversion for lambda < 10, and for larger lambda Hormann's PTRS,
     * transformed rejection with squeeze ("The transformed rejection method for generating Poisson random
     * variables", Insurance: Mathematics and Economics 12, 1993), whose constants below are the paper's.
     */
    static double poissonOne(RngStream s, double lambda) {
        if (lambda == 0.0) return 0.0;
        if (lambda < POISSON_PTRS_MIN) {
            double e = StrictMath.exp(-lambda);
            while (true) {
                double u = s.nextDouble();
                int x = 0;
                double p = e;
                double cdf = p;
                while (u >= cdf && x < 1000) {
                    x++;
                    p *= lambda / x;
                    cdf += p;
                }
                if (u < cdf) return x; // else the sum stalled below u by rounding (p ~ 1e-16): draw again
            }
        }
        double sl = StrictMath.sqrt(lambda);
        double logLambda = StrictMath.log(lambda);
        double b = 0.931 + 2.53 * sl;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2.0);
        while (true) {
            double u = s.nextDouble() - 0.5;
            double v = s.nextDouble();
            double us = 0.5 - Math.abs(u);
            double k = Math.floor((2.0 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0.0 || (us < 0.013 && v > us)) continue;
            if (StrictMath.log(v * invAlpha / (a / (us * us) + b)) <= -lambda + k * logLambda - logFactorial(k)) {
                return k;
            }
        }
    }

    private static final double[] LOG_FACTORIAL = new double[32];

    static {
        double acc = 0.0;
        for (int i = 1; i < LOG_FACTORIAL.length; i++) {
            acc += StrictMath.log(i);
            LOG_FACTORIAL[i] = acc;
        }
    }

    /**
     * log(k!) for a whole k >= 0: a table below 32, above it Stirling's series for log Gamma(k + 1) to the x^-7
     * term (Abramowitz and Stegun 6.1.41), whose error there is below 1e-16.
     */
    static double logFactorial(double k) {
        if (k < LOG_FACTORIAL.length) return LOG_FACTORIAL[(int) k];
        double x = k + 1.0;
        double r = 1.0 / x;
        double r2 = r * r;
        double series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))));
        return (x - 0.5) * StrictMath.log(x) - x + 0.5 * StrictMath.log(TWO_PI) + series;
    }
}
