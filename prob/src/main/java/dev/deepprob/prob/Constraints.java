package dev.deepprob.prob;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The standard {@link Constraint} instances, named as {@code torch.distributions.constraints}: elementwise sets
 * ({@link #real()}, {@link #positive()}, {@link #interval(double, double)}, {@link #integerInterval(long, long)}, ...)
 * and event sets that look at the trailing dims together ({@link #simplex()}, {@link #realVector()},
 * {@link #lowerCholesky()}, {@link #positiveDefinite()}, ...). Bounds may be numbers or arrays (a distribution's
 * parameters, e.g. Uniform's support {@code interval(low, high)}); array bounds broadcast against the value.
 * Integer (I64) and BOOL values are checked as numbers. NaN lies in no set.
 *
 * <p>The parameterised sets are records whose components are their parameters ({@link Interval},
 * {@link HalfOpenInterval}, {@link GreaterThan}, {@link GreaterThanEq}, {@link LessThan}, {@link IntegerInterval},
 * {@link Independent}), so code that builds on a constraint (e.g. {@code Transforms.biject}) reads the bounds by
 * pattern matching, {@code case Constraints.Interval(var lo, var hi) -> ...}, rather than from
 * {@link Constraint#describe()}. Bounds are stored as arrays (numbers as 0-dimensional F64 arrays; integer arrays
 * as F64), and records compare them by value: {@code greaterThan(0.0).equals(positive())}.
 */
public final class Constraints {
    private Constraints() {}

    /** The number of trailing dims a constraint looks at together: {@link Constraint#eventDim()}. */
    public static int eventDim(Constraint c) {
        if (c == null) throw new IllegalArgumentException("Constraints.eventDim: constraint must not be null");
        return c.eventDim();
    }

    /** True when a constraint's set is discrete: {@link Constraint#isDiscrete()}. */
    public static boolean isDiscrete(Constraint c) {
        if (c == null) throw new IllegalArgumentException("Constraints.isDiscrete: constraint must not be null");
        return c.isDiscrete();
    }

    // ------------------------------------------------------------------ elementwise

    private static final Constraint REAL = new Elementwise("a real number (not NaN)", false, v -> v.eq(v));
    private static final GreaterThan POSITIVE = new GreaterThan(0.0);
    private static final GreaterThanEq NON_NEGATIVE = new GreaterThanEq(0.0);
    private static final Interval UNIT_INTERVAL = new Interval(0.0, 1.0);
    private static final Constraint NON_NEGATIVE_INTEGER = new Elementwise("a non-negative integer", true, v -> isInteger(v).and(v.ge(0)));
    private static final Constraint POSITIVE_INTEGER = new Elementwise("a positive integer", true, v -> isInteger(v).and(v.ge(1)));
    private static final Constraint BOOL = new Elementwise("0 or 1", true, v -> v.eq(0).or(v.eq(1)));

    /** Every number but NaN (infinities included, as PyTorch's {@code real}). */
    public static Constraint real() { return REAL; }

    /** x &gt; 0: {@code GreaterThan(0)}. */
    public static GreaterThan positive() { return POSITIVE; }

    /** x &gt;= 0: {@code GreaterThanEq(0)}. */
    public static GreaterThanEq nonNegative() { return NON_NEGATIVE; }

    /** 0 &lt;= x &lt;= 1: {@code Interval(0, 1)}. */
    public static Interval unitInterval() { return UNIT_INTERVAL; }

    /** lo &lt;= x &lt;= hi (closed). */
    public static Interval interval(double lo, double hi) { return new Interval(lo, hi); }

    /** lo &lt;= x &lt;= hi elementwise, the bounds broadcasting against the value (e.g. Uniform's support). */
    public static Interval interval(NDArray lo, NDArray hi) { return new Interval(lo, hi); }

    /** lo &lt;= x &lt; hi. */
    public static HalfOpenInterval halfOpenInterval(double lo, double hi) { return new HalfOpenInterval(lo, hi); }

    /** lo &lt;= x &lt; hi elementwise with array bounds. */
    public static HalfOpenInterval halfOpenInterval(NDArray lo, NDArray hi) { return new HalfOpenInterval(lo, hi); }

    /** x &gt; lo. */
    public static GreaterThan greaterThan(double lo) { return new GreaterThan(lo); }

    /** x &gt; lo elementwise with an array bound. */
    public static GreaterThan greaterThan(NDArray lo) { return new GreaterThan(lo); }

    /** x &gt;= lo. */
    public static GreaterThanEq greaterThanEq(double lo) { return new GreaterThanEq(lo); }

    /** x &gt;= lo elementwise with an array bound. */
    public static GreaterThanEq greaterThanEq(NDArray lo) { return new GreaterThanEq(lo); }

    /** x &lt; hi. */
    public static LessThan lessThan(double hi) { return new LessThan(hi); }

    /** x &lt; hi elementwise with an array bound. */
    public static LessThan lessThan(NDArray hi) { return new LessThan(hi); }

    /** The integers lo, lo + 1, ..., hi. */
    public static IntegerInterval integerInterval(long lo, long hi) { return new IntegerInterval(scalar(lo), scalar(hi)); }

    /** The integers from lo to hi elementwise, with array bounds (e.g. Binomial's 0..totalCount). */
    public static IntegerInterval integerInterval(NDArray lo, NDArray hi) { return new IntegerInterval(lo, hi); }

    /** 0, 1, 2, ... */
    public static Constraint nonNegativeInteger() { return NON_NEGATIVE_INTEGER; }

    /** 1, 2, 3, ... */
    public static Constraint positiveInteger() { return POSITIVE_INTEGER; }

    /** The values 0 and 1 (Bernoulli's support; BOOL arrays always pass). */
    public static Constraint bool() { return BOOL; }

    // ------------------------------------------------------------------ the parameterised sets

    /**
     * The closed interval lower &lt;= x &lt;= upper, elementwise; the bounds broadcast with each other and with the
     * value, and are compared in the value's dtype.
     * @param lower a 0-dimensional array for a number bound, or an array bound
     * @param upper likewise
     */
    public record Interval(NDArray lower, NDArray upper) implements Constraint {
        public Interval {
            lower = bound("Constraints.interval", "lower", lower);
            upper = bound("Constraints.interval", "upper", upper);
            Shapes.broadcast("Constraints.interval: lower and upper", lower.dims(), upper.dims());
        }

        /** [lower, upper] with number bounds. */
        public Interval(double lower, double upper) { this(scalar(lower), scalar(upper)); }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            return v.ge(in(lower, v)).and(v.le(in(upper, v)));
        }

        @Override
        public String describe() { return "in [" + name(lower, "lo") + ", " + name(upper, "hi") + "]"; }

        @Override
        public void check(String what, NDArray value) {
            checkEach(this, what, value, (i, s) -> "in [" + at(lower, i, s) + ", " + at(upper, i, s) + "]");
        }
    }

    /** The half-open interval lower &lt;= x &lt; upper, elementwise (bounds as {@link Interval}'s). */
    public record HalfOpenInterval(NDArray lower, NDArray upper) implements Constraint {
        public HalfOpenInterval {
            lower = bound("Constraints.halfOpenInterval", "lower", lower);
            upper = bound("Constraints.halfOpenInterval", "upper", upper);
            Shapes.broadcast("Constraints.halfOpenInterval: lower and upper", lower.dims(), upper.dims());
        }

        /** [lower, upper) with number bounds. */
        public HalfOpenInterval(double lower, double upper) { this(scalar(lower), scalar(upper)); }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            return v.ge(in(lower, v)).and(v.lt(in(upper, v)));
        }

        @Override
        public String describe() { return "in [" + name(lower, "lo") + ", " + name(upper, "hi") + ")"; }

        @Override
        public void check(String what, NDArray value) {
            checkEach(this, what, value, (i, s) -> "in [" + at(lower, i, s) + ", " + at(upper, i, s) + ")");
        }
    }

    /** x &gt; lower elementwise (a number or an array bound broadcasting with the value). */
    public record GreaterThan(NDArray lower) implements Constraint {
        public GreaterThan { lower = bound("Constraints.greaterThan", "lower", lower); }

        /** x &gt; lower with a number bound. */
        public GreaterThan(double lower) { this(scalar(lower)); }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            return v.gt(in(lower, v));
        }

        @Override
        public String describe() { return "> " + name(lower, "lo"); }

        @Override
        public void check(String what, NDArray value) { checkEach(this, what, value, (i, s) -> "> " + at(lower, i, s)); }
    }

    /** x &gt;= lower elementwise (a number or an array bound broadcasting with the value). */
    public record GreaterThanEq(NDArray lower) implements Constraint {
        public GreaterThanEq { lower = bound("Constraints.greaterThanEq", "lower", lower); }

        /** x &gt;= lower with a number bound. */
        public GreaterThanEq(double lower) { this(scalar(lower)); }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            return v.ge(in(lower, v));
        }

        @Override
        public String describe() { return ">= " + name(lower, "lo"); }

        @Override
        public void check(String what, NDArray value) { checkEach(this, what, value, (i, s) -> ">= " + at(lower, i, s)); }
    }

    /** x &lt; upper elementwise (a number or an array bound broadcasting with the value). */
    public record LessThan(NDArray upper) implements Constraint {
        public LessThan { upper = bound("Constraints.lessThan", "upper", upper); }

        /** x &lt; upper with a number bound. */
        public LessThan(double upper) { this(scalar(upper)); }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            return v.lt(in(upper, v));
        }

        @Override
        public String describe() { return "< " + name(upper, "hi"); }

        @Override
        public void check(String what, NDArray value) { checkEach(this, what, value, (i, s) -> "< " + at(upper, i, s)); }
    }

    /** The whole numbers lower, lower + 1, ..., upper, elementwise (a discrete set; bounds as {@link Interval}'s). */
    public record IntegerInterval(NDArray lower, NDArray upper) implements Constraint {
        public IntegerInterval {
            lower = bound("Constraints.integerInterval", "lower", lower);
            upper = bound("Constraints.integerInterval", "upper", upper);
            Shapes.broadcast("Constraints.integerInterval: lower and upper", lower.dims(), upper.dims());
        }

        @Override
        public NDArray contains(NDArray value) {
            NDArray v = numeric(value);
            return isInteger(v).and(v.ge(in(lower, v))).and(v.le(in(upper, v)));
        }

        @Override
        public boolean isDiscrete() { return true; }

        @Override
        public String describe() { return "an integer in [" + name(lower, "lo") + ", " + name(upper, "hi") + "]"; }

        @Override
        public void check(String what, NDArray value) {
            checkEach(this, what, value, (i, s) -> "an integer in [" + at(lower, i, s) + ", " + at(upper, i, s) + "]");
        }
    }

    /**
     * The constraint {@code base} required of all elements of the last {@code reinterpretedDims} (batch) dims
     * together: contains reduces those dims with "all", and the event dims are the base's plus reinterpretedDims.
     */
    public record Independent(Constraint base, int reinterpretedDims) implements Constraint {
        public Independent {
            if (base == null) throw new IllegalArgumentException("Constraints.independent: base must not be null");
            if (reinterpretedDims < 0) throw new IllegalArgumentException("Constraints.independent: reinterpretedDims must be >= 0, got "
                    + reinterpretedDims);
        }

        @Override
        public int eventDim() { return base.eventDim() + reinterpretedDims; }

        @Override
        public boolean isDiscrete() { return base.isDiscrete(); }

        @Override
        public String describe() {
            int n = reinterpretedDims;
            return base.describe() + (n > 0 ? " in each of the last " + n + " dim" + (n > 1 ? "s" : "") : "");
        }

        @Override
        public NDArray contains(NDArray value) {
            if (value == null) throw new IllegalArgumentException("constraint: value must not be null");
            if (value.rank() < eventDim()) throw new IllegalArgumentException("independent constraint: value of shape "
                    + Shapes.str(value.dims()) + " has fewer than " + eventDim() + " dims");
            return allOver(base.contains(value), reinterpretedDims);
        }

        @Override
        public void check(String what, NDArray value) { checkEach(this, what, value, (i, s) -> describe()); }
    }

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
     * The constraint {@code base} required of all elements of the last {@code reinterpretedDims} dims together:
     * contains reduces those dims with "all".
     */
    public static Independent independent(Constraint base, int reinterpretedDims) { return new Independent(base, reinterpretedDims); }

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

    /**
     * Checks a value against a constraint: it needs the constraint's event dims, and the first element (or event)
     * outside the set is named with its index and {@code describeAt(index, resultShape)}, which shows array bounds'
     * values there.
     */
    private static void checkEach(Constraint c, String what, NDArray value, BiFunction<int[], int[], String> describeAt) {
        if (value == null) throw new IllegalArgumentException(what + " must not be null");
        int eventDim = c.eventDim();
        if (value.rank() < eventDim) throw new IllegalArgumentException(what + " must have at least " + eventDim
                + (eventDim == 1 ? " dim" : " dims") + " (" + c.describe() + "), got shape " + Shapes.str(value.dims()));
        NDArray ok = c.contains(value);
        boolean[] flags = ok.toBooleanArray();
        for (int i = 0; i < flags.length; i++) {
            if (!flags[i]) {
                int[] idx = unravel(i, ok.dims());
                throw new IllegalArgumentException(what + " must be " + describeAt.apply(idx, ok.dims()) + ", got "
                        + show(value, idx, ok.dims(), eventDim) + " at " + Arrays.toString(idx));
            }
        }
    }

    /** The unparameterised sets: a description, whether the set is discrete, and the event dims. */
    private abstract static sealed class Base implements Constraint permits Elementwise, Simplex, OneHot, Matrix {
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

        @Override
        public int eventDim() { return eventDim; }

        @Override
        public boolean isDiscrete() { return discrete; }

        @Override
        public void check(String what, NDArray value) { checkEach(this, what, value, (i, s) -> description); }

        @Override
        public String toString() { return "Constraint(" + description + ")"; }
    }

    @FunctionalInterface
    private interface Test {
        NDArray test(NDArray v);
    }

    private static final class Elementwise extends Base {
        private final Test test;

        Elementwise(String description, boolean discrete, Test test) {
            super(description, discrete, 0);
            this.test = test;
        }

        @Override
        public NDArray contains(NDArray value) { return test.test(numeric(value)); }
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
                    + ": expected square matrices in the last two dims, got shape " + Shapes.str(v.dims()));
            int n = v.shape(-1);
            double[] a = v.to(DType.F64).contiguous().toDoubleArray();
            int count = n == 0 ? Shapes.size(Arrays.copyOf(v.dims(), r - 2)) : a.length / (n * n);
            boolean[] out = new boolean[count];
            double tol = v.dtype() == DType.F32 ? 1e-4 : 1e-6;
            for (int m = 0; m < count; m++) out[m] = test(a, m * n * n, n, tol);
            return NDArray.of(out, Arrays.copyOf(v.dims(), r - 2));
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

    /** A bound as stored: non-null, integer and boolean arrays as F64. */
    private static NDArray bound(String op, String what, NDArray b) {
        if (b == null) throw new IllegalArgumentException(op + ": " + what + " bound must not be null");
        return b.dtype().isFloating() ? b : b.to(DType.F64);
    }

    /** A bound in the value's dtype: an F32 value is compared with F32-rounded bounds. */
    private static NDArray in(NDArray bound, NDArray v) { return bound.to(v.dtype()); }

    /** A bound in a description: its number when 0-dimensional, else its name (messages show the value at the bad index). */
    private static String name(NDArray bound, String label) { return bound.rank() == 0 ? fmt(bound.item()) : label; }

    /** "all" over the last {@code dims} dims of a BOOL array. */
    private static NDArray allOver(NDArray ok, int dims) {
        if (dims == 0) return ok;
        if (ok.rank() < dims) throw new IllegalArgumentException("constraint: value of shape " + Shapes.str(ok.dims())
                + " has fewer than " + dims + " dims");
        int[] axes = new int[dims];
        for (int i = 0; i < dims; i++) axes[i] = ok.rank() - dims + i;
        int[] outShape = Shapes.reducedShape(ok.dims(), axes, false);
        if (Shapes.size(ok.dims()) == 0) return NDArray.of(new boolean[Shapes.size(outShape)], outShape).not();
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

    /** The bound's value at an index of the broadcast result, formatted. */
    private static String at(NDArray b, int[] idx, int[] okShape) {
        return fmt(b.to(DType.F64).expand(Shapes.broadcast("constraint", b.dims(), okShape)).get(idx));
    }

    /** The offending element (or, for event constraints, the offending row or matrix) for a message. */
    private static String show(NDArray value, int[] idx, int[] okShape, int eventDim) {
        NDArray v = value.dtype() == DType.BOOL ? value.to(DType.F64) : value;
        int batchRank = v.rank() - eventDim;
        int[] vb = Arrays.copyOf(v.dims(), batchRank);
        int[] target = Shapes.broadcast("constraint", vb, okShape);
        int[] full = Arrays.copyOf(target, target.length + eventDim);
        System.arraycopy(v.dims(), batchRank, full, target.length, eventDim);
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
