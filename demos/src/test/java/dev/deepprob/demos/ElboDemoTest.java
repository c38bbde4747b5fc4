package dev.deepprob.demos;

import dev.deepprob.engine.DType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.elbo.ElboDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElboDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new ElboDemo(), out);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "elbo");
        JsonNode k = m.get("metrics");
        assertTrue(k.get("kl_sign").asText().startsWith("+KL: fixed"), k.get("kl_sign").asText());
        assertTrue(k.get("loss").asText().contains("+ KL(q||p)/(N*D)"));
        assertTrue(m.get("notes").get(0).asText().contains("Sign fixed"));
        assertTrue(k.get("loss_mean_last_500_steps").asDouble() < k.get("loss_first_step").asDouble());
        assertTrue(k.get("train_accuracy_q_mean").asDouble() >= 0.95);
        // the loss's 1/(N·D) weighting fits likelihood^D: q is nearer that target's Laplace posterior than the model's
        assertTrue(k.get("continued_kl_q_to_tempered_laplace").asDouble() < k.get("continued_kl_q_to_laplace").asDouble());
        // the signs of q's mean agree with the Laplace posterior's on the weight that separates the classes
        assertTrue(k.get("q_mean").get(2).asDouble() * k.get("laplace_mean").get(2).asDouble() > 0);
        assertEquals(3, m.get("checks").size(), "quick mode checks: loss, accuracy, KL ordering");
        TestSupport.assertFigures(out, "elbo", m, "elbo_surface.png", "elbo_vs_laplace.png");
    }

    @Test
    void scaleTrilFillsTheLowerTriangleRowByRowWithASigmoidDiagonal() {
        Tensor l = ElboDemo.trilFromVector(3).apply(Tensor.of(DType.F64, new double[]{1, 2, 3, 4, 5, 6}));
        double s1 = 1 / (1 + Math.exp(-1)), s3 = 1 / (1 + Math.exp(-3)), s6 = 1 / (1 + Math.exp(-6));
        assertArrayEquals(new double[]{s1, 0, 0, 2, s3, 0, 4, 5, s6}, l.toDoubleArray(), 1e-15);
        // 210 numbers for 20 weights; gradients reach every one of them
        Tensor v = Tensor.ones(dev.deepprob.engine.DType.F64, 210).requiresGrad(true);
        Tensor l20 = ElboDemo.trilFromVector(20).apply(v);
        assertArrayEquals(new int[]{20, 20}, l20.dims());
        l20.sum().backward();
        for (double g : v.grad().toDoubleArray()) assertTrue(g > 0);
    }
}
