package dev.deepprob.nn.data;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Mini-batches of a {@link TensorDataset}, one epoch per {@link #iterator()} (PyTorch's {@code DataLoader} over a
 * {@code TensorDataset}): in order, or shuffled by a permutation drawn from a {@link Generator}
 * at the start of each epoch (so the same seed gives the same batches on every run and at every thread count), with
 * the last short batch kept or dropped.
 *
 * <p>Rows are gathered by the engine ({@link NDArray#indexSelect(int, NDArray, NDArray)}), one row copy each. By
 * default each batch gets fresh arrays; {@link #reuseBuffers(boolean)} makes the loader refill the same arrays
 * instead (no allocation per batch), so a batch is valid only until the next one is drawn: keeping a batch's tensor
 * in a graph past that makes its backward pass throw (the arrays' version changed), it never reads wrong values
 * silently. The loader is immutable: the configuring methods return a new loader.
 */
public final class DataLoader implements Iterable<Batch> {
    private final TensorDataset dataset;
    private final int batchSize;
    private final Generator shuffle;
    private final boolean dropLast;
    private final boolean reuse;

    /** Batches of {@code batchSize} examples in the dataset's order, the last one possibly shorter. */
    public DataLoader(TensorDataset dataset, int batchSize) { this(dataset, batchSize, null, false, false); }

    private DataLoader(TensorDataset dataset, int batchSize, Generator shuffle, boolean dropLast, boolean reuse) {
        if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset must not be null");
        if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + batchSize);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.reuse = reuse;
    }

    /**
     * This loader, shuffling every epoch with permutations drawn from {@code gen} (the generator advances once per
     * epoch, by one permutation of the dataset's size).
     */
    public DataLoader shuffle(Generator gen) {
        if (gen == null) throw new IllegalArgumentException("DataLoader.shuffle: generator must not be null");
        return new DataLoader(dataset, batchSize, gen, dropLast, reuse);
    }

    /** This loader, dropping (true) or keeping (false) the last batch when it is shorter than the batch size. */
    public DataLoader dropLast(boolean drop) { return new DataLoader(dataset, batchSize, shuffle, drop, reuse); }

    /** This loader, refilling one set of batch arrays (true) or allocating fresh ones per batch (false, the default). */
    public DataLoader reuseBuffers(boolean reuseBuffers) { return new DataLoader(dataset, batchSize, shuffle, dropLast, reuseBuffers); }

    /** The dataset. */
    public TensorDataset dataset() { return dataset; }

    /** The batch size. */
    public int batchSize() { return batchSize; }

    /** The number of batches in one epoch: ceil(n / batch), or floor with drop-last. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** One epoch of batches; when shuffling, this draws the epoch's permutation from the generator now. */
    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size();
        NDArray order = shuffle != null ? NDArray.permutation(shuffle, n) : NDArray.arange(DType.I64, n);
        return new Epoch(order);
    }

    private final class Epoch implements Iterator<Batch> {
        private final NDArray order;
        private final int batches;
        private int next;
        private NDArray[] full, tail;       // reused batch arrays: full-size batches and the last short one

        Epoch(NDArray order) {
            this.order = order;
            this.batches = batchesPerEpoch();
        }

        @Override
        public boolean hasNext() { return next < batches; }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch's " + batches + " batches are all drawn");
            int start = next * batchSize, len = Math.min(batchSize, dataset.size() - start);
            next++;
            NDArray index = order.narrow(0, start, len);
            List<Tensor> ts = new ArrayList<>(dataset.arity());
            NDArray[] bufs = null;
            if (reuse) {
                if (len == batchSize) bufs = full = full != null ? full : allocate(len);
                else bufs = tail = tail != null ? tail : allocate(len);
            }
            for (int i = 0; i < dataset.arity(); i++) {
                NDArray src = dataset.array(i);
                ts.add(Tensor.of(bufs != null ? src.indexSelect(0, index, bufs[i]) : src.indexSelect(0, index)));
            }
            return new Batch(ts, index);
        }

        private NDArray[] allocate(int len) {
            NDArray[] b = new NDArray[dataset.arity()];
            for (int i = 0; i < b.length; i++) {
                int[] s = dataset.array(i).dims();
                s[0] = len;
                b[i] = NDArray.zeros(dataset.array(i).dtype(), s);
            }
            return b;
        }
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset + ", batch " + batchSize + (shuffle != null ? ", shuffled" : "") + (dropLast ? ", drop last" : "")
                + (reuse ? ", reused buffers" : "") + ")";
    }
}
