package dev.deepprob.engine.cpu;

import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;

/**
 * Scalar reference kernels for float32 on raw arrays: plain loops, the test oracle of {@link VecF32} and its
 * fallback for strided inputs. Inputs have a stride (0 broadcasts one element); outputs are contiguous.
 * Transcendentals are computed in double and rounded once; SUM, dot and cumsum accumulate in double.
 */
public final class RefF32 {
    private RefF32() {}

    /** One element of {@code op}; throws for NOT, which is defined on BOOL only. */
    public static float apply(UnaryOp op, float v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> Math.signum(v);
            case EXP -> (float) Math.exp(v);
            case EXPM1 -> (float) Math.expm1(v);
            case LOG -> (float) Math.log(v);
            case LOG1P -> (float) Math.log1p(v);
            case SQRT -> (float) Math.sqrt(v);
            case SIN -> (float) Math.sin(v);
            case COS -> (float) Math.cos(v);
            case TANH -> (float) Math.tanh(v);
            case SIGMOID -> (float) (1 / (1 + Math.exp(-v))); // exp(-v) = inf gives 0, never NaN
            case RELU -> Math.max(v, 0f); // Math.max keeps NaN, as PyTorch's relu
            case LGAMMA -> (float) Special.lgamma(v);
            case DIGAMMA -> (float) Special.digamma(v);
            case TRIGAMMA -> (float) Special.trigamma(v);
            case RECIPROCAL -> 1f / v;
            case SQUARE -> v * v;
            case FLOOR -> (float) Math.floor(v);
            case CEIL -> (float) Math.ceil(v);
            case ROUND -> (float) Math.rint(v); // half to even, as torch.round
            case NOT -> throw notFloat(op, "F32");
        };
    }

    /** One element of an arithmetic {@code op} (ADD..MIN); throws for comparisons and logic ops. */
    public static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ, NE, LT, LE, GT, GE, AND, OR -> throw notArithmetic(op, "F32");
        };
    }

    /** One comparison (EQ..GE), IEEE semantics: every comparison with NaN is false except NE. */
    public static boolean test(BinaryOp op, float a, float b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case ADD, SUB, MUL, DIV, POW, MAX, MIN, AND, OR -> throw notComparison(op, "F32");
        };
    }

    /** out[oo+i] = op(x[xo+i*xs]) for i in [0, n); every UnaryOp but NOT. */
    public static void unary(UnaryOp op, float[] x, int xo, int xs, float[] out, int oo, int n) {
        if (op == UnaryOp.NOT) throw notFloat(op, "F32");
        for (int i = 0; i < n; i++) out[oo + i] = apply(op, x[xo + i * xs]);
    }

    /** out[oo+i] = op(a[ao+i*as], b[bo+i*bs]) for the arithmetic ops ADD..MIN. */
    public static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                              float[] out, int oo, int n) {
        if (op.isComparison() || op == BinaryOp.AND || op == BinaryOp.OR) throw notArithmetic(op, "F32");
        for (int i = 0; i < n; i++) out[oo + i] = apply(op, a[ao + i * as], b[bo + i * bs]);
    }

    /** out[oo+i] = a[ao+i*as] op b[bo+i*bs] for the comparisons EQ..GE. */
    public static void compare(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                               boolean[] out, int oo, int n) {
        if (!op.isComparison()) throw notComparison(op, "F32");
        for (int i = 0; i < n; i++) out[oo + i] = test(op, a[ao + i * as], b[bo + i * bs]);
    }

    /** out[oo+i] = c[co+i*cs] ? a[ao+i*as] : b[bo+i*bs]. */
    public static void where(boolean[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                             float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = c[co + i * cs] ? a[ao + i * as] : b[bo + i * bs];
    }

    /** out[oo+i] = min(max(x, lo), hi), as torch.clamp; NaN stays NaN. */
    public static void clamp(float[] x, int xo, int xs, float lo, float hi, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.min(Math.max(x[xo + i * xs], lo), hi);
    }

    /** out[oo+i] = ψ^(order)(x), order >= 0 (0 is digamma), through {@link Special#polygamma}. */
    public static void polygamma(int order, float[] x, int xo, int xs, float[] out, int oo, int n) {
        if (order < 0) throw new IllegalArgumentException("polygamma: order must be >= 0, got " + order);
        for (int i = 0; i < n; i++) out[oo + i] = (float) Special.polygamma(order, x[xo + i * xs]);
    }

    /**
     * SUM, PROD, MAX or MIN of n elements. SUM accumulates in double; MAX and MIN propagate NaN; an empty run
     * gives SUM 0, PROD 1, MAX -inf, MIN +inf.
     */
    public static float reduce(ReduceOp op, float[] x, int xo, int xs, int n) {
        return switch (op) {
            case SUM -> {
                double s = 0;
                for (int i = 0; i < n; i++) s += x[xo + i * xs];
                yield (float) s;
            }
            case PROD -> {
                float p = 1;
                for (int i = 0; i < n; i++) p *= x[xo + i * xs];
                yield p;
            }
            case MAX -> {
                float m = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) m = Math.max(m, x[xo + i * xs]);
                yield m;
            }
            case MIN -> {
                float m = Float.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) m = Math.min(m, x[xo + i * xs]);
                yield m;
            }
        };
    }

    /** acc[ao+i] = op(acc[ao+i], x[xo+i]) for contiguous runs: one step of a reduction over an outer axis. */
    public static void accumulate(ReduceOp op, float[] x, int xo, float[] acc, int ao, int n) {
        for (int i = 0; i < n; i++) {
            float a = acc[ao + i], v = x[xo + i];
            acc[ao + i] = switch (op) {
                case SUM -> a + v;
                case PROD -> a * v;
                case MAX -> Math.max(a, v);
                case MIN -> Math.min(a, v);
            };
        }
    }

    /** Index (0..n-1) of the first maximum (max) or minimum; the first NaN wins, as in PyTorch. */
    public static int argReduce(boolean max, float[] x, int xo, int xs, int n) {
        if (n <= 0) throw new IllegalArgumentException("argReduce: empty run (n = " + n + ") has no arg" + (max ? "max" : "min"));
        int best = 0;
        float bv = x[xo];
        if (bv != bv) return 0;
        for (int i = 1; i < n; i++) {
            float v = x[xo + i * xs];
            if (v != v) return i;
            if (max ? v > bv : v < bv) {
                bv = v;
                best = i;
            }
        }
        return best;
    }

    /** log Σ exp(x) as m + log Σ exp(x - m) with m the maximum; all -inf (or n = 0) gives -inf, any +inf +inf. */
    public static float logSumExp(float[] x, int xo, int xs, int n) {
        float m = reduce(ReduceOp.MAX, x, xo, xs, n);
        if (m != m || Float.isInfinite(m)) return m;
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp((double) x[xo + i * xs] - m);
        return (float) (m + Math.log(s));
    }

    /** out[oo+i] = x[0] + ... + x[i], accumulated in double (as PyTorch on the CPU). */
    public static void cumsum(float[] x, int xo, int xs, float[] out, int oo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xo + i * xs];
            out[oo + i] = (float) s;
        }
    }

    /** y[yo+i] += alpha * x[xo+i]; y is modified. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** Σ x[xo+i] y[yo+i], accumulated in double. */
    public static float dot(float[] x, int xo, float[] y, int yo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[xo + i] * y[yo + i];
        return (float) s;
    }

    static IllegalArgumentException notFloat(UnaryOp op, String dtype) {
        return new IllegalArgumentException("unary: " + op + " is defined on BOOL only, not on " + dtype);
    }

    static IllegalArgumentException notArithmetic(BinaryOp op, String dtype) {
        return new IllegalArgumentException("binary: " + op + " is not an arithmetic op on " + dtype
            + " (expected ADD, SUB, MUL, DIV, POW, MAX or MIN; comparisons go through compare)");
    }

    static IllegalArgumentException notComparison(BinaryOp op, String dtype) {
        return new IllegalArgumentException("compare: " + op + " is not a comparison on " + dtype
            + " (expected EQ, NE, LT, LE, GT or GE)");
    }
}
