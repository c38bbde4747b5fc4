package dev.deepprob.engine.cpu;

import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;

/**
 * The float kernels of one dtype, picked once per operation with {@link #of}, so the CPU backend is written once
 * for F32 and F64 instead of branching in every method. Arrays are the storage's heap arrays ({@code float[]} or
 * {@code double[]}, matching the dtype) passed as Object; each method is a one-line delegation to the dtype's
 * {@code VecF32}/{@code VecF64}, {@code Gemm} or {@code OptimKernels} kernel with the same arguments, so results
 * are those kernels' bits. Kernels that return a value store it into {@code out[oo]} in the dtype, as a caller
 * holding the typed array would. Two implementations, generated from {@code FloatKernels.java.tmpl}: call sites
 * stay bimorphic, which C2 inlines behind a type check.
 */
public sealed interface FloatKernels permits FloatKernelsF32, FloatKernelsF64 {

    /** The kernels of F32 or F64; throws for the other dtypes, which have no float kernels. */
    static FloatKernels of(DType t) {
        if (t == DType.F32) return FloatKernelsF32.INSTANCE;
        if (t == DType.F64) return FloatKernelsF64.INSTANCE;
        throw new IllegalArgumentException("float kernels: expected F32 or F64, got " + t);
    }

    /** {@code VecF64.unary}. */
    void unary(UnaryOp op, Object x, int xo, int xs, Object out, int oo, int n);

    /** {@code VecF64.polygamma}. */
    void polygamma(int order, Object x, int xo, int xs, Object out, int oo, int n);

    /** {@code VecF64.clamp}; F32 rounds lo and hi to float first. */
    void clamp(Object x, int xo, int xs, double lo, double hi, Object out, int oo, int n);

    /** {@code VecF64.binary}. */
    void binary(BinaryOp op, Object a, int ao, int as, Object b, int bo, int bs, Object out, int oo, int n);

    /** {@code VecF64.compare}. */
    void compare(BinaryOp op, Object a, int ao, int as, Object b, int bo, int bs, boolean[] out, int oo, int n);

    /** {@code VecF64.where}. */
    void where(boolean[] c, int co, int cs, Object a, int ao, int as, Object b, int bo, int bs, Object out, int oo, int n);

    /** {@code out[oo] = VecF64.reduce(op, x, xo, xs, n)}. */
    void reduce(ReduceOp op, Object x, int xo, int xs, int n, Object out, int oo);

    /** {@code VecF64.accumulate}. */
    void accumulate(ReduceOp op, Object x, int xo, Object acc, int ao, int n);

    /** {@code VecF64.argReduce}: the index, the same for either dtype's output. */
    int argReduce(boolean max, Object x, int xo, int xs, int n);

    /** {@code out[oo] = VecF64.logSumExp(x, xo, xs, n)}. */
    void logSumExp(Object x, int xo, int xs, int n, Object out, int oo);

    /** {@code VecF64.cumsum}. */
    void cumsum(Object x, int xo, int xs, Object out, int oo, int n);

    /** {@code Gemm.dgemm} or {@code Gemm.sgemm}, with their layout contract. */
    void gemm(int m, int n, int k, Object a, int aOff, int rsA, int csA, Object b, int bOff, int rsB, int csB,
              Object c, int cOff, int ldc, boolean accumulate);

    /** {@code OptimKernels.sgdF64}; a state array the variant does not use is null. */
    void sgd(Object p, Object g, Object buf, int n, double lr, boolean first, double momentum, double dampening,
             double weightDecay, boolean nesterov);

    /** {@code OptimKernels.adamF64}; vmax is null but for AMSGrad. */
    void adam(Object p, Object g, Object m, Object v, Object vmax, int n, double stepSize, double bc2Sqrt, double decay,
              double beta1, double beta2, double eps, double weightDecay, boolean decoupled);

    /** {@code OptimKernels.rmspropF64}; a state array the variant does not use is null. */
    void rmsprop(Object p, Object g, Object sq, Object ga, Object buf, int n, double lr, double alpha, double eps,
                 double weightDecay, double momentum);
}
