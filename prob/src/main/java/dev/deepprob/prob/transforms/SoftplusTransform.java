package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/** y = softplus(x) = log(1 + eˣ), from the reals onto the positive reals; grows linearly, unlike exp. */
public final class SoftplusTransform implements Transform {
    public SoftplusTransform() {}

    @Override
    public Tensor forward(Tensor x) { return Transforms.floating("SoftplusTransform.forward", x).softplus(); }

    /**
     * x = log(eʸ - 1) = y + log(-expm1(-y)): the second form neither overflows for large y nor loses digits for
     * small y. y is clamped to at least the dtype's tiny so y = 0 (a rounded softplus) stays finite.
     */
    @Override
    public Tensor inverse(Tensor y) {
        Transforms.floating("SoftplusTransform.inverse", y);
        Tensor c = y.clampMin(Transforms.tiny(y.dtype()));
        return c.add(c.neg().expm1().neg().log());
    }

    /** log σ(x) = -softplus(-x): the derivative of softplus is the sigmoid. */
    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) { return x.neg().softplus().neg(); }

    @Override public Constraint domain() { return Transforms.real(); }
    @Override public Constraint codomain() { return Transforms.positive(); }
    @Override public String toString() { return "SoftplusTransform"; }

    /** +1: the map is increasing. */
    @Override
    public java.util.Optional<dev.deepprob.engine.NDArray> sign() { return Transforms.increasing(); }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof SoftplusTransform; }

    @Override
    public int hashCode() { return SoftplusTransform.class.hashCode(); }
}
