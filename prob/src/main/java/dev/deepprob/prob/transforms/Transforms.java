package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.Constraint;
import dev.deepprob.prob.Constraints;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps from unconstrained reals onto a constraint's set, for optimising constrained (variational) parameters
 * as free reals: {@code Transforms.biject(Constraints.positive()).forward(raw)} is positive for every raw, and
 * its inverse gives the raw value that starts an optimisation at a chosen point (as torch.distributions'
 * biject_to and transform_to). Supported: real (identity), positive and non-negative (exp or softplus),
 * greaterThan / greaterThanEq / lessThan (exp and an affine shift), intervals and the unit interval (sigmoid and
 * an affine map), the simplex (stick-breaking), lower Cholesky factors, positive definite matrices, real vectors
 * and {@code independent} wrappers of these.
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

    private static final Pattern INTERVAL = Pattern.compile("in \\[(\\S+), (\\S+)[\\])]");
    private static final Pattern BOUND = Pattern.compile("(>|>=|<) (\\S+)");
    private static final Pattern INDEPENDENT = Pattern.compile("(.*) in each of the last (\\d+) dims?");

    private static Transform build(Constraint c, PositiveMap positive, String op) {
        if (c == Constraints.real()) return new IdentityTransform();
        if (c == Constraints.positive() || c == Constraints.nonNegative()) return positiveMap(positive);
        if (c == Constraints.unitInterval()) return new SigmoidTransform();
        if (c == Constraints.simplex()) return new StickBreakingTransform();
        if (c == Constraints.lowerCholesky()) return new LowerCholeskyTransform(positive);
        if (c == Constraints.positiveDefinite()) return new PositiveDefiniteTransform(positive);
        if (c == Constraints.realVector()) return new IndependentTransform(new IdentityTransform(), 1);
        // Constraints keeps bounds and independent bases private: read them from the (exact, round-tripping)
        // descriptions its factories write, and rebuild the same constraint to confirm the reading
        String d = c.describe();
        Matcher m = INDEPENDENT.matcher(d);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(2));
            Constraint base = baseOf(m.group(1));
            if (base != null && Constraints.eventDim(c) == Constraints.eventDim(base) + n) {
                return new IndependentTransform(build(base, positive, op), n);
            }
        }
        m = INTERVAL.matcher(d);
        if (m.matches() && Constraints.eventDim(c) == 0) {
            Double lo = number(m.group(1)), hi = number(m.group(2));
            if (lo != null && hi != null && lo < hi) {
                // σ then lo + (hi - lo) · u; a half-open interval is mapped onto its interior as the closed one
                return new ComposeTransform(new SigmoidTransform(), new AffineTransform(lo, hi - lo));
            }
        }
        m = BOUND.matcher(d);
        if (m.matches() && Constraints.eventDim(c) == 0) {
            Double b = number(m.group(2));
            if (b != null) {
                double sign = m.group(1).startsWith(">") ? 1 : -1;
                return new ComposeTransform(positiveMap(positive), new AffineTransform(b, sign));
            }
        }
        throw new IllegalArgumentException("Transforms." + op + ": no transform onto the constraint '" + d + "' (supported: real, "
                + "positive, nonNegative, greaterThan, greaterThanEq, lessThan, interval with number bounds, unitInterval, simplex, "
                + "lowerCholesky, positiveDefinite, realVector, independent of these)");
    }

    private static Constraint baseOf(String description) {
        Constraint[] known = {Constraints.real(), Constraints.positive(), Constraints.nonNegative(), Constraints.unitInterval(),
                Constraints.simplex(), Constraints.lowerCholesky(), Constraints.positiveDefinite()};
        for (Constraint k : known) if (k.describe().equals(description)) return k;
        Matcher m = INDEPENDENT.matcher(description);
        if (m.matches()) {
            Constraint inner = baseOf(m.group(1));
            return inner == null ? null : Constraints.independent(inner, Integer.parseInt(m.group(2)));
        }
        m = INTERVAL.matcher(description);
        if (m.matches() && description.endsWith("]")) {
            Double lo = number(m.group(1)), hi = number(m.group(2));
            if (lo != null && hi != null) return Constraints.interval(lo, hi);
        }
        if (m.matches()) {
            Double lo = number(m.group(1)), hi = number(m.group(2));
            if (lo != null && hi != null) return Constraints.halfOpenInterval(lo, hi);
        }
        m = BOUND.matcher(description);
        if (m.matches()) {
            Double b = number(m.group(2));
            if (b == null) return null;
            return switch (m.group(1)) {
                case ">" -> Constraints.greaterThan(b);
                case ">=" -> Constraints.greaterThanEq(b);
                default -> Constraints.lessThan(b);
            };
        }
        return null;
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
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
        if (t.dim() < n) throw new IllegalArgumentException("sumRightmost: shape " + Shapes.str(t.shape()) + " has fewer than " + n + " dims");
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
                + Shapes.str(t.shape()));
    }

    static void checkSquare(String what, Tensor t) {
        if (t.dim() < 2 || t.shape(-1) != t.shape(-2)) throw new IllegalArgumentException(what + " must have shape (..., n, n), got shape "
                + Shapes.str(t.shape()));
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
}
