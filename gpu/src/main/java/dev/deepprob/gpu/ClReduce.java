package dev.deepprob.gpu;

import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.ReduceOp;

/** Reductions on the device (reduce.cl). */
final class ClReduce {
    private ClReduce() {}

    static NDArray reduce(ClBackend b, ReduceOp op, NDArray x, int[] dims, boolean keepDim) { throw ClRandom.notYet("reduce"); }

    static NDArray argReduce(ClBackend b, boolean max, NDArray x, int dim, boolean keepDim) { throw ClRandom.notYet("argReduce"); }

    static NDArray logSumExp(ClBackend b, NDArray x, int[] dims, boolean keepDim) { throw ClRandom.notYet("logSumExp"); }

    static NDArray cumsum(ClBackend b, NDArray x, int dim) { throw ClRandom.notYet("cumsum"); }
}
