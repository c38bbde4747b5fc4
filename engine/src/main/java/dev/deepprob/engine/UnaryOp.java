package dev.deepprob.engine;

/** Elementwise one-input kernels of the {@link Backend} contract; each defined for F32 and F64. */
public enum UnaryOp {
    NEG, ABS, SIGN, EXP, EXPM1, LOG, LOG1P, SQRT, SIN, COS, TANH, SIGMOID, RELU,
    /** log|Γ(x)|. */
    LGAMMA,
    /** ψ(x) = d/dx log Γ(x). */
    DIGAMMA,
    /** ψ'(x), needed for the derivative of digamma. */
    TRIGAMMA,
    RECIPROCAL, SQUARE, FLOOR, CEIL, ROUND,
    /** Rounds toward zero (C's trunc). */
    TRUNC,
    /** The inverse trigonometric functions (StrictMath's, so every path gives the same bits). */
    ATAN, ASIN, ACOS,
    /** erfc(x) = 1 - erf(x), with relative accuracy in the right tail where 1 - erf(x) cancels. */
    ERFC,
    /** erfcx(x) = e^(x²) erfc(x), the scaled complement: finite (about 1/(x√π)) where e^(x²) and erfc over- and underflow. */
    ERFCX,
    /** Logical negation; BOOL only. */
    NOT
}
