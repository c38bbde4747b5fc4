package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/**
 * A transform with {@code reinterpretedDims} more of its rightmost batch dims treated as event dims: the map is
 * the base's, and the log-Jacobian is summed over those dims (as Independent does for distributions).
 */
public final class IndependentTransform implements Transform {
    private final Transform base;
    private final int dims;

    public IndependentTransform(Transform base, int reinterpretedDims) {
        if (base == null) throw new IllegalArgumentException("IndependentTransform: base must not be null");
        if (reinterpretedDims < 0) throw new IllegalArgumentException("IndependentTransform: reinterpretedDims must be >= 0, got " + reinterpretedDims);
        this.base = base;
        this.dims = reinterpretedDims;
    }

    public Transform base() { return base; }

    public int reinterpretedDims() { return dims; }

    @Override
    public Tensor forward(Tensor x) {
        Transforms.checkRank("IndependentTransform.forward: x", x, domainEventDim());
        return base.forward(x);
    }

    @Override
    public Tensor inverse(Tensor y) {
        Transforms.checkRank("IndependentTransform.inverse: y", y, codomainEventDim());
        return base.inverse(y);
    }

    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) { return Transforms.sumRightmost(base.logAbsDetJacobian(x, y), dims); }

    @Override public Constraint domain() { return Transforms.independent(base.domain(), dims); }
    @Override public Constraint codomain() { return Transforms.independent(base.codomain(), dims); }
    @Override public int domainEventDim() { return base.domainEventDim() + dims; }
    @Override public int codomainEventDim() { return base.codomainEventDim() + dims; }
    @Override public int[] forwardShape(int[] shape) { return base.forwardShape(shape); }
    @Override public int[] inverseShape(int[] shape) { return base.inverseShape(shape); }
    @Override public String toString() { return "IndependentTransform(" + base + ", " + dims + ")"; }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof IndependentTransform t && t.dims == dims && t.base.equals(base); }

    @Override
    public int hashCode() { return 31 * base.hashCode() + dims; }
}
