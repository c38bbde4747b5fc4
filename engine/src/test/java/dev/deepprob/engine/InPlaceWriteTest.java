package dev.deepprob.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Writes into existing storage: every write bumps the storage's version, which every view shares (autograd compares
 * it to refuse a backward through changed values); a destination whose elements overlap is refused, as in PyTorch;
 * a source that shares the destination's storage is read before anything is written.
 */
class InPlaceWriteTest {

    static void assertThrowsWith(Class<? extends Throwable> type, String fragment, Runnable r) {
        Throwable e = assertThrows(type, r::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void viewsShareTheVersionAndFreshArraysDoNot() {
        NDArray a = NDArray.arange(DType.F64, 6).reshape(2, 3);
        List<NDArray> views = List.of(a.reshape(6), a.view(3, 2), a.permute(1, 0), a.mT(), a.expand(4, 2, 3), a.narrow(1, 1, 2),
                a.slice(1, 0, 3, 2), a.select(0, 1), a.squeeze(), a.unsqueeze(0), a.flatten(), a.diagonal(), a.to(DType.F64), a.contiguous());
        int v0 = a.version();
        a.set(7, 0, 0);
        assertEquals(v0 + 1, a.version());
        for (NDArray v : views) assertEquals(a.version(), v.version(), () -> "view " + v + " does not share the version");
        views.get(3).fillInPlace(1);                          // a write through a view is seen by the base
        assertEquals(v0 + 2, a.version());
        NDArray copy = a.copy(), sum = a.add(a), of = NDArray.of(new double[]{1, 2});
        copy.fillInPlace(3);
        assertEquals(v0 + 2, a.version(), "a copy has its own storage and its own version");
        assertEquals(0, sum.version());
        assertEquals(0, of.version());
    }

    @Test
    void everyWriteBumpsTheVersion() {
        NDArray a = NDArray.zeros(DType.F32, 2, 2);
        List<Consumer<NDArray>> writes = List.of(
                x -> x.set(1, 0, 1),
                x -> x.fillInPlace(2),
                x -> x.copyFromInPlace(NDArray.ones(DType.F32, 2)),
                x -> x.addInPlace(NDArray.ones(DType.F32, 2, 2), 0.5),
                x -> x.mulInPlace(2),
                x -> Fused.sgd(x, NDArray.ones(DType.F32, 2, 2), null, 0.1, 0, 0, 0, false, true),
                x -> NDArray.ones(DType.F32, 3, 2).indexSelect(0, NDArray.of(new long[]{2, 0}), x),
                x -> Backends.cpu().copyInto(NDArray.ones(DType.F32, 2, 2), x),
                NDArray::bumpVersion);
        for (Consumer<NDArray> w : writes) {
            int before = a.version();
            w.accept(a);
            assertTrue(a.version() > before, "a write did not bump the version");
        }
    }

    @Test
    void writesIntoOverlappingElementsAreRefused() {
        // before: the three sums 1, 2, 3 were written one after another into the one shared element, giving [3, 3, 3]
        NDArray e = NDArray.zeros(DType.F32, 1).expand(3);
        assertThrowsWith(IllegalArgumentException.class, "addInPlace: the destination of shape [3] with strides [0] has elements that "
                + "share memory", () -> e.addInPlace(NDArray.of(new float[]{1, 2, 3}), 1));
        assertThrowsWith(IllegalArgumentException.class, "fillInPlace: the destination of shape [3] with strides [0]", () -> e.fillInPlace(1));
        assertThrowsWith(IllegalArgumentException.class, "mulInPlace: the destination of shape [3] with strides [0]", () -> e.mulInPlace(2));
        assertThrowsWith(IllegalArgumentException.class, "copyFromInPlace: the destination of shape [3] with strides [0]",
                () -> e.copyFromInPlace(NDArray.of(new float[]{1, 2, 3})));
        assertThrowsWith(IllegalArgumentException.class, "set: the destination of shape [3] with strides [0]", () -> e.set(1, 2));
        assertThrowsWith(IllegalArgumentException.class, "copyInto: the destination of shape [3] with strides [0]",
                () -> Backends.cpu().copyInto(NDArray.of(new float[]{1, 2, 3}), e));
        assertEquals(0, e.version(), "a refused write must not count");
        assertArrayEquals(new float[]{0, 0, 0}, e.toFloatArray(), "nothing written");
    }

    @Test
    void overlapIsDecidedExactlyForAnyStrides() {
        assertTrue(NDArray.internalOverlap(new int[]{3}, new int[]{0}));
        assertFalse(NDArray.internalOverlap(new int[]{1, 3}, new int[]{0, 1}), "a size-1 dim never repeats an element");
        assertTrue(NDArray.internalOverlap(new int[]{3, 2}, new int[]{1, 1}), "(1, 0) and (0, 1) are both position 1");
        assertTrue(NDArray.internalOverlap(new int[]{2, 3}, new int[]{2, 1}), "(1, 0) and (0, 2) are both position 2");
        assertFalse(NDArray.internalOverlap(new int[]{3, 2}, new int[]{2, 3}), "positions 0, 3, 2, 5, 4, 7 are distinct");
        assertFalse(NDArray.internalOverlap(new int[]{2, 3, 4}, new int[]{12, 4, 1}));
        assertFalse(NDArray.internalOverlap(new int[]{4, 3}, new int[]{1, 4}), "a transpose");
        assertFalse(NDArray.internalOverlap(new int[]{0, 5}, new int[]{0, 0}), "no elements, no overlap");
        assertFalse(NDArray.internalOverlap(new int[]{3, 0}, new int[]{0, 1}), "no elements, no overlap");
        assertArrayEquals(new int[]{3, 0}, NDArray.zeros(DType.F32, 1, 0).expand(3, 0).fillInPlace(1).dims());
    }

    @Test
    void writesIntoNonOverlappingViewsWork() {
        NDArray a = NDArray.zeros(DType.F64, 3, 4);
        a.mT().narrow(0, 1, 2).fillInPlace(1);                 // columns 1 and 2
        a.diagonal().addInPlace(NDArray.of(new double[]{10, 20, 30}), 1);
        a.slice(1, 0, 4, 3).select(0, 2).set(5, -1);            // row 2, column 3
        a.unsqueeze(0).expand(1, 3, 4).addInPlace(NDArray.ones(DType.F64, 4), 100); // a size-1 dim of stride 0 is no overlap
        assertArrayEquals(new double[]{110, 101, 101, 100, 100, 121, 101, 100, 100, 101, 131, 105}, a.toDoubleArray());
    }

    @Test
    void aSourceSharingTheDestinationsStorageIsReadFirst() {
        // before: the strided loop read elements it had already overwritten and gave [[0, 2], [2, 3]]
        NDArray a = NDArray.arange(DType.F64, 4).reshape(2, 2);
        a.copyFromInPlace(a.mT());
        assertArrayEquals(new double[]{0, 2, 1, 3}, a.toDoubleArray());
        NDArray b = NDArray.arange(DType.F32, 5);
        b.slice(0, 1, 5, 1).copyFromInPlace(b.slice(0, 0, 4, 1));
        assertArrayEquals(new float[]{0, 0, 1, 2, 3}, b.toFloatArray());
    }
}
