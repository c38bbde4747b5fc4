package dev.deepprob.nn.data;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Threads;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

/** Datasets and batches: every example once per epoch, rows kept together, seeded order at any thread count. */
class DataLoaderTest {
    /** n examples: x row i = (i, i + 0.5, i + 0.25), label i * 10. */
    static TensorDataset data(int n) {
        float[] x = new float[n * 3];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = i + 0.5f;
            x[3 * i + 2] = i + 0.25f;
            y[i] = 10L * i;
        }
        return new TensorDataset(NDArray.of(x, n, 3), NDArray.of(y, n));
    }

    /** The example ids of one epoch's batches, checking each batch's rows belong together. */
    static List<long[]> epoch(DataLoader loader) {
        List<long[]> ids = new ArrayList<>();
        for (Batch b : loader) {
            float[] x = b.get(0).data().toFloatArray();
            long[] y = b.get(1).data().toLongArray();
            long[] idx = b.index().toLongArray();
            assertEquals(b.size(), y.length);
            for (int r = 0; r < y.length; r++) {
                assertEquals(10 * idx[r], y[r], "label of the row");
                assertEquals(idx[r], x[3 * r]);
                assertEquals(idx[r] + 0.5f, x[3 * r + 1]);
                assertEquals(idx[r] + 0.25f, x[3 * r + 2]);
            }
            ids.add(idx);
        }
        return ids;
    }

    @Test
    void inOrderBatchesCoverTheDatasetWithAShortLastOne() {
        DataLoader l = new DataLoader(data(10), 4);
        assertEquals(3, l.batchesPerEpoch());
        List<long[]> e = epoch(l);
        assertArrayEquals(new long[]{0, 1, 2, 3}, e.get(0));
        assertArrayEquals(new long[]{8, 9}, e.get(2));
        DataLoader d = l.dropLast(true);
        assertEquals(2, d.batchesPerEpoch());
        assertEquals(2, epoch(d).size());
        assertEquals(3, new DataLoader(data(12), 4).dropLast(true).batchesPerEpoch());   // nothing to drop
    }

    @Test
    void shuffledEpochsArePermutationsThatDifferAndRepeatWithTheSeed() {
        TensorDataset ds = data(103);
        DataLoader l = new DataLoader(ds, 16).shuffle(new Generator(5));
        List<long[]> e1 = epoch(l), e2 = epoch(l);
        long[] a = flat(e1), b = flat(e2);
        assertEquals(103, a.length);
        long[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 103; i++) assertEquals(i, sorted[i], "every example once per epoch");
        assertFalse(Arrays.equals(a, b), "each epoch draws its own order");
        // (103!)^-1 chance that a correct shuffle leaves the identity; the identity means no shuffling
        assertFalse(Arrays.equals(a, sorted), "shuffled");
        // the same seed, the same batches, at 1 and 2 threads
        int before = Threads.get();
        try {
            Threads.set(1);
            long[] one = flat(epoch(new DataLoader(ds, 16).shuffle(new Generator(5))));
            Threads.set(2);
            long[] two = flat(epoch(new DataLoader(ds, 16).shuffle(new Generator(5))));
            assertArrayEquals(a, one);
            assertArrayEquals(a, two);
        } finally {
            Threads.set(before);
        }
        // drop-last drops the short batch of the shuffled order: 96 distinct examples
        List<long[]> dl = epoch(new DataLoader(ds, 16).shuffle(new Generator(5)).dropLast(true));
        assertEquals(6, dl.size());
        Set<Long> seen = new HashSet<>();
        for (long v : flat(dl)) assertTrue(seen.add(v));
        assertEquals(96, seen.size());
    }

    private static long[] flat(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void reusedBuffersAreRefilledAndAStaleBatchFailsInBackward() {
        DataLoader l = new DataLoader(data(10), 4).reuseBuffers(true);
        var it = l.iterator();
        Batch b1 = it.next();
        NDArray first = b1.get(0).data();
        Tensor w = Tensor.of(NDArray.ones(DType.F32, 3, 1)).requiresGrad(true);
        Tensor loss = b1.get(0).matmul(w).sum();                 // saves the batch for the gradient w.r.t. w
        Batch b2 = it.next();
        assertSame(first, b2.get(0).data(), "the same array refilled");
        assertEquals(4.0, b2.get(0).data().get(0, 0));           // it now holds example 4
        assertThrows(IllegalStateException.class, loss::backward, "the first batch's array was overwritten: backward refuses");
        Batch b3 = it.next();
        assertEquals(2, b3.size());
        assertNotSame(first, b3.get(0).data(), "the short batch has arrays of its own");
        assertThrowsWith(NoSuchElementException.class, it::next, "the epoch's 3 batches are all drawn");
        // without reuse, each batch keeps its values
        var fresh = new DataLoader(data(10), 4).iterator();
        NDArray f1 = fresh.next().get(0).data();
        fresh.next();
        assertEquals(0.0, f1.get(0, 0));
    }

    @Test
    void subsetsAndSplits() {
        TensorDataset ds = data(50);
        TensorDataset sub = ds.subset(NDArray.of(new long[]{7, 3, 3}));
        assertEquals(3, sub.size());
        assertArrayEquals(new long[]{70, 30, 30}, sub.array(1).toLongArray());
        assertArrayEquals(new long[]{200, 210}, ds.range(20, 22).array(1).toLongArray());
        List<TensorDataset> parts = ds.randomSplit(new Generator(3), 40, 10);
        assertEquals(40, parts.get(0).size());
        assertEquals(10, parts.get(1).size());
        Set<Long> all = new HashSet<>();
        for (TensorDataset p : parts) {
            long[] y = p.array(1).toLongArray();
            float[] x = p.array(0).toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertTrue(all.add(y[i]), "disjoint");
                assertEquals(y[i] / 10.0, x[3 * i], "rows stay together");
            }
        }
        assertEquals(50, all.size());
        assertArrayEquals(parts.get(1).array(1).toLongArray(), ds.randomSplit(new Generator(3), 40, 10).get(1).array(1).toLongArray(),
                "the same seed, the same split");
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        NDArray x = NDArray.zeros(DType.F32, 4, 2);
        assertThrowsWith(IllegalArgumentException.class, () -> new TensorDataset(x, NDArray.zeros(DType.I64, 5)),
                "TensorDataset: arrays must share their first dimension, got [4, 2], [5]");
        assertThrowsWith(IllegalArgumentException.class, () -> new TensorDataset(NDArray.scalar(DType.F32, 1)), "is a scalar");
        assertThrowsWith(IllegalArgumentException.class, TensorDataset::new, "needs at least one array");
        TensorDataset ds = new TensorDataset(x);
        assertThrowsWith(IllegalArgumentException.class, () -> new DataLoader(ds, 0), "DataLoader: batch size must be >= 1, got 0");
        assertThrowsWith(IllegalArgumentException.class, () -> new DataLoader(ds, 2).shuffle(null), "generator must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> ds.randomSplit(new Generator(1), 3, 2),
                "sizes [3, 2] add up to 5, but the dataset has 4 examples");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> ds.subset(NDArray.of(new long[]{4})), "index 4 out of range for 4 examples");
        assertThrowsWith(IllegalArgumentException.class, () -> ds.subset(NDArray.of(new float[]{1})), "index must be a 1-D I64 array, got F32");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> ds.range(3, 9), "[3, 9) is not within [0, 4]");
    }
}
