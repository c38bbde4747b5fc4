package dev.deepprob.demos;

import dev.deepprob.engine.DType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.prob.infer.BayesianLinearRegression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlrDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new BlrDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "blr");
        JsonNode k = m.get("metrics");
        assertTrue(k.get("rel_err_mean").asDouble() < 1e-6);
        assertTrue(k.get("rel_err_covariance").asDouble() < 1e-6);
        // uncertainty grows outside the data
        assertTrue(k.get("predictive_sd_x_ge_5.5_min").asDouble() > k.get("predictive_sd_inside_data_max").asDouble());
        assertTrue(k.get("predictive_sd_at_grid_end").asDouble() > k.get("predictive_sd_x_ge_5.5_min").asDouble());
        // never below the assumed noise sd sqrt(0.4)
        assertTrue(k.get("predictive_sd_inside_data_min").asDouble() >= Math.sqrt(0.4));
        // the posterior mean recovers the cubic the data came from
        double[] w = {2, -3, 0, 0.1};
        for (int i = 0; i < 4; i++) assertEquals(w[i], k.get("posterior_mean").get(i).asDouble(), i == 0 ? 0.5 : 0.2);
        assertEquals(3, m.get("checks").size());
        TestSupport.assertFigures(out, "blr", m, "posterior_samples.png", "predictive_density.png", "predictive_zoom.png");
    }

    @Test
    void independentNormalEquationsAgreeWithTheLibrary() {
        double[] x = {-2.5, -1, 0, 0.5, 2, 3.5, 4.9};
        double[] y = new double[x.length];
        double[][] phi = new double[x.length][4];
        for (int i = 0; i < x.length; i++) {
            y[i] = BlrDemo.truth(x[i]) + 0.1 * Math.sin(7 * i);
            for (int j = 0; j < 4; j++) phi[i][j] = Math.pow(x[i], j);
        }
        double[][] ref = BlrDemo.normalEquations(phi, y, 1, 2.5);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(BayesianLinearRegression.polynomialBasis(3), Tensor.of(DType.F64, x), Tensor.of(DType.F64, y), 1, 2.5);
        assertTrue(BlrDemo.relErr(blr.posteriorMean().toDoubleArray(), ref[0]) < 1e-10);
        assertTrue(BlrDemo.relErr(blr.posteriorCovariance().toDoubleArray(), ref[1]) < 1e-10);
    }
}
