package dev.deepprob.demos.discriminator;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.Check;
import dev.deepprob.demos.Demo;
import dev.deepprob.demos.DemoContext;
import dev.deepprob.demos.DemoResult;
import dev.deepprob.demos.Progress;
import dev.deepprob.demos.plot.DensityPlot;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.infer.DensityRatio;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * NOTEBOOKS.md section 7: the density ratio of N((3, 3), I) to the uniform density on [-3, 8]² from a classifier
 * ({@link DensityRatio}). With balanced classes D/(1 - D) estimates p1/p0, and p0 = 1/121 on the square, so
 * (D/(1 - D))/121 estimates the normal density, compared with the truth on a grid; the mean log-ratio over normal
 * samples estimates KL(N || U) = log 121 - log(2πe) = 1.9579 (the entropy of a 2-D standard normal is log(2πe)).
 */
public final class DiscriminatorDemo implements Demo {
    static final int N = 3000;
    static final double LO = -3, HI = 8, AREA = (HI - LO) * (HI - LO), MU = 3;
    /** KL(N((3,3), I) || U([-3, 8]²)) = log 121 - log(2πe), ignoring the 3e-7 of normal mass outside the square. */
    static final double TRUE_KL = Math.log(AREA) - Math.log(2 * Math.PI * Math.E);

    @Override
    public String name() { return "discriminator"; }

    @Override
    public String title() { return "Density ratios with a discriminator"; }

    @Override
    public String description() {
        return "A classifier 2-30-20-10-1 trained to tell 3000 points of N((3, 3), I) from 3000 points uniform on [-3, 8]² estimates the "
                + "density ratio: D/(1 - D) = p_normal/p_uniform, so D/(1 - D)/121 is an estimate of the normal density, computed "
                + "from the logit as exp(logit)/121. It matches the true density closely over the square, and the mean log-ratio over "
                + "normal samples estimates KL(normal || uniform) = 1.958.";
    }

    static double trueDensity(double x, double y) {
        return Math.exp(-0.5 * ((x - MU) * (x - MU) + (y - MU) * (y - MU))) / (2 * Math.PI);
    }

    /** Cell centres of a grid of step h over the square, row-major with y outer (row 0 at the bottom). */
    static Tensor grid(double h, int n) {
        float[] v = new float[2 * n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                v[2 * (r * n + c)] = (float) (LO + (c + 0.5) * h);
                v[2 * (r * n + c) + 1] = (float) (LO + (r + 0.5) * h);
            }
        }
        return Tensor.of(v, n * n, 2);
    }

    /** Density estimate and truth on a grid, with the agreement numbers. */
    record GridResult(int n, double h, double[] est, double[] truth, double correlation, double maxAbsError, double meanAbsError,
                      double relL2Error, double massEstimate, double massTruth) {}

    static GridResult onGrid(DensityRatio ratio, double h) {
        int n = (int) Math.round((HI - LO) / h);
        Tensor pts = grid(h, n);
        double[] lr = ratio.logRatioValues(pts, 65536);
        float[] xy = pts.toFloatArray();
        double[] est = new double[n * n], truth = new double[n * n];
        for (int i = 0; i < est.length; i++) {
            est[i] = Math.exp(lr[i]) / AREA;
            truth[i] = trueDensity(xy[2 * i], xy[2 * i + 1]);
        }
        double me = 0, mt = 0;
        for (int i = 0; i < est.length; i++) {
            me += est[i];
            mt += truth[i];
        }
        double massE = me * h * h, massT = mt * h * h;
        me /= est.length;
        mt /= est.length;
        double sab = 0, saa = 0, sbb = 0, maxAbs = 0, sumAbs = 0, se = 0, st = 0;
        for (int i = 0; i < est.length; i++) {
            double a = est[i] - me, b = truth[i] - mt, d = est[i] - truth[i];
            sab += a * b;
            saa += a * a;
            sbb += b * b;
            maxAbs = Math.max(maxAbs, Math.abs(d));
            sumAbs += Math.abs(d);
            se += d * d;
            st += truth[i] * truth[i];
        }
        return new GridResult(n, h, est, truth, sab / Math.sqrt(saa * sbb), maxAbs, sumAbs / est.length, Math.sqrt(se / st), massE, massT);
    }

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        int steps = ctx.pick(20000, 4000);
        Generator g = ctx.generator("discriminator");
        Tensor uniform = Tensor.uniform(g, DType.F32, LO, HI, N, 2);   // class 0
        Tensor normal = Tensor.randn(g, N, 2).add(MU);                 // class 1
        Sequential clf = Mlp.of(g, 2, 30, 20, 10, 1).build();
        long t0 = System.nanoTime();
        DensityRatio ratio;
        try (Progress p = ctx.progress("training", steps)) {
            ratio = DensityRatio.trainer(clf).steps(steps).batchSize(50).sampling(DensityRatio.Sampling.POOLED)
                    .optimizer(ps -> new Adam(ps, 1e-3)).callback((s, l) -> p.step()).fit(normal, uniform, g);
        }
        double trainSeconds = (System.nanoTime() - t0) * 1e-9;
        r.steps(steps);
        float[] losses = ratio.losses();
        double lastLoss = 0;
        int tail = Math.min(1000, losses.length);
        for (int i = losses.length - tail; i < losses.length; i++) lastLoss += losses[i] / tail;
        ctx.log("trained %d steps in %.1f s; mean BCE of the last %d steps %.4f", steps, trainSeconds, tail, lastLoss);

        // the KL estimate on fresh normal samples (and, for comparison, on the training samples)
        double kl = ratio.klEstimate(Tensor.randn(g, 20000, 2).add(MU));
        double klTrain = ratio.klEstimate(normal);
        ctx.log("KL(normal || uniform): estimate %.4f on 20000 fresh samples (%.4f on the training samples), exact %.4f", kl, klTrain, TRUE_KL);

        GridResult coarse = onGrid(ratio, 0.1);
        GridResult fine = ctx.quick() ? coarse : onGrid(ratio, 0.01);
        ctx.log("density on the %dx%d grid (step %.2f): correlation %.4f, max |error| %.4f (peak density %.4f), mean |error| %.2e, "
                + "relative L2 error %.3f, mass %.4f", fine.n, fine.n, fine.h, fine.correlation, fine.maxAbsError, 1 / (2 * Math.PI),
                fine.meanAbsError, fine.relL2Error, fine.massEstimate);

        r.metric("samples_per_class", N).metric("training_steps", steps).metric("batch_size", 50).metric("class_prior", ratio.prior());
        r.metric("final_bce_mean_last_1000_steps", lastLoss);
        r.metric("kl_estimate", kl).metric("kl_estimate_on_training_samples", klTrain).metric("kl_exact", TRUE_KL);
        r.metric("kl_relative_error", Math.abs(kl - TRUE_KL) / TRUE_KL);
        for (GridResult gr : ctx.quick() ? new GridResult[]{coarse} : new GridResult[]{coarse, fine}) {
            String k = "grid_" + (gr.h == 0.1 ? "0.1" : "0.01") + "_";
            r.metric(k + "points", gr.n * gr.n).metric(k + "correlation", gr.correlation).metric(k + "max_abs_error", gr.maxAbsError)
                    .metric(k + "mean_abs_error", gr.meanAbsError).metric(k + "relative_l2_error", gr.relL2Error)
                    .metric(k + "mass_of_estimate", gr.massEstimate).metric(k + "mass_of_truth", gr.massTruth);
        }
        r.metric("peak_true_density", 1 / (2 * Math.PI));
        r.metric("training_seconds", trainSeconds).metric("steps_per_second", steps / trainSeconds);

        r.check(Check.atLeast("correlation of estimated and true density on the grid (step " + (ctx.quick() ? "0.1" : "0.01") + ")",
                fine.correlation, 0.95));
        r.check(Check.near("KL(normal || uniform) estimate vs log 121 - log(2πe) = 1.9579 (10%)", kl, TRUE_KL, 0.1 * TRUE_KL));
        r.note("D/(1 - D) is never formed: the ratio is exp(logit) (DensityRatio.ratio), so it stays exact where D rounds to 0 or 1.");
        r.note("KL is estimated on 20000 fresh normal samples; the training samples give a slightly optimistic value (reported too). "
                + "Strictly, KL(normal || uniform) is infinite, since the normal has about 3e-7 of its mass outside the square; 1.9579 is "
                + "the value inside it.");
        if (ctx.quick()) r.note("Quick mode: " + steps + " steps and the 0.1 grid only.");

        double vmax = 1 / (2 * Math.PI) * 1.15;
        BufferedImage est = density(coarse, coarse.est, "Estimate exp(logit)/121", vmax, null, null);
        BufferedImage tru = density(coarse, coarse.truth, "True density N((3,3), I)", vmax, null, null);
        ctx.figure(r, Plots.panels("Density of N((3, 3), I) on [-3, 8]²: discriminator estimate and truth", 2, est, tru), "density.png",
                String.format(Locale.ROOT, "Left: (D/(1 - D))/121 from the classifier, on a grid of step 0.1; right: the true density, "
                        + "same colour scale. Correlation %.4f on the step-%s grid.", fine.correlation, ctx.quick() ? "0.1" : "0.01"));
        double[] err = new double[coarse.est.length];
        for (int i = 0; i < err.length; i++) err[i] = coarse.est[i] - coarse.truth[i];
        double emax = 0;
        for (double e : err) emax = Math.max(emax, Math.abs(e));
        float[] nx = normal.toFloatArray();
        double[] px = new double[400], py = new double[400];
        for (int i = 0; i < 400; i++) {
            px[i] = nx[2 * i];
            py[i] = nx[2 * i + 1];
        }
        BufferedImage errImg = DensityPlot.ofFlat(err, coarse.n, coarse.n, LO, HI, LO, HI).title("Estimate - truth")
                .colorMap(dev.deepprob.demos.plot.ColorMap.BLUE_RED).range(-emax, emax).colorBar("density error").xLabel("x₁").yLabel("x₂")
                .points(px, py, new Color(0, 0, 0, 0), new Color(40, 40, 40, 140), 2.2, "400 normal samples").size(820, 660).render();
        ctx.figure(r, errImg, "error.png", String.format(Locale.ROOT, "The error of the estimated density on the step-0.1 grid, with 400 "
                + "of the normal samples: at most %.4f in absolute value (the peak density is 0.159), mean %.1e.", emax, coarse.meanAbsError));
        return r;
    }

    private static BufferedImage density(GridResult gr, double[] z, String title, double vmax, double[] px, double[] py) {
        DensityPlot p = DensityPlot.ofFlat(z, gr.n, gr.n, LO, HI, LO, HI).title(title).range(0, vmax).colorBar("density")
                .xLabel("x₁").yLabel("x₂").size(700, 600);
        if (px != null) p.points(px, py, Color.WHITE, Color.BLACK, 2, null);
        return p.render();
    }
}
