package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * Inverted dropout (torch.nn.Dropout; Srivastava et al. 2014): in training mode each element is zeroed with
 * probability p and the rest scaled by 1 / (1 - p); in evaluation mode it is the identity. The mask comes from
 * the generator given at construction, so a seed reproduces a run.
 */
public final class Dropout extends UnaryModule {
    private final double p;
    private final Generator gen;

    /**
     * @param p   the probability of zeroing an element, in [0, 1]
     * @param gen the source of the masks
     */
    public Dropout(double p, Generator gen) {
        Functional.checkDropoutP("Dropout", p);
        if (gen == null) throw new IllegalArgumentException("Dropout: generator must not be null");
        this.p = p;
        this.gen = gen;
    }

    /** The drop probability. */
    public double p() { return p; }

    /** @param x any shape; the result has the same shape */
    @Override
    public Tensor forward(Tensor x) { return Functional.dropout(x, p, isTraining(), gen); }

    @Override
    protected String extraRepr() { return "p=" + p; }
}
