package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

/** The hyperbolic tangent, elementwise (torch.nn.Tanh). */
public final class Tanh extends UnaryModule {
    /** The activation; it has no parameters. */
    public Tanh() {}

    /** @param x any shape; the result has the same shape */
    @Override
    public Tensor forward(Tensor x) { return Functional.tanh(x); }
}
