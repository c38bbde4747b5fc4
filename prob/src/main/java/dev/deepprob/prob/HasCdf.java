package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

/** A univariate distribution with a closed-form cumulative distribution function and its inverse. */
public interface HasCdf {
    /** P(X &le; x), broadcasting x against batchShape. */
    Tensor cdf(Tensor x);

    /** The quantile function: the x with cdf(x) = q, for q in [0, 1]. */
    Tensor icdf(Tensor q);
}
