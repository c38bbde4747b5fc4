package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

/** max(x, 0), elementwise (torch.nn.ReLU). */
public final class ReLU extends UnaryModule {
    /** The rectifier; it has no parameters. */
    public ReLU() {}

    /** @param x any shape; the result has the same shape */
    @Override
    public Tensor forward(Tensor x) { return Functional.relu(x); }
}
