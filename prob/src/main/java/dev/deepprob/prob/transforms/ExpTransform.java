package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/** y = exp(x), from the reals onto the positive reals; log|dy/dx| = x. */
public final class ExpTransform implements Transform {
    public ExpTransform() {}

    @Override public Tensor forward(Tensor x) { return Transforms.floating("ExpTransform.forward", x).exp(); }
    @Override public Tensor inverse(Tensor y) { return Transforms.floating("ExpTransform.inverse", y).log(); }
    @Override public Tensor logAbsDetJacobian(Tensor x, Tensor y) { return x; }
    @Override public Constraint domain() { return Transforms.real(); }
    @Override public Constraint codomain() { return Transforms.positive(); }
    @Override public String toString() { return "ExpTransform"; }

    /** +1: the map is increasing. */
    @Override
    public java.util.Optional<dev.deepprob.engine.NDArray> sign() { return Transforms.increasing(); }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof ExpTransform; }

    @Override
    public int hashCode() { return ExpTransform.class.hashCode(); }
}
