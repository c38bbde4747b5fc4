package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.Distribution;
import dev.deepprob.prob.KL;
import dev.deepprob.prob.Reparameterizable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * An estimator of the negative evidence lower bound of a model p(w) p(data | w) for a variational distribution q(w):
 * pathwise (reparameterised; Kingma and Welling 2014, eq. 7 and 10; Blundell et al. 2015, "Bayes by Backprop") when q is
 * {@link Reparameterizable}, and otherwise the score-function estimator (see "Discrete latents" below), as Pyro's
 * {@code Trace_ELBO} chooses per sample site:
 * <pre>
 *   ELBO(q) = E_q[log p(data | w)] - KL(q(w) || p(w))
 *   loss    = ( -(1/S) Σₛ log p(data | wₛ) + klWeight · KL ) / dataSize,   wₛ = rsample from q
 * </pre>
 * The KL term is the closed form where {@link KL#hasClosedForm} has one for (q, prior) and {@link KlMode#AUTO} (the
 * default) or {@link KlMode#ANALYTIC} is chosen, and otherwise the Monte Carlo estimate (1/S) Σₛ [log q(wₛ) - log p(wₛ)] on
 * the same particles. Both are unbiased, so the loss is an unbiased estimate of -ELBO (times the scales); the closed form
 * has less variance. For a reparameterisable q the loss is differentiable in q's parameters through the samples.
 *
 * <p><b>Discrete latents.</b> A q that is not {@link Reparameterizable} (Bernoulli, Categorical, Poisson, ...) gets the
 * score-function (log-derivative, REINFORCE; Williams 1992, Ranganath et al. 2014) gradient
 * ∇ E_q[f] = E_q[(f - b) ∇ log q(w)] + E_q[∇ f], with f the learning signal log p(data | w) (closed-form KL) or
 * log p(data | w) - β (log q(w) - log p(w)) (Monte Carlo KL), built as a surrogate whose value is still the loss above and
 * whose gradient is that estimator. The baseline b ({@link Builder#baseline}, {@link Builder#learnedBaseline}) does not
 * change the expectation, since it does not depend on the draws it multiplies, and lowers the variance when it tracks f.
 * {@link Builder#estimator} forces either estimator (the score function also works for a reparameterisable q).
 *
 * <p><b>Scaling.</b> With the defaults (dataSize 1, klWeight 1) the loss is exactly -ELBO, the log-likelihood summed over
 * the data. {@code dataSize(n)} divides the whole objective by n, giving a per-datum loss (mean log-likelihood + KL/n)
 * whose optimum is the same and whose gradients have the size of a mean loss, which suits Adam's default step sizes.
 * {@code klWeight(β)} scales the KL term: β = 1 is the ELBO; β ≠ 1 targets a tempered posterior ∝ p(data | w)^(1/β) p(w)
 * (the tutorial's BCE mean + KL/(N·D) is dataSize N with klWeight 1/D).
 *
 * <p><b>Shapes.</b> The latent w is one draw of q: q's batch shape + event shape. The log-likelihood is called once per
 * particle with w of that shape and must return a scalar (the log-likelihood summed over the data); with
 * {@link Builder#batchedLikelihood()} it is called once with all particles (S, latent...) and must return (S). Batch
 * dims of q and the prior are independent parts of the latent and are summed over in log q, log p and the KL (so a
 * factorised {@code Normal} over a vector works without {@code Independent}).
 */
public final class Elbo {
    private static final String NAME = "Elbo";

    /**
     * How the KL(q || prior) term is computed: in closed form (exact, no sampling noise) where {@link
     * dev.deepprob.prob.KL} has a rule for the pair, or by Monte Carlo on the particles (any pair).
     */
    public enum KlMode {
        /** The closed form when one is registered for the pair, else Monte Carlo. */
        AUTO,
        /** The closed form; throws for a pair without one. */
        ANALYTIC,
        /** (1/S) Σₛ [log q(wₛ) - log p(wₛ)] on the particles, always. */
        MONTE_CARLO
    }

    /** Which gradient estimator the loss carries. */
    public enum Estimator {
        /** Pathwise when q is {@link Reparameterizable}, else the score function (the default). */
        AUTO,
        /** Pathwise (through rsample); q must be {@link Reparameterizable}. */
        PATHWISE,
        /** The score function, for any q with a differentiable log q. */
        SCORE_FUNCTION
    }

    /** The baseline subtracted from the score-function learning signal (unused by the pathwise estimator). */
    public enum Baseline {
        /** No baseline (plain REINFORCE). */
        NONE,
        /** An exponential moving average of past mean learning signals (state kept in the Elbo; the default). */
        RUNNING_MEAN,
        /** For particle s, the mean learning signal of the other S - 1 particles (needs S ≥ 2; Kool et al. 2019). */
        LEAVE_ONE_OUT,
        /**
         * A scalar tensor b, trained by the optimiser that holds it to track the mean signal: the loss carries the term
         * (b - f̄)² - (b̄ - f̄)², zero in value, whose gradient in b is 2(b - f̄) (over dataSize, as the rest of the
         * loss; as Pyro's learned baselines).
         */
        LEARNED
    }

    /**
     * One evaluation: the loss (differentiable) and its parts, all 0-d tensors before scaling.
     * @param loss                  the scaled negative ELBO estimate, differentiable in q's parameters
     * @param expectedLogLikelihood (1/S) Σₛ log p(data | wₛ) (not scaled)
     * @param kl                    the KL(q || prior) term (closed form or Monte Carlo; not scaled, not weighted)
     * @param analyticKl            whether the KL term is the closed form
     * @param scoreFunction         whether the loss carries the score-function estimator (else the pathwise one)
     * @param baseline              the mean baseline subtracted from the learning signal (0 for the pathwise estimator)
     */
    public record Terms(Tensor loss, Tensor expectedLogLikelihood, Tensor kl, boolean analyticKl, boolean scoreFunction, double baseline) {
        /** The (unscaled) ELBO estimate E[log p(data | w)] - KL, as a number. */
        public double elbo() { return expectedLogLikelihood.item() - kl.item(); }
    }

    private final Distribution prior;
    private final Function<Tensor, Tensor> logLikelihood;
    private final int particles;
    private final KlMode klMode;
    private final double dataSize;
    private final double klWeight;
    private final boolean batched;
    private final Estimator estimator;
    private final Baseline baseline;
    private final double decay;
    private final Tensor learnedBaseline;
    private double runningMean;
    private boolean haveMean;

    private Elbo(Builder b) {
        this.prior = b.prior;
        this.logLikelihood = b.logLikelihood;
        this.particles = b.particles;
        this.klMode = b.klMode;
        this.dataSize = b.dataSize;
        this.klWeight = b.klWeight;
        this.batched = b.batched;
        this.estimator = b.estimator;
        this.baseline = b.baseline;
        this.decay = b.decay;
        this.learnedBaseline = b.learnedBaseline;
        if (baseline == Baseline.LEAVE_ONE_OUT && particles < 2) throw new IllegalArgumentException(NAME
                + ": the leave-one-out baseline needs particles >= 2, got " + particles);
    }

    /**
     * The settings of an estimator for the model prior(w) · p(data | w).
     * @param prior         p(w); its batch + event shape must broadcast to q's
     * @param logLikelihood w to log p(data | w), a scalar summed over the data (see the class comment for shapes)
     */
    public static Builder builder(Distribution prior, Function<Tensor, Tensor> logLikelihood) {
        if (prior == null) throw new IllegalArgumentException(NAME + ": prior must not be null");
        if (logLikelihood == null) throw new IllegalArgumentException(NAME + ": logLikelihood must not be null");
        return new Builder(prior, logLikelihood);
    }

    /** The estimator with the defaults: one particle, KL closed form where there is one, no scaling. */
    public static Elbo of(Distribution prior, Function<Tensor, Tensor> logLikelihood) { return builder(prior, logLikelihood).build(); }

    /** The settings; each setter checks its value at once. */
    public static final class Builder {
        private final Distribution prior;
        private final Function<Tensor, Tensor> logLikelihood;
        private int particles = 1;
        private KlMode klMode = KlMode.AUTO;
        private double dataSize = 1;
        private double klWeight = 1;
        private boolean batched;
        private Estimator estimator = Estimator.AUTO;
        private Baseline baseline = Baseline.RUNNING_MEAN;
        private double decay = 0.9;
        private Tensor learnedBaseline;

        private Builder(Distribution prior, Function<Tensor, Tensor> logLikelihood) {
            this.prior = prior;
            this.logLikelihood = logLikelihood;
        }

        /** The number S of samples from q per estimate (default 1). */
        public Builder particles(int s) {
            if (s < 1) throw new IllegalArgumentException(NAME + ".particles: must be >= 1, got " + s);
            particles = s;
            return this;
        }

        /** How the KL term is computed (default AUTO). */
        public Builder kl(KlMode mode) {
            if (mode == null) throw new IllegalArgumentException(NAME + ".kl: mode must not be null");
            klMode = mode;
            return this;
        }

        /**
         * Divides the whole objective by n (the number of data points): a per-datum loss, as a mean loss over the data
         * plus KL/n. Default 1 (the log-likelihood summed over the data).
         */
        public Builder dataSize(double n) {
            if (!(n > 0) || !Double.isFinite(n)) throw new IllegalArgumentException(NAME + ".dataSize: must be finite and > 0, got " + n);
            dataSize = n;
            return this;
        }

        /** Multiplies the KL term by β > 0 (default 1, the ELBO; see the class comment for β ≠ 1). */
        public Builder klWeight(double beta) {
            if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException(NAME + ".klWeight: must be finite and > 0, got " + beta);
            klWeight = beta;
            return this;
        }

        /** The log-likelihood takes all S particles at once, (S, latent...), and returns (S). */
        public Builder batchedLikelihood() {
            batched = true;
            return this;
        }

        /** Which gradient estimator to use (default AUTO: pathwise when q is reparameterisable, else score function). */
        public Builder estimator(Estimator e) {
            if (e == null) throw new IllegalArgumentException(NAME + ".estimator: must not be null");
            estimator = e;
            return this;
        }

        /**
         * The score-function baseline: NONE, RUNNING_MEAN (default, decay 0.9) or LEAVE_ONE_OUT (needs particles ≥ 2);
         * for LEARNED use {@link #learnedBaseline}.
         */
        public Builder baseline(Baseline b) {
            if (b == null) throw new IllegalArgumentException(NAME + ".baseline: must not be null");
            if (b == Baseline.LEARNED) throw new IllegalArgumentException(NAME + ".baseline: LEARNED needs its parameter; use learnedBaseline(tensor)");
            baseline = b;
            learnedBaseline = null;
            return this;
        }

        /** The running mean's decay d in [0, 1): new = d·old + (1 - d)·(this step's mean signal). Default 0.9. */
        public Builder runningMeanDecay(double d) {
            if (!(d >= 0 && d < 1)) throw new IllegalArgumentException(NAME + ".runningMeanDecay: must be in [0, 1), got " + d);
            decay = d;
            return this;
        }

        /**
         * A learned baseline: b is a 0-d leaf tensor requiring grad that the caller's optimiser also updates (put it in
         * the optimiser's parameters, not in Svi's guide parameters); the loss trains it towards the mean signal.
         */
        public Builder learnedBaseline(Tensor b) {
            if (b == null) throw new IllegalArgumentException(NAME + ".learnedBaseline: must not be null");
            if (b.numel() != 1 || !b.isLeaf() || !b.requiresGrad()) throw new IllegalArgumentException(NAME
                    + ".learnedBaseline: expected a one-element leaf tensor that requires grad, got shape " + Shapes.str(b.dims())
                    + (b.isLeaf() ? "" : ", not a leaf") + (b.requiresGrad() ? "" : ", not requiring grad"));
            baseline = Baseline.LEARNED;
            learnedBaseline = b;
            return this;
        }

        public Elbo build() { return new Elbo(this); }
    }

    // ------------------------------------------------------------------ estimation

    /** The scaled negative ELBO estimate, a differentiable 0-d tensor. */
    public Tensor loss(Distribution q, Generator gen) { return terms(q, gen).loss(); }

    /** One estimate with its parts; the gradient estimator is chosen per {@link #usesScoreFunction}. */
    public Terms terms(Distribution q, Generator gen) {
        if (q == null) throw new IllegalArgumentException(NAME + ": q must not be null");
        if (gen == null) throw new IllegalArgumentException(NAME + ": generator must not be null");
        int batchDims = checkShapes(q);
        boolean analytic = usesAnalyticKl(q);
        if (usesScoreFunction(q)) return scoreFunctionTerms(q, gen, batchDims, analytic);
        Tensor w = ((Reparameterizable) q).rsample(gen, particles);          // (S, latent...)
        Tensor ll = logLikelihoods(w);                                        // (S)
        Tensor expLl = ll.mean();
        Tensor kl;
        if (analytic) {
            kl = sumAll(KL.divergence(q, prior));
        } else {
            Tensor lq = sumTrailing(q.logProb(w), batchDims);
            Tensor lp = sumTrailing(prior.logProb(w), batchDims);
            kl = lq.sub(lp).mean();
        }
        Tensor loss = kl.mul(klWeight).sub(expLl);
        if (dataSize != 1) loss = loss.div(dataSize);
        return new Terms(loss, expLl, kl, analytic, false, 0);
    }

    /**
     * The surrogate -[E ll - β KL] - mean((f - b)(log q - log q̄)) on S draws that carry no gradient (see the class
     * comment); its value is the loss and its gradient in q's parameters the score-function estimator.
     */
    private Terms scoreFunctionTerms(Distribution q, Generator gen, int batchDims, boolean analytic) {
        Tensor w = q.sample(gen, particles).detach();                         // (S, latent...)
        Tensor ll = logLikelihoods(w);                                        // (S), pathwise in the model's parameters
        Tensor lq = sumTrailing(q.logProb(w), batchDims);                     // (S), differentiable in q's parameters
        Tensor expLl = ll.mean();
        Tensor kl, signal;
        if (analytic) {
            kl = sumAll(KL.divergence(q, prior));
            signal = ll;
        } else {
            Tensor diff = lq.sub(sumTrailing(prior.logProb(w), batchDims));
            kl = diff.mean();
            signal = ll.sub(diff.mul(klWeight));
        }
        double[] f = signal.toDoubleArray();
        double mean = 0;
        for (double v : f) mean += v / particles;
        double[] b = new double[particles];
        switch (baseline) {
            case NONE -> { }
            case RUNNING_MEAN -> Arrays.fill(b, haveMean ? runningMean : 0);
            case LEAVE_ONE_OUT -> {
                double sum = 0;
                for (double v : f) sum += v;
                for (int s = 0; s < particles; s++) b[s] = (sum - f[s]) / (particles - 1);
            }
            case LEARNED -> Arrays.fill(b, learnedBaseline.item());
        }
        double[] adv = new double[particles];
        double meanB = 0;
        for (int s = 0; s < particles; s++) {
            adv[s] = f[s] - b[s];
            meanB += b[s] / particles;
        }
        Tensor score = Tensor.of(lq.dtype(), adv).mul(lq.sub(lq.detach())).mean();   // value 0, gradient the estimator
        Tensor loss = kl.mul(klWeight).sub(expLl).sub(score);
        if (baseline == Baseline.LEARNED) {
            Tensor target = Tensor.scalar(learnedBaseline.dtype(), mean);
            Tensor fit = learnedBaseline.reshape().sub(target).square();
            loss = loss.add(fit.sub(fit.detach()).to(loss.dtype()));          // value 0, trains b towards the mean signal
        }
        if (baseline == Baseline.RUNNING_MEAN) {
            runningMean = haveMean ? decay * runningMean + (1 - decay) * mean : mean;
            haveMean = true;
        }
        if (dataSize != 1) loss = loss.div(dataSize);
        return new Terms(loss, expLl, kl, analytic, true, meanB);
    }

    /**
     * Whether the loss for this q carries the score-function estimator: per the {@link Estimator} setting, AUTO choosing
     * it exactly when q is not {@link Reparameterizable}.
     */
    public boolean usesScoreFunction(Distribution q) {
        return switch (estimator) {
            case AUTO -> !(q instanceof Reparameterizable);
            case SCORE_FUNCTION -> true;
            case PATHWISE -> {
                if (!(q instanceof Reparameterizable)) throw new IllegalArgumentException(NAME + ": the pathwise estimator needs a "
                        + "reparameterisable q, got " + q + "; use Estimator.AUTO or SCORE_FUNCTION");
                yield false;
            }
        };
    }

    /** Whether the KL term for this q is the closed form (per the KL mode and the registry). */
    public boolean usesAnalyticKl(Distribution q) {
        return switch (klMode) {
            case MONTE_CARLO -> false;
            case AUTO -> KL.hasClosedForm(q, prior);
            case ANALYTIC -> {
                if (!KL.hasClosedForm(q, prior)) throw new IllegalArgumentException(NAME + ": no closed-form KL(" + q.getClass().getSimpleName()
                        + " || " + prior.getClass().getSimpleName() + ") is registered; use KlMode.AUTO or MONTE_CARLO");
                yield true;
            }
        };
    }

    /** The number of batch dims of q (summed over in log q and log p); checks that the prior fits q. */
    private int checkShapes(Distribution q) {
        if (!Arrays.equals(q.eventShape(), prior.eventShape())) throw new IllegalArgumentException(NAME + ": q's event shape "
                + Shapes.str(q.eventShape()) + " differs from the prior's " + Shapes.str(prior.eventShape()) + " (q is " + q + ", prior "
                + prior + ")");
        int[] qb = q.batchShape(), pb = prior.batchShape();
        boolean ok;
        try {
            ok = Arrays.equals(Shapes.broadcast(NAME, qb, pb), qb);
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (!ok) throw new IllegalArgumentException(NAME + ": the prior's batch shape " + Shapes.str(pb) + " does not broadcast to q's "
                + Shapes.str(qb) + "; the latent w has q's shape " + Shapes.str(q.extendedShape()));
        return qb.length;
    }

    private Tensor logLikelihoods(Tensor w) {
        int[] latent = Arrays.copyOfRange(w.dims(), 1, w.dim());
        if (batched) {
            Tensor ll = callLikelihood(w, "all " + particles + " particles at once");
            if (ll == null) throw new IllegalArgumentException(NAME + ": the log-likelihood returned null");
            if (ll.dim() != 1 || ll.shape(0) != particles) throw new IllegalArgumentException(NAME + ": the batched log-likelihood must return ("
                    + particles + ") for particles of shape " + Shapes.str(w.dims()) + ", got shape " + Shapes.str(ll.dims()));
            return ll;
        }
        List<Tensor> parts = new ArrayList<>(particles);
        for (int s = 0; s < particles; s++) {
            Tensor ws = particles == 1 ? w.reshape(latent) : w.select(0, s);
            Tensor ll = callLikelihood(ws, "one particle");
            if (ll == null) throw new IllegalArgumentException(NAME + ": the log-likelihood returned null");
            if (ll.numel() != 1) throw new IllegalArgumentException(NAME + ": the log-likelihood must return a scalar for one particle w of shape "
                    + Shapes.str(latent) + " (sum over the data), got shape " + Shapes.str(ll.dims()));
            parts.add(ll.reshape(1));
        }
        return particles == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
    }

    /** The log-likelihood at w, its own argument errors prefixed with what it was given. */
    private Tensor callLikelihood(Tensor w, String what) {
        try {
            return logLikelihood.apply(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": the log-likelihood failed on w of shape " + Shapes.str(w.dims()) + " (" + what
                    + (batched ? "" : "; for all particles at once use batchedLikelihood()") + "): " + e.getMessage(), e);
        }
    }

    private static Tensor sumAll(Tensor t) { return t.dim() == 0 ? t : t.sum(); }

    /** Sums the last n dims of t away. */
    private static Tensor sumTrailing(Tensor t, int n) {
        if (n == 0) return t;
        int[] ax = new int[n];
        for (int i = 0; i < n; i++) ax[i] = t.dim() - n + i;
        return t.sum(ax, false);
    }

    // ------------------------------------------------------------------ accessors

    public Distribution prior() { return prior; }

    public int particles() { return particles; }

    public KlMode klMode() { return klMode; }

    public double dataSize() { return dataSize; }

    public double klWeight() { return klWeight; }

    public Estimator estimator() { return estimator; }

    /** The score-function baseline in use. */
    public Baseline baseline() { return baseline; }

    @Override
    public String toString() {
        return "Elbo(prior " + prior + ", " + particles + " particle" + (particles == 1 ? "" : "s") + ", KL " + klMode + ", dataSize " + dataSize
                + ", klWeight " + klWeight + ", estimator " + estimator + ", baseline " + baseline + ")";
    }
}
