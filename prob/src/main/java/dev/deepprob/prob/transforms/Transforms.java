package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.Constraint;
import dev.deepprob.prob.Constraints;

import java.util.Arrays;

/**
 * Maps from unconstrained reals onto a constraint's set, for optimising constrained (variational) parameters
 * as free reals: {@code Transforms.biject(Constraints.positive()).forward(raw)} is positive for every raw, and
 * its inverse gives the raw value that starts an optimisation at a chosen point (as torch.distributions'
 * biject_to and transform_to). Supported: real (identity), positive and non-negative (exp or softplus),
 * greaterThan / greaterThanEq / lessThan (exp and an affine shift), intervals and the unit interval (sigmoid and
 * an affine map), the simplex (stick-breaking), lower Cholesky factors, positive definite matrices, real vectors
 * and {@code independent} wrappers of these. Bounds are read from the constraint records
 * ({@link Constraints.Interval}, {@link Constraints.GreaterThan}, ...); number bounds adapt to the dtype of the
 * values the transform is applied to, array bounds (broadcasting with the values, e.g. a Uniform's support)
 * are used in their own dtype, so apply such a transform to values of that dtype.
 */
public final class Transforms {
    private Transforms() {}

    /** How a map onto the positive reals is made: exp (the default, as torch) or softplus (grows linearly). */
    public enum PositiveMap { EXP, SOFTPLUS }

    /** A bijection from the reals (of the constraint's event rank) onto the constraint's set, using exp for positivity. */
    public static Transform biject(Constraint c) { return biject(c, PositiveMap.EXP); }

    /** As {@link #biject(Constraint)}, choosing exp or softplus wherever positivity is needed. */
    public static Transform biject(Constraint c, PositiveMap positive) {
        if (c == null) throw new IllegalArgumentException("Transforms.biject: constraint must not be null");
        if (positive == null) throw new IllegalArgumentException("Transforms.biject: positive map must not be null");
        return build(c, positive, "biject");
    }

    /**
     * A map from the reals onto the constraint's set (torch's transform_to). Every map this class builds is a
     * bijection, so this is {@link #biject(Constraint)}; the name is kept for readers coming from PyTorch.
     */
    public static Transform transformTo(Constraint c) { return transformTo(c, PositiveMap.EXP); }

    /** As {@link #transformTo(Constraint)}, choosing exp or softplus wherever positivity is needed. */
    public static Transform transformTo(Constraint c, PositiveMap positive) {
        if (c == null) throw new IllegalArgumentException("Transforms.transformTo: constraint must not be null");
        if (positive == null) throw new IllegalArgumentException("Transforms.transformTo: positive map must not be null");
        return build(c, positive, "transformTo");
    }

    private static Transform positiveMap(PositiveMap p) {
        return p == PositiveMap.EXP ? new ExpTransform() : new SoftplusTransform();
    }

    /**
     * Reads the constraint's structure: the singletons by identity, the parameterised sets ({@link Constraints.Interval},
     * {@link Constraints.GreaterThan}, ...) by their record components.
     */
    private static Transform build(Constraint c, PositiveMap positive, String op) {
        if (c == Constraints.real()) return new IdentityTransform();
        if (c == Constraints.simplex()) return new StickBreakingTransform();
        if (c == Constraints.lowerCholesky()) return new LowerCholeskyTransform(positive);
        if (c == Constraints.positiveDefinite()) return new PositiveDefiniteTransform(positive);
        return switch (c) {
            case Constraints.Independent(Constraint base, int n) ->
                    n == 0 ? build(base, positive, op) : new IndependentTransform(build(base, positive, op), n);
            // exp (or softplus) onto (0, ∞), then shifted to lo + (0, ∞); x >= lo is mapped onto its interior as x > lo
            case Constraints.GreaterThan(NDArray lo) -> shifted(positiveMap(positive), op, c, lo, 1);
            case Constraints.GreaterThanEq(NDArray lo) -> shifted(positiveMap(positive), op, c, lo, 1);
            case Constraints.LessThan(NDArray hi) -> shifted(positiveMap(positive), op, c, hi, -1);
            // σ onto (0, 1), then lo + (hi - lo)·u; a half-open interval is mapped onto its interior as the closed one
            case Constraints.Interval(NDArray lo, NDArray hi) -> interval(op, c, lo, hi);
            case Constraints.HalfOpenInterval(NDArray lo, NDArray hi) -> interval(op, c, lo, hi);
            default -> throw new IllegalArgumentException("Transforms." + op + ": no transform onto the constraint '" + c.describe()
                    + "' (supported: real, positive, nonNegative, greaterThan, greaterThanEq, lessThan, interval and halfOpenInterval "
                    + "with number or array bounds, unitInterval, simplex, lowerCholesky, positiveDefinite, realVector, independent of these)");
        };
    }

    /**
     * bound + sign · f(x) for f onto the positive reals; f alone for the bound 0 (a number) and sign +1. Array
     * bounds give an {@link AffineTransform} with array loc, in the bound's dtype.
     */
    private static Transform shifted(Transform f, String op, Constraint c, NDArray bound, double sign) {
        checkFinite(op, c, "bound", bound);
        if (bound.rank() == 0 && bound.item() == 0 && sign > 0) return f;
        if (bound.rank() == 0) return new ComposeTransform(f, new AffineTransform(bound.item(), sign));
        Tensor loc = Tensor.of(bound);
        return new ComposeTransform(f, new AffineTransform(loc, Tensor.scalar(loc.dtype(), sign)));
    }

    /**
     * σ then lo + (hi - lo)·u; σ alone for [0, 1]. Array bounds (broadcasting with each other) give an
     * {@link AffineTransform} with array loc and scale, in the array bounds' dtype (F64 if they differ); a
     * 0-dimensional bound beside an array one follows the array's dtype.
     */
    private static Transform interval(String op, Constraint c, NDArray lo, NDArray hi) {
        checkFinite(op, c, "lower bound", lo);
        checkFinite(op, c, "upper bound", hi);
        DType t = lo.rank() == 0 ? hi.dtype() : hi.rank() == 0 ? lo.dtype() : lo.dtype() == hi.dtype() ? lo.dtype() : DType.F64;
        NDArray l = lo.to(t), h = hi.to(t);
        NDArray width = h.sub(l);
        boolean[] ok = width.gt(0).toBooleanArray();
        for (int i = 0; i < ok.length; i++) {
            if (!ok[i]) {
                int[] idx = unravel(i, width.dims());
                int[] s = width.dims();
                throw new IllegalArgumentException("Transforms." + op + ": interval '" + c.describe() + "' needs lower < upper, got lower "
                        + l.expand(s).get(idx) + " and upper " + h.expand(s).get(idx) + (s.length > 0 ? " at " + Arrays.toString(idx) : ""));
            }
        }
        if (lo.rank() == 0 && hi.rank() == 0) {
            double a = lo.item(), b = hi.item();
            return a == 0 && b == 1 ? new SigmoidTransform() : new ComposeTransform(new SigmoidTransform(), new AffineTransform(a, b - a));
        }
        return new ComposeTransform(new SigmoidTransform(), new AffineTransform(Tensor.of(l), Tensor.of(width)));
    }

    private static void checkFinite(String op, Constraint c, String what, NDArray b) {
        NDArray ok = b.abs().lt(Double.POSITIVE_INFINITY);
        boolean[] f = ok.toBooleanArray();
        for (int i = 0; i < f.length; i++) {
            if (!f[i]) {
                int[] idx = unravel(i, b.dims());
                throw new IllegalArgumentException("Transforms." + op + ": the " + what + " of '" + c.describe() + "' must be finite, got "
                        + b.get(idx) + (idx.length > 0 ? " at " + Arrays.toString(idx) : ""));
            }
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int k = idx.length - 1; k >= 0; k--) {
            idx[k] = flat % shape[k];
            flat /= shape[k];
        }
        return idx;
    }

    // ------------------------------------------------------------------ constraints used by the transforms

    static Constraint real() { return Constraints.real(); }

    static Constraint positive() { return Constraints.positive(); }

    static Constraint unitInterval() { return Constraints.unitInterval(); }

    static Constraint interval(double lo, double hi) { return Constraints.interval(lo, hi); }

    static Constraint simplex() { return Constraints.simplex(); }

    static Constraint lowerCholesky() { return Constraints.lowerCholesky(); }

    static Constraint positiveDefinite() { return Constraints.positiveDefinite(); }

    static Constraint independent(Constraint c, int dims) { return dims == 0 ? c : Constraints.independent(c, dims); }

    // ------------------------------------------------------------------ helpers

    /** Sums the n rightmost dims of t (none when n = 0). */
    static Tensor sumRightmost(Tensor t, int n) {
        if (n == 0) return t;
        if (t.dim() < n) throw new IllegalArgumentException("sumRightmost: shape " + Shapes.str(t.dims()) + " has fewer than " + n + " dims");
        int[] dims = new int[n];
        for (int i = 0; i < n; i++) dims[i] = t.dim() - n + i;
        return t.sum(dims, false);
    }

    static Tensor floating(String op, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": input must not be null");
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": expected an F32 or F64 tensor, got " + t.dtype());
        return t;
    }

    static void checkRank(String what, Tensor t, int eventDim) {
        if (t == null) throw new IllegalArgumentException(what + " must not be null");
        if (t.dim() < eventDim) throw new IllegalArgumentException(what + " must have at least " + eventDim + " dims (the event dims), got shape "
                + Shapes.str(t.dims()));
    }

    static void checkSquare(String what, Tensor t) {
        if (t.dim() < 2 || t.shape(-1) != t.shape(-2)) throw new IllegalArgumentException(what + " must have shape (..., n, n), got shape "
                + Shapes.str(t.dims()));
    }

    static void checkNonzero(String what, Tensor t) {
        NDArray nz = t.data().ne(t.data().scalarLike(0)).and(t.data().eq(t.data()));
        boolean[] f = nz.toBooleanArray();
        for (int i = 0; i < f.length; i++) {
            if (!f[i]) {
                int[] idx = new int[t.dim()];
                int flat = i;
                for (int k = idx.length - 1; k >= 0; k--) {
                    idx[k] = flat % t.shape(k);
                    flat /= t.shape(k);
                }
                throw new IllegalArgumentException(what + " must be nonzero (and not NaN), got " + t.data().get(idx) + " at " + Arrays.toString(idx));
            }
        }
    }

    /** The machine epsilon of a floating dtype (the gap above 1). */
    static double eps(DType t) { return t == DType.F32 ? Math.ulp(1.0f) : Math.ulp(1.0); }

    /** The smallest positive normal number of a floating dtype. */
    static double tiny(DType t) { return t == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL; }

    /** The sign of an increasing elementwise map: +1. */
    static java.util.Optional<dev.deepprob.engine.NDArray> increasing() {
        return java.util.Optional.of(dev.deepprob.engine.NDArray.scalar(dev.deepprob.engine.DType.F64, 1));
    }
}
