package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

/** A distribution with a closed-form (differentiable) entropy, of shape batchShape. */
public interface HasEntropy {
    Tensor entropy();
}
