package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.UnaryModule;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.Optimizer;
import dev.deepprob.nn.optim.UpdateRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The alternating GAN loop (Goodfellow et al. 2014, Algorithm 1) with a choice of generator objective: each iteration
 * takes k discriminator steps (a batch of generated samples labelled {@code fakeLabel} and a batch of real samples
 * labelled {@code realLabel}, BCE with logits, the discriminator's optimiser) and then one generator step on the
 * non-saturating loss (target {@code generatorTarget}). The {@link Strategy} decides what the generator's loss
 * sees: the discriminator as it is ({@link Strategy#plain()}), or the discriminator after K updates unrolled ahead
 * ({@link Strategy#unrolled(int)}, Metz, Poole, Pfau and Sohl-Dickstein, ICLR 2017), differentiated through.
 *
 * <p>Unrolled, the generator minimises f_K(θ_G, θ_D) = f(θ_G, θ_D^K), where θ_D^0 = θ_D and θ_D^{j+1} is the
 * discriminator optimiser's own update of θ_D^j on its loss over one batch [G(z); real] (eq. 5-6). The updates are
 * the optimiser's pure {@link UpdateRule} from its current state ({@link UpdateRule#of}, {@link UpdateRule#stateOf}),
 * taken with {@code Autograd.grad(..., createGraph = true)}, and the discriminator is evaluated at θ_D^j with
 * {@link dev.deepprob.nn.Module#functionalCall}, so any discriminator module works and the response of the
 * discriminator to the generator is differentiated (eq. 7). K = 0 is the plain GAN, step for step. The discriminator
 * itself always trains with the plain gradient and its fused optimiser (which the pure rule equals bitwise).
 *
 * <p>The loop is lean: generated samples for the discriminator steps are computed without a graph and written, with
 * the real rows, into one preallocated batch seen in a single forward pass; in a plain generator step the
 * discriminator's parameters stop requiring grad. Build with {@link #builder(Gan)}; not thread-safe.
 */
public final class AdversarialTrainer {
    /** Called after each iteration with its number (1-based) and losses. */
    @FunctionalInterface
    public interface Callback {
        /** One iteration done. */
        void onIteration(int iteration, double discriminatorLoss, double generatorLoss);
    }

    /** The losses of one iteration: the discriminator's mean over its k steps, and the generator's. */
    public record StepLosses(double discriminator, double generator) {}

    /** Per-iteration losses of a {@link #train} call, and its wall time. */
    public record History(float[] discriminatorLoss, float[] generatorLoss, double seconds) {
        /** Iterations per second. */
        public double iterationsPerSecond() { return discriminatorLoss.length / seconds; }
    }

    /** What the generator's loss is taken against: the discriminator now, or K of its updates ahead. */
    public sealed interface Strategy permits Strategy.Plain, Strategy.Unrolled {
        /** The plain GAN: the generator's loss against the current discriminator. */
        record Plain() implements Strategy {}

        /** The unrolled GAN with K = {@code steps} (>= 0; 0 is the plain GAN) discriminator updates differentiated through. */
        record Unrolled(int steps) implements Strategy {
            /** Checks K. */
            public Unrolled {
                if (steps < 0) throw new IllegalArgumentException("AdversarialTrainer.Strategy.unrolled: steps must be >= 0, got " + steps);
            }
        }

        /** The plain GAN. */
        static Strategy plain() { return new Plain(); }

        /** The unrolled GAN with K unrolled discriminator updates. */
        static Strategy unrolled(int steps) { return new Unrolled(steps); }
    }

    private final Gan gan;
    private final RealBatches real;
    private final int batch, genBatch, dSteps, unroll;
    private final Strategy strategy;
    private final double realLabel, fakeLabel, genTarget;
    private final Gan.Labels labels;
    private final Optimizer dOpt, gOpt;
    private final List<Tensor> dParams, gParams;
    private final List<String> dNames;
    private NDArray dBuffer;
    private int iterations;

    private AdversarialTrainer(Builder b) {
        this.gan = b.gan;
        this.real = b.real;
        this.batch = b.batch;
        this.genBatch = b.genBatch > 0 ? b.genBatch : b.batch;
        this.dSteps = b.dSteps;
        this.strategy = b.strategy;
        this.unroll = b.strategy instanceof Strategy.Unrolled(int k) ? k : 0;
        this.realLabel = b.realLabel;
        this.fakeLabel = b.fakeLabel;
        this.genTarget = b.genTarget;
        this.labels = new Gan.Labels(realLabel, fakeLabel, genTarget);
        this.dParams = gan.discriminator().parameters();
        this.gParams = gan.generator().parameters();
        this.dNames = new ArrayList<>(gan.discriminator().namedParameters().keySet());
        this.dOpt = make("discriminatorOptimizer", b.dOpt, dParams);
        this.gOpt = make("generatorOptimizer", b.gOpt, gParams);
        if (unroll > 0) {
            try {
                UpdateRule.of(dOpt);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("AdversarialTrainer.build: the unrolled strategy needs the discriminator's update rule: "
                        + e.getMessage(), e);
            }
        }
    }

    static Optimizer make(String what, Function<List<Tensor>, Optimizer> f, List<Tensor> params) {
        Optimizer o = f.apply(params);
        if (o == null) throw new IllegalArgumentException("AdversarialTrainer: the " + what + " factory returned null");
        return o;
    }

    /** A builder for training {@code gan}; real data must be given ({@link Builder#realData} or {@link Builder#realSampler}). */
    public static Builder builder(Gan gan) {
        if (gan == null) throw new IllegalArgumentException("AdversarialTrainer.builder: gan must not be null");
        return new Builder(gan);
    }

    /** The settings of the loop; each setter rejects a bad value at once. */
    public static final class Builder {
        private final Gan gan;
        private RealBatches real;
        private int batch = 50, genBatch = -1, dSteps = 1;
        private Strategy strategy = Strategy.plain();
        private double realLabel = 1, fakeLabel = 0, genTarget = 1;
        private Function<List<Tensor>, Optimizer> dOpt = p -> new Adam(p, 1e-3), gOpt = p -> new Adam(p, 1e-3);

        private Builder(Gan gan) { this.gan = gan; }

        /** Real data as rows of {@code data} (N, dims), drawn uniformly with replacement for each batch. */
        public Builder realData(Tensor data) {
            this.real = RealBatches.of("AdversarialTrainer.realData", data);
            return this;
        }

        /** Real data from a sampler returning (n, dims) batches. */
        public Builder realSampler(Gan.Sampler sampler) {
            if (sampler == null) throw new IllegalArgumentException("AdversarialTrainer.realSampler: sampler must not be null");
            this.real = RealBatches.of(sampler);
            return this;
        }

        /** Generated and real rows per discriminator step (and per unrolled step's real half), each (> 0, default 50). */
        public Builder batchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("AdversarialTrainer.batchSize: must be > 0, got " + n);
            this.batch = n;
            return this;
        }

        /** Generated rows per generator step (> 0; the discriminator's batch size by default). */
        public Builder generatorBatchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("AdversarialTrainer.generatorBatchSize: must be > 0, got " + n);
            this.genBatch = n;
            return this;
        }

        /** Discriminator steps per generator step, k >= 1 (default 1, as in Goodfellow et al. and Metz et al.; the tutorial uses 5). */
        public Builder discriminatorSteps(int k) {
            if (k < 1) throw new IllegalArgumentException("AdversarialTrainer.discriminatorSteps: must be >= 1, got " + k);
            this.dSteps = k;
            return this;
        }

        /** The generator's objective (default {@link Strategy#plain()}). */
        public Builder strategy(Strategy s) {
            if (s == null) throw new IllegalArgumentException("AdversarialTrainer.strategy: strategy must not be null");
            this.strategy = s;
            return this;
        }

        /** Shorthand for {@code strategy(Strategy.unrolled(k))}: K unrolled discriminator updates (>= 0). */
        public Builder unrollSteps(int k) {
            if (k < 0) throw new IllegalArgumentException("AdversarialTrainer.unrollSteps: must be >= 0, got " + k);
            return strategy(Strategy.unrolled(k));
        }

        /** Targets of the discriminator's loss for real and generated rows (default 1 and 0), each in [0, 1]. */
        public Builder labels(double real, double fake) {
            Gan.checkLabel("AdversarialTrainer.labels", "real label", real);
            Gan.checkLabel("AdversarialTrainer.labels", "fake label", fake);
            this.realLabel = real;
            this.fakeLabel = fake;
            return this;
        }

        /** The target of the generator's loss for its samples (default 1: the non-saturating loss), in [0, 1]. */
        public Builder generatorTarget(double target) {
            Gan.checkLabel("AdversarialTrainer.generatorTarget", "target", target);
            this.genTarget = target;
            return this;
        }

        /**
         * Makes the discriminator's optimiser from its parameters (default Adam with lr 1e-3). The unrolled strategy needs
         * one with a pure rule (SGD, Adam, AdamW, RMSprop; one learning rate).
         */
        public Builder discriminatorOptimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException("AdversarialTrainer.discriminatorOptimizer: factory must not be null");
            this.dOpt = factory;
            return this;
        }

        /** The discriminator's update rule: its fused optimiser for the real steps, the rule itself for the unrolled ones. */
        public Builder discriminatorUpdate(UpdateRule rule) {
            if (rule == null) throw new IllegalArgumentException("AdversarialTrainer.discriminatorUpdate: rule must not be null");
            this.dOpt = rule::optimizer;
            return this;
        }

        /** Makes the generator's optimiser from its parameters (any; default Adam with lr 1e-3). */
        public Builder generatorOptimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException("AdversarialTrainer.generatorOptimizer: factory must not be null");
            this.gOpt = factory;
            return this;
        }

        /** The trainer (its optimisers are created here). */
        public AdversarialTrainer build() {
            if (real == null) throw new IllegalStateException("AdversarialTrainer.build: no real data; call realData(tensor) or realSampler(sampler)");
            return new AdversarialTrainer(this);
        }
    }

    // ------------------------------------------------------------------ accessors

    /** The GAN being trained. */
    public Gan gan() { return gan; }

    /** The generator's objective. */
    public Strategy strategy() { return strategy; }

    /** K, the number of unrolled discriminator updates (0 for the plain strategy). */
    public int unrollSteps() { return unroll; }

    /** The discriminator's optimiser. */
    public Optimizer discriminatorOptimizer() { return dOpt; }

    /** The generator's optimiser. */
    public Optimizer generatorOptimizer() { return gOpt; }

    /** Iterations taken so far. */
    public int iterations() { return iterations; }

    // ------------------------------------------------------------------ training

    /** Runs {@code iterations} iterations, calling {@code callback} (may be null) after each. */
    public History train(int iterations, Generator gen, Callback callback) {
        if (iterations < 0) throw new IllegalArgumentException("AdversarialTrainer.train: iterations must be >= 0, got " + iterations);
        if (gen == null) throw new IllegalArgumentException("AdversarialTrainer.train: generator must not be null");
        float[] dl = new float[iterations], gl = new float[iterations];
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            StepLosses s = step(gen);
            dl[i] = (float) s.discriminator();
            gl[i] = (float) s.generator();
            if (callback != null) callback.onIteration(this.iterations, s.discriminator(), s.generator());
        }
        return new History(dl, gl, (System.nanoTime() - t0) * 1e-9);
    }

    /** One iteration: k discriminator steps, then one generator step. */
    public StepLosses step(Generator gen) {
        if (gen == null) throw new IllegalArgumentException("AdversarialTrainer.step: generator must not be null");
        double d = 0;
        for (int s = 0; s < dSteps; s++) d += discriminatorStep(gen);
        double g = generatorStep(gen);
        iterations++;
        return new StepLosses(d / dSteps, g);
    }

    /** One discriminator step with its optimiser on fresh generated and real batches; returns its loss before the update. */
    public double discriminatorStep(Generator gen) {
        Tensor x = Tensor.of(discriminatorBatch(gen, "AdversarialTrainer.discriminatorStep"));
        Tensor loss = Gan.discriminatorLoss(gan.logits(x), batch, labels);
        dOpt.zeroGrad();
        loss.backward();
        dOpt.step();
        return loss.item();
    }

    /**
     * One generator step on fresh noise (and, unrolled, a fresh real batch for the unrolled updates); returns its loss
     * before the update.
     */
    public double generatorStep(Generator gen) {
        String op = "AdversarialTrainer.generatorStep";
        Tensor z = gan.noise(gen, genBatch, op);
        Tensor xr = unroll > 0 ? realBatch(gen, z, op) : null;
        Tensor[] loss = new Tensor[1];
        List<Tensor> g = gradient(z, xr, loss, op);
        gOpt.zeroGrad();
        for (int i = 0; i < gParams.size(); i++) gParams.get(i).setGrad(g.get(i).detach());
        gOpt.step();
        return loss[0].item();
    }

    /**
     * The gradient of the generator's loss with respect to the generator's parameters (in
     * {@code gan.generator().parameters()} order), without changing anything: for the plain strategy; the unrolled one
     * needs real rows ({@link #generatorGradient(Tensor, Tensor)}).
     * @param z (n, latent) noise
     */
    public List<Tensor> generatorGradient(Tensor z) { return generatorGradient(z, null); }

    /**
     * The gradient of f_K (see {@link #generatorLoss}) with respect to the generator's parameters, without changing
     * anything.
     * @param z    (n, latent) noise
     * @param real (m, dims) real rows for the unrolled updates (ignored, and may be null, when K = 0)
     */
    public List<Tensor> generatorGradient(Tensor z, Tensor real) {
        return gradient(z, real, new Tensor[1], "AdversarialTrainer.generatorGradient");
    }

    private List<Tensor> gradient(Tensor z, Tensor real, Tensor[] lossOut, String op) {
        if (z == null) throw new IllegalArgumentException(op + ": noise must not be null");
        if (unroll == 0) {
            Gan.setRequiresGrad(dParams, false);   // D's weight gradients are not needed
            try {
                lossOut[0] = Gan.generatorLoss(gan.logits(gan.generator().forward(z)), labels);
                return Autograd.grad(lossOut[0], gParams, false);
            } finally {
                Gan.setRequiresGrad(dParams, true);
            }
        }
        lossOut[0] = generatorLoss(z, real, true);
        return Autograd.grad(lossOut[0], gParams, false);
    }

    /**
     * f_K(θ_G, θ_D): the generator's loss on G(z) against the discriminator after K unrolled updates on the batch
     * [G(z); real], from the current parameters and optimiser state. With {@code createGraph} the updates are recorded,
     * so the result can be differentiated through them with respect to the generator's parameters (eq. 7 of Metz et
     * al.); without, only the value is meaningful. With K = 0 it is the plain generator loss (real is then ignored).
     * @param z    (n, latent) noise
     * @param real (m, dims) real rows
     */
    public Tensor generatorLoss(Tensor z, Tensor real, boolean createGraph) {
        String op = "AdversarialTrainer.generatorLoss";
        if (z == null) throw new IllegalArgumentException(op + ": noise must not be null");
        Tensor fake = gan.generator().forward(z);
        if (unroll == 0) return Gan.generatorLoss(gan.logits(fake), labels);
        if (real == null) throw new IllegalArgumentException(op + ": the unrolled strategy (K = " + unroll + ") needs real rows");
        if (fake.dim() != 2 || real.dim() != 2 || fake.shape(1) != real.shape(1) || fake.dtype() != real.dtype())
            throw new IllegalArgumentException(op + ": generated " + fake.dtype() + " " + Shapes.str(fake.dims()) + " and real "
                    + real.dtype() + " " + Shapes.str(real.dims()) + " rows do not match");
        int nf = fake.shape(0);
        UpdateRule rule = UpdateRule.of(dOpt);
        UpdateRule.State st = UpdateRule.stateOf(dOpt);
        UnaryModule d = gan.discriminator();
        List<Tensor> theta = dParams;
        Tensor x = Tensor.cat(List.of(fake, real.detach()), 0);
        for (int j = 0; j < unroll; j++) {
            Tensor logits = Gan.flatLogits(op, d.functionalCall(values(theta), x), x.shape(0));
            Tensor ld = Gan.discriminatorLoss(logits, nf, labels);
            List<Tensor> g = Autograd.grad(List.of(ld), theta, null, createGraph, true);
            UpdateRule.Step next = rule.apply(theta, g, st);
            theta = next.params();
            st = next.state();
        }
        Tensor logits = Gan.flatLogits(op, d.functionalCall(values(theta), fake), nf);
        return Gan.generatorLoss(logits, labels);
    }

    private Map<String, Tensor> values(List<Tensor> theta) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < dNames.size(); i++) m.put(dNames.get(i), theta.get(i));
        return m;
    }

    private Tensor realBatch(Generator gen, Tensor z, String op) {
        Tensor probe;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            probe = dBuffer != null ? Tensor.of(dBuffer) : gan.generator().forward(z.narrow(0, 0, 1));
        }
        return real.batch(gen, probe.dtype(), probe.shape(1), batch, op);
    }

    /** [G(z); real] in the reused buffer: generated rows first (no graph), then real rows. */
    private NDArray discriminatorBatch(Generator gen, String op) {
        Tensor fake;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            fake = gan.generator().forward(gan.noise(gen, batch, op));
        }
        if (fake.dim() != 2 || fake.shape(0) != batch) throw new IllegalStateException(op + ": the generator must return (" + batch
                + ", dims) samples, got " + Shapes.str(fake.dims()));
        if (dBuffer == null) {
            real.check(op, fake.dtype(), fake.shape(1));
            dBuffer = NDArray.zeros(fake.dtype(), 2 * batch, fake.shape(1));
        }
        if (fake.dtype() != dBuffer.dtype() || fake.shape(1) != dBuffer.shape(1)) throw new IllegalStateException(op
                + ": the generator's output changed to " + fake.dtype() + " " + Shapes.str(fake.dims()) + ", expected " + dBuffer.dtype()
                + " (" + batch + ", " + dBuffer.shape(1) + ")");
        dBuffer.narrow(0, 0, batch).copyFromInPlace(fake.data());
        real.fill(gen, dBuffer, batch, batch, op);
        return dBuffer;
    }

    @Override
    public String toString() {
        return "AdversarialTrainer(strategy=" + strategy + ", batch=" + batch + ", generatorBatch=" + genBatch + ", discriminatorSteps="
                + dSteps + ", labels real=" + realLabel + " fake=" + fakeLabel + ", generatorTarget=" + genTarget + ", iterations="
                + iterations + ")";
    }
}
