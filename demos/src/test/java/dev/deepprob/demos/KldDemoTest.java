package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grid search against NumPy/SciPy (values from src/test/python/kld_reference.py, output in kld_reference.txt)
 * and the demo in quick mode.
 */
class KldDemoTest {
    @TempDir
    static Path out;
    static Runner.Outcome outcome;

    @BeforeAll
    static void runQuick() {
        outcome = TestSupport.runQuick(new KldDemo(), out);
    }

    static void assertRel(double want, double got, double rel) {
        assertTrue(Math.abs(got - want) <= rel * Math.abs(want), "want " + want + ", got " + got);
    }

    @Test
    void arangeHasNumPySemantics() {
        double[] mus = KldDemo.arange(-5, 15, 0.1);
        assertEquals(200, mus.length);
        assertEquals(-4.9, mus[1]);
        assertEquals(-1.7763568394002505e-14, mus[50]);
        assertEquals(7.999999999999954, mus[130]);
        assertEquals(3.7999999999999687, mus[88]);
        assertEquals(4.099999999999968, mus[91]);
        assertEquals(14.899999999999928, mus[199]);
        double[] sigmas = KldDemo.arange(0.1, 10, 0.1);
        assertEquals(99, sigmas.length);
        assertEquals(1.0, sigmas[9]);
        assertEquals(4.5, sigmas[44]);
        assertEquals(4.2, sigmas[41]);
        assertEquals(9.9, sigmas[98]);
        double[] wide = KldDemo.arange(-20, 15, 0.1);
        assertEquals(350, wide.length);
        assertEquals(14.900000000000496, wide[349]);
        assertEquals(-12.29999999999989, wide[77]);
        assertEquals(900, KldDemo.arange(-3, 6, 0.01).length);
        assertEquals(1500, KldDemo.arange(-5, 10, 0.01).length);
        assertEquals(0, KldDemo.arange(1, 1, 0.1).length);
    }

    @Test
    void targetAndSumMatchNumPy() {
        double[] x = KldDemo.arange(-5, 15, 0.1);
        double[] p = KldDemo.target(x);
        assertRel(0.005210625974672517, p[77], 1e-14);
        assertRel(9.999998907552877, KldDemo.pairwiseSum(p, 0, p.length), 1e-15);
        double[] w = KldDemo.target(KldDemo.arange(-20, 15, 0.1));
        assertRel(2.803328463155701e-34, w[77], 1e-13);
        assertRel(9.999999999990912, KldDemo.pairwiseSum(w, 0, w.length), 1e-15);
    }

    @Test
    void pairwiseSumFollowsNumPysOrder() {
        // 1e16 + 1 + 1 + ...: the order of additions decides the result; NumPy's eight accumulators keep most of the ones
        double[] a = new double[300];
        a[0] = 1e16;
        for (int i = 1; i < a.length; i++) a[i] = 1;
        double naive = 0;
        for (double v : a) naive += v;
        assertEquals(1e16, naive);                                    // a left-to-right sum loses every 1
        assertEquals(1e16 + 290, KldDemo.pairwiseSum(a, 0, a.length)); // np.sum(a) - 1e16 == 290.0 (NumPy 1.24)
        assertEquals(6.0, KldDemo.pairwiseSum(new double[]{1, 2, 3}, 0, 3));
    }

    @Test
    void sciPyKlDiv() {
        assertEquals(0.0, KldDemo.klDiv(2, 2));
        assertEquals(3.0, KldDemo.klDiv(0, 3));
        assertEquals(Double.POSITIVE_INFINITY, KldDemo.klDiv(1, 0));
        assertEquals(Double.POSITIVE_INFINITY, KldDemo.klDiv(-1, 1));
        assertTrue(Double.isNaN(KldDemo.klDiv(Double.NaN, 1)));
        assertEquals(1 * Math.log(1 / 2.0) - 1 + 2, KldDemo.klDiv(1, 2), 1e-15);
    }

    @Test
    void gridSearchGivesTheOriginalsAnswersExactly() {
        KldDemo.GridSearch g = KldDemo.gridSearch(-5, 15);
        assertEquals(130, g.bestQp()[0]);
        assertEquals(9, g.bestQp()[1]);
        assertEquals(7.999999999999954, g.qpMu());
        assertEquals(1.0, g.qpSigma());
        assertRel(6.930535362387555, g.qpObjective(), 1e-12);
        assertEquals(88, g.bestPq()[0]);
        assertEquals(44, g.bestPq()[1]);
        assertEquals(3.7999999999999687, g.pqMu());
        assertEquals(4.5, g.pqSigma());
        assertRel(7.005480728445168, g.pqObjective(), 1e-12);
        // other points of the table, both directions (KL(p||q) is infinite where q underflows while p > 0)
        assertRel(6.930536032817555, g.qp()[50][9], 1e-12);
        assertRel(153.0694632091754, g.pq()[50][9], 1e-12);
        assertRel(17.59742686869761, g.qp()[91][41], 1e-12);
        assertRel(7.0460347753969215, g.pq()[91][41], 1e-12);
        assertRel(107.09950865017797, g.qp()[0][0], 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, g.pq()[0][0]);
        assertRel(23.81228564414097, g.qp()[199][98], 1e-12);
        assertRel(12.723907074071715, g.pq()[199][98], 1e-12);

        KldDemo.GridSearch w = KldDemo.gridSearch(-20, 15);
        assertEquals(-1.7763568394002505e-14, w.qpMu());   // the other mode: 5.5e-12 better than mu = 8 on this grid
        assertEquals(1.0, w.qpSigma());
        assertRel(6.930536454820154, w.qpObjective(), 1e-12);
        assertRel(6.930536454825644, w.qp()[130][9], 1e-12);
        assertEquals(4.099999999999968, w.pqMu());
        assertEquals(4.2, w.pqSigma());
        assertRel(7.192820612706118, w.pqObjective(), 1e-12);
        assertRel(7.2515520579614385, w.pq()[88][44], 1e-12);
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        JsonNode m = TestSupport.metrics(out, "kld");
        assertEquals("kld", m.get("name").asText());
        assertEquals("quick", m.get("mode").asText());
        assertTrue(m.get("passed").asBoolean());
        JsonNode k = m.get("metrics");
        assertEquals(8.0, k.get("grid_kl_qp_mu").asDouble(), 1e-9);
        assertEquals(1.0, k.get("grid_kl_qp_sigma").asDouble(), 1e-12);
        assertEquals(6.9305, k.get("grid_kl_qp_objective").asDouble(), 5e-5);
        assertEquals(3.8, k.get("grid_kl_pq_mu").asDouble(), 1e-9);
        assertEquals(4.5, k.get("grid_kl_pq_sigma").asDouble(), 1e-12);
        assertEquals(7.0055, k.get("grid_kl_pq_objective").asDouble(), 5e-5);
        assertEquals(4.1, k.get("wide_grid_kl_pq_mu").asDouble(), 1e-9);
        assertEquals(4.2, k.get("wide_grid_kl_pq_sigma").asDouble(), 1e-12);
        assertEquals(7.1928, k.get("wide_grid_kl_pq_objective").asDouble(), 5e-5);
        // the gradient fits reach the continuous optima: ln 2 at a mode, 0.7236 at N(4, sqrt 17)
        boolean sawMode = false;
        for (JsonNode f : k.get("fits_kl_qp")) {
            if (Math.abs(f.get("kl").asDouble() - Math.log(2)) < 0.05) {
                sawMode = true;
                assertEquals(1.0, f.get("sigma").asDouble(), 0.05);
                assertTrue(KldDemo.modeDistance(f.get("mu").asDouble()) < 0.05);
            }
        }
        assertTrue(sawMode);
        for (JsonNode f : k.get("fits_kl_pq")) {
            assertEquals(0.7236, f.get("kl").asDouble(), 0.05);
            assertEquals(4.0, f.get("mu").asDouble(), 0.05);
            assertEquals(Math.sqrt(17), f.get("sigma").asDouble(), 0.05);
        }
        assertTrue(m.get("steps").asLong() > 0);
        assertTrue(m.get("wallSeconds").asDouble() > 0);
        assertEquals(17, m.get("checks").size());
        TestSupport.assertFigures(out, "kld", m, "p.png", "best_q.png", "objective.png", "gradient_fits.png");
    }
}
