package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/**
 * y = σ(x) = 1 / (1 + e⁻ˣ), from the reals onto (0, 1). The output is clamped to [tiny, 1 - eps] of its dtype so
 * that it stays inside the open interval where σ rounds to 0 or 1 (|x| beyond about 17 in float32, 37 in
 * float64), and the inverse logit stays finite.
 */
public final class SigmoidTransform implements Transform {
    public SigmoidTransform() {}

    @Override
    public Tensor forward(Tensor x) {
        Transforms.floating("SigmoidTransform.forward", x);
        return x.sigmoid().clamp(Transforms.tiny(x.dtype()), 1 - Transforms.eps(x.dtype()));
    }

    /** logit(y) = log y - log(1 - y), with y clamped into [tiny, 1 - eps] first. */
    @Override
    public Tensor inverse(Tensor y) {
        Transforms.floating("SigmoidTransform.inverse", y);
        Tensor c = y.clamp(Transforms.tiny(y.dtype()), 1 - Transforms.eps(y.dtype()));
        return c.log().sub(c.neg().log1p());
    }

    /**
     * log σ'(x) = log σ(x) + log σ(-x) = -softplus(-x) - softplus(x): written with softplus so it stays finite
     * where σ(x) rounds to 0 or 1 (log σ(x)(1 - σ(x)) would give log 0 = -inf).
     */
    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) { return x.neg().softplus().add(x.softplus()).neg(); }

    @Override public Constraint domain() { return Transforms.real(); }
    @Override public Constraint codomain() { return Transforms.unitInterval(); }
    @Override public String toString() { return "SigmoidTransform"; }

    /** +1: the map is increasing. */
    @Override
    public java.util.Optional<dev.deepprob.engine.NDArray> sign() { return Transforms.increasing(); }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof SigmoidTransform; }

    @Override
    public int hashCode() { return SigmoidTransform.class.hashCode(); }
}
