package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/** The inverse f⁻¹ of a transform f; its log-Jacobian is -log|det ∂f/∂x| at x = f⁻¹(y). */
final class InverseTransform implements Transform {
    private final Transform t;

    InverseTransform(Transform t) { this.t = t; }

    @Override public Tensor forward(Tensor x) { return t.inverse(x); }
    @Override public Tensor inverse(Tensor y) { return t.forward(y); }
    @Override public Tensor logAbsDetJacobian(Tensor x, Tensor y) { return t.logAbsDetJacobian(y, x).neg(); }
    @Override public Constraint domain() { return t.codomain(); }
    @Override public Constraint codomain() { return t.domain(); }
    @Override public int domainEventDim() { return t.codomainEventDim(); }
    @Override public int codomainEventDim() { return t.domainEventDim(); }
    @Override public int[] forwardShape(int[] shape) { return t.inverseShape(shape); }
    @Override public int[] inverseShape(int[] shape) { return t.forwardShape(shape); }
    @Override public Transform inv() { return t; }
    @Override public java.util.Optional<dev.deepprob.engine.NDArray> sign() { return t.sign(); }
    @Override public String toString() { return "Inverse(" + t + ")"; }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof InverseTransform i && i.t.equals(t); }

    @Override
    public int hashCode() { return -t.hashCode(); }
}
