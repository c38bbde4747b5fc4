package dev.deepprob.prob;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * The standard {@link Constraint} instances, named as {@code torch.distributions.constraints}: elementwise sets
 * ({@link #real()}, {@link #positive()}, {@link #interval(double, double)}, {@link #integerInterval(long, long)}, ...)
 * and event sets that look at the trailing dims together ({@link #simplex()}, {@link #realVector()},
 * {@link #lowerCholesky()}, {@link #positiveDefinite()}, ...). Bounds may be numbers or arrays (a distribution's
 * parameters, e.g. Uniform's support {@code interval(low, high)}); array bounds broadcast against the value.
 * Integer (I64) and BOOL values are checked as numbers. NaN lies in no set.
 */
public final class Constraints {
    private Constraints() {}

    /** The number of trailing dims a constraint looks at together (0 for elementwise sets, 1 for simplex, 2 for matrices). */
    public static int eventDim(Constraint c) {
        return c instanceof Base b ? b.eventDim : 0;
    }

    /** True when a constraint's set is discrete (integers, booleans, one-hot vectors). */
    public static boolean isDiscrete(Constraint c) {
        return c instanceof Base b && b.discrete;
    }

    // ------------------------------------------------------------------ elementwise

    private static final Constraint REAL = new Elementwise("a real number (not NaN)", false, (v, lo, hi) -> v.eq(v));
    private static final Constraint POSITIVE = greaterThan(0.0);
    private static final Constraint NON_NEGATIVE = greaterThanEq(0.0);
    private static final Constraint UNIT_INTERVAL = interval(0.0, 1.0);
    private static final Constraint NON_NEGATIVE_INTEGER = new Bounded("a non-negative integer", true, null, null,
            (v, lo, hi) -> isInteger(v).and(v.ge(0)));
    private static final Constraint POSITIVE_INTEGER = new Bounded("a positive integer", true, null, null,
            (v, lo, hi) -> isInteger(v).and(v.ge(1)));
    private static final Constraint BOOL = new Bounded("0 or 1", true, null, null, (v, lo, hi) -> v.eq(0).or(v.eq(1)));

    /** Every number but NaN (infinities included, as PyTorch's {@code real}). */
    public static Constraint real() { return REAL; }

    /** x &gt; 0. */
    public static Constraint positive() { return POSITIVE; }

    /** x &gt;= 0. */
    public static Constraint nonNegative() { return NON_NEGATIVE; }

    /** 0 &lt;= x &lt;= 1. */
    public static Constraint unitInterval() { return UNIT_INTERVAL; }

    /** lo &lt;= x &lt;= hi (closed). */
    public static Constraint interval(double lo, double hi) {
        return new Bounded("in [" + fmt(lo) + ", " + fmt(hi) + "]", false, scalar(lo), scalar(hi), (v, l, h) -> v.ge(l).and(v.le(h)));
    }

    /** lo &lt;= x &lt;= hi elementwise, the bounds broadcasting against the value (e.g. Uniform's support). */
    public static Constraint interval(NDArray lo, NDArray hi) {
        return new Bounded("in [lo, hi]", false, bound(lo), bound(hi), (v, l, h) -> v.ge(l).and(v.le(h)));
    }

    /** lo &lt;= x &lt; hi. */
    public static Constraint halfOpenInterval(double lo, double hi) {
        return new Bounded("in [" + fmt(lo) + ", " + fmt(hi) + ")", false, scalar(lo), scalar(hi), (v, l, h) -> v.ge(l).and(v.lt(h)));
    }

    /** lo &lt;= x &lt; hi elementwise with array bounds. */
    public static Constraint halfOpenInterval(NDArray lo, NDArray hi) {
        return new Bounded("in [lo, hi)", false, bound(lo), bound(hi), (v, l, h) -> v.ge(l).and(v.lt(h)));
    }

    /** x &gt; lo. */
    public static Constraint greaterThan(double lo) {
        return new Bounded("> " + fmt(lo), false, scalar(lo), null, (v, l, h) -> v.gt(l));
    }

    /** x &gt; lo elementwise with an array bound. */
    public static Constraint greaterThan(NDArray lo) {
        return new Bounded("> lo", false, bound(lo), null, (v, l, h) -> v.gt(l));
    }

    /** x &gt;= lo. */
    public static Constraint greaterThanEq(double lo) {
        return new Bounded(">= " + fmt(lo), false, scalar(lo), null, (v, l, h) -> v.ge(l));
    }

    /** x &gt;= lo elementwise with an array bound. */
    public static Constraint greaterThanEq(NDArray lo) {
        return new Bounded(">= lo", false, bound(lo), null, (v, l, h) -> v.ge(l));
    }

    /** x &lt; hi. */
    public static Constraint lessThan(double hi) {
        return new Bounded("< " + fmt(hi), false, null, scalar(hi), (v, l, h) -> v.lt(h));
    }

    /** x &lt; hi elementwise with an array bound. */
    public static Constraint lessThan(NDArray hi) {
        return new Bounded("< hi", false, null, bound(hi), (v, l, h) -> v.lt(h));
    }

    /** The integers lo, lo + 1, ..., hi. */
    public static Constraint integerInterval(long lo, long hi) {
        return new Bounded("an integer in [" + lo + ", " + hi + "]", true, scalar(lo), scalar(hi),
                (v, l, h) -> isInteger(v).and(v.ge(l)).and(v.le(h)));
    }

    /** The integers from lo to hi elementwise, with array bounds (e.g. Binomial's 0..totalCount). */
    public static Constraint integerInterval(NDArray lo, NDArray hi) {
        return new Bounded("an integer in [lo, hi]", true, bound(lo), bound(hi),
                (v, l, h) -> isInteger(v).and(v.ge(l)).and(v.le(h)));
    }

    /** 0, 1, 2, ... */
    public static Constraint nonNegativeInteger() { return NON_NEGATIVE_INTEGER; }

    /** 1, 2, 3, ... */
    public static Constraint positiveInteger() { return POSITIVE_INTEGER; }

    /** The values 0 and 1 (Bernoulli's support; BOOL arrays always pass). */
    public static Constraint bool() { return BOOL; }

    // ------------------------------------------------------------------ events

    private static final Constraint REAL_VECTOR = independent(REAL, 1);
    private static final Constraint SIMPLEX = new Simplex();
    private static final Constraint ONE_HOT = new OneHot();
    private static final Constraint LOWER_TRIANGULAR = new Matrix("lower triangular", MatrixKind.LOWER_TRIANGULAR);
    private static final Constraint LOWER_CHOLESKY = new Matrix("lower triangular with a positive diagonal", MatrixKind.LOWER_CHOLESKY);
    private static final Constraint CORR_CHOLESKY = new Matrix("the lower Cholesky factor of a correlation matrix", MatrixKind.CORR_CHOLESKY);
    private static final Constraint SYMMETRIC = new Matrix("symmetric", MatrixKind.SYMMETRIC);
    private static final Constraint POSITIVE_DEFINITE = new Matrix("symmetric positive definite", MatrixKind.POSITIVE_DEFINITE);
    private static final Constraint POSITIVE_SEMIDEFINITE = new Matrix("symmetric positive semidefinite", MatrixKind.POSITIVE_SEMIDEFINITE);

    /** Vectors of reals: {@code independent(real(), 1)}. */
    public static Constraint realVector() { return REAL_VECTOR; }

    /**
     * The elementwise constraint {@code base} required of all elements of the last {@code reinterpretedDims} dims
     * together: contains reduces those dims with "all".
     */
    public static Constraint independent(Constraint base, int reinterpretedDims) {
        if (base == null) throw new IllegalArgumentException("Constraints.independent: base must not be null");
        if (reinterpretedDims < 0) throw new IllegalArgumentException("Constraints.independent: reinterpretedDims must be >= 0, got " + reinterpretedDims);
        return new Independent(base, reinterpretedDims);
    }

    /** Vectors (last dim) with elements &gt;= 0 summing to 1 (within 1e-6 in F64, 1e-5 in F32). */
    public static Constraint simplex() { return SIMPLEX; }

    /** Vectors (last dim) of zeros with a single one. */
    public static Constraint oneHot() { return ONE_HOT; }

    /** Square matrices (last two dims) that are zero above the diagonal. */
    public static Constraint lowerTriangular() { return LOWER_TRIANGULAR; }

    /** Lower triangular square matrices with a positive diagonal (Cholesky factors). */
    public static Constraint lowerCholesky() { return LOWER_CHOLESKY; }

    /** Lower Cholesky factors whose rows have unit Euclidean norm (L Lᵀ is a correlation matrix). */
    public static Constraint corrCholesky() { return CORR_CHOLESKY; }

    /** Symmetric square matrices (to a relative tolerance of 1e-6 in F64, 1e-4 in F32). */
    public static Constraint symmetric() { return SYMMETRIC; }

    /** Symmetric positive definite matrices (a Cholesky factorisation succeeds). */
    public static Constraint positiveDefinite() { return POSITIVE_DEFINITE; }

    /** Symmetric positive semidefinite matrices (smallest pivot of a regularised factorisation &gt;= 0). */
    public static Constraint positiveSemidefinite() { return POSITIVE_SEMIDEFINITE; }

    // ------------------------------------------------------------------ implementation

    /** Shared base: the event dims, whether the set is discrete, and a message that shows the offending value. */
    private abstract static sealed class Base implements Constraint permits Elementwise, Bounded, Independent, Simplex, OneHot, Matrix {
        final String description;
        final boolean discrete;
        final int eventDim;

        Base(String description, boolean discrete, int eventDim) {
            this.description = description;
            this.discrete = discrete;
            this.eventDim = eventDim;
        }

        @Override
        public String describe() { return description; }

        /** The description at one element of the broadcast result (array bounds show their values there). */
        String describeAt(int[] idx, int[] okShape) { return description; }

        @Override
        public void check(String what, NDArray value) {
            if (value.rank() < eventDim) throw new IllegalArgumentException(what + " must have at least " + eventDim
                    + (eventDim == 1 ? " dim" : " dims") + " (" + description + "), got shape " + Shapes.str(value.shape()));
            NDArray ok = contains(value);
            boolean[] flags = ok.toBooleanArray();
            for (int i = 0; i < flags.length; i++) {
                if (!flags[i]) {
                    int[] idx = unravel(i, ok.shape());
                    throw new IllegalArgumentException(what + " must be " + describeAt(idx, ok.shape()) + ", got "
                            + show(value, idx, ok.shape(), eventDim) + " at " + Arrays.toString(idx));
                }
            }
        }
    }

    @FunctionalInterface
    private interface Test3 {
        NDArray test(NDArray v, NDArray lo, NDArray hi);
    }

    private static final class Elementwise extends Base {
        private final Test3 test;

        Elementwise(String description, boolean discrete, Test3 test) {
            super(description, discrete, 0);
            this.test = test;
        }

        @Override
        public NDArray contains(NDArray value) { return test.test(numeric(value), null, null); }
    }

    /** An elementwise set with optional (scalar or array) lower and upper bounds. */
    private static final class Bounded extends Base {
        private final NDArray lo, hi;
        private final Test3 test;

        Bounded(String description, boolean discrete, NDArray lo, NDArray hi, Test3 test) {
            super(description, discrete, 0);
            this.lo = lo;
            this.hi = hi;
            this.test = test;
        }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            // bounds are compared in the value's dtype (an F32 value against F32-rounded bounds); array bounds broadcast
            return test.test(v, lo == null ? null : lo.to(v.dtype()), hi == null ? null : hi.to(v.dtype()));
        }

        @Override
        String describeAt(int[] idx, int[] okShape) {
            // descriptions with named bounds ("in [lo, hi]") come from the array-bound factories: show the values
            if (!description.contains("lo") && !description.contains("hi")) return description;
            String l = lo == null ? "" : fmt(at(lo, idx, okShape)), h = hi == null ? "" : fmt(at(hi, idx, okShape));
            return switch (description) {
                case "in [lo, hi]" -> "in [" + l + ", " + h + "]";
                case "in [lo, hi)" -> "in [" + l + ", " + h + ")";
                case "> lo" -> "> " + l;
                case ">= lo" -> ">= " + l;
                case "< hi" -> "< " + h;
                case "an integer in [lo, hi]" -> "an integer in [" + l + ", " + h + "]";
                default -> description;
            };
        }
    }

    private static final class Independent extends Base {
        private final Constraint base;
        private final int dims;

        Independent(Constraint base, int dims) {
            super(base.describe() + (dims > 0 ? " in each of the last " + dims + " dim" + (dims > 1 ? "s" : "") : ""),
                    isDiscrete(base), eventDim(base) + dims);
            this.base = base;
            this.dims = dims;
        }

        @Override
        public NDArray contains(NDArray value) {
            if (value.rank() < eventDim) throw new IllegalArgumentException("independent constraint: value of shape "
                    + Shapes.str(value.shape()) + " has fewer than " + eventDim + " dims");
            NDArray ok = base.contains(value);
            return allOver(ok, dims);
        }
    }

    private static final class Simplex extends Base {
        Simplex() { super("in the simplex (elements >= 0 summing to 1)", false, 1); }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            if (v.rank() < 1) throw new IllegalArgumentException("simplex: expected a vector, got a scalar");
            double tol = v.dtype() == DType.F32 ? 1e-5 : 1e-6;
            NDArray nonneg = allOver(v.ge(0), 1);
            NDArray sums = v.sum(new int[]{-1}, false).sub(1).abs();
            return nonneg.and(sums.lt(tol));
        }
    }

    private static final class OneHot extends Base {
        OneHot() { super("one-hot (zeros and a single one)", true, 1); }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            if (v.rank() < 1) throw new IllegalArgumentException("oneHot: expected a vector, got a scalar");
            NDArray binary = allOver(v.eq(0).or(v.eq(1)), 1);
            NDArray one = v.sum(new int[]{-1}, false).eq(1);
            return binary.and(one);
        }
    }

    private enum MatrixKind { LOWER_TRIANGULAR, LOWER_CHOLESKY, CORR_CHOLESKY, SYMMETRIC, POSITIVE_DEFINITE, POSITIVE_SEMIDEFINITE }

    /** Constraints on square matrices in the last two dims, checked matrix by matrix in double precision. */
    private static final class Matrix extends Base {
        private final MatrixKind kind;

        Matrix(String description, MatrixKind kind) {
            super(description, false, 2);
            this.kind = kind;
        }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            int r = v.rank();
            if (r < 2 || v.shape(-1) != v.shape(-2)) throw new IllegalArgumentException(kind.name().toLowerCase()
                    + ": expected square matrices in the last two dims, got shape " + Shapes.str(v.shape()));
            int n = v.shape(-1);
            double[] a = v.to(DType.F64).contiguous().toDoubleArray();
            int count = n == 0 ? Shapes.size(Arrays.copyOf(v.shape(), r - 2)) : a.length / (n * n);
            boolean[] out = new boolean[count];
            double tol = v.dtype() == DType.F32 ? 1e-4 : 1e-6;
            for (int m = 0; m < count; m++) out[m] = test(a, m * n * n, n, tol);
            return NDArray.of(out, Arrays.copyOf(v.shape(), r - 2));
        }

        private boolean test(double[] a, int off, int n, double tol) {
            for (int i = 0; i < n * n; i++) if (a[off + i] != a[off + i]) return false;
            return switch (kind) {
                case LOWER_TRIANGULAR -> upperZero(a, off, n);
                case LOWER_CHOLESKY -> upperZero(a, off, n) && diagPositive(a, off, n);
                case CORR_CHOLESKY -> upperZero(a, off, n) && diagPositive(a, off, n) && unitRows(a, off, n, tol);
                case SYMMETRIC -> symmetric(a, off, n, tol);
                case POSITIVE_DEFINITE -> symmetric(a, off, n, tol) && choleskyPivot(a, off, n) > 0;
                case POSITIVE_SEMIDEFINITE -> symmetric(a, off, n, tol) && semidefinite(a, off, n);
            };
        }

        private static boolean upperZero(double[] a, int off, int n) {
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) if (a[off + i * n + j] != 0) return false;
            return true;
        }

        private static boolean diagPositive(double[] a, int off, int n) {
            for (int i = 0; i < n; i++) if (!(a[off + i * n + i] > 0)) return false;
            return true;
        }

        private static boolean unitRows(double[] a, int off, int n, double tol) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j <= i; j++) s += a[off + i * n + j] * a[off + i * n + j];
                if (Math.abs(s - 1) > tol) return false;
            }
            return true;
        }

        private static boolean symmetric(double[] a, int off, int n, double tol) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    double x = a[off + i * n + j], y = a[off + j * n + i];
                    if (Math.abs(x - y) > tol * Math.max(1, Math.max(Math.abs(x), Math.abs(y)))) return false;
                }
            }
            return true;
        }

        /** The smallest pivot of an in-place Cholesky factorisation of a copy (&lt;= 0 when not positive definite). */
        private static double choleskyPivot(double[] src, int off, int n) {
            double[] l = new double[n * n];
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double d = src[off + j * n + j];
                for (int k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
                if (!(d > 0)) return d != d ? -1 : d;
                min = Math.min(min, d);
                double ljj = Math.sqrt(d);
                l[j * n + j] = ljj;
                for (int i = j + 1; i < n; i++) {
                    double s = src[off + i * n + j];
                    for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                    l[i * n + j] = s / ljj;
                }
            }
            return n == 0 ? 1 : min;
        }

        /** PSD test: A + δ·(scale)·I is positive definite for a small relative δ (allows exactly singular matrices). */
        private static boolean semidefinite(double[] src, int off, int n) {
            double scale = 0;
            for (int i = 0; i < n; i++) scale = Math.max(scale, Math.abs(src[off + i * n + i]));
            double[] b = Arrays.copyOfRange(src, off, off + n * n);
            double jitter = Math.max(scale, Double.MIN_NORMAL) * 1e-9;
            for (int i = 0; i < n; i++) b[i * n + i] += jitter;
            return choleskyPivot(b, 0, n) > 0;
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Integer and boolean values are compared as F64; floating values keep their dtype. */
    private static NDArray numeric(NDArray v) {
        if (v == null) throw new IllegalArgumentException("constraint: value must not be null");
        return v.dtype().isFloating() ? v : v.to(DType.F64);
    }

    private static NDArray isInteger(NDArray v) {
        return v.eq(v.floor()).and(v.abs().lt(Double.POSITIVE_INFINITY));
    }

    private static NDArray scalar(double x) { return NDArray.scalar(DType.F64, x); }

    private static NDArray bound(NDArray b) {
        if (b == null) throw new IllegalArgumentException("constraint: bound must not be null");
        return b.dtype().isFloating() ? b : b.to(DType.F64);
    }

    /** "all" over the last {@code dims} dims of a BOOL array. */
    private static NDArray allOver(NDArray ok, int dims) {
        if (dims == 0) return ok;
        if (ok.rank() < dims) throw new IllegalArgumentException("constraint: value of shape " + Shapes.str(ok.shape())
                + " has fewer than " + dims + " dims");
        int[] axes = new int[dims];
        for (int i = 0; i < dims; i++) axes[i] = ok.rank() - dims + i;
        int[] outShape = Shapes.reducedShape(ok.shape(), axes, false);
        if (Shapes.size(ok.shape()) == 0) return NDArray.of(new boolean[Shapes.size(outShape)], outShape).not();
        return ok.to(DType.F64).min(axes, false).eq(1);
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** The bound's value at an index of the broadcast result. */
    private static double at(NDArray b, int[] idx, int[] okShape) {
        return b.to(DType.F64).expand(Shapes.broadcast("constraint", b.shape(), okShape)).get(idx);
    }

    /** The offending element (or, for event constraints, the offending row or matrix) for a message. */
    private static String show(NDArray value, int[] idx, int[] okShape, int eventDim) {
        NDArray v = value.dtype() == DType.BOOL ? value.to(DType.F64) : value;
        int batchRank = v.rank() - eventDim;
        int[] vb = Arrays.copyOf(v.shape(), batchRank);
        int[] target = Shapes.broadcast("constraint", vb, okShape);
        int[] full = Arrays.copyOf(target, target.length + eventDim);
        System.arraycopy(v.shape(), batchRank, full, target.length, eventDim);
        NDArray e = v.expand(full);
        for (int d = 0; d < idx.length; d++) e = e.select(0, idx[d]);
        if (eventDim == 0) return fmt(e.item(), v.dtype());
        double[] xs = e.to(DType.F64).contiguous().toDoubleArray();
        StringBuilder sb = new StringBuilder("[");
        int max = Math.min(xs.length, 16);
        for (int i = 0; i < max; i++) sb.append(i > 0 ? ", " : "").append(fmt(xs[i], v.dtype()));
        if (xs.length > max) sb.append(", ...");
        return sb.append("]").toString();
    }

    /** Whole numbers without ".0" (bounds read "> 0", "in [0, 1]"), others as Java prints them. */
    private static String fmt(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return String.valueOf((long) x);
        return String.valueOf(x);
    }

    private static String fmt(double x, DType t) {
        if (t == DType.F32) return String.valueOf((float) x);
        if (t == DType.I64 || t == DType.BOOL) return String.valueOf((long) x);
        return String.valueOf(x);
    }
}
