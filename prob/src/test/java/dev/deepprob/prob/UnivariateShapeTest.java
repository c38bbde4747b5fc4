package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PyTorch's shape rules (batch from broadcast parameters, event shapes of Dirichlet and OneHotCategorical,
 * Categorical's batch without the last dim, logProb broadcasting, expand), both parameterisations of the discrete
 * families and their stability for extreme logits, the modes, and gradients of logProb, entropy, cdf, icdf and
 * the moments in every parameter against finite differences (first and second order).
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class UnivariateShapeTest {
    static Tensor f64(double... v) { return Tensor.of(DType.F64, v); }

    @Test
    void batchShapesBroadcastLikePytorch() {
        Normal n = new Normal(Tensor.zeros(DType.F64, 3, 1), Tensor.ones(DType.F64, 4));
        assertArrayEquals(new int[]{3, 4}, n.batchShape());
        assertArrayEquals(new int[0], n.eventShape());
        assertArrayEquals(new int[]{2, 3, 4}, n.sample(new Generator(1), 2).dims());
        assertArrayEquals(new int[]{3, 4}, n.logProb(f64(0, 1, 2, 3)).dims());
        assertArrayEquals(new int[]{5, 3, 4}, n.logProb(Tensor.zeros(DType.F64, 5, 1, 1)).dims());
        assertArrayEquals(new int[]{3, 4}, n.mean().dims());
        assertArrayEquals(new int[]{3, 4}, n.entropy().dims());
        assertArrayEquals(new int[]{3, 4}, n.cdf(Tensor.scalar(DType.F64, 0)).dims());
        assertEquals("Normal(loc: [[0.0000, 0.0000, 0.0000, 0.0000], [0.0000, 0.0000, 0.0000, 0.0000], [0.0000, 0.0000, 0.0000, 0.0000]], "
                + "scale: [[1.0000, 1.0000, 1.0000, 1.0000], [1.0000, 1.0000, 1.0000, 1.0000], [1.0000, 1.0000, 1.0000, 1.0000]])", n.toString());

        Normal e = n.expand(2, 3, 4);
        assertArrayEquals(new int[]{2, 3, 4}, e.batchShape());
        assertArrayEquals(new int[]{7, 2, 3, 4}, e.rsample(new Generator(1), 7).dims());

        Dirichlet d = new Dirichlet(Tensor.ones(DType.F64, 2, 3));
        assertArrayEquals(new int[]{2}, d.batchShape());
        assertArrayEquals(new int[]{3}, d.eventShape());
        Tensor x = d.sample(new Generator(2), 5);
        assertArrayEquals(new int[]{5, 2, 3}, x.dims());
        assertArrayEquals(new int[]{5, 2}, d.logProb(x).dims());
        assertArrayEquals(new int[]{2}, d.entropy().dims());
        assertArrayEquals(new int[]{2, 3}, d.mean().dims());
        assertArrayEquals(new int[]{4, 2}, d.expand(4, 2).batchShape());
        assertArrayEquals(new int[]{2}, d.logProb(f64(0.2, 0.3, 0.5)).dims());

        Categorical c = Categorical.fromProbs(Tensor.ones(DType.F64, 2, 3));
        assertArrayEquals(new int[]{2}, c.batchShape());
        assertArrayEquals(new int[0], c.eventShape());
        assertArrayEquals(new int[]{4, 2}, c.sample(new Generator(3), 4).dims());
        assertArrayEquals(new int[]{5, 2}, c.logProb(Tensor.zeros(DType.F64, 5, 1)).dims());
        assertArrayEquals(new int[]{6, 2}, c.expand(6, 2).batchShape());
        assertArrayEquals(new int[]{6, 2}, c.expand(6, 2).sample(new Generator(3)).dims());

        OneHotCategorical o = OneHotCategorical.fromLogits(Tensor.zeros(DType.F64, 2, 3));
        assertArrayEquals(new int[]{2}, o.batchShape());
        assertArrayEquals(new int[]{3}, o.eventShape());
        Tensor oh = o.sample(new Generator(4), 5);
        assertArrayEquals(new int[]{5, 2, 3}, oh.dims());
        assertArrayEquals(new int[]{5, 2}, o.logProb(oh).dims());
        assertEquals(-Math.log(3), o.logProb(oh).toDoubleArray()[0], 1e-15);

        StudentT t = new StudentT(f64(3, 4), Tensor.zeros(DType.F64, 5, 1), Tensor.ones(DType.F64));
        assertArrayEquals(new int[]{5, 2}, t.batchShape());
        Binomial b = Binomial.fromProbs(f64(10, 20), Tensor.full(DType.F64, 0.5, 3, 1));
        assertArrayEquals(new int[]{3, 2}, b.batchShape());
        assertArrayEquals(new int[]{3, 2}, b.entropy().dims());
        assertArrayEquals(new int[]{4, 3, 2}, b.sample(new Generator(1), 4).dims());
        assertArrayEquals(new int[]{0, 3}, new Poisson(f64(1, 2, 3)).sample(new Generator(1), 0).dims());
        assertArrayEquals(new int[]{3}, Bernoulli.fromProbs(0.3).expand(3).sample(new Generator(1)).dims());
    }

    @Test
    void bothParameterisationsOfTheDiscreteFamilies() {
        Bernoulli p = Bernoulli.fromProbs(0.3);
        assertEquals(Math.log(0.3 / 0.7), p.logits().item(), 1e-15);
        assertFalse(p.isLogitParameterized());
        Bernoulli l = Bernoulli.fromLogits(-0.5);
        assertEquals(1 / (1 + Math.exp(0.5)), l.probs().item(), 1e-15);
        assertTrue(l.isLogitParameterized());
        Categorical c = Categorical.fromProbs(1, 1, 2);
        assertArrayEquals(new double[]{0.25, 0.25, 0.5}, c.probs().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{Math.log(0.25), Math.log(0.25), Math.log(0.5)}, c.logits().toDoubleArray(), 1e-15);
        Categorical cl = Categorical.fromLogits(1, 2, 3);
        double z = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertArrayEquals(new double[]{1 - z, 2 - z, 3 - z}, cl.logits().toDoubleArray(), 1e-15);
        assertEquals(3, cl.numCategories());
        Binomial bl = Binomial.fromLogits(5, 0.0);
        assertEquals(0.5, bl.probs().item());
        assertEquals(Math.log(10 / 32.0), bl.logProb(Tensor.scalar(DType.F64, 2)).item(), 1e-14);
    }

    /** Extreme logits neither overflow nor lose the answer: log σ(l) and log softmax computed stably. */
    @Test
    void extremeLogitsStayFinite() {
        Bernoulli b = Bernoulli.fromLogits(f64(1000, -1000, 40));
        assertArrayEquals(new double[]{-1000, 0, -40 - Math.log1p(Math.exp(-40))}, b.logProb(f64(0, 0, 0)).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{0, -1000, -Math.log1p(Math.exp(-40))}, b.logProb(f64(1, 1, 1)).toDoubleArray(), 1e-12);
        double[] h = b.entropy().toDoubleArray();
        for (double v : h) assertTrue(v >= 0 && v < 1e-15, "entropy " + v);
        Categorical c = Categorical.fromLogits(0, 1000, -1000);
        assertArrayEquals(new double[]{-1000, 0, -2000}, c.logProb(f64(0, 1, 2)).toDoubleArray(), 1e-9);
        assertEquals(0, c.entropy().item(), 1e-300);
        Binomial bn = Binomial.fromLogits(10, 800);
        assertEquals(0, bn.logProb(Tensor.scalar(DType.F64, 10)).item(), 1e-12);
        // float32 logits: -bce-with-logits stays finite where log(sigmoid) would underflow
        Bernoulli f = Bernoulli.fromLogits(Tensor.of(new float[]{-200}));
        assertEquals(-200, f.logProb(Tensor.of(new float[]{1})).item(), 1e-3);
    }

    @Test
    void modesFollowPytorch() {
        assertArrayEquals(new double[]{0.25, 0, 1, Double.NaN, 0}, new Beta(f64(2, 0.5, 3, 0.5, 0.8), f64(4, 2, 1, 0.5, 1)).mode().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{0.5, 0}, new Gamma(f64(2, 0.5), f64(2, 1)).mode().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{0.25, 0.75, 0, 0, 1, 0}, new Dirichlet(Tensor.of(DType.F64, new double[]{2, 4, 0.5, 0.3, 0.9, 0.2}, 2, 3)).mode().toDoubleArray(), 1e-15);
        double[] bm = Bernoulli.fromProbs(f64(0.2, 0.7, 0.5)).mode().toDoubleArray();
        assertEquals(0, bm[0]);
        assertEquals(1, bm[1]);
        assertTrue(Double.isNaN(bm[2]));
        assertArrayEquals(new double[]{3, 10}, Binomial.fromProbs(f64(10, 10), f64(0.3, 0.99)).mode().toDoubleArray());
        assertArrayEquals(new double[]{2, 0}, new Poisson(f64(2.5, 0.3)).mode().toDoubleArray());
        assertEquals(1, Categorical.fromProbs(0.2, 0.5, 0.3).mode().item());
        assertArrayEquals(new double[]{0, 1, 0}, OneHotCategorical.fromProbs(0.2, 0.5, 0.3).mode().toDoubleArray());
        assertEquals(Math.exp(1 - 0.25), new LogNormal(1, 0.5).mode().item(), 1e-15);
        assertTrue(Double.isNaN(new Uniform(0, 1).mode().item()));
        assertTrue(Double.isNaN(new StudentT(1, 0, 1).mean().item()));
        assertEquals(Double.POSITIVE_INFINITY, new StudentT(1.5, 0, 1).variance().item());
        assertEquals(0, new Exponential(2).mode().item());
    }

    /**
     * HasMode is its own capability: every distribution with a closed-form mode implements it (mode of shape batch +
     * event), HasMoments no longer declares a mode, and the modes are the documented closed forms.
     */
    @Test
    void everyDistributionWithAClosedFormModeIsHasMode() {
        assertTrue(java.util.Arrays.stream(HasMoments.class.getMethods()).noneMatch(m -> m.getName().equals("mode")),
                "mode() belongs to HasMode, not HasMoments");
        Tensor loc = f64(0.5, -1.2), scale = f64(0.8, 2.0);
        MultivariateNormal mvn = MultivariateNormal.withCovariance(Tensor.of(DType.F64, new double[]{1, -2}, 2),
                Tensor.of(DType.F64, new double[]{2, 0.3, 0.3, 1}, 2, 2));
        LowRankMultivariateNormal lr = new LowRankMultivariateNormal(Tensor.of(DType.F64, new double[]{0.5, 1.5, -1}, 3),
                Tensor.of(DType.F64, new double[]{1, 0, 0.5}, 3, 1), Tensor.of(DType.F64, new double[]{1, 2, 0.5}, 3));
        List<Distribution> all = List.of(new Normal(loc, scale), new LogNormal(loc, scale), new Uniform(loc, loc.add(scale)),
                new Laplace(loc, scale), new Exponential(scale), new Gamma(f64(2, 3), scale), new Beta(f64(2, 3), f64(4, 2)),
                new StudentT(f64(3, 5), loc, scale), Bernoulli.fromProbs(f64(0.2, 0.7)), Binomial.fromProbs(f64(10, 4), f64(0.3, 0.6)),
                new Poisson(f64(2.5, 0.3)), new Dirichlet(Tensor.of(DType.F64, new double[]{2, 4, 3, 1.5, 2, 5}, 2, 3)),
                Categorical.fromProbs(Tensor.of(DType.F64, new double[]{0.2, 0.5, 0.3, 0.6, 0.1, 0.3}, 2, 3)),
                OneHotCategorical.fromProbs(Tensor.of(DType.F64, new double[]{0.2, 0.5, 0.3, 0.6, 0.1, 0.3}, 2, 3)), mvn, lr);
        for (Distribution d : all) {
            assertTrue(d instanceof HasMode, d + " has a closed-form mode");
            Tensor m = ((HasMode) d).mode();
            assertArrayEquals(d.extendedShape(), m.dims(), d + " mode shape");
        }
        assertArrayEquals(loc.toDoubleArray(), ((HasMode) all.get(0)).mode().toDoubleArray(), 0);
        assertArrayEquals(loc.toDoubleArray(), ((HasMode) all.get(3)).mode().toDoubleArray(), 0);
        assertArrayEquals(loc.toDoubleArray(), ((HasMode) all.get(7)).mode().toDoubleArray(), 0);
        assertArrayEquals(new double[]{1, -2}, mvn.mode().toDoubleArray(), 0);
        assertArrayEquals(new double[]{0.5, 1.5, -1}, lr.mode().toDoubleArray(), 0);
        // Categorical's mode (new to HasMode): the most probable index per batch element, I64
        Tensor cm = ((HasMode) all.get(12)).mode();
        assertEquals(DType.I64, cm.dtype());
        assertArrayEquals(new double[]{1, 0}, cm.toDoubleArray());
        // the continuous modes are differentiable in the parameters
        Generator dirs = new Generator(5);
        GradCheck.check(p -> new LogNormal(p.get(0), p.get(1)).mode(), List.of(loc, scale), 2, OPT, dirs);
        GradCheck.check(p -> new Gamma(p.get(0), p.get(1)).mode(), List.of(f64(2, 3), scale), 2, OPT, dirs);
        GradCheck.check(p -> new Beta(p.get(0), p.get(1)).mode(), List.of(f64(2, 3), f64(4, 2)), 2, OPT, dirs);
        GradCheck.check(p -> new Dirichlet(p.get(0)).mode(), List.of(Tensor.of(DType.F64, new double[]{2, 4, 3, 1.5, 2, 5}, 2, 3)), 2, OPT, dirs);
    }

    static final GradCheck.Options OPT = new GradCheck.Options(1e-6, 1e-7, 1e-5);

    /** logProb, entropy, cdf, icdf, mean and variance of each distribution in its parameters, to second order. */
    @Test
    void everythingIsDifferentiableInTheParameters() {
        Generator dirs = new Generator(11);
        List<Tensor> ps = List.of(f64(0.4, 1.3), f64(0.7, 2.2), f64(2.5, 0.6));
        Tensor x = f64(0.3, 1.7), u = f64(0.2, 0.85), prob = f64(0.35, 0.6);
        List<Function<List<Tensor>, Distribution>> ds = List.of(
                p -> new Normal(p.get(0), p.get(1)), p -> new LogNormal(p.get(0), p.get(1)),
                p -> new Uniform(p.get(0).sub(1), p.get(0).add(p.get(1))), p -> new Laplace(p.get(0), p.get(1)),
                p -> new Exponential(p.get(1)), p -> new Gamma(p.get(1), p.get(2)), p -> new Beta(p.get(1), p.get(2)),
                p -> new StudentT(p.get(2).add(2), p.get(0), p.get(1)), p -> Bernoulli.fromLogits(p.get(0)),
                p -> Bernoulli.fromProbs(p.get(0).mul(0.5)), p -> Binomial.fromLogits(f64(6, 9), p.get(0)),
                p -> new Poisson(p.get(1)), p -> new Dirichlet(Tensor.stack(List.of(p.get(0), p.get(1), p.get(2)), -1)),
                p -> Categorical.fromLogits(Tensor.stack(List.of(p.get(0), p.get(1), p.get(2)), -1)),
                p -> Categorical.fromProbs(Tensor.stack(List.of(p.get(0), p.get(1), p.get(2)), -1)),
                p -> OneHotCategorical.fromLogits(Tensor.stack(List.of(p.get(0), p.get(1), p.get(2)), -1)));
        for (Function<List<Tensor>, Distribution> make : ds) {
            Distribution d0 = make.apply(ps);
            Tensor value = switch (d0) {
                case Beta b -> prob;
                case Bernoulli b -> f64(1, 0);
                case Binomial b -> f64(2, 9);
                case Poisson b -> f64(0, 3);
                case Dirichlet b -> f64(0.2, 0.3, 0.5);
                case Categorical b -> f64(2, 0);
                case OneHotCategorical b -> f64(0, 0, 1);
                case Uniform b -> f64(-0.1, 2.0);
                default -> x;
            };
            GradCheck.check(p -> make.apply(p).logProb(value), ps, 2, OPT, dirs);
            if (d0 instanceof HasEntropy) GradCheck.check(p -> ((HasEntropy) make.apply(p)).entropy(), ps, 2, OPT, dirs);
            if (d0 instanceof HasMoments) {
                GradCheck.check(p -> ((HasMoments) make.apply(p)).mean(), ps, 2, OPT, dirs);
                GradCheck.check(p -> ((HasMoments) make.apply(p)).variance(), ps, 2, OPT, dirs);
            }
            if (d0 instanceof Binomial || d0 instanceof Poisson) {
                // discrete: the cdf is differentiable in the parameters, the quantile (an integer) is not
                GradCheck.check(p -> ((HasCdf) make.apply(p)).cdf(value), ps, 2, OPT, dirs);
            } else if (d0 instanceof HasCdf && !(d0 instanceof Gamma) && !(d0 instanceof Beta) && !(d0 instanceof StudentT)) {
                GradCheck.check(p -> ((HasCdf) make.apply(p)).cdf(value), ps, 2, OPT, dirs);
                GradCheck.check(p -> ((HasCdf) make.apply(p)).icdf(u), ps, 2, OPT, dirs);
            }
        }
        // Gamma's cdf and icdf are differentiable in the value (and rate), not in the concentration (as torch.igamma)
        Tensor a = f64(1.5, 0.4);
        GradCheck.check(p -> new Gamma(a, p.get(0)).cdf(p.get(1)), List.of(f64(0.8, 2), x), 1, OPT, dirs);
        GradCheck.check(p -> new Gamma(a, p.get(0)).icdf(p.get(1)), List.of(f64(0.8, 2), u), 1, OPT, dirs);
        // Beta's cdf and icdf likewise in the value only; StudentT's in the value, loc and scale, not in df; the cdfs to second
        // order, the icdfs (one Newton correction on a kernel's root) to first
        Tensor c1 = f64(0.7, 3), c0 = f64(2.5, 0.9);
        GradCheck.check(p -> new Beta(c1, c0).cdf(p.getFirst()), List.of(prob), 2, OPT, dirs);
        GradCheck.check(p -> new Beta(c1, c0).icdf(p.getFirst()), List.of(u), 1, OPT, dirs);
        Tensor df = f64(1.5, 12);
        GradCheck.check(p -> new StudentT(df, p.get(0), p.get(1)).cdf(p.get(2)), List.of(f64(0.3, -1), f64(0.8, 2), x), 2, OPT, dirs);
        GradCheck.check(p -> new StudentT(df, p.get(0), p.get(1)).icdf(p.get(2)), List.of(f64(0.3, -1), f64(0.8, 2), u), 1, OPT, dirs);
        // at y = 0 exactly the cdf is 1/2 with slope p(0) (the incomplete-beta form would give 0·inf there)
        StudentT st = new StudentT(f64(3, 30), f64(1, 1), f64(2, 2));
        Tensor atLoc = f64(1, 1).requiresGrad(true);
        Tensor c = st.cdf(atLoc);
        assertArrayEquals(new double[]{0.5, 0.5}, c.toDoubleArray(), 0);
        c.sum().backward();
        assertArrayEquals(st.logProb(f64(1, 1)).exp().toDoubleArray(), atLoc.grad().toDoubleArray(), 1e-15);
        // with ν = 1 (Cauchy) both have closed forms: F(y) = 1/2 + atan(y)/π, F⁻¹(q) = tan(π(q - 1/2)) = -cot(πq); SciPy's t.ppf itself is
        // off by up to 1e-11 relative there (its cdf of its ppf misses q by 1e-12), so this is the sharper check
        StudentT cauchy = new StudentT(1, 0, 1);
        for (double q : new double[]{0.001, 0.1, 0.3, 0.5, 0.77, 0.999}) {
            double t = q == 0.5 ? 0 : q < 0.5 ? -1 / Math.tan(Math.PI * q) : 1 / Math.tan(Math.PI * (1 - q));   // -cot(πq): no cancellation
            assertEquals(t, cauchy.icdf(Tensor.scalar(DType.F64, q)).item(), 1e-14 * Math.max(1, Math.abs(t)), "Cauchy quantile at " + q);
            assertEquals(q, cauchy.cdf(Tensor.scalar(DType.F64, t)).item(), 1e-15, "Cauchy cdf at " + t);
        }
        // both invert their cdf
        Beta be = new Beta(f64(0.4, 30), f64(6, 0.7));
        assertArrayEquals(u.toDoubleArray(), be.cdf(be.icdf(u)).toDoubleArray(), 1e-13);
        assertArrayEquals(u.toDoubleArray(), st.cdf(st.icdf(u)).toDoubleArray(), 1e-13);
        assertArrayEquals(new double[]{0, 1}, be.icdf(f64(0, 1)).toDoubleArray());
        assertArrayEquals(new double[]{Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, st.icdf(f64(0, 1)).toDoubleArray());
        // Gamma icdf inverts the cdf
        Gamma g = new Gamma(f64(0.3, 5), f64(2, 0.5));
        assertArrayEquals(u.toDoubleArray(), g.cdf(g.icdf(u)).toDoubleArray(), 1e-13);
        assertArrayEquals(new double[]{0, Double.POSITIVE_INFINITY}, g.icdf(f64(0, 1)).toDoubleArray());
    }

    /** logProb at the support's edges follows the limits (0·log 0 = 0), as SciPy. */
    @Test
    void supportEdges() {
        assertEquals(Math.log(2), new Gamma(1, 2).logProb(Tensor.scalar(DType.F64, 0)).item(), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, new Gamma(0.5, 2).logProb(Tensor.scalar(DType.F64, 0)).item());
        assertEquals(Double.NEGATIVE_INFINITY, new Gamma(2, 2).logProb(Tensor.scalar(DType.F64, 0)).item());
        assertEquals(Math.log(3), new Beta(1, 3).logProb(Tensor.scalar(DType.F64, 0)).item(), 1e-14);
        assertEquals(Double.NEGATIVE_INFINITY, new Beta(1, 3).logProb(Tensor.scalar(DType.F64, 1)).item());
        assertEquals(0, new Poisson(0).logProb(Tensor.scalar(DType.F64, 0)).item(), 0);
        assertEquals(Double.NEGATIVE_INFINITY, new Poisson(0).logProb(Tensor.scalar(DType.F64, 1)).item());
        assertEquals(0, new Uniform(2, 3).logProb(Tensor.scalar(DType.F64, 3)).item(), 0);
        assertEquals(0, new Dirichlet(1, 1).logProb(f64(0, 1)).item(), 1e-15);
        assertEquals(Double.NEGATIVE_INFINITY, new Dirichlet(2, 1).logProb(f64(0, 1)).item());
        // gradients stay finite at x = 0 (masked logs)
        Tensor a = Tensor.scalar(DType.F64, 1).requiresGrad(true);
        new Gamma(a, Tensor.scalar(DType.F64, 2)).logProb(Tensor.scalar(DType.F64, 0)).backward();
        assertTrue(Double.isFinite(a.grad().item()));
        assertTrue(new Normal(0, 1).cdf(f64(-40)).item() >= 0);
        assertEquals(0, new Exponential(3).cdf(Tensor.scalar(DType.F64, 0)).item(), 0);
    }
}
