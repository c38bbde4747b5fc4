package dev.deepprob.prob;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.deepprob.prob.Batching.*;

/**
 * The multivariate normal N(loc, Σ) over vectors of size d, parameterised by exactly one of the covariance Σ,
 * the precision Σ⁻¹ or the lower Cholesky factor L of Σ (Σ = L Lᵀ). Every computation goes through L: the
 * Mahalanobis term by a triangular solve and log det Σ = 2 Σᵢ log Lᵢᵢ, so nothing inverts a dense matrix.
 * Batch dims of loc (..., d) and of the matrix (..., d, d) broadcast; event shape is [d].
 */
public final class MultivariateNormal extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Tensor loc;          // (batch..., d)
    private final Tensor scaleTril;    // (matrix batch..., d, d), not broadcast to the batch shape
    private final Tensor covariance;   // as given, or null
    private final Tensor precision;    // as given, or null

    /**
     * The normal with mean loc and exactly one of covarianceMatrix, precisionMatrix and scaleTril (the others
     * null), like torch's keyword arguments. Validates by {@link Distribution#validateByDefault()}.
     * @param loc (..., d)
     * @param covarianceMatrix (..., d, d) symmetric positive definite, or null
     * @param precisionMatrix (..., d, d) symmetric positive definite, or null
     * @param scaleTril (..., d, d) lower triangular with a positive diagonal, or null
     */
    public MultivariateNormal(Tensor loc, Tensor covarianceMatrix, Tensor precisionMatrix, Tensor scaleTril) {
        this(loc, covarianceMatrix, precisionMatrix, scaleTril, Distribution.validateByDefault());
    }

    /** As the four-argument constructor, choosing whether the parameters (and later logProb values) are validated. */
    public MultivariateNormal(Tensor loc, Tensor covarianceMatrix, Tensor precisionMatrix, Tensor scaleTril, boolean validate) {
        this(Setup.of(loc, covarianceMatrix, precisionMatrix, scaleTril, validate), validate);
    }

    private MultivariateNormal(Setup s, boolean validate) {
        super(s.batch, new int[]{s.d}, validate);
        this.loc = s.loc;
        this.scaleTril = s.scaleTril;
        this.covariance = s.covariance;
        this.precision = s.precision;
    }

    private MultivariateNormal(Tensor loc, Tensor scaleTril, Tensor covariance, Tensor precision, int[] batch, boolean validate) {
        super(batch, new int[]{loc.shape(-1)}, validate);
        this.loc = loc;
        this.scaleTril = scaleTril;
        this.covariance = covariance;
        this.precision = precision;
    }

    /** N(loc, Σ) from its covariance matrix (..., d, d). */
    public static MultivariateNormal withCovariance(Tensor loc, Tensor covarianceMatrix) {
        return new MultivariateNormal(loc, require("covarianceMatrix", covarianceMatrix), null, null);
    }

    /** N(loc, P⁻¹) from its precision matrix P (..., d, d). */
    public static MultivariateNormal withPrecision(Tensor loc, Tensor precisionMatrix) {
        return new MultivariateNormal(loc, null, require("precisionMatrix", precisionMatrix), null);
    }

    /** N(loc, L Lᵀ) from the lower Cholesky factor L (..., d, d) of the covariance. */
    public static MultivariateNormal withScaleTril(Tensor loc, Tensor scaleTril) {
        return new MultivariateNormal(loc, null, null, require("scaleTril", scaleTril));
    }

    private static Tensor require(String what, Tensor t) {
        if (t == null) throw new IllegalArgumentException("MultivariateNormal: " + what + " must not be null");
        return t;
    }

    /** The parameters after checking, with the scale factor derived. */
    private record Setup(Tensor loc, Tensor scaleTril, Tensor covariance, Tensor precision, int[] batch, int d) {
        static Setup of(Tensor loc, Tensor cov, Tensor prec, Tensor tril, boolean validate) {
            String n = "MultivariateNormal";
            if (loc == null) throw new IllegalArgumentException(n + ": loc must not be null");
            List<String> given = new ArrayList<>();
            if (cov != null) given.add("covarianceMatrix");
            if (prec != null) given.add("precisionMatrix");
            if (tril != null) given.add("scaleTril");
            if (given.size() != 1) throw new IllegalArgumentException(n + ": exactly one of covarianceMatrix, precisionMatrix and "
                    + "scaleTril must be given, got " + (given.isEmpty() ? "none" : String.join(" and ", given)));
            String which = given.getFirst();
            Tensor m = cov != null ? cov : prec != null ? prec : tril;
            checkFloating(n, "loc", loc);
            checkFloating(n, which, m);
            if (loc.dim() < 1) throw new IllegalArgumentException(n + ": loc must have at least one dimension, got shape " + Shapes.str(loc.dims()));
            int d = loc.shape(-1);
            if (d < 1) throw new IllegalArgumentException(n + ": loc must have a non-empty last dimension, got shape " + Shapes.str(loc.dims()));
            checkSquare(n, which, m, d);
            if (m.dtype() != loc.dtype()) throw new IllegalArgumentException(n + ": loc and " + which + " must have the same dtype, got "
                    + loc.dtype() + " and " + m.dtype());
            int[] batch = batchOf(n, loc.dims(), 1, m.dims(), 2, which);
            if (validate) {
                checkFinite(n + ": loc", loc.data());
                if (tril != null) checkScaleTril(n + ": scaleTril", tril.data());
                else checkSymmetric(n + ": " + which, m.data());
            }
            Tensor l;
            if (tril != null) {
                l = tril;
            } else {
                try {
                    l = cov != null ? cov.cholesky() : precisionToScaleTril(prec);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(n + ": " + which + " must be positive definite, but " + e.getMessage(), e);
                }
            }
            Tensor locB = loc.expand(concat(batch, d));
            return new Setup(locB, l, cov, prec, batch, d);
        }
    }

    /**
     * The lower factor L with L Lᵀ = P⁻¹, without inverting P: with J the reversal permutation, J P J = Lf Lfᵀ,
     * so P = U Uᵀ for the upper triangular U = J Lf J, and P⁻¹ = U⁻ᵀ U⁻¹ gives L = U⁻ᵀ (one Cholesky and one
     * triangular solve; the construction torch.distributions uses).
     */
    static Tensor precisionToScaleTril(Tensor p) {
        int d = p.shape(-1);
        Tensor lf = flip2(p).cholesky();
        Tensor ut = flip2(lf).mT();                 // Uᵀ: lower triangular
        Tensor eye = Tensor.eye(p.dtype(), d).expand(p.dims());
        return ut.triangularSolve(eye, false, true, false);
    }

    /** Reverses the order of the last two dims' entries (J A J). */
    private static Tensor flip2(Tensor a) {
        int d = a.shape(-1);
        long[] rev = new long[d];
        for (int i = 0; i < d; i++) rev[i] = d - 1 - i;
        NDArray idx = NDArray.of(rev, d);
        return a.indexSelect(-1, idx).indexSelect(-2, idx);
    }

    // ------------------------------------------------------------------ checks shared with LowRankMultivariateNormal

    static void checkFloating(String dist, String what, Tensor t) {
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(dist + ": " + what + " must be F32 or F64, got " + t.dtype());
    }

    private static void checkSquare(String dist, String what, Tensor m, int d) {
        int[] s = m.dims();
        if (s.length < 2 || s[s.length - 1] != d || s[s.length - 2] != d) throw new IllegalArgumentException(dist + ": " + what
                + " must have shape (..., d, d) with d = " + d + " from loc, got shape " + Shapes.str(s));
    }



    private static void checkScaleTril(String what, NDArray l) {
        NDArray upper = l.triu(1);
        int bad = firstFalse(upper.eq(0));
        if (bad >= 0) {
            int[] idx = unravel(bad, l.dims());
            throw new IllegalArgumentException(what + " must be lower triangular with a positive diagonal, got " + l.get(idx)
                    + " above the diagonal at " + Arrays.toString(idx));
        }
        NDArray diag = l.diagonal();
        bad = firstFalse(diag.gt(0));
        if (bad >= 0) {
            int[] di = unravel(bad, diag.dims());
            int[] idx = Arrays.copyOf(di, di.length + 1);
            idx[di.length] = di[di.length - 1];
            throw new IllegalArgumentException(what + " must be lower triangular with a positive diagonal, got " + l.get(idx)
                    + " on the diagonal at " + Arrays.toString(idx));
        }
        checkFinite(what, l);
    }

    /** Symmetric up to a relative 1e-6 (F64) or 1e-4 (F32) of the largest entry, as torch's positive_definite check. */
    private static void checkSymmetric(String what, NDArray m) {
        checkFinite(what, m);
        double tol = (m.dtype() == DType.F64 ? 1e-6 : 1e-4);
        NDArray scale = m.abs().max(new int[]{-2, -1}, true).add(1e-30);
        NDArray asym = m.sub(m.mT()).abs().div(scale);
        int bad = firstFalse(asym.le(tol));
        if (bad >= 0) {
            int[] idx = unravel(bad, m.dims());
            int[] t = idx.clone();
            t[t.length - 1] = idx[idx.length - 2];
            t[t.length - 2] = idx[idx.length - 1];
            throw new IllegalArgumentException(what + " must be symmetric positive definite, got " + m.get(idx) + " at "
                    + Arrays.toString(idx) + " but " + m.get(t) + " at " + Arrays.toString(t));
        }
    }





    // ------------------------------------------------------------------ linear algebra helpers





    /**
     * A⁻¹ v for the lower triangular A (abatch..., n, n) and vectors v (..., n) whose trailing batch dims
     * broadcast with A's.
     * @return (sample..., batch..., n)
     */
    static Tensor solveVectors(Tensor a, Tensor v) {
        int[] aBatch = Arrays.copyOf(a.dims(), a.dim() - 2);
        int[] b = vectorBatch(v, aBatch);
        int[] sample = sampleDims(v, aBatch);
        return fromColumns(trilSolve(a, toColumns(v, b)), sample);
    }

    /**
     * A v for matrices A (abatch..., m, n) and vectors v (..., n) whose trailing batch dims broadcast with A's.
     * @return (sample..., batch..., m)
     */
    static Tensor matVec(Tensor a, Tensor v) {
        int[] aBatch = Arrays.copyOf(a.dims(), a.dim() - 2);
        int[] b = vectorBatch(v, aBatch);
        int[] sample = sampleDims(v, aBatch);
        return fromColumns(a.expand(concat(b, a.shape(-2), a.shape(-1))).matmul(toColumns(v, b)), sample);
    }

    /** A⁻¹ B for lower triangular A (..., n, n) and B (..., n, m), batch dims broadcast explicitly first. */
    static Tensor trilSolve(Tensor a, Tensor b) {
        int[] ab = Arrays.copyOf(a.dims(), a.dim() - 2), bb = Arrays.copyOf(b.dims(), b.dim() - 2);
        int[] batch = Shapes.broadcast("trilSolve", ab, bb);
        // expand explicitly: the solve's VJP does not sum broadcast batch dims back to its inputs' shapes
        return a.expand(concat(batch, a.shape(-2), a.shape(-1))).triangularSolve(b.expand(concat(batch, b.shape(-2), b.shape(-1))),
                false, true, false);
    }

    /** Σ log Lᵢᵢ over the diagonal: half the log determinant of L Lᵀ, of L's batch shape. */
    static Tensor halfLogDet(Tensor l) { return l.diagonal().log().sum(new int[]{-1}, false); }

    // ------------------------------------------------------------------ accessors

    /** The mean, (batch..., d). */
    public Tensor loc() { return loc; }

    /** The lower Cholesky factor L of Σ, (batch..., d, d). */
    public Tensor scaleTril() { return scaleTril.expand(concat(batchShape(), dimension(), dimension())); }

    /** Σ = L Lᵀ (or the matrix given), (batch..., d, d). */
    public Tensor covarianceMatrix() {
        Tensor c = covariance != null ? covariance : scaleTril.matmul(scaleTril.mT());
        return c.expand(concat(batchShape(), dimension(), dimension()));
    }

    /** Σ⁻¹ = L⁻ᵀ L⁻¹ (or the matrix given), (batch..., d, d). */
    public Tensor precisionMatrix() {
        Tensor p;
        if (precision != null) {
            p = precision;
        } else {
            int d = dimension();
            Tensor li = scaleTril.triangularSolve(Tensor.eye(scaleTril.dtype(), d).expand(scaleTril.dims()), false, true, false);
            p = li.mT().matmul(li);
        }
        return p.expand(concat(batchShape(), dimension(), dimension()));
    }

    /** The event size d. */
    public int dimension() { return loc.shape(-1); }

    /** L before broadcasting to the batch shape (package use: KL). */
    Tensor unbroadcastedScaleTril() { return scaleTril; }

    // ------------------------------------------------------------------ Distribution

    /**
     * log N(x; μ, Σ) = -½ (d log 2π + ‖L⁻¹(x - μ)‖²) - Σᵢ log Lᵢᵢ.
     * @param value (sample..., batch..., d)
     * @return (sample..., batch...)
     */
    @Override
    public Tensor logProb(Tensor value) {
        checkValueHere(value);
        Tensor diff = value.sub(loc);
        Tensor m = solveVectors(scaleTril, diff).square().sum(new int[]{-1}, false);
        Tensor hld = halfLogDet(scaleTril);
        return m.add(dimension() * LOG_2PI).mul(-0.5).sub(hld);
    }

    private void checkValueHere(Tensor value) {
        if (value.dtype() != loc.dtype()) throw new IllegalArgumentException(name() + ".logProb: value must have dtype " + loc.dtype()
                + ", got " + value.dtype());
        if (value.dim() < 1 || value.shape(-1) != dimension()) throw new IllegalArgumentException(name() + ".logProb: value must have shape "
                + "(..., " + dimension() + "), got shape " + Shapes.str(value.dims()));
        checkValue(value);
    }

    /** loc + L ε with ε standard normal of shape sampleShape + batchShape + [d]; differentiable in loc and L. */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        if (gen == null) throw new IllegalArgumentException(name() + ".rsample: generator must not be null");
        Tensor eps = Tensor.randn(gen, loc.dtype(), loc.backend(), extendedShape(sampleShape));
        return loc.add(matVec(scaleTril, eps));
    }

    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return rsample(gen, sampleShape).detach();
        }
    }

    @Override
    public MultivariateNormal expand(int... batchShape) {
        int d = dimension();
        int[] b = checkExpand(name(), batchShape(), batchShape);
        return new MultivariateNormal(loc.expand(concat(b, d)), scaleTril.expand(concat(b, d, d)),
                covariance == null ? null : covariance.expand(concat(b, d, d)),
                precision == null ? null : precision.expand(concat(b, d, d)), b, validates());
    }

    @Override
    public Constraint support() { return Constraints.realVector(); }

    @Override
    public DType dtype() { return loc.dtype(); }

    // ------------------------------------------------------------------ moments and entropy

    @Override
    public Tensor mean() { return loc; }

    @Override
    public Tensor mode() { return loc; }

    /** diag Σ = Σⱼ Lᵢⱼ², (batch..., d). */
    @Override
    public Tensor variance() {
        return scaleTril.square().sum(new int[]{-1}, false).expand(extendedShape());
    }

    /** ½ d (1 + log 2π) + Σᵢ log Lᵢᵢ, (batch...). */
    @Override
    public Tensor entropy() {
        Tensor h = halfLogDet(scaleTril).add(0.5 * dimension() * (1 + LOG_2PI));
        return h.expand(batchShape());
    }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("loc", loc, "scaleTril", scaleTril); }
}
