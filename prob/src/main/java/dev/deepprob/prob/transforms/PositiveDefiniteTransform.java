package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/**
 * Square matrices onto symmetric positive definite ones: L = {@link LowerCholeskyTransform}(x), then Σ = L Lᵀ.
 * The inverse factors Σ by Cholesky. The log-Jacobian (of the lower-triangle entries of x onto those of Σ) adds
 * to the Cholesky map's the term of L ↦ L Lᵀ, n log 2 + Σᵢ (n - i) log Lᵢᵢ for i = 0..n-1 (Muirhead, Aspects of
 * Multivariate Statistical Theory, 1982, Theorem 2.1.9).
 */
public final class PositiveDefiniteTransform implements Transform {
    private final LowerCholeskyTransform chol;

    public PositiveDefiniteTransform() { this(Transforms.PositiveMap.EXP); }

    public PositiveDefiniteTransform(Transforms.PositiveMap diagonalMap) { this.chol = new LowerCholeskyTransform(diagonalMap); }

    @Override
    public Tensor forward(Tensor x) {
        Tensor l = chol.forward(x);
        return l.matmul(l.mT());
    }

    @Override
    public Tensor inverse(Tensor y) {
        Transforms.floating("PositiveDefiniteTransform.inverse", y);
        Transforms.checkSquare("PositiveDefiniteTransform.inverse: y", y);
        return chol.inverse(y.cholesky());
    }

    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) {
        Tensor l = chol.forward(x);
        int n = x.shape(-1);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = n - i;
        Tensor weights = Tensor.of(x.dtype(), w);
        Tensor outer = l.diagonal().log().mul(weights).sum(new int[]{-1}, false).add(n * Math.log(2));
        return chol.logAbsDetJacobian(x, l).add(outer);
    }

    @Override public Constraint domain() { return Transforms.independent(Transforms.real(), 2); }
    @Override public Constraint codomain() { return Transforms.positiveDefinite(); }
    @Override public int domainEventDim() { return 2; }
    @Override public String toString() { return "PositiveDefiniteTransform(" + chol.diagonalMap() + ")"; }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof PositiveDefiniteTransform t && t.chol.equals(chol); }

    @Override
    public int hashCode() { return chol.hashCode() + 1; }
}
