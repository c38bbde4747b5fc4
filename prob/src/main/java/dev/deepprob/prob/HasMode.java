package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

/**
 * A distribution with a closed-form mode, the most probable value, of shape batchShape + eventShape and in the
 * samples' dtype (I64 category indices for {@link Categorical}). Where the mode is not unique a distribution says
 * what it returns: NaN for a flat density or equal peaks (as PyTorch for flat ones; Beta and Dirichlet say where
 * PyTorch's formula answers otherwise).
 */
public interface HasMode {
    Tensor mode();
}
