package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

import java.util.function.UnaryOperator;

/**
 * A module with one tensor in and one tensor out (layers, activations, {@link Sequential}): the kind that can be
 * chained. It is also a {@code UnaryOperator<Tensor>}, so it composes with Java's function combinators.
 */
public abstract class UnaryModule extends Module implements UnaryOperator<Tensor> {
    /** A module in training mode with nothing registered yet. */
    protected UnaryModule() {}

    /** The module's computation on one input. */
    public abstract Tensor forward(Tensor x);

    /** Same as {@link #forward(Tensor)}. */
    @Override
    public final Tensor apply(Tensor x) { return forward(x); }
}
