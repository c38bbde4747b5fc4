package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

/** A distribution with closed-form mean, variance and mode (each of shape batchShape + eventShape). */
public interface HasMoments {
    Tensor mean();

    Tensor variance();

    default Tensor stddev() { return variance().sqrt(); }

    Tensor mode();
}
