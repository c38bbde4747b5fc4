package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;

/**
 * A discrete distribution with finitely many values, listed as torch's {@code enumerate_support}: the values along a new
 * leading dim, so that {@code logProb(enumerateSupport(true))} scores every value for every batch member at once (exact
 * enumeration in place of sampling).
 */
public interface HasEnumerableSupport {
    /**
     * The values (n, 1, ..., 1) + eventShape with a 1 per batch dim, or with {@code expand} (n) + batchShape + eventShape
     * (an expanded view, no copies).
     */
    Tensor enumerateSupport(boolean expand);
}
