package dev.deepprob.demos.bnn;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.Check;
import dev.deepprob.demos.Demo;
import dev.deepprob.demos.DemoContext;
import dev.deepprob.demos.DemoResult;
import dev.deepprob.demos.Progress;
import dev.deepprob.demos.data.MakeClassification;
import dev.deepprob.demos.elbo.ElboDemo;
import dev.deepprob.demos.laplace.ClassificationPlots;
import dev.deepprob.demos.laplace.LaplaceDemo;
import dev.deepprob.demos.plot.ColorMap;
import dev.deepprob.demos.plot.DensityPlot;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Reduction;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.Tanh;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.MultivariateNormal;
import dev.deepprob.prob.infer.Elbo;
import dev.deepprob.prob.infer.Svi;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * NOTEBOOKS.md section 5: a Bayesian neural network 3 → 5 (tanh) → 1 without biases, its 20 weights under a
 * full-covariance Gaussian q fitted by the ELBO (one reparameterised sample per step, Adam(0.05), 70000 steps), with the
 * loss of the elbo demo (mean BCE + KL(q‖p)/(N·D), KL sign fixed). The Bayesian predictive, averaged over samples of q,
 * is as sure as the plug-in network on the data and unsure away from it.
 *
 * <p>Float64 throughout: at these sizes (2000 × 5 activations) a step costs the same in F32 and F64, because the time goes
 * to per-operation overhead, not arithmetic; F64 keeps 70000 accumulated Adam updates and the log-likelihood exact.
 */
public final class BnnDemo implements Demo {
    static final int HIDDEN = 5, IN = 3, WEIGHTS = IN * HIDDEN + HIDDEN, D = 3;
    static final double CLASS_SEP = 3.0;

    @Override
    public String name() { return "bnn"; }

    @Override
    public String title() { return "Bayesian neural network by variational inference"; }

    @Override
    public String description() {
        return "A 3 → 5 (tanh) → 1 network without biases whose 20 weights have a full-covariance Gaussian posterior q, fitted by "
                + "maximising the ELBO with one reparameterised sample per step for 70000 Adam steps (the loss of the elbo demo, with "
                + "the KL's sign fixed). The predictive surface of the mean weights classifies the training data; the Bayesian "
                + "predictive, averaged over weights drawn from q, agrees with it on the data and becomes uncertain away from it.";
    }

    /**
     * The network as an nn module: Mlp 3 → 5 (tanh) → 1 without biases. Its own weights are never used: each evaluation
     * substitutes a weight vector through {@link dev.deepprob.nn.Module#functionalCall}, so the q over the weights is
     * an ordinary distribution over a vector while the network stays a module.
     */
    static final Sequential NET = Mlp.of(new Generator(0), IN, HIDDEN, 1).activation(Tanh::new).bias(false).dtype(DType.F64).build();
    private static final List<String> NAMES = List.copyOf(NET.namedParameters().keySet());   // [0.weight (5, 3), 2.weight (1, 5)]

    /**
     * The network's logits (n) for weights w (20): tanh(X W₁) W₂ with W₁ = w[0:15] as (3, 5), W₂ = w[15:20] as (5, 1),
     * i.e. the Linear layers' weights W₁ᵀ and W₂ᵀ, evaluated by the module with those values (differentiable in w).
     */
    static Tensor logits(Tensor x, Tensor w) {
        Map<String, Tensor> v = Map.of(NAMES.get(0), w.narrow(0, 0, IN * HIDDEN).reshape(IN, HIDDEN).t(),
                NAMES.get(1), w.narrow(0, IN * HIDDEN, HIDDEN).reshape(HIDDEN, 1).t());
        return NET.functionalCall(v, x).reshape(x.shape(0));
    }

    /**
     * log p(y | w) = Σᵢ log σ(sᵢ zᵢ) with sᵢ = 2yᵢ - 1: the same number as -BCE-with-logits summed (log σ(z) for y = 1,
     * log σ(-z) = log(1 - σ(z)) for y = 0), in 4 operations instead of the stable softplus's 14. In float64 σ(t) stays
     * positive down to t = -745, and here |z| <= Σ|W₂| stays far inside that; the demo checks the value against
     * {@link Losses#bceWithLogits} at the end.
     */
    static Function<Tensor, Tensor> logLikelihood(Tensor x, Tensor y) {
        Tensor sign = y.mul(2).sub(1);
        return w -> logits(x, w).mul(sign).sigmoid().log().sum();
    }

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        MakeClassification.Conditioned cd = LaplaceDemo.data(ctx, CLASS_SEP);
        MakeClassification.Dataset data = cd.data();
        Tensor x = data.withOnes(), y = data.y();
        int n = data.size();

        Tensor mean = Tensor.ones(DType.F64, WEIGHTS).requiresGrad(true);
        Tensor free = Tensor.ones(DType.F64, WEIGHTS * (WEIGHTS + 1) / 2).requiresGrad(true);     // 210
        Function<Tensor, Tensor> tril = ElboDemo.trilFromVector(WEIGHTS);
        MultivariateNormal prior = new MultivariateNormal(Tensor.zeros(DType.F64, WEIGHTS), null, null, Tensor.eye(DType.F64, WEIGHTS), false);
        Function<Tensor, Tensor> logLik = logLikelihood(x, y);
        Elbo elbo = Elbo.builder(prior, logLik).dataSize(n).klWeight(1.0 / D).build();
        Adam adam = new Adam(List.of(mean, free), 0.05);
        Svi<MultivariateNormal> svi = new Svi<>(List.of(mean, free), adam,
                ps -> new MultivariateNormal(ps.get(0), null, null, tril.apply(ps.get(1)), false), elbo);
        int steps = ctx.pick(70_000, 6_000);
        double[] hist;
        long t0 = System.nanoTime();
        try (Progress p = ctx.progress("SVI", steps)) {
            hist = svi.run(steps, ctx.generator("svi"), (k, loss) -> p.stepTo(k, () -> String.format(Locale.ROOT, "loss %.4f", loss)));
        }
        double trainSeconds = (System.nanoTime() - t0) * 1e-9;
        MultivariateNormal q = svi.q();
        double[] wm = q.loc().toDoubleArray();
        double[][] ws = LaplaceDemo.rows(q.sample(ctx.generator("q samples"), ctx.pick(400, 150)));

        // the fast log-likelihood is -BCE summed: checked at the mean weights
        double llFast, llBce;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            llFast = logLik.apply(q.loc()).item();
            llBce = -Losses.bceWithLogits(logits(x, q.loc()), y, Reduction.SUM).item();
        }

        // the plain-double network (prob, used for the grids: 48000 points x 400 weight samples) is the module's: checked on the data
        double[] pModule;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            pModule = logits(x, q.loc()).sigmoid().toDoubleArray();
        }

        // predictive on the data and on a grid
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray();
        double[] pPlug = new double[n], pMean = new double[n], pStd = new double[n];
        int okPlug = 0, okBayes = 0;
        for (int i = 0; i < n; i++) {
            double a = xv[3 * i + 1], b = xv[3 * i + 2];
            pPlug[i] = prob(wm, a, b);
            double[] ms = moments(ws, a, b);
            pMean[i] = ms[0];
            pStd[i] = ms[1];
            if ((pPlug[i] > 0.5) == (yv[i] > 0.5)) okPlug++;
            if ((pMean[i] > 0.5) == (yv[i] > 0.5)) okBayes++;
        }
        double accPlug = (double) okPlug / n, accBayes = (double) okBayes / n;
        double moduleVsPlain = 0;
        for (int i = 0; i < n; i++) moduleVsPlain = Math.max(moduleVsPlain, Math.abs(pModule[i] - pPlug[i]));
        ClassificationPlots.Window win = ClassificationPlots.Window.around(data, 0.08);
        ClassificationPlots.Window wide = ClassificationPlots.Window.around(data, 0.6);
        int gc = ctx.pick(240, 100), gr = ctx.pick(200, 80);
        double[][] zPlug = ClassificationPlots.grid((a, b) -> prob(wm, a, b), wide, gc, gr);
        double[][] zMean = new double[gr][gc], zStd = new double[gr][gc];
        double dx = (wide.x1() - wide.x0()) / gc, dy = (wide.y1() - wide.y0()) / gr;
        double[] fa = data.feature(0), fb = data.feature(1);
        double farDist = farDistance(data);
        List<Double> farStd = new ArrayList<>();
        for (int rr = 0; rr < gr; rr++) {
            for (int c = 0; c < gc; c++) {
                double a = wide.x0() + (c + 0.5) * dx, b = wide.y0() + (rr + 0.5) * dy;
                double[] ms = moments(ws, a, b);
                zMean[rr][c] = ms[0];
                zStd[rr][c] = ms[1];
                if (nearest(fa, fb, a, b) > farDist) farStd.add(ms[1]);
            }
        }
        double[] far = farStd.stream().mapToDouble(Double::doubleValue).toArray();
        int farCount = far.length;
        double stdOnData = mean(pStd, 0, n), stdFar = farCount == 0 ? Double.NaN : mean(far, 0, farCount);
        double tail = mean(hist, Math.max(0, steps - 1000), steps);
        // the objective at the start and at the end, each a 256-sample estimate (one sample per step is too noisy to compare)
        double lossStart, lossEnd;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Elbo many = Elbo.builder(prior, logLik).particles(256).dataSize(n).klWeight(1.0 / D).build();
            MultivariateNormal q0 = new MultivariateNormal(Tensor.ones(DType.F64, WEIGHTS), null, null,
                    tril.apply(Tensor.ones(DType.F64, WEIGHTS * (WEIGHTS + 1) / 2)), false);
            lossStart = many.loss(q0, ctx.generator("objective")).item();
            lossEnd = many.loss(q, ctx.generator("objective")).item();
        }
        ctx.log("training accuracy: mean weights %.4f, Bayesian predictive %.4f; predictive std on the data %.4f, far from it %.4f",
                accPlug, accBayes, stdOnData, stdFar);
        ctx.log("%d steps in %.1f s (%.0f us/step)", steps, trainSeconds, trainSeconds / steps * 1e6);

        r.metric("n", n).metric("class_sep", CLASS_SEP).metric("data_layout", data.layout().toString()).metric("data_draws", cd.draws());
        r.metric("network", "Mlp 3 -> 5 (tanh) -> 1, no biases, evaluated with Module.functionalCall on 20 weights: w[0:15] as (3,5), "
                + "w[15:20] as (5,1) (the Linear weights are their transposes)");
        r.metric("max_abs_diff_module_vs_plain_double_network", moduleVsPlain);
        r.metric("q", "MultivariateNormal over 20 weights; mean init ones; scale_tril from 210 free numbers init ones, sigmoid on the diagonal");
        r.metric("loss", "BCE-with-logits mean + KL(q||p)/(N*D), N = " + n + ", D = " + D + " (+KL: the original's sign fixed), one rsample per step");
        r.metric("optimizer", "Adam(0.05)").metric("steps", steps).metric("train_seconds", trainSeconds)
                .metric("microseconds_per_step", trainSeconds / steps * 1e6).metric("dtype", "F64");
        r.metric("loss_first_step", hist[0]).metric("loss_mean_last_1000_steps", tail);
        r.metric("objective_initial_q_256_samples", lossStart).metric("objective_final_q_256_samples", lossEnd);
        r.metric("q_mean", wm).metric("q_sd", sds(q.covarianceMatrix().toDoubleArray()));
        r.metric("train_accuracy_mean_weights", accPlug).metric("train_accuracy_bayesian", accBayes);
        r.metric("predictive_samples", ws.length);
        r.metric("predictive_std_on_data_mean", stdOnData).metric("predictive_std_far_mean", stdFar)
                .metric("predictive_std_on_data_median", quantile(pStd, 0.5)).metric("predictive_std_far_median", quantile(far, 0.5))
                .metric("predictive_std_on_data_p90", quantile(pStd, 0.9)).metric("predictive_std_far_p90", quantile(far, 0.9))
                .metric("far_region", String.format(Locale.ROOT, "grid points over the data box widened by 60%% per side whose nearest "
                        + "training point is farther than %.3f (a quarter of the data box's diagonal): %d of %d", farDist, farCount, gc * gr));
        r.metric("loglik_at_q_mean_fast_formula", llFast).metric("loglik_at_q_mean_bce_with_logits", llBce);

        r.check(Check.atLeast("training accuracy, mean weights", accPlug, 0.95));
        r.check(Check.atLeast("training accuracy, Bayesian predictive", accBayes, 0.95));
        r.check(Check.greaterThan("predictive std far from the data over on it (ratio)", stdFar / stdOnData, 1));
        r.check(Check.near("log-likelihood: log σ(s·z) formula vs -BCE-with-logits", llFast, llBce, 1e-9 * Math.abs(llBce) + 1e-12));
        r.check(Check.lessThan("objective improved: final q over initial q (256-sample estimates)", lossEnd / lossStart, 1));
        // the same arithmetic up to summation order and the libm tanh/exp: a few ulps of probabilities in [0, 1]
        r.check(Check.lessThan("the plain-double network used for the grids is the module's (max |p difference| on the data)", moduleVsPlain, 1e-12));
        r.steps(steps);
        r.note("Sign fixed as in the elbo demo: the loss is mean BCE + KL(q||p)/(N·D) (the original subtracted the KL). D = 3, the "
                + "columns of X, as the tutorial's expression has it.");
        r.note("The data are those of the laplace demo (make_classification, class_sep 3, two clusters per class, conditioned on the "
                + "classes splitting along feature 2).");

        // ---------------------------------------------------------------- figures
        DensityPlot s1 = ClassificationPlots.withData(ClassificationPlots.surface(zPlug, wide, "Mean weights of q: σ(f(x; E_q[w]))", "P(class 1)")
                .contour(0.5, Color.BLACK, 1.5f, "p = 0.5"), data, 1.8);
        DensityPlot s2 = ClassificationPlots.withData(ClassificationPlots.surface(zMean, wide,
                "Bayesian predictive: mean over " + ws.length + " samples of q", "P(class 1)").contour(0.5, Color.BLACK, 1.5f, "p = 0.5"), data, 1.8);
        ctx.figure(r, Plots.panels("Bayesian neural network 3 → 5 → 1: predictive surfaces", 2, s1.render(), s2.render()), "bnn_surface.png",
                "The probability of class 1 from the network with the mean weights of q (left) and the Bayesian predictive, the network's "
                        + "output averaged over weights drawn from q (right), over a window 60% wider than the data on every side.");
        ctx.figure(r, withContourOf(zMean, zStd, wide, data), "bnn_uncertainty.png", String.format(Locale.ROOT,
                "The standard deviation of the predicted probability over weights drawn from q, with the training points and the Bayesian "
                        + "decision boundary (white). It is %.3f on average at the training points and %.3f on average far from them.",
                stdOnData, stdFar));
        return r;
    }

    /** The std map with the p = 0.5 level of the mean map on top (DensityPlot contours only its own grid, so the level is drawn as dots). */
    private static BufferedImage withContourOf(double[][] mean, double[][] std, ClassificationPlots.Window w,
                                                               MakeClassification.Dataset data) {
        // the mean's p = 0.5 level as dots where (mean - 0.5) changes sign between neighbouring cells, along columns and rows
        DensityPlot p = new DensityPlot(std, w.x0(), w.x1(), w.y0(), w.y1()).colorMap(ColorMap.VIRIDIS)
                .title("Predictive uncertainty: std of σ(f(x; w)), w ~ q").xLabel("feature 1").yLabel("feature 2").colorBar("std over samples")
                .size(900, 680);
        int rows = mean.length, cols = mean[0].length;
        double dx = (w.x1() - w.x0()) / cols, dy = (w.y1() - w.y0()) / rows;
        List<double[]> pts = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r + 1 < rows; r++) {
                double a = mean[r][c] - 0.5, b = mean[r + 1][c] - 0.5;
                if (a == 0 || a * b < 0) pts.add(new double[]{w.x0() + (c + 0.5) * dx, w.y0() + (r + 0.5 + a / (a - b)) * dy});
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c + 1 < cols; c++) {
                double a = mean[r][c] - 0.5, b = mean[r][c + 1] - 0.5;
                if (a * b < 0) pts.add(new double[]{w.x0() + (c + 0.5 + a / (a - b)) * dx, w.y0() + (r + 0.5) * dy});
            }
        }
        double[] px = new double[pts.size()], py = new double[pts.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = pts.get(i)[0];
            py[i] = pts.get(i)[1];
        }
        if (px.length > 0) p.points(px, py, Color.WHITE, null, 1.2, "Bayesian boundary p = 0.5");
        return ClassificationPlots.withData(p, data, 1.8).render();
    }

    // ------------------------------------------------------------------ plain-double evaluation of the network

    /** σ(tanh([1, a, b] W₁) W₂) for one weight vector. */
    static double prob(double[] w, double a, double b) {
        double z = 0;
        for (int j = 0; j < HIDDEN; j++) z += Math.tanh(w[j] + a * w[HIDDEN + j] + b * w[2 * HIDDEN + j]) * w[IN * HIDDEN + j];
        return 1 / (1 + Math.exp(-z));
    }

    /** {mean, std} of the predicted probability over the weight samples. */
    static double[] moments(double[][] ws, double a, double b) {
        double s = 0, s2 = 0;
        for (double[] w : ws) {
            double p = prob(w, a, b);
            s += p;
            s2 += p * p;
        }
        double m = s / ws.length;
        return new double[]{m, Math.sqrt(Math.max(0, s2 / ws.length - m * m))};
    }

    /** A quarter of the diagonal of the data's bounding box. */
    static double farDistance(MakeClassification.Dataset d) {
        double[] a = d.feature(0), b = d.feature(1);
        double w = max(a) - min(a), h = max(b) - min(b);
        return 0.25 * Math.hypot(w, h);
    }

    static double nearest(double[] fa, double[] fb, double a, double b) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < fa.length; i++) {
            double dx = fa[i] - a, dy = fb[i] - b, d2 = dx * dx + dy * dy;
            if (d2 < best) best = d2;
        }
        return Math.sqrt(best);
    }

    static double[] sds(double[] cov) {
        int d = (int) Math.round(Math.sqrt(cov.length));
        double[] s = new double[d];
        for (int i = 0; i < d; i++) s[i] = Math.sqrt(cov[i * d + i]);
        return s;
    }

    static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }

    /** The p-quantile (nearest rank) of the values; NaN for none. */
    static double quantile(double[] v, double p) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
    }

    static double min(double[] a) {
        double v = Double.POSITIVE_INFINITY;
        for (double x : a) v = Math.min(v, x);
        return v;
    }

    static double max(double[] a) {
        double v = Double.NEGATIVE_INFINITY;
        for (double x : a) v = Math.max(v, x);
        return v;
    }
}
