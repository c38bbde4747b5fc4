package dev.deepprob.engine;

import java.util.List;

/**
 * The kernel contract: the small set of operations every backend implements (elementwise, where, reductions,
 * matmul, movement/copy, random fill, linear algebra). Backends know nothing about gradients. Inputs are
 * {@link NDArray}s of any strides; outputs are new contiguous arrays, except {@link #copyInto}.
 * The CPU backend is built in; others (OpenCL) are found with {@link java.util.ServiceLoader} and must pass the
 * same contract tests.
 */
public interface Backend {
    /** A short name, e.g. "cpu" or "opencl". */
    String name();

    NDArray unary(UnaryOp op, NDArray x);

    /** The n-th derivative of digamma, elementwise (n = 0 is digamma). */
    NDArray polygamma(int n, NDArray x);

    /** Elementwise with NumPy broadcasting; comparisons give BOOL. Both operands must have one dtype. */
    NDArray binary(BinaryOp op, NDArray a, NDArray b);

    /** cond ? a : b with broadcasting over all three. */
    NDArray where(NDArray cond, NDArray a, NDArray b);

    NDArray clamp(NDArray x, double lo, double hi);

    /** Reduction over the given axes (all when empty). */
    NDArray reduce(ReduceOp op, NDArray x, int[] dims, boolean keepDim);

    /** Index (I64) of the max (or min) along one axis; first on ties, a NaN wins. */
    NDArray argReduce(boolean max, NDArray x, int dim, boolean keepDim);

    /** Stable log Σ exp over the given axes. */
    NDArray logSumExp(NDArray x, int[] dims, boolean keepDim);

    NDArray cumsum(NDArray x, int dim);

    /** torch.matmul semantics. */
    NDArray matmul(NDArray a, NDArray b);

    /** A contiguous copy. */
    NDArray copy(NDArray x);

    /**
     * Writes src (already of dst's shape and dtype) into dst's elements, whatever dst's strides, and bumps dst's
     * version. Refuses a dst whose elements overlap; a src sharing dst's storage is read in full first.
     */
    void copyInto(NDArray src, NDArray dst);

    NDArray cast(NDArray x, DType t);

    NDArray cat(List<NDArray> arrays, int dim);

    NDArray indexSelect(NDArray x, int dim, NDArray index);

    NDArray gather(NDArray x, int dim, NDArray index);

    NDArray scatterAdd(NDArray x, int dim, NDArray index, NDArray src);

    NDArray uniform(Generator gen, DType t, double low, double high, int[] shape);

    NDArray normal(Generator gen, DType t, double mean, double std, int[] shape);

    NDArray cholesky(NDArray a);

    NDArray triangularSolve(NDArray a, NDArray b, boolean upper, boolean left, boolean unitDiagonal);

    NDArray solve(NDArray a, NDArray b);

    NDArray inverse(NDArray a);

    /** adj(A), with A adj(A) = det(A) I; defined for singular A too. */
    NDArray adjugate(NDArray a);

    /** {sign, log|det|}. */
    NDArray[] slogdet(NDArray a);
}
