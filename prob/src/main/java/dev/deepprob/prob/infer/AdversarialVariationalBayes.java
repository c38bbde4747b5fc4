package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Module;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.Optimizer;
import dev.deepprob.prob.Distribution;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Adversarial Variational Bayes (Mescheder, Nowozin and Geiger, ICML 2017, Algorithm 1): a variational autoencoder
 * whose encoder is implicit, z = f(x, ε) with noise ε, so q(z|x) has no density to evaluate. The KL term of the ELBO is
 * replaced by an adversary T(x, z), trained with the logistic loss to tell pairs (x, z ~ q(z|x)) from pairs
 * (x, z ~ p(z)); its optimum is T*(x, z) = log q(z|x) - log p(z) (their Proposition 1), so
 * <pre>
 *   adversary:        max_T  E_{x, z~q} [log σ(T(x, z))] + E_{x, z~p} [log (1 - σ(T(x, z)))]
 *   encoder, decoder: max    E_{x, ε} [ log p(x | f(x, ε)) - T(x, f(x, ε)) ]   (the ELBO with T = T*)
 * </pre>
 * The encoder's gradient flows through T (∂T/∂z); by their Proposition 2 the term E_q[∇ T*] vanishes, so this is the
 * ELBO's gradient when T is optimal. T is held fixed in the encoder/decoder step (its parameters stop requiring
 * grad). Each {@link #step} takes {@code adversarySteps} adversary updates, then one encoder/decoder update, all on
 * fresh batches of data rows drawn uniformly with replacement.
 *
 * <p>The parts are given as functions with the {@link Module}s that hold their parameters: the encoder maps x (n, dx)
 * and noise (n, noiseDim) to z (n, dz); the decoder maps z to a distribution over x whose {@code logProb(x)} has n
 * as its first dim (further dims are summed, so a factorised Bernoulli from logits works as it is); the adversary maps
 * (x, z) to logits (n). Build with {@link #builder}; not thread-safe.
 */
public final class AdversarialVariationalBayes {
    private static final String NAME = "AdversarialVariationalBayes";

    /** The implicit encoder z = f(x, ε). */
    @FunctionalInterface
    public interface Encoder {
        /**
         * @param x     (n, dx) data rows
         * @param noise (n, noiseDim) standard normal noise
         * @return (n, dz) latent codes, differentiable in the encoder's parameters
         */
        Tensor encode(Tensor x, Tensor noise);
    }

    /** The adversary (discriminator) T(x, z), whose logits estimate log q(z|x) - log p(z). */
    @FunctionalInterface
    public interface Adversary {
        /** @return (n) logits for the pairs (x[i], z[i]) */
        Tensor score(Tensor x, Tensor z);
    }

    /**
     * The losses of one {@link #step}.
     * @param adversary    the adversary's logistic loss, mean over its steps (ln 4 = 1.386 when it cannot tell the pairs apart)
     * @param primal       the encoder/decoder loss E[-log p(x|z) + T(x, z)], the negative ELBO with T in place of the KL
     * @param logLikelihood E[log p(x|z)] on the encoder/decoder batch
     * @param meanT        E[T(x, z)] on that batch, the adversary's estimate of E_x KL(q(z|x) || p(z))
     */
    public record StepLosses(double adversary, double primal, double logLikelihood, double meanT) {}

    /** Called after each iteration with its number (1-based) and losses. */
    @FunctionalInterface
    public interface Callback {
        /** Receives one iteration's losses. */
        void onIteration(int iteration, StepLosses losses);
    }

    private final Encoder encoder;
    private final Function<Tensor, Distribution> decoder;
    private final Adversary adversary;
    private final Distribution prior;
    private final RealBatches data;
    private final int dataDims, noiseDim, latentDim, batch, advSteps;
    private final List<Tensor> primalParams, advParams;
    private final Optimizer primalOpt, advOpt;
    private final dev.deepprob.engine.DType dtype;
    private int iterations;

    private AdversarialVariationalBayes(Builder b) {
        this.encoder = b.encoder;
        this.decoder = b.decoder;
        this.adversary = b.adversary;
        this.prior = b.prior;
        this.data = RealBatches.of(NAME + ".data", b.data);
        this.dataDims = b.data.shape(1);
        this.dtype = b.data.dtype();
        this.noiseDim = b.noiseDim;
        this.batch = b.batch;
        this.advSteps = b.advSteps;
        int[] ev = prior.batchShape().length + prior.eventShape().length == 1
                ? (prior.batchShape().length == 1 ? prior.batchShape() : prior.eventShape()) : null;
        if (ev == null) throw new IllegalArgumentException(NAME + ".build: the prior must be over vectors z (batch + event shape of "
                + "one dim, e.g. Normal with batch shape (dz) or MultivariateNormal), got batch shape " + Shapes.str(prior.batchShape())
                + " and event shape " + Shapes.str(prior.eventShape()));
        this.latentDim = ev[0];
        List<Tensor> pp = new ArrayList<>(b.encoderModule.parameters());
        for (Tensor t : b.decoderModule.parameters()) if (!containsRef(pp, t)) pp.add(t);
        this.primalParams = List.copyOf(pp);
        this.advParams = b.adversaryModule.parameters();
        for (Tensor t : advParams) if (containsRef(primalParams, t)) throw new IllegalArgumentException(NAME
                + ".build: the adversary shares a parameter with the encoder or decoder; T must be a separate network");
        this.primalOpt = AdversarialTrainer.make("primalOptimizer", b.primalOpt, primalParams);
        this.advOpt = AdversarialTrainer.make("adversaryOptimizer", b.advOpt, advParams);
    }

    private static boolean containsRef(List<Tensor> l, Tensor t) {
        for (Tensor u : l) if (u == t) return true;
        return false;
    }

    /**
     * A builder for AVB on the rows of {@code data} (N, dx) with prior p(z) over vectors of dimension dz.
     * @param data  (N, dx) floating training rows
     * @param prior p(z); its samples {@code sample(gen, n)} are (n, dz)
     */
    public static Builder builder(Tensor data, Distribution prior) {
        Gan.checkData(NAME + ".builder", data);
        if (prior == null) throw new IllegalArgumentException(NAME + ".builder: prior must not be null");
        return new Builder(data, prior);
    }

    /** The settings; each setter rejects a bad value at once, and {@link #build} checks that every part is given. */
    public static final class Builder {
        private final Tensor data;
        private final Distribution prior;
        private Module encoderModule, decoderModule, adversaryModule;
        private Encoder encoder;
        private Function<Tensor, Distribution> decoder;
        private Adversary adversary;
        private int noiseDim = -1, batch = 128, advSteps = 1;
        private Function<List<Tensor>, Optimizer> primalOpt = p -> new Adam(p, 1e-3), advOpt = p -> new Adam(p, 1e-3);

        private Builder(Tensor data, Distribution prior) {
            this.data = data;
            this.prior = prior;
        }

        /**
         * The implicit encoder z = f(x, ε) with ε ~ N(0, I) of dimension {@code noiseDim}.
         * @param parameters the module holding f's parameters (trained with the decoder's)
         */
        public Builder encoder(Module parameters, int noiseDim, Encoder f) {
            if (parameters == null || f == null) throw new IllegalArgumentException(NAME + ".encoder: module and function must not be null");
            if (noiseDim < 1) throw new IllegalArgumentException(NAME + ".encoder: noiseDim must be >= 1, got " + noiseDim);
            this.encoderModule = parameters;
            this.noiseDim = noiseDim;
            this.encoder = f;
            return this;
        }

        /**
         * The decoder z (n, dz) to p(x | z), a distribution whose logProb of the (n, dx) rows has n as its first dim.
         * @param parameters the module holding the decoder's parameters
         */
        public Builder decoder(Module parameters, Function<Tensor, Distribution> likelihood) {
            if (parameters == null || likelihood == null) throw new IllegalArgumentException(NAME + ".decoder: module and function must not be null");
            this.decoderModule = parameters;
            this.decoder = likelihood;
            return this;
        }

        /**
         * The adversary T(x, z) giving (n) logits.
         * @param parameters the module holding T's parameters
         */
        public Builder adversary(Module parameters, Adversary t) {
            if (parameters == null || t == null) throw new IllegalArgumentException(NAME + ".adversary: module and function must not be null");
            this.adversaryModule = parameters;
            this.adversary = t;
            return this;
        }

        /** Rows per batch for every update (> 0, default 128). */
        public Builder batchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException(NAME + ".batchSize: must be > 0, got " + n);
            this.batch = n;
            return this;
        }

        /** Adversary updates per encoder/decoder update (>= 1, default 1; the authors' toy notebook uses 2). */
        public Builder adversarySteps(int k) {
            if (k < 1) throw new IllegalArgumentException(NAME + ".adversarySteps: must be >= 1, got " + k);
            this.advSteps = k;
            return this;
        }

        /** Makes the encoder/decoder optimiser from their parameters (default Adam with lr 1e-3). */
        public Builder primalOptimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException(NAME + ".primalOptimizer: factory must not be null");
            this.primalOpt = factory;
            return this;
        }

        /** Makes the adversary's optimiser from its parameters (default Adam with lr 1e-3). */
        public Builder adversaryOptimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException(NAME + ".adversaryOptimizer: factory must not be null");
            this.advOpt = factory;
            return this;
        }

        /** The method (its optimisers are created here). */
        public AdversarialVariationalBayes build() {
            if (encoder == null) throw new IllegalStateException(NAME + ".build: no encoder; call encoder(module, noiseDim, f)");
            if (decoder == null) throw new IllegalStateException(NAME + ".build: no decoder; call decoder(module, likelihood)");
            if (adversary == null) throw new IllegalStateException(NAME + ".build: no adversary; call adversary(module, t)");
            return new AdversarialVariationalBayes(this);
        }
    }

    // ------------------------------------------------------------------ training

    /** Runs {@code iterations} iterations, calling {@code callback} (may be null) after each; returns the last one's losses. */
    public StepLosses train(int iterations, Generator gen, Callback callback) {
        if (iterations < 1) throw new IllegalArgumentException(NAME + ".train: iterations must be >= 1, got " + iterations);
        checkGen(gen, "train");
        StepLosses s = null;
        for (int i = 0; i < iterations; i++) {
            s = step(gen);
            if (callback != null) callback.onIteration(this.iterations, s);
        }
        return s;
    }

    /** One iteration of Algorithm 1: {@code adversarySteps} adversary updates, then one encoder/decoder update. */
    public StepLosses step(Generator gen) {
        checkGen(gen, "step");
        double a = 0;
        for (int k = 0; k < advSteps; k++) a += adversaryStep(gen);
        double[] p = primalStep(gen);
        iterations++;
        return new StepLosses(a / advSteps, p[0], p[1], p[2]);
    }

    /** One adversary update on a fresh batch; returns its loss (measured before the update). */
    public double adversaryStep(Generator gen) {
        checkGen(gen, "adversaryStep");
        Tensor loss = adversaryLoss(dataBatch(gen, "adversaryStep"), gen);
        advOpt.zeroGrad();
        loss.backward();
        advOpt.step();
        return loss.item();
    }

    /** One encoder/decoder update on a fresh batch, T held fixed; returns {loss, E log p(x|z), E T} before the update. */
    private double[] primalStep(Generator gen) {
        Tensor x = dataBatch(gen, "step");
        Gan.setRequiresGrad(advParams, false);
        try {
            Tensor[] t = primalTerms(x, gen);
            primalOpt.zeroGrad();
            t[0].backward();
            primalOpt.step();
            return new double[]{t[0].item(), t[1].item(), t[2].item()};
        } finally {
            Gan.setRequiresGrad(advParams, true);
        }
    }

    /**
     * The adversary's logistic loss on the rows x: -mean log σ(T(x, z_q)) - mean log(1 - σ(T(x, z_p))) with z_q ~ q(z|x)
     * (drawn without a graph) and z_p ~ p(z), one of each per row; differentiable in T's parameters.
     */
    public Tensor adversaryLoss(Tensor x, Generator gen) {
        checkX(x, "adversaryLoss");
        checkGen(gen, "adversaryLoss");
        int n = x.shape(0);
        Tensor zq;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            zq = encode(x, gen, "adversaryLoss");
        }
        Tensor zp = priorSample(gen, n, "adversaryLoss");
        Tensor tq = score(x, zq, "adversaryLoss"), tp = score(x, zp, "adversaryLoss");
        return Losses.bceWithLogits(tq, Tensor.onesLike(tq)).add(Losses.bceWithLogits(tp, Tensor.zerosLike(tp)));
    }

    /**
     * The encoder/decoder loss on the rows x, mean over rows of -log p(x | z) + T(x, z) with z = f(x, ε): the negative
     * ELBO with the adversary in place of log q(z|x) - log p(z). Differentiable in the encoder's and decoder's
     * parameters (and T's, unless they are frozen as {@link #step} does).
     */
    public Tensor primalLoss(Tensor x, Generator gen) {
        checkX(x, "primalLoss");
        checkGen(gen, "primalLoss");
        return primalTerms(x, gen)[0];
    }

    /** {loss, mean log p(x|z), mean T}, all 0-d. */
    private Tensor[] primalTerms(Tensor x, Generator gen) {
        Tensor z = encode(x, gen, "primalLoss");
        Tensor ll = logLikelihood(x, z, "primalLoss").mean();
        Tensor t = score(x, z, "primalLoss").mean();
        return new Tensor[]{t.sub(ll), ll, t};
    }

    // ------------------------------------------------------------------ evaluation

    /** Draws z ~ q(z | x) for each row of x (n, dx), without gradients: (n, dz). */
    public Tensor sampleLatent(Tensor x, Generator gen) {
        checkX(x, "sampleLatent");
        checkGen(gen, "sampleLatent");
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return encode(x, gen, "sampleLatent");
        }
    }

    /** log p(x | z) per row for rows x (n, dx) and codes z (n, dz): (n), without gradients. */
    public Tensor logLikelihood(Tensor x, Tensor z) {
        checkX(x, "logLikelihood");
        checkZ(z, x.shape(0), "logLikelihood");
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return logLikelihood(x, z, "logLikelihood");
        }
    }

    /** The adversary's logits T(x, z) per row: (n), without gradients. */
    public Tensor adversaryScore(Tensor x, Tensor z) {
        checkX(x, "adversaryScore");
        checkZ(z, x.shape(0), "adversaryScore");
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return score(x, z, "adversaryScore");
        }
    }

    /**
     * The ELBO as the adversary estimates it, mean over rows of log p(x | z) - T(x, z) with one z ~ q(z|x) per row. It
     * trusts T: an adversary that under-estimates log q - log p makes it too high.
     */
    public double adversaryElbo(Tensor x, Generator gen) {
        checkX(x, "adversaryElbo");
        checkGen(gen, "adversaryElbo");
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return -primalTerms(x, gen)[0].item();
        }
    }

    // ------------------------------------------------------------------ parts

    private Tensor encode(Tensor x, Generator gen, String op) {
        int n = x.shape(0);
        Tensor eps = Tensor.randn(gen, x.dtype(), n, noiseDim);
        Tensor z = encoder.encode(x, eps);
        if (z == null || z.dim() != 2 || z.shape(0) != n || z.shape(1) != latentDim) throw new IllegalStateException(NAME + "." + op
                + ": the encoder must return (" + n + ", " + latentDim + ") codes for x " + Shapes.str(x.dims()) + " and noise "
                + Shapes.str(eps.dims()) + ", got " + (z == null ? "null" : "shape " + Shapes.str(z.dims())));
        return z;
    }

    private Tensor priorSample(Generator gen, int n, String op) {
        Tensor z = prior.sample(gen, n);
        if (z.dim() != 2 || z.shape(0) != n || z.shape(1) != latentDim) throw new IllegalStateException(NAME + "." + op
                + ": the prior's samples must be (" + n + ", " + latentDim + "), got " + Shapes.str(z.dims()));
        return z.dtype() == dtype ? z : z.to(dtype);
    }

    private Tensor score(Tensor x, Tensor z, String op) {
        Tensor t = adversary.score(x, z);
        int n = x.shape(0);
        if (t == null || t.dim() != 1 || t.shape(0) != n) throw new IllegalStateException(NAME + "." + op + ": the adversary must return ("
                + n + ") logits for x " + Shapes.str(x.dims()) + " and z " + Shapes.str(z.dims()) + ", got "
                + (t == null ? "null" : "shape " + Shapes.str(t.dims())));
        return t;
    }

    private Tensor logLikelihood(Tensor x, Tensor z, String op) {
        Distribution px = decoder.apply(z);
        if (px == null) throw new IllegalStateException(NAME + "." + op + ": the decoder returned null for z " + Shapes.str(z.dims()));
        Tensor lp = px.logProb(x);
        int n = x.shape(0);
        if (lp.dim() < 1 || lp.shape(0) != n) throw new IllegalStateException(NAME + "." + op + ": the decoder's logProb of x "
                + Shapes.str(x.dims()) + " must have " + n + " as its first dim, got " + Shapes.str(lp.dims()));
        if (lp.dim() > 1) {
            int[] ax = new int[lp.dim() - 1];
            for (int i = 0; i < ax.length; i++) ax[i] = i + 1;
            lp = lp.sum(ax, false);
        }
        return lp;
    }

    private Tensor dataBatch(Generator gen, String op) {
        NDArray b = NDArray.zeros(dtype, batch, dataDims);
        data.fill(gen, b, 0, batch, NAME + "." + op);
        return Tensor.of(b);
    }

    private void checkX(Tensor x, String op) {
        if (x == null) throw new IllegalArgumentException(NAME + "." + op + ": x must not be null");
        if (x.dim() != 2 || x.shape(0) < 1 || x.shape(1) != dataDims) throw new IllegalArgumentException(NAME + "." + op
                + ": x must be (n, " + dataDims + ") with n >= 1 like the data, got shape " + Shapes.str(x.dims()));
        if (x.dtype() != dtype) throw new IllegalArgumentException(NAME + "." + op + ": x must be " + dtype + " like the data, got " + x.dtype());
    }

    private void checkZ(Tensor z, int n, String op) {
        if (z == null) throw new IllegalArgumentException(NAME + "." + op + ": z must not be null");
        if (z.dim() != 2 || z.shape(0) != n || z.shape(1) != latentDim) throw new IllegalArgumentException(NAME + "." + op
                + ": z must be (" + n + ", " + latentDim + ") to match x, got shape " + Shapes.str(z.dims()));
    }

    private static void checkGen(Generator gen, String op) {
        if (gen == null) throw new IllegalArgumentException(NAME + "." + op + ": generator must not be null");
    }

    /** The latent dimension dz (from the prior). */
    public int latentDim() { return latentDim; }

    /** The noise dimension of the encoder. */
    public int noiseDim() { return noiseDim; }

    /** Iterations taken so far. */
    public int iterations() { return iterations; }

    /** The encoder/decoder optimiser. */
    public Optimizer primalOptimizer() { return primalOpt; }

    /** The adversary's optimiser. */
    public Optimizer adversaryOptimizer() { return advOpt; }

    @Override
    public String toString() {
        return NAME + "(dx=" + dataDims + ", dz=" + latentDim + ", noise=" + noiseDim + ", batch=" + batch + ", adversarySteps=" + advSteps
                + ", iterations=" + iterations + ")";
    }
}
