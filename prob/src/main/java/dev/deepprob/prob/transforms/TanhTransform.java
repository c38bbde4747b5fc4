package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.Constraint;

/**
 * y = tanh(x), from the reals onto (-1, 1). The output is clamped to [-1 + eps, 1 - eps] of its dtype, so it
 * stays in the open interval where tanh rounds to ±1 (|x| beyond about 9 in float32, 19 in float64).
 */
public final class TanhTransform implements Transform {
    public TanhTransform() {}

    @Override
    public Tensor forward(Tensor x) {
        Transforms.floating("TanhTransform.forward", x);
        double e = Transforms.eps(x.dtype());
        return x.tanh().clamp(-1 + e, 1 - e);
    }

    /** atanh(y) = ½ (log1p(y) - log1p(-y)), with y clamped into [-1 + eps, 1 - eps] so atanh(±1) = ±inf is avoided. */
    @Override
    public Tensor inverse(Tensor y) {
        Transforms.floating("TanhTransform.inverse", y);
        double e = Transforms.eps(y.dtype());
        Tensor c = y.clamp(-1 + e, 1 - e);
        return c.log1p().sub(c.neg().log1p()).mul(0.5);
    }

    /**
     * log(1 - tanh²x) = 2 (log 2 - x - softplus(-2x)): from 1 - tanh²x = 4 / (eˣ + e⁻ˣ)², stable for every x
     * (the direct form is log 0 = -inf once tanh rounds to ±1).
     */
    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) {
        return x.mul(-2).softplus().add(x).neg().add(Math.log(2)).mul(2);
    }

    @Override public Constraint domain() { return Transforms.real(); }
    @Override public Constraint codomain() { return Transforms.interval(-1, 1); }
    @Override public String toString() { return "TanhTransform"; }

    /** +1: the map is increasing. */
    @Override
    public java.util.Optional<dev.deepprob.engine.NDArray> sign() { return Transforms.increasing(); }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof TanhTransform; }

    @Override
    public int hashCode() { return TanhTransform.class.hashCode(); }
}
