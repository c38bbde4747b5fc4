package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;

/**
 * The binary Concrete (relaxed Bernoulli) distribution on (0, 1), as torch.distributions.RelaxedBernoulli: y = σ(x) where
 * x = (l + log u - log(1 - u))/τ is the logistic relaxation of a Bernoulli(σ(l)) draw at temperature τ (Maddison, Mnih and
 * Teh 2017, "The Concrete distribution", eq. 23; Jang, Gu and Poole 2017). Draws are reparameterised in the logits and the
 * temperature; as τ → 0 they approach Bernoulli draws.
 */
public final class RelaxedBernoulli extends Distribution implements Reparameterizable {
    private static final Args<RelaxedBernoulli> PROBS = Args.of("RelaxedBernoulli", RelaxedBernoulli::new,
            Args.arg("temperature", Constraints.positive()), Args.arg("probs", Constraints.unitInterval()));
    private static final Args<RelaxedBernoulli> LOGITS = Args.of("RelaxedBernoulli", RelaxedBernoulli::new,
            Args.arg("temperature", Constraints.positive()), Args.arg("logits", Constraints.real()));

    private final Tensor temperature, probs, logits;

    private RelaxedBernoulli(Args.Bound b) {
        super(b);
        this.temperature = b.get(0);
        if (b.args() == LOGITS) {
            this.logits = b.get(1);
            this.probs = logits.sigmoid();
        } else {
            this.probs = b.get(1);
            this.logits = Bernoulli.probsToLogits(probs);
        }
    }

    /** RelaxedBernoulli at temperature τ &gt; 0 with probabilities in [0, 1]. */
    public static RelaxedBernoulli fromProbs(Tensor temperature, Tensor probs) {
        return fromProbs(temperature, probs, Distribution.validateByDefault());
    }

    /** As {@link #fromProbs(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static RelaxedBernoulli fromProbs(Tensor temperature, Tensor probs, boolean validate) { return PROBS.build(validate, temperature, probs); }

    /** RelaxedBernoulli at temperature τ &gt; 0 with log-odds l. */
    public static RelaxedBernoulli fromLogits(Tensor temperature, Tensor logits) {
        return fromLogits(temperature, logits, Distribution.validateByDefault());
    }

    /** As {@link #fromLogits(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static RelaxedBernoulli fromLogits(Tensor temperature, Tensor logits, boolean validate) {
        return LOGITS.build(validate, temperature, logits);
    }

    public Tensor temperature() { return temperature; }

    public Tensor probs() { return probs; }

    public Tensor logits() { return logits; }

    /** σ((l + log u - log1p(-u))/τ), u ~ U(0, 1) kept in [eps, 1 - eps] and the result in [tiny, 1 - eps] (as torch). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        double eps = Params.eps(dtype());
        Tensor u = Tensor.rand(gen, dtype(), logits.backend(), extendedShape(sampleShape)).clamp(eps, 1 - eps);
        return logits.add(u.log()).sub(u.neg().log1p()).div(temperature).sigmoid().clamp(Params.tiny(dtype()), 1 - eps);
    }

    /**
     * The logistic density of x = logit(y), log τ + d - 2 softplus(d) with d = l - τx, plus log|dx/dy| =
     * softplus(x) + softplus(-x) (torch's LogitRelaxedBernoulli pushed through the sigmoid).
     */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor y = Params.value(this, "logProb", value, dtype(), false, Constraints.unitInterval());
        Tensor x = y.log().sub(y.neg().log1p());
        Tensor d = logits.sub(x.mul(temperature));
        return temperature.log().add(d).sub(d.softplus().mul(2)).add(x.softplus()).add(x.neg().softplus());
    }

    @Override
    public RelaxedBernoulli expand(int... batchShape) { return (RelaxedBernoulli) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.unitInterval(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("temperature", temperature, "probs", probs); }
}
