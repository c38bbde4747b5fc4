package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;

/**
 * The Concrete (Gumbel-softmax) distribution on the simplex, as torch.distributions.RelaxedOneHotCategorical:
 * y = softmax((l + g)/τ) with g standard Gumbel noise, the relaxation of a one-hot Categorical(softmax(l)) draw at
 * temperature τ (Maddison, Mnih and Teh 2017, "The Concrete distribution", eq. 10 and its log-density; Jang, Gu and Poole
 * 2017, "Categorical reparameterization with Gumbel-softmax"). probs or logits (..., k) give event shape [k]; the
 * temperature broadcasts with the batch. Draws are reparameterised in the logits and the temperature.
 */
public final class RelaxedOneHotCategorical extends Distribution implements Reparameterizable {
    private static final Args<RelaxedOneHotCategorical> PROBS = Args.of("RelaxedOneHotCategorical", RelaxedOneHotCategorical::new,
            Args.arg("temperature", Constraints.positive()), Args.vector("probs", (d, n, t) -> Categorical.checkParam(d, n, t, false)))
            .eventRank(1);
    private static final Args<RelaxedOneHotCategorical> LOGITS = Args.of("RelaxedOneHotCategorical", RelaxedOneHotCategorical::new,
            Args.arg("temperature", Constraints.positive()), Args.vector("logits", (d, n, t) -> Categorical.checkParam(d, n, t, true)))
            .eventRank(1);

    private final Tensor temperature;
    private final Categorical categorical;

    private RelaxedOneHotCategorical(Args.Bound b) {
        super(b);
        this.temperature = b.get(0);
        this.categorical = b.args() == LOGITS ? Categorical.fromLogits(b.get(1), false) : Categorical.fromProbs(b.get(1), false);
    }

    /** From a temperature τ &gt; 0 (broadcasting with the batch) and (unnormalised) probabilities (..., k). */
    public static RelaxedOneHotCategorical fromProbs(Tensor temperature, Tensor probs) {
        return fromProbs(temperature, probs, Distribution.validateByDefault());
    }

    /** As {@link #fromProbs(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static RelaxedOneHotCategorical fromProbs(Tensor temperature, Tensor probs, boolean validate) {
        return PROBS.build(validate, temperature, probs);
    }

    /** From a temperature τ &gt; 0 and (unnormalised) log-probabilities (..., k). */
    public static RelaxedOneHotCategorical fromLogits(Tensor temperature, Tensor logits) {
        return fromLogits(temperature, logits, Distribution.validateByDefault());
    }

    /** As {@link #fromLogits(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static RelaxedOneHotCategorical fromLogits(Tensor temperature, Tensor logits, boolean validate) {
        return LOGITS.build(validate, temperature, logits);
    }

    public Tensor temperature() { return temperature; }

    /** Normalised probabilities (..., k). */
    public Tensor probs() { return categorical.probs(); }

    /** Normalised log-probabilities (..., k). */
    public Tensor logits() { return categorical.logits(); }

    /** exp(s - logSumExp(s)), s = (l + g)/τ, g = -log(-log u) with u kept in [tiny, 1 - eps] (as torch's clamp_probs). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor u = Tensor.rand(gen, dtype(), temperature.backend(), extendedShape(sampleShape))
                .clamp(Params.tiny(dtype()), 1 - Params.eps(dtype()));
        Tensor g = u.log().neg().log().neg();
        Tensor s = logits().add(g).div(temperature.unsqueeze(-1));
        return s.sub(s.logSumExp(new int[]{-1}, true)).exp();
    }

    /**
     * log Γ(k) + (k - 1) log τ + Σᵢ (sᵢ - logSumExp(s)) with s = l - τ log y (the density of log y, Maddison et al. 2017,
     * eq. 11), minus Σ log y for the exponential map onto the simplex.
     */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor y = Params.value(this, "logProb", value, dtype(), false, Constraints.simplex());
        int k = eventShape()[0];
        Tensor x = y.log();
        Tensor t = temperature.unsqueeze(-1);
        Tensor s = logits().sub(x.mul(t));
        Tensor score = s.sub(s.logSumExp(new int[]{-1}, true)).sum(new int[]{-1}, false);
        double lgammaK = Tensor.scalar(DType.F64, k).lgamma().item();
        return score.add(temperature.log().mul(k - 1)).add(lgammaK).sub(x.sum(new int[]{-1}, false));
    }

    @Override
    public RelaxedOneHotCategorical expand(int... batchShape) { return (RelaxedOneHotCategorical) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.simplex(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("temperature", temperature, "probs", probs()); }
}
