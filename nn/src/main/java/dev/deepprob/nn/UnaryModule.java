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

    /**
     * {@link #forward(Tensor)} of x with parameters and buffers substituted by name (torch.func.functional_call);
     * see {@link Module#functionalCall(java.util.Map, java.util.function.Supplier)}.
     */
    public final Tensor functionalCall(java.util.Map<String, Tensor> values, Tensor x) {
        return functionalCall(values, () -> forward(x));
    }

    /** Same as {@link #forward(Tensor)}; during {@link Module#summary(int...)} it also notes the output's shape. */
    @Override
    public final Tensor apply(Tensor x) {
        Tensor y = forward(x);
        Module.traced(this, y);
        return y;
    }
}
