package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

/** A distribution with a closed-form (differentiable) entropy, of shape batchShape. */
public interface HasEntropy {
    Tensor entropy();

    /** exp(entropy), the effective number of equally likely outcomes (torch's perplexity), of shape batchShape. */
    default Tensor perplexity() { return entropy().exp(); }
}
