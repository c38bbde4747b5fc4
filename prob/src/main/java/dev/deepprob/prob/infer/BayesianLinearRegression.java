package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.MultivariateNormal;

import java.util.function.Function;

/**
 * Conjugate Bayesian linear regression on fixed basis functions (Bishop, <i>Pattern Recognition and Machine
 * Learning</i>, 2006, section 3.3): with prior w ~ N(0, α⁻¹ I) and likelihood y | w ~ N(Φ w, β⁻¹ I) the
 * posterior is N(m, S) with precision S⁻¹ = α I + β ΦᵀΦ (eq. 3.54) and mean m = β S Φᵀ y (eq. 3.53); the
 * predictive distribution at a new point is N(mᵀφ, 1/β + φᵀ S φ) (eqs. 3.58-3.59).
 *
 * <p>Everything goes through the Cholesky factor L of the posterior precision (S⁻¹ = L Lᵀ): the mean by two
 * triangular solves, the predictive variance as 1/β + ‖L⁻¹ φ‖², so no dense matrix is ever inverted. The
 * computation is written in Tensor operations, so gradients flow to Φ and y when they require them.
 * Immutable; build it with {@link #fit(Tensor, Tensor, double, double)}.
 */
public final class BayesianLinearRegression {
    private static final String NAME = "BayesianLinearRegression";
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final double alpha;
    private final double beta;
    private final Tensor phi;        // (n, d)
    private final Tensor y;          // (n)
    private final Tensor precision;  // (d, d) S⁻¹
    private final Tensor cholPrec;   // (d, d) lower L with L Lᵀ = S⁻¹
    private final Tensor mean;       // (d)
    private final Function<Tensor, Tensor> basis; // may be null

    private BayesianLinearRegression(double alpha, double beta, Tensor phi, Tensor y, Function<Tensor, Tensor> basis) {
        this.alpha = alpha;
        this.beta = beta;
        this.phi = phi;
        this.y = y;
        this.basis = basis;
        int d = phi.shape(1);
        DType t = phi.dtype();
        // S⁻¹ = α I + β ΦᵀΦ (Bishop eq. 3.54)
        this.precision = phi.t().matmul(phi).mul(beta).add(Tensor.eye(t, d).mul(alpha));
        try {
            this.cholPrec = precision.cholesky();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": the posterior precision αI + βΦᵀΦ is not positive definite "
                    + "(alpha " + alpha + ", beta " + beta + "): " + e.getMessage(), e);
        }
        // m = β S Φᵀ y = L⁻ᵀ (L⁻¹ (β Φᵀ y)) (Bishop eq. 3.53), two triangular solves
        Tensor rhs = phi.t().matmul(y.unsqueeze(1)).mul(beta);                   // (d, 1)
        Tensor z = cholPrec.triangularSolve(rhs, false, true, false);            // L z = β Φᵀ y
        this.mean = cholPrec.mT().triangularSolve(z, true, true, false).squeeze(1); // Lᵀ m = z
    }

    /**
     * The posterior for a design matrix the caller built by applying the basis.
     * @param phi   (n, d) design matrix Φ, row i = φ(xᵢ); F32 or F64, finite
     * @param y     (n) or (n, 1) targets, same dtype as phi
     * @param alpha prior precision α > 0 (w ~ N(0, α⁻¹ I))
     * @param beta  noise precision β > 0 (noise variance 1/β)
     */
    public static BayesianLinearRegression fit(Tensor phi, Tensor y, double alpha, double beta) {
        checkPrecisions(alpha, beta);
        checkPhi("fit", phi, -1);
        return new BayesianLinearRegression(alpha, beta, phi, checkY(phi, y), null);
    }

    /**
     * The posterior for inputs x mapped through a basis function; {@link #predict(Tensor)} then accepts raw
     * inputs too, through {@link #predictAt(Tensor)}.
     * @param basis maps inputs (n, ...) to the design matrix (n, d)
     * @param x     inputs, first dim n
     * @param y     (n) or (n, 1) targets
     */
    public static BayesianLinearRegression fit(Function<Tensor, Tensor> basis, Tensor x, Tensor y, double alpha, double beta) {
        if (basis == null) throw new IllegalArgumentException(NAME + ".fit: basis must not be null");
        if (x == null) throw new IllegalArgumentException(NAME + ".fit: x must not be null");
        checkPrecisions(alpha, beta);
        Tensor phi = basis.apply(x);
        if (phi == null) throw new IllegalArgumentException(NAME + ".fit: the basis function returned null");
        if (phi.dim() != 2 || (x.dim() > 0 && phi.shape(0) != x.shape(0))) throw new IllegalArgumentException(NAME
                + ".fit: the basis function must map inputs of shape " + Shapes.str(x.dims()) + " to a design matrix (n, d) with n = "
                + (x.dim() > 0 ? x.shape(0) : "?") + ", got shape " + Shapes.str(phi.dims()));
        checkPhi("fit", phi, -1);
        return new BayesianLinearRegression(alpha, beta, phi, checkY(phi, y), basis);
    }

    // ------------------------------------------------------------------ validation

    private static void checkPrecisions(double alpha, double beta) {
        if (!(alpha > 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException(NAME
                + ": alpha (prior precision) must be finite and > 0, got " + alpha);
        if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException(NAME
                + ": beta (noise precision) must be finite and > 0, got " + beta);
    }

    private static Tensor checkPhi(String op, Tensor phi, int d) {
        if (phi == null) throw new IllegalArgumentException(NAME + "." + op + ": design matrix phi must not be null");
        if (!phi.dtype().isFloating()) throw new IllegalArgumentException(NAME + "." + op + ": design matrix phi must be F32 or F64, got "
                + phi.dtype());
        if (phi.dim() != 2) throw new IllegalArgumentException(NAME + "." + op + ": design matrix phi must be 2-D (n, d), got shape "
                + Shapes.str(phi.dims()));
        if (phi.shape(0) < 1 || phi.shape(1) < 1) throw new IllegalArgumentException(NAME + "." + op
                + ": design matrix phi must have at least one row and one column, got shape " + Shapes.str(phi.dims()));
        if (d >= 0 && phi.shape(1) != d) throw new IllegalArgumentException(NAME + "." + op + ": design matrix must have shape (m, " + d
                + ") like the training design, got " + Shapes.str(phi.dims()));
        checkFinite(op, "phi", phi);
        return phi;
    }

    private static Tensor checkY(Tensor phi, Tensor y) {
        if (y == null) throw new IllegalArgumentException(NAME + ".fit: targets y must not be null");
        int n = phi.shape(0);
        boolean ok = (y.dim() == 1 && y.shape(0) == n) || (y.dim() == 2 && y.shape(0) == n && y.shape(1) == 1);
        if (!ok) throw new IllegalArgumentException(NAME + ".fit: targets y must have shape (" + n + ") or (" + n + ", 1) to match phi "
                + Shapes.str(phi.dims()) + ", got " + Shapes.str(y.dims()));
        if (y.dtype() != phi.dtype()) throw new IllegalArgumentException(NAME + ".fit: y must have phi's dtype " + phi.dtype() + ", got "
                + y.dtype());
        checkFinite("fit", "y", y);
        return y.dim() == 2 ? y.squeeze(1) : y;
    }

    private static void checkFinite(String op, String what, Tensor t) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                int[] idx = unravel(i, t.dims());
                throw new IllegalArgumentException(NAME + "." + op + ": " + what + " must be finite, got " + v[i] + " at "
                        + java.util.Arrays.toString(idx));
            }
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    // ------------------------------------------------------------------ the posterior

    /** The prior precision α. */
    public double alpha() { return alpha; }

    /** The noise precision β. */
    public double beta() { return beta; }

    /** The number of basis functions d. */
    public int dimension() { return phi.shape(1); }

    /** The number of training points n. */
    public int size() { return phi.shape(0); }

    /** The training design matrix Φ, (n, d). */
    public Tensor design() { return phi; }

    /** The training targets, (n). */
    public Tensor targets() { return y; }

    /** The posterior mean m = β S Φᵀ y, (d). */
    public Tensor posteriorMean() { return mean; }

    /** The posterior precision S⁻¹ = α I + β ΦᵀΦ, (d, d). */
    public Tensor posteriorPrecision() { return precision; }

    /** The lower Cholesky factor L of the posterior precision (L Lᵀ = S⁻¹), (d, d). */
    public Tensor precisionCholesky() { return cholPrec; }

    /** The posterior covariance S = L⁻ᵀ L⁻¹, from the inverse of the triangular factor (d, d). */
    public Tensor posteriorCovariance() {
        int d = dimension();
        Tensor li = cholPrec.triangularSolve(Tensor.eye(phi.dtype(), d), false, true, false);  // L⁻¹
        return li.mT().matmul(li);
    }

    /** The posterior N(m, S) as a distribution (built from the precision, so S is never formed to sample). */
    public MultivariateNormal posterior() { return MultivariateNormal.withPrecision(mean, precision); }

    /** n weight vectors drawn from the posterior, (n, d). */
    public Tensor sampleWeights(Generator gen, int n) {
        if (gen == null) throw new IllegalArgumentException(NAME + ".sampleWeights: generator must not be null");
        if (n < 0) throw new IllegalArgumentException(NAME + ".sampleWeights: n must be >= 0, got " + n);
        return posterior().sample(gen, n);
    }

    /**
     * log p(y | α, β), the evidence (Bishop eq. 3.86):
     * d/2 ln α + n/2 ln β - E(m) - ½ ln|S⁻¹| - n/2 ln 2π with E(m) = β/2 ‖y - Φm‖² + α/2 mᵀm.
     * @return a 0-d tensor
     */
    public Tensor logEvidence() {
        int n = size(), d = dimension();
        Tensor resid = y.sub(phi.matmul(mean));
        Tensor e = resid.square().sum().mul(beta / 2).add(mean.square().sum().mul(alpha / 2));
        Tensor logDetPrec = cholPrec.diagonal().log().sum().mul(2);
        return e.neg().sub(logDetPrec.mul(0.5)).add(0.5 * d * Math.log(alpha) + 0.5 * n * Math.log(beta) - 0.5 * n * LOG_2PI);
    }

    // ------------------------------------------------------------------ prediction

    /** The predictive normal at each of m points: its mean and variance, both (m). */
    public record Prediction(Tensor mean, Tensor variance) {
        /** The predictive standard deviation, (m). */
        public Tensor std() { return variance.sqrt(); }

        /** The variance from the weights' uncertainty alone (without the noise 1/β), (m). */
        public Tensor epistemicVariance(double beta) { return variance.sub(1.0 / beta); }
    }

    /**
     * The predictive distribution N(mᵀφ, 1/β + φᵀ S φ) at new points given by their basis rows.
     * @param phiStar (m, d) rows φ(x*), same dtype as the training design
     */
    public Prediction predict(Tensor phiStar) {
        checkPhi("predict", phiStar, dimension());
        if (phiStar.dtype() != phi.dtype()) throw new IllegalArgumentException(NAME + ".predict: phiStar must have dtype " + phi.dtype()
                + ", got " + phiStar.dtype());
        Tensor mu = phiStar.matmul(mean);                                              // (m)
        Tensor v = cholPrec.triangularSolve(phiStar.t(), false, true, false);          // L⁻¹ φ, (d, m)
        Tensor var = v.square().sum(new int[]{0}, false).add(1.0 / beta);              // 1/β + ‖L⁻¹φ‖² = 1/β + φᵀSφ
        return new Prediction(mu, var);
    }

    /** The predictive distribution at raw inputs, mapped through the basis given to {@link #fit(Function, Tensor, Tensor, double, double)}. */
    public Prediction predictAt(Tensor xStar) {
        if (basis == null) throw new IllegalStateException(NAME + ".predictAt: this model was fitted on a design matrix, not a basis "
                + "function; apply the basis yourself and call predict(phiStar)");
        if (xStar == null) throw new IllegalArgumentException(NAME + ".predictAt: xStar must not be null");
        return predict(basis.apply(xStar));
    }

    /** The function values φ(x*)ᵀw for a batch of weight vectors, (k, m): one row per weight sample. */
    public Tensor functionValues(Tensor weights, Tensor phiStar) {
        checkPhi("functionValues", phiStar, dimension());
        if (weights == null || weights.dim() != 2 || weights.shape(1) != dimension()) throw new IllegalArgumentException(NAME
                + ".functionValues: weights must have shape (k, " + dimension() + "), got "
                + (weights == null ? "null" : Shapes.str(weights.dims())));
        return weights.matmul(phiStar.t());
    }

    /**
     * The polynomial basis [1, x, x², ..., x^degree] as a function of 1-D inputs (n) or (n, 1): a helper for the
     * common case, usable with {@link #fit(Function, Tensor, Tensor, double, double)}.
     */
    public static Function<Tensor, Tensor> polynomialBasis(int degree) {
        if (degree < 0) throw new IllegalArgumentException(NAME + ".polynomialBasis: degree must be >= 0, got " + degree);
        return x -> {
            if (x == null) throw new IllegalArgumentException(NAME + ".polynomialBasis: x must not be null");
            Tensor c = x;
            if (c.dim() == 2 && c.shape(1) == 1) c = c.squeeze(1);
            if (c.dim() != 1) throw new IllegalArgumentException(NAME + ".polynomialBasis: x must have shape (n) or (n, 1), got "
                    + Shapes.str(x.dims()));
            java.util.List<Tensor> cols = new java.util.ArrayList<>(degree + 1);
            Tensor p = Tensor.onesLike(c);
            cols.add(p);
            for (int k = 1; k <= degree; k++) {
                p = p.mul(c);
                cols.add(p);
            }
            return Tensor.stack(cols, 1);
        };
    }

    @Override
    public String toString() {
        return NAME + "(n " + size() + ", d " + dimension() + ", alpha " + alpha + ", beta " + beta + ")";
    }
}
