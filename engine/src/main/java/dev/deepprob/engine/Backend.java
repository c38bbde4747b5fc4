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

    /**
     * Batched matrix products of a (..., m, k) and b (..., k, n), both of rank >= 2 and one dtype, their batch dims
     * broadcasting; the caller has checked the shapes ({@link Shapes#matmul}) and promoted 1-D operands.
     */
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

    // ---- moving data between the device and the CPU

    /** A CPU array with x's elements (x itself when it already lives on the CPU). */
    NDArray toCpu(NDArray x);

    /** This backend's copy of a CPU array (x itself when this is the CPU backend). */
    NDArray fromCpu(NDArray x);

    /**
     * A new contiguous array on this backend's device with every element v (converted to t), as torch's
     * {@code full(..., device=)}. The default builds it on the CPU and copies it over; a device backend may fill in place.
     */
    default NDArray full(DType t, double v, int[] shape) { return fromCpu(NDArray.cpuFull(t, v, shape.clone())); }

    /** Sets every element of dst (any strides, no overlapping elements) to v, in place; bumps its storage's version. */
    void fill(NDArray dst, double v);

    // ---- special functions

    /**
     * The special function {@code fn} elementwise over {@code fn.arity()} floating operands of one shape, dtype and
     * backend (the caller has checked and broadcast them; the first is the array the NDArray method was called on).
     */
    NDArray special(SpecialFn fn, NDArray[] args);

    // ---- random numbers: every sampler of the library, reproducible per seed whatever the thread count

    /** Uniform numbers in [low, high). */
    NDArray uniform(Generator gen, DType t, double low, double high, int[] shape);

    /** Normal numbers. */
    NDArray normal(Generator gen, DType t, double mean, double std, int[] shape);

    /** Uniform integers in [low, high) as I64. */
    NDArray randint(Generator gen, long low, long high, int[] shape);

    /** BOOL, each true with probability p. */
    NDArray bernoulli(Generator gen, double p, int[] shape);

    /** A uniformly random permutation of 0..n-1 as I64. */
    NDArray permutation(Generator gen, int n);

    /** Category draws (I64, shape (..., samples)) from the rows of non-negative weights of rank 1 or 2 (checked by the caller). */
    NDArray multinomial(Generator gen, NDArray weights, int samples, boolean replacement);

    /** Gamma(a, 1) samples, one per element of alpha, of alpha's dtype. */
    NDArray standardGamma(Generator gen, NDArray alpha);

    /** Poisson samples, one per element of rate, of rate's dtype. */
    NDArray poisson(Generator gen, NDArray rate);

    // ---- fused optimiser updates (operands checked by Fused; all contiguous at offset 0, written in place)

    /** torch.optim.SGD's step; momentumBuffer is null without momentum. See {@link Fused#sgd}. */
    void sgdStep(NDArray param, NDArray grad, NDArray momentumBuffer, double lr, double momentum, double dampening,
                 double weightDecay, boolean nesterov, boolean firstStep);

    /** Adam's step t (AdamW when decoupled, amsgrad when maxExpAvgSq is non-null). See {@link Fused#adam}. */
    void adamStep(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq, long step, double lr,
                  double beta1, double beta2, double eps, double weightDecay, boolean decoupled);

    /** RMSprop's step (centered when gradAvg is non-null, momentum when momentumBuffer is). See {@link Fused#rmsprop}. */
    void rmspropStep(NDArray param, NDArray grad, NDArray squareAvg, NDArray gradAvg, NDArray momentumBuffer, double lr,
                     double alpha, double eps, double weightDecay, double momentum);

    /** out ← the slices of x along dim named by the 1-D I64 index (out has indexSelect's shape; checked by the caller). */
    void indexSelectInto(NDArray x, int dim, NDArray index, NDArray out);

    // ---- linear algebra

    NDArray cholesky(NDArray a);

    NDArray triangularSolve(NDArray a, NDArray b, boolean upper, boolean left, boolean unitDiagonal);

    NDArray solve(NDArray a, NDArray b);

    NDArray inverse(NDArray a);

    /** adj(A), with A adj(A) = det(A) I; defined for singular A too. */
    NDArray adjugate(NDArray a);

    /** {sign, log|det|}. */
    NDArray[] slogdet(NDArray a);
}
