package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.Optimizer;

import java.util.List;
import java.util.function.Function;

/**
 * The alternating GAN loop of Goodfellow et al. (2014), Algorithm 1, as the tutorial runs it: each iteration takes
 * k discriminator steps (a batch of generated samples labelled {@code fakeLabel} and a batch of real samples
 * labelled {@code realLabel}, BCE with logits) and then one generator step (a batch of generated samples labelled
 * {@code generatorTarget}, the non-saturating loss). Any optimisers; Adam(1e-3) for both by default.
 *
 * <p>The loop is lean: generated samples for the discriminator steps are computed without a graph and written,
 * with the real rows, into one preallocated batch that the discriminator sees in a single forward pass; during
 * the generator step the discriminator's parameters stop requiring grad, so their gradients are not computed.
 * Build with {@link #builder(Gan)}; not thread-safe.
 */
public final class GanTrainer {
    /** Called after each iteration with its number (1-based) and losses. */
    @FunctionalInterface
    public interface Callback {
        void onIteration(int iteration, double discriminatorLoss, double generatorLoss);
    }

    /** The losses of one iteration: the discriminator's mean over its k steps, and the generator's. */
    public record StepLosses(double discriminator, double generator) {}

    /** Per-iteration losses of a {@link #train} call, and its wall time. */
    public record History(float[] discriminatorLoss, float[] generatorLoss, double seconds) {
        /** Iterations per second. */
        public double iterationsPerSecond() { return discriminatorLoss.length / seconds; }
    }

    private final Gan gan;
    private final RealBatches real;
    private final int batch, genBatch, dSteps;
    private final double realLabel, fakeLabel, genTarget;
    private final Gan.Labels labels;
    private final Optimizer dOpt, gOpt;
    private final List<Tensor> dParams, gParams;
    private NDArray dBuffer;
    private int iterations;

    private GanTrainer(Builder b) {
        this.gan = b.gan;
        this.real = b.real;
        this.batch = b.batch;
        this.genBatch = b.genBatch > 0 ? b.genBatch : b.batch;
        this.dSteps = b.dSteps;
        this.realLabel = b.realLabel;
        this.fakeLabel = b.fakeLabel;
        this.genTarget = b.genTarget;
        this.labels = new Gan.Labels(realLabel, fakeLabel, genTarget);
        this.dParams = gan.discriminator().parameters();
        this.gParams = gan.generator().parameters();
        this.dOpt = make("discriminatorOptimizer", b.dOpt, dParams);
        this.gOpt = make("generatorOptimizer", b.gOpt, gParams);
    }

    static Optimizer make(String what, Function<List<Tensor>, Optimizer> f, List<Tensor> params) {
        Optimizer o = f.apply(params);
        if (o == null) throw new IllegalArgumentException("GanTrainer: the " + what + " factory returned null");
        return o;
    }

    /** A builder for training {@code gan}; real data must be given ({@link Builder#realData} or {@link Builder#realSampler}). */
    public static Builder builder(Gan gan) {
        if (gan == null) throw new IllegalArgumentException("GanTrainer.builder: gan must not be null");
        return new Builder(gan);
    }

    /** The settings of the loop; each setter rejects a bad value at once. */
    public static final class Builder {
        private final Gan gan;
        private RealBatches real;
        private int batch = 50, genBatch = -1, dSteps = 1;
        private double realLabel = 1, fakeLabel = 0, genTarget = 1;
        private Function<List<Tensor>, Optimizer> dOpt = p -> new Adam(p, 1e-3), gOpt = p -> new Adam(p, 1e-3);

        private Builder(Gan gan) { this.gan = gan; }

        /** Real data as rows of {@code data} (N, dims), drawn uniformly with replacement for each batch. */
        public Builder realData(Tensor data) {
            this.real = RealBatches.of("GanTrainer.realData", data);
            return this;
        }

        /** Real data from a sampler returning (n, dims) batches. */
        public Builder realSampler(Gan.Sampler sampler) {
            if (sampler == null) throw new IllegalArgumentException("GanTrainer.realSampler: sampler must not be null");
            this.real = RealBatches.of(sampler);
            return this;
        }

        /** Generated and real rows per discriminator step, each (> 0, default 50). */
        public Builder batchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("GanTrainer.batchSize: must be > 0, got " + n);
            this.batch = n;
            return this;
        }

        /** Generated rows per generator step (> 0; the discriminator's batch size by default). */
        public Builder generatorBatchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("GanTrainer.generatorBatchSize: must be > 0, got " + n);
            this.genBatch = n;
            return this;
        }

        /** Discriminator steps per generator step, k >= 1 (default 1, as in Goodfellow et al.; the tutorial uses 5). */
        public Builder discriminatorSteps(int k) {
            if (k < 1) throw new IllegalArgumentException("GanTrainer.discriminatorSteps: must be >= 1, got " + k);
            this.dSteps = k;
            return this;
        }

        /** Targets of the discriminator's loss for real and generated rows (default 1 and 0), each in [0, 1]. */
        public Builder labels(double real, double fake) {
            Gan.checkLabel("GanTrainer.labels", "real label", real);
            Gan.checkLabel("GanTrainer.labels", "fake label", fake);
            this.realLabel = real;
            this.fakeLabel = fake;
            return this;
        }

        /** The target of the generator's loss for its samples (default 1: the non-saturating loss), in [0, 1]. */
        public Builder generatorTarget(double target) {
            Gan.checkLabel("GanTrainer.generatorTarget", "target", target);
            this.genTarget = target;
            return this;
        }

        /** Makes the discriminator's optimiser from its parameters (default Adam with lr 1e-3). */
        public Builder discriminatorOptimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException("GanTrainer.discriminatorOptimizer: factory must not be null");
            this.dOpt = factory;
            return this;
        }

        /** Makes the generator's optimiser from its parameters (default Adam with lr 1e-3). */
        public Builder generatorOptimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException("GanTrainer.generatorOptimizer: factory must not be null");
            this.gOpt = factory;
            return this;
        }

        /** The trainer (its optimisers are created here). */
        public GanTrainer build() {
            if (real == null) throw new IllegalStateException("GanTrainer.build: no real data; call realData(tensor) or realSampler(sampler)");
            return new GanTrainer(this);
        }
    }

    /** The GAN being trained. */
    public Gan gan() { return gan; }

    /** The discriminator's optimiser. */
    public Optimizer discriminatorOptimizer() { return dOpt; }

    /** The generator's optimiser. */
    public Optimizer generatorOptimizer() { return gOpt; }

    /** Iterations taken so far. */
    public int iterations() { return iterations; }

    /** Runs {@code iterations} iterations, calling {@code callback} (may be null) after each. */
    public History train(int iterations, Generator gen, Callback callback) {
        if (iterations < 0) throw new IllegalArgumentException("GanTrainer.train: iterations must be >= 0, got " + iterations);
        if (gen == null) throw new IllegalArgumentException("GanTrainer.train: generator must not be null");
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
        if (gen == null) throw new IllegalArgumentException("GanTrainer.step: generator must not be null");
        double d = 0;
        for (int s = 0; s < dSteps; s++) d += discriminatorStep(gen);
        double g = generatorStep(gen);
        iterations++;
        return new StepLosses(d / dSteps, g);
    }

    /** One discriminator step on fresh generated and real batches; returns its loss. */
    public double discriminatorStep(Generator gen) {
        Tensor x = Tensor.of(discriminatorBatch(gen, "GanTrainer.discriminatorStep"));
        Tensor loss = Gan.discriminatorLoss(gan.logits(x), batch, labels);
        dOpt.zeroGrad();
        loss.backward();
        dOpt.step();
        return loss.item();
    }

    /** One generator step on fresh noise; returns its loss (measured before the update). */
    public double generatorStep(Generator gen) {
        Tensor z = gan.noise(gen, genBatch, "GanTrainer.generatorStep");
        Gan.setRequiresGrad(dParams, false);
        try {
            Tensor loss = Gan.generatorLoss(gan.logits(gan.generator().forward(z)), labels);
            gOpt.zeroGrad();
            loss.backward();
            gOpt.step();
            return loss.item();
        } finally {
            Gan.setRequiresGrad(dParams, true);
        }
    }

    /**
     * The gradient of the generator's loss for noise z with respect to the generator's parameters (in
     * {@code gan.generator().parameters()} order), without changing anything.
     * @param z (n, latent) noise
     */
    public List<Tensor> generatorGradient(Tensor z) {
        if (z == null) throw new IllegalArgumentException("GanTrainer.generatorGradient: noise must not be null");
        Gan.setRequiresGrad(dParams, false);
        try {
            Tensor loss = Gan.generatorLoss(gan.logits(gan.generator().forward(z)), labels);
            return Autograd.grad(loss, gParams, false);
        } finally {
            Gan.setRequiresGrad(dParams, true);
        }
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

    // ------------------------------------------------------------------ real batches

    /** Real rows written into a buffer: gathered straight from a data array, or copied from a sampler's batch. */
    static final class RealBatches {
        private final NDArray data;          // (N, dims) contiguous, or null
        private final Gan.Sampler sampler;   // or null

        private RealBatches(NDArray data, Gan.Sampler sampler) {
            this.data = data;
            this.sampler = sampler;
        }

        static RealBatches of(String op, Tensor data) {
            Gan.checkData(op, data);
            return new RealBatches(plain(data.data()), null);
        }

        /** a contiguous array at offset 0 (raw storage access needs both) */
        static NDArray plain(NDArray a) { return a.isContiguous() && a.offset() == 0 ? a : a.copy(); }

        static RealBatches of(Gan.Sampler sampler) { return new RealBatches(null, sampler); }

        void check(String op, DType dtype, int dims) {
            if (data == null) return;
            if (data.dtype() != dtype) throw new IllegalArgumentException(op + ": real data are " + data.dtype() + " but the generator returns "
                    + dtype);
            if (data.shape(1) != dims) throw new IllegalArgumentException(op + ": real data have " + data.shape(1)
                    + " columns but the generator returns " + dims);
        }

        /** Writes n real rows into rows [at, at + n) of buf (contiguous, (rows, dims)). */
        void fill(Generator gen, NDArray buf, int at, int n, String op) {
            int dims = buf.shape(1);
            if (data == null) {
                Tensor r = sampler.sample(gen, n);
                if (r == null || r.dim() != 2 || r.shape(0) != n || r.shape(1) != dims || r.dtype() != buf.dtype())
                    throw new IllegalStateException(op + ": the real sampler must return " + buf.dtype() + " (" + n + ", " + dims
                            + ") batches, got " + (r == null ? "null" : r.dtype() + " " + Shapes.str(r.dims())));
                buf.narrow(0, at, n).copyFromInPlace(r.data());
                return;
            }
            NDArray idx = NDArray.randint(gen, 0, data.shape(0), n);
            data.indexSelect(0, idx, buf.narrow(0, at, n));
        }

        /** A fresh (n, dims) real batch. */
        Tensor batch(Generator gen, DType dtype, int dims, int n, String op) {
            check(op, dtype, dims);
            NDArray b = NDArray.zeros(dtype, n, dims);
            fill(gen, b, 0, n, op);
            return Tensor.of(b);
        }
    }

    @Override
    public String toString() {
        return "GanTrainer(batch=" + batch + ", generatorBatch=" + genBatch + ", discriminatorSteps=" + dSteps + ", labels real="
                + realLabel + " fake=" + fakeLabel + ", generatorTarget=" + genTarget + ", iterations=" + iterations + ")";
    }
}
