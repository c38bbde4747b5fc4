package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.demos.coin.BetaMath;
import dev.deepprob.demos.coin.CoinDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoinDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new CoinDemo(), out);
    }

    /** P(Beta(6, 16) < x) = P(Binomial(21, x) >= 6), summed exactly in rationals for x = k/m. */
    static double exactCdf(int k, int m) {
        BigInteger num = BigInteger.ZERO, den = BigInteger.valueOf(m).pow(21);
        for (int j = 6; j <= 21; j++) {
            num = num.add(binomial(21, j).multiply(BigInteger.valueOf(k).pow(j)).multiply(BigInteger.valueOf(m - k).pow(21 - j)));
        }
        return new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL64).doubleValue();
    }

    static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return r;
    }

    @Test
    void quickRunShowsTheExactPosteriorAndACloseVariationalFit() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "coin");
        JsonNode k = m.get("metrics");
        assertEquals(6.0 / 22, k.get("posterior_mean").asDouble(), 1e-12);
        assertEquals(exactCdf(1, 2), k.get("p_bias_below_half").asDouble(), 1e-12);
        assertEquals(0.986698, k.get("p_bias_below_half").asDouble(), 5e-7);
        // the interval's ends are the 2.5% and 97.5% quantiles: the CDF there, by the independent binomial sum
        double lo = k.get("credible_interval_95").get(0).asDouble(), hi = k.get("credible_interval_95").get(1).asDouble();
        assertEquals(0.025, BetaMath.incompleteBetaBySum(lo, 6, 16), 1e-10);
        assertEquals(0.975, BetaMath.incompleteBetaBySum(hi, 6, 16), 1e-10);
        assertEquals(0.1128, lo, 1e-4);
        assertEquals(0.4717, hi, 1e-4);
        // the variational fit: KL below 0.01 by quadrature, confirmed by Monte Carlo and by the ELBO gap
        double kl = k.get("kl_q_to_posterior_quadrature").asDouble();
        assertTrue(kl > 0 && kl < 0.01, "KL " + kl);
        assertEquals(kl, k.get("kl_q_to_posterior_monte_carlo").asDouble(), 5 * k.get("kl_q_to_posterior_monte_carlo_se").asDouble() + 1e-4);
        assertEquals(kl, k.get("log_evidence_minus_elbo").asDouble(), 0.003);
        assertEquals(6.0 / 22, k.get("q_mean").asDouble(), 0.01);
        assertEquals(6, m.get("checks").size());
        TestSupport.assertFigures(out, "coin", m, "coin.png");
        // legible in the report: no wider than its text column and the window's width allow (1860 px in a row of three was halved)
        int w = Report.pngWidth(out.resolve("coin/coin.png"));
        assertTrue(w > 0 && w <= 1200, "coin.png is " + w + " px wide");
    }

    @Test
    void incompleteBetaMatchesTheBinomialSumAndExactRationals() {
        for (int i = 1; i < 20; i++) {
            double x = i / 20.0;
            assertEquals(BetaMath.incompleteBetaBySum(x, 6, 16), BetaMath.regularizedIncompleteBeta(x, 6, 16), 1e-13, "x = " + x);
            assertEquals(exactCdf(i, 20), BetaMath.regularizedIncompleteBeta(x, 6, 16), 1e-13, "x = " + x);
        }
        // symmetry I_x(a, b) = 1 - I_{1-x}(b, a), non-integer parameters
        assertEquals(1 - BetaMath.regularizedIncompleteBeta(0.7, 3.5, 2.25), BetaMath.regularizedIncompleteBeta(0.3, 2.25, 3.5), 1e-14);
        // Beta(1, 1) is uniform; Beta(a, 1) has CDF x^a
        assertEquals(0.37, BetaMath.regularizedIncompleteBeta(0.37, 1, 1), 1e-14);
        assertEquals(Math.pow(0.6, 2.5), BetaMath.regularizedIncompleteBeta(0.6, 2.5, 1), 1e-14);
        assertEquals(0.5, BetaMath.quantile(0.5, 3, 3), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> BetaMath.quantile(1.0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> BetaMath.regularizedIncompleteBeta(0.5, 0, 2));
    }
}
