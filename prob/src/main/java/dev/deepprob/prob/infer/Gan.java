package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.UnaryModule;

import java.util.List;

/**
 * A generative adversarial network (Goodfellow et al. 2014): a generator G mapping noise z to samples, a
 * discriminator D mapping samples to one logit each (the log-odds that a sample is real), and the noise source.
 * It holds the networks and the two losses; {@link AdversarialTrainer} (the alternating loop, plain or unrolled as
 * in Metz et al. 2017) trains them. The losses are binary cross-entropy on logits: the discriminator's is
 * BCE(D(fake), fakeLabel) + BCE(D(real), realLabel), each averaged over its half of the batch; the generator's is
 * the non-saturating BCE(D(G(z)), targetLabel) with targetLabel 1 (Goodfellow et al. 2014, section 3).
 */
public final class Gan {
    /** Draws a batch of noise: a (n, latent) tensor. */
    @FunctionalInterface
    public interface Noise {
        /** @return (n, latent) noise, not requiring grad */
        Tensor sample(Generator gen, int n);
    }

    /** Draws a batch of real data: a (n, dims) tensor. */
    @FunctionalInterface
    public interface Sampler {
        /** @return (n, dims) samples, not requiring grad */
        Tensor sample(Generator gen, int n);
    }

    private final UnaryModule generator;
    private final UnaryModule discriminator;
    private final Noise noise;

    /**
     * @param generator     maps (n, latent) noise to (n, dims) samples
     * @param discriminator maps (n, dims) samples to (n, 1) or (n) logits
     * @param noise         the noise source (see {@link #gaussianNoise})
     */
    public Gan(UnaryModule generator, UnaryModule discriminator, Noise noise) {
        if (generator == null) throw new IllegalArgumentException("Gan: generator must not be null");
        if (discriminator == null) throw new IllegalArgumentException("Gan: discriminator must not be null");
        if (noise == null) throw new IllegalArgumentException("Gan: noise must not be null");
        if (generator == discriminator) throw new IllegalArgumentException("Gan: generator and discriminator must be different modules");
        if (generator.parameters().isEmpty()) throw new IllegalArgumentException("Gan: the generator has no parameters to train");
        if (discriminator.parameters().isEmpty()) throw new IllegalArgumentException("Gan: the discriminator has no parameters to train");
        this.generator = generator;
        this.discriminator = discriminator;
        this.noise = noise;
    }

    /** Standard normal noise N(0, I) of the given size (PyTorch's torch.randn(n, latent)). */
    public static Noise gaussianNoise(int latent, DType dtype) {
        if (latent <= 0) throw new IllegalArgumentException("Gan.gaussianNoise: latent size must be > 0, got " + latent);
        if (dtype == null || !dtype.isFloating()) throw new IllegalArgumentException("Gan.gaussianNoise: dtype must be F32 or F64, got " + dtype);
        return (gen, n) -> Tensor.randn(gen, dtype, n, latent);
    }

    /** Standard normal noise in the default floating dtype ({@link DType#defaultFloat()}, read now). */
    public static Noise gaussianNoise(int latent) { return gaussianNoise(latent, DType.defaultFloat()); }

    /**
     * Draws rows of {@code data} uniformly with replacement (as {@code data[randint(0, N, n)]}).
     * @param data (N, dims) with N >= 1
     */
    public static Sampler withReplacement(Tensor data) {
        checkData("Gan.withReplacement", data);
        NDArray d = data.data().contiguous();
        int rows = d.shape(0);
        return (gen, n) -> Tensor.of(d.indexSelect(0, NDArray.randint(gen, 0, rows, n)));
    }

    static void checkData(String op, Tensor data) {
        if (data == null) throw new IllegalArgumentException(op + ": data must not be null");
        if (data.dim() != 2 || data.shape(0) < 1) throw new IllegalArgumentException(op + ": data must be (N, dims) with N >= 1, got shape "
                + Shapes.str(data.dims()));
        if (!data.dtype().isFloating()) throw new IllegalArgumentException(op + ": data must be F32 or F64, got " + data.dtype());
    }

    /** The generator G. */
    public UnaryModule generator() { return generator; }

    /** The discriminator D (it outputs logits). */
    public UnaryModule discriminator() { return discriminator; }

    /** The noise source. */
    public Noise noise() { return noise; }

    /** n samples G(z) with fresh noise, computed without recording gradients. */
    public Tensor sample(Generator gen, int n) {
        if (n <= 0) throw new IllegalArgumentException("Gan.sample: n must be > 0, got " + n);
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return generator.forward(noise(gen, n, "Gan.sample"));
        }
    }

    /** The discriminator's logits for x as a (n) vector. */
    public Tensor logits(Tensor x) {
        Tensor l = discriminator.forward(x);
        return flatLogits("Gan.logits", l, x.shape(0));
    }

    /** The discriminator's probability that each row of x is real: σ(logit), a (n) vector, without gradients. */
    public Tensor probabilityReal(Tensor x) {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            return logits(x).sigmoid();
        }
    }

    Tensor noise(Generator gen, int n, String op) {
        Tensor z = noise.sample(gen, n);
        if (z == null || z.dim() != 2 || z.shape(0) != n) throw new IllegalStateException(op + ": the noise source must return (" + n
                + ", latent) noise, got " + (z == null ? "null" : Shapes.str(z.dims())));
        return z;
    }

    static Tensor flatLogits(String op, Tensor l, int n) {
        if (l.numel() != n || (l.dim() == 2 && l.shape(1) != 1) || l.dim() > 2 || l.dim() == 0) throw new IllegalStateException(op
                + ": the discriminator must return (n, 1) or (n) logits for n = " + n + " rows, got " + Shapes.str(l.dims()));
        return l.dim() == 1 ? l : l.reshape(n);
    }

    // ------------------------------------------------------------------ losses

    /**
     * The discriminator's loss BCE(fakeLogits, fakeLabel) + BCE(realLogits, realLabel), each a mean over its rows.
     * @param fakeLogits (nf) logits of generated samples
     * @param realLogits (nr) logits of real samples
     */
    public static Tensor discriminatorLoss(Tensor fakeLogits, Tensor realLogits, double fakeLabel, double realLabel) {
        return Losses.bceWithLogits(fakeLogits, label(fakeLogits, fakeLabel)).add(Losses.bceWithLogits(realLogits, label(realLogits, realLabel)));
    }

    /**
     * The discriminator's loss on one forward pass over [fake; real] stacked by rows: the first {@code nFake}
     * logits are the generated samples'. Equal to {@link #discriminatorLoss} on the two halves.
     */
    static Tensor discriminatorLoss(Tensor logits, int nFake, double fakeLabel, double realLabel) {
        int n = logits.shape(0);
        return discriminatorLoss(logits.narrow(0, 0, nFake), logits.narrow(0, nFake, n - nFake), fakeLabel, realLabel);
    }

    /** As above with the target vectors given (the trainers keep them, so a step allocates none). */
    static Tensor discriminatorLoss(Tensor logits, int nFake, Labels l) {
        int n = logits.shape(0);
        Tensor fake = logits.narrow(0, 0, nFake), real = logits.narrow(0, nFake, n - nFake);
        return Losses.bceWithLogits(fake, l.targets(fake, l.fake, 0)).add(Losses.bceWithLogits(real, l.targets(real, l.real, 1)));
    }

    /** The generator's loss with the kept target vector. */
    static Tensor generatorLoss(Tensor fakeLogits, Labels l) { return Losses.bceWithLogits(fakeLogits, l.targets(fakeLogits, l.generator, 2)); }

    /** The three labels and their target vectors, made once per size and dtype. */
    static final class Labels {
        final double real, fake, generator;
        private final Tensor[] kept = new Tensor[3];

        Labels(double real, double fake, double generator) {
            this.real = real;
            this.fake = fake;
            this.generator = generator;
        }

        Tensor targets(Tensor like, double v, int slot) {
            Tensor t = kept[slot];
            if (t == null || t.dtype() != like.dtype() || !java.util.Arrays.equals(t.dims(), like.dims())) {
                t = label(like, v);
                kept[slot] = t;
            }
            return t;
        }
    }

    /** The generator's non-saturating loss BCE(fakeLogits, targetLabel), a mean over the rows (targetLabel 1 in the tutorial). */
    public static Tensor generatorLoss(Tensor fakeLogits, double targetLabel) {
        return Losses.bceWithLogits(fakeLogits, label(fakeLogits, targetLabel));
    }

    private static Tensor label(Tensor like, double v) { return Tensor.full(like.dtype(), v, like.dims()); }

    static void checkLabel(String op, String what, double v) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(op + ": " + what + " must be in [0, 1], got " + v);
    }

    /** Turns recording of the given parameters' gradients off or on (to skip D's weight gradients in a G step). */
    static void setRequiresGrad(List<Tensor> params, boolean on) {
        for (Tensor p : params) p.requiresGrad(on);
    }
}
