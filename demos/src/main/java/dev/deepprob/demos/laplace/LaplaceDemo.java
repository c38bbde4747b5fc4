package dev.deepprob.demos.laplace;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.Check;
import dev.deepprob.demos.Demo;
import dev.deepprob.demos.DemoContext;
import dev.deepprob.demos.DemoResult;
import dev.deepprob.demos.Fmt;
import dev.deepprob.demos.Progress;
import dev.deepprob.demos.data.MakeClassification;
import dev.deepprob.demos.plot.DensityPlot;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.engine.DType;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Reduction;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.infer.LaplaceApproximation;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.function.Function;

/**
 * NOTEBOOKS.md section 3: Bayesian logistic regression by the LaplaceApproximation approximation ({@link Laplace}). One prior,
 * w ~ N(0, α⁻¹ I) with α = 1, is used both in the loss (the negative log joint, summed over the data) and in the
 * precision; the MAP comes from Adam(0.05), 5000 full-batch steps; the precision is computed analytically
 * (αI + Xᵀ diag(s(1-s)) X) and from autograd's Hessian, and the two agree to rounding. Far from the data, along the
 * decision boundary, the Bayesian predictive is less sure than the plug-in MAP.
 */
public final class LaplaceDemo implements Demo {
    /** The prior precision α: w ~ N(0, α⁻¹ I). */
    public static final double ALPHA = 1.0;
    static final int N = 2000;
    static final double CLASS_SEP = 3.0;
    static final double[] FAR = {1, 100, 0.5};

    @Override
    public String name() { return "laplace"; }

    @Override
    public String title() { return "Bayesian logistic regression: the Laplace approximation"; }

    @Override
    public String description() {
        return "Logistic regression on 2000 points of a make_classification data set, with the prior w ~ N(0, I) used both in the loss "
                + "(the negative log joint) and in the posterior. The MAP comes from Adam; the posterior is the Gaussian at the MAP whose "
                + "precision is the negative Hessian of the log joint, computed in closed form and by automatic differentiation (they "
                + "agree to rounding). At the far point x = (100, 0.5), along the decision boundary, the Bayesian predictive (the "
                + "sigmoid averaged over posterior samples) is much less sure than the plug-in MAP: the posterior knows it has not "
                + "seen data there.";
    }

    /** The data of this demo and the elbo demo: make_classification conditioned on a split by feature 2 (see the note). */
    public static MakeClassification.Conditioned data(DemoContext ctx, double classSep) {
        return MakeClassification.generateWithLayout(N, classSep, MakeClassification.Layout.SPLIT_BY_FEATURE_2, ctx.generator("data"), 100);
    }

    /** log p(w, data) = Σᵢ log p(yᵢ | xᵢ, w) + log N(w; 0, α⁻¹ I), for X (n, 3) and y (n). */
    public static Function<Tensor, Tensor> logJoint(Tensor x, Tensor y, double alpha) {
        int d = x.shape(1);
        double logNorm = 0.5 * d * Math.log(alpha / (2 * Math.PI));
        return w -> Losses.bceWithLogits(x.matmul(w), y, Reduction.SUM).neg().sub(w.square().sum().mul(0.5 * alpha)).add(logNorm);
    }

    /** -∇² log p(w, data) = αI + Xᵀ diag(s(1 - s)) X with s = σ(Xw) (Bishop 2006, eq. 4.143 plus the prior). */
    public static Function<Tensor, Tensor> analyticPrecision(Tensor x, double alpha) {
        return w -> {
            Tensor s = x.matmul(w).sigmoid();
            return x.t().matmul(x.mul(s.mul(s.rsub(1)).unsqueeze(1))).add(Tensor.eye(x.dtype(), x.shape(1)).mul(alpha));
        };
    }

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        MakeClassification.Conditioned cd = data(ctx, CLASS_SEP);
        MakeClassification.Dataset data = cd.data();
        Tensor x = data.withOnes(), y = data.y();
        Function<Tensor, Tensor> logJoint = logJoint(x, y, ALPHA);
        Function<Tensor, Tensor> precisionFn = analyticPrecision(x, ALPHA);

        // MAP by Adam on the negative log joint, precision analytic
        int steps = 5000;   // cheap (about 0.1 ms a step), so quick mode runs the original's full schedule too
        LaplaceApproximation lap;
        try (Progress p = ctx.progress("MAP (Adam)", steps)) {
            lap = LaplaceApproximation.fit(logJoint, Tensor.zeros(DType.F64, 3)).optimizer(ps -> new Adam(ps, 0.05), steps).precision(precisionFn)
                    .listener((k, v) -> p.stepTo(k, () -> String.format(Locale.ROOT, "-log p(w, data) %.4f", v))).run();
        }
        double[] wMap = lap.mode().toDoubleArray();
        double[] precA = lap.precision().toDoubleArray();
        // the same precision from autograd's second-order gradients
        double[] precH = LaplaceApproximation.autogradPrecision(logJoint, lap.mode()).toDoubleArray();
        double relErr = relErr(precH, precA);
        // Newton's mode, as a check on Adam's
        LaplaceApproximation newton = LaplaceApproximation.fit(logJoint, Tensor.zeros(DType.F64, 3)).precision(precisionFn).newton(50, 1e-12).run();
        double[] wNewton = newton.mode().toDoubleArray();
        double modeErr = relErr(wMap, wNewton);
        double[] sd = lap.marginalStd();
        ctx.log("MAP w = [%.4f, %.4f, %.4f] (Newton: [%.4f, %.4f, %.4f]), posterior sd [%.4f, %.4f, %.4f]", wMap[0], wMap[1], wMap[2],
                wNewton[0], wNewton[1], wNewton[2], sd[0], sd[1], sd[2]);
        ctx.log("precision: analytic vs autograd Hessian, relative error %.2e", relErr);

        // the predictive at the far point
        double[] cov = lap.covariance().toDoubleArray();
        double mapFar = sigmoid(dot(FAR, wMap));
        double[][] ws = rows(lap.posterior().sample(ctx.generator("posterior samples"), 10_000));
        double bayesFar = meanSigmoid(ws, FAR, ws.length);
        double bayes30 = meanSigmoid(ws, FAR, 30);
        double muA = dot(FAR, wMap), varA = quad(cov, FAR);
        double probit = sigmoid(muA / Math.sqrt(1 + Math.PI * varA / 8));
        ctx.log("at x = [1, 100, 0.5]: plug-in MAP %.4f, Bayesian %.4f (10000 samples; %.4f from the first 30), probit approximation %.4f",
                mapFar, bayesFar, bayes30, probit);
        double acc = accuracy(x, y, wMap);

        r.metric("n", N).metric("class_sep", CLASS_SEP).metric("data_layout", data.layout().toString()).metric("data_draws", cd.draws());
        r.metric("prior", "w ~ N(0, I) (precision alpha = 1), in the loss and in the Laplace precision");
        r.metric("loss", "negative log joint, BCE summed over the data + 0.5 alpha |w|^2");
        r.metric("adam_steps", steps).metric("w_map", wMap).metric("w_newton", wNewton).metric("map_vs_newton_rel_err", modeErr);
        r.metric("grad_norm_at_map", lap.gradientNormAtMode());
        r.metric("neg_log_joint_at_map", -lap.logJointAtMode());
        r.metric("posterior_sd", sd).metric("posterior_covariance", cov);
        r.metric("precision_analytic", precA).metric("precision_autograd", precH).metric("precision_rel_err", relErr);
        r.metric("far_point", FAR).metric("p_far_map", mapFar).metric("p_far_bayes_10000_samples", bayesFar).metric("p_far_bayes_30_samples", bayes30)
                .metric("p_far_probit_approx", probit);
        r.metric("train_accuracy_map", acc).metric("laplace_log_evidence", lap.logEvidence());

        r.check(Check.lessThan("precision: analytic vs autograd Hessian (relative error)", relErr, 1e-4));
        r.check(Check.lessThan("Adam's MAP vs Newton's mode (relative error)", modeErr, 1e-3));
        // strictly between 0.5 and the MAP probability: 0 < (Bayes - ½)/(MAP - ½) < 1, whichever side of ½ the MAP is on
        double ratio = (bayesFar - 0.5) / (mapFar - 0.5), ratio30 = (bayes30 - 0.5) / (mapFar - 0.5);
        r.metric("far_point_ratio_bayes_over_map", ratio).metric("far_point_ratio_bayes30_over_map", ratio30);
        r.check(Check.greaterThan("far point: (Bayesian - 0.5)/(MAP - 0.5), same side of 0.5", ratio, 0));
        r.check(Check.lessThan("far point: (Bayesian - 0.5)/(MAP - 0.5), less sure than MAP", ratio, 1));
        r.check(Check.atLeast("training accuracy (MAP)", acc, 0.95));
        r.steps(steps + newton.newtonSteps());
        r.note("The original added wᵀ(I/200)w to the mean loss but used 200 I as the prior precision in the LaplaceApproximation step; here one prior, "
                + "N(0, I), is used in both, and the loss is the negative log joint summed over the data (not averaged).");
        r.note("make_classification with two clusters per class puts the clusters at the four corners of a square in random order: the "
                + "classes split along feature 1, along feature 2, or on diagonal corners (XOR), each with probability 1/3. The data are "
                + "drawn until they split along feature 2 (" + cd.draws() + " draw" + (cd.draws() == 1 ? "" : "s") + " with this seed), "
                + "the layout of the original's figure, where the point (100, 0.5) lies along the decision boundary.");

        // ---------------------------------------------------------------- figures
        ClassificationPlots.Window win = ClassificationPlots.Window.around(data, 0.08);
        int gc = ctx.pick(300, 120), gr = ctx.pick(260, 100);
        double[][] zMap = ClassificationPlots.grid((a, b) -> sigmoid(wMap[0] + wMap[1] * a + wMap[2] * b), win, gc, gr);
        int sSurf = ctx.pick(400, 100);
        double[][] zBayes = ClassificationPlots.grid((a, b) -> meanSigmoid(ws, new double[]{1, a, b}, sSurf), win, gc, gr);
        BufferedImage s1 = ClassificationPlots.withData(ClassificationPlots.surface(zMap, win, "Plug-in MAP: σ(x·w_MAP)", "P(class 1)")
                .contour(0.5, Color.BLACK, 1.5f, "p = 0.5"), data, 2.2).render();
        BufferedImage s2 = ClassificationPlots.withData(ClassificationPlots.surface(zBayes, win,
                "Bayesian predictive (" + sSurf + " posterior samples)", "P(class 1)").contour(0.5, Color.BLACK, 1.5f, "p = 0.5"), data, 2.2).render();
        ctx.figure(r, Plots.panels("Predicted probability of class 1, Laplace posterior", 2, s1, s2), "laplace_surface.png",
                "The probability of class 1 over the feature plane with the 2000 training points: plug-in MAP (left) and the Bayesian "
                        + "predictive averaged over posterior samples (right). Near the data the two agree; the posterior is narrow.");

        ClassificationPlots.Window wide = new ClassificationPlots.Window(-120, 120, -45, 45);
        double[][] zWide = ClassificationPlots.grid((a, b) -> meanSigmoid(ws, new double[]{1, a, b}, sSurf), wide, gc, gr);
        DensityPlot near = ClassificationPlots.withData(ClassificationPlots.surface(zMap, win, "5 posterior samples near the data",
                "P(class 1), MAP"), data, 2.2);
        DensityPlot far = ClassificationPlots.surface(zWide, wide, "5 posterior samples, zoomed out", "P(class 1), Bayesian");
        far = ClassificationPlots.withData(far, data, 1.2);
        for (int k = 0; k < 5; k++) {
            double[][] bn = ClassificationPlots.boundary(ws[k], win), bf = ClassificationPlots.boundary(ws[k], wide);
            String label = k == 0 ? "boundaries of 5 posterior samples" : null;
            near.line(bn[0], bn[1], Color.BLACK, 1.6f, false, label);
            far.line(bf[0], bf[1], Color.BLACK, 1.6f, false, label);
        }
        far.points(new double[]{FAR[1]}, new double[]{FAR[2]}, new Color(0xffd700), Color.BLACK, 7, "x = (100, 0.5): MAP "
                + Fmt.num(mapFar, 3) + ", Bayes " + Fmt.num(bayesFar, 3));
        ctx.figure(r, Plots.panels("Decision boundaries w·x = 0 of posterior samples", 2, near.render(), far.render()), "laplace_boundaries.png",
                "Five weight vectors drawn from the Laplace posterior: their boundaries nearly coincide over the data (left) and fan out far "
                        + "from it (right, feature 1 from -120 to 120, the Bayesian predictive behind). At the far point (yellow) the plug-in MAP "
                        + "says " + Fmt.num(mapFar, 3) + ", the Bayesian predictive " + Fmt.num(bayesFar, 3) + ".");
        return r;
    }

    // ------------------------------------------------------------------ small numerics

    static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** xᵀ C x for a row-major d × d matrix. */
    static double quad(double[] c, double[] x) {
        int d = x.length;
        double s = 0;
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) s += x[i] * c[i * d + j] * x[j];
        return s;
    }

    /** The mean of σ(x·wₛ) over the first n rows. */
    public static double meanSigmoid(double[][] ws, double[] x, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) s += sigmoid(dot(ws[k], x));
        return s / n;
    }

    /** A (n, d) tensor as rows. */
    public static double[][] rows(Tensor t) {
        int n = t.shape(0), d = t.shape(1);
        double[] v = t.toDoubleArray();
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(v, i * d, out[i], 0, d);
        return out;
    }

    /** The share of points with (σ(x·w) > ½) equal to their label. */
    public static double accuracy(Tensor x, Tensor y, double[] w) {
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray();
        int d = w.length, ok = 0;
        for (int i = 0; i < yv.length; i++) {
            double z = 0;
            for (int j = 0; j < d; j++) z += xv[i * d + j] * w[j];
            if ((z > 0) == (yv[i] > 0.5)) ok++;
        }
        return (double) ok / yv.length;
    }

    public static double relErr(double[] got, double[] want) {
        double num = 0, den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }
}
