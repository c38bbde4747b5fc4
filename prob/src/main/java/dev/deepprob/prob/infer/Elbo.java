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
 * A pathwise (reparameterised) estimator of the negative evidence lower bound of a model p(w) p(data | w) for a
 * variational distribution q(w) (Kingma and Welling 2014, eq. 7 and 10; Blundell et al. 2015, "Bayes by Backprop"):
 * <pre>
 *   ELBO(q) = E_q[log p(data | w)] - KL(q(w) || p(w))
 *   loss    = ( -(1/S) Σₛ log p(data | wₛ) + klWeight · KL ) / dataSize,   wₛ = rsample from q
 * </pre>
 * The KL term is the closed form where {@link KL#hasClosedForm} has one for (q, prior) and {@link KlMode#AUTO} (the
 * default) or {@link KlMode#ANALYTIC} is chosen, and otherwise the Monte Carlo estimate (1/S) Σₛ [log q(wₛ) - log p(wₛ)] on
 * the same particles. Both are unbiased, so the loss is an unbiased estimate of -ELBO (times the scales); the closed form
 * has less variance. The loss is differentiable in q's parameters through the samples (q must be
 * {@link Reparameterizable}, as the method signatures require).
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

    /**
     * One evaluation: the loss (differentiable) and its parts, all 0-d tensors before scaling.
     * @param loss                  the scaled negative ELBO estimate, differentiable in q's parameters
     * @param expectedLogLikelihood (1/S) Σₛ log p(data | wₛ) (not scaled)
     * @param kl                    the KL(q || prior) term (closed form or Monte Carlo; not scaled, not weighted)
     * @param analyticKl            whether the KL term is the closed form
     */
    public record Terms(Tensor loss, Tensor expectedLogLikelihood, Tensor kl, boolean analyticKl) {
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

    private Elbo(Builder b) {
        this.prior = b.prior;
        this.logLikelihood = b.logLikelihood;
        this.particles = b.particles;
        this.klMode = b.klMode;
        this.dataSize = b.dataSize;
        this.klWeight = b.klWeight;
        this.batched = b.batched;
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

        public Elbo build() { return new Elbo(this); }
    }

    // ------------------------------------------------------------------ estimation

    /** The scaled negative ELBO estimate, a differentiable 0-d tensor. */
    public <Q extends Distribution & Reparameterizable> Tensor loss(Q q, Generator gen) { return terms(q, gen).loss(); }

    /** One estimate with its parts. */
    public <Q extends Distribution & Reparameterizable> Terms terms(Q q, Generator gen) {
        if (q == null) throw new IllegalArgumentException(NAME + ": q must not be null");
        if (gen == null) throw new IllegalArgumentException(NAME + ": generator must not be null");
        int batchDims = checkShapes(q);
        boolean analytic = usesAnalyticKl(q);
        Tensor w = q.rsample(gen, particles);                                 // (S, latent...)
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
        return new Terms(loss, expLl, kl, analytic);
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

    @Override
    public String toString() {
        return "Elbo(prior " + prior + ", " + particles + " particle" + (particles == 1 ? "" : "s") + ", KL " + klMode + ", dataSize " + dataSize
                + ", klWeight " + klWeight + ")";
    }
}
