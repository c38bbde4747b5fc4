package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.Constraint;

import java.util.Arrays;

/**
 * y = loc + scale · x elementwise (loc and scale broadcast with x); log|dy/dx| = log|scale|, summed over the
 * {@code eventDim} rightmost dims when the transform acts on vectors or matrices (eventDim 1 or 2). As in
 * PyTorch's type promotion, 0-dimensional parameters take the dtype of the tensor they are applied to; other
 * parameters must match it.
 */
public final class AffineTransform implements Transform {
    private final Tensor loc;
    private final Tensor scale;
    private final int eventDim;

    /**
     * The elementwise map y = loc + scale · x with constant numbers (scale nonzero). The numbers are kept exact (0-d
     * F64) and applied in x's dtype, as torch applies a Python-number loc, so the default dtype does not round them.
     */
    public AffineTransform(double loc, double scale) { this(Tensor.scalar(DType.F64, loc), Tensor.scalar(DType.F64, scale), 0); }

    /** An elementwise affine map; scale must be nonzero everywhere. */
    public AffineTransform(Tensor loc, Tensor scale) { this(loc, scale, 0); }

    /**
     * @param loc shift, broadcasting with x
     * @param scale factor, broadcasting with x, nonzero
     * @param eventDim rightmost dims of x that form one event (0, 1, 2, ...)
     */
    public AffineTransform(Tensor loc, Tensor scale, int eventDim) {
        if (loc == null || scale == null) throw new IllegalArgumentException("AffineTransform: loc and scale must not be null");
        Transforms.floating("AffineTransform: loc", loc);
        Transforms.floating("AffineTransform: scale", scale);
        if (loc.dtype() != scale.dtype()) throw new IllegalArgumentException("AffineTransform: loc and scale must have the same dtype, got "
                + loc.dtype() + " and " + scale.dtype());
        Shapes.broadcast("AffineTransform: loc and scale", loc.dims(), scale.dims());
        if (eventDim < 0) throw new IllegalArgumentException("AffineTransform: eventDim must be >= 0, got " + eventDim);
        Transforms.checkNonzero("AffineTransform: scale", scale);
        this.loc = loc;
        this.scale = scale;
        this.eventDim = eventDim;
    }

    public Tensor loc() { return loc; }

    private Tensor loc(Tensor like) { return loc.dim() == 0 ? loc.to(like.dtype()) : loc; }

    private Tensor scale(Tensor like) { return scale.dim() == 0 ? scale.to(like.dtype()) : scale; }

    public Tensor scale() { return scale; }

    @Override
    public Tensor forward(Tensor x) {
        Transforms.checkRank("AffineTransform.forward: x", x, eventDim);
        return loc(x).add(scale(x).mul(x));
    }

    @Override
    public Tensor inverse(Tensor y) {
        Transforms.checkRank("AffineTransform.inverse: y", y, eventDim);
        return y.sub(loc(y)).div(scale(y));
    }

    /** log|scale| broadcast to x's shape, then summed over the event dims. */
    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) {
        int[] full = Shapes.broadcast("AffineTransform.logAbsDetJacobian", x.dims(), scale.dims());
        Tensor l = scale(x).abs().log().expand(full);
        return Transforms.sumRightmost(l, eventDim);
    }

    @Override public Constraint domain() { return Transforms.independent(Transforms.real(), eventDim); }
    @Override public Constraint codomain() { return Transforms.independent(Transforms.real(), eventDim); }
    @Override public int domainEventDim() { return eventDim; }

    @Override
    public int[] forwardShape(int[] shape) {
        return Shapes.broadcast("AffineTransform.forwardShape", Shapes.broadcast("AffineTransform.forwardShape", shape, loc.dims()), scale.dims());
    }

    @Override
    public int[] inverseShape(int[] shape) { return forwardShape(shape); }

    @Override
    public String toString() { return "AffineTransform(loc " + Arrays.toString(loc.dims()) + ", scale " + Arrays.toString(scale.dims())
            + (eventDim > 0 ? ", eventDim " + eventDim : "") + ")"; }

    /** The sign of scale, elementwise, where the map acts elementwise (event dim 0); empty otherwise. */
    @Override
    public java.util.Optional<dev.deepprob.engine.NDArray> sign() {
        if (eventDim != 0) return java.util.Optional.empty();
        dev.deepprob.engine.NDArray s = scale.data();
        return java.util.Optional.of(s.gt(0).to(dev.deepprob.engine.DType.F64).mul(2).sub(1));
    }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof AffineTransform t && t.eventDim == eventDim && t.loc.data().equals(loc.data()) && t.scale.data().equals(scale.data()); }

    @Override
    public int hashCode() { return 31 * eventDim + java.util.Arrays.hashCode(loc.dims()); }
}
