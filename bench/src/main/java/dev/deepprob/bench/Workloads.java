package dev.deepprob.bench;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Threads;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Module;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.KL;
import dev.deepprob.prob.MultivariateNormal;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The tutorial's training workloads (NOTEBOOKS.md sections 4 to 9 and an MNIST-sized VAE) written with deepprob's public
 * API as a user would write them, timed over a fixed number of training steps after a warm-up (as many steps again, and at
 * least 4 seconds, so that the JIT has compiled the hot paths).
 * bench/python/torch_workloads.py is the same code in PyTorch and bench/compare_workloads.sh runs both side by side.
 *
 * <p>Each measured workload prints {@code name<TAB>steps<TAB>seconds<TAB>steps/s}; lines starting with {@code #} say
 * what ran (threads, vector species, JVM). The line before each,
 * {@code # cpu<TAB>name<TAB>steps<TAB>cpu-seconds<TAB>steps per cpu-second}, counts the process's CPU time instead.
 * With {@code --cold} there is no warm-up and each line is
 * {@code name<TAB>ms to the first step's loss<TAB>steps in the first second<TAB>steps/s over it}, counted from the
 * JVM's start or from {@code --since EPOCH_MS} (the launcher's clock), for the start-up figures in docs/PERFORMANCE.md.
 * Usage:
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.deepprob.bench.Workloads [--threads N] [--steps N]
 *      [--warmup N] [--cold [--since EPOCH_MS]] [--list] [NAME...]</pre>
 */
public final class Workloads {
    private Workloads() {}

    /** One training step of a workload, built with its data, model and optimiser. */
    @FunctionalInterface
    interface Step {
        /** Runs one training step and returns its loss. */
        double run();
    }

    /** A named workload: its default step count (about one second at one thread) and how to build it. */
    record Spec(String name, int defaultSteps, String what, Function<Generator, Step> build) {}

    /** The workloads, in the order of the tutorial. */
    static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        add(new Spec("nb4_elbo_logreg", 4000, "2000x3 data, full-covariance q over 3 weights, 1 rsample, BCE + KL, Adam(0.05)",
                g -> elbo(g, false)));
        add(new Spec("nb5_bnn", 2000, "3-5-1 tanh BNN, q over 20 weights (210 numbers), 1 rsample, BCE + KL, Adam(0.05)",
                g -> elbo(g, true)));
        add(new Spec("nb6_vae_toy", 4000, "VAE 4-200-(2,2) / 2-200-4, batch 5, Adam(1e-3)", Workloads::vaeToy));
        add(new Spec("nb7_discriminator", 8000, "2-30-20-10-1 ReLU, batch 50, BCE with logits, Adam(1e-3)", Workloads::discriminator));
        add(new Spec("nb8_gan", 400, "GAN 2-100-100, 5 discriminator steps (50+50) + 1 generator step", g -> gan(g, false)));
        add(new Spec("nb9_gan_ring", 60, "GAN 2-300-300-150, 5 discriminator steps (50+50) + 1 generator step", g -> gan(g, true)));
        add(new Spec("vae_mnist_b128", 80, "VAE 784-400-(20,20) / 20-400-784, batch 128, random binary data", Workloads::vaeMnist));
    }

    private static void add(Spec s) { SPECS.put(s.name(), s); }

    // ------------------------------------------------------------------ nb4 / nb5: ELBO with a full-covariance Gaussian q

    static final int N_CLASSIFY = 2000, D = 3, HIDDEN = 5;

    /**
     * 2000 rows [1, x1, x2] of two Gaussian classes (centres ±(1.5, 1.5), unit variance) and their labels: the shape of
     * the tutorial's make_classification data (its values do not change the cost of a step).
     */
    static Tensor[] classification(Generator g) {
        NDArray yv = NDArray.bernoulli(g, 0.5, N_CLASSIFY, 1).to(DType.F32);
        Tensor y = Tensor.of(yv);
        Tensor feats = Tensor.randn(g, N_CLASSIFY, 2).add(y.mul(3).sub(1.5));
        Tensor x = Tensor.cat(List.of(Tensor.ones(N_CLASSIFY, 1), feats), 1);
        return new Tensor[]{x, y};
    }

    /** The (d, d) lower-triangular factor from d(d+1)/2 numbers filled row by row, sigmoid on the diagonal (the tutorial's). */
    static Function<Tensor, Tensor> trilFromVector(int d) {
        int m = d * (d + 1) / 2;
        long[] idx = new long[d * d];
        int k = 0;
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) idx[i * d + j] = j <= i ? k++ : m;
        NDArray index = NDArray.of(idx, d * d);
        return v -> {
            Tensor full = Tensor.cat(List.of(v, Tensor.zeros(1)), 0).gather(0, index).reshape(d, d);
            return full.tril(-1).add(full.diagonal().sigmoid().diagEmbed());
        };
    }

    /**
     * nb4 (bnn false): logits X·w with w ~ q over 3 weights, q's factor from 6 numbers. nb5 (bnn true): logits
     * tanh(X·W1)·W2, W1 = w[0:15] as (3, 5), W2 = w[15:20] as (5, 1), q over 20 weights from 210 numbers. Loss: mean
     * BCE with logits + KL(q || N(0, I)) / (N·D), Adam(0.05) on q's mean and free numbers.
     */
    static Step elbo(Generator g, boolean bnn) {
        Tensor[] xy = classification(g);
        Tensor x = xy[0], y = bnn ? xy[1] : xy[1].reshape(N_CLASSIFY);
        int w = bnn ? D * HIDDEN + HIDDEN : D;
        Tensor mean = Tensor.ones(w).requiresGrad(true);
        Tensor free = bnn ? Tensor.ones(w * (w + 1) / 2).requiresGrad(true)
                : Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 6).requiresGrad(true);
        Function<Tensor, Tensor> tril = trilFromVector(w);
        MultivariateNormal prior = new MultivariateNormal(Tensor.zeros(w), null, null, Tensor.eye(w), false);
        Adam opt = new Adam(List.of(mean, free), 0.05);
        double scale = 1.0 / (N_CLASSIFY * D);
        return () -> {
            MultivariateNormal q = new MultivariateNormal(mean, null, null, tril.apply(free), false);
            Tensor ws = q.rsample(g);
            Tensor logits = bnn
                    ? x.matmul(ws.narrow(0, 0, D * HIDDEN).reshape(D, HIDDEN)).tanh().matmul(ws.narrow(0, D * HIDDEN, HIDDEN).reshape(HIDDEN, 1))
                    : x.matmul(ws);
            Tensor loss = Losses.bceWithLogits(logits, y).add(KL.divergence(q, prior).mul(scale));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            return loss.item();
        };
    }

    // ------------------------------------------------------------------ nb6 and the MNIST-sized VAE

    /** The tutorial's VAE: fc1 (in → hidden), heads fc21 / fc22 (hidden → latent), fc3 (latent → hidden), fc4 (hidden → in). */
    static final class Vae extends Module {
        final Linear fc1, fc21, fc22, fc3, fc4;

        Vae(Generator g, int in, int hidden, int latent) {
            fc1 = registerModule("fc1", new Linear(in, hidden, g));
            fc21 = registerModule("fc21", new Linear(hidden, latent, g));
            fc22 = registerModule("fc22", new Linear(hidden, latent, g));
            fc3 = registerModule("fc3", new Linear(latent, hidden, g));
            fc4 = registerModule("fc4", new Linear(hidden, in, g));
        }

        /** Mean BCE of the reconstruction's logits + KLD / (batch·in), KLD = -½ Σ (1 + log σ² - μ² - σ²); z by reparameterisation. */
        Tensor loss(Tensor x, Generator g) {
            Tensor h = fc1.forward(x).relu();
            Tensor mu = fc21.forward(h), logvar = fc22.forward(h);
            Tensor z = mu.add(logvar.mul(0.5).exp().mul(Tensor.randn(g, mu.dtype(), mu.backend(), mu.dims())));
            Tensor logits = fc4.forward(fc3.forward(z).relu());
            Tensor kld = logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5);
            return Losses.bceWithLogits(logits, x).add(kld.div(x.numel()));
        }
    }

    /** A VAE step on a batch drawn with replacement from data (rows, in), Adam(1e-3). */
    static Step vaeStep(Generator g, NDArray data, int hidden, int latent, int batch) {
        Vae vae = new Vae(g, data.shape(1), hidden, latent);
        Adam opt = new Adam(vae.parameters(), 1e-3);
        return () -> {
            Tensor x = Tensor.of(data.indexSelect(0, NDArray.randint(g, 0, data.shape(0), batch)));
            Tensor loss = vae.loss(x, g);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            return loss.item();
        };
    }

    /** nb6: 2000 one-hot vectors of length 4 (500 per class), VAE 4-200-2, batch 5. */
    static Step vaeToy(Generator g) {
        float[] v = new float[2000 * 4];
        for (int i = 0; i < 2000; i++) v[i * 4 + i / 500] = 1;
        return vaeStep(g, NDArray.of(v, 2000, 4), 200, 2, 5);
    }

    /** vae_mnist_b128: 1024 random binary rows of 784 pixels, VAE 784-400-20, batch 128. */
    static Step vaeMnist(Generator g) {
        return vaeStep(g, NDArray.bernoulli(g, 0.5, 1024, 784).to(DType.F32), 400, 20, 128);
    }

    // ------------------------------------------------------------------ nb7: discriminator

    /** 3000 points uniform on [-3, 8]² (label 0) and 3000 of N((3, 3), I) (label 1); 2-30-20-10-1 ReLU, batch 50. */
    static Step discriminator(Generator g) {
        Tensor pts = Tensor.cat(List.of(Tensor.uniform(g, -3, 8, 3000, 2), Tensor.randn(g, 3000, 2).add(3)), 0);
        Tensor labels = Tensor.cat(List.of(Tensor.zeros(3000, 1), Tensor.ones(3000, 1)), 0);
        NDArray xs = pts.data(), ys = labels.data();
        Sequential d = Mlp.of(g, 2, 30, 20, 10, 1).build();
        Adam opt = new Adam(d.parameters(), 1e-3);
        return () -> {
            NDArray idx = NDArray.randint(g, 0, 6000, 50);
            Tensor x = Tensor.of(xs.indexSelect(0, idx)), y = Tensor.of(ys.indexSelect(0, idx));
            Tensor loss = Losses.bceWithLogits(d.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            return loss.item();
        };
    }

    // ------------------------------------------------------------------ nb8 / nb9: GAN

    /**
     * One outer iteration of the tutorial's GAN: 5 discriminator steps on 50 generated rows (no graph) and 50 real ones
     * (labels 0 and 1), then one generator step on 50 generated rows labelled 1 with the discriminator's parameters frozen;
     * BCE with logits, Adam(1e-3) each. nb8: N((5, 5), [[1, .8], [.8, 1]]) data, 2-100-100 networks; nb9: 8 clusters on
     * a ring, 2-300-300-150 networks.
     */
    static Step gan(Generator g, boolean ring) {
        Tensor real;
        if (ring) {
            float[] c = {0, 8, 0, -8, -8, 0, 8, 0, 4, 4, -4, -4, -4, 4, 4, -4};
            Tensor centres = Tensor.of(c, 8, 2).indexSelect(0, NDArray.randint(g, 0, 8, 1600));
            real = Tensor.randn(g, 1600, 2).mul(0.5).add(centres);
        } else {
            Tensor lT = Tensor.of(new float[]{1, 0.8f, 0, 0.6f}, 2, 2);
            real = Tensor.randn(g, 2000, 2).matmul(lT).add(5);
        }
        NDArray realData = real.data();
        int[] gs = ring ? new int[]{2, 300, 300, 150, 2} : new int[]{2, 100, 100, 2};
        int[] ds = ring ? new int[]{2, 300, 300, 150, 1} : new int[]{2, 100, 100, 1};
        Sequential gen = Mlp.of(g, gs).build(), disc = Mlp.of(g, ds).build();
        List<Tensor> dParams = disc.parameters();
        Adam gOpt = new Adam(gen.parameters(), 1e-3), dOpt = new Adam(dParams, 1e-3);
        Tensor dLabels = Tensor.cat(List.of(Tensor.zeros(50, 1), Tensor.ones(50, 1)), 0), gLabels = Tensor.ones(50, 1);
        return () -> {
            for (int k = 0; k < 5; k++) {
                Tensor fake;
                try (Autograd.Scope _ = Autograd.noGrad()) {
                    fake = gen.forward(Tensor.randn(g, 50, 2));
                }
                Tensor realBatch = Tensor.of(realData.indexSelect(0, NDArray.randint(g, 0, realData.shape(0), 50)));
                Tensor loss = Losses.bceWithLogits(disc.forward(Tensor.cat(List.of(fake, realBatch), 0)), dLabels);
                dOpt.zeroGrad();
                loss.backward();
                dOpt.step();
            }
            for (Tensor p : dParams) p.requiresGrad(false);
            Tensor loss = Losses.bceWithLogits(disc.forward(gen.forward(Tensor.randn(g, 50, 2))), gLabels);
            gOpt.zeroGrad();
            loss.backward();
            gOpt.step();
            for (Tensor p : dParams) p.requiresGrad(true);
            return loss.item();
        };
    }

    // ------------------------------------------------------------------ driver

    /** The vector species' widths and the JVM, for the comparison's header. */
    static String machine() {
        return String.format(Locale.ROOT, "# deepprob threads=%d species=FloatVector %d bits (%d lanes), DoubleVector %d bits; java %s %s",
                Threads.get(), FloatVector.SPECIES_PREFERRED.vectorBitSize(), FloatVector.SPECIES_PREFERRED.length(),
                DoubleVector.SPECIES_PREFERRED.vectorBitSize(), System.getProperty("java.vm.version"), System.getProperty("java.vm.name"));
    }

    /** Parses the options (see the class comment) and runs the workloads named, all by default. */
    public static void main(String[] args) {
        int threads = 1, steps = -1, warmup = -1;
        boolean cold = false;
        long since = ManagementFactory.getRuntimeMXBean().getStartTime();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = intArg(args, ++i, "--threads", 1);
                case "--steps" -> steps = intArg(args, ++i, "--steps", 1);
                case "--warmup" -> warmup = intArg(args, ++i, "--warmup", 0);
                case "--cold" -> cold = true;
                case "--since" -> {
                    if (++i >= args.length) usage("--since needs the launch time in epoch milliseconds");
                    try {
                        since = Long.parseLong(args[i]);
                    } catch (NumberFormatException e) {
                        usage("--since needs the launch time in epoch milliseconds, got '" + args[i] + "'");
                    }
                }
                case "--list" -> {
                    SPECS.values().forEach(s -> System.out.println(s.name() + "\t" + s.defaultSteps() + "\t" + s.what()));
                    return;
                }
                case "-h", "--help" -> {
                    System.out.println("Workloads [--threads N] [--steps N] [--warmup N] [--cold [--since EPOCH_MS]] [--list] [NAME...]; "
                            + "names: " + String.join(" ", SPECS.keySet()));
                    return;
                }
                default -> {
                    for (String n : args[i].split(",")) {
                        if (n.isEmpty()) continue;
                        if (!SPECS.containsKey(n)) usage("unknown workload '" + n + "'; expected one of " + String.join(", ", SPECS.keySet()));
                        names.add(n);
                    }
                }
            }
        }
        if (names.isEmpty()) names.addAll(SPECS.keySet());
        Threads.set(threads);
        System.out.println(machine());
        for (String n : names) {
            Spec s = SPECS.get(n);
            if (cold) {
                runCold(s, since);
            } else {
                int m = steps > 0 ? steps : s.defaultSteps();
                run(s, warmup >= 0 ? warmup : m, m);
            }
        }
    }

    /** The least time the warm-up runs (seconds), whatever its step count; {@code -Ddeepprob.bench.warmupSeconds}. */
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("deepprob.bench.warmupSeconds", "4"));

    static void run(Spec s, int warmup, int steps) {
        Step step = s.build().apply(new Generator(0));
        double sink = 0;
        // the warm-up runs its steps and at least WARMUP_SECONDS, so that C2 has compiled the hot kernels (vector code
        // runs in its slow Java fallback until then); on a loaded machine the compiler thread gets its CPU late
        long until = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) sink += step.run();
        long c0 = processCpuNanos(), t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) sink += step.run();
        double sec = (System.nanoTime() - t0) * 1e-9, cpu = (processCpuNanos() - c0) * 1e-9;
        if (Double.isNaN(sink)) System.out.println("# " + s.name() + ": loss became NaN");
        // the process's CPU time over the same steps: on a machine shared with other jobs it varies less than the wall time
        System.out.printf(Locale.ROOT, "# cpu\t%s\t%d\t%.4f\t%.2f%n", s.name(), steps, cpu, steps / cpu);
        System.out.printf(Locale.ROOT, "%s\t%d\t%.4f\t%.2f%n", s.name(), steps, sec, steps / sec);
    }

    /** CPU time of the whole process (all threads, JIT and GC included), in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * No warm-up: milliseconds from {@code startMillis} (the launch, or the JVM's start) to the first step's loss, and the
     * steps done in the first second after the workload began to build.
     */
    static void runCold(Spec s, long startMillis) {
        long t0 = System.nanoTime();
        Step step = s.build().apply(new Generator(0));
        step.run();
        long firstMs = System.currentTimeMillis() - startMillis;
        int n = 1;
        long end = t0 + 1_000_000_000L;
        long now;
        while ((now = System.nanoTime()) < end) {
            step.run();
            n++;
        }
        double sec = (now - t0) * 1e-9;
        System.out.printf(Locale.ROOT, "%s\t%d\t%d\t%.2f%n", s.name(), firstMs, n, n / sec);
    }

    private static int intArg(String[] args, int i, String opt, int min) {
        if (i >= args.length) usage(opt + " needs a number");
        try {
            int v = Integer.parseInt(args[i]);
            if (v < min) usage(opt + " must be >= " + min + ", got " + v);
            return v;
        } catch (NumberFormatException e) {
            usage(opt + " needs a number, got '" + args[i] + "'");
            return 0;
        }
    }

    private static void usage(String msg) {
        System.err.println("Workloads: " + msg);
        System.exit(2);
    }
}
