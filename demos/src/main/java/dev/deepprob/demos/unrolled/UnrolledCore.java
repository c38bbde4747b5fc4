package dev.deepprob.demos.unrolled;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.UnaryModule;
import dev.deepprob.nn.Tanh;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.infer.Gan;
import dev.deepprob.prob.infer.ModeCoverage;
import dev.deepprob.prob.infer.AdversarialTrainer;
import dev.deepprob.nn.optim.UpdateRule;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntConsumer;

/** The training of one GAN on one benchmark, shared by the demo and its test: data, networks, the trainer, the score. */
final class UnrolledCore {
    private UnrolledCore() {}

    /** A mixture of isotropic Gaussians with equal weights, and the limits of its plots. */
    record Benchmark(String name, String title, double[][] centres, double std, double plotLimit) {
        ModeCoverage coverage() { return ModeCoverage.of(centres, std); }

        /** n samples of the mixture, (n, 2). */
        Tensor sample(Generator g, int n) {
            long[] k = new long[n];
            g.integers(k, 0, n, 0, centres.length);
            float[] xy = new float[2 * n];
            g.normal(xy, 0, 2 * n, 0f, (float) std);
            for (int i = 0; i < n; i++) {
                xy[2 * i] += (float) centres[(int) k[i]][0];
                xy[2 * i + 1] += (float) centres[(int) k[i]][1];
            }
            return Tensor.of(xy, n, 2);
        }
    }

    /** The settings of one run. */
    record Config(int latent, int[] gHidden, int[] dHidden, boolean tanh, int batch, int unroll, int iterations, double dLr, double gLr,
                  double beta1, double tail, double scale, boolean freshTail) {
        String networks() {
            return "G " + latent + "-" + join(gHidden) + "-2, D 2-" + join(dHidden) + "-1, " + (tanh ? "tanh" : "ReLU")
                    + (scale != 1 ? ", data scaled by 1/" + scale + " inside the networks" : "");
        }

        Config withUnroll(int k) { return new Config(latent, gHidden, dHidden, tanh, batch, k, iterations, dLr, gLr, beta1, tail, scale, freshTail); }

        Config withIterations(int n) { return new Config(latent, gHidden, dHidden, tanh, batch, unroll, n, dLr, gLr, beta1, tail, scale, freshTail); }

        /** The data divided by {@code s} inside the networks; the decay with fresh optimiser states or in place. */
        Config withScale(double s, boolean fresh) { return new Config(latent, gHidden, dHidden, tanh, batch, unroll, iterations, dLr, gLr, beta1, tail, s, fresh); }

        /** {@code t} of the iterations at a tenth of the learning rates. */
        Config withTail(double t) { return new Config(latent, gHidden, dHidden, tanh, batch, unroll, iterations, dLr, gLr, beta1, t, scale, freshTail); }

        /** Iterations at the full learning rates; the rest ({@code tail} of them) run at a tenth. */
        int firstPhase() { return (int) Math.round(iterations * (1 - tail)); }
    }

    /** The samples and score of a finished run, its wall and CPU time. */
    record Result(String benchmark, int seed, int unroll, int iterations, ModeCoverage.Score score, double[] samples, double seconds,
                  double cpuSeconds) {}

    static String join(int[] sizes) {
        StringBuilder b = new StringBuilder();
        for (int v : sizes) b.append(b.length() == 0 ? "" : "-").append(v);
        return b.toString();
    }

    static int[] sizes(int first, int[] hidden, int last) {
        int[] s = new int[hidden.length + 2];
        s[0] = first;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[hidden.length + 1] = last;
        return s;
    }

    /** Generator latent-hidden-2 and discriminator 2-hidden-1, both with the configured activation. */
    static Gan networks(Generator init, Config c) {
        Mlp.Builder g = Mlp.of(init, sizes(c.latent(), c.gHidden(), 2)), d = Mlp.of(init, sizes(2, c.dHidden(), 1));
        if (c.tanh()) {
            g.activation(Tanh::new);
            d.activation(Tanh::new);
        }
        if (c.scale() == 1) return new Gan(g.build(), d.build(), Gan.gaussianNoise(c.latent()));
        // the networks work on the data divided by scale: G's output is multiplied by it, D's input divided by it
        return new Gan(new Sequential(g.build(), new Scale(c.scale())), new Sequential(new Scale(1 / c.scale()), d.build()),
                Gan.gaussianNoise(c.latent()));
    }

    /** x times a constant; no parameters. */
    static final class Scale extends UnaryModule {
        private final double factor;

        Scale(double factor) { this.factor = factor; }

        @Override
        public Tensor forward(Tensor x) { return x.mul(factor); }
    }

    /**
     * The one place that uses the trainer (so that it is easy to port to another): K unrolled discriminator Adam
     * steps, one real discriminator step and one generator step per iteration, the non-saturating generator loss; the
     * first {@code 1 - tail} of the iterations at the configured learning rates, the rest at a tenth of them (with
     * {@code freshTail}, fresh optimiser states; otherwise both optimisers' rates are lowered in place, keeping their
     * moments). Returns the trainer of the last phase.
     */
    static AdversarialTrainer train(Gan gan, Benchmark b, Config c, Generator g, IntConsumer progress) {
        int first = c.firstPhase();
        if (!c.freshTail()) {
            AdversarialTrainer t = AdversarialTrainer.builder(gan).realSampler(b::sample).batchSize(c.batch()).unrollSteps(c.unroll()).discriminatorSteps(1)
                    .discriminatorUpdate(UpdateRule.adam(c.dLr(), c.beta1(), 0.999, 1e-8))
                    .generatorOptimizer(p -> Adam.builder().lr(c.gLr()).betas(c.beta1(), 0.999).build(p)).build();
            t.train(first, g, (i, d, l) -> progress.accept(i));
            t.discriminatorOptimizer().setLr(0.1 * c.dLr());   // the unrolled updates read the rate from the optimiser
            t.generatorOptimizer().setLr(0.1 * c.gLr());
            t.train(c.iterations() - first, g, (i, d, l) -> progress.accept(i));
            return t;
        }
        AdversarialTrainer t = null;
        for (double scale : new double[]{1, 0.1}) {
            int n = scale == 1 ? first : c.iterations() - first, offset = scale == 1 ? 0 : first;
            if (n == 0) continue;
            t = AdversarialTrainer.builder(gan).realSampler(b::sample).batchSize(c.batch()).unrollSteps(c.unroll()).discriminatorSteps(1)
                    .discriminatorUpdate(UpdateRule.adam(scale * c.dLr(), c.beta1(), 0.999, 1e-8))
                    .generatorOptimizer(p -> Adam.builder().lr(scale * c.gLr()).betas(c.beta1(), 0.999).build(p)).build();
            t.train(n, g, (i, d, l) -> progress.accept(offset + i));
        }
        return t;
    }

    /**
     * Trains one GAN from the initial weights of {@code seed} (the same for every K) and scores {@code evalSamples}
     * samples. {@code seed} names the run: its weights, batches and evaluation noise derive from it and {@code base}.
     */
    static Result run(Benchmark b, Config c, long base, int seed, int evalSamples, IntConsumer progress) {
        long s = base * 1_000_003L + 7919L * seed + b.name().hashCode();
        Generator init = new Generator(s), train = new Generator(s + 1), eval = new Generator(s + 2);
        Gan gan = networks(init, c);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        train(gan, b, c, train, progress);
        double wall = (System.nanoTime() - t0) * 1e-9, cpu = (mx.getCurrentThreadCpuTime() - cpu0) * 1e-9;
        double[] xy = gan.sample(eval, evalSamples).toDoubleArray();
        return new Result(b.name(), seed, c.unroll(), c.iterations(), b.coverage().score(xy), xy, wall, cpu);
    }
}
