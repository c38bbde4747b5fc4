package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;
import dev.deepprob.prob.Constraint;

/**
 * An invertible, differentiable map y = f(x) from {@link #domain()} onto {@link #codomain()}, with the log of
 * the absolute Jacobian determinant for change-of-variables densities: p_Y(y) = p_X(x) / |det ∂y/∂x| (as
 * torch.distributions.transforms.Transform). A transform acts on events of {@link #domainEventDim()} rightmost
 * dims (0 for elementwise maps, 1 for vector maps such as stick-breaking, 2 for matrix maps), and maps them to
 * events of {@link #codomainEventDim()} dims; leading dims are batch dims and pass through.
 */
public interface Transform {
    /** y = f(x). */
    Tensor forward(Tensor x);

    /** x = f⁻¹(y). */
    Tensor inverse(Tensor y);

    /**
     * log |det ∂y/∂x| at a pair y = f(x) (both given, so each transform can use whichever is stabler), with the
     * domainEventDim rightmost dims of x reduced: shape x.shape without its event dims.
     */
    Tensor logAbsDetJacobian(Tensor x, Tensor y);

    /** The set x lives in. */
    Constraint domain();

    /** The set y = f(x) lives in. */
    Constraint codomain();

    /** Rightmost dims of x that form one event (0: elementwise). */
    default int domainEventDim() { return 0; }

    /** Rightmost dims of y that form one event. */
    default int codomainEventDim() { return domainEventDim(); }

    /** The shape of f(x) for x of the given shape. */
    default int[] forwardShape(int[] shape) { return shape.clone(); }

    /** The shape of f⁻¹(y) for y of the given shape. */
    default int[] inverseShape(int[] shape) { return shape.clone(); }

    /**
     * Whether the map increases (+1) or decreases (-1), elementwise and broadcasting with x, for a monotone elementwise
     * map (torch's {@code Transform.sign}); empty for a map that is not (a vector map, or one whose direction varies).
     * A transformed distribution uses it to carry its base's cdf and quantiles through the map.
     */
    default java.util.Optional<NDArray> sign() { return java.util.Optional.empty(); }

    /** The inverse map as a transform of its own (its Jacobian term is the negation of this one's). */
    default Transform inv() { return new InverseTransform(this); }
}
