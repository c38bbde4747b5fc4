package dev.deepprob.demos.coin;

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
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.ExponentialLR;
import dev.deepprob.prob.Beta;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.TransformedDistribution;
import dev.deepprob.prob.infer.Elbo;
import dev.deepprob.prob.infer.Svi;
import dev.deepprob.prob.transforms.SigmoidTransform;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * NOTEBOOKS.md section 0: 5 heads in 20 tosses with a uniform prior. The exact posterior Beta(6, 16), its mean, 95%
 * credible interval and P(bias &lt; 0.5) come from the regularised incomplete beta function; a logit-normal q
 * (θ = σ(z), z ~ N(m, s)) is fitted by {@link Svi} on the pathwise {@link Elbo} (no closed-form KL to a Beta prior,
 * so the Monte Carlo KL), and its KL to the exact posterior is computed by quadrature (checked by Monte Carlo).
 */
public final class CoinDemo implements Demo {
    static final int HEADS = 5, TAILS = 15;
    static final double A = 1 + HEADS, B = 1 + TAILS;   // the posterior Beta(6, 16)

    @Override
    public String name() { return "coin"; }

    @Override
    public String title() { return "Coin toss: exact and variational posterior of the bias"; }

    @Override
    public String description() {
        return "20 tosses give 5 heads and 15 tails. With a uniform Beta(1, 1) prior on the probability of heads the posterior is "
                + "Beta(6, 16): mean 6/22 = 0.2727, a 95% credible interval of about [0.11, 0.47], and P(bias < 0.5) = 0.987, so the "
                + "coin is very probably biased towards tails. A logit-normal q fitted by maximising the ELBO (stochastic variational "
                + "inference with reparameterised gradients) lands within a KL of a few thousandths of the exact posterior.";
    }

    @Override
    public DemoResult run(DemoContext ctx) {
        DemoResult r = new DemoResult();
        // ---------------------------------------------------------------- exact
        double mean = A / (A + B), mode = (A - 1) / (A + B - 2);
        double sd = Math.sqrt(A * B / ((A + B) * (A + B) * (A + B + 1)));
        double lo = BetaMath.quantile(0.025, A, B), hi = BetaMath.quantile(0.975, A, B);
        double pBelowHalf = BetaMath.regularizedIncompleteBeta(0.5, A, B);
        double pByBinomialSum = BetaMath.incompleteBetaBySum(0.5, (int) A, (int) B);
        double logEvidence = BetaMath.logBeta(A, B) - BetaMath.logBeta(1, 1);      // log ∫ θ^5 (1-θ)^15 dθ
        ctx.log("exact posterior Beta(%.0f, %.0f): mean %.4f, mode %.4f, sd %.4f, 95%% interval [%.4f, %.4f], P(bias < 0.5) = %.4f",
                A, B, mean, mode, sd, lo, hi, pBelowHalf);

        // ---------------------------------------------------------------- variational: logit-normal q by SVI
        int steps = ctx.pick(3000, 1000), particles = 64;
        Tensor loc = Tensor.scalar(DType.F64, 0).requiresGrad(true);
        Tensor logScale = Tensor.scalar(DType.F64, Math.log(0.5)).requiresGrad(true);
        Beta prior = new Beta(Tensor.scalar(DType.F64, 1), Tensor.scalar(DType.F64, 1));
        // log p(data | θ) = 5 log θ + 15 log(1 - θ), for all particles at once
        Function<Tensor, Tensor> logLik = th -> th.log().mul(HEADS).add(th.neg().log1p().mul(TAILS));
        Elbo elbo = Elbo.builder(prior, logLik).particles(particles).batchedLikelihood().build();
        Adam adam = new Adam(List.of(loc, logScale), 0.05);
        ExponentialLR decay = new ExponentialLR(adam, Math.pow(0.02, 1.0 / steps));   // 0.05 down to 0.001: a still fit at the end
        Svi<TransformedDistribution.Reparameterized> svi = new Svi<>(List.of(loc, logScale), adam,
                ps -> TransformedDistribution.reparameterized(new Normal(ps.get(0), ps.get(1).exp(), false), new SigmoidTransform()), elbo);
        double[] hist;
        try (Progress p = ctx.progress("SVI", steps)) {
            hist = svi.run(steps, ctx.generator("svi"), (k, loss) -> {
                decay.step();
                p.stepTo(k, () -> String.format(Locale.ROOT, "-ELBO %.4f", loss));
            });
        }
        double m = loc.item(), s = Math.exp(logScale.item());
        double klQuad = klLogitNormalToBeta(m, s, A, B);
        double[] klMc = klMonteCarlo(m, s, A, B, ctx.generator("kl check"), 200_000);
        double qLo = sigmoid(m - 1.959963984540054 * s), qHi = sigmoid(m + 1.959963984540054 * s);
        double qMean = logitNormalMean(m, s), qBelowHalf = normalCdf(-m / s);
        // the ELBO of the fitted q, many particles: log p(data) - ELBO = KL(q || posterior)
        Elbo.Terms big;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            big = Elbo.builder(prior, logLik).particles(200_000).batchedLikelihood().build().terms(svi.q(), ctx.generator("elbo check"));
        }
        double finalElbo = big.elbo(), gap = logEvidence - finalElbo;
        ctx.log("q = logit-normal(m = %.4f, s = %.4f): mean %.4f, 95%% interval [%.4f, %.4f], P(bias < 0.5) = %.4f", m, s, qMean, qLo, qHi,
                qBelowHalf);
        ctx.log("KL(q || Beta(6,16)) = %.5f by quadrature, %.5f ± %.5f by Monte Carlo; log p(data) - ELBO = %.5f", klQuad, klMc[0], klMc[1], gap);

        r.metric("heads", HEADS).metric("tails", TAILS).metric("prior", "Beta(1, 1)").metric("posterior", "Beta(6, 16)");
        r.metric("posterior_mean", mean).metric("posterior_mode", mode).metric("posterior_sd", sd);
        r.metric("credible_interval_95", new double[]{lo, hi});
        r.metric("p_bias_below_half", pBelowHalf).metric("p_bias_below_half_by_binomial_sum", pByBinomialSum);
        r.metric("log_evidence", logEvidence);
        r.metric("q_family", "logit-normal: theta = sigmoid(z), z ~ N(m, s)");
        r.metric("q_m", m).metric("q_s", s).metric("q_mean", qMean).metric("q_interval_95", new double[]{qLo, qHi});
        r.metric("q_p_bias_below_half", qBelowHalf);
        r.metric("kl_q_to_posterior_quadrature", klQuad);
        r.metric("kl_q_to_posterior_monte_carlo", klMc[0]).metric("kl_q_to_posterior_monte_carlo_se", klMc[1]);
        r.metric("kl_method", "Simpson quadrature over z (24 s around m, 4000 intervals); Monte Carlo with 200000 draws as a check");
        r.metric("elbo_final_200000_particles", finalElbo).metric("log_evidence_minus_elbo", gap);
        r.metric("svi", String.format(Locale.ROOT, "%d steps, %d particles, Adam(0.05) decayed exponentially to 0.001, Monte Carlo KL "
                + "(no closed form for logit-normal vs Beta)", steps, particles));

        r.check(Check.near("posterior mean (6/22)", mean, 6.0 / 22, 1e-12));
        r.check(Check.near("P(bias < 0.5): continued fraction vs binomial sum", pBelowHalf, pByBinomialSum, 1e-12));
        r.check(Check.lessThan("KL(q || exact posterior), quadrature", klQuad, 0.01));
        r.check(Check.near("KL by Monte Carlo agrees with quadrature", klMc[0], klQuad, 5 * klMc[1] + 1e-4));
        r.check(Check.near("log p(data) - ELBO equals the KL (Monte Carlo ELBO)", gap, klQuad, 0.003));
        r.check(Check.near("q's mean vs the exact mean", qMean, mean, 0.01));
        r.steps(steps);
        r.note("The KL of q to the exact posterior is computed by Simpson quadrature in z = logit θ and confirmed by a Monte Carlo "
                + "estimate; the gap log p(data) - ELBO, which equals that KL, is a third, independent reading.");

        // ---------------------------------------------------------------- figures
        ctx.figure(r, figure(m, s, lo, hi, qLo, qHi, hist, logEvidence), "coin.png", String.format(Locale.ROOT,
                "Top left: the flat prior, the likelihood θ⁵(1-θ)¹⁵ (scaled to peak 1) and the posterior Beta(6, 16). Top right: the exact "
                        + "posterior and the logit-normal q (KL %.4f), with their 95%% intervals (dashed). Below: the negative ELBO during SVI (mean of "
                        + "each 50 steps) approaching -log p(data) = %.3f from above.", klQuad, -logEvidence));
        return r;
    }

    // ------------------------------------------------------------------ numerics

    static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    /** log(1 + eᶻ) without overflow. */
    static double softplus(double z) { return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)); }

    /** Φ(x) through erfc written as the engine's erf. */
    static double normalCdf(double x) {
        return 0.5 * (1 + NDArray.scalar(DType.F64, x / Math.sqrt(2)).erf().item());
    }

    /** The density of q at θ = σ(z) in θ: N(z; m, s) / (θ(1 - θ)), as a log. */
    static double logQ(double z, double m, double s) {
        double u = (z - m) / s;
        return -0.5 * u * u - Math.log(s) - 0.5 * Math.log(2 * Math.PI) + softplus(z) + softplus(-z);
    }

    /** log Beta(σ(z); a, b) written with softplus so it stays finite for large |z|. */
    static double logBetaAt(double z, double a, double b) {
        return -(a - 1) * softplus(-z) - (b - 1) * softplus(z) - BetaMath.logBeta(a, b);
    }

    /** KL(logit-normal(m, s) || Beta(a, b)) = ∫ N(z; m, s) [log q(σ(z)) - log p(σ(z))] dz by composite Simpson over m ± 12 s. */
    static double klLogitNormalToBeta(double m, double s, double a, double b) {
        int n = 4000;
        double z0 = m - 12 * s, h = 24 * s / n, sum = 0;
        for (int i = 0; i <= n; i++) {
            double z = z0 + i * h, u = (z - m) / s;
            double w = Math.exp(-0.5 * u * u) / (s * Math.sqrt(2 * Math.PI));
            double f = w * (logQ(z, m, s) - logBetaAt(z, a, b));
            sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }

    /** The same KL by Monte Carlo: {mean, standard error}. */
    static double[] klMonteCarlo(double m, double s, double a, double b, Generator gen, int n) {
        double[] z = new double[n];
        gen.normal(z, 0, n, m, s);
        double sum = 0, sq = 0;
        for (double v : z) {
            double d = logQ(v, m, s) - logBetaAt(v, a, b);
            sum += d;
            sq += d * d;
        }
        double mu = sum / n;
        return new double[]{mu, Math.sqrt((sq / n - mu * mu) / (n - 1))};
    }

    /** E[σ(z)], z ~ N(m, s), by Simpson quadrature. */
    static double logitNormalMean(double m, double s) {
        int n = 4000;
        double z0 = m - 12 * s, h = 24 * s / n, sum = 0;
        for (int i = 0; i <= n; i++) {
            double z = z0 + i * h, u = (z - m) / s;
            sum += Math.exp(-0.5 * u * u) / (s * Math.sqrt(2 * Math.PI)) * sigmoid(z) * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }

    // ------------------------------------------------------------------ figure

    private static BufferedImage figure(double m, double s, double lo, double hi, double qLo, double qHi, double[] hist, double logEvidence) {
        int n = 999;
        double[] th = new double[n], prior = new double[n], lik = new double[n], post = new double[n], q = new double[n];
        double likMax = Math.pow(0.25, HEADS) * Math.pow(0.75, TAILS);
        double ymax = 0;
        for (int i = 0; i < n; i++) {
            double t = (i + 1) / 1000.0, z = Math.log(t / (1 - t));
            th[i] = t;
            prior[i] = 1;
            lik[i] = Math.pow(t, HEADS) * Math.pow(1 - t, TAILS) / likMax;
            post[i] = Math.exp(BetaMath.logPdf(t, A, B));
            q[i] = Math.exp(-0.5 * Math.pow((z - m) / s, 2)) / (s * Math.sqrt(2 * Math.PI)) / (t * (1 - t));
            ymax = Math.max(ymax, Math.max(post[i], q[i]));
        }
        XYChart c1 = Plots.xy("Prior × likelihood → posterior", "bias θ (probability of heads)", "density", 560, 420);
        Plots.line(c1, "prior Beta(1, 1)", th, prior, Plots.GREY, 2f);
        Plots.line(c1, "likelihood θ⁵(1-θ)¹⁵ (peak 1)", th, lik, Plots.ORANGE, 2f, true);
        Plots.line(c1, "posterior Beta(6, 16)", th, post, Plots.BLUE, 2.5f);
        Plots.limits(c1, 0, 1, 0, Math.ceil(ymax * 1.1));

        XYChart c2 = Plots.xy("Exact posterior and variational q", "bias θ", "density", 560, 420);
        Plots.line(c2, "Beta(6, 16)", th, post, Plots.BLUE, 2.5f);
        Plots.line(c2, String.format(Locale.ROOT, "logit-normal q (m %.2f, s %.2f)", m, s), th, q, Plots.RED, 2f, true);
        double top = Math.ceil(ymax * 1.1);
        // the interval marks stop below the legend (top right) so it does not hide them
        Plots.vline(c2, "95% interval, exact", lo, 0, top * 0.6, Plots.BLUE, 1.2f);
        Plots.vline(c2, null, hi, 0, top * 0.6, Plots.BLUE, 1.2f);
        Plots.vline(c2, "95% interval, q", qLo, 0, top * 0.54, Plots.RED, 1.2f);
        Plots.vline(c2, null, qHi, 0, top * 0.54, Plots.RED, 1.2f);
        Plots.limits(c2, 0, 1, 0, top);

        int block = 50, nb = hist.length / block;
        double[] xs = new double[nb], ys = new double[nb], ev = new double[nb];
        for (int b = 0; b < nb; b++) {
            double sum = 0;
            for (int i = b * block; i < (b + 1) * block; i++) sum += hist[i];
            xs[b] = (b + 0.5) * block;
            ys[b] = sum / block;
            ev[b] = -logEvidence;
        }
        XYChart c3 = Plots.xy("Negative ELBO during SVI", "step", "-ELBO (nats)", 1120, 420);
        Plots.line(c3, "-ELBO, mean of 50 steps", xs, ys, Plots.GREEN, 2f);
        Plots.line(c3, "-log p(data) (the bound's floor)", xs, ev, new Color(0x333333), 1.5f, true);
        c3.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        // zoom on the floor: the first blocks (far above) leave the window, the gap KL(q || posterior) stays visible
        Plots.limits(c3, 0, hist.length, -logEvidence - 0.02, -logEvidence + 0.08);
        // two densities side by side over the SVI trace at their combined width: 1120 px wide, about the report's
        // column, so the legends stay legible where three panels in a row (1860 px) were shrunk to half size
        for (XYChart c : List.of(c1, c2, c3)) Plots.larger(c, 1.15f);
        return Plots.panels("Coin toss: 5 heads, 15 tails", 1, Plots.panels(null, 2, Plots.image(c1), Plots.image(c2)), Plots.image(c3));
    }
}
