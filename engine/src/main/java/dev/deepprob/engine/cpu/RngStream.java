package dev.deepprob.engine.cpu;

/**
 * A sequential word source over one element's private Philox sub-stream: blocks (key, ctr, 0), (key, ctr, 1), ...
 * Rejection samplers draw from it, so the number of rejections of one element never shifts another's numbers.
 * Mutable and not thread-safe: each task keeps its own and {@link #reset}s it per element.
 */
public final class RngStream {
    private final int[] buf = new int[4];
    private final long key;
    private long ctr;
    private long sub;
    private int pos = 4;
    private boolean hasSpare;
    private double spare;

    /** A stream under {@code key}, positioned at counter 0; call {@link #reset} before use. */
    public RngStream(long key) {
        this.key = key;
    }

    /** Moves to the start of the sub-stream owned by counter {@code ctr}, dropping buffered words. */
    public void reset(long ctr) {
        this.ctr = ctr;
        this.sub = 0;
        this.pos = 4;
        this.hasSpare = false;
    }

    /** The next 32 random bits. */
    public int nextInt() {
        if (pos == 4) {
            RngPhilox.block(key, ctr, sub++, buf);
            pos = 0;
        }
        return buf[pos++];
    }

    /** The next 64 random bits. */
    public long nextLong() {
        int lo = nextInt();
        return RngPhilox.join(lo, nextInt());
    }

    /** A uniform double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return RngPhilox.unit53(nextLong());
    }

    /** A uniform double in (0, 1), never 0 or 1. */
    public double nextOpenDouble() {
        return RngPhilox.openUnit53(nextLong());
    }

    /** A standard normal by Box-Muller (Box and Muller 1958); the pair's second value is kept for the next call. */
    public double nextNormal() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(nextOpenDouble()));
        double t = RngKernels.TWO_PI * nextDouble();
        spare = r * StrictMath.sin(t);
        hasSpare = true;
        return r * StrictMath.cos(t);
    }

    /**
     * A uniform value in [0, range) for an unsigned 64-bit {@code range} (0 means 2^64), without modulo bias:
     * Lemire's multiply-and-reject method ("Fast random integer generation in an interval", ACM TOMACS 2019).
     */
    public long nextBelow(long range) {
        long x = nextLong();
        if (range == 0) return x;
        long lo = x * range;
        if (Long.compareUnsigned(lo, range) < 0) {
            long threshold = Long.remainderUnsigned(-range, range);
            while (Long.compareUnsigned(lo, threshold) < 0) {
                x = nextLong();
                lo = x * range;
            }
        }
        return Math.unsignedMultiplyHigh(x, range);
    }

    /** A uniform int in [0, bound) for {@code 0 < bound}, by Lemire's method on 32-bit words. */
    public int nextBelow(int bound) {
        long m = (nextInt() & 0xFFFFFFFFL) * bound;
        int lo = (int) m;
        if (Integer.compareUnsigned(lo, bound) < 0) {
            int threshold = Integer.remainderUnsigned(-bound, bound);
            while (Integer.compareUnsigned(lo, threshold) < 0) {
                m = (nextInt() & 0xFFFFFFFFL) * bound;
                lo = (int) m;
            }
        }
        return (int) (m >>> 32);
    }
}
