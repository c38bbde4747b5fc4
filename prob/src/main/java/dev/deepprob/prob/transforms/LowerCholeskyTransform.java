package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/**
 * Square matrices onto lower Cholesky factors: the strictly lower triangle is kept as is and the diagonal goes
 * through exp (default) or softplus, so it is positive; entries above the diagonal are ignored. As a map of the
 * n(n+1)/2 lower-triangle entries it is a bijection with a diagonal Jacobian, whose log-determinant is
 * Σᵢ log f'(xᵢᵢ): Σᵢ xᵢᵢ for exp, Σᵢ log σ(xᵢᵢ) for softplus.
 */
public final class LowerCholeskyTransform implements Transform {
    private final Transforms.PositiveMap diag;

    /** With exp on the diagonal (as torch's LowerCholeskyTransform). */
    public LowerCholeskyTransform() { this(Transforms.PositiveMap.EXP); }

    /** With the given positive map on the diagonal. */
    public LowerCholeskyTransform(Transforms.PositiveMap diagonalMap) {
        if (diagonalMap == null) throw new IllegalArgumentException("LowerCholeskyTransform: diagonalMap must not be null");
        this.diag = diagonalMap;
    }

    public Transforms.PositiveMap diagonalMap() { return diag; }

    /** @param x (..., n, n) @return (..., n, n) lower triangular with a positive diagonal */
    @Override
    public Tensor forward(Tensor x) {
        Transforms.floating("LowerCholeskyTransform.forward", x);
        Transforms.checkSquare("LowerCholeskyTransform.forward: x", x);
        Tensor d = x.diagonal();
        Tensor pd = diag == Transforms.PositiveMap.EXP ? d.exp() : d.softplus();
        return x.tril(-1).add(pd.diagEmbed());
    }

    @Override
    public Tensor inverse(Tensor y) {
        Transforms.floating("LowerCholeskyTransform.inverse", y);
        Transforms.checkSquare("LowerCholeskyTransform.inverse: y", y);
        Tensor d = y.diagonal();
        Tensor xd = diag == Transforms.PositiveMap.EXP ? d.log() : new SoftplusTransform().inverse(d);
        return y.tril(-1).add(xd.diagEmbed());
    }

    /** Σᵢ xᵢᵢ (exp) or Σᵢ -softplus(-xᵢᵢ) = Σᵢ log σ(xᵢᵢ) (softplus), of shape x.shape[:-2]. */
    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) {
        Transforms.checkSquare("LowerCholeskyTransform.logAbsDetJacobian: x", x);
        Tensor d = x.diagonal();
        Tensor l = diag == Transforms.PositiveMap.EXP ? d : d.neg().softplus().neg();
        return l.sum(new int[]{-1}, false);
    }

    @Override public Constraint domain() { return Transforms.independent(Transforms.real(), 2); }
    @Override public Constraint codomain() { return Transforms.lowerCholesky(); }
    @Override public int domainEventDim() { return 2; }
    @Override public String toString() { return "LowerCholeskyTransform(" + diag + ")"; }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof LowerCholeskyTransform t && t.diag == diag; }

    @Override
    public int hashCode() { return diag.hashCode(); }
}
