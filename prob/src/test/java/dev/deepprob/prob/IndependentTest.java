package dev.deepprob.prob;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.*;
import static org.junit.jupiter.api.Assertions.*;

class IndependentTest {

    static Tensor locs() { return Tensor.of(DType.F64, new double[]{0.1, -0.4, 1.2, 0.0, 2.0, -1.0}, 2, 3); }

    static Tensor scales() { return Tensor.of(DType.F64, new double[]{1.0, 0.5, 2.0, 0.3, 1.5, 0.8}, 2, 3); }

    @Test
    void sumsTheBaseOverTheReinterpretedDims() {
        Normal base = new Normal(locs(), scales());
        Independent d = Independent.of(base, 1);
        assertArrayEquals(new int[]{2}, d.batchShape());
        assertArrayEquals(new int[]{3}, d.eventShape());
        assertSame(base, d.base());
        assertEquals(1, d.reinterpretedBatchNdims());
        Tensor x = Tensor.randn(new Generator(2), DType.F64, 5, 2, 3);
        double e = assertClose(base.logProb(x).sum(new int[]{-1}, false), d.logProb(x), 1e-14, "logProb");
        e = Math.max(e, assertClose(base.entropy().sum(new int[]{-1}, false), d.as(HasEntropy.class).orElseThrow().entropy(), 1e-14, "entropy"));
        HasMoments m = d.as(HasMoments.class).orElseThrow();
        assertClose(base.mean(), m.mean(), 0, "mean");
        assertClose(base.variance(), m.variance(), 0, "variance");
        assertClose(base.stddev(), m.stddev(), 0, "stddev");
        assertClose(base.mode(), d.as(HasMode.class).orElseThrow().mode(), 0, "mode");
        report("Independent(Normal) logProb/entropy vs summed base", e);
        // both dims: a scalar batch
        Independent all = Independent.of(base, 2);
        assertArrayEquals(new int[0], all.batchShape());
        assertArrayEquals(new int[]{2, 3}, all.eventShape());
        assertClose(base.logProb(x).sum(new int[]{-2, -1}, false), all.logProb(x), 1e-13, "logProb over 2 dims");
        // none: the base's shapes
        Independent none = Independent.of(base, 0);
        assertArrayEquals(new int[]{2, 3}, none.batchShape());
        assertClose(base.logProb(x), none.logProb(x), 0, "logProb over 0 dims");
        // samples are the base's, under the same seed
        assertArrayEquals(base.sample(new Generator(4), 3).toDoubleArray(), d.sample(new Generator(4), 3).toDoubleArray());
        assertArrayEquals(base.rsample(new Generator(4), 3).toDoubleArray(), ((Reparameterizable) d).rsample(new Generator(4), 3).toDoubleArray());
        // expand keeps the reinterpreted dims at the end of the base's batch
        Independent ex = d.expand(4, 2);
        assertArrayEquals(new int[]{4, 2}, ex.batchShape());
        assertArrayEquals(new int[]{4, 2, 3}, ex.base().batchShape());
        assertInstanceOf(Reparameterizable.class, ex);
        assertClose(d.logProb(x).unsqueeze(1).expand(5, 4, 2), ex.logProb(x.unsqueeze(1)), 1e-14, "expanded");
        // support: all three coordinates real
        assertArrayEquals(new boolean[]{true, false}, d.support().contains(Tensor.of(DType.F64, new double[]{0, 1, 2, 0, Double.NaN, 2}, 2, 3).data())
                .toBooleanArray());
        // over a vector base: events [2, 3] from a batch of MVNs
        MultivariateNormal mvn = MultivariateNormal.withCovariance(ref("mvn.loc"), ref("mvn.cov"));
        Independent im = Independent.of(mvn, 1);
        assertArrayEquals(new int[]{2, 3}, im.eventShape());
        assertClose(mvn.logProb(ref("mvn.x")).sum(new int[]{-1}, false), im.logProb(ref("mvn.x")), 1e-13, "Independent(MVN)");
    }

    @Test
    void rsampleLogProbAndEntropyPassGradCheck() {
        Tensor x = Tensor.randn(new Generator(3), DType.F64, 4, 2, 3);
        GradCheck.check(in -> Independent.reparameterized(new Normal(in.get(0), in.get(1)), 1).rsample(new Generator(5), 4),
                List.of(locs(), scales()), 1, GRAD, new Generator(1));
        GradCheck.check(in -> Independent.of(new Normal(in.get(0), in.get(1)), 1).logProb(x), List.of(locs(), scales()), 2, GRAD, new Generator(2));
        GradCheck.check(in -> Independent.of(new Normal(in.get(0), in.get(1)), 2).as(HasEntropy.class).orElseThrow().entropy(), List.of(locs(), scales()), 2, GRAD,
                new Generator(3));
    }

    // capability stubs: a distribution with batch [2, 3] and each of the 16 combinations of the optional interfaces
    // (R: Reparameterizable, M: HasMoments, D: HasMode, E: HasEntropy); each method returns its own constant
    static class Stub extends Distribution {
        Stub() { super(new int[]{2, 3}, new int[0], true); }
        @Override public Tensor sample(Generator gen, int... s) { return Tensor.zeros(DType.F64, extendedShape(s)); }
        @Override public Tensor logProb(Tensor value) { return value.mul(0.0); }
        @Override public Distribution expand(int... b) { return this; }
        @Override public Constraint support() { return Constraints.real(); }
        public Tensor rsample(Generator gen, int... s) { return sample(gen, s); }
        public Tensor mean() { return Tensor.zeros(DType.F64, 2, 3); }
        public Tensor variance() { return Tensor.full(DType.F64, 4, 2, 3); }
        public Tensor mode() { return Tensor.full(DType.F64, 7, 2, 3); }
        public Tensor entropy() { return Tensor.ones(DType.F64, 2, 3); }
    }

    static final class SR extends Stub implements Reparameterizable {}
    static final class SM extends Stub implements HasMoments {}
    static final class SD extends Stub implements HasMode {}
    static final class SE extends Stub implements HasEntropy {}
    static final class SRM extends Stub implements Reparameterizable, HasMoments {}
    static final class SRD extends Stub implements Reparameterizable, HasMode {}
    static final class SRE extends Stub implements Reparameterizable, HasEntropy {}
    static final class SMD extends Stub implements HasMoments, HasMode {}
    static final class SME extends Stub implements HasMoments, HasEntropy {}
    static final class SDE extends Stub implements HasMode, HasEntropy {}
    static final class SRMD extends Stub implements Reparameterizable, HasMoments, HasMode {}
    static final class SRME extends Stub implements Reparameterizable, HasMoments, HasEntropy {}
    static final class SRDE extends Stub implements Reparameterizable, HasMode, HasEntropy {}
    static final class SMDE extends Stub implements HasMoments, HasMode, HasEntropy {}
    static final class SRMDE extends Stub implements Reparameterizable, HasMoments, HasMode, HasEntropy {}

    @Test
    void capabilitiesAreExactlyTheBases() {
        List<Stub> stubs = List.of(new Stub(), new SR(), new SM(), new SD(), new SE(), new SRM(), new SRD(), new SRE(), new SMD(), new SME(),
                new SDE(), new SRMD(), new SRME(), new SRDE(), new SMDE(), new SRMDE());
        java.util.Set<Class<?>> classes = new java.util.HashSet<>();
        for (Stub s : stubs) {
            Independent d = Independent.of(s, 1);
            classes.add(d.getClass());
            String what = s.getClass().getSimpleName();
            assertEquals(s instanceof Reparameterizable, d instanceof Reparameterizable, what + ": Reparameterizable");
            assertEquals(s instanceof Reparameterizable, d instanceof Independent.Reparameterized, what + ": Reparameterized");
            assertEquals(s instanceof HasMoments, d.has(HasMoments.class), what + ": HasMoments");
            assertEquals(s instanceof HasMode, d.has(HasMode.class), what + ": HasMode");
            assertEquals(s instanceof HasEntropy, d.has(HasEntropy.class), what + ": HasEntropy");
            assertFalse(d.has(HasCdf.class), what + ": no cdf over a vector event");
            d.as(HasEntropy.class).ifPresent(h -> assertClose(Tensor.full(DType.F64, 3, 2), h.entropy(), 0, what + ": entropy sums"));
            d.as(HasMoments.class).ifPresent(m -> {
                assertClose(Tensor.zeros(DType.F64, 2, 3), m.mean(), 0, what + ": mean");
                assertClose(Tensor.full(DType.F64, 4, 2, 3), m.variance(), 0, what + ": variance");
                assertClose(Tensor.full(DType.F64, 2, 2, 3), m.stddev(), 0, what + ": stddev");
            });
            d.as(HasMode.class).ifPresent(m -> assertClose(Tensor.full(DType.F64, 7, 2, 3), m.mode(), 0, what + ": mode"));
            if (d instanceof Reparameterizable r) assertArrayEquals(new int[]{4, 2, 3}, r.rsample(new Generator(1), 4).dims());
            // expand keeps the capabilities
            Independent e = d.expand(2);
            assertEquals(d.getClass(), e.getClass(), what + ": expand");
            assertEquals(d.has(HasMoments.class), e.has(HasMoments.class), what + ": expand keeps moments");
            assertEquals(d.has(HasEntropy.class), e.has(HasEntropy.class), what + ": expand keeps entropy");
        }
        assertEquals(2, classes.size(), "one class per compile-time capability (Reparameterizable or not), not per combination");
        assertTrue(Independent.of(new Normal(locs(), scales()), 1) instanceof Independent.Reparameterized);
    }

    @Test
    void modeWithoutMomentsOverACategoricalBase() {
        // Categorical has a mode and an entropy but no moments and no rsample
        Tensor probs = Tensor.of(DType.F64, new double[]{0.1, 0.6, 0.3, 0.5, 0.2, 0.3, 0.2, 0.2, 0.6, 0.3, 0.3, 0.4}, 2, 2, 3);
        Independent d = Independent.of(Categorical.fromProbs(probs), 1);
        assertTrue(d.has(HasMode.class));
        assertTrue(d.has(HasEntropy.class));
        assertFalse(d.has(HasMoments.class));
        assertFalse(d instanceof Reparameterizable);
        Tensor mode = d.as(HasMode.class).orElseThrow().mode();
        assertEquals(DType.I64, mode.dtype());
        assertArrayEquals(new int[]{2, 2}, mode.dims());
        assertArrayEquals(new double[]{1, 0, 2, 2}, mode.toDoubleArray());
        // and the mixture, with moments but no mode, keeps exactly that
        MixtureSameFamily mix = MixtureSameFamily.of(Categorical.fromProbs(probs), new Normal(Tensor.zeros(DType.F64, 2, 2, 3),
                Tensor.ones(DType.F64, 2, 2, 3)));
        Independent im = Independent.of(mix, 1);
        assertTrue(im.has(HasMoments.class));
        assertFalse(im.has(HasMode.class));
        assertFalse(im.has(HasEntropy.class));
        assertClose(Tensor.ones(DType.F64, 2, 2), im.as(HasMoments.class).orElseThrow().variance(), 1e-15, "Independent(mixture) variance");
    }

    @Test
    void badInputIsRejected() {
        Normal base = new Normal(locs(), scales());
        assertThrowsWith("Independent: base distribution must not be null", () -> Independent.of(null, 1));
        assertThrowsWith("Independent: reinterpretedBatchNdims must be in [0, 2] (the base's batch rank, batch shape [2, 3]), got 3",
                () -> Independent.of(base, 3));
        assertThrowsWith("Independent: reinterpretedBatchNdims must be in [0, 2] (the base's batch rank, batch shape [2, 3]), got -1",
                () -> Independent.of(base, -1));
        Independent d = Independent.of(base, 2);
        assertThrowsWith("Independent.logProb: value of shape [3] has fewer dims than the event shape [2, 3]",
                () -> d.logProb(Tensor.zeros(DType.F64, 3)));
        assertThrowsWith("Independent.logProb: value must not be null", () -> d.logProb(null));
        assertThrowsWith("Independent.expand: batch shape [2] cannot be expanded to [3]", () -> Independent.of(base, 1).expand(3));
        assertThrowsWith("Normal.logProb", () -> Independent.of(base, 1).logProb(Tensor.zeros(DType.F64, 4, 3)));
    }
}
