package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Distributions print their parameters' values as tensors print them, under PyTorch's parameter names (torch prints
 * {@code Normal(loc: 0.0, scale: 1.0)}); a large parameter is truncated as a tensor is.
 */
class DistributionPrintTest {

    @Test
    void scalarParametersPrintTheirValues() {
        assertEquals("Normal(loc: 0.0000, scale: 1.0000)", new Normal(0.0, 1.0).toString());
        assertEquals("Gamma(concentration: 2.0000, rate: 0.50000)", new Gamma(2.0, 0.5).toString());
        assertEquals("StudentT(df: 3.0000, loc: 1.0000, scale: 2.0000)", new StudentT(3.0, 1.0, 2.0).toString());
        assertEquals("Beta(concentration1: 2.0000, concentration0: 3.0000)", new Beta(2.0, 3.0).toString());
    }

    @Test
    void tensorParametersPrintAsTensorsDo() {
        Normal n = new Normal(Tensor.of(DType.F64, new double[]{0, 1, 2}), Tensor.ones(DType.F64, 3));
        assertEquals("Normal(loc: [0.0000, 1.0000, 2.0000], scale: [1.0000, 1.0000, 1.0000])", n.toString());
        Categorical c = Categorical.fromProbs(0.25, 0.75);
        assertEquals("Categorical(probs: [0.25000, 0.75000])", c.toString());
        Exponential big = new Exponential(Tensor.ones(DType.F64, 20));
        assertEquals("Exponential(rate: [1.0000, 1.0000, 1.0000, 1.0000, 1.0000, ..., 1.0000, 1.0000, 1.0000])", big.toString());
    }

    @Test
    void wrappersPrintTheirBase() {
        Independent i = Independent.of(new Normal(Tensor.zeros(DType.F64, 2), Tensor.ones(DType.F64, 2)), 1);
        assertEquals("Independent(Normal(loc: [0.0000, 0.0000], scale: [1.0000, 1.0000]), 1)", i.toString());
    }
}
