package dev.deepprob.demos.vae;

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
import dev.deepprob.nn.Module;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Bernoulli;
import dev.deepprob.prob.Independent;
import dev.deepprob.prob.KL;
import dev.deepprob.prob.Normal;
import org.knowm.xchart.XYChart;

import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * NOTEBOOKS.md section 6: a variational autoencoder (Kingma and Welling 2014) on 2000 one-hot vectors of length 4
 * with a 2-D latent space, written on the distributions: the encoder gives q(z|x) = N(μ(x), diag σ²(x)) as an
 * Independent Normal, z is its rsample (the reparameterisation z = μ + σ·ε); the decoder gives the logits of a Bernoulli
 * per bit; the KL term comes from the KL registry. The loss is the negative ELBO per element,
 * (-Σ log Bernoulli(x | logits) + KL(q(z|x) || N(0, I))) / (batch·4) = mean BCE + KL / (batch·4), minimised by Adam(1e-3)
 * on batches of 5. The four inputs end up as four separated clusters in the latent space.
 */
public final class VaeDemo implements Demo {
    static final int N = 2000, CLASSES = 4, LATENT = 2, HIDDEN = 200, BATCH = 5, BATCHES_PER_EPOCH = 501, EPOCHS = 29;
    /** ln 4 / 4: the loss of a perfect model of four equally likely vectors, per element. */
    static final double FLOOR = Math.log(4) / 4;
    /** The least share of codes nearest their own cluster's mean (and, in quick mode, decoded right); see the checks. */
    static final double MIN_SHARE = 0.8;
    /** The least share of codes decoded to their own input in full mode. */
    static final double MIN_DECODED_FULL = 0.85;

    @Override
    public String name() { return "vae"; }

    @Override
    public String title() { return "Variational autoencoder (toy)"; }

    @Override
    public String description() {
        return "A VAE with a 2-D latent space learns 2000 one-hot vectors of length 4 (encoder 4-200-(2, 2), decoder 2-200-4, "
                + "Adam(1e-3), batches of 5, 29 epochs of 501 batches). Each of the four inputs is encoded as its own cluster of latent "
                + "codes, told apart from the others (most codes lie nearest their own cluster's mean and decode to their own input), and "
                + "the loss per element approaches its floor ln 4 / 4 = 0.347.";
    }

    /** The tutorial's VAE: fc1 (4 -> 200), the heads fc21 / fc22 (200 -> 2), fc3 (2 -> 200), fc4 (200 -> 4). */
    static final class Vae extends Module {
        final Linear fc1, fc21, fc22, fc3, fc4;

        Vae(Generator g) {
            fc1 = registerModule("fc1", new Linear(CLASSES, HIDDEN, g));
            fc21 = registerModule("fc21", new Linear(HIDDEN, LATENT, g));
            fc22 = registerModule("fc22", new Linear(HIDDEN, LATENT, g));
            fc3 = registerModule("fc3", new Linear(LATENT, HIDDEN, g));
            fc4 = registerModule("fc4", new Linear(HIDDEN, CLASSES, g));
        }

        /**
         * q(z|x) = N(μ(x), diag σ²(x)), with μ and log σ² from the two heads, as a Normal over the latent dims made one
         * 2-D event by Independent: batch shape (n), event shape (2); its rsample is μ + σ·ε, ε ~ N(0, I).
         */
        Independent.Reparameterized encode(Tensor x) {
            Tensor h = fc1.forward(x).relu();
            Tensor mu = fc21.forward(h), logvar = fc22.forward(h);
            return Independent.reparameterized(new Normal(mu, logvar.mul(0.5).exp(), false), 1);
        }

        /** The decoder's logits (the sigmoid of which are the reconstruction probabilities), (n, 4). */
        Tensor decodeLogits(Tensor z) { return fc4.forward(fc3.forward(z).relu()); }
    }

    /** The prior p(z) = N(0, I) for n points: batch shape (n), event shape (2), as q. */
    static Independent prior(int n) {
        return Independent.of(new Normal(Tensor.zeros(DType.F32, n, LATENT), Tensor.ones(DType.F32, n, LATENT), false), 1);
    }

    /**
     * The loss per element, the negative ELBO over the batch divided by its batch·4 entries:
     * (-Σ log Bernoulli(x | logits) + Σ KL(q(z|x) || p(z))) / (batch·4). The first term is the mean BCE over the entries;
     * the KL comes from the KL registry (closed form for Independent Normals: Kingma and Welling 2014, appendix B).
     */
    static Tensor loss(Tensor logits, Tensor x, Independent.Reparameterized q, Independent prior) {
        Tensor logLik = Bernoulli.fromLogits(logits, false).logProb(x).sum();
        Tensor kld = KL.divergence(q, prior).sum();
        return kld.sub(logLik).div(x.numel());
    }

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        int epochs = ctx.pick(EPOCHS, 8);
        Generator g = ctx.generator("vae");
        // the data: 500 copies of each one-hot vector, class k = position of the 1
        float[] data = new float[N * CLASSES];
        int[] label = new int[N];
        for (int i = 0; i < N; i++) {
            label[i] = i / (N / CLASSES);
            data[i * CLASSES + label[i]] = 1;
        }
        NDArray all = NDArray.of(data, N, CLASSES);
        Vae vae = new Vae(g);
        Adam opt = new Adam(vae.parameters(), 1e-3);

        NDArray batch = NDArray.zeros(DType.F32, BATCH, CLASSES);
        Independent prior = prior(BATCH);
        double[] epochLoss = new double[epochs];
        long t0 = System.nanoTime();
        try (Progress p = ctx.progress("training", (long) epochs * BATCHES_PER_EPOCH)) {
            for (int e = 0; e < epochs; e++) {
                double sum = 0;
                for (int b = 0; b < BATCHES_PER_EPOCH; b++) {
                    all.indexSelect(0, NDArray.randint(g, 0, N, BATCH), batch);
                    Tensor x = Tensor.of(batch);
                    Independent.Reparameterized q = vae.encode(x);
                    Tensor z = q.rsample(g);
                    Tensor loss = loss(vae.decodeLogits(z), x, q, prior);
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                    sum += loss.item();
                    p.step();
                }
                epochLoss[e] = sum / BATCHES_PER_EPOCH;
                int ep = e;
                ctx.log("epoch %2d: loss per element %.4f (per batch, as the original printed it: %.4f)", e + 1, epochLoss[ep],
                        epochLoss[ep] / BATCH);
            }
        }
        double trainSeconds = (System.nanoTime() - t0) * 1e-9;
        long steps = (long) epochs * BATCHES_PER_EPOCH;
        r.steps(steps);

        // one sampled code per data point
        double[][] z = new double[N][];
        int decodedRight = 0;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Tensor zt = vae.encode(Tensor.of(all)).rsample(g);
            double[] zs = zt.toDoubleArray();
            for (int i = 0; i < N; i++) z[i] = new double[]{zs[2 * i], zs[2 * i + 1]};
            long[] decoded = vae.decodeLogits(zt).argmax(1, false).data().toLongArray();
            for (int i = 0; i < N; i++) if (decoded[i] == label[i]) decodedRight++;
        }
        Clusters c = clusters(z, label);
        double decodeAccuracy = (double) decodedRight / N;
        double finalLoss = epochLoss[epochs - 1];
        ctx.log("clusters: smallest distance between means %.3f, largest within-cluster std %.3f (ratio %.2f); %.1f%% of the codes are "
                + "nearest their own cluster's mean, %.1f%% decode to their input", c.minDistance, c.maxStd, c.minDistance / c.maxStd,
                100 * c.nearestOwn, 100 * decodeAccuracy);

        r.metric("epochs", epochs).metric("batches_per_epoch", BATCHES_PER_EPOCH).metric("batch_size", BATCH);
        r.metric("loss_per_element_by_epoch", epochLoss);
        r.metric("final_loss_per_element", finalLoss);
        r.metric("final_loss_per_batch_as_printed_originally", finalLoss / BATCH);
        r.metric("loss_floor_ln4_over_4", FLOOR);
        r.metric("cluster_means", c.means).metric("cluster_std_per_axis", c.stds);
        r.metric("min_distance_between_cluster_means", c.minDistance).metric("max_within_cluster_std", c.maxStd);
        r.metric("separation_ratio", c.minDistance / c.maxStd);
        r.metric("share_nearest_own_cluster_mean", c.nearestOwn).metric("share_decoded_to_own_input", decodeAccuracy);
        r.metric("training_seconds", trainSeconds).metric("steps_per_second", steps / trainSeconds);
        // Both shares tell four clusters from three: were two clusters merged, their codes could be told apart (nearest
        // mean, or the decoder's argmax) no better than by a coin, so at most 3/4 of all codes would count. Measured over
        // seeds 1-40 in quick mode: nearest own mean 83.4-92.2%, decoded right 86.2-92.7%; over 14 seeds in full mode
        // 87.6-91.5% and 90.3-95.2%. The separation ratio (reported, not checked) depends on the clusters' layout and
        // shape more than on training: 1.03-3.11 in quick mode and 0.91-1.79 in full mode over the same seeds.
        r.check(Check.atLeast("four distinct clusters: share of the codes nearest their own cluster's mean (three clusters: <= 0.75)",
                c.nearestOwn, MIN_SHARE));
        r.check(Check.atLeast("the sampled codes decode to their own input (share, argmax of the decoder; three clusters: <= 0.75)",
                decodeAccuracy, ctx.quick() ? MIN_SHARE : MIN_DECODED_FULL));
        if (!ctx.quick()) r.check(Check.lessThan("final loss per element (floor ln4/4 = 0.347)", finalLoss, 0.45));
        r.check(Check.greaterThan("final loss per element is above its floor ln4/4 (it is a bound)", finalLoss, FLOOR - 0.01));
        r.note("The loss is per element: mean BCE over batch·4 entries plus KLD/(batch·4), the negative ELBO divided by batch·4. The "
                + "original printed it divided again by the batch size (about 0.07 by epoch 25, i.e. 0.35 per element); both are reported.");
        r.note(String.format(Locale.ROOT, "The clusters are distinct but touch: neighbouring cluster means are %.2f within-cluster "
                + "standard deviations apart, not the 3 the issue asked for. That is what this loss prefers: with Gaussian posteriors and "
                + "the best possible decoder, the lowest loss per element is 0.4231, reached at a ratio of 1.47; holding the ratio at 2, "
                + "2.5 and 3 raises the best loss to 0.4271, 0.4341 and 0.4432 (demos/python/vae_separation.py, scipy). Tighter, farther "
                + "clusters cost more KL than they save in reconstruction, so training (4x longer too) settles below 2. The ratio takes "
                + "the largest standard deviation along either axis, so it varies with the clusters' layout (0.9 to 1.8 over 14 seeds "
                + "in full mode) and is reported, not checked. The checks are four clusters told apart: >= 80%% of the codes nearest "
                + "their own cluster's mean, and >= %.0f%% decoded to their own input, where three clusters could reach at most 75%%.",
                c.minDistance / c.maxStd, 100 * (ctx.quick() ? MIN_SHARE : MIN_DECODED_FULL)));
        if (ctx.quick()) r.note("Quick mode: " + epochs + " epochs; decoding check at 80% instead of 85%, no loss bound.");
        r.note("The model is written on the distributions: q(z|x) an Independent Normal drawn by rsample, the reconstruction term "
                + "Bernoulli(logits).logProb (the BCE with logits, without forming the sigmoid), the KL from the KL registry's closed form.");

        ctx.figure(r, latentFigure(z, label, c), "latent.png", String.format(Locale.ROOT, "One sampled latent code z ~ q(z|x) for each "
                + "of the 2000 inputs, coloured by class (the position of the 1): four clusters, the closest two %.2f apart, each with "
                + "standard deviation at most %.2f.", c.minDistance, c.maxStd));
        ctx.figure(r, lossFigure(epochLoss), "loss.png", "The loss per element by epoch, above its floor ln 4 / 4 (dashed).");
        return r;
    }

    record Clusters(double[][] means, double[][] stds, double minDistance, double maxStd, double nearestOwn) {}

    static Clusters clusters(double[][] z, int[] label) {
        double[][] mean = new double[CLASSES][2], var = new double[CLASSES][2];
        int[] n = new int[CLASSES];
        for (int i = 0; i < z.length; i++) {
            n[label[i]]++;
            for (int d = 0; d < 2; d++) mean[label[i]][d] += z[i][d];
        }
        for (int k = 0; k < CLASSES; k++) for (int d = 0; d < 2; d++) mean[k][d] /= n[k];
        for (int i = 0; i < z.length; i++) for (int d = 0; d < 2; d++) var[label[i]][d] += Math.pow(z[i][d] - mean[label[i]][d], 2);
        double maxStd = 0, minDist = Double.POSITIVE_INFINITY;
        double[][] std = new double[CLASSES][2];
        for (int k = 0; k < CLASSES; k++) {
            for (int d = 0; d < 2; d++) {
                std[k][d] = Math.sqrt(var[k][d] / (n[k] - 1));
                maxStd = Math.max(maxStd, std[k][d]);
            }
            for (int j = 0; j < k; j++) minDist = Math.min(minDist, Math.hypot(mean[k][0] - mean[j][0], mean[k][1] - mean[j][1]));
        }
        int own = 0;
        for (int i = 0; i < z.length; i++) {
            int best = 0;
            double bd = Double.POSITIVE_INFINITY;
            for (int k = 0; k < CLASSES; k++) {
                double d = Math.hypot(z[i][0] - mean[k][0], z[i][1] - mean[k][1]);
                if (d < bd) {
                    bd = d;
                    best = k;
                }
            }
            if (best == label[i]) own++;
        }
        return new Clusters(mean, std, minDist, maxStd, (double) own / z.length);
    }

    private static BufferedImage latentFigure(double[][] z, int[] label, Clusters c) {
        XYChart ch = Plots.xy("Latent codes of the 2000 inputs", "z₁", "z₂", 900, 720);
        for (int k = 0; k < CLASSES; k++) {
            int m = 0;
            for (int l : label) if (l == k) m++;
            double[] x = new double[m], y = new double[m];
            for (int i = 0, j = 0; i < z.length; i++) {
                if (label[i] != k) continue;
                x[j] = z[i][0];
                y[j++] = z[i][1];
            }
            String oneHot = "[" + (k == 0 ? "1" : "0") + ", " + (k == 1 ? "1" : "0") + ", " + (k == 2 ? "1" : "0") + ", " + (k == 3 ? "1" : "0") + "]";
            Plots.scatter(ch, "class " + k + " " + oneHot, x, y, Plots.cycle(k), 5);
        }
        ch.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        return Plots.image(ch);
    }

    private static BufferedImage lossFigure(double[] loss) {
        double[] e = new double[loss.length];
        for (int i = 0; i < e.length; i++) e[i] = i + 1;
        XYChart ch = Plots.xy("Loss per element", "epoch", "loss", 900, 560);
        Plots.line(ch, "VAE loss (negative ELBO / (batch·4))", e, loss, Plots.BLUE, 2.2f);
        Plots.line(ch, "floor ln 4 / 4", new double[]{1, Math.max(2, e.length)}, new double[]{FLOOR, FLOOR}, Plots.GREY, 1.6f, true);
        return Plots.image(ch);
    }
}
