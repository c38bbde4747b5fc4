package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

/** x for x > 0 and alpha·(eˣ - 1) otherwise (torch.nn.ELU; Clevert et al. 2016). */
public final class ELU extends UnaryModule {
    private final double alpha;

    /** PyTorch's default alpha, 1. */
    public ELU() { this(1.0); }

    /** @param alpha the saturation value -alpha reached for x → -∞ (finite) */
    public ELU(double alpha) {
        Functional.requireFinite("ELU", "alpha", alpha);
        this.alpha = alpha;
    }

    /** The scale of the negative branch. */
    public double alpha() { return alpha; }

    /** @param x any shape; the result has the same shape */
    @Override
    public Tensor forward(Tensor x) { return Functional.elu(x, alpha); }

    @Override
    protected String extraRepr() { return "alpha=" + alpha; }
}
