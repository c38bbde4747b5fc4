package dev.deepprob.demos;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.plot.DensityPlot;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.infer.BayesianLinearRegression;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.function.Function;

/**
 * NOTEBOOKS.md section 2: conjugate Bayesian linear regression on the basis [1, x, x², x³] with
 * {@link BayesianLinearRegression}, its posterior samples, its predictive density and the uncertainty growing
 * outside the data; the posterior is checked against an independent normal-equations solution.
 */
public final class BlrDemo implements Demo {
    static final int N = 40;
    static final double ALPHA = 1.0, BETA = 1 / 0.4, NOISE_SD = 0.3;
    static final double[] TRUE_W = {2, -3, 0, 0.1};

    @Override
    public String name() { return "blr"; }

    @Override
    public String title() { return "Bayesian linear regression (conjugate)"; }

    @Override
    public String description() {
        return "Fits y = w·[1, x, x², x³] to 40 noisy points of 0.1x³ - 3x + 2 with a Gaussian prior on w, where the posterior and the "
                + "predictive distribution are exact Gaussians. Curves drawn from the posterior agree where there are data and fan out "
                + "beyond them; the predictive density shows the same: narrow over the data (x in [-3, 5]) and widening quickly to the "
                + "right of x = 5. The posterior equals the normal-equations solution to float64 precision.";
    }

    /** The cubic the data come from. */
    static double truth(double x) { return 0.1 * x * x * x - 3 * x + 2; }

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        r.note("Reading of the original: y = 0.1x³ - 3x + 2 + N(0, 0.3) has noise standard deviation 0.3 (NOTEBOOKS.md writes N(m, s) with s "
                + "the standard deviation, as NumPy's normal(0, 0.3)); the model's beta = 1/0.4 assumes noise variance 0.4, as the original did.");
        Generator gen = ctx.generator();
        Tensor x = Tensor.uniform(gen, DType.F64, -3, 5, N);
        Tensor y = x.pow(3).mul(0.1).sub(x.mul(3)).add(2).add(Tensor.randn(gen, DType.F64, N).mul(NOISE_SD));
        double[] xs = x.toDoubleArray(), ys = y.toDoubleArray();

        // the posterior, through the library
        Function<Tensor, Tensor> basis = BayesianLinearRegression.polynomialBasis(3);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(basis, x, y, ALPHA, BETA);
        double[] m = blr.posteriorMean().toDoubleArray();
        double[] cov = blr.posteriorCovariance().toDoubleArray();
        ctx.log("posterior mean w = [%s]  (data drawn with w = [2, -3, 0, 0.1])", join(m));

        // an independent check: the normal equations solved by Gauss-Jordan elimination in plain doubles
        double[][] phi = new double[N][4];
        for (int i = 0; i < N; i++) for (int j = 0; j < 4; j++) phi[i][j] = Math.pow(xs[i], j);
        double[][] ref = normalEquations(phi, ys, ALPHA, BETA);
        double[] refMean = ref[0], refCov = ref[1];
        double errMean = relErr(m, refMean), errCov = relErr(cov, refCov);
        ctx.log("relative error against the normal equations: mean %.2e, covariance %.2e", errMean, errCov);

        // the predictive on the original's grid: x in [-3, 6), y in [-5, 10), step 0.01 (0.02 in quick mode)
        double step = ctx.quick() ? 0.02 : 0.01;
        double[] gx = KldDemo.arange(-3, 6, step), gy = KldDemo.arange(-5, 10, step);
        BayesianLinearRegression.Prediction pred = blr.predictAt(Tensor.of(DType.F64, gx));
        Tensor mean = pred.mean(), sd = pred.std();
        Tensor density = new Normal(mean, sd).logProb(Tensor.of(DType.F64, gy).unsqueeze(1)).exp();   // (ny, nx)
        double[] pm = mean.toDoubleArray(), psd = sd.toDoubleArray();

        double lo = min(xs), hi = max(xs);
        double insideMax = 0, outsideMin = Double.POSITIVE_INFINITY, insideMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < gx.length; i++) {
            if (gx[i] >= lo && gx[i] <= hi) {
                insideMax = Math.max(insideMax, psd[i]);
                insideMin = Math.min(insideMin, psd[i]);
            }
            if (gx[i] >= 5.5) outsideMin = Math.min(outsideMin, psd[i]);
        }
        double at6 = psd[gx.length - 1];
        ctx.log("predictive std: %.3f to %.3f over the data [%.2f, %.2f], at least %.3f for x >= 5.5, %.3f at x = %.2f",
                insideMin, insideMax, lo, hi, outsideMin, at6, gx[gx.length - 1]);

        int covered = 0;
        double[] atData = blr.predictAt(x).mean().toDoubleArray(), sdData = blr.predictAt(x).std().toDoubleArray();
        for (int i = 0; i < N; i++) if (Math.abs(ys[i] - atData[i]) <= 2 * sdData[i]) covered++;
        double rmse = 0;
        int count = 0;
        for (int i = 0; i < gx.length; i++) {
            if (gx[i] >= -3 && gx[i] <= 5) {
                rmse += Math.pow(pm[i] - truth(gx[i]), 2);
                count++;
            }
        }
        rmse = Math.sqrt(rmse / count);

        r.metric("n", N).metric("alpha", ALPHA).metric("beta", BETA).metric("noise_sd_of_data", NOISE_SD);
        r.metric("posterior_mean", m);
        r.metric("posterior_sd", new double[]{Math.sqrt(cov[0]), Math.sqrt(cov[5]), Math.sqrt(cov[10]), Math.sqrt(cov[15])});
        r.metric("true_w", TRUE_W);
        r.metric("log_evidence", blr.logEvidence().item());
        r.metric("data_x_range", new double[]{lo, hi});
        r.metric("predictive_sd_inside_data_min", insideMin).metric("predictive_sd_inside_data_max", insideMax);
        r.metric("predictive_sd_x_ge_5.5_min", outsideMin).metric("predictive_sd_at_grid_end", at6)
                .metric("grid_end_x", gx[gx.length - 1]);
        r.metric("noise_sd_of_model", Math.sqrt(1 / BETA));
        r.metric("data_within_2sd", covered + " of " + N);
        r.metric("rmse_mean_vs_truth_on_[-3,5]", rmse);
        r.metric("rel_err_mean", errMean).metric("rel_err_covariance", errCov);
        r.metric("heatmap_grid", gx.length + " x " + gy.length + " (step " + step + ")");

        r.check(Check.lessThan("posterior mean vs normal equations (relative error)", errMean, 1e-6));
        r.check(Check.lessThan("posterior covariance vs normal equations (relative error)", errCov, 1e-6));
        r.check(Check.greaterThan("predictive std for x >= 5.5 over the largest inside the data (ratio)", outsideMin / insideMax, 1));
        r.steps(0);

        // figures
        Tensor w = blr.sampleWeights(ctx.generator("posterior samples"), 4);
        Tensor curves = blr.functionValues(w, basis.apply(Tensor.of(DType.F64, gx)));
        ctx.figure(r, samplesFigure(xs, ys, gx, curves), "posterior_samples.png",
                "The 40 data points and 4 curves w·φ(x) with w drawn from the posterior (dashed grey: the function the data came from). "
                        + "They agree over the data and fan out to the right of x = 5.");
        double[][] z = grid(density, gy.length, gx.length);
        BufferedImage heat = new DensityPlot(z, -3, -3 + gx.length * step, -5, -5 + gy.length * step)
                .title("Predictive density p(y | x, data)").xLabel("x").yLabel("y").colorBar("density")
                .points(xs, ys, Color.WHITE, Color.BLACK, 3.5, "data").size(900, 620).render();
        ctx.figure(r, heat, "predictive_density.png", "The predictive density N(y; m·φ(x), 1/β + φ(x)ᵀSφ(x)) over x in [-3, 6), y in [-5, 10) "
                + "on a " + gx.length + " x " + gy.length + " grid (step " + step + "), data on top.");
        double[] up = new double[gx.length], down = new double[gx.length];
        for (int i = 0; i < gx.length; i++) {
            up[i] = pm[i] + 2 * psd[i];
            down[i] = pm[i] - 2 * psd[i];
        }
        BufferedImage zoom = new DensityPlot(z, -3, -3 + gx.length * step, -5, -5 + gy.length * step).view(4, 6, -5, 4)
                .title("Zoom: x in [4, 6], y in [-5, 4]").xLabel("x").yLabel("y").colorBar("density")
                .line(gx, pm, Color.WHITE, 2f, false, "predictive mean")
                .line(gx, up, Color.WHITE, 1.5f, true, "mean ± 2 sd")
                .line(gx, down, Color.WHITE, 1.5f, true, null)
                .points(xs, ys, Color.WHITE, Color.BLACK, 5, "data").size(900, 620).render();
        ctx.figure(r, zoom, "predictive_zoom.png", String.format(Locale.ROOT, "The predictive density near the right edge of the data: the "
                + "band widens past the last point (x = %.2f); the predictive sd grows from at most %.2f over the data to %.2f at x = %s.", hi,
                insideMax, at6, Fmt.num(gx[gx.length - 1])));
        return r;
    }

    private static BufferedImage samplesFigure(double[] xs, double[] ys, double[] gx, Tensor curves) {
        XYChart c = Plots.xy("Data and 4 posterior samples", "x", "y", 900, 560);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);   // the corner the curves leave empty
        double[] t = new double[gx.length];
        for (int i = 0; i < gx.length; i++) t[i] = truth(gx[i]);
        Plots.line(c, "0.1x³ - 3x + 2", gx, t, Plots.GREY, 1.5f, true);
        double[] cv = curves.toDoubleArray();
        for (int k = 0; k < 4; k++) {
            double[] yk = new double[gx.length];
            System.arraycopy(cv, k * gx.length, yk, 0, gx.length);
            Plots.line(c, "posterior sample " + (k + 1), gx, yk, Plots.cycle(k + 1), 2f);
        }
        Plots.scatter(c, "data", xs, ys, Plots.BLUE, 7);
        return Plots.image(Plots.limits(c, -3, 6, -5, 10));
    }

    /** A (rows × cols) tensor as rows of doubles. */
    static double[][] grid(Tensor t, int rows, int cols) {
        double[] v = t.toDoubleArray();
        double[][] z = new double[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(v, i * cols, z[i], 0, cols);
        return z;
    }

    /**
     * The posterior by the normal equations, independently of the library: m solves (α/β I + ΦᵀΦ) m = Φᵀy and
     * S = (αI + βΦᵀΦ)⁻¹, both by Gauss-Jordan elimination with partial pivoting. Returns {m, S row-major}.
     */
    static double[][] normalEquations(double[][] phi, double[] y, double alpha, double beta) {
        int n = phi.length, d = phi[0].length;
        double[][] a = new double[d][2 * d + 1], b = new double[d][2 * d + 1];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += phi[k][i] * phi[k][j];
                a[i][j] = s + (i == j ? alpha / beta : 0);
                b[i][j] = beta * s + (i == j ? alpha : 0);
            }
            double s = 0;
            for (int k = 0; k < n; k++) s += phi[k][i] * y[k];
            a[i][d] = s;
            b[i][d + i] = 1;
        }
        gaussJordan(a, d, 1);
        gaussJordan(b, d, d);
        double[] mean = new double[d], cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            mean[i] = a[i][d];
            for (int j = 0; j < d; j++) cov[i * d + j] = b[i][d + j];
        }
        return new double[][]{mean, cov};
    }

    /** Reduces the augmented matrix [A | B] (A d × d, B d × k) to [I | A⁻¹B] in place. */
    private static void gaussJordan(double[][] m, int d, int k) {
        for (int c = 0; c < d; c++) {
            int piv = c;
            for (int r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            double inv = 1 / m[c][c];
            for (int j = 0; j < d + k; j++) m[c][j] *= inv;
            for (int r = 0; r < d; r++) {
                if (r == c) continue;
                double f = m[r][c];
                if (f == 0) continue;
                for (int j = 0; j < d + k; j++) m[r][j] -= f * m[c][j];
            }
        }
    }

    static double relErr(double[] got, double[] want) {
        double num = 0, den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }

    private static double min(double[] a) {
        double v = Double.POSITIVE_INFINITY;
        for (double x : a) v = Math.min(v, x);
        return v;
    }

    private static double max(double[] a) {
        double v = Double.NEGATIVE_INFINITY;
        for (double x : a) v = Math.max(v, x);
        return v;
    }

    private static String join(double[] a) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.length; i++) b.append(i == 0 ? "" : ", ").append(Fmt.num(a[i], 4));
        return b.toString();
    }
}
