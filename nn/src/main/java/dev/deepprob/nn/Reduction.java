package dev.deepprob.nn;

/** How a loss combines its elementwise values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** The average over elements (or the weighted average, where the loss has weights): a scalar. */
    MEAN,
    /** The sum over elements: a scalar. */
    SUM,
    /** No reduction: one loss value per element (per sample for cross-entropy). */
    NONE
}
