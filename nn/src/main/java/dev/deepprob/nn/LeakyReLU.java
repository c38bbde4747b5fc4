package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

/** x for x > 0 and slope·x otherwise (torch.nn.LeakyReLU; the derivative at 0 is the slope, as there). */
public final class LeakyReLU extends UnaryModule {
    private final double slope;

    /** PyTorch's default negative slope, 0.01. */
    public LeakyReLU() { this(0.01); }

    /** @param negativeSlope the factor applied to negative inputs (finite) */
    public LeakyReLU(double negativeSlope) {
        Functional.requireFinite("LeakyReLU", "negative slope", negativeSlope);
        this.slope = negativeSlope;
    }

    /** The factor applied to negative inputs. */
    public double negativeSlope() { return slope; }

    /** @param x any shape; the result has the same shape */
    @Override
    public Tensor forward(Tensor x) { return Functional.leakyRelu(x, slope); }

    @Override
    protected String extraRepr() { return "negative_slope=" + slope; }
}
