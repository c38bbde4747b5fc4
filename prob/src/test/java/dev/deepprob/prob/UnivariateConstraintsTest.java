package dev.deepprob.prob;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standard constraints: membership elementwise and per event, array bounds, integer values, and messages. */
class UnivariateConstraintsTest {
    static NDArray a(double... v) { return NDArray.of(v); }

    static boolean[] in(Constraint c, NDArray v) { return c.contains(v).toBooleanArray(); }

    static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;

    @Test
    void elementwiseSets() {
        assertArrayEquals(new boolean[]{true, true, false}, in(Constraints.real(), a(1, INF, NAN)));
        assertArrayEquals(new boolean[]{false, false, true, false}, in(Constraints.positive(), a(-1, 0, 2, NAN)));
        assertArrayEquals(new boolean[]{false, true, true}, in(Constraints.nonNegative(), a(-1e-300, 0, 2)));
        assertArrayEquals(new boolean[]{false, true, true, false}, in(Constraints.unitInterval(), a(-0.1, 0, 1, 1.1)));
        assertArrayEquals(new boolean[]{false, true, false}, in(Constraints.halfOpenInterval(0, 1), a(-0.1, 0, 1)));
        assertArrayEquals(new boolean[]{false, true}, in(Constraints.greaterThan(2), a(2, 2.5)));
        assertArrayEquals(new boolean[]{true, true}, in(Constraints.greaterThanEq(2), a(2, 2.5)));
        assertArrayEquals(new boolean[]{true, false}, in(Constraints.lessThan(2), a(1, 2)));
        assertArrayEquals(new boolean[]{false, true, false, true, false}, in(Constraints.integerInterval(0, 3), a(-1, 0, 1.5, 3, 4)));
        assertArrayEquals(new boolean[]{true, false, false, false}, in(Constraints.nonNegativeInteger(), a(7, -1, 0.5, INF)));
        assertArrayEquals(new boolean[]{false, true}, in(Constraints.positiveInteger(), a(0, 1)));
        assertArrayEquals(new boolean[]{true, true, false}, in(Constraints.bool(), a(0, 1, 2)));
        // F32, I64 and BOOL values
        assertArrayEquals(new boolean[]{true, false}, in(Constraints.positive(), NDArray.of(new float[]{1, -1})));
        assertArrayEquals(new boolean[]{true, false}, in(Constraints.nonNegativeInteger(), NDArray.of(new long[]{3, -2})));
        assertArrayEquals(new boolean[]{true, true}, in(Constraints.bool(), NDArray.of(new boolean[]{true, false})));
        assertEquals("> 0", Constraints.positive().describe());
        assertEquals("in [0, 1]", Constraints.unitInterval().describe());
        assertEquals("in [-0.5, 2.25)", Constraints.halfOpenInterval(-0.5, 2.25).describe());
        assertEquals(0, Constraints.eventDim(Constraints.positive()));
        assertTrue(Constraints.isDiscrete(Constraints.nonNegativeInteger()));
        assertFalse(Constraints.isDiscrete(Constraints.real()));
    }

    @Test
    void arrayBoundsBroadcastAndShowTheirValues() {
        Constraint c = Constraints.interval(a(0, 10), a(1, 20));
        assertArrayEquals(new boolean[]{true, false, false, true}, in(c, NDArray.of(new double[]{0.5, 5, 2, 15}, 2, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.check("X: v", a(0.5, 25)));
        assertEquals("X: v must be in [10, 20], got 25.0 at [1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.greaterThan(a(1, 2)).check("Y", NDArray.scalar(DType.F64, 1.5)));
        assertEquals("Y must be > 2, got 1.5 at [1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.integerInterval(NDArray.scalar(DType.F64, 0), a(3, 4)).check("Z", a(1, 4.5)));
        assertEquals("Z must be an integer in [0, 4], got 4.5 at [1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.positive().check("W", NDArray.of(new float[]{0.1f, -0.1f})));
        assertEquals("W must be > 0, got -0.1 at [1]", e.getMessage());
    }

    /** The parameterised sets are records: bounds and bases are read by pattern matching, not from describe(). */
    @Test
    void parameterisedSetsExposeTheirStructure() {
        Constraint unit = Constraints.unitInterval();
        double[] bounds = switch (unit) {
            case Constraints.Interval(NDArray lo, NDArray hi) -> new double[]{lo.item(), hi.item()};
            default -> null;
        };
        assertArrayEquals(new double[]{0, 1}, bounds);
        assertEquals(0, Constraints.positive().lower().item());
        assertEquals(0, Constraints.nonNegative().lower().item());
        assertEquals(new Constraints.GreaterThan(0.0), Constraints.positive());
        assertEquals(Constraints.greaterThan(0.0), Constraints.positive(), "bounds compare by value");
        assertFalse(Constraints.greaterThan(0.0).equals(Constraints.greaterThanEq(0.0)));
        assertEquals(2.5, Constraints.lessThan(2.5).upper().item());
        assertEquals(-3.25, Constraints.greaterThanEq(-3.25).lower().item());
        Constraints.HalfOpenInterval h = Constraints.halfOpenInterval(-0.5, 2.25);
        assertEquals(-0.5, h.lower().item());
        assertEquals(2.25, h.upper().item());
        // array bounds are kept as given (integer arrays as F64), and a 0-dimensional array bound shows its number
        NDArray lo = a(0, 10), hi = a(1, 20);
        Constraints.Interval arr = Constraints.interval(lo, hi);
        assertEquals(lo, arr.lower());
        assertEquals(hi, arr.upper());
        assertEquals("in [lo, hi]", arr.describe());
        Constraints.IntegerInterval ints = Constraints.integerInterval(NDArray.of(new long[]{0, 1}, 2), NDArray.of(new long[]{5, 6}, 2));
        assertEquals(DType.F64, ints.lower().dtype());
        assertArrayEquals(new double[]{5, 6}, ints.upper().toDoubleArray());
        assertTrue(ints.isDiscrete());
        assertEquals("in [-1, 2]", Constraints.interval(NDArray.scalar(DType.F64, -1), NDArray.scalar(DType.F64, 2)).describe());
        assertEquals("> 1.5", Constraints.greaterThan(NDArray.scalar(DType.F32, 1.5)).describe());
        // independent: the base and the reinterpreted dims
        Constraints.Independent ind = Constraints.independent(Constraints.interval(-1.0, 1.0), 2);
        assertEquals(Constraints.interval(-1.0, 1.0), ind.base());
        assertEquals(2, ind.reinterpretedDims());
        assertEquals(2, ind.eventDim());
        assertEquals("in [-1, 1] in each of the last 2 dims", ind.describe());
        assertEquals(Constraints.independent(Constraints.real(), 1), Constraints.realVector());
        assertEquals(1, Constraints.independent(Constraints.simplex(), 0).eventDim());
        assertTrue(Constraints.independent(Constraints.bool(), 1).isDiscrete());
        // event dims and discreteness are on the interface; a user-defined constraint gets the elementwise defaults
        assertEquals(1, Constraints.simplex().eventDim());
        assertEquals(2, Constraints.positiveDefinite().eventDim());
        assertEquals(0, Constraints.real().eventDim());
        assertTrue(Constraints.bool().isDiscrete());
        Constraint custom = new Constraint() {
            @Override public NDArray contains(NDArray value) { return value.gt(value.scalarLike(3)); }
            @Override public String describe() { return "> 3"; }
        };
        assertEquals(0, custom.eventDim());
        assertFalse(custom.isDiscrete());
        assertEquals(0, Constraints.eventDim(custom));
        // bad parameters
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Constraints.interval(null, a(1)));
        assertEquals("Constraints.interval: lower bound must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.greaterThan((NDArray) null));
        assertEquals("Constraints.greaterThan: lower bound must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.interval(a(0, 1, 2), a(1, 2)));
        assertEquals("Constraints.interval: lower and upper: shapes [3] and [2] cannot broadcast (3 vs 2 at dim 0 of the result)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.independent(null, 1));
        assertEquals("Constraints.independent: base must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.independent(Constraints.real(), -1));
        assertEquals("Constraints.independent: reinterpretedDims must be >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.eventDim(null));
        assertEquals("Constraints.eventDim: constraint must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.positive().check("V", null));
        assertEquals("V must not be null", e.getMessage());
    }

    @Test
    void eventSets() {
        NDArray rows = NDArray.of(new double[]{0.2, 0.8, 0.5, 0.6, -0.1, 1.1}, 3, 2);
        assertArrayEquals(new boolean[]{true, false, false}, in(Constraints.simplex(), rows));
        assertEquals(1, Constraints.eventDim(Constraints.simplex()));
        assertArrayEquals(new boolean[]{true, false, false}, in(Constraints.oneHot(), NDArray.of(new double[]{0, 1, 1, 1, 0, 0}, 3, 2)));
        assertTrue(Constraints.isDiscrete(Constraints.oneHot()));
        assertArrayEquals(new boolean[]{true, false}, in(Constraints.realVector(), NDArray.of(new double[]{1, 2, NAN, 0}, 2, 2)));
        assertArrayEquals(new boolean[]{true, false}, in(Constraints.independent(Constraints.positive(), 1), NDArray.of(new double[]{1, 2, 3, 0}, 2, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Constraints.simplex().check("D: x", rows));
        assertEquals("D: x must be in the simplex (elements >= 0 summing to 1), got [0.5, 0.6] at [1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.simplex().check("D: x", NDArray.scalar(DType.F64, 1)));
        assertEquals("D: x must have at least 1 dim (in the simplex (elements >= 0 summing to 1)), got shape []", e.getMessage());
    }

    @Test
    void matrixSets() {
        NDArray m = NDArray.of(new double[]{
                2, 0, 1, 3,        // lower Cholesky
                2, 1, 1, 3,        // symmetric positive definite
                1, 2, 2, 1,        // symmetric, indefinite
                1, 1, 1, 1,        // positive semidefinite, singular
                1, 0, 0.6, 0.8     // Cholesky factor of a correlation matrix
        }, 5, 2, 2);
        assertArrayEquals(new boolean[]{true, false, false, false, true}, in(Constraints.lowerTriangular(), m));
        assertArrayEquals(new boolean[]{true, false, false, false, true}, in(Constraints.lowerCholesky(), m));
        assertArrayEquals(new boolean[]{false, false, false, false, true}, in(Constraints.corrCholesky(), m));
        assertArrayEquals(new boolean[]{false, true, true, true, false}, in(Constraints.symmetric(), m));
        assertArrayEquals(new boolean[]{false, true, false, false, false}, in(Constraints.positiveDefinite(), m));
        assertArrayEquals(new boolean[]{false, true, false, true, false}, in(Constraints.positiveSemidefinite(), m));
        assertEquals(2, Constraints.eventDim(Constraints.positiveDefinite()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Constraints.positiveDefinite().check("MVN: cov", m));
        assertEquals("MVN: cov must be symmetric positive definite, got [2.0, 0.0, 1.0, 3.0] at [0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Constraints.lowerCholesky().contains(NDArray.zeros(DType.F64, 2, 3)));
        assertEquals("lower_cholesky: expected square matrices in the last two dims, got shape [2, 3]", e.getMessage());
    }
}
