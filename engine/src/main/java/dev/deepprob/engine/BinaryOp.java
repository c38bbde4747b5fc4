package dev.deepprob.engine;

/** Elementwise two-input kernels of the {@link Backend} contract, with NumPy broadcasting. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    /** atan2(a, b), the angle of the point (b, a) in (-π, π] (StrictMath.atan2). */
    ATAN2,
    /** C's fmod: a - trunc(a/b)·b computed exactly, with the sign of a (Java's {@code %}). */
    FMOD,
    /** Comparisons produce BOOL. */
    EQ, NE, LT, LE, GT, GE,
    /** Logical and/or on BOOL. */
    AND, OR;

    /** True for the comparisons, whose result is a BOOL mask. */
    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }
}
