package dev.deepprob.demos.modedrop;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.Check;
import dev.deepprob.demos.Demo;
import dev.deepprob.demos.DemoContext;
import dev.deepprob.demos.DemoResult;
import dev.deepprob.demos.Progress;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Threads;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.UpdateRule;
import dev.deepprob.prob.infer.Gan;
import dev.deepprob.prob.infer.AdversarialTrainer;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * NOTEBOOKS.md section 9: mode dropping. Real data are 8 clusters of 200 points (standard deviation 0.5) at (0, ±8), (±8, 0)
 * and (±4, ±4); generator and discriminator are 2-300-300-150-out ReLU networks. The tutorial's loop (5 discriminator
 * steps per generator step, batches of 50, Adam(1e-3), {@link AdversarialTrainer}) collapses onto few clusters; an unrolled GAN
 * (Metz et al. 2017, {@link AdversarialTrainer} with the unrolled strategy) with the same networks, whose generator differentiates through K unrolled
 * discriminator updates, is trained beside it. Both are scored on 2500 samples: the clusters covered and the share of
 * high-quality samples (within 3 standard deviations, 1.5, of the nearest centre). A third run, the unrolled GAN's settings
 * with K = 0, shows that the unrolling is what makes the difference.
 *
 * <p>The two runs are independent, so they run at the same time on two threads (each single-threaded): the
 * networks are small enough that one matrix product does not use two cores well, two runs do.
 */
public final class ModeDropDemo implements Demo {
    /** The centres of the 8 clusters (read by the {@code unrolled} demo, which scores its GANs on the same data; do not modify). */
    public static final double[][] CENTRES = {{0, 8}, {0, -8}, {-8, 0}, {8, 0}, {4, 4}, {-4, -4}, {-4, 4}, {4, -4}};
    static final int PER_CLUSTER = 200, EVAL_SAMPLES = 2500, BATCH = 50;
    /** The clusters' standard deviation. */
    public static final double STD = 0.5;
    static final double HQ_RADIUS = 3 * STD;
    /** A cluster is covered when at least this many of the 2500 samples are high-quality samples nearest it (1%, an eighth of a fair share). */
    static final int COVER_MIN = 25;
    static final int PLAIN_ITERATIONS = 30000, PLAIN_D_STEPS = 5;
    /** The unrolled run: K, its iterations (one discriminator step each) and Adam's β₁ (0.5, as Metz et al.). */
    static final int UNROLL = 10, UNROLLED_ITERATIONS = 3000;
    static final double UNROLLED_BETA1 = 0.5, UNROLLED_D_LR = 1e-4;
    static final int SNAPSHOTS = 10;
    /** The hidden layers of both networks: the tutorial's, and quick mode's narrower ones (about 5x fewer FLOPs). */
    static final int[] HIDDEN = {300, 300, 150}, QUICK_HIDDEN = {128, 128, 64};
    /**
     * Quick mode: 600 plain and 300 unrolled iterations (K = 10, as the full run) on the narrower networks, 10-15 s in
     * all on two cores. Seeds 1-8 ended with the unrolled GAN on 4-6 modes, the same loop with K = 0 on 0-1, the plain GAN
     * on 1-2 except seed 1 (8: in so short a run the tutorial's loop has not always collapsed yet, so quick mode does not
     * check unrolled against plain).
     */
    static final int QUICK_PLAIN_ITERATIONS = 600, QUICK_UNROLLED_ITERATIONS = 300;
    /** Quick mode: the fewest modes the unrolled GAN must cover (seeds 1-8: at least 4), and how many more than with K = 0 (at least 3). */
    static final int QUICK_MIN_UNROLLED_MODES = 3, QUICK_MIN_GAIN_OVER_K0 = 2;

    @Override
    public String name() { return "modedrop"; }

    @Override
    public String title() { return "GAN mode dropping"; }

    @Override
    public String description() {
        return "A GAN with generator and discriminator 2-300-300-150 learns a ring of 8 Gaussian clusters. The tutorial's loop (5 "
                + "discriminator steps per generator step) drops modes: the generator settles on few clusters. An unrolled GAN, whose "
                + "generator looks " + UNROLL + " discriminator updates ahead and differentiates through them, is trained on the same "
                + "networks beside it; both are scored by the clusters they cover and their share of high-quality samples.";
    }

    static Tensor realData(Generator g) {
        int n = CENTRES.length * PER_CLUSTER;
        float[] c = new float[2 * n];
        for (int k = 0; k < CENTRES.length; k++) {
            for (int i = 0; i < PER_CLUSTER; i++) {
                c[2 * (k * PER_CLUSTER + i)] = (float) CENTRES[k][0];
                c[2 * (k * PER_CLUSTER + i) + 1] = (float) CENTRES[k][1];
            }
        }
        return Tensor.of(c, n, 2).add(Tensor.randn(g, n, 2).mul(STD));
    }

    /** Modes covered, the share of high-quality samples and the high-quality samples nearest each centre. */
    public record Score(int modes, double highQuality, int[] perMode) {}

    /**
     * Scores samples: each within 3 standard deviations (1.5) of its nearest centre is high quality; a centre with at least
     * 25 high-quality samples (1% of 2500) is covered.
     * @param xy (n, 2) samples, row-major
     */
    public static Score score(double[] xy) {
        int n = xy.length / 2, hq = 0;
        int[] per = new int[CENTRES.length];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bd = Double.POSITIVE_INFINITY;
            for (int k = 0; k < CENTRES.length; k++) {
                double d = Math.hypot(xy[2 * i] - CENTRES[k][0], xy[2 * i + 1] - CENTRES[k][1]);
                if (d < bd) {
                    bd = d;
                    best = k;
                }
            }
            if (bd < HQ_RADIUS) {
                hq++;
                per[best]++;
            }
        }
        int modes = 0;
        for (int c : per) if (c >= COVER_MIN) modes++;
        return new Score(modes, (double) hq / n, per);
    }

    /** Samples and scores of one run at its snapshot iterations. */
    record Run(String label, int iterations, List<Integer> at, List<double[]> samples, List<Score> scores, double seconds,
               double iterationsPerSecond, double lastDLoss, double lastGLoss) {}

    /** Trains one GAN with snapshots every iterations/SNAPSHOTS iterations; {@code trainer} runs n iterations with a callback. */
    private interface Trainer {
        AdversarialTrainer.History train(int n, Generator g, AdversarialTrainer.Callback cb);
    }

    private static Run runOne(String label, Gan gan, Trainer t, int iterations, Generator g, Generator eval, IntConsumer progress) {
        int every = Math.max(1, iterations / SNAPSHOTS);
        List<Integer> at = new ArrayList<>();
        List<double[]> samples = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        AdversarialTrainer.History h = t.train(iterations, g, (i, d, gl) -> {
            progress.accept(i);
            if (i % every == 0 || i == iterations) {
                if (!at.isEmpty() && at.getLast() == i) return;
                double[] s = gan.sample(eval, EVAL_SAMPLES).toDoubleArray();
                at.add(i);
                samples.add(s);
                scores.add(score(s));
            }
        });
        int tail = Math.min(500, iterations);
        double dl = 0, gl = 0;
        for (int i = iterations - tail; i < iterations; i++) {
            dl += h.discriminatorLoss()[i] / tail;
            gl += h.generatorLoss()[i] / tail;
        }
        return new Run(label, iterations, at, samples, scores, h.seconds(), h.iterationsPerSecond(), dl, gl);
    }

    /** Generator 2-hidden-2 and discriminator 2-hidden-1, ReLU. */
    static Gan networks(Generator g, int[] hidden) {
        int[] gs = new int[hidden.length + 2], ds = new int[hidden.length + 2];
        gs[0] = ds[0] = 2;
        System.arraycopy(hidden, 0, gs, 1, hidden.length);
        System.arraycopy(hidden, 0, ds, 1, hidden.length);
        gs[hidden.length + 1] = 2;
        ds[hidden.length + 1] = 1;
        return new Gan(Mlp.of(g, gs).build(), Mlp.of(g, ds).build(), Gan.gaussianNoise(2));
    }

    @Override
    public DemoResult run(DemoContext ctx) throws Exception {
        DemoResult r = new DemoResult();
        int plainIters = ctx.pick(PLAIN_ITERATIONS, QUICK_PLAIN_ITERATIONS), unrolledIters = ctx.pick(UNROLLED_ITERATIONS,
                QUICK_UNROLLED_ITERATIONS), unroll = UNROLL;
        int[] hidden = ctx.quick() ? QUICK_HIDDEN : HIDDEN;
        String nets = "G 2-" + join(hidden) + "-2, D 2-" + join(hidden) + "-1";
        Tensor real = realData(ctx.generator("modedrop-data"));
        // the same initial networks for every run
        Gan plainGan = networks(ctx.generator("modedrop-init"), hidden), unrolledGan = networks(ctx.generator("modedrop-init"), hidden),
                controlGan = networks(ctx.generator("modedrop-init"), hidden);
        AdversarialTrainer plain = AdversarialTrainer.builder(plainGan).realData(real).batchSize(BATCH).discriminatorSteps(PLAIN_D_STEPS)
                .discriminatorOptimizer(p -> new Adam(p, 1e-3)).generatorOptimizer(p -> new Adam(p, 1e-3)).build();
        AdversarialTrainer unrolled = unrolledTrainer(unrolledGan, real, unroll), control = unrolledTrainer(controlGan, real, 0);

        int threadsBefore = Threads.get();
        long t0 = System.nanoTime();
        Run pr, ur, cr;
        ExecutorService pool = Executors.newFixedThreadPool(2, run -> {
            Thread th = new Thread(run, "modedrop-run");
            th.setDaemon(true);
            return th;
        });
        try (Progress pp = ctx.progress("plain GAN", plainIters); Progress up = ctx.progress("unrolled GAN", unrolledIters);
             Progress cp = ctx.progress("unrolled GAN with K = 0", unrolledIters)) {
            Threads.set(1);   // one core per thread: the runs share the machine instead of each matrix product
            Future<Run> fp = pool.submit(() -> runOne("plain GAN", plainGan, plain::train, plainIters, ctx.generator("modedrop-plain"),
                    ctx.generator("modedrop-eval"), pp::stepTo));
            Future<Run[]> fu = pool.submit(() -> new Run[]{
                    runOne("unrolled GAN, K = " + unroll, unrolledGan, unrolled::train, unrolledIters, ctx.generator("modedrop-unrolled"),
                            ctx.generator("modedrop-eval"), up::stepTo),
                    runOne("same, K = 0", controlGan, control::train, unrolledIters, ctx.generator("modedrop-unrolled"),
                            ctx.generator("modedrop-eval"), cp::stepTo)});
            pr = fp.get();
            Run[] u = fu.get();
            ur = u[0];
            cr = u[1];
        } finally {
            Threads.set(threadsBefore);
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - t0) * 1e-9;
        r.steps((long) plainIters * (PLAIN_D_STEPS + 1) + (long) unrolledIters * (1 + 1 + unroll) + (long) unrolledIters * 2);

        Score ps = pr.scores.getLast(), us = ur.scores.getLast(), cs = cr.scores.getLast();
        for (Run run : List.of(pr, ur, cr)) {
            Score s = run.scores.getLast();
            ctx.log("%-22s %5d iterations in %6.1f s (%6.1f it/s): %d of 8 modes, %5.1f%% high-quality samples %s", run.label + ":",
                    run.iterations, run.seconds, run.iterationsPerSecond, s.modes, 100 * s.highQuality, java.util.Arrays.toString(s.perMode));
        }

        for (Run run : List.of(pr, ur, cr)) {
            String k = run == pr ? "plain_" : run == ur ? "unrolled_" : "control_k0_";
            Score s = run.scores.getLast();
            r.metric(k + "iterations", run.iterations).metric(k + "seconds", run.seconds).metric(k + "iterations_per_second", run.iterationsPerSecond);
            r.metric(k + "modes_covered", s.modes).metric(k + "high_quality_share", s.highQuality).metric(k + "high_quality_per_mode", s.perMode);
            r.metric(k + "snapshot_iterations", run.at.stream().mapToInt(Integer::intValue).toArray());
            r.metric(k + "modes_by_snapshot", run.scores.stream().mapToInt(Score::modes).toArray());
            r.metric(k + "high_quality_by_snapshot", run.scores.stream().mapToDouble(Score::highQuality).toArray());
            r.metric(k + "losses_last_500_d_g", new double[]{run.lastDLoss, run.lastGLoss});
        }
        r.metric("unroll_steps", unroll);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("plain", "AdversarialTrainer, plain: " + PLAIN_D_STEPS + " discriminator steps per generator step, batch " + BATCH + "+" + BATCH
                + ", Adam(1e-3) for both (the tutorial's loop)");
        settings.put("unrolled", "AdversarialTrainer, unrolled: K = " + unroll + " unrolled discriminator updates, 1 discriminator step per generator step, "
                + "batch " + BATCH + "+" + BATCH + ", discriminator Adam(" + UNROLLED_D_LR + ", betas " + UNROLLED_BETA1 + ", 0.999) for its "
                + "real and unrolled updates, generator Adam(1e-3, betas " + UNROLLED_BETA1 + ", 0.999)");
        settings.put("control_k0", "the unrolled GAN's settings with K = 0: the same loop without unrolling");
        settings.put("networks", "every run: " + nets + ", ReLU, the same initial weights");
        settings.put("scoring", EVAL_SAMPLES + " samples; high quality = within " + HQ_RADIUS + " (3 std) of the nearest centre; a mode is "
                + "covered with at least " + COVER_MIN + " high-quality samples");
        r.metric("settings", settings);
        r.metric("wall_seconds_all_runs", wall);

        if (!ctx.quick()) {
            r.check(Check.greaterThan("the unrolled GAN covers more modes than the plain GAN (modes, unrolled minus plain)", us.modes - ps.modes, 0));
            r.check(Check.atLeast("modes covered by the unrolled GAN", us.modes, 6));
            r.check(Check.atLeast("share of high-quality samples of the unrolled GAN", us.highQuality, 0.5));
        } else {
            r.check(Check.atLeast("the unrolling spreads the generator: modes covered with K = " + unroll + " minus with K = 0",
                    us.modes - cs.modes, QUICK_MIN_GAIN_OVER_K0));
            r.check(Check.atLeast("modes covered by the unrolled GAN", us.modes, QUICK_MIN_UNROLLED_MODES));
        }
        r.note(String.format(Locale.ROOT, "The plain GAN covers %d of 8 modes after %d iterations (%.0f%% of its samples are high quality); "
                + "by snapshot: %s modes. The original's collapsed onto one cluster.", ps.modes, plainIters, 100 * ps.highQuality,
                java.util.Arrays.toString(pr.scores.stream().mapToInt(Score::modes).toArray())));
        r.note(String.format(Locale.ROOT, "The unrolled GAN (K = %d) covers %d modes (%.0f%% high quality); by snapshot: %s. With K = 0 and "
                + "everything else the same it covers %d (%.0f%%); by snapshot: %s%s", unroll, us.modes, 100 * us.highQuality,
                java.util.Arrays.toString(ur.scores.stream().mapToInt(Score::modes).toArray()), cs.modes, 100 * cs.highQuality,
                java.util.Arrays.toString(cr.scores.stream().mapToInt(Score::modes).toArray()),
                cs.modes < us.modes ? ": the unrolling, not the other settings, spreads the generator."
                        : ": here the other settings do as well, so the difference is not the unrolling alone."));
        r.note(String.format(Locale.ROOT, "Deviation for time: the unrolled runs take %d iterations, not %d. An unrolled iteration costs "
                + "about %.0fx a plain one (K = %d discriminator updates recorded with their gradients, then differentiated again); the "
                + "unrolled runs share the second core while the plain GAN runs on the first.", unrolledIters, plainIters,
                pr.iterationsPerSecond / ur.iterationsPerSecond, unroll));
        r.note("The unrolled GAN follows Metz et al. (2017): one discriminator step per generator step, Adam with beta1 = 0.5, and the "
                + "same Adam update for the discriminator's real and unrolled steps (the real ones by its fused optimiser, the unrolled ones by "
                + "that optimiser's pure UpdateRule from the same state). "
                + "Its discriminator learns at 1e-4 as there; its generator at 1e-3, to move within the shorter run.");
        if (ctx.quick()) r.note("Quick mode: " + plainIters + " plain and " + unrolledIters + " unrolled iterations (K = " + unroll
                + ") on narrower networks (" + nets + "). Checked: the unrolled GAN covers at least " + QUICK_MIN_UNROLLED_MODES
                + " modes and " + QUICK_MIN_GAIN_OVER_K0 + " more than with K = 0. Not checked: unrolled against plain, because in "
                + plainIters + " iterations the tutorial's loop has not always collapsed yet (seed 1: 8 modes); the full run checks it.");

        double[] rd = real.toDoubleArray();
        ctx.figure(r, progressFigure(pr, rd), "plain_progress.png", "Samples of the plain GAN (orange, 500 of 2500) over the real data "
                + "(grey) every " + pr.at.getFirst() + " iterations, with the modes covered and the high-quality share.");
        ctx.figure(r, progressFigure(ur, rd), "unrolled_progress.png", "Samples of the unrolled GAN (K = " + unroll + ", green) every "
                + ur.at.getFirst() + " iterations, likewise.");
        ctx.figure(r, progressFigure(cr, rd), "control_progress.png", "The unrolled GAN's settings with K = 0 (purple), every "
                + cr.at.getFirst() + " iterations, likewise.");
        BufferedImage a = snapshot("plain GAN, " + plainIters + " it.", rd, pr.samples.getLast(), ps, 560, Plots.ORANGE, 2500);
        BufferedImage b = snapshot("unrolled, K = " + unroll + ", " + unrolledIters + " it.", rd, ur.samples.getLast(), us, 560, Plots.GREEN, 2500);
        BufferedImage c = snapshot("same, K = 0, " + unrolledIters + " it.", rd, cr.samples.getLast(), cs, 560, Plots.PURPLE, 2500);
        ctx.figure(r, Plots.panels("Final samples (2500 each) over the real data", 3, a, b, c), "final.png", String.format(Locale.ROOT,
                "Final samples: the plain GAN covers %d modes (%.0f%% high quality), the unrolled GAN %d (%.0f%%), the same without "
                + "unrolling %d (%.0f%%).", ps.modes, 100 * ps.highQuality, us.modes, 100 * us.highQuality, cs.modes, 100 * cs.highQuality));
        return r;
    }

    private static String join(int[] sizes) {
        StringBuilder b = new StringBuilder();
        for (int v : sizes) b.append(b.length() == 0 ? "" : "-").append(v);
        return b.toString();
    }

    static AdversarialTrainer unrolledTrainer(Gan gan, Tensor real, int unroll) {
        return AdversarialTrainer.builder(gan).realData(real).batchSize(BATCH).unrollSteps(unroll).discriminatorSteps(1)
                .discriminatorUpdate(UpdateRule.adam(UNROLLED_D_LR, UNROLLED_BETA1, 0.999, 1e-8))
                .generatorOptimizer(p -> Adam.builder().lr(1e-3).betas(UNROLLED_BETA1, 0.999).build(p)).build();
    }

    private static BufferedImage progressFigure(Run run, double[] real) {
        List<BufferedImage> imgs = new ArrayList<>();
        for (int i = 0; i < run.at.size(); i++) {
            imgs.add(snapshot("iteration " + run.at.get(i), real, run.samples.get(i), run.scores.get(i), 360,
                    run.label.startsWith("plain") ? Plots.ORANGE : run.label.startsWith("same") ? Plots.PURPLE : Plots.GREEN, 500));
        }
        return Plots.panels(run.label, 5, imgs);
    }

    private static BufferedImage snapshot(String title, double[] real, double[] gen, Score s, int size, Color color, int points) {
        XYChart c = Plots.xy(String.format(Locale.ROOT, "%s: %d mode%s, %.0f%% HQ", title, s.modes, s.modes == 1 ? "" : "s",
                100 * s.highQuality), null, null, size, size);
        double[] rx = new double[real.length / 2], ry = new double[real.length / 2];
        for (int i = 0; i < rx.length; i++) {
            rx[i] = real[2 * i];
            ry[i] = real[2 * i + 1];
        }
        int m = Math.min(points, gen.length / 2);
        double[] gx = new double[m], gy = new double[m];
        for (int i = 0; i < m; i++) {
            gx[i] = gen[2 * i];
            gy[i] = gen[2 * i + 1];
        }
        Plots.scatter(c, null, rx, ry, new Color(170, 170, 170), 3);
        Plots.scatter(c, null, gx, gy, color, 3);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, size < 500 ? 12 : 15));
        Plots.limits(c, -11, 11, -11, 11);
        return Plots.image(c);
    }
}
