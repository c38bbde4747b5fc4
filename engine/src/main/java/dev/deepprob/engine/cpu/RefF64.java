package dev.deepprob.engine.cpu;

import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;

/**
 * Scalar reference kernels for double64 on raw arrays: plain loops, the test oracle of {@link VecF64} and its
 * fallback for strided inputs. Inputs have a stride (0 broadcasts one element); outputs are contiguous.
 * Every loop is sequential, in the order of the elements.
 */
public final class RefF64 {
    private RefF64() {}

    /** One element of {@code op}; throws for NOT, which is defined on BOOL only. */
    public static double apply(UnaryOp op, double v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> Math.signum(v);
            case EXP -> Math.exp(v);
            case EXPM1 -> Math.expm1(v);
            case LOG -> Math.log(v);
            case LOG1P -> Math.log1p(v);
            case SQRT -> Math.sqrt(v);
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case TANH -> Math.tanh(v);
            case SIGMOID -> (1 / (1 + Math.exp(-v))); // exp(-v) = inf gives 0, never NaN
            case RELU -> Math.max(v, 0.0); // Math.max keeps NaN, as PyTorch's relu
            case LGAMMA -> Special.lgamma(v);
            case DIGAMMA -> Special.digamma(v);
            case TRIGAMMA -> Special.trigamma(v);
            case RECIPROCAL -> 1.0 / v;
            case SQUARE -> v * v;
            case FLOOR -> Math.floor(v);
            case CEIL -> Math.ceil(v);
            case ROUND -> Math.rint(v); // half to even, as torch.round
            case NOT -> throw notFloat(op, "F64");
        };
    }

    /** One element of an arithmetic {@code op} (ADD..MIN); throws for comparisons and logic ops. */
    public static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ, NE, LT, LE, GT, GE, AND, OR -> throw notArithmetic(op, "F64");
        };
    }

    /** One comparison (EQ..GE), IEEE semantics: every comparison with NaN is false except NE. */
    public static boolean test(BinaryOp op, double a, double b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case ADD, SUB, MUL, DIV, POW, MAX, MIN, AND, OR -> throw notComparison(op, "F64");
        };
    }

    /** out[oo+i] = op(x[xo+i*xs]) for i in [0, n); every UnaryOp but NOT. */
    public static void unary(UnaryOp op, double[] x, int xo, int xs, double[] out, int oo, int n) {
        if (op == UnaryOp.NOT) throw notFloat(op, "F64");
        for (int i = 0; i < n; i++) out[oo + i] = apply(op, x[xo + i * xs]);
    }

    /** out[oo+i] = op(a[ao+i*as], b[bo+i*bs]) for the arithmetic ops ADD..MIN. */
    public static void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs,
                              double[] out, int oo, int n) {
        if (op.isComparison() || op == BinaryOp.AND || op == BinaryOp.OR) throw notArithmetic(op, "F64");
        for (int i = 0; i < n; i++) out[oo + i] = apply(op, a[ao + i * as], b[bo + i * bs]);
    }

    /** out[oo+i] = a[ao+i*as] op b[bo+i*bs] for the comparisons EQ..GE. */
    public static void compare(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs,
                               boolean[] out, int oo, int n) {
        if (!op.isComparison()) throw notComparison(op, "F64");
        for (int i = 0; i < n; i++) out[oo + i] = test(op, a[ao + i * as], b[bo + i * bs]);
    }

    /** out[oo+i] = c[co+i*cs] ? a[ao+i*as] : b[bo+i*bs]. */
    public static void where(boolean[] c, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs,
                             double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = c[co + i * cs] ? a[ao + i * as] : b[bo + i * bs];
    }

    /** out[oo+i] = min(max(x, lo), hi), as torch.clamp; NaN stays NaN. */
    public static void clamp(double[] x, int xo, int xs, double lo, double hi, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.min(Math.max(x[xo + i * xs], lo), hi);
    }

    /** out[oo+i] = ψ^(order)(x), order >= 0 (0 is digamma), through {@link Special#polygamma}. */
    public static void polygamma(int order, double[] x, int xo, int xs, double[] out, int oo, int n) {
        if (order < 0) throw new IllegalArgumentException("polygamma: order must be >= 0, got " + order);
        for (int i = 0; i < n; i++) out[oo + i] = Special.polygamma(order, x[xo + i * xs]);
    }

    /**
     * SUM, PROD, MAX or MIN of n elements, sequentially; MAX and MIN propagate NaN; an empty run
     * gives SUM 0, PROD 1, MAX -inf, MIN +inf.
     */
    public static double reduce(ReduceOp op, double[] x, int xo, int xs, int n) {
        return switch (op) {
            case SUM -> {
                double s = 0;
                for (int i = 0; i < n; i++) s += x[xo + i * xs];
                yield s;
            }
            case PROD -> {
                double p = 1;
                for (int i = 0; i < n; i++) p *= x[xo + i * xs];
                yield p;
            }
            case MAX -> {
                double m = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) m = Math.max(m, x[xo + i * xs]);
                yield m;
            }
            case MIN -> {
                double m = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) m = Math.min(m, x[xo + i * xs]);
                yield m;
            }
        };
    }

    /** acc[ao+i] = op(acc[ao+i], x[xo+i]) for contiguous runs: one step of a reduction over an outer axis. */
    public static void accumulate(ReduceOp op, double[] x, int xo, double[] acc, int ao, int n) {
        for (int i = 0; i < n; i++) {
            double a = acc[ao + i], v = x[xo + i];
            acc[ao + i] = switch (op) {
                case SUM -> a + v;
                case PROD -> a * v;
                case MAX -> Math.max(a, v);
                case MIN -> Math.min(a, v);
            };
        }
    }

    /** Index (0..n-1) of the first maximum (max) or minimum; the first NaN wins, as in PyTorch. */
    public static int argReduce(boolean max, double[] x, int xo, int xs, int n) {
        if (n <= 0) throw new IllegalArgumentException("argReduce: empty run (n = " + n + ") has no arg" + (max ? "max" : "min"));
        int best = 0;
        double bv = x[xo];
        if (bv != bv) return 0;
        for (int i = 1; i < n; i++) {
            double v = x[xo + i * xs];
            if (v != v) return i;
            if (max ? v > bv : v < bv) {
                bv = v;
                best = i;
            }
        }
        return best;
    }

    /** log Σ exp(x) as m + log Σ exp(x - m) with m the maximum; all -inf (or n = 0) gives -inf, any +inf +inf. */
    public static double logSumExp(double[] x, int xo, int xs, int n) {
        double m = reduce(ReduceOp.MAX, x, xo, xs, n);
        if (m != m || Double.isInfinite(m)) return m;
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp(x[xo + i * xs] - m);
        return (m + Math.log(s));
    }

    /** out[oo+i] = x[0] + ... + x[i], sequentially. */
    public static void cumsum(double[] x, int xo, int xs, double[] out, int oo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xo + i * xs];
            out[oo + i] = s;
        }
    }

    /** y[yo+i] += alpha * x[xo+i]; y is modified. */
    public static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** Σ x[xo+i] y[yo+i], sequentially. */
    public static double dot(double[] x, int xo, double[] y, int yo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i] * y[yo + i];
        return s;
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
