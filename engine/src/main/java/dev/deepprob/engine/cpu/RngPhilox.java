package dev.deepprob.engine.cpu;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Philox4x32-10 counter-based bijection (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011): a 64-bit key and a 128-bit counter map to 128 random bits with no state in between, so the
 * block at any counter can be computed on any thread in any order. Internal to the engine.
 */
public final class RngPhilox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long MASK = 0xFFFFFFFFL;

    private RngPhilox() {}

    /**
     * Writes the four 32-bit words of block (key, counter) into {@code out[0..4)}. The counter's words are, from
     * least significant, (c0, c1, c2, c3), as in Random123's known-answer vectors.
     */
    public static void block(int k0, int k1, int c0, int c1, int c2, int c3, int[] out) {
        block(k0, k1, c0, c1, c2, c3, out, 0);
    }

    /** {@link #block(int, int, int, int, int, int, int[])} into {@code out[o .. o + 4)}. */
    static void block(int k0, int k1, int c0, int c1, int c2, int c3, int[] out, int o) {
        for (int r = 0; r < 10; r++) {
            long p0 = (M0 & MASK) * (c0 & MASK);
            long p1 = (M1 & MASK) * (c2 & MASK);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        out[o] = c0; out[o + 1] = c1; out[o + 2] = c2; out[o + 3] = c3;
    }

    /**
     * Block at counter {@code (lo + hi * 2^64)} under the key given as one long (low word k0): the engine's layout,
     * where {@code lo} numbers the blocks of one call and {@code hi} numbers the sub-stream of one element.
     */
    public static void block(long key, long lo, long hi, int[] out) {
        block((int) key, (int) (key >>> 32), (int) lo, (int) (lo >>> 32), (int) hi, (int) (hi >>> 32), out);
    }

    private static final VectorSpecies<Long> LANES = LongVector.SPECIES_PREFERRED;
    /** Whether the vector loop pays: it needs a 64-bit lane multiply, which AVX-512 has (AVX2 has not). */
    private static final boolean VECTOR = LANES.length() >= 8;
    private static final long[] IOTA = new long[LANES.length()];

    static {
        for (int i = 0; i < IOTA.length; i++) IOTA[i] = i;
    }

    /**
     * The n blocks at counters (lo + b, hi) for b in [0, n), into {@code out[4b .. 4b + 4)}: what n calls of
     * {@link #block(long, long, long, int[])} write, several blocks at a time in vector lanes where the CPU multiplies
     * 64-bit lanes. {@code scratch} holds at least 4 vectors of longs.
     */
    public static void blocks(long key, long lo, long hi, int n, int[] out, long[] scratch) {
        int b = 0;
        if (VECTOR) {
            int l = LANES.length();
            int k0i = (int) key, k1i = (int) (key >>> 32);
            LongVector iota = LongVector.fromArray(LANES, IOTA, 0);
            LongVector c2i = LongVector.broadcast(LANES, hi & MASK), c3i = LongVector.broadcast(LANES, hi >>> 32);
            for (; b + l <= n; b += l) {
                // 32-bit words held zero-extended in 64-bit lanes, so a lane product is the full 64-bit product
                LongVector ctr = iota.add(lo + b);
                LongVector c0 = ctr.and(MASK), c1 = ctr.lanewise(VectorOperators.LSHR, 32), c2 = c2i, c3 = c3i;
                int k0 = k0i, k1 = k1i;
                for (int r = 0; r < 10; r++) {
                    LongVector p0 = c0.mul(M0 & MASK), p1 = c2.mul(M1 & MASK);
                    c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, k0 & MASK);
                    c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, k1 & MASK);
                    c1 = p1.and(MASK);
                    c3 = p0.and(MASK);
                    k0 += W0;
                    k1 += W1;
                }
                c0.intoArray(scratch, 0);
                c1.intoArray(scratch, l);
                c2.intoArray(scratch, 2 * l);
                c3.intoArray(scratch, 3 * l);
                for (int i = 0, o = 4 * b; i < l; i++, o += 4) {
                    out[o] = (int) scratch[i];
                    out[o + 1] = (int) scratch[l + i];
                    out[o + 2] = (int) scratch[2 * l + i];
                    out[o + 3] = (int) scratch[3 * l + i];
                }
            }
        }
        for (int k0 = (int) key, k1 = (int) (key >>> 32), c2 = (int) hi, c3 = (int) (hi >>> 32); b < n; b++) {
            long c = lo + b;
            block(k0, k1, (int) c, (int) (c >>> 32), c2, c3, out, 4 * b);
        }
    }

    /** Longs of scratch {@link #blocks} needs. */
    public static int scratchLength() { return 4 * LANES.length(); }

    /** The 64-bit key a seed maps to: the SplitMix64 finaliser (Steele, Lea and Flood 2014), a bijection. */
    public static long keyOf(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Two 32-bit words as one unsigned 64-bit value, {@code lo} least significant. */
    public static long join(int lo, int hi) {
        return (lo & MASK) | ((long) hi << 32);
    }

    /** A double in [0, 1) from the top 53 bits of {@code bits}. */
    public static double unit53(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** A double in (0, 1), never 0 or 1, from the top 53 bits of {@code bits}: safe to take the log of. */
    public static double openUnit53(long bits) {
        return ((bits >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** A double in (0, 1), never 0 or 1, from one unsigned 32-bit word. */
    public static double openUnit32(int word) {
        return ((word & MASK) + 0.5) * 0x1.0p-32;
    }
}
