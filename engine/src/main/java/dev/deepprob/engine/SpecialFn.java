package dev.deepprob.engine;

/**
 * The special functions of the backend contract ({@link Backend#special}): each takes {@link #arity()} floating
 * arrays of one shape and dtype and returns their elementwise value. The first operand is the array the matching
 * {@link NDArray} method was called on.
 */
public enum SpecialFn {
    /** erf(x). */
    ERF(1, "erf"),
    /** erf⁻¹(x) on (-1, 1). */
    ERFINV(1, "erfinv"),
    /** Φ⁻¹(q), the standard normal quantile. */
    NDTRI(1, "ndtri"),
    /** P(a, x): (a, x). */
    GAMMA_P(2, "gammaP"),
    /** Q(a, x) = 1 - P(a, x): (a, x). */
    GAMMA_Q(2, "gammaQ"),
    /** The y with P(a, y) = p: (a, p). */
    GAMMA_P_INV(2, "gammaPInv"),
    /** Student's t cdf with ν degrees of freedom: (ν, t). */
    STUDENT_T_CDF(2, "studentTCdf"),
    /** Student's t quantile: (ν, q). */
    STUDENT_T_ICDF(2, "studentTIcdf"),
    /** I_x(a, b): (x, a, b). */
    BETA_I(3, "betaI"),
    /** The x with I_x(a, b) = p: (p, a, b). */
    BETA_I_INV(3, "betaIInv"),
    /** ∂x/∂a of a Gamma(a, 1) sample x: (a, x). */
    STANDARD_GAMMA_GRAD(2, "standardGammaGrad");

    private final int arity;
    private final String opName;

    SpecialFn(int arity, String opName) {
        this.arity = arity;
        this.opName = opName;
    }

    /** Operands the function takes. */
    public int arity() { return arity; }

    /** The name of the NDArray method, used in error messages. */
    public String opName() { return opName; }
}
