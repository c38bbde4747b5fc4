package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input for every public constructor and method: invalid parameters (the message names the distribution, the
 * parameter, the bad value and its index), parameter shapes that do not broadcast, mixed and non-floating dtypes,
 * null arguments, logProb/cdf/icdf arguments outside the support or of the wrong dtype or shape, bad sample shapes,
 * impossible expands; and that validation can be switched off per instance and by default.
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class UnivariateValidationTest {
    static Tensor f64(double... v) { return Tensor.of(DType.F64, v); }

    static Tensor f32(float... v) { return Tensor.of(v); }

    static Tensor i64(long... v) { return Tensor.of(NDArray.of(v)); }

    static void throwsWith(String expected, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(expected, ex.getMessage());
    }

    static void throwsContaining(String part, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' lacks '" + part + "'");
    }

    @Test
    void invalidParametersNameDistributionParameterValueAndIndex() {
        throwsWith("Normal: scale must be > 0, got -1.0 at [2]", () -> new Normal(f64(0, 0, 0), f64(1, 2, -1)));
        throwsWith("Normal: loc must be a real number (not NaN), got NaN at [1]", () -> new Normal(f64(0, Double.NaN), f64(1, 1)));
        throwsWith("Normal: scale must be > 0, got 0.0 at []", () -> new Normal(0, 0));
        throwsWith("LogNormal: scale must be > 0, got -0.5 at [0]", () -> new LogNormal(f64(0), f64(-0.5)));
        throwsWith("Uniform: low must be < high, got low 2.0 and high 1.0 at [1]", () -> new Uniform(f64(0, 2), f64(1, 1)));
        throwsWith("Uniform: low must be < high, got low 1.0 and high 1.0 at []", () -> new Uniform(1, 1));
        throwsWith("Laplace: scale must be > 0, got -3.0 at []", () -> new Laplace(0, -3));
        throwsWith("Exponential: rate must be > 0, got 0.0 at [1]", () -> new Exponential(f64(1, 0)));
        throwsWith("Gamma: concentration must be > 0, got -1.0 at []", () -> new Gamma(-1, 1));
        throwsWith("Gamma: rate must be > 0, got NaN at []", () -> new Gamma(1, Double.NaN));
        throwsWith("Beta: concentration0 must be > 0, got 0.0 at [0]", () -> new Beta(f64(1), f64(0)));
        throwsWith("Beta: concentration1 must be > 0, got -2.0 at []", () -> new Beta(-2, 1));
        throwsWith("Dirichlet: concentration must be > 0, got 0.0 at [1, 2]", () -> new Dirichlet(Tensor.of(DType.F64, new double[]{1, 1, 1, 1, 1, 0}, 2, 3)));
        throwsWith("StudentT: df must be > 0, got 0.0 at []", () -> new StudentT(0, 0, 1));
        throwsWith("StudentT: scale must be > 0, got -1.0 at []", () -> new StudentT(1, 0, -1));
        throwsWith("Bernoulli: probs must be in [0, 1], got 1.5 at [1]", () -> Bernoulli.fromProbs(f64(0.5, 1.5)));
        throwsWith("Bernoulli: logits must be a real number (not NaN), got NaN at []", () -> Bernoulli.fromLogits(Double.NaN));
        throwsWith("Categorical: probs must be >= 0, got -0.1 at [0, 1]",
                () -> Categorical.fromProbs(Tensor.of(DType.F64, new double[]{0.5, -0.1, 0.6, 0.2, 0.3, 0.5}, 2, 3)));
        throwsWith("Categorical: the sum of probs along the last dim must be > 0, got 0.0 at [1]",
                () -> Categorical.fromProbs(Tensor.of(DType.F64, new double[]{1, 0, 0, 0}, 2, 2)));
        throwsWith("Categorical: logits must be < Infinity, got Infinity at [0]", () -> Categorical.fromLogits(Double.POSITIVE_INFINITY, 0));
        throwsWith("Categorical: the largest of the logits along the last dim must be > -Infinity, got -Infinity at []",
                () -> Categorical.fromLogits(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY));
        throwsWith("OneHotCategorical: probs must be >= 0, got NaN at [0]", () -> OneHotCategorical.fromProbs(Double.NaN, 1));
        throwsWith("Categorical: probs must be < Infinity, got Infinity at [1]", () -> Categorical.fromProbs(1, Double.POSITIVE_INFINITY));
        throwsWith("Binomial: totalCount must be a non-negative integer, got 2.5 at []", () -> Binomial.fromProbs(2.5, 0.5));
        throwsWith("Binomial: totalCount must be a non-negative integer, got -1.0 at [0]", () -> Binomial.fromLogits(f64(-1), f64(0)));
        throwsWith("Binomial: probs must be in [0, 1], got -0.25 at []", () -> Binomial.fromProbs(3, -0.25));
        throwsWith("Poisson: rate must be >= 0, got -1.0 at [0]", () -> new Poisson(f64(-1, 2)));
        throwsWith("Normal: scale must be > 0, got -1.0 at [1]", () -> new Normal(f32(0, 0), f32(1, -1)));
    }

    @Test
    void parameterShapesMustBroadcast() {
        throwsWith("Normal: parameter shapes do not broadcast: loc [3], scale [4]", () -> new Normal(Tensor.zeros(DType.F64, 3), Tensor.ones(DType.F64, 4)));
        throwsWith("StudentT: parameter shapes do not broadcast: df [2], loc [3], scale []",
                () -> new StudentT(Tensor.ones(DType.F64, 2), Tensor.zeros(DType.F64, 3), Tensor.ones(DType.F64)));
        throwsWith("Binomial: parameter shapes do not broadcast: totalCount [2], probs [3]",
                () -> Binomial.fromProbs(Tensor.ones(DType.F64, 2), Tensor.full(DType.F64, 0.5, 3)));
        throwsWith("Dirichlet: concentration must have at least 1 dim (the last indexes categories), got a scalar",
                () -> new Dirichlet(Tensor.scalar(DType.F64, 1)));
        throwsWith("Categorical: logits must have at least one category, got shape [2, 0]", () -> Categorical.fromLogits(Tensor.zeros(DType.F64, 2, 0)));
        for (Supplier<Distribution> s : List.<Supplier<Distribution>>of(
                () -> new LogNormal(f64(0, 0), f64(1, 1, 1)), () -> new Uniform(f64(0, 0), f64(1, 1, 1)),
                () -> new Laplace(f64(0, 0), f64(1, 1, 1)), () -> new Gamma(f64(1, 1), f64(1, 1, 1)), () -> new Beta(f64(1, 1), f64(1, 1, 1)))) {
            throwsContaining("parameter shapes do not broadcast", s::get);
        }
    }

    @Test
    void parametersMustShareOneFloatingDtype() {
        throwsWith("Normal: loc and scale must have the same dtype, got F32 and F64 (convert one with to(DType))", () -> new Normal(f32(0), f64(1)));
        throwsWith("Normal: loc must be F32 or F64, got I64", () -> new Normal(i64(0), f64(1)));
        throwsWith("Gamma: concentration and rate must have the same dtype, got F64 and F32 (convert one with to(DType))",
                () -> new Gamma(f64(1), f32(1)));
        throwsWith("Beta: concentration1 and concentration0 must have the same dtype, got F32 and F64 (convert one with to(DType))",
                () -> new Beta(f32(1), f64(1)));
        throwsWith("Uniform: low and high must have the same dtype, got F32 and F64 (convert one with to(DType))", () -> new Uniform(f32(0), f64(1)));
        throwsWith("StudentT: df and scale must have the same dtype, got F64 and F32 (convert one with to(DType))",
                () -> new StudentT(f64(1), f64(0), f32(1)));
        throwsWith("Laplace: loc and scale must have the same dtype, got F64 and F32 (convert one with to(DType))", () -> new Laplace(f64(0), f32(1)));
        throwsWith("LogNormal: loc and scale must have the same dtype, got F64 and F32 (convert one with to(DType))", () -> new LogNormal(f64(0), f32(1)));
        throwsWith("Binomial: totalCount and probs must have the same dtype, got F32 and F64 (convert one with to(DType))",
                () -> Binomial.fromProbs(f32(3), f64(0.5)));
        throwsWith("Exponential: rate must be F32 or F64, got I64", () -> new Exponential(i64(1)));
        throwsWith("Poisson: rate must be F32 or F64, got BOOL", () -> new Poisson(Tensor.of(NDArray.of(new boolean[]{true}))));
        throwsWith("Dirichlet: concentration must be F32 or F64, got I64", () -> new Dirichlet(i64(1, 2)));
        throwsWith("Bernoulli: probs must be F32 or F64, got I64", () -> Bernoulli.fromProbs(i64(1)));
        throwsWith("Categorical: logits must be F32 or F64, got I64", () -> Categorical.fromLogits(i64(1, 2)));
        throwsWith("OneHotCategorical: probs must be F32 or F64, got I64", () -> OneHotCategorical.fromProbs(i64(1, 2)));
    }

    @Test
    void nullArgumentsAreRejected() {
        throwsWith("Normal: loc must not be null", () -> new Normal(null, f64(1)));
        throwsWith("Gamma: rate must not be null", () -> new Gamma(f64(1), null));
        throwsWith("StudentT: df must not be null", () -> new StudentT((Tensor) null));
        throwsWith("Dirichlet: concentration must not be null", () -> new Dirichlet((double[]) null));
        throwsWith("Categorical: probs must not be null", () -> Categorical.fromProbs((double[]) null));
        throwsWith("Normal.logProb: value must not be null", () -> new Normal(0, 1).logProb(null));
        throwsWith("Normal.sample: generator must not be null", () -> new Normal(0, 1).sample(null, 2));
        throwsWith("Gamma.rsample: generator must not be null", () -> new Gamma(1, 1).rsample(null));
    }

    @Test
    void logProbValidatesItsArgument() {
        throwsWith("Exponential.logProb: value must be >= 0, got -1.0 at [1]", () -> new Exponential(1).logProb(f64(1, -1)));
        throwsWith("Gamma.logProb: value must be >= 0, got -2.0 at [0]", () -> new Gamma(2, 1).logProb(f64(-2)));
        throwsWith("LogNormal.logProb: value must be > 0, got 0.0 at []", () -> new LogNormal(0, 1).logProb(Tensor.scalar(DType.F64, 0)));
        throwsWith("Uniform.logProb: value must be in [0, 1], got 1.5 at [1]", () -> new Uniform(f64(0, 0), f64(1, 1)).logProb(f64(0.5, 1.5)));
        throwsWith("Beta.logProb: value must be in [0, 1], got 1.1 at []", () -> new Beta(2, 2).logProb(Tensor.scalar(DType.F64, 1.1)));
        throwsWith("Bernoulli.logProb: value must be 0 or 1, got 0.5 at [0]", () -> Bernoulli.fromProbs(0.3).logProb(f64(0.5)));
        throwsWith("Binomial.logProb: value must be an integer in [0, 10], got 11.0 at [1]", () -> Binomial.fromProbs(10, 0.3).logProb(f64(1, 11)));
        throwsWith("Binomial.logProb: value must be an integer in [0, 10], got 1.5 at [0]", () -> Binomial.fromProbs(10, 0.3).logProb(f64(1.5)));
        throwsWith("Poisson.logProb: value must be a non-negative integer, got -1 at [0]", () -> new Poisson(1).logProb(i64(-1)));
        throwsWith("Categorical.logProb: value must be an integer in [0, 2], got 3 at [0]", () -> Categorical.fromProbs(1, 1, 1).logProb(i64(3)));
        throwsWith("Categorical.logProb: value must be an integer in [0, 2], got 0.5 at []", () -> Categorical.fromProbs(1, 1, 1).logProb(Tensor.scalar(DType.F64, 0.5)));
        throwsWith("Dirichlet.logProb: value must be in the simplex (elements >= 0 summing to 1), got [0.5, 0.6] at [1]",
                () -> new Dirichlet(1, 1).logProb(Tensor.of(DType.F64, new double[]{0.5, 0.5, 0.5, 0.6}, 2, 2)));
        throwsWith("OneHotCategorical.logProb: value must be one-hot (zeros and a single one), got [1.0, 1.0, 0.0] at []",
                () -> OneHotCategorical.fromProbs(1, 1, 1).logProb(f64(1, 1, 0)));
        throwsWith("StudentT.logProb: value must be a real number (not NaN), got NaN at [0]", () -> new StudentT(3, 0, 1).logProb(f64(Double.NaN)));
    }

    @Test
    void logProbChecksDtypeAndShape() {
        throwsWith("Normal.logProb: value has dtype F32 but the distribution's parameters are F64 (convert it with to(F64))",
                () -> new Normal(0, 1).logProb(f32(0)));
        throwsWith("Gamma.logProb: value has dtype I64 but the distribution's parameters are F64 (convert it with to(F64))",
                () -> new Gamma(1, 1).logProb(i64(1)));
        throwsWith("Normal.logProb: value of shape [2] does not broadcast with the batch shape [3]",
                () -> new Normal(f64(0, 0, 0), f64(1, 1, 1)).logProb(f64(1, 2)));
        throwsWith("Dirichlet.logProb: value of shape [2] must end in the event shape [3]", () -> new Dirichlet(1, 1, 1).logProb(f64(0.5, 0.5)));
        throwsWith("Dirichlet.logProb: value of shape [3, 2] does not broadcast with the batch shape [2] (event shape [2])",
                () -> new Dirichlet(Tensor.ones(DType.F64, 2, 2)).logProb(Tensor.full(DType.F64, 0.5, 3, 2)));
        throwsWith("Categorical.logProb: value must hold category indices as I64 (or whole numbers as F32/F64), got BOOL",
                () -> Categorical.fromProbs(1, 1).logProb(Tensor.of(NDArray.of(new boolean[]{true}))));
        // discrete distributions accept integer values
        assertEquals(Math.log(0.3), Bernoulli.fromProbs(0.3).logProb(i64(1)).item(), 1e-15);
        assertEquals(-1.0, new Poisson(1).logProb(i64(0)).item(), 1e-15);
    }

    @Test
    void cdfAndIcdfValidate() {
        throwsWith("Normal.icdf: value must be in [0, 1], got 1.5 at [0]", () -> new Normal(0, 1).icdf(f64(1.5)));
        throwsWith("Exponential.cdf: value must be >= 0, got -1.0 at [0]", () -> new Exponential(1).cdf(f64(-1)));
        throwsWith("Gamma.icdf: value must be in [0, 1], got -0.1 at [0]", () -> new Gamma(2, 1).icdf(f64(-0.1)));
        throwsWith("Laplace.cdf: value has dtype F32 but the distribution's parameters are F64 (convert it with to(F64))",
                () -> new Laplace(0, 1).cdf(f32(0)));
        throwsWith("Uniform.icdf: value of shape [3] does not broadcast with the batch shape [2]",
                () -> new Uniform(f64(0, 0), f64(1, 1)).icdf(f64(0.1, 0.2, 0.3)));
        // the Uniform cdf is defined (0 or 1) outside the support
        assertEquals(1.0, new Uniform(0, 1).cdf(f64(3)).item());
    }

    @Test
    void sampleShapesAndExpandAreChecked() {
        throwsContaining("Normal.sample: shape [-1] has a negative dimension", () -> new Normal(0, 1).sample(new Generator(1), -1));
        throwsContaining("Dirichlet.rsample: shape [2, -3] has a negative dimension", () -> new Dirichlet(1, 1).rsample(new Generator(1), 2, -3));
        throwsWith("Normal.expand: batch shape [3] cannot be expanded to [2, 4]", () -> new Normal(f64(0, 0, 0), f64(1, 1, 1)).expand(2, 4));
        throwsWith("Categorical.expand: batch shape [2] cannot be expanded to [3]", () -> Categorical.fromProbs(Tensor.ones(DType.F64, 2, 3)).expand(3));
        throwsWith("Gamma.expand: shape [-1] has a negative dimension", () -> new Gamma(1, 1).expand(-1));
    }

    @Test
    void validationCanBeSwitchedOff() {
        Normal n = new Normal(f64(0), f64(-1), false);
        assertFalse(n.validates());
        assertTrue(Double.isNaN(n.logProb(f64(0)).item()));
        // outside the support with validation off: -inf, not an exception
        assertEquals(Double.NEGATIVE_INFINITY, new Uniform(f64(0), f64(1), false).logProb(f64(2)).item());
        boolean before = Distribution.validateByDefault();
        try {
            Distribution.setValidateByDefault(false);
            Gamma g = new Gamma(-1, 1);
            assertFalse(g.validates());
            Bernoulli b = Bernoulli.fromProbs(2.0);
            assertFalse(b.validates());
            assertFalse(new Poisson(1).expand(3).validates());
        } finally {
            Distribution.setValidateByDefault(before);
        }
        assertTrue(new Poisson(1).expand(3).validates());
    }
}
