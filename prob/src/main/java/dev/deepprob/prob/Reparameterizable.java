package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/** A distribution whose samples can be written as a differentiable function of its parameters and fixed noise. */
public interface Reparameterizable {
    /** Samples of shape sampleShape + batchShape + eventShape through which gradients flow to the parameters. */
    Tensor rsample(Generator gen, int... sampleShape);
}
