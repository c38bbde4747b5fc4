package dev.deepprob.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The public seams a backend outside the engine uses: arrays over its own storage, and reserved generator blocks. */
class StorageSpiTest {
    @Test
    void onStorageMakesAViewOfTheStorageAndChecksItsReach() {
        NDArray base = NDArray.of(new double[]{0, 1, 2, 3, 4, 5});
        NDArray t = NDArray.onStorage(base.storage(), new int[]{3, 2}, new int[]{1, 3}, 0);
        assertTrue(t.sharesStorage(base));
        assertEquals(DType.F64, t.dtype());
        assertEquals(3.0, t.get(0, 1));
        assertEquals(5.0, t.get(2, 1));
        // a negative stride reaching below 0, and a view past the end, are refused with the positions named
        var low = assertThrows(IllegalArgumentException.class, () -> NDArray.onStorage(base.storage(), new int[]{3}, new int[]{-1}, 1));
        assertTrue(low.getMessage().contains("onStorage") && low.getMessage().contains("-1..1"), low.getMessage());
        var high = assertThrows(IllegalArgumentException.class, () -> NDArray.onStorage(base.storage(), new int[]{2, 3}, new int[]{3, 1}, 1));
        assertTrue(high.getMessage().contains("1..6") && high.getMessage().contains("6 elements"), high.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.onStorage(base.storage(), new int[]{2}, new int[]{1, 1}, 0));
        // an empty view reaches nothing, whatever its offset
        assertEquals(0, NDArray.onStorage(base.storage(), new int[]{0, 4}, new int[]{4, 1}, 6).size());
    }

    @Test
    void reservedBlocksAreTheOnesTheNextDrawWouldUse() {
        Generator a = new Generator(77), b = new Generator(77);
        long[] r = a.reserveBlocks(5);
        assertEquals(2, r.length);
        assertEquals(0, r[1], "a fresh generator starts at counter 0");
        assertEquals(5, a.state()[1], "the counter advances past the reserved blocks");
        // the reserved blocks are b's next five: b's sixth draw is a's first after the reservation
        for (int i = 0; i < 5; i++) b.nextLong();
        assertEquals(b.nextLong(), a.nextLong());
        assertArrayEquals(new long[]{r[0], 6}, a.reserveBlocks(0));
        assertThrows(IllegalArgumentException.class, () -> a.reserveBlocks(-1));
    }

    @Test
    void scalarArithmeticAndTrianglesStayOnTheArraysBackend() {
        NDArray x = NDArray.of(new double[]{1, 2, 3, 4}, 2, 2);
        assertSame(x.backend(), x.add(1).backend());
        assertEquals(NDArray.of(new double[]{1, 0, 3, 4}, 2, 2), x.tril(0));
    }
}
