package dev.deepprob.prob;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.transforms.AffineTransform;
import dev.deepprob.prob.transforms.ExpTransform;
import dev.deepprob.prob.transforms.SigmoidTransform;
import dev.deepprob.prob.transforms.StickBreakingTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The capabilities the wrappers derive from their bases through {@link Distribution#as}: the cdf and quantiles of a
 * transformed distribution under monotone maps, of an Independent that reinterprets no dims, and of a mixture.
 * References are other distributions of this library with the same law (exp(Normal) is LogNormal, an affine map of a
 * Normal is a Normal), so the tolerance is a few ulps of the values compared, 1e-13.
 */
@ExtendWith(NumbersAreF64.class)
class WrapperCapabilityTest {
    static Tensor f64(double... v) { return Tensor.of(DType.F64, v); }

    @Test
    void transformedCdfFollowsIncreasingAndDecreasingMaps() {
        Tensor mu = f64(0.3, -1.0, 2.0), sd = f64(0.8, 1.5, 0.2);
        HasCdf viaExp = TransformedDistribution.of(new Normal(mu, sd), new ExpTransform()).as(HasCdf.class).orElseThrow();
        LogNormal ln = new LogNormal(mu, sd);
        Tensor y = f64(0.5, 0.2, 9.0), q = f64(0.01, 0.5, 0.97);
        double e = assertClose(ln.cdf(y), viaExp.cdf(y), 1e-13, "exp(Normal).cdf");
        e = Math.max(e, assertClose(ln.icdf(q), viaExp.icdf(q), 1e-13, "exp(Normal).icdf"));
        // y = 1 + s x with s of mixed signs: still the normal N(1, |s|), whose cdf a decreasing map must flip
        Tensor s = f64(-2.0, 0.5, -0.25);
        HasCdf affine = TransformedDistribution.of(new Normal(Tensor.zeros(DType.F64, 3), Tensor.ones(DType.F64, 3)),
                new AffineTransform(Tensor.scalar(DType.F64, 1), s)).as(HasCdf.class).orElseThrow();
        Normal direct = new Normal(Tensor.ones(DType.F64, 3), s.abs());
        Tensor x = f64(-0.5, 1.2, 0.9);
        e = Math.max(e, assertClose(direct.cdf(x), affine.cdf(x), 1e-13, "affine cdf"));
        e = Math.max(e, assertClose(direct.icdf(q), affine.icdf(q), 1e-13, "affine icdf"));
        report("TransformedDistribution cdf/icdf vs the same law built directly", e);
        // composed monotone maps: icdf inverts cdf
        TransformedDistribution logitNormal = TransformedDistribution.of(new Normal(mu, sd), new SigmoidTransform(), new AffineTransform(2.0, -3.0));
        HasCdf c = logitNormal.as(HasCdf.class).orElseThrow();
        assertClose(q, c.cdf(c.icdf(q)), 1e-13, "sigmoid then decreasing affine: cdf(icdf(q)) = q");
        // differentiable in the parameters through the base (second order)
        GradCheck.check(in -> TransformedDistribution.of(new Normal(in.get(0), in.get(1)), new ExpTransform()).as(HasCdf.class).orElseThrow().cdf(y),
                List.of(mu, sd), 2, GRAD, new Generator(1));
    }

    @Test
    void capabilitiesAreAbsentWhereTheyDoNotExist() {
        Normal n = new Normal(Tensor.zeros(DType.F64, 2, 3), Tensor.ones(DType.F64, 2, 3));
        // a vector map has no sign: no cdf
        assertFalse(TransformedDistribution.of(n, new StickBreakingTransform()).has(HasCdf.class));
        // a base without a cdf: none either (Dirichlet), nor moments through a transform
        assertFalse(TransformedDistribution.of(new Normal(0.0, 1.0), new ExpTransform()).has(HasMoments.class));
        assertFalse(MixtureSameFamily.of(Categorical.fromProbs(0.5, 0.5), new Dirichlet(Tensor.ones(DType.F64, 2, 3))).has(HasCdf.class));
        // Independent: the cdf only when no dims are reinterpreted
        assertTrue(Independent.of(n, 0).has(HasCdf.class));
        assertFalse(Independent.of(n, 1).has(HasCdf.class));
        Tensor x = Tensor.full(DType.F64, 0.4, 2, 3);
        assertClose(n.cdf(x), Independent.of(n, 0).as(HasCdf.class).orElseThrow().cdf(x), 0, "Independent(dims 0).cdf");
        assertThrows(IllegalArgumentException.class, () -> n.as(null));
    }

    @Test
    void mixtureCdfIsTheWeightedSumAndItsQuantileInvertsIt() {
        Tensor w = f64(0.2, 0.5, 0.3), mu = f64(-2.0, 0.5, 3.0), sd = f64(0.5, 1.0, 0.7);
        MixtureSameFamily m = MixtureSameFamily.of(Categorical.fromProbs(w), new Normal(mu, sd));
        HasCdf c = m.as(HasCdf.class).orElseThrow();
        double[] xs = {-4.0, -1.0, 0.2, 2.5, 6.0};
        double e = 0;
        for (double x : xs) {
            double expected = 0;
            for (int j = 0; j < 3; j++) expected += w.toDoubleArray()[j] * new Normal(mu.toDoubleArray()[j], sd.toDoubleArray()[j]).cdf(Tensor.scalar(DType.F64, x)).item();
            e = Math.max(e, Math.abs(c.cdf(Tensor.scalar(DType.F64, x)).item() - expected));
        }
        assertTrue(e < 1e-15, "mixture cdf vs the weighted sum: " + e);
        // bisection to adjacent doubles: cdf(icdf(q)) = q to the cdf's own rounding, and icdf(0), icdf(1) are the support's ends
        Tensor q = f64(1e-6, 0.05, 0.5, 0.9, 0.999999);
        double r = assertClose(q, c.cdf(c.icdf(q)), 1e-15, "cdf(icdf(q))");
        report("MixtureSameFamily cdf(icdf(q)) - q", r);
        assertEquals(Double.NEGATIVE_INFINITY, c.icdf(Tensor.scalar(DType.F64, 0)).item());
        assertEquals(Double.POSITIVE_INFINITY, c.icdf(Tensor.scalar(DType.F64, 1)).item());
        // dx/dq = 1/density, and the gradients reach the weights and the components' parameters
        GradCheck.check(in -> MixtureSameFamily.of(Categorical.fromLogits(in.get(0)), new Normal(in.get(1), in.get(2))).as(HasCdf.class)
                .orElseThrow().icdf(in.get(3)), List.of(w.log(), mu, sd, f64(0.3, 0.7)), 1, GRAD, new Generator(2));
    }
}
