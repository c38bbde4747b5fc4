package dev.deepprob.engine;

/** Elementwise two-input kernels of the {@link Backend} contract, with NumPy broadcasting. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
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
