package dev.deepprob.engine.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The vector-lane Philox ({@link RngPhilox#blocks}) writes what the one-block form writes, carries included. */
class RngPhiloxBlocksTest {
    @Test
    void blocksEqualOneBlockAtATime() {
        SplittableRandom r = new SplittableRandom(17);
        long[] scratch = new long[RngPhilox.scratchLength()];
        // counters whose low word carries into the high one inside the run, and the 64-bit wrap of lo
        long[] los = {0, 0xFFFFFFF9L, 0x7FFFFFFFFFFFFFFDL, -5L, 0xFFFFFFFFL};
        for (int t = 0; t < 200; t++) {
            long key = r.nextLong(), lo = t < los.length ? los[t] : r.nextLong(), hi = t % 3 == 0 ? 0 : r.nextLong();
            int n = t < 20 ? t : 1 + r.nextInt(100);
            int[] got = new int[4 * n], want = new int[4 * n], w = new int[4];
            RngPhilox.blocks(key, lo, hi, n, got, scratch);
            for (int b = 0; b < n; b++) {
                RngPhilox.block(key, lo + b, hi, w);
                System.arraycopy(w, 0, want, 4 * b, 4);
            }
            int tt = t;
            assertArrayEquals(want, got, () -> "Philox blocks, key " + key + " lo " + lo + " hi " + hi + " n " + n + " (case " + tt + ")");
        }
    }
}
