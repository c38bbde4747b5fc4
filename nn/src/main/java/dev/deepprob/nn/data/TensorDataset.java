package dev.deepprob.nn.data;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dataset of arrays that share their first dimension (PyTorch's {@code TensorDataset}): example {@code i} is row
 * {@code i} of each array, e.g. images (n, 784) and labels (n). Subsets and splits are gathered through the engine
 * ({@link NDArray#indexSelect}), so the rows of a subset are contiguous and batches are drawn from them by row copies.
 */
public final class TensorDataset {
    private final List<NDArray> arrays;
    private final int size;

    /**
     * @param arrays one or more arrays of rank >= 1 with the same first dimension (made contiguous here if they are
     *               not, so batches are gathered by whole-row copies)
     */
    public TensorDataset(NDArray... arrays) {
        if (arrays == null || arrays.length == 0) throw new IllegalArgumentException("TensorDataset: needs at least one array");
        List<NDArray> as = new ArrayList<>(arrays.length);
        int n = -1;
        for (int i = 0; i < arrays.length; i++) {
            NDArray a = arrays[i];
            if (a == null) throw new IllegalArgumentException("TensorDataset: array " + i + " is null");
            if (a.rank() < 1) throw new IllegalArgumentException("TensorDataset: array " + i + " is a scalar (shape []); every array needs "
                    + "a first dimension indexing the examples");
            if (n < 0) n = a.shape(0);
            else if (a.shape(0) != n) throw new IllegalArgumentException("TensorDataset: arrays must share their first dimension, got "
                    + shapes(arrays));
            as.add(a.contiguous());
        }
        this.arrays = List.copyOf(as);
        this.size = n;
    }

    private static String shapes(NDArray[] arrays) {
        List<String> s = new ArrayList<>();
        for (NDArray a : arrays) s.add(a == null ? "null" : a.shape().toString());
        return String.join(", ", s);
    }

    /** The number of examples (the shared first dimension). */
    public int size() { return size; }

    /** The number of arrays each example has (2 for images and labels). */
    public int arity() { return arrays.size(); }

    /** The {@code i}-th array, all examples. */
    public NDArray array(int i) {
        if (i < 0 || i >= arrays.size()) throw new IndexOutOfBoundsException("TensorDataset.array: index " + i + " out of range for "
                + arrays.size() + " arrays");
        return arrays.get(i);
    }

    /** The examples at the given positions, in that order, gathered into new arrays (torch.utils.data.Subset, materialised). */
    public TensorDataset subset(NDArray index) {
        if (index == null || index.dtype() != DType.I64 || index.rank() != 1) throw new IllegalArgumentException(
                "TensorDataset.subset: index must be a 1-D I64 array, got " + (index == null ? "null" : index.dtype() + " " + index.shape()));
        long[] idx = index.toLongArray();
        for (long j : idx) {
            if (j < 0 || j >= size) throw new IndexOutOfBoundsException("TensorDataset.subset: index " + j + " out of range for "
                    + size + " examples");
        }
        NDArray[] out = new NDArray[arrays.size()];
        for (int i = 0; i < out.length; i++) out[i] = arrays.get(i).indexSelect(0, index);
        return new TensorDataset(out);
    }

    /** The examples {@code start} (inclusive) to {@code end} (exclusive), as views (no copy). */
    public TensorDataset range(int start, int end) {
        if (start < 0 || end > size || start > end) throw new IndexOutOfBoundsException("TensorDataset.range: [" + start + ", " + end
                + ") is not within [0, " + size + "]");
        NDArray[] out = new NDArray[arrays.size()];
        for (int i = 0; i < out.length; i++) out[i] = arrays.get(i).narrow(0, start, end - start);
        return new TensorDataset(out);
    }

    /**
     * Splits the examples at random into parts of the given sizes (torch.utils.data.random_split): one permutation
     * drawn from {@code gen} (the same split for the same seed, at any thread count), cut in order.
     *
     * @param sizes non-negative part sizes that add up to {@link #size()}
     */
    public List<TensorDataset> randomSplit(Generator gen, int... sizes) {
        if (gen == null) throw new IllegalArgumentException("TensorDataset.randomSplit: generator must not be null");
        if (sizes == null || sizes.length == 0) throw new IllegalArgumentException("TensorDataset.randomSplit: needs at least one size");
        long total = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("TensorDataset.randomSplit: sizes must be >= 0, got " + Arrays.toString(sizes));
            total += s;
        }
        if (total != size) throw new IllegalArgumentException("TensorDataset.randomSplit: sizes " + Arrays.toString(sizes) + " add up to "
                + total + ", but the dataset has " + size + " examples");
        NDArray perm = NDArray.permutation(gen, size);
        List<TensorDataset> parts = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            parts.add(subset(perm.narrow(0, start, s).contiguous()));
            start += s;
        }
        return parts;
    }

    @Override
    public String toString() {
        List<String> s = new ArrayList<>();
        for (NDArray a : arrays) s.add(a.dtype() + " " + Shapes.str(a.dims()));
        return "TensorDataset(" + size + " examples: " + String.join(", ", s) + ")";
    }
}
