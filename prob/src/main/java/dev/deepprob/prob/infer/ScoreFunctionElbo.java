package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.Distribution;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The score-function (log-derivative trick, REINFORCE; Williams 1992, Ranganath et al. 2014 "Black Box Variational
 * Inference", Pyro's {@code TraceGraph_ELBO}) estimator of the ELBO gradient, for a q that cannot be reparameterised
 * (Bernoulli, Categorical, Poisson latents), since it needs only samples and a differentiable log q:
 * <pre>
 *   ∇ ELBO = E_q[(log p(x, z) - log q(z) - b) ∇ log q(z)],   z ~ q (not differentiated)
 * </pre>
 * The baseline b does not change the expectation when it is independent of the z it multiplies (E_q[∇ log q] = 0) and
 * lowers the variance when it tracks the learning signal f = log p - log q: {@link Baseline#RUNNING_MEAN} uses an
 * exponential average of past estimates, {@link Baseline#LEAVE_ONE_OUT} uses, for each of the K samples, the mean of f
 * over the other K - 1 (Kool et al. 2019, "Buy 4 REINFORCE samples, get a baseline for free").
 *
 * <p>The loss is the surrogate -[mean f + mean (f̄ - b)(log q - log q̄)] (a bar: detached): its value is the negative
 * ELBO estimate and its gradient in q's parameters is the negative estimator above (plus the zero-mean -∇ log q term
 * Pyro also keeps); parameters inside log p(x, z) get the ordinary pathwise gradient through mean f.
 *
 * <p><b>Shapes.</b> The log joint takes all K samples at once, z of shape (K, latent...) with latent q's batch + event
 * shape, and returns (K); q's batch dims are summed over in log q (independent parts of one latent).
 */
public final class ScoreFunctionElbo {
    private static final String NAME = "ScoreFunctionElbo";

    /** The variance-reducing baseline subtracted from the learning signal. */
    public enum Baseline {
        /** No baseline (plain REINFORCE). */
        NONE,
        /** An exponential moving average of the past ELBO estimates (state kept in this object). */
        RUNNING_MEAN,
        /** For sample k, the mean learning signal of the other K - 1 samples (needs K ≥ 2). */
        LEAVE_ONE_OUT
    }

    /**
     * One evaluation.
     * @param loss     the surrogate loss, differentiable; its value is -elbo
     * @param elbo     the ELBO estimate (1/K) Σₖ [log p(x, zₖ) - log q(zₖ)]
     * @param baseline the mean baseline used (0 for NONE)
     */
    public record Terms(Tensor loss, double elbo, double baseline) {}

    private final Function<Tensor, Tensor> logJoint;
    private final int samples;
    private final Baseline baseline;
    private final double decay;
    private double runningMean;
    private boolean haveMean;

    private ScoreFunctionElbo(Function<Tensor, Tensor> logJoint, int samples, Baseline baseline, double decay) {
        this.logJoint = logJoint;
        this.samples = samples;
        this.baseline = baseline;
        this.decay = decay;
    }

    /**
     * An estimator with K samples per estimate and the given baseline; RUNNING_MEAN uses decay 0.9.
     * @param logJoint z (K, latent...) to log p(x, z) of shape (K)
     */
    public static ScoreFunctionElbo of(Function<Tensor, Tensor> logJoint, int samples, Baseline baseline) {
        return of(logJoint, samples, baseline, 0.9);
    }

    /** As {@link #of(Function, int, Baseline)} with the running mean's decay (new = decay·old + (1 - decay)·estimate). */
    public static ScoreFunctionElbo of(Function<Tensor, Tensor> logJoint, int samples, Baseline baseline, double decay) {
        if (logJoint == null) throw new IllegalArgumentException(NAME + ": logJoint must not be null");
        if (baseline == null) throw new IllegalArgumentException(NAME + ": baseline must not be null");
        if (samples < 1) throw new IllegalArgumentException(NAME + ": samples must be >= 1, got " + samples);
        if (baseline == Baseline.LEAVE_ONE_OUT && samples < 2) throw new IllegalArgumentException(NAME
                + ": the leave-one-out baseline needs samples >= 2, got " + samples);
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException(NAME + ": decay must be in [0, 1), got " + decay);
        return new ScoreFunctionElbo(logJoint, samples, baseline, decay);
    }

    /** The surrogate loss (see the class comment), a differentiable 0-d tensor. */
    public Tensor loss(Distribution q, Generator gen) { return terms(q, gen).loss(); }

    /** One estimate: draws K samples from q (no gradient through them) and builds the surrogate. */
    public Terms terms(Distribution q, Generator gen) {
        if (q == null) throw new IllegalArgumentException(NAME + ": q must not be null");
        if (gen == null) throw new IllegalArgumentException(NAME + ": generator must not be null");
        Tensor z = q.sample(gen, samples).detach();                                   // (K, latent...)
        Tensor lq = sumTrailing(q.logProb(z), q.batchShape().length);                // (K)
        Tensor lp = logJoint.apply(z);
        if (lp == null || lp.dim() != 1 || lp.shape(0) != samples) throw new IllegalArgumentException(NAME + ": the log joint must return ("
                + samples + ") for z of shape " + Shapes.str(z.dims()) + ", got " + (lp == null ? "null" : "shape " + Shapes.str(lp.dims())));
        Tensor f = lp.sub(lq);
        double[] fv = f.toDoubleArray();
        double mean = Arrays.stream(fv).average().orElseThrow();
        double[] b = new double[samples];
        switch (baseline) {
            case NONE -> { }
            case RUNNING_MEAN -> Arrays.fill(b, haveMean ? runningMean : 0);
            case LEAVE_ONE_OUT -> {
                double sum = mean * samples;
                for (int k = 0; k < samples; k++) b[k] = (sum - fv[k]) / (samples - 1);
            }
        }
        double[] signal = new double[samples];
        for (int k = 0; k < samples; k++) signal[k] = fv[k] - b[k];
        Tensor adv = Tensor.of(lq.dtype(), signal);
        Tensor score = adv.mul(lq.sub(lq.detach())).mean();                         // value 0, gradient the estimator
        Tensor loss = f.mean().add(score).neg();
        if (baseline == Baseline.RUNNING_MEAN) {
            runningMean = haveMean ? decay * runningMean + (1 - decay) * mean : mean;
            haveMean = true;
        }
        return new Terms(loss, mean, Arrays.stream(b).average().orElseThrow());
    }

    private static Tensor sumTrailing(Tensor t, int n) {
        if (n == 0) return t;
        int[] ax = new int[n];
        for (int i = 0; i < n; i++) ax[i] = t.dim() - n + i;
        return t.sum(ax, false);
    }

    /** The number of samples K per estimate. */
    public int samples() { return samples; }

    /** The baseline in use. */
    public Baseline baseline() { return baseline; }

    @Override
    public String toString() { return NAME + "(" + samples + " samples, baseline " + baseline + ")"; }
}
