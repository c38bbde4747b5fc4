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
    /** Logical negation; BOOL only. */
    NOT
}
