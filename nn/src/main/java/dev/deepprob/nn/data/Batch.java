package dev.deepprob.nn.data;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;

import java.util.List;

/**
 * One mini-batch: the gathered rows of each of the dataset's arrays, as tensors (not requiring grad), and the
 * positions in the dataset they came from.
 *
 * @param tensors one tensor per dataset array, each of shape (batch, ...)
 * @param index   the examples' positions in the dataset, 1-D I64 of length batch
 */
public record Batch(List<Tensor> tensors, NDArray index) {
    /** Copies the list; a batch holds at least one tensor. */
    public Batch {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("Batch: needs at least one tensor");
        tensors = List.copyOf(tensors);
    }

    /** The batch's rows of the dataset's {@code i}-th array. */
    public Tensor get(int i) {
        if (i < 0 || i >= tensors.size()) throw new IndexOutOfBoundsException("Batch.get: index " + i + " out of range for "
                + tensors.size() + " tensors");
        return tensors.get(i);
    }

    /** The number of examples in the batch. */
    public int size() { return index.size(); }
}
