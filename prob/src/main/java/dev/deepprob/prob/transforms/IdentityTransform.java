package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/** y = x on the reals (what {@link Transforms#biject} gives for an unconstrained parameter); log|det J| = 0. */
public final class IdentityTransform implements Transform {
    public IdentityTransform() {}

    @Override public Tensor forward(Tensor x) { return x; }
    @Override public Tensor inverse(Tensor y) { return y; }
    @Override public Tensor logAbsDetJacobian(Tensor x, Tensor y) { return Tensor.zerosLike(x); }
    @Override public Constraint domain() { return Transforms.real(); }
    @Override public Constraint codomain() { return Transforms.real(); }
    @Override public String toString() { return "IdentityTransform"; }

    /** +1: the map is increasing. */
    @Override
    public java.util.Optional<dev.deepprob.engine.NDArray> sign() { return Transforms.increasing(); }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof IdentityTransform; }

    @Override
    public int hashCode() { return IdentityTransform.class.hashCode(); }
}
