package dev.deepprob.prob;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.deepprob.prob.UnivariateSamplingTest.f64;
import static dev.deepprob.prob.UnivariateSamplingTest.moments;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The families added with issue 15 (HalfNormal, Cauchy, HalfCauchy, Gumbel, Weibull, Pareto, Chi2, Geometric) beyond
 * their reference tables: sample moments within 5 standard errors (UnivariateSamplingTest's rule), quantile
 * frequencies for the heavy-tailed ones without moments, pathwise gradients of rsample by finite differences with the
 * noise fixed by the seed, and the parameter checks' messages.
 */
@ExtendWith(NumbersAreF64.class)
class AddedFamiliesTest {
    static final GradCheck.Options GRAD = new GradCheck.Options(1e-6, 1e-6, 1e-5);

    @Test
    void sampleMomentsMatch() {
        moments("HalfNormal", new HalfNormal(f64(1, 0.2, 5)), 21);
        moments("Gumbel", new Gumbel(f64(0, 3), f64(1, 0.5)), 22);
        moments("Weibull", new Weibull(f64(1, 2, 0.5), f64(0.8, 2, 5)), 23);
        moments("Pareto", new Pareto(f64(1, 3), f64(5, 9)), 24);            // α > 4: a finite fourth moment for the variance's error
        moments("Chi2", new Chi2(f64(0.5, 3, 40)), 25);
        moments("Geometric", Geometric.fromProbs(f64(0.05, 0.5, 1)), 26);
    }

    /** Cauchy and HalfCauchy have no moments: the fraction of draws below the q-quantile is q within 5 standard errors. */
    @Test
    void heavyTailedDrawsFallBelowTheirQuantilesAtTheRightRate() {
        int n = 40000;
        for (Distribution d : List.of(new Cauchy(1.5, 0.4), new HalfCauchy(3.0))) {
            HasCdf c = d.as(HasCdf.class).orElseThrow();
            for (boolean pathwise : new boolean[]{false, true}) {
                double[] x = (pathwise ? ((Reparameterizable) d).rsample(new Generator(31), n) : d.sample(new Generator(30), n)).toDoubleArray();
                for (double q : new double[]{0.05, 0.5, 0.9}) {
                    double t = c.icdf(Tensor.scalar(DType.F64, q)).item();
                    int below = 0;
                    for (double v : x) if (v <= t) below++;
                    double se = Math.sqrt(q * (1 - q) / n);
                    assertEquals(q, (double) below / n, 5 * se, d + " fraction below the " + q + " quantile");
                }
            }
        }
    }

    @Test
    void rsampleIsDifferentiableInTheParameters() {
        GradCheck.check(p -> new HalfNormal(p.get(0)).rsample(new Generator(7), 3), List.of(f64(0.5, 2)), 2, GRAD, new Generator(1));
        GradCheck.check(p -> new Cauchy(p.get(0), p.get(1)).rsample(new Generator(7), 3), List.of(f64(0, 1), f64(1, 0.3)), 2, GRAD, new Generator(2));
        GradCheck.check(p -> new HalfCauchy(p.get(0)).rsample(new Generator(7), 3), List.of(f64(0.5, 2)), 2, GRAD, new Generator(3));
        GradCheck.check(p -> new Gumbel(p.get(0), p.get(1)).rsample(new Generator(7), 3), List.of(f64(0, 1), f64(1, 0.3)), 2, GRAD, new Generator(4));
        GradCheck.check(p -> new Weibull(p.get(0), p.get(1)).rsample(new Generator(7), 3), List.of(f64(1, 2), f64(0.7, 3)), 2, GRAD, new Generator(5));
        GradCheck.check(p -> new Pareto(p.get(0), p.get(1)).rsample(new Generator(7), 3), List.of(f64(1, 2), f64(1.5, 3)), 2, GRAD, new Generator(6));
        // the log-densities and cdfs in all parameters, to second order
        Tensor x = f64(0.7, 2.5);
        GradCheck.check(p -> new Weibull(p.get(0), p.get(1)).logProb(x), List.of(f64(1, 2), f64(0.7, 3)), 2, GRAD, new Generator(8));
        GradCheck.check(p -> new Gumbel(p.get(0), p.get(1)).cdf(x), List.of(f64(0, 1), f64(1, 0.3)), 2, GRAD, new Generator(9));
        GradCheck.check(p -> Geometric.fromLogits(p.get(0)).logProb(f64(0, 3)), List.of(f64(-1, 2)), 2, GRAD, new Generator(10));
        GradCheck.check(p -> new HalfCauchy(p.get(0)).cdf(x), List.of(f64(0.5, 2)), 2, GRAD, new Generator(11));
    }

    @Test
    void badParametersAreNamed() {
        assertThrowsWith("HalfNormal: scale must be > 0, got -1.0 at []", () -> new HalfNormal(-1));
        assertThrowsWith("Cauchy: scale must be > 0, got 0.0 at []", () -> new Cauchy(0, 0));
        assertThrowsWith("Weibull: concentration must be > 0, got -2.0 at []", () -> new Weibull(1, -2));
        assertThrowsWith("Pareto: alpha must be > 0, got 0.0 at []", () -> new Pareto(1, 0));
        assertThrowsWith("Chi2: df must be > 0, got -3.0 at []", () -> new Chi2(-3));
        assertThrowsWith("Geometric: probs must be > 0, got 0.0 at []", () -> Geometric.fromProbs(0));
        assertThrowsWith("Geometric: probs must be in [0, 1], got 1.5 at []", () -> Geometric.fromProbs(1.5));
        assertThrowsWith("Pareto.logProb: value must be >= ", () -> new Pareto(2, 3).logProb(Tensor.scalar(DType.F64, 1)));
        assertThrowsWith("Gumbel: parameter shapes do not broadcast: loc [2], scale [3]", () -> new Gumbel(f64(0, 0), f64(1, 1, 1)));
        assertArrayEquals(new int[]{4, 2}, new Gumbel(f64(0, 0), f64(1, 1)).expand(4, 2).batchShape());
        assertEquals("Gumbel(loc: 0.0000, scale: 2.0000)", new Gumbel(0, 2).toString());
    }

    static void assertThrowsWith(String start, org.junit.jupiter.api.function.Executable f) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f);
        assertTrue(e.getMessage().startsWith(start), "message: " + e.getMessage() + "\nexpected to start with: " + start);
    }
}
