package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

/** The logistic function 1 / (1 + e⁻ˣ), elementwise (torch.nn.Sigmoid). */
public final class Sigmoid extends UnaryModule {
    /** The activation; it has no parameters. */
    public Sigmoid() {}

    /** @param x any shape; the result has the same shape */
    @Override
    public Tensor forward(Tensor x) { return Functional.sigmoid(x); }
}
