package dev.deepprob.engine.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Q(a, x) keeps its far tail (where 1 - P would be 0) and complements P. */
class IncompleteGammaTest {
    @Test
    void upperTailKeepsRelativePrecision() {
        // Q(k + 1, λ) is the Poisson(λ) cdf at k: e^-λ Σ_{j<=k} λ^j / j!
        for (double lambda : new double[]{50, 150, 600}) {
            for (int k : new int[]{0, 1, 5}) {
                double logSum = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= k; j++) {
                    double t = j * Math.log(lambda) - Special.lgamma(j + 1);
                    logSum = Math.max(logSum, t) + Math.log1p(Math.exp(-Math.abs(logSum - t)));
                }
                double want = Math.exp(logSum - lambda);
                assertEquals(want, SpecialExtra.gammaQ(k + 1, lambda), 1e-12 * want, "Q(" + (k + 1) + ", " + lambda + ")");
                assertEquals(1 - want, SpecialExtra.gammaP(k + 1, lambda), 1e-16);   // 1 - P would lose all of Q
            }
        }
    }

    @Test
    void complementsPAndHandlesEdges() {
        for (double a : new double[]{0.3, 1, 4.5, 40}) {
            for (double x : new double[]{0.01, 0.5, a, a + 1, 3 * a + 2}) {
                assertEquals(1, SpecialExtra.gammaP(a, x) + SpecialExtra.gammaQ(a, x), 1e-15, "a " + a + ", x " + x);
            }
        }
        assertEquals(1, SpecialExtra.gammaQ(2, 0));
        assertEquals(0, SpecialExtra.gammaQ(2, Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(SpecialExtra.gammaQ(-1, 2)));
    }
}
