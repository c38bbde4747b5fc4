package dev.deepprob.engine.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** erf, erfinv and the regularised incomplete gamma against SciPy 1.x (scipy.special.erf/erfinv/gammainc). */
class SpecialExtraTest {
    static void close(double want, double got, double rel) {
        assertEquals(want, got, rel * Math.max(1e-300, Math.abs(want)), () -> "want " + want + " got " + got);
    }

    @Test
    void erfMatchesScipy() {
        double[][] t = {{-3.0, -0.9999779095030014}, {-0.5, -0.5204998778130465}, {0.1, 0.1124629160182849}, {1.0, 0.8427007929497148},
                {2.4, 0.999311486103355}, {2.6, 0.9997639655834707}, {4.0, 0.9999999845827421}};
        for (double[] r : t) close(r[1], SpecialExtra.erf(r[0]), 1e-14);
        assertTrue(Double.isNaN(SpecialExtra.erf(Double.NaN)));
        assertEquals(1.0, SpecialExtra.erf(Double.POSITIVE_INFINITY));
    }

    @Test
    void erfinvMatchesScipy() {
        double[][] t = {{-0.999, -2.3267537655135246}, {-0.3, -0.2724627147267543}, {0.05, 0.044340387910005497},
                {0.7, 0.7328690779592167}, {0.99999, 3.123413274341571}};
        for (double[] r : t) close(r[1], SpecialExtra.erfinv(r[0]), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, SpecialExtra.erfinv(1));
        assertTrue(Double.isNaN(SpecialExtra.erfinv(1.5)));
    }

    @Test
    void incompleteGammaMatchesScipy() {
        double[][] t = {{0.5, 0.2, 0.47291074313446196}, {2.5, 1.0, 0.15085496391539038}, {2.5, 6.0, 0.9652122194937581},
                {30.0, 25.0, 0.1821039159774551}, {0.1, 3.0, 0.9984347282528856}};
        for (double[] r : t) close(r[2], SpecialExtra.gammaP(r[0], r[1]), 1e-13);
        assertEquals(0, SpecialExtra.gammaP(2, 0));
    }

    @Test
    void standardGammaGradForExponentialIsExact() {
        // Gamma(1) is Exponential(1): F = 1 - e^-x; for a = 1 the derivative has a closed form via the series of
        // ∂P/∂a; check instead the a-scaling identity at large a: x ≈ a + √a z, so ∂x/∂a ≈ 1 + z/(2√a) at the mean
        double a = 400, x = 400;
        assertEquals(1.0, SpecialExtra.standardGammaGrad(a, x), 2e-3);
    }
}
