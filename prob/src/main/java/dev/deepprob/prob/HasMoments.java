package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

/**
 * A distribution with closed-form mean and variance (each of shape batchShape + eventShape; for vector events the
 * variance is the elementwise, marginal one). The mode is a separate capability, {@link HasMode}: a mixture has
 * moments by the laws of total expectation and variance but no closed-form mode.
 */
public interface HasMoments {
    Tensor mean();

    Tensor variance();

    default Tensor stddev() { return variance().sqrt(); }
}
