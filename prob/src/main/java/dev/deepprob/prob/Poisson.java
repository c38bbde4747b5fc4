package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The Poisson distribution with pmf λᵏ e^(-λ)/k!, as torch.distributions.Poisson. Samples are counts in the rate's
 * dtype, from the engine's sampler (inversion below rate 10, Hörmann's PTRS above).
 */
public final class Poisson extends Distribution implements HasMoments, HasMode {
    private static final String[] NAMES = {"rate"};

    private final Tensor rate;
    private final DType dtype;

    /** @param rate λ &gt;= 0 */
    public Poisson(Tensor rate) { this(rate, Distribution.validateByDefault()); }

    /** Poisson with an F64 scalar rate. */
    public Poisson(double rate) { this(Params.scalar(rate)); }

    /** As {@link #Poisson(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Poisson(Tensor rate, boolean validate) { this(rate, validate, validate); }

    private Poisson(Tensor rate, boolean validate, boolean checkParams) {
        DType t = Params.dtypeOf("Poisson", NAMES, rate);
        Params.validate(checkParams, "Poisson", "rate", rate, Constraints.nonNegative());
        super(rate.shape(), new int[0], validate);
        this.dtype = t;
        this.rate = rate;
    }

    public Tensor rate() { return rate; }

    public DType dtype() { return dtype; }

    /** Counts of shape sampleShape + batchShape. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        NDArray r = rate.data().expand(extendedShape(sampleShape)).contiguous();
        return Tensor.of(r.poisson(gen));
    }

    /** k log λ - λ - log k!, with 0·log 0 = 0 (so λ = 0 puts all mass on 0). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor k = Params.value(this, "logProb", value, dtype, true, Constraints.nonNegativeInteger());
        return Params.xlogy(k, rate).sub(rate).sub(k.add(1).lgamma());
    }

    @Override
    public Tensor mean() { return rate; }

    @Override
    public Tensor variance() { return rate; }

    /** ⌊λ⌋ (for whole-number λ, λ - 1 is a mode too). */
    @Override
    public Tensor mode() { return Tensor.of(rate.data().floor()); }

    @Override
    public Poisson expand(int... batchShape) {
        int[] b = Params.checkExpand(name(), batchShape(), batchShape);
        return new Poisson(rate.expand(b), validates(), false);
    }

    @Override
    public Constraint support() { return Constraints.nonNegativeInteger(); }
}
