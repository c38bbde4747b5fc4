package dev.deepprob.engine.cpu;

import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float64 kernels on raw arrays with the Vector API: contiguous inputs (stride 1, or stride 0 for one operand
 * of a binary op) run an unmasked vector loop and a scalar tail; other strides fall back to {@link RefF64}.
 * Same signatures and semantics as {@link RefF64}; no kernel allocates. Each vector loop is its own small
 * method with a constant operator, so C2 compiles it.
 *
 * <p>Deterministic (DESIGN rule 7), as {@link VecF32}: the transcendentals are {@link VecMathF64}'s, never the
 * Vector API's {@code lanewise(EXP)} and kin, the tail, strided and broadcast paths use their scalar forms,
 * and reductions fold their lanes by a fixed sequence of shuffles, never with {@code reduceLanes}. POW is
 * {@link VecMathF64#pow}, a vector pow through a double-double log2 (StrictMath.pow for the special operands).
 */
public final class VecF64 {
    private VecF64() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Vector partial sums cover at most this many elements (64 per accumulator lane) before joining the total. */
    private static final int BLOCK = 64 * 4 * L;
    /**
     * Lane shifts by 1, 2, 4, 8 with zero fill, for the in-register prefix sum (Hillis and Steele 1986). Kept as
     * separate static finals: read from an array inside the loop the scan ran at half the speed.
     */
    private static final VectorShuffle<Double> SH1 = shift(1), SH2 = shift(2), SH4 = shift(4), SH8 = shift(8);
    private static final VectorMask<Double> KEEP1 = keep(1), KEEP2 = keep(2), KEEP4 = keep(4), KEEP8 = keep(8);
    /** Lane rotations by L/2, L/4, ..., 1 for the fixed-order folds of the reductions (see {@link #foldSum}). */
    private static final VectorShuffle<Double> ROT8 = rot(8), ROT4 = rot(4), ROT2 = rot(2), ROT1 = rot(1);

    private static VectorShuffle<Double> shift(int d) {
        return VectorShuffle.fromOp(S, j -> Math.floorMod(j - d, L));
    }

    private static VectorShuffle<Double> rot(int d) {
        return VectorShuffle.fromOp(S, j -> (j + d) % L);
    }

    private static VectorMask<Double> keep(int d) {
        return VectorMask.fromLong(S, d >= 64 ? 0 : -1L << d);
    }

    // ---------------------------------------------------------------- elementwise

    /** out[oo+i] = op(x[xo+i*xs]); every UnaryOp but NOT. LGAMMA, DIGAMMA, TRIGAMMA, FLOOR, CEIL, ROUND are scalar. */
    public static void unary(UnaryOp op, double[] x, int xo, int xs, double[] out, int oo, int n) {
        if (op == UnaryOp.NOT) throw RefF64.notFloat(op, "F64");
        if (n <= 0) return;
        if (xs == 0) {
            Arrays.fill(out, oo, oo + n, apply(op, x[xo]));
            return;
        }
        if (xs != 1) {
            for (int i = 0; i < n; i++) out[oo + i] = apply(op, x[xo + i * xs]);
            return;
        }
        int i = switch (op) {
            case NEG -> neg(x, xo, out, oo, n);
            case ABS -> abs(x, xo, out, oo, n);
            case SIGN -> sign(x, xo, out, oo, n);
            case EXP -> VecMathF64.exp(x, xo, out, oo, n);
            case EXPM1 -> VecMathF64.expm1(x, xo, out, oo, n);
            case LOG -> VecMathF64.log(x, xo, out, oo, n);
            case LOG1P -> VecMathF64.log1p(x, xo, out, oo, n);
            case SQRT -> sqrt(x, xo, out, oo, n);
            case SIN -> VecMathF64.trig(x, xo, out, oo, n, 0);
            case COS -> VecMathF64.trig(x, xo, out, oo, n, 1);
            case TANH -> VecMathF64.tanh(x, xo, out, oo, n);
            case SIGMOID -> VecMathF64.sigmoid(x, xo, out, oo, n);
            case RELU -> relu(x, xo, out, oo, n);
            case RECIPROCAL -> reciprocal(x, xo, out, oo, n);
            case SQUARE -> square(x, xo, out, oo, n);
            case FLOOR -> floor(x, xo, out, oo, n);
            case CEIL -> ceil(x, xo, out, oo, n);
            case ROUND -> rint(x, xo, out, oo, n);
            case LGAMMA -> lgamma(x, xo, out, oo, n);
            case DIGAMMA -> digamma(x, xo, out, oo, n);
            case TRIGAMMA -> trigamma(x, xo, out, oo, n);
            case NOT -> throw RefF64.notFloat(op, "F64");
        };
        for (; i < n; i++) out[oo + i] = apply(op, x[xo + i]);
    }

    /**
     * One element of {@code op} exactly as the vector loop computes it: {@link VecMathF64}'s scalar forms for the
     * transcendentals, {@link RefF64} for the rest (exactly rounded or scalar there too).
     */
    static double apply(UnaryOp op, double v) {
        return switch (op) {
            case EXP -> VecMathF64.exp(v);
            case EXPM1 -> VecMathF64.expm1(v);
            case LOG -> VecMathF64.log(v);
            case LOG1P -> VecMathF64.log1p(v);
            case SIN -> VecMathF64.sin(v);
            case COS -> VecMathF64.cos(v);
            case TANH -> VecMathF64.tanh(v);
            case SIGMOID -> VecMathF64.sigmoid(v);
            default -> RefF64.apply(op, v);
        };
    }

    /** One element of an arithmetic {@code op} as the vector loop computes it (POW: {@link VecMathF64#pow}). */
    static double apply(BinaryOp op, double a, double b) {
        return op == BinaryOp.POW ? VecMathF64.pow(a, b) : RefF64.apply(op, a, b);
    }

    private static int neg(double[] x, int xo, double[] out, int oo, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) DoubleVector.fromArray(S, x, xo + i).neg().intoArray(out, oo + i);
        return i;
    }

    private static int abs(double[] x, int xo, double[] out, int oo, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) DoubleVector.fromArray(S, x, xo + i).abs().intoArray(out, oo + i);
        return i;
    }

    /** Math.signum: +-1, and x itself for +-0 and NaN. */
    private static int sign(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0), minusOne = DoubleVector.broadcast(S, -1.0);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            v.blend(one, v.compare(VectorOperators.GT, 0.0)).blend(minusOne, v.compare(VectorOperators.LT, 0.0))
                .intoArray(out, oo + i);
        }
        return i;
    }

    private static int sqrt(double[] x, int xo, double[] out, int oo, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) DoubleVector.fromArray(S, x, xo + i).sqrt().intoArray(out, oo + i);
        return i;
    }

    /** max(x, 0) with Java's max, which keeps NaN (PyTorch: relu(NaN) = NaN). */
    private static int relu(double[] x, int xo, double[] out, int oo, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) DoubleVector.fromArray(S, x, xo + i).max(0.0).intoArray(out, oo + i);
        return i;
    }

    private static int reciprocal(double[] x, int xo, double[] out, int oo, int n) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) one.div(DoubleVector.fromArray(S, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int square(double[] x, int xo, double[] out, int oo, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(out, oo + i);
        }
        return i;
    }

    // The Vector API has no rounding or special-function lanewise op: plain loops (C2 intrinsifies floor/ceil/rint).
    private static int floor(double[] x, int xo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.floor(x[xo + i]);
        return n;
    }

    private static int ceil(double[] x, int xo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.ceil(x[xo + i]);
        return n;
    }

    private static int rint(double[] x, int xo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.rint(x[xo + i]);
        return n;
    }

    private static int lgamma(double[] x, int xo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Special.lgamma(x[xo + i]);
        return n;
    }

    private static int digamma(double[] x, int xo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Special.digamma(x[xo + i]);
        return n;
    }

    private static int trigamma(double[] x, int xo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Special.trigamma(x[xo + i]);
        return n;
    }

    /**
     * out[oo+i] = op(a[ao+i*as], b[bo+i*bs]) for ADD..MIN. Vector path when both strides are 1, or one is 1
     * and the other 0 (a broadcast scalar); anything else is scalar.
     */
    public static void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs,
                              double[] out, int oo, int n) {
        if (op.isComparison() || op == BinaryOp.AND || op == BinaryOp.OR) throw RefF64.notArithmetic(op, "F64");
        if (n <= 0) return;
        if ((as | bs) != 1) {
            if (op == BinaryOp.POW) for (int i = 0; i < n; i++) out[oo + i] = VecMathF64.pow(a[ao + i * as], b[bo + i * bs]);
            else RefF64.binary(op, a, ao, as, b, bo, bs, out, oo, n);
            return;
        }
        int i = switch (op) {
            case ADD -> add(a, ao, as, b, bo, bs, out, oo, n);
            case SUB -> sub(a, ao, as, b, bo, bs, out, oo, n);
            case MUL -> mul(a, ao, as, b, bo, bs, out, oo, n);
            case DIV -> div(a, ao, as, b, bo, bs, out, oo, n);
            case POW -> pow(a, ao, as, b, bo, bs, out, oo, n);
            case MAX -> max(a, ao, as, b, bo, bs, out, oo, n);
            case MIN -> min(a, ao, as, b, bo, bs, out, oo, n);
            case EQ, NE, LT, LE, GT, GE, AND, OR -> throw RefF64.notArithmetic(op, "F64");
        };
        for (; i < n; i++) out[oo + i] = apply(op, a[ao + i * as], b[bo + i * bs]);
    }

    // In the binary loops a stride of 0 picks the broadcast vector: the test is loop-invariant, C2 unswitches it.
    private static int add(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.add(vb).intoArray(out, oo + i);
        }
        return i;
    }

    private static int sub(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.sub(vb).intoArray(out, oo + i);
        }
        return i;
    }

    private static int mul(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.mul(vb).intoArray(out, oo + i);
        }
        return i;
    }

    private static int div(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.div(vb).intoArray(out, oo + i);
        }
        return i;
    }

    /**
     * {@link VecMathF64#pow}; a broadcast exponent 2, 1 or 0 over contiguous a is a square, a copy or ones (the same
     * bits: pow returns a*a, a and 1 for those).
     */
    private static int pow(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        if (bs == 0 && as == 1) {
            double e = b[bo];
            if (e == 2.0) return square(a, ao, out, oo, n);
            if (e == 1.0 || e == 0.0) {
                int u = S.loopBound(n);
                if (e == 1.0) System.arraycopy(a, ao, out, oo, u);
                else Arrays.fill(out, oo, oo + u, 1.0);
                return u;
            }
        }
        return VecMathF64.pow(a, ao, as, b, bo, bs, out, oo, n);
    }

    private static int max(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.max(vb).intoArray(out, oo + i);
        }
        return i;
    }

    private static int min(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.min(vb).intoArray(out, oo + i);
        }
        return i;
    }

    /**
     * out[oo+i] = a[ao+i*as] op b[bo+i*bs] for EQ..GE, IEEE semantics (NaN compares unequal to all). GT and GE
     * run as LT and LE with the operands swapped.
     */
    public static void compare(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs,
                               boolean[] out, int oo, int n) {
        if (!op.isComparison()) throw RefF64.notComparison(op, "F64");
        if (n <= 0) return;
        if ((as | bs) != 1) {
            RefF64.compare(op, a, ao, as, b, bo, bs, out, oo, n);
            return;
        }
        int i = switch (op) {
            case EQ -> eq(a, ao, as, b, bo, bs, out, oo, n);
            case NE -> ne(a, ao, as, b, bo, bs, out, oo, n);
            case LT -> lt(a, ao, as, b, bo, bs, out, oo, n);
            case LE -> le(a, ao, as, b, bo, bs, out, oo, n);
            case GT -> lt(b, bo, bs, a, ao, as, out, oo, n);
            case GE -> le(b, bo, bs, a, ao, as, out, oo, n);
            case ADD, SUB, MUL, DIV, POW, MAX, MIN, AND, OR -> throw RefF64.notComparison(op, "F64");
        };
        for (; i < n; i++) out[oo + i] = RefF64.test(op, a[ao + i * as], b[bo + i * bs]);
    }

    private static int eq(double[] a, int ao, int as, double[] b, int bo, int bs, boolean[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.compare(VectorOperators.EQ, vb).intoArray(out, oo + i);
        }
        return i;
    }

    private static int ne(double[] a, int ao, int as, double[] b, int bo, int bs, boolean[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.compare(VectorOperators.NE, vb).intoArray(out, oo + i);
        }
        return i;
    }

    private static int lt(double[] a, int ao, int as, double[] b, int bo, int bs, boolean[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.compare(VectorOperators.LT, vb).intoArray(out, oo + i);
        }
        return i;
    }

    private static int le(double[] a, int ao, int as, double[] b, int bo, int bs, boolean[] out, int oo, int n) {
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            va.compare(VectorOperators.LE, vb).intoArray(out, oo + i);
        }
        return i;
    }

    /**
     * out[oo+i] = c[co+i*cs] ? a[ao+i*as] : b[bo+i*bs]. A broadcast condition is a copy of one side; a
     * contiguous condition blends when a and b have strides 0 or 1.
     */
    public static void where(boolean[] c, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs,
                             double[] out, int oo, int n) {
        if (n <= 0) return;
        if (cs == 0) {
            if (c[co]) copy(a, ao, as, out, oo, n);
            else copy(b, bo, bs, out, oo, n);
            return;
        }
        if (cs != 1 || (as & ~1) != 0 || (bs & ~1) != 0) {
            RefF64.where(c, co, cs, a, ao, as, b, bo, bs, out, oo, n);
            return;
        }
        DoubleVector ca = DoubleVector.broadcast(S, a[ao]), cb = DoubleVector.broadcast(S, b[bo]);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector va = as == 0 ? ca : DoubleVector.fromArray(S, a, ao + i);
            DoubleVector vb = bs == 0 ? cb : DoubleVector.fromArray(S, b, bo + i);
            vb.blend(va, VectorMask.fromArray(S, c, co + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = c[co + i] ? a[ao + i * as] : b[bo + i * bs];
    }

    private static void copy(double[] x, int xo, int xs, double[] out, int oo, int n) {
        if (xs == 1) System.arraycopy(x, xo, out, oo, n);
        else if (xs == 0) Arrays.fill(out, oo, oo + n, x[xo]);
        else for (int i = 0; i < n; i++) out[oo + i] = x[xo + i * xs];
    }

    /** out[oo+i] = min(max(x, lo), hi), as torch.clamp (lo &gt; hi gives hi); NaN stays NaN. */
    public static void clamp(double[] x, int xo, int xs, double lo, double hi, double[] out, int oo, int n) {
        if (n <= 0) return;
        if (xs != 1) {
            RefF64.clamp(x, xo, xs, lo, hi, out, oo, n);
            return;
        }
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) DoubleVector.fromArray(S, x, xo + i).max(lo).min(hi).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = Math.min(Math.max(x[xo + i], lo), hi);
    }

    /** out[oo+i] = ψ^(order)(x), order >= 0 (0 is digamma): scalar, through {@link Special#polygamma}. */
    public static void polygamma(int order, double[] x, int xo, int xs, double[] out, int oo, int n) {
        RefF64.polygamma(order, x, xo, xs, out, oo, n);
    }

    // ---------------------------------------------------------------- reductions

    /**
     * SUM, PROD, MAX or MIN of n elements (empty: 0, 1, -inf, +inf); MAX and MIN propagate NaN. Four vector
     * accumulators hide the add latency. SUM is two-level: vector lanes within blocks of {@code 64 * 4 * L} elements
     * (64 adds per lane), then the block sums, so its error grows with the block size rather than with n.
     */
    public static double reduce(ReduceOp op, double[] x, int xo, int xs, int n) {
        if (xs != 1) return RefF64.reduce(op, x, xo, xs, n);
        return switch (op) {
            case SUM -> sum(x, xo, n);
            case PROD -> prod(x, xo, n);
            case MAX -> max(x, xo, n);
            case MIN -> min(x, xo, n);
        };
    }

    /**
     * Σ lanes of v by a fixed sequence: add the vector rotated by L/2, then by L/4, ..., 1; lane 0 holds the sum.
     * Explicit shuffles and lane-wise adds give the same bits interpreted and compiled; reduceLanes(ADD) does not.
     */
    static double foldSum(DoubleVector v) {
        for (int d = L / 2; d > 8; d /= 2) v = v.add(v.rearrange(rot(d))); // wider than AVX-512 only
        if (L > 8) v = v.add(v.rearrange(ROT8));
        if (L > 4) v = v.add(v.rearrange(ROT4));
        if (L > 2) v = v.add(v.rearrange(ROT2));
        if (L > 1) v = v.add(v.rearrange(ROT1));
        return v.lane(0);
    }

    /** Product of the lanes of v in the fixed order of {@link #foldSum}. */
    private static double foldProd(DoubleVector v) {
        for (int d = L / 2; d > 8; d /= 2) v = v.mul(v.rearrange(rot(d)));
        if (L > 8) v = v.mul(v.rearrange(ROT8));
        if (L > 4) v = v.mul(v.rearrange(ROT4));
        if (L > 2) v = v.mul(v.rearrange(ROT2));
        if (L > 1) v = v.mul(v.rearrange(ROT1));
        return v.lane(0);
    }

    /** Maximum (max) or minimum of the lanes of v in the fixed order of {@link #foldSum}; NaN if any lane is. */
    private static double foldMax(DoubleVector v, boolean max) {
        for (int d = L / 2; d > 8; d /= 2) v = max ? v.max(v.rearrange(rot(d))) : v.min(v.rearrange(rot(d)));
        if (L > 8) v = max ? v.max(v.rearrange(ROT8)) : v.min(v.rearrange(ROT8));
        if (L > 4) v = max ? v.max(v.rearrange(ROT4)) : v.min(v.rearrange(ROT4));
        if (L > 2) v = max ? v.max(v.rearrange(ROT2)) : v.min(v.rearrange(ROT2));
        if (L > 1) v = max ? v.max(v.rearrange(ROT1)) : v.min(v.rearrange(ROT1));
        return v.lane(0);
    }

    private static double sum(double[] x, int xo, int n) {
        double total = 0;
        int i = 0;
        for (int u = S.loopBound(n); i < u; ) {
            int len = Math.min(BLOCK, u - i);
            total += sumBlock(x, xo + i, len);
            i += len;
        }
        for (; i < n; i++) total += x[xo + i];
        return total;
    }

    /** Sum of len elements, len a multiple of L. */
    private static double sumBlock(double[] x, int o, int len) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int u = len & -(4 * L); i < u; i += 4 * L) {
            s0 = s0.add(DoubleVector.fromArray(S, x, o + i));
            s1 = s1.add(DoubleVector.fromArray(S, x, o + i + L));
            s2 = s2.add(DoubleVector.fromArray(S, x, o + i + 2 * L));
            s3 = s3.add(DoubleVector.fromArray(S, x, o + i + 3 * L));
        }
        for (; i < len; i += L) s0 = s0.add(DoubleVector.fromArray(S, x, o + i));
        return foldSum(s0.add(s1).add(s2.add(s3)));
    }

    private static double prod(double[] x, int xo, int n) {
        DoubleVector p0 = DoubleVector.broadcast(S, 1.0), p1 = p0, p2 = p0, p3 = p0;
        int i = 0;
        for (int u = n & -(4 * L); i < u; i += 4 * L) {
            p0 = p0.mul(DoubleVector.fromArray(S, x, xo + i));
            p1 = p1.mul(DoubleVector.fromArray(S, x, xo + i + L));
            p2 = p2.mul(DoubleVector.fromArray(S, x, xo + i + 2 * L));
            p3 = p3.mul(DoubleVector.fromArray(S, x, xo + i + 3 * L));
        }
        for (int u = S.loopBound(n); i < u; i += L) p0 = p0.mul(DoubleVector.fromArray(S, x, xo + i));
        double p = foldProd(p0.mul(p1).mul(p2.mul(p3)));
        for (; i < n; i++) p *= x[xo + i];
        return p;
    }

    private static double max(double[] x, int xo, int n) {
        DoubleVector m0 = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (int u = n & -(4 * L); i < u; i += 4 * L) {
            m0 = m0.max(DoubleVector.fromArray(S, x, xo + i));
            m1 = m1.max(DoubleVector.fromArray(S, x, xo + i + L));
            m2 = m2.max(DoubleVector.fromArray(S, x, xo + i + 2 * L));
            m3 = m3.max(DoubleVector.fromArray(S, x, xo + i + 3 * L));
        }
        for (int u = S.loopBound(n); i < u; i += L) m0 = m0.max(DoubleVector.fromArray(S, x, xo + i));
        double m = foldMax(m0.max(m1).max(m2.max(m3)), true);
        for (; i < n; i++) m = Math.max(m, x[xo + i]);
        return m != m ? Double.NaN : m; // one NaN whichever lane's payload won
    }

    private static double min(double[] x, int xo, int n) {
        DoubleVector m0 = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (int u = n & -(4 * L); i < u; i += 4 * L) {
            m0 = m0.min(DoubleVector.fromArray(S, x, xo + i));
            m1 = m1.min(DoubleVector.fromArray(S, x, xo + i + L));
            m2 = m2.min(DoubleVector.fromArray(S, x, xo + i + 2 * L));
            m3 = m3.min(DoubleVector.fromArray(S, x, xo + i + 3 * L));
        }
        for (int u = S.loopBound(n); i < u; i += L) m0 = m0.min(DoubleVector.fromArray(S, x, xo + i));
        double m = foldMax(m0.min(m1).min(m2.min(m3)), false);
        for (; i < n; i++) m = Math.min(m, x[xo + i]);
        return m != m ? Double.NaN : m;
    }

    /** acc[ao+i] = op(acc[ao+i], x[xo+i]) for contiguous runs: one step of a reduction over an outer axis. */
    public static void accumulate(ReduceOp op, double[] x, int xo, double[] acc, int ao, int n) {
        if (n <= 0) return;
        int i = switch (op) {
            case SUM -> accSum(x, xo, acc, ao, n);
            case PROD -> accProd(x, xo, acc, ao, n);
            case MAX -> accMax(x, xo, acc, ao, n);
            case MIN -> accMin(x, xo, acc, ao, n);
        };
        if (i < n) RefF64.accumulate(op, x, xo + i, acc, ao + i, n - i);
    }

    private static int accSum(double[] x, int xo, double[] acc, int ao, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L)
            DoubleVector.fromArray(S, acc, ao + i).add(DoubleVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        return i;
    }

    private static int accProd(double[] x, int xo, double[] acc, int ao, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L)
            DoubleVector.fromArray(S, acc, ao + i).mul(DoubleVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        return i;
    }

    private static int accMax(double[] x, int xo, double[] acc, int ao, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L)
            DoubleVector.fromArray(S, acc, ao + i).max(DoubleVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        return i;
    }

    private static int accMin(double[] x, int xo, double[] acc, int ao, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L)
            DoubleVector.fromArray(S, acc, ao + i).min(DoubleVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        return i;
    }

    /**
     * Index of the first maximum (max) or minimum; the first NaN wins, as in PyTorch. Contiguous runs take two
     * vector passes: the extreme value (NaN-propagating), then the first lane equal to it (or the first NaN).
     */
    public static int argReduce(boolean max, double[] x, int xo, int xs, int n) {
        if (xs != 1 || n < 2 * L) return RefF64.argReduce(max, x, xo, xs, n);
        double m = max ? max(x, xo, n) : min(x, xo, n);
        return m != m ? firstNaN(x, xo, n) : firstEqual(x, xo, n, m);
    }

    private static int firstEqual(double[] x, int xo, int n, double m) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            VectorMask<Double> hit = DoubleVector.fromArray(S, x, xo + i).compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) return i + hit.firstTrue();
        }
        for (; i < n; i++) if (x[xo + i] == m) return i;
        throw new IllegalStateException("argReduce: extreme value " + m + " not found");
    }

    private static int firstNaN(double[] x, int xo, int n) {
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            VectorMask<Double> hit = DoubleVector.fromArray(S, x, xo + i).test(VectorOperators.IS_NAN);
            if (hit.anyTrue()) return i + hit.firstTrue();
        }
        for (; i < n; i++) if (x[xo + i] != x[xo + i]) return i;
        throw new IllegalStateException("argReduce: NaN not found");
    }

    /**
     * Stable log Σ exp(x) = m + log Σ exp(x - m), m the maximum: all -inf (or n = 0) gives -inf, any +inf gives
     * +inf, NaN gives NaN. The exponentials ({@link VecMathF64#exp}, body and tail alike) are summed in blocks like
     * SUM; the final log is StrictMath's.
     */
    public static double logSumExp(double[] x, int xo, int xs, int n) {
        if (xs != 1) {
            double m = RefF64.reduce(ReduceOp.MAX, x, xo, xs, n);
            if (m != m || Double.isInfinite(m)) return m;
            double total = 0;
            for (int i = 0; i < n; i++) total += VecMathF64.exp(x[xo + i * xs] - m);
            return m + StrictMath.log(total);
        }
        double m = max(x, xo, n);
        if (m != m || Double.isInfinite(m)) return m;
        double total = 0;
        int i = 0;
        for (int u = S.loopBound(n); i < u; ) {
            int len = Math.min(BLOCK, u - i);
            total += VecMathF64.expSum(x, xo + i, len, m);
            i += len;
        }
        for (; i < n; i++) total += VecMathF64.exp(x[xo + i] - m);
        return m + StrictMath.log(total);
    }

    /**
     * out[oo+i] = x[0] + ... + x[i]. Contiguous: each vector is scanned in registers (log2 L shift-and-add steps)
     * and offset by the running total of the vectors before it.
     */
    public static void cumsum(double[] x, int xo, int xs, double[] out, int oo, int n) {
        if (xs != 1) {
            RefF64.cumsum(x, xo, xs, out, oo, n);
            return;
        }
        double carry = 0;
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L) {
            DoubleVector v = scan(DoubleVector.fromArray(S, x, xo + i));
            v.add(carry).intoArray(out, oo + i);
            carry += v.lane(L - 1);
        }
        for (; i < n; i++) {
            carry += x[xo + i];
            out[oo + i] = carry;
        }
    }

    /** Inclusive prefix sum across the lanes of v (L is a constant, so the unused steps fold away). */
    private static DoubleVector scan(DoubleVector v) {
        v = v.add(v.rearrange(SH1, KEEP1));
        if (L > 2) v = v.add(v.rearrange(SH2, KEEP2));
        if (L > 4) v = v.add(v.rearrange(SH4, KEEP4));
        if (L > 8) v = v.add(v.rearrange(SH8, KEEP8));
        return v;
    }

    /** y[yo+i] += alpha * x[xo+i] with one fused multiply-add per element; y is modified. */
    public static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (int u = S.loopBound(n); i < u; i += L)
            DoubleVector.fromArray(S, x, xo + i).fma(va, DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }

    /** Σ x[xo+i] y[yo+i]: four FMA accumulators, summed in blocks like SUM. */
    public static double dot(double[] x, int xo, double[] y, int yo, int n) {
        double total = 0;
        int i = 0;
        for (int u = S.loopBound(n); i < u; ) {
            int len = Math.min(BLOCK, u - i);
            total += dotBlock(x, xo + i, y, yo + i, len);
            i += len;
        }
        for (; i < n; i++) total += x[xo + i] * y[yo + i];
        return total;
    }

    private static double dotBlock(double[] x, int xo, double[] y, int yo, int len) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int u = len & -(4 * L); i < u; i += 4 * L) {
            s0 = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), s0);
            s1 = DoubleVector.fromArray(S, x, xo + i + L).fma(DoubleVector.fromArray(S, y, yo + i + L), s1);
            s2 = DoubleVector.fromArray(S, x, xo + i + 2 * L).fma(DoubleVector.fromArray(S, y, yo + i + 2 * L), s2);
            s3 = DoubleVector.fromArray(S, x, xo + i + 3 * L).fma(DoubleVector.fromArray(S, y, yo + i + 3 * L), s3);
        }
        for (; i < len; i += L) s0 = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), s0);
        return foldSum(s0.add(s1).add(s2.add(s3)));
    }
}
