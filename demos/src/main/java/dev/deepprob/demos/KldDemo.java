package dev.deepprob.demos;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.plot.DensityPlot;
import dev.deepprob.demos.plot.Plots;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Threads;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.CosineAnnealingLR;
import dev.deepprob.prob.Normal;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * NOTEBOOKS.md section 1: fit q = N(mu, sigma) to p = ½N(0,1) + ½N(8,1) by minimising KL(q‖p) and KL(p‖q).
 *
 * <p>The brute-force search is the original's, number for number: grids with NumPy's {@code arange} semantics,
 * SciPy's {@code norm.pdf} and elementwise {@code kl_div(a, b) = a log(a/b) - a + b} in float64, and NumPy's
 * pairwise summation, so the minimising grid points and objectives are those NumPy/SciPy give (reference values in
 * the tests come from {@code src/test/python/kld_reference.py}). Beyond the original, Adam on a quadrature estimate
 * of each KL, from several starting points, reaches the continuous optima.
 */
public final class KldDemo implements Demo {
    static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    /** The continuous optima (NOTEBOOKS.md): KL(q‖p) = ln 2 at N(8,1) or N(0,1); KL(p‖q) = 0.7236 at N(4, √17). */
    static final double KL_QP_OPT = Math.log(2), KL_PQ_OPT = 0.7236, SIGMA_PQ_OPT = Math.sqrt(17);

    @Override
    public String name() { return "kld"; }

    @Override
    public String title() { return "KL divergence is not symmetric"; }

    @Override
    public String description() {
        return "Fits one normal q to the two-bump mixture p = ½N(0,1) + ½N(8,1) by minimising the KL divergence in each direction. "
                + "KL(q‖p) is mode seeking: the best q sits on one bump, N(8, 1) (N(0, 1) ties). KL(p‖q) is mass covering: the best q "
                + "spreads over both, N(3.8, 4.5) on the grid and N(4, √17) in the continuum. The brute-force grid search reproduces "
                + "the original's numbers exactly, including the N(4.1, 4.2) it displayed because its grid had silently widened to "
                + "[-20, 15); gradient descent on a quadrature estimate of each KL reaches the continuous optima from several starts.";
    }

    // ------------------------------------------------------------------ NumPy / SciPy semantics

    /**
     * {@code np.arange(start, stop, step)} for float64: length ceil((stop - start) / step), values start + i·delta with
     * delta = (start + step) - start, as NumPy's fill computes them (index-based, so no drift accumulates).
     */
    static double[] arange(double start, double stop, double step) {
        double len = Math.ceil((stop - start) / step);
        int n = len > 0 ? (int) len : 0;
        double[] a = new double[n];
        if (n == 0) return a;
        a[0] = start;
        if (n == 1) return a;
        a[1] = start + step;
        double delta = a[1] - a[0];
        for (int i = 2; i < n; i++) a[i] = start + i * delta;
        return a;
    }

    /** {@code scipy.stats.norm.pdf(x, loc, scale)}: exp(-z²/2)/√(2π)/scale with z = (x - loc)/scale. */
    static double normPdf(double x, double loc, double scale) {
        double z = (x - loc) / scale;
        return StrictMath.exp(-(z * z) / 2.0) / SQRT_2PI / scale;
    }

    /** {@code scipy.special.kl_div(a, b)}: a log(a/b) - a + b for a, b > 0; b for a = 0, b >= 0; else +inf. */
    static double klDiv(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.NaN;
        if (a > 0 && b > 0) return a * StrictMath.log(a / b) - a + b;
        if (a == 0 && b >= 0) return b;
        return Double.POSITIVE_INFINITY;
    }

    /** {@code np.sum} of a contiguous float64 array: NumPy's pairwise summation (blocks of 128, eight accumulators). */
    static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double r = 0.;
            for (int i = 0; i < n; i++) r += a[off + i];
            return r;
        }
        if (n <= 128) {
            double r0 = a[off], r1 = a[off + 1], r2 = a[off + 2], r3 = a[off + 3], r4 = a[off + 4], r5 = a[off + 5],
                    r6 = a[off + 6], r7 = a[off + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                r0 += a[off + i];
                r1 += a[off + i + 1];
                r2 += a[off + i + 2];
                r3 += a[off + i + 3];
                r4 += a[off + i + 4];
                r5 += a[off + i + 5];
                r6 += a[off + i + 6];
                r7 += a[off + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) res += a[off + i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }

    /** The target density on a grid: 0.5·norm.pdf(x, 0, 1) + 0.5·norm.pdf(x, 8, 1), as the original wrote it. */
    static double[] target(double[] x) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) p[i] = 0.5 * normPdf(x[i], 0, 1) + 0.5 * normPdf(x[i], 8, 1);
        return p;
    }

    /** The grid search over (mu, sigma): both objectives at every grid point and the first minimiser of each. */
    record GridSearch(double[] x, double[] p, double[] mus, double[] sigmas, double[][] qp, double[][] pq, int[] bestQp, int[] bestPq) {
        double qpMu() { return mus[bestQp[0]]; }
        double qpSigma() { return sigmas[bestQp[1]]; }
        double qpObjective() { return qp[bestQp[0]][bestQp[1]]; }
        double pqMu() { return mus[bestPq[0]]; }
        double pqSigma() { return sigmas[bestPq[1]]; }
        double pqObjective() { return pq[bestPq[0]][bestPq[1]]; }
    }

    /**
     * The original's search: x = arange(xLo, xHi, 0.1), mu in arange(-5, 15, 0.1), sigma in arange(0.1, 10, 0.1),
     * objective sum(kl_div(a, b)); keeps the first strict minimum in mu-major order, as its loop did.
     */
    static GridSearch gridSearch(double xLo, double xHi) {
        double[] x = arange(xLo, xHi, 0.1);
        double[] p = target(x);
        double[] mus = arange(-5, 15, 0.1), sigmas = arange(0.1, 10, 0.1);
        double[][] qp = new double[mus.length][sigmas.length], pq = new double[mus.length][sigmas.length];
        // rows are independent, so they run in parallel on the engine's thread count; the minimum is then found in the
        // original's order, so the answer does not depend on the number of threads
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, Threads.get()));
        try {
            pool.submit(() -> IntStream.range(0, mus.length).parallel().forEach(i -> {
            double[] q = new double[x.length], a = new double[x.length], b = new double[x.length];
            for (int j = 0; j < sigmas.length; j++) {
                for (int k = 0; k < x.length; k++) {
                    q[k] = normPdf(x[k], mus[i], sigmas[j]);
                    a[k] = klDiv(q[k], p[k]);
                    b[k] = klDiv(p[k], q[k]);
                }
                qp[i][j] = pairwiseSum(a, 0, x.length);
                pq[i][j] = pairwiseSum(b, 0, x.length);
            }
            })).join();
        } finally {
            pool.shutdown();
        }
        int[] bq = {0, 0}, bp = {0, 0};
        double vq = Double.POSITIVE_INFINITY, vp = Double.POSITIVE_INFINITY;
        for (int i = 0; i < mus.length; i++) {
            for (int j = 0; j < sigmas.length; j++) {
                if (qp[i][j] < vq) { vq = qp[i][j]; bq = new int[]{i, j}; }
                if (pq[i][j] < vp) { vp = pq[i][j]; bp = new int[]{i, j}; }
            }
        }
        return new GridSearch(x, p, mus, sigmas, qp, pq, bq, bp);
    }

    // ------------------------------------------------------------------ gradient fits

    /** Which divergence a fit minimises. */
    enum Direction {
        QP("KL(q‖p)"), PQ("KL(p‖q)");
        final String label;

        Direction(String label) { this.label = label; }
    }

    /** One gradient fit: its start, its end and the loss curve. */
    record Fit(Direction dir, double mu0, double sigma0, double mu, double sigma, double kl, double[] curve) {}

    /**
     * KL estimates by quadrature on a fixed grid: x from -30 to 40 step h = 0.05, a Riemann sum of the integrand
     * (for Gaussian integrands this is spectrally accurate: the error is of order exp(-2π²σ²/h²)).
     */
    static final class Quadrature {
        final double h = 0.05;
        final Tensor x = Tensor.of(DType.F64, arange(-30, 40, h));
        final Tensor logP;
        final Tensor p;

        Quadrature() {
            Tensor a = new Normal(Tensor.scalar(DType.F64, 0), Tensor.scalar(DType.F64, 1)).logProb(x).add(Math.log(0.5));
            Tensor b = new Normal(Tensor.scalar(DType.F64, 8), Tensor.scalar(DType.F64, 1)).logProb(x).add(Math.log(0.5));
            logP = Tensor.stack(List.of(a, b), 0).logSumExp(0);   // log p, stably
            p = logP.exp();
        }

        /** The estimate of the chosen KL for q = N(mu, exp(rho)); differentiable in mu and rho. */
        Tensor kl(Direction d, Tensor mu, Tensor rho) {
            Tensor logQ = new Normal(mu, rho.exp()).logProb(x);
            return switch (d) {
                case QP -> logQ.exp().mul(logQ.sub(logP)).sum().mul(h);
                case PQ -> p.mul(logP.sub(logQ)).sum().mul(h);
            };
        }
    }

    static Fit fitByAdam(Quadrature quad, Direction d, double mu0, double sigma0, int steps, double lr, Progress bar, long[] done) {
        Tensor mu = Tensor.scalar(DType.F64, mu0).requiresGrad(true);
        Tensor rho = Tensor.scalar(DType.F64, Math.log(sigma0)).requiresGrad(true);
        Adam opt = new Adam(List.of(mu, rho), lr);
        CosineAnnealingLR schedule = new CosineAnnealingLR(opt, steps, lr / 100);
        double[] curve = new double[steps];
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor loss = quad.kl(d, mu, rho);
            loss.backward();
            opt.step();
            schedule.step();
            curve[s] = loss.item();
            double l = curve[s];
            bar.stepTo(++done[0], () -> String.format(Locale.ROOT, "%s %.4f", d.label, l));
        }
        double kl = quad.kl(d, mu.detach(), rho.detach()).item();
        return new Fit(d, mu0, sigma0, mu.item(), Math.exp(rho.item()), kl, curve);
    }

    /**
     * Starting points (mu, sigma): on both sides of mu = 4 for KL(q‖p), and one wide q at (5.5, 3) that ends in the
     * third, wide local minimum N(4, 3.47); spread out for KL(p‖q), including a narrow q far from p's mass.
     */
    static final double[][] STARTS_QP = {{-3, 2}, {2.5, 0.5}, {5.5, 3}, {12, 1.5}};
    static final double[][] STARTS_PQ = {{-3, 0.5}, {4, 1}, {10, 6}, {0, 10}};

    // ------------------------------------------------------------------ the demo

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        r.note("Grid search as the original: x = arange(-5, 15, 0.1), mu in arange(-5, 15, 0.1), sigma in arange(0.1, 10, 0.1), "
                + "objective = sum of SciPy's elementwise kl_div(a, b) = a log(a/b) - a + b over x, float64, NumPy's arange and "
                + "pairwise-sum semantics. mu values are NumPy's grid values (8.0 is 7.999999999999954 there).");

        // 1. the grid search, on the stated grid and on the grid the original had silently used
        GridSearch g = gridSearch(-5, 15);
        GridSearch w = gridSearch(-20, 15);
        ctx.log("grid x in [-5, 15):  KL(q||p) best N(%s, %s) objective %.4f;  KL(p||q) best N(%s, %s) objective %.4f",
                Fmt.num(g.qpMu(), 4), Fmt.num(g.qpSigma(), 4), g.qpObjective(), Fmt.num(g.pqMu(), 4), Fmt.num(g.pqSigma(), 4), g.pqObjective());
        ctx.log("grid x in [-20, 15): KL(q||p) best N(%s, %s) objective %.4f;  KL(p||q) best N(%s, %s) objective %.4f",
                Fmt.num(w.qpMu(), 4), Fmt.num(w.qpSigma(), 4), w.qpObjective(), Fmt.num(w.pqMu(), 4), Fmt.num(w.pqSigma(), 4), w.pqObjective());
        r.metric("grid_points", g.x().length + " x values in [-5, 15), " + g.mus().length + " mu x " + g.sigmas().length + " sigma");
        r.metric("grid_kl_qp_mu", g.qpMu()).metric("grid_kl_qp_sigma", g.qpSigma()).metric("grid_kl_qp_objective", g.qpObjective());
        r.metric("grid_kl_pq_mu", g.pqMu()).metric("grid_kl_pq_sigma", g.pqSigma()).metric("grid_kl_pq_objective", g.pqObjective());
        r.metric("wide_grid_kl_qp_mu", w.qpMu()).metric("wide_grid_kl_qp_sigma", w.qpSigma()).metric("wide_grid_kl_qp_objective", w.qpObjective());
        r.metric("wide_grid_kl_pq_mu", w.pqMu()).metric("wide_grid_kl_pq_sigma", w.pqSigma()).metric("wide_grid_kl_pq_objective", w.pqObjective());
        // the other mode's objective on the stated grid: KL(q||p) at mu = 0 (the near-tie)
        int zero = nearestIndex(g.mus(), 0.0), one = nearestIndex(g.sigmas(), 1.0);
        r.metric("grid_kl_qp_objective_at_mu0", g.qp()[zero][one]);

        double exact = 1e-9, fourDecimals = 5e-5;
        r.check(Check.near("grid KL(q||p): best mu", g.qpMu(), 8.0, exact));
        r.check(Check.near("grid KL(q||p): best sigma", g.qpSigma(), 1.0, exact));
        r.check(Check.near("grid KL(q||p): objective", g.qpObjective(), 6.9305, fourDecimals));
        r.check(Check.near("grid KL(p||q): best mu", g.pqMu(), 3.8, exact));
        r.check(Check.near("grid KL(p||q): best sigma", g.pqSigma(), 4.5, exact));
        r.check(Check.near("grid KL(p||q): objective", g.pqObjective(), 7.0055, fourDecimals));
        r.check(Check.near("grid [-20, 15) KL(p||q): best mu", w.pqMu(), 4.1, exact));
        r.check(Check.near("grid [-20, 15) KL(p||q): best sigma", w.pqSigma(), 4.2, exact));
        r.check(Check.near("grid [-20, 15) KL(p||q): objective", w.pqObjective(), 7.1928, fourDecimals));
        r.check(Check.near("grid [-20, 15) KL(q||p): best mu, distance to a mode (0 or 8)",
                Math.min(Math.abs(w.qpMu()), Math.abs(w.qpMu() - 8)), 0, exact));

        // 2. gradient fits on a quadrature estimate of each KL
        int steps = ctx.pick(3000, 800);
        double lr = 0.1;
        double[][] startsQp = ctx.quick() ? new double[][]{STARTS_QP[0], STARTS_QP[3]} : STARTS_QP;
        double[][] startsPq = ctx.quick() ? new double[][]{STARTS_PQ[1], STARTS_PQ[2]} : STARTS_PQ;
        Quadrature quad = new Quadrature();
        List<Fit> fits = new ArrayList<>();
        long[] done = {0};
        try (Progress bar = ctx.progress("gradient fits", (long) steps * (startsQp.length + startsPq.length))) {
            for (double[] s : startsQp) fits.add(fitByAdam(quad, Direction.QP, s[0], s[1], steps, lr, bar, done));
            for (double[] s : startsPq) fits.add(fitByAdam(quad, Direction.PQ, s[0], s[1], steps, lr, bar, done));
        }
        r.steps(done[0]);
        r.note("Gradient fits: Adam(lr " + lr + ", cosine-annealed to lr/100) on (mu, log sigma), " + steps + " steps from each start; "
                + "each KL estimated by quadrature on x in [-30, 40) step 0.05, with log p from logSumExp of the two components.");
        List<Fit> qp = fits.stream().filter(f -> f.dir() == Direction.QP).toList();
        List<Fit> pq = fits.stream().filter(f -> f.dir() == Direction.PQ).toList();
        for (Fit f : fits) {
            ctx.log("%s from N(%.1f, %.1f): N(%.4f, %.4f), KL %.5f", f.dir().label, f.mu0(), f.sigma0(), f.mu(), f.sigma(), f.kl());
        }
        r.metric("fits_kl_qp", fitsTable(qp));
        r.metric("fits_kl_pq", fitsTable(pq));
        Fit bestQp = qp.stream().min((a, b) -> Double.compare(a.kl(), b.kl())).orElseThrow();
        long modes = qp.stream().filter(f -> modeDistance(f.mu()) < 0.05).map(f -> Math.abs(f.mu()) < 4 ? 0 : 8).distinct().count();
        r.check(Check.near("gradient KL(q||p): best KL over starts (ln 2)", bestQp.kl(), KL_QP_OPT, 0.05));
        r.check(Check.lessThan("gradient KL(q||p): best fit's |mu - nearest mode (0 or 8)|", modeDistance(bestQp.mu()), 0.05));
        r.check(Check.lessThan("gradient KL(q||p): best fit's |sigma - 1|", Math.abs(bestQp.sigma() - 1), 0.05));
        r.check(Check.atLeast("gradient KL(q||p): modes reached from the starts", modes, 2));
        qp.stream().filter(f -> modeDistance(f.mu()) >= 0.05).forEach(f -> r.note(String.format(Locale.ROOT,
                "KL(q‖p) from N(%s, %s) stopped at N(%.3f, %.3f) with KL %.4f: a genuine local minimum (a wide q straddling both modes; "
                        + "the Hessian there is positive definite), not a failure to converge. Mode seeking has three basins.",
                Fmt.num(f.mu0()), Fmt.num(f.sigma0()), f.mu(), f.sigma(), f.kl())));
        double worstKlPq = pq.stream().mapToDouble(f -> Math.abs(f.kl() - KL_PQ_OPT)).max().orElseThrow();
        double worstMuPq = pq.stream().mapToDouble(f -> Math.abs(f.mu() - 4)).max().orElseThrow();
        double worstSigmaPq = pq.stream().mapToDouble(f -> Math.abs(f.sigma() - SIGMA_PQ_OPT)).max().orElseThrow();
        r.check(Check.lessThan("gradient KL(p||q): largest |KL - 0.7236| over starts", worstKlPq, 0.05));
        r.check(Check.lessThan("gradient KL(p||q): largest |mu - 4| over starts", worstMuPq, 0.05));
        r.check(Check.lessThan("gradient KL(p||q): largest |sigma - sqrt(17)| over starts", worstSigmaPq, 0.05));

        // 3. figures
        ctx.figure(r, Plots.image(targetChart(g)), "p.png", "The target p(x) = ½N(0, 1) + ½N(8, 1) on the grid x in [-5, 15) step 0.1.");
        ctx.figure(r, bestQFigure(g, w), "best_q.png", "The best q of the grid search over p, in each direction and on each grid. "
                + "KL(q‖p) picks one mode; KL(p‖q) covers both. Bottom: the grid the original actually used, x in [-20, 15), which "
                + "gives the N(4.1, 4.2) it displayed.");
        ctx.figure(r, objectiveFigure(g), "objective.png", "The grid-search objective (log10) over (mu, sigma) on x in [-5, 15): KL(q‖p) "
                + "has two basins, one per mode; KL(p‖q) has one, between the modes (white: infinite, where q underflows to 0 while p > 0).");
        ctx.figure(r, fitsFigure(quad, qp, pq), "gradient_fits.png", "Adam on a quadrature estimate of each KL from several starts. "
                + "Top: the KL estimate per step (dashed: the continuous optimum). Bottom: the fitted q's over p.");
        return r;
    }

    /** Distance from mu to the nearer mode of p (0 or 8). */
    static double modeDistance(double mu) { return Math.min(Math.abs(mu), Math.abs(mu - 8)); }

    static int nearestIndex(double[] a, double v) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (Math.abs(a[i] - v) < Math.abs(a[best] - v)) best = i;
        return best;
    }

    private static List<Map<String, Object>> fitsTable(List<Fit> fits) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (Fit f : fits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mu0", f.mu0());
            m.put("sigma0", f.sigma0());
            m.put("mu", f.mu());
            m.put("sigma", f.sigma());
            m.put("kl", f.kl());
            l.add(m);
        }
        return l;
    }

    // ------------------------------------------------------------------ figures

    private static XYChart targetChart(GridSearch g) {
        XYChart c = Plots.xy("Target p(x)", "x", "p(x)", 900, 500);
        Plots.line(c, "p = ½N(0,1) + ½N(8,1)", g.x(), g.p(), Plots.BLUE, 2.5f);
        return Plots.limits(c, -5, 15, 0, Double.NaN);
    }

    private static BufferedImage bestQPanel(GridSearch g, boolean qp, String title) {
        double mu = qp ? g.qpMu() : g.pqMu(), sigma = qp ? g.qpSigma() : g.pqSigma(), obj = qp ? g.qpObjective() : g.pqObjective();
        double[] q = new double[g.x().length];
        for (int i = 0; i < q.length; i++) q[i] = normPdf(g.x()[i], mu, sigma);
        XYChart c = Plots.xy(title, "x", "density", 640, 420);
        Plots.line(c, "p", g.x(), g.p(), Plots.BLUE, 2.5f);
        Plots.line(c, String.format(Locale.ROOT, "q = N(%s, %s), objective %.4f", Fmt.num(mu, 4), Fmt.num(sigma, 4), obj), g.x(), q,
                Plots.ORANGE, 2.5f);
        Plots.limits(c, g.x()[0], g.x()[g.x().length - 1], 0, 0.45);
        return Plots.image(c);
    }

    private static BufferedImage bestQFigure(GridSearch g, GridSearch w) {
        return Plots.panels("Best q by grid search", 2,
                bestQPanel(g, true, "KL(q‖p), x in [-5, 15): mode seeking"),
                bestQPanel(g, false, "KL(p‖q), x in [-5, 15): mass covering"),
                bestQPanel(w, true, "KL(q‖p), x in [-20, 15)"),
                bestQPanel(w, false, "KL(p‖q), x in [-20, 15): the original's plot"));
    }

    private static BufferedImage objectivePanel(GridSearch g, boolean qp) {
        double[][] obj = qp ? g.qp() : g.pq();
        int nm = g.mus().length, ns = g.sigmas().length;
        double[][] z = new double[ns][nm];   // rows: sigma (bottom up), columns: mu
        for (int i = 0; i < nm; i++) {
            for (int j = 0; j < ns; j++) z[j][i] = Double.isFinite(obj[i][j]) ? Math.log10(obj[i][j]) : Double.NaN;
        }
        double dm = 0.1, ds = 0.1;
        DensityPlot d = new DensityPlot(z, g.mus()[0] - dm / 2, g.mus()[nm - 1] + dm / 2, g.sigmas()[0] - ds / 2, g.sigmas()[ns - 1] + ds / 2)
                .title(qp ? "KL(q‖p) objective" : "KL(p‖q) objective").xLabel("mu").yLabel("sigma").colorBar("log10 objective")
                .size(640, 480);
        double mu = qp ? g.qpMu() : g.pqMu(), sigma = qp ? g.qpSigma() : g.pqSigma();
        d.points(new double[]{mu}, new double[]{sigma}, Color.WHITE, Color.BLACK, 6,
                String.format(Locale.ROOT, "minimum N(%s, %s)", Fmt.num(mu, 4), Fmt.num(sigma, 4)));
        return d.render();
    }

    private static BufferedImage objectiveFigure(GridSearch g) {
        return Plots.panels("Grid-search objective over (mu, sigma), x in [-5, 15)", 2, objectivePanel(g, true), objectivePanel(g, false));
    }

    private static BufferedImage fitsFigure(Quadrature quad, List<Fit> qp, List<Fit> pq) {
        List<BufferedImage> panels = new ArrayList<>();
        for (List<Fit> fits : List.of(qp, pq)) {
            Direction d = fits.getFirst().dir();
            XYChart c = Plots.xy(d.label + ": estimate per step", "step (log scale)", d.label, 640, 420);
            c.getStyler().setXAxisLogarithmic(true);
            double opt = d == Direction.QP ? KL_QP_OPT : KL_PQ_OPT;
            int n = fits.getFirst().curve().length;
            // every step at first (the x axis is logarithmic), then about 400 points
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i = i < 200 ? i + 1 : i + Math.max(1, n / 400)) idx.add(i);
            for (int k = 0; k < fits.size(); k++) {
                Fit f = fits.get(k);
                double[] xs = new double[idx.size()], ys = new double[idx.size()];
                for (int i = 0; i < idx.size(); i++) {
                    xs[i] = idx.get(i) + 1;
                    ys[i] = f.curve()[idx.get(i)];
                }
                Plots.line(c, String.format(Locale.ROOT, "from N(%s, %s)", Fmt.num(f.mu0()), Fmt.num(f.sigma0())), xs, ys, Plots.cycle(k + 1), 2f);
            }
            Plots.line(c, String.format(Locale.ROOT, "optimum %.4f", opt), new double[]{1, n}, new double[]{opt, opt}, Color.BLACK, 1.5f, true);
            Plots.limits(c, 1, n, 0.5, 3.3);   // the start of the far starts is off the top: the approach to the optima is what counts
            panels.add(Plots.image(c));
        }
        double[] x = arange(-8, 16, 0.02);
        double[] p = target(x);
        for (List<Fit> fits : List.of(qp, pq)) {
            Direction d = fits.getFirst().dir();
            XYChart c = Plots.xy(d.label + ": fitted q over p", "x", "density", 640, 420);
            Plots.line(c, "p", x, p, Plots.BLUE, 3f);
            for (int k = 0; k < fits.size(); k++) {
                Fit f = fits.get(k);
                double[] q = new double[x.length];
                for (int i = 0; i < x.length; i++) q[i] = normPdf(x[i], f.mu(), f.sigma());
                Plots.line(c, String.format(Locale.ROOT, "from N(%s, %s): N(%.2f, %.2f), KL %.4f", Fmt.num(f.mu0()), Fmt.num(f.sigma0()),
                        f.mu(), f.sigma(), f.kl()), x, q, Plots.cycle(k + 1), 2f,
                        k % 2 == 1);
            }
            Plots.limits(c, -8, 16, 0, 0.45);
            panels.add(Plots.image(c));
        }
        return Plots.panels("Gradient fits on a quadrature estimate of each KL", 2, panels);
    }
}
