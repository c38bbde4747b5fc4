package dev.deepprob.demos.avb;

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
import dev.deepprob.nn.ELU;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Bernoulli;
import dev.deepprob.prob.KL;
import dev.deepprob.prob.MultivariateNormal;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.infer.AdversarialVariationalBayes;
import dev.deepprob.prob.infer.ImportanceWeightedBound;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Adversarial Variational Bayes (Mescheder, Nowozin and Geiger 2017, section 6.1's toy experiment) beside a Gaussian
 * VAE on the VAE demo's data, four equally likely one-hot vectors of length 4 with a 2-D latent space. The best model
 * gives each vector probability 1/4, log p(x) = -ln 4 = -1.386; a Gaussian posterior cannot fill the prior's four
 * regions, so its ELBO stays near -1.7, while AVB's implicit encoder z = f(x, ε) can. The ELBO of AVB is estimated
 * without trusting the adversary: q's entropy by the Kozachenko-Leonenko nearest-neighbour estimator on many encoder
 * samples per input (checked against the Gaussian VAE's closed form), beside the adversary's own estimate.
 */
public final class AvbDemo implements Demo {
    static final int CLASSES = 4, LATENT = 2, NOISE = 4, HIDDEN = 64, T_HIDDEN = 128, BATCH = 128;
    /** Iterations, each {@link #ADV_STEPS} adversary steps and one encoder/decoder step (the VAE takes as many steps). */
    static final int ITERATIONS = 15000, QUICK_ITERATIONS = 1500, ADV_STEPS = 2;
    static final double LR_PRIMAL = 5e-4, LR_ADVERSARY = 1e-3;
    /** log p(x) of the best model: each of the four vectors has probability 1/4. */
    static final double OPTIMUM = -Math.log(4);
    /** The target for AVB's ELBO (full mode). */
    static final double TARGET = -1.50;
    /** Neighbours of the entropy estimator. */
    static final int KNN = 5;
    /** The step sizes' final fraction (see {@link #decay}). */
    static final double FINAL_LR_FACTOR = 0.05;

    @Override
    public String name() { return "avb"; }

    @Override
    public String title() { return "Adversarial Variational Bayes (toy)"; }

    @Override
    public String description() {
        return "Adversarial Variational Bayes (implicit encoder 8-64-64-2 on x and 4-D noise, adversary T(x, z) = t(z)·x + |z|²/2 with "
                + "t 2-128-128-4, decoder 2-64-64-4 Bernoulli) beside a Gaussian VAE (encoder 4-64-64-(2, 2), the same decoder) on four "
                + "one-hot vectors with a 2-D latent space, " + ITERATIONS + " iterations of batches of " + BATCH + " each (" + ADV_STEPS
                + " adversary steps per iteration, step sizes decaying over the second half). Reports the ELBO "
                + "(AVB's with a nearest-neighbour entropy estimate that does not trust T, and T's own), the importance-sampled log-likelihood "
                + "(optimum -ln 4 = -1.386), and the latent regions per class; AVB's ELBO reaches -1.50 where the Gaussian VAE's stays near -1.7.";
    }

    @Override
    public java.util.Map<String, String> options() {
        return java.util.Map.of("seeds", "how many seeds to train and check, from --seed on (default 1; the issue's protocol is 3, about "
                + "three times as long)");
    }

    /** One trained pair and its numbers, per input class and averaged over the four (the data are uniform over them). */
    record Eval(double[] elbo, double[] elboT, double[] logLik, double[] entropyKnn, double[] entropyExact, double[][][] samples,
                int[][] argmax) {
        double meanElbo() { return mean(elbo); }

        double meanElboT() { return mean(elboT); }

        double meanLogLik() { return mean(logLik); }
    }

    record SeedResult(long seed, Eval avb, Eval vae, double[] avbLoss, double[] vaeLoss, double avbSeconds, double vaeSeconds) {}

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        int iterations = ctx.pick(ITERATIONS, QUICK_ITERATIONS);
        int seeds = Integer.parseInt(ctx.option("seeds").orElse("1"));
        if (seeds < 1) throw new IllegalArgumentException("avb: the option seeds must be >= 1, got " + seeds);
        int evalSamples = ctx.pick(20000, 4000);
        List<SeedResult> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            long seed = ctx.seed() + s;
            runs.add(runSeed(ctx, seed, iterations, evalSamples));
        }
        SeedResult first = runs.getFirst();
        r.steps((long) iterations * seeds);
        r.metric("iterations", iterations).metric("batch_size", BATCH).metric("eval_samples_per_class", evalSamples);
        r.metric("seeds", runs.stream().mapToLong(SeedResult::seed).toArray());
        double[] avbElbo = runs.stream().mapToDouble(x -> x.avb.meanElbo()).toArray();
        double[] avbElboT = runs.stream().mapToDouble(x -> x.avb.meanElboT()).toArray();
        double[] avbLl = runs.stream().mapToDouble(x -> x.avb.meanLogLik()).toArray();
        double[] vaeElbo = runs.stream().mapToDouble(x -> x.vae.meanElbo()).toArray();
        double[] vaeElboKnn = runs.stream().mapToDouble(x -> mean(x.vae.elboT)).toArray();
        double[] vaeLl = runs.stream().mapToDouble(x -> x.vae.meanLogLik()).toArray();
        r.metric("avb_elbo_knn", avbElbo).metric("avb_elbo_adversary", avbElboT).metric("avb_loglik_is", avbLl);
        r.metric("vae_elbo", vaeElbo).metric("vae_elbo_knn", vaeElboKnn).metric("vae_loglik_is", vaeLl);
        r.metric("avb_elbo_knn_per_class", first.avb.elbo).metric("avb_elbo_adversary_per_class", first.avb.elboT);
        r.metric("avb_loglik_is_per_class", first.avb.logLik).metric("vae_elbo_per_class", first.vae.elbo);
        r.metric("vae_loglik_is_per_class", first.vae.logLik);
        r.metric("vae_entropy_exact_per_class", first.vae.entropyExact).metric("vae_entropy_knn_per_class", first.vae.entropyKnn);
        r.metric("avb_entropy_knn_per_class", first.avb.entropyKnn);
        r.metric("optimum_loglik", OPTIMUM);
        r.metric("avb_loss_curve", first.avbLoss).metric("vae_loss_curve", first.vaeLoss);
        r.metric("avb_training_seconds", runs.stream().mapToDouble(SeedResult::avbSeconds).toArray());
        r.metric("vae_training_seconds", runs.stream().mapToDouble(SeedResult::vaeSeconds).toArray());

        double knnError = 0;
        for (SeedResult s : runs) for (int k = 0; k < CLASSES; k++) knnError = Math.max(knnError, Math.abs(s.vae.entropyKnn[k] - s.vae.entropyExact[k]));
        r.metric("knn_entropy_max_error_on_vae", knnError);
        double minAvb = Arrays.stream(avbElbo).min().orElseThrow();
        double minGap = Double.POSITIVE_INFINITY, maxLl = Double.NEGATIVE_INFINITY, minBoundGap = Double.POSITIVE_INFINITY;
        for (int i = 0; i < runs.size(); i++) {
            minGap = Math.min(minGap, avbElbo[i] - vaeElbo[i]);
            maxLl = Math.max(maxLl, Math.max(avbLl[i], vaeLl[i]));
            minBoundGap = Math.min(minBoundGap, Math.min(avbLl[i] - avbElbo[i], vaeLl[i] - vaeElbo[i]));
        }
        // The estimator is checked where the truth is known: q of the Gaussian VAE, a 2-D Gaussian per class. On 2-D Gaussians
        // (scipy, 10 repeats, k = 5) its error had mean -0.004 and sd 0.015 at 4000 samples, -0.002 and 0.007 at 20000; the
        // largest of four errors stays below 4 sd: 0.06 in quick mode, 0.03 in full mode.
        double knnTolerance = ctx.quick() ? 0.06 : 0.03;
        r.check(Check.atMost("the nearest-neighbour entropy estimate agrees with the Gaussian VAE's closed form (largest error, nats)",
                knnError, knnTolerance));
        // log p(x) averaged over the four inputs is at most -ln 4 (Jensen: their probabilities sum to at most 1); the IS
        // estimates are unbiased for p, so their logs fall below on average; 0.01 allows for the estimates' noise.
        r.check(Check.atMost("IS log-likelihood of both models at most the optimum -ln 4 (+0.01 for noise)", maxLl, OPTIMUM + 0.01));
        // Each ELBO is below its log-likelihood (the bound), up to the two estimates' noise (0.02).
        r.check(Check.atLeast("log-likelihood minus ELBO, both models (>= -0.02: the ELBO is a bound)", minBoundGap, -0.02));
        if (ctx.quick()) {
            // An untrained decoder (logits near 0) gives each input 0.5⁴, log p = -2.77; seed 1 reaches -1.71 in quick mode. The
            // ELBO is reported, not checked: 1500 iterations do not let the adversary and encoder settle (seed 1: -2.20).
            double minAvbLl = Arrays.stream(avbLl).min().orElseThrow();
            r.check(Check.atLeast("quick: AVB's IS log-likelihood above -2.0 (untrained decoder: 4 ln 0.5 = -2.77)", minAvbLl, -2.0));
        } else {
            r.check(Check.atLeast("AVB's ELBO (nearest-neighbour entropy, not trusting T), every seed", minAvb, TARGET));
            r.check(Check.greaterThan("AVB's ELBO minus the Gaussian VAE's, every seed", minGap, 0));
        }

        StringBuilder table = new StringBuilder("Per seed (ELBO of AVB by nearest-neighbour entropy / by T; Gaussian VAE's ELBO; IS "
                + "log-likelihoods AVB / VAE):");
        for (int i = 0; i < runs.size(); i++) table.append(String.format(Locale.ROOT, " seed %d: %.3f / %.3f; %.3f; %.3f / %.3f.",
                runs.get(i).seed, avbElbo[i], avbElboT[i], vaeElbo[i], avbLl[i], vaeLl[i]));
        r.note(table.toString());
        r.note("AVB's ELBO = E_q[log p(x|z)] + E_q[log p(z)] + H(q(z|x)), averaged over the four inputs, with the entropy H estimated "
                + "from " + evalSamples + " encoder samples per input by the Kozachenko-Leonenko estimator (k = " + KNN + " nearest neighbours), "
                + "which trusts neither T nor a density model of q; the same estimator on the Gaussian VAE's samples is within "
                + String.format(Locale.ROOT, "%.3f", knnError) + " nats of the closed form. The adversary's estimate E[log p(x|z) - T(x, z)] "
                + "is reported beside it. The Gaussian VAE's ELBO uses the closed-form KL.");
        r.note("The IS log-likelihood: for AVB, " + evalSamples + " draws from a Gaussian fitted to q's samples per input with its "
                + "covariance doubled (a wider proposal keeps the weights bounded where q is not Gaussian); for the VAE, q itself.");
        r.note("Settings after the authors' toy notebook (notebooks/AVB_toy_example.ipynb: ELU networks, Bernoulli decoder, plain AVB "
                + "without adaptive contrast, " + ADV_STEPS + " adversary steps per step, 100000 iterations of 512 at Adam 2e-5 / 1e-4), "
                + "shortened to fit the demo's time: " + iterations + " iterations of " + BATCH + " rows at Adam " + LR_PRIMAL + " / "
                + LR_ADVERSARY + ", both step sizes decaying by a cosine over the second half to " + FINAL_LR_FACTOR + " of their value "
                + "(without the decay the last iterate stayed noisy: ELBO -1.55 after 10000 iterations), and T given log p(z) = "
                + "-|z|²/2 + c as a fixed term (T* = log q(z|x) - log p(z)), with one output per input class (t(z)·x, as the "
                + "inner-product adversary their notebook also tried). The Gaussian VAE takes as many steps with the same schedule.");
        if (seeds == 1) r.note("One seed here; --set avb.seeds=3 runs seeds " + ctx.seed() + ".." + (ctx.seed() + 2)
                + " (the issue's protocol) and checks every one.");
        if (ctx.quick()) r.note("Quick mode: " + iterations + " iterations, " + evalSamples + " evaluation samples; AVB's ELBO is reported, "
                + "not checked (too few iterations for the adversary and encoder to settle), its log-likelihood is checked above -2.0.");

        ctx.figure(r, latentFigure(first), "latent.png", "Latent regions per class: the background is the decoder's most likely "
                + "input (argmax of its Bernoulli probabilities) at each z, the points are encoder samples z ~ q(z|x) of each input, "
                + "coloured by class. AVB's q fills the prior's four regions; the Gaussian VAE's cannot.");
        ctx.figure(r, lossFigure(first), "loss.png", "Training: AVB's encoder/decoder loss E[-log p(x|z) + T] and the Gaussian VAE's "
                + "negative ELBO, means over 100 iterations, above -(-ln 4) = 1.386.");
        return r;
    }

    private SeedResult runSeed(DemoContext ctx, long seed, int iterations, int evalSamples) {
        Generator g = new Generator(seed * 1_000_003L + "avb".hashCode());
        Tensor data = oneHots();
        // --- AVB
        Sequential enc = elu(g, CLASSES + NOISE, HIDDEN, HIDDEN, LATENT);
        Sequential dec = elu(g, LATENT, HIDDEN, HIDDEN, CLASSES);
        Sequential tnet = elu(g, LATENT, T_HIDDEN, T_HIDDEN, CLASSES);
        Normal prior = new Normal(Tensor.zeros(DType.F32, LATENT), Tensor.ones(DType.F32, LATENT));
        AdversarialVariationalBayes avb = AdversarialVariationalBayes.builder(data, prior)
                .encoder(enc, NOISE, (x, eps) -> enc.forward(Tensor.cat(List.of(x, eps), 1)))
                .decoder(dec, z -> Bernoulli.fromLogits(dec.forward(z)))
                .adversary(tnet, (x, z) -> tnet.forward(z).mul(x).sum(1).add(z.square().sum(1).mul(0.5)))
                .batchSize(BATCH).adversarySteps(ADV_STEPS)
                .primalOptimizer(p -> new Adam(p, LR_PRIMAL))
                .adversaryOptimizer(p -> new Adam(p, LR_ADVERSARY))
                .build();
        double[] avbLoss = new double[iterations / 100];
        double[] acc = new double[1];
        long t0 = System.nanoTime();
        try (Progress p = ctx.progress("AVB seed " + seed, iterations)) {
            for (int it = 1; it <= iterations; it++) {
                double f = decay(it, iterations);
                avb.primalOptimizer().setLr(LR_PRIMAL * f);
                avb.adversaryOptimizer().setLr(LR_ADVERSARY * f);
                acc[0] += avb.step(g).primal();
                if (it % 100 == 0) {
                    avbLoss[it / 100 - 1] = acc[0] / 100;
                    acc[0] = 0;
                }
                p.step();
            }
        }
        double avbSeconds = (System.nanoTime() - t0) * 1e-9;
        // --- Gaussian VAE, the same decoder architecture and budget
        Sequential venc = elu(g, CLASSES, HIDDEN, HIDDEN, 2 * LATENT);
        Sequential vdec = elu(g, LATENT, HIDDEN, HIDDEN, CLASSES);
        Adam opt = new Adam(dev.deepprob.nn.Module.parameters(venc, vdec), LR_PRIMAL);
        double[] vaeLoss = new double[iterations / 100];
        double sum = 0;
        t0 = System.nanoTime();
        try (Progress p = ctx.progress("Gaussian VAE seed " + seed, iterations)) {
            for (int it = 1; it <= iterations; it++) {
                Tensor x = Tensor.of(data.data().indexSelect(0, dev.deepprob.engine.NDArray.randint(g, 0, CLASSES, BATCH)));
                Normal q = posterior(venc, x);
                Tensor z = q.rsample(g);
                Tensor ll = Bernoulli.fromLogits(vdec.forward(z)).logProb(x).sum(1);
                Tensor kl = KL.divergence(q, standard(z)).sum(1);
                Tensor loss = kl.sub(ll).mean();
                opt.setLr(LR_PRIMAL * decay(it, iterations));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                sum += loss.item();
                if (it % 100 == 0) {
                    vaeLoss[it / 100 - 1] = sum / 100;
                    sum = 0;
                }
                p.step();
            }
        }
        double vaeSeconds = (System.nanoTime() - t0) * 1e-9;
        Eval a = evalAvb(avb, dec, g, evalSamples), v = evalVae(venc, vdec, g, evalSamples);
        ctx.log("seed %d: AVB ELBO %.4f (nearest-neighbour entropy), %.4f (adversary), IS log-likelihood %.4f; Gaussian VAE ELBO %.4f, "
                + "IS log-likelihood %.4f (optimum %.4f); training %.1f s + %.1f s", seed, a.meanElbo(), a.meanElboT(), a.meanLogLik(),
                v.meanElbo(), v.meanLogLik(), OPTIMUM, avbSeconds, vaeSeconds);
        return new SeedResult(seed, a, v, avbLoss, vaeLoss, avbSeconds, vaeSeconds);
    }

    /** The step-size factor: 1 for the first half, then a cosine down to {@link #FINAL_LR_FACTOR}, so the last iterate settles. */
    static double decay(int it, int iterations) {
        double h = iterations / 2.0;
        if (it <= h) return 1;
        return FINAL_LR_FACTOR + (1 - FINAL_LR_FACTOR) * 0.5 * (1 + Math.cos(Math.PI * (it - h) / h));
    }

    static Sequential elu(Generator g, int... sizes) { return Mlp.of(g, sizes).activation(ELU::new).build(); }

    /** The four one-hot vectors (4, 4); batches draw their rows uniformly. */
    static Tensor oneHots() {
        float[] v = new float[CLASSES * CLASSES];
        for (int k = 0; k < CLASSES; k++) v[k * CLASSES + k] = 1;
        return Tensor.of(v, CLASSES, CLASSES);
    }

    /** n copies of the one-hot vector of class k. */
    static Tensor rows(int k, int n) {
        float[] v = new float[n * CLASSES];
        for (int i = 0; i < n; i++) v[i * CLASSES + k] = 1;
        return Tensor.of(v, n, CLASSES);
    }

    static Normal posterior(Sequential venc, Tensor x) {
        Tensor h = venc.forward(x);
        return new Normal(h.narrow(1, 0, LATENT), h.narrow(1, LATENT, LATENT).mul(0.5).exp());
    }

    static Normal standard(Tensor like) { return new Normal(Tensor.zerosLike(like), Tensor.onesLike(like)); }

    /** log p(x_k | z) + log p(z) for z (n, 2): (n). */
    static Tensor logJoint(Sequential dec, int k, Tensor z) {
        Tensor ll = Bernoulli.fromLogits(dec.forward(z)).logProb(rows(k, z.shape(0))).sum(1);
        return ll.add(standard(z).logProb(z).sum(1));
    }

    private static Eval evalAvb(AdversarialVariationalBayes avb, Sequential dec, Generator g, int n) {
        double[] elbo = new double[CLASSES], elboT = new double[CLASSES], ll = new double[CLASSES], hk = new double[CLASSES];
        double[][][] samples = new double[CLASSES][][];
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (int k = 0; k < CLASSES; k++) {
                Tensor x = rows(k, n);
                Tensor z = avb.sampleLatent(x, g);
                double[] zs = z.toDoubleArray();
                samples[k] = points(zs);
                hk[k] = knnEntropy(samples[k], KNN);
                elbo[k] = logJoint(dec, k, z).mean().item() + hk[k];
                elboT[k] = avb.adversaryElbo(x, g);
                // the proposal: a Gaussian fitted to q's samples, covariance doubled
                double[] m = new double[2], c = new double[4];
                for (double[] p : samples[k]) for (int d = 0; d < 2; d++) m[d] += p[d] / n;
                for (double[] p : samples[k]) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) c[2 * i + j] += 2 * (p[i] - m[i]) * (p[j] - m[j]) / (n - 1);
                MultivariateNormal prop = MultivariateNormal.withCovariance(Tensor.of(new float[]{(float) m[0], (float) m[1]}, 2),
                        Tensor.of(new float[]{(float) c[0], (float) c[1], (float) c[2], (float) c[3]}, 2, 2));
                int cls = k;
                ll[k] = ImportanceWeightedBound.of(zz -> logJoint(dec, cls, zz), 1).estimate(prop, g, n, 5000);
            }
        }
        return new Eval(elbo, elboT, ll, hk, new double[CLASSES], samples, argmaxGrid(dec));
    }

    private static Eval evalVae(Sequential venc, Sequential vdec, Generator g, int n) {
        double[] elbo = new double[CLASSES], elboKnn = new double[CLASSES], ll = new double[CLASSES], hk = new double[CLASSES],
                hx = new double[CLASSES];
        double[][][] samples = new double[CLASSES][][];
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (int k = 0; k < CLASSES; k++) {
                Normal q = posterior(venc, rows(k, 1));
                Normal qk = new Normal(q.loc().reshape(LATENT), q.scale().reshape(LATENT));
                Tensor z = qk.sample(g, n);
                samples[k] = points(z.toDoubleArray());
                double rec = Bernoulli.fromLogits(vdec.forward(z)).logProb(rows(k, n)).sum(1).mean().item();
                elbo[k] = rec - KL.divergence(qk, standard(qk.loc())).sum().item();
                hx[k] = qk.entropy().sum().item();
                hk[k] = knnEntropy(samples[k], KNN);
                elboKnn[k] = logJoint(vdec, k, z).mean().item() + hk[k];
                int cls = k;
                ll[k] = ImportanceWeightedBound.of(zz -> logJoint(vdec, cls, zz), 1).estimate(qk, g, n, 5000);
            }
        }
        // elboT holds the VAE's ELBO with the nearest-neighbour entropy (the same estimator as AVB's, for comparison)
        return new Eval(elbo, elboKnn, ll, hk, hx, samples, argmaxGrid(vdec));
    }

    static double[][] points(double[] flat) {
        double[][] p = new double[flat.length / 2][];
        for (int i = 0; i < p.length; i++) p[i] = new double[]{flat[2 * i], flat[2 * i + 1]};
        return p;
    }

    /**
     * The Kozachenko-Leonenko entropy estimate in 2-D: H = ψ(n) - ψ(k) + ln π + (2/n) Σ ln rᵢ with rᵢ the distance from
     * point i to its k-th nearest neighbour (Kozachenko and Leonenko 1987; Kraskov et al. 2004, eq. 20). Neighbours are
     * found on the points sorted by their first coordinate, scanning outwards until the strip is wider than the k-th distance.
     */
    static double knnEntropy(double[][] pts, int k) {
        int n = pts.length;
        double[][] s = pts.clone();
        Arrays.sort(s, (a, b) -> Double.compare(a[0], b[0]));
        double sumLog = 0;
        double[] best = new double[k];
        for (int i = 0; i < n; i++) {
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int dir = -1; dir <= 1; dir += 2) {
                for (int j = i + dir; j >= 0 && j < n; j += dir) {
                    double dx = s[j][0] - s[i][0];
                    if (dx * dx >= best[k - 1]) break;
                    double dy = s[j][1] - s[i][1], d2 = dx * dx + dy * dy;
                    if (d2 < best[k - 1]) {
                        int p = k - 1;
                        while (p > 0 && best[p - 1] > d2) {
                            best[p] = best[p - 1];
                            p--;
                        }
                        best[p] = d2;
                    }
                }
            }
            sumLog += 0.5 * Math.log(Math.max(best[k - 1], 1e-300));
        }
        return digamma(n) - digamma(k) + Math.log(Math.PI) + 2 * sumLog / n;
    }

    /** ψ(x) for x >= 1 by recurrence up to 6 and the asymptotic series (error below 1e-10). */
    static double digamma(double x) {
        double r = 0;
        while (x < 6) {
            r -= 1 / x;
            x++;
        }
        double f = 1 / (x * x);
        return r + Math.log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
    }

    static double mean(double[] v) { return Arrays.stream(v).average().orElse(Double.NaN); }

    static final double LIM = 3.2;
    static final int GRID = 90;

    /** The decoder's argmax class on a GRID × GRID lattice over [-LIM, LIM]². */
    static int[][] argmaxGrid(Sequential dec) {
        float[] zs = new float[GRID * GRID * 2];
        for (int i = 0; i < GRID; i++) for (int j = 0; j < GRID; j++) {
            zs[2 * (i * GRID + j)] = (float) (-LIM + 2 * LIM * (j + 0.5) / GRID);
            zs[2 * (i * GRID + j) + 1] = (float) (-LIM + 2 * LIM * (i + 0.5) / GRID);
        }
        long[] am;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            am = dec.forward(Tensor.of(zs, GRID * GRID, 2)).argmax(1, false).data().toLongArray();
        }
        int[][] out = new int[GRID][GRID];
        for (int i = 0; i < GRID; i++) for (int j = 0; j < GRID; j++) out[i][j] = (int) am[i * GRID + j];
        return out;
    }

    private static BufferedImage latentFigure(SeedResult s) {
        return Plots.panels("Latent regions per class (seed " + s.seed + ")", 2,
                latentPanel(String.format(Locale.ROOT, "AVB (ELBO %.3f)", s.avb.meanElbo()), s.avb),
                latentPanel(String.format(Locale.ROOT, "Gaussian VAE (ELBO %.3f)", s.vae.meanElbo()), s.vae));
    }

    private static BufferedImage latentPanel(String title, Eval e) {
        XYChart ch = Plots.xy(title, "z₁", "z₂", 640, 600);
        for (int k = 0; k < CLASSES; k++) {
            List<double[]> cells = new ArrayList<>();
            for (int i = 0; i < GRID; i++) for (int j = 0; j < GRID; j++) if (e.argmax[i][j] == k)
                cells.add(new double[]{-LIM + 2 * LIM * (j + 0.5) / GRID, -LIM + 2 * LIM * (i + 0.5) / GRID});
            if (cells.isEmpty()) continue;
            double[] x = cells.stream().mapToDouble(c -> c[0]).toArray(), y = cells.stream().mapToDouble(c -> c[1]).toArray();
            Plots.scatter(ch, "decoded as " + k, x, y, light(Plots.cycle(k)), 5);
        }
        for (int k = 0; k < CLASSES; k++) {
            int m = Math.min(400, e.samples[k].length);
            double[] x = new double[m], y = new double[m];
            for (int i = 0; i < m; i++) {
                x[i] = e.samples[k][i][0];
                y[i] = e.samples[k][i][1];
            }
            Plots.scatter(ch, "q(z | class " + k + ")", x, y, Plots.cycle(k), 4);
        }
        Plots.limits(ch, -LIM, LIM, -LIM, LIM);
        ch.getStyler().setLegendVisible(false);
        return Plots.image(ch);
    }

    private static Color light(Color c) {
        return new Color((c.getRed() + 3 * 255) / 4, (c.getGreen() + 3 * 255) / 4, (c.getBlue() + 3 * 255) / 4);
    }

    private static BufferedImage lossFigure(SeedResult s) {
        double[] it = new double[s.avbLoss.length];
        for (int i = 0; i < it.length; i++) it[i] = 100.0 * (i + 1);
        XYChart ch = Plots.xy("Training loss (seed " + s.seed + ")", "iteration", "loss", 900, 560);
        Plots.line(ch, "AVB: E[-log p(x|z) + T(x, z)]", it, s.avbLoss, Plots.BLUE, 2f);
        Plots.line(ch, "Gaussian VAE: -ELBO", it, s.vaeLoss, Plots.ORANGE, 2f);
        Plots.line(ch, "ln 4", new double[]{100, Math.max(200, 100.0 * it.length)}, new double[]{-OPTIMUM, -OPTIMUM}, Plots.GREY, 1.5f, true);
        return Plots.image(ch);
    }
}
