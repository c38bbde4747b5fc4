package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

/**
 * log(1 + e^(beta·x)) / beta, and x where beta·x exceeds the threshold (torch.nn.Softplus, same defaults:
 * beta = 1, threshold = 20).
 */
public final class Softplus extends UnaryModule {
    private final double beta, threshold;

    /** beta = 1, threshold = 20, as PyTorch. */
    public Softplus() { this(1, 20); }

    /**
     * @param beta      the sharpness (finite, > 0)
     * @param threshold above this value of beta·x the output is x itself (not NaN)
     */
    public Softplus(double beta, double threshold) {
        if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("Softplus: beta must be finite and > 0, got " + beta);
        if (Double.isNaN(threshold)) throw new IllegalArgumentException("Softplus: threshold must not be NaN");
        this.beta = beta;
        this.threshold = threshold;
    }

    /** The sharpness. */
    public double beta() { return beta; }

    /** Above this value of beta·x the output is x. */
    public double threshold() { return threshold; }

    /** @param x any shape; the result has the same shape */
    @Override
    public Tensor forward(Tensor x) { return Functional.softplus(x, beta, threshold); }

    @Override
    protected String extraRepr() { return "beta=" + beta + ", threshold=" + threshold; }
}
