package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.discrete.DiscreteDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The discrete-latent demo in quick mode: its checks pass, and its reported numbers agree with an independent
 * recomputation here of the exact posterior, log p(x) and KL from the data and the fitted means it reports.
 */
class DiscreteDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new DiscreteDemo(), out);
    }

    static double logNormal(double x, double m) { return -0.5 * (x - m) * (x - m) - 0.5 * Math.log(2 * Math.PI); }

    @Test
    void quickRunFitsTheExactPosteriorAndTheBaselinesCutTheVariance() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "discrete");
        JsonNode k = m.get("metrics");
        assertEquals(1500, k.get("steps").asInt());
        assertEquals(2L * 1500, m.get("steps").asLong());
        int n = k.get("points").asInt();
        assertEquals(24, n);
        double mu0 = k.get("fit_means").get(0).asDouble(), mu1 = k.get("fit_means").get(1).asDouble();
        double lp = 0, kl = 0, maxErr = 0;
        for (int i = 0; i < n; i++) {
            double x = k.get("data_x").get(i).asDouble(), q = k.get("fit_q_probs").get(i).asDouble();
            double a = Math.log(0.4) + logNormal(x, mu1), b = Math.log(0.6) + logNormal(x, mu0);
            double post = 1 / (1 + Math.exp(b - a));
            lp += Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
            kl += q * Math.log(q / post) + (1 - q) * Math.log((1 - q) / (1 - post));
            maxErr = Math.max(maxErr, Math.abs(q - post));
            assertEquals(post, k.get("exact_posterior_at_fit_means").get(i).asDouble(), 1e-12, "posterior of point " + i);
        }
        // independent sums of 24 terms in double: agreement to rounding
        assertEquals(lp, k.get("log_evidence_at_fit_means").asDouble(), 1e-9);
        assertEquals(kl, k.get("kl_q_to_posterior").asDouble(), 1e-9);
        assertEquals(maxErr, k.get("max_abs_q_minus_posterior").asDouble(), 1e-12);
        // log p(x) - ELBO = KL(q || posterior) exactly when the posterior factorises
        assertEquals(kl, lp - k.get("elbo_fit_exact").asDouble(), 1e-9);
        // the fit: 0.1 is the quick check (seeds 1-4 measured 0.015-0.021)
        assertTrue(maxErr < 0.1, "max |q - posterior| " + maxErr);
        JsonNode ratio = k.get("variance_ratio_none_over_baseline");
        assertEquals(1.0, ratio.get("none").asDouble(), 0);
        for (String b : new String[]{"running_mean", "leave_one_out", "learned"}) {
            assertTrue(ratio.get(b).asDouble() > 50, b + " ratio " + ratio.get(b));           // measured 190-219 over seeds 1-4
        }
        assertEquals(k.get("neg_elbo_curve_steps").size(), k.get("neg_elbo_curve_leave_one_out").size());
        assertEquals(9, m.get("checks").size());
        TestSupport.assertFigures(out, "discrete", m, "posterior.png", "elbo.png", "variance.png");
    }

    @Test
    void theQuickChecksHoldAtOtherSeeds(@TempDir Path dir) {
        for (long seed : new long[]{2, 3}) {
            Runner.Outcome o = TestSupport.runQuick(new DiscreteDemo(), dir.resolve("seed" + seed), seed);
            assertTrue(o.passed(), () -> "seed " + seed + ": " + TestSupport.failures(o));
        }
    }
}
