package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.Functional;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.UnaryModule;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.Optimizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Unrolled GAN training (Metz, Poole, Pfau and Sohl-Dickstein, "Unrolled Generative Adversarial Networks", ICLR
 * 2017). The generator minimises f_K(θ_G, θ_D) = f(θ_G, θ_D^K), where θ_D^0 = θ_D and θ_D^{j+1} is the
 * discriminator's own update of θ_D^j on its loss (eq. 5-6); its gradient (eq. 7) flows through the K unrolled
 * updates, which are written in Tensor operations with {@code Autograd.grad(..., createGraph = true)}, so the
 * response of the discriminator to a change of the generator is differentiated, not only looked ahead at. The
 * discriminator itself is trained with the plain gradient (k steps per iteration, usually 1). K = 0 is the plain
 * GAN (the same gradient as {@link GanTrainer}).
 *
 * <p>The discriminator's update rule is an {@link Update} (SGD or Adam) that this class applies both to the real
 * discriminator (in place, without a graph) and, from the same optimiser state, in the unrolled steps, as the
 * paper does. The unrolled steps reuse one batch (the generator's samples of this iteration and one real batch).
 * The discriminator must be evaluable with substituted parameters: a {@link Sequential} of {@link Linear} layers
 * and parameter-free modules is handled automatically; anything else needs a {@link FunctionalModel}.
 * Build with {@link #builder(Gan)}; not thread-safe.
 */
public final class UnrolledGan {

    /** A model evaluated with given parameter values, in the order of {@code module.parameters()}. */
    @FunctionalInterface
    public interface FunctionalModel {
        /** The model's output for x with the parameters {@code params} (differentiable in both). */
        Tensor forward(List<Tensor> params, Tensor x);
    }

    /**
     * The discriminator's update rule, as a function (θ, g, state) -> (θ', state') in Tensor operations, so that it
     * can be differentiated when unrolled.
     */
    public sealed interface Update permits Update.Sgd, Update.Adam {
        /** θ' = θ - lr·g. */
        record Sgd(double lr) implements Update {
            public Sgd {
                if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("UnrolledGan.Update.Sgd: lr must be > 0, got " + lr);
            }
        }

        /**
         * Adam (Kingma and Ba 2015) as torch.optim.Adam computes it: m ← β₁m + (1-β₁)g, v ← β₂v + (1-β₂)g²,
         * θ ← θ - (lr/(1-β₁ᵗ))·m / (√v / √(1-β₂ᵗ) + ε).
         */
        record Adam(double lr, double beta1, double beta2, double eps) implements Update {
            public Adam {
                if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("UnrolledGan.Update.Adam: lr must be > 0, got " + lr);
                if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("UnrolledGan.Update.Adam: beta1 must be in [0, 1), got " + beta1);
                if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("UnrolledGan.Update.Adam: beta2 must be in [0, 1), got " + beta2);
                if (!(eps >= 0) || !Double.isFinite(eps)) throw new IllegalArgumentException("UnrolledGan.Update.Adam: eps must be >= 0, got " + eps);
            }
        }

        /** Plain gradient descent with learning rate lr. */
        static Update sgd(double lr) { return new Sgd(lr); }

        /** Adam with PyTorch's defaults besides lr (betas 0.9, 0.999; eps 1e-8). */
        static Update adam(double lr) { return new Adam(lr, 0.9, 0.999, 1e-8); }
    }

    /** The optimiser state of the discriminator: Adam's moments and step count (unused by SGD). Values, never modified. */
    record State(Tensor[] m, Tensor[] v, int step) {}

    private final Gan gan;
    private final GanTrainer.RealBatches real;
    private final int batch, genBatch, dSteps, unroll;
    private final double realLabel, fakeLabel, genTarget;
    private final Gan.Labels labels;
    private final Update update;
    private final Optimizer gOpt;
    private final List<Tensor> dParams, gParams;
    private final FunctionalModel dFun;
    private State state;
    private NDArray dBuffer;
    private int iterations;

    private UnrolledGan(Builder b) {
        this.gan = b.gan;
        this.real = b.real;
        this.batch = b.batch;
        this.genBatch = b.genBatch > 0 ? b.genBatch : b.batch;
        this.dSteps = b.dSteps;
        this.unroll = b.unroll;
        this.realLabel = b.realLabel;
        this.fakeLabel = b.fakeLabel;
        this.genTarget = b.genTarget;
        this.labels = new Gan.Labels(realLabel, fakeLabel, genTarget);
        this.update = b.update;
        this.dParams = gan.discriminator().parameters();
        this.gParams = gan.generator().parameters();
        this.dFun = b.dFun != null ? b.dFun : functional(gan.discriminator());
        this.gOpt = GanTrainer.make("generatorOptimizer", b.gOpt, gParams);
        this.state = initialState(dParams);
    }

    /** A builder for training {@code gan}; real data must be given. */
    public static Builder builder(Gan gan) {
        if (gan == null) throw new IllegalArgumentException("UnrolledGan.builder: gan must not be null");
        return new Builder(gan);
    }

    /** The settings; each setter rejects a bad value at once. */
    public static final class Builder {
        private final Gan gan;
        private GanTrainer.RealBatches real;
        private int batch = 50, genBatch = -1, dSteps = 1, unroll = 5;
        private double realLabel = 1, fakeLabel = 0, genTarget = 1;
        private Update update = Update.adam(1e-3);
        private Function<List<Tensor>, Optimizer> gOpt = p -> new Adam(p, 1e-3);
        private FunctionalModel dFun;

        private Builder(Gan gan) { this.gan = gan; }

        /** Real data as rows of {@code data} (N, dims), drawn uniformly with replacement. */
        public Builder realData(Tensor data) {
            this.real = GanTrainer.RealBatches.of("UnrolledGan.realData", data);
            return this;
        }

        /** Real data from a sampler returning (n, dims) batches. */
        public Builder realSampler(Gan.Sampler sampler) {
            if (sampler == null) throw new IllegalArgumentException("UnrolledGan.realSampler: sampler must not be null");
            this.real = GanTrainer.RealBatches.of(sampler);
            return this;
        }

        /** Generated and real rows per discriminator step and per unrolled step, each (> 0, default 50). */
        public Builder batchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("UnrolledGan.batchSize: must be > 0, got " + n);
            this.batch = n;
            return this;
        }

        /** Generated rows per generator step (> 0; the discriminator's batch size by default). */
        public Builder generatorBatchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("UnrolledGan.generatorBatchSize: must be > 0, got " + n);
            this.genBatch = n;
            return this;
        }

        /** Real discriminator steps per generator step (>= 1, default 1 as in Metz et al.). */
        public Builder discriminatorSteps(int k) {
            if (k < 1) throw new IllegalArgumentException("UnrolledGan.discriminatorSteps: must be >= 1, got " + k);
            this.dSteps = k;
            return this;
        }

        /** K, the number of unrolled discriminator updates the generator differentiates through (>= 0, default 5). */
        public Builder unrollSteps(int k) {
            if (k < 0) throw new IllegalArgumentException("UnrolledGan.unrollSteps: must be >= 0, got " + k);
            this.unroll = k;
            return this;
        }

        /** Targets of the discriminator's loss for real and generated rows (default 1 and 0). */
        public Builder labels(double real, double fake) {
            Gan.checkLabel("UnrolledGan.labels", "real label", real);
            Gan.checkLabel("UnrolledGan.labels", "fake label", fake);
            this.realLabel = real;
            this.fakeLabel = fake;
            return this;
        }

        /** The target of the generator's loss (default 1, the non-saturating loss). */
        public Builder generatorTarget(double target) {
            Gan.checkLabel("UnrolledGan.generatorTarget", "target", target);
            this.genTarget = target;
            return this;
        }

        /** The discriminator's update rule, used for its real steps and its unrolled ones (default Adam, lr 1e-3). */
        public Builder discriminatorUpdate(Update u) {
            if (u == null) throw new IllegalArgumentException("UnrolledGan.discriminatorUpdate: update must not be null");
            this.update = u;
            return this;
        }

        /** Makes the generator's optimiser (any; default Adam with lr 1e-3). */
        public Builder generatorOptimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException("UnrolledGan.generatorOptimizer: factory must not be null");
            this.gOpt = factory;
            return this;
        }

        /** The discriminator as a function of its parameters (needed unless it is a Sequential of Linear and parameter-free modules). */
        public Builder functionalDiscriminator(FunctionalModel f) {
            if (f == null) throw new IllegalArgumentException("UnrolledGan.functionalDiscriminator: model must not be null");
            this.dFun = f;
            return this;
        }

        /** The trainer. */
        public UnrolledGan build() {
            if (real == null) throw new IllegalStateException("UnrolledGan.build: no real data; call realData(tensor) or realSampler(sampler)");
            return new UnrolledGan(this);
        }
    }

    /**
     * The functional form of a {@link Sequential} whose layers are {@link Linear} or have no parameters: Linear
     * layers use the given weights and biases (in {@code parameters()} order), the others run as they are.
     * @throws IllegalArgumentException for any other module
     */
    public static FunctionalModel functional(UnaryModule module) {
        if (!(module instanceof Sequential s)) {
            if (module instanceof Linear l) return functional(new Sequential(l));
            throw new IllegalArgumentException("UnrolledGan: cannot evaluate a " + module.getClass().getSimpleName() + " with substituted "
                    + "parameters; pass a Sequential of Linear and parameter-free layers, or a FunctionalModel to functionalDiscriminator");
        }
        List<Tensor> own = s.parameters();
        int[] first = new int[s.size()];
        boolean[] hasBias = new boolean[s.size()];
        List<Tensor> order = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            UnaryModule m = s.get(i);
            first[i] = order.size();
            if (m instanceof Linear l) {
                order.add(l.weight().tensor());
                l.bias().ifPresent(b -> order.add(b.tensor()));
                hasBias[i] = l.bias().isPresent();
            } else if (!m.parameters().isEmpty()) {
                throw new IllegalArgumentException("UnrolledGan: layer " + i + " (" + m.getClass().getSimpleName() + ") has parameters but is "
                        + "not Linear; pass a FunctionalModel to functionalDiscriminator");
            }
        }
        boolean same = order.size() == own.size();
        for (int i = 0; same && i < own.size(); i++) same = order.get(i) == own.get(i);
        if (!same) throw new IllegalArgumentException("UnrolledGan: the Sequential's parameters are tied or out of order; pass a FunctionalModel");
        int n = own.size();
        return (params, x) -> {
            if (params.size() != n) throw new IllegalArgumentException("UnrolledGan.functional: expected " + n + " parameters, got " + params.size());
            Tensor y = x;
            for (int i = 0; i < s.size(); i++) {
                UnaryModule m = s.get(i);
                y = m instanceof Linear ? Functional.linear(y, params.get(first[i]), hasBias[i] ? params.get(first[i] + 1) : null) : m.forward(y);
            }
            return y;
        };
    }

    // ------------------------------------------------------------------ accessors

    /** The GAN being trained. */
    public Gan gan() { return gan; }

    /** K, the number of unrolled steps. */
    public int unrollSteps() { return unroll; }

    /** The discriminator's update rule. */
    public Update discriminatorUpdate() { return update; }

    /** The generator's optimiser. */
    public Optimizer generatorOptimizer() { return gOpt; }

    /** Iterations taken so far. */
    public int iterations() { return iterations; }

    /** Real discriminator updates taken so far (the step count of the update rule). */
    public int discriminatorUpdates() { return state.step(); }

    // ------------------------------------------------------------------ training

    /** Runs {@code iterations} iterations, calling {@code callback} (may be null) after each. */
    public GanTrainer.History train(int iterations, Generator gen, GanTrainer.Callback callback) {
        if (iterations < 0) throw new IllegalArgumentException("UnrolledGan.train: iterations must be >= 0, got " + iterations);
        if (gen == null) throw new IllegalArgumentException("UnrolledGan.train: generator must not be null");
        float[] dl = new float[iterations], gl = new float[iterations];
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            GanTrainer.StepLosses s = step(gen);
            dl[i] = (float) s.discriminator();
            gl[i] = (float) s.generator();
            if (callback != null) callback.onIteration(this.iterations, s.discriminator(), s.generator());
        }
        return new GanTrainer.History(dl, gl, (System.nanoTime() - t0) * 1e-9);
    }

    /** One iteration: the discriminator's plain steps, then one generator step on the unrolled loss. */
    public GanTrainer.StepLosses step(Generator gen) {
        if (gen == null) throw new IllegalArgumentException("UnrolledGan.step: generator must not be null");
        double d = 0;
        for (int s = 0; s < dSteps; s++) d += discriminatorStep(gen);
        double g = generatorStep(gen);
        iterations++;
        return new GanTrainer.StepLosses(d / dSteps, g);
    }

    /** One plain discriminator update on fresh batches with the update rule; returns the loss before it. */
    public double discriminatorStep(Generator gen) {
        String op = "UnrolledGan.discriminatorStep";
        Tensor fake;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            fake = gan.generator().forward(gan.noise(gen, batch, op));
        }
        if (fake.dim() != 2 || fake.shape(0) != batch) throw new IllegalStateException(op + ": the generator must return (" + batch
                + ", dims) samples, got " + Shapes.str(fake.dims()));
        if (dBuffer == null || dBuffer.dtype() != fake.dtype() || dBuffer.shape(1) != fake.shape(1)) {
            real.check(op, fake.dtype(), fake.shape(1));
            dBuffer = NDArray.zeros(fake.dtype(), 2 * batch, fake.shape(1));
        }
        dBuffer.narrow(0, 0, batch).copyFromInPlace(fake.data());
        real.fill(gen, dBuffer, batch, batch, op);
        Tensor loss = Gan.discriminatorLoss(gan.logits(Tensor.of(dBuffer)), batch, labels);
        List<Tensor> g = Autograd.grad(loss, dParams, false);
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Tensor[] theta = dParams.toArray(new Tensor[0]);
            Step next = apply(update, theta, g.toArray(new Tensor[0]), state, false);
            for (int i = 0; i < theta.length; i++) theta[i].copyInPlace(next.params[i]);
            state = next.state;
        }
        return loss.item();
    }

    /** One generator update on the unrolled loss with fresh noise and a fresh real batch; returns that loss. */
    public double generatorStep(Generator gen) {
        String op = "UnrolledGan.generatorStep";
        Tensor z = gan.noise(gen, genBatch, op);
        Tensor xr = realBatch(gen, z, op);
        Tensor loss = unrolledGeneratorLoss(z, xr, true);
        List<Tensor> g = Autograd.grad(loss, gParams, false);
        gOpt.zeroGrad();
        for (int i = 0; i < gParams.size(); i++) gParams.get(i).setGrad(g.get(i).detach());
        gOpt.step();
        return loss.item();
    }

    private Tensor realBatch(Generator gen, Tensor z, String op) {
        Tensor probe;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            probe = dBuffer != null ? Tensor.of(dBuffer) : gan.generator().forward(z.narrow(0, 0, 1));
        }
        return real.batch(gen, probe.dtype(), probe.shape(1), batch, op);
    }

    /**
     * The gradient of the unrolled generator loss with respect to the generator's parameters (in
     * {@code gan.generator().parameters()} order) for noise z and real rows {@code real}, without changing anything.
     */
    public List<Tensor> generatorGradient(Tensor z, Tensor real) {
        return Autograd.grad(unrolledGeneratorLoss(z, real, true), gParams, false);
    }

    /**
     * f_K(θ_G, θ_D): the generator's loss on G(z) against the discriminator after K unrolled updates on the batch
     * [G(z); real], starting from the current parameters and optimiser state. With {@code createGraph} the
     * unrolled updates are recorded, so the result can be differentiated through them with respect to the
     * generator's parameters (eq. 7 of Metz et al.); without, only the value is meaningful.
     * @param z    (n, latent) noise
     * @param real (m, dims) real rows
     */
    public Tensor unrolledGeneratorLoss(Tensor z, Tensor real, boolean createGraph) {
        String op = "UnrolledGan.unrolledGeneratorLoss";
        if (z == null || real == null) throw new IllegalArgumentException(op + ": noise and real rows must not be null");
        Tensor fake = gan.generator().forward(z);
        if (fake.dim() != 2 || real.dim() != 2 || fake.shape(1) != real.shape(1) || fake.dtype() != real.dtype())
            throw new IllegalArgumentException(op + ": generated " + fake.dtype() + " " + Shapes.str(fake.dims()) + " and real "
                    + real.dtype() + " " + Shapes.str(real.dims()) + " rows do not match");
        int nf = fake.shape(0);
        Tensor[] theta = dParams.toArray(new Tensor[0]);
        State st = state;
        if (unroll > 0) {
            Tensor x = Tensor.cat(List.of(fake, real.detach()), 0);
            List<Tensor> outs = List.of();
            for (int j = 0; j < unroll; j++) {
                Tensor logits = Gan.flatLogits(op, dFun.forward(Arrays.asList(theta), x), x.shape(0));
                Tensor ld = Gan.discriminatorLoss(logits, nf, labels);
                List<Tensor> g = Autograd.grad(List.of(ld), Arrays.asList(theta), null, createGraph, true);
                Step next = apply(update, theta, g.toArray(new Tensor[0]), st, createGraph);
                theta = next.params;
                st = next.state;
            }
        }
        Tensor logits = Gan.flatLogits(op, dFun.forward(Arrays.asList(theta), fake), nf);
        return Gan.generatorLoss(logits, labels);
    }

    // ------------------------------------------------------------------ the update rule in Tensor operations

    record Step(Tensor[] params, State state) {}

    static State initialState(List<Tensor> params) {
        Tensor[] m = new Tensor[params.size()], v = new Tensor[params.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = Tensor.zerosLike(params.get(i));
            v[i] = Tensor.zerosLike(params.get(i));
        }
        return new State(m, v, 0);
    }

    /**
     * One update of every parameter. With {@code differentiable} the square root of Adam's second moment is
     * guarded where it is 0 (there m = 0 too, so the update is 0; an unguarded √ would send ∞·0 = NaN back).
     */
    static Step apply(Update u, Tensor[] theta, Tensor[] g, State s, boolean differentiable) {
        Tensor[] out = new Tensor[theta.length];
        return switch (u) {
            case Update.Sgd(double lr) -> {
                for (int i = 0; i < theta.length; i++) out[i] = theta[i].sub(g[i].mul(lr));
                yield new Step(out, new State(s.m(), s.v(), s.step() + 1));
            }
            case Update.Adam(double lr, double b1, double b2, double eps) -> {
                int t = s.step() + 1;
                double bc1 = 1 - Math.pow(b1, t), bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
                Tensor[] m = new Tensor[theta.length], v = new Tensor[theta.length];
                for (int i = 0; i < theta.length; i++) {
                    m[i] = s.m()[i].mul(b1).add(g[i].mul(1 - b1));
                    v[i] = s.v()[i].mul(b2).add(g[i].mul(g[i]).mul(1 - b2));
                    Tensor root;
                    if (differentiable) {
                        NDArray pos = v[i].data().gt(0);
                        root = Tensor.where(pos, Tensor.where(pos, v[i], Tensor.scalar(v[i].dtype(), 1)).sqrt(), Tensor.scalar(v[i].dtype(), 0));
                    } else {
                        root = v[i].sqrt();
                    }
                    Tensor denom = root.div(bc2Sqrt).add(eps);
                    out[i] = theta[i].sub(m[i].div(denom).mul(lr / bc1));
                }
                yield new Step(out, new State(m, v, t));
            }
        };
    }

    @Override
    public String toString() {
        return "UnrolledGan(unrollSteps=" + unroll + ", update=" + update + ", batch=" + batch + ", discriminatorSteps=" + dSteps
                + ", iterations=" + iterations + ")";
    }
}
