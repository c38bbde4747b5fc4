package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.transforms.StickBreakingTransform;

/**
 * The logistic-normal distribution on the simplex, as torch.distributions.LogisticNormal: x ~ Normal(loc, scale) with
 * loc and scale (..., k), pushed onto the k-simplex of k + 1 parts by the stick-breaking map (Atchison and Shen 1980,
 * "Logistic-normal distributions"); event shape [k + 1]. It is the {@link TransformedDistribution} of that base and
 * {@link StickBreakingTransform}, to which log-density and sampling (reparameterised) are handed.
 */
public final class LogisticNormal extends Distribution implements Reparameterizable {
    private static final Args<LogisticNormal> ARGS = Args.of("LogisticNormal", LogisticNormal::new,
            Args.vector("loc", Constraints.real()), Args.vector("scale", Constraints.positive())).eventRank(1);

    private final Tensor loc, scale;
    private final TransformedDistribution.Reparameterized pushed;

    /**
     * @param loc   the base normal's means (..., k)
     * @param scale its standard deviations (..., k), &gt; 0
     */
    public LogisticNormal(Tensor loc, Tensor scale) { this(loc, scale, Distribution.validateByDefault()); }

    /** As {@link #LogisticNormal(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public LogisticNormal(Tensor loc, Tensor scale, boolean validate) { this(ARGS.bind(validate, loc, scale)); }

    private LogisticNormal(Args.Bound b) {
        super(simplexEvent(b));
        this.loc = b.get(0);
        this.scale = b.get(1);
        this.pushed = TransformedDistribution.reparameterized(new Normal(loc, scale, false), new StickBreakingTransform());
    }

    /** The binding with the event of the simplex, k + 1 parts for k base coordinates. */
    private static Args.Bound simplexEvent(Args.Bound b) {
        int k = b.get(0).shape(-1);
        return new Args.Bound(b.args(), b.params(), b.batch(), new int[]{k + 1}, b.dtype(), b.validate());
    }

    public Tensor loc() { return loc; }

    public Tensor scale() { return scale; }

    /** The same distribution as a TransformedDistribution of Normal(loc, scale). */
    public TransformedDistribution asTransformed() { return pushed; }

    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        return pushed.rsample(gen, sampleShape);
    }

    /** The normal log-density of the stick-breaking inverse, minus the map's log-Jacobian. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor y = Params.value(this, "logProb", value, dtype(), false, Constraints.simplex());
        return pushed.logProb(y);
    }

    @Override
    public LogisticNormal expand(int... batchShape) { return (LogisticNormal) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.simplex(); }
}
