package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.transforms.AffineTransform;
import dev.deepprob.prob.transforms.ExpTransform;
import dev.deepprob.prob.transforms.StickBreakingTransform;
import dev.deepprob.prob.transforms.TanhTransform;
import dev.deepprob.prob.transforms.Transform;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class TransformedDistributionTest {

    static TransformedDistribution logNormal(Tensor mu, Tensor sigma) {
        return TransformedDistribution.of(new Normal(mu, sigma), new ExpTransform());
    }

    @Test
    void logNormalAsExpOfNormalMatchesScipy() {
        TransformedDistribution d = logNormal(ref("lognormal.mu"), ref("lognormal.sigma"));
        assertInstanceOf(Reparameterizable.class, d);
        assertArrayEquals(new int[]{3}, d.batchShape());
        assertArrayEquals(new int[0], d.eventShape());
        report("LogNormal = exp(Normal) logProb vs scipy.lognorm",
                assertClose(ref("lognormal.logpdf"), d.logProb(ref("lognormal.y")), 1e-12, "logProb"));
        assertThrowsWith("TransformedDistribution.logProb: value must be > 0, got -1.0 at [1]",
                () -> d.logProb(Tensor.of(DType.F64, new double[]{1, -1, 1})));
    }

    @Test
    void logNormalSampleMeanMatchesWithinItsStandardError() {
        Tensor mu = ref("lognormal.mu"), sigma = ref("lognormal.sigma");
        TransformedDistribution d = logNormal(mu, sigma);
        int n = 200000;
        Tensor s = d.sample(new Generator(8), n);
        assertArrayEquals(new int[]{n, 3}, s.dims());
        double[] m = s.mean(new int[]{0}, false).toDoubleArray();
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            double mi = mu.toDoubleArray()[i], si = sigma.toDoubleArray()[i];
            double mean = Math.exp(mi + si * si / 2);
            double var = (Math.exp(si * si) - 1) * Math.exp(2 * mi + si * si);
            worst = Math.max(worst, Math.abs(m[i] - mean) / Math.sqrt(var / n));
        }
        report("LogNormal sample mean, worst z-score (bound 5)", worst);
        assertTrue(worst < 5);
    }

    @Test
    void affineTransformedNormalIsANormal() {
        Tensor loc = Tensor.of(DType.F64, new double[]{0.5, -1.0}), scale = Tensor.of(DType.F64, new double[]{2.0, 0.3});
        Tensor a = Tensor.of(DType.F64, new double[]{1.0, 3.0}), b = Tensor.of(DType.F64, new double[]{-1.5, 0.25});
        TransformedDistribution t = TransformedDistribution.of(new Normal(loc, scale), new AffineTransform(a, b));
        Normal direct = new Normal(a.add(b.mul(loc)), b.abs().mul(scale));
        Tensor x = Tensor.randn(new Generator(4), DType.F64, 6, 2).mul(3);
        double e = assertClose(direct.logProb(x), t.logProb(x), 1e-13, "logProb");
        // same noise, same draws: loc' + scale' ε for b > 0; the b < 0 column is mirrored
        Tensor st = t.sample(new Generator(5), 4), sd = direct.sample(new Generator(5), 4);
        assertClose(sd.select(1, 1), st.select(1, 1), 1e-13, "samples (b > 0)");
        assertClose(direct.mean().select(0, 0).mul(2).sub(sd.select(1, 0)), st.select(1, 0), 1e-13, "samples (b < 0, mirrored about the mean)");
        report("affine(Normal) vs Normal(loc', scale') logProb", e);
        // rsample is differentiable in the base's and the transform's parameters
        GradCheck.check(in -> TransformedDistribution.of(new Normal(in.get(0), in.get(1)), new AffineTransform(in.get(2), in.get(3)))
                        .logProb(x), List.of(loc, scale, a, b), 2, GRAD, new Generator(1));
        GradCheck.check(in -> TransformedDistribution.reparameterized(new Normal(in.get(0), in.get(1)), new AffineTransform(in.get(2), in.get(3)),
                new ExpTransform()).rsample(new Generator(77), 3), List.of(loc, scale, a, b), 1, GRAD, new Generator(2));
    }

    @Test
    void vectorTransformOfAScalarBaseMakesBatchDimsEventDims() {
        // stick-breaking of 3 independent normals: one distribution over the 4-simplex
        Normal base = new Normal(Tensor.of(DType.F64, new double[]{0.2, -0.5, 1.0}), Tensor.of(DType.F64, new double[]{1.0, 0.5, 2.0}));
        Transform sb = new StickBreakingTransform();
        TransformedDistribution d = TransformedDistribution.of(base, sb);
        assertArrayEquals(new int[0], d.batchShape());
        assertArrayEquals(new int[]{4}, d.eventShape());
        assertInstanceOf(Independent.class, d.base());
        Tensor y = d.sample(new Generator(3), 5);
        assertArrayEquals(new int[]{5, 4}, y.dims());
        assertClose(Tensor.ones(DType.F64, 5), y.sum(new int[]{-1}, false), 1e-14, "samples on the simplex");
        Tensor x = sb.inverse(y);
        Tensor expected = base.logProb(x).sum(new int[]{-1}, false).sub(sb.logAbsDetJacobian(x, y));
        report("stick-breaking(Normal) logProb vs change of variables", assertClose(expected, d.logProb(y), 1e-12, "logProb"));
        assertArrayEquals(new int[]{5}, d.logProb(y).dims());
        // tanh of a batch of normals (elementwise over a vector base): event dims stay the base's
        MultivariateNormal mvn = MultivariateNormal.withCovariance(ref("mvn.loc"), ref("mvn.cov"));
        TransformedDistribution squashed = TransformedDistribution.of(mvn, new TanhTransform());
        assertArrayEquals(new int[]{2}, squashed.batchShape());
        assertArrayEquals(new int[]{3}, squashed.eventShape());
        Tensor z = squashed.sample(new Generator(9), 7);
        Tensor u = new TanhTransform().inverse(z);
        Tensor lp = mvn.logProb(u).sub(new TanhTransform().logAbsDetJacobian(u, z).sum(new int[]{-1}, false));
        assertClose(lp, squashed.logProb(z), 1e-9, "tanh(MVN) logProb");
        assertArrayEquals(new int[]{4, 2}, squashed.expand(4, 2).batchShape());
        assertClose(squashed.logProb(z), squashed.expand(4, 2).logProb(z.unsqueeze(1)).select(1, 0), 1e-12, "expanded");
    }

    @Test
    void capabilitiesFollowTheBase() {
        TransformedDistribution r = logNormal(ref("lognormal.mu"), ref("lognormal.sigma"));
        assertInstanceOf(TransformedDistribution.Reparameterized.class, r);
        Categorical cat = Categorical.fromProbs(0.2, 0.8);
        Transform affine = new AffineTransform(1.0, 2.0), exp = new ExpTransform();
        TransformedDistribution c = TransformedDistribution.of(cat, affine);
        assertFalse(c instanceof Reparameterizable);
        Tensor s = c.sample(new Generator(1), 1000);
        for (double v : s.toDoubleArray()) assertTrue(v == 1.0 || v == 3.0);
        // the base and the transforms given, in the order they are applied
        assertSame(cat, c.base());
        assertEquals(List.of(affine), c.transforms());
        TransformedDistribution two = TransformedDistribution.of(new Normal(0.0, 1.0), affine, exp);
        assertEquals(List.of(affine, exp), two.transforms());
        double x = new Normal(0.0, 1.0).sample(new Generator(2)).item();
        // the same draw through the same two roundings (1 + 2x, then exp): a few ulps at most
        assertEquals(Math.exp(1 + 2 * x), two.sample(new Generator(2)).item(), 1e-15 * Math.exp(1 + 2 * x), "exp(1 + 2x), not 1 + 2 exp(x)");
        assertTrue(r.support().describe().contains("> 0"));
    }

    @Test
    void badInputIsRejected() {
        Normal n = new Normal(0.0, 1.0);
        assertThrowsWith("TransformedDistribution: base distribution must not be null", () -> TransformedDistribution.of(null, new ExpTransform()));
        assertThrowsWith("TransformedDistribution: expected at least one transform", () -> TransformedDistribution.of(n));
        assertThrowsWith("TransformedDistribution: transform 0 is null", () -> TransformedDistribution.of(n, (Transform) null));
        assertThrowsWith("TransformedDistribution: the transforms act on events of 1 dims, but the base Normal(loc: 0.0000, scale: 1.0000) has shape []",
                () -> TransformedDistribution.of(n, new StickBreakingTransform()));
        TransformedDistribution d = logNormal(ref("lognormal.mu"), ref("lognormal.sigma"));
        assertThrowsWith("TransformedDistribution.logProb: value must not be null", () -> d.logProb(null));
        assertThrowsWith("TransformedDistribution.expand: batch shape [3] cannot be expanded to [2]", () -> d.expand(2));
        assertThrowsWith("TransformedDistribution.logProb", () -> d.logProb(Tensor.ones(DType.F64, 4)));
    }
}
