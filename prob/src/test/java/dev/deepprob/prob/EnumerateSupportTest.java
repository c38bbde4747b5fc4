package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.deepprob.prob.UnivariateSamplingTest.f64;
import static org.junit.jupiter.api.Assertions.*;

/**
 * enumerateSupport of the finite discrete families in torch's layout (shapes as torch 1.13's enumerate_support(expand) gives
 * for the same batch: Bernoulli (2, 1, 1) / (2, 2, 3), Categorical (k, 1) / (k, 2), OneHotCategorical (k, 1, k) / (k, 2, k),
 * Binomial (n + 1, 1) / (n + 1, 2)), with the probabilities of all values summing to 1 for every batch member; and perplexity.
 */
@ExtendWith(NumbersAreF64.class)
class EnumerateSupportTest {

    static void sumsToOne(Distribution d, Tensor support) {
        double[] total = d.logProb(support).exp().sum(new int[]{0}, false).toDoubleArray();
        for (double t : total) assertEquals(1, t, 1e-14, d + ": total probability over the enumerated support");
    }

    @Test
    void valuesShapesAndTotalProbability() {
        Bernoulli b = Bernoulli.fromProbs(Tensor.of(DType.F64, new double[]{0.1, 0.5, 0.9, 0, 1, 0.3}, 2, 3));
        assertArrayEquals(new int[]{2, 1, 1}, b.enumerateSupport(false).dims());
        assertArrayEquals(new double[]{0, 1}, b.enumerateSupport(false).toDoubleArray());
        assertArrayEquals(new int[]{2, 2, 3}, b.enumerateSupport(true).dims());
        sumsToOne(b, b.enumerateSupport(true));
        sumsToOne(b, b.enumerateSupport(false));

        Categorical c = Categorical.fromProbs(Tensor.of(DType.F64, new double[]{0.2, 0.3, 0.5, 0.0, 0.9, 0.1}, 2, 3));
        Tensor cs = c.enumerateSupport(false);
        assertEquals(DType.I64, cs.dtype());
        assertArrayEquals(new int[]{3, 1}, cs.dims());
        assertArrayEquals(new int[]{3, 2}, c.enumerateSupport(true).dims());
        sumsToOne(c, cs);

        OneHotCategorical o = OneHotCategorical.fromLogits(Tensor.of(DType.F64, new double[]{0.2, -3, 1, 0, 0, 0}, 2, 3));
        assertArrayEquals(new int[]{3, 1, 3}, o.enumerateSupport(false).dims());
        assertArrayEquals(new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1}, o.enumerateSupport(false).toDoubleArray());
        assertArrayEquals(new int[]{3, 2, 3}, o.enumerateSupport(true).dims());
        sumsToOne(o, o.enumerateSupport(true));
        sumsToOne(OneHotCategoricalStraightThrough.fromProbs(f64(0.3, 0.7)), OneHotCategoricalStraightThrough.fromProbs(f64(0.3, 0.7))
                .enumerateSupport(false));

        Binomial bi = Binomial.fromProbs(f64(6, 6), f64(0.3, 0.95));
        assertArrayEquals(new int[]{7, 1}, bi.enumerateSupport(false).dims());
        assertArrayEquals(new int[]{7, 2}, bi.enumerateSupport(true).dims());
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 6}, bi.enumerateSupport(false).toDoubleArray());
        sumsToOne(bi, bi.enumerateSupport(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Binomial.fromProbs(f64(3, 4), f64(0.5, 0.5)).enumerateSupport(true));
        assertTrue(e.getMessage().startsWith("Binomial.enumerateSupport: totalCount must be the same across the batch"), e.getMessage());
        // scalar batch: (n) exactly, as torch
        assertArrayEquals(new int[]{2}, Bernoulli.fromProbs(0.3).enumerateSupport(true).dims());
    }

    /** exp(entropy): k for a uniform categorical, e^H in general, for every family with an entropy. */
    @Test
    void perplexityIsTheExponentialOfTheEntropy() {
        assertEquals(5, Categorical.fromProbs(1, 1, 1, 1, 1).perplexity().item(), 1e-14);
        assertEquals(2, Bernoulli.fromProbs(0.5).perplexity().item(), 1e-15);
        for (HasEntropy d : List.<HasEntropy>of(new Normal(0.3, 2.0), new Gamma(f64(2.5), f64(0.5)), new VonMises(0, 3),
                Binomial.fromProbs(10, 0.3))) {
            assertEquals(Math.exp(d.entropy().item()), d.perplexity().item(), 1e-15 * Math.exp(d.entropy().item()), d.toString());
        }
    }
}
