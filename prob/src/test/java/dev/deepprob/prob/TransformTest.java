package dev.deepprob.prob;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.prob.transforms.AffineTransform;
import dev.deepprob.prob.transforms.ComposeTransform;
import dev.deepprob.prob.transforms.ExpTransform;
import dev.deepprob.prob.transforms.IdentityTransform;
import dev.deepprob.prob.transforms.IndependentTransform;
import dev.deepprob.prob.transforms.LowerCholeskyTransform;
import dev.deepprob.prob.transforms.PositiveDefiniteTransform;
import dev.deepprob.prob.transforms.SigmoidTransform;
import dev.deepprob.prob.transforms.SoftplusTransform;
import dev.deepprob.prob.transforms.StickBreakingTransform;
import dev.deepprob.prob.transforms.TanhTransform;
import dev.deepprob.prob.transforms.Transform;
import dev.deepprob.prob.transforms.Transforms;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each transform: round trip, log-Jacobian against autograd's Jacobian, gradients, extremes, and transform_to. */
class TransformTest {

    /** A transform with an input on which to test it (one event, no batch dims). */
    record Case(String name, Transform t, Tensor x) {}

    static Tensor vec(double... v) { return Tensor.of(DType.F64, v); }

    static List<Case> cases() {
        Tensor x5 = vec(-2.5, -0.7, 0.1, 0.9, 3.0);
        Tensor m3 = Tensor.of(DType.F64, new double[]{0.3, 9, 9, -1.2, -0.4, 9, 0.8, 2.1, 0.6}, 3, 3);
        List<Case> c = new ArrayList<>();
        c.add(new Case("exp", new ExpTransform(), x5));
        c.add(new Case("sigmoid", new SigmoidTransform(), x5));
        c.add(new Case("tanh", new TanhTransform(), x5));
        c.add(new Case("softplus", new SoftplusTransform(), x5));
        c.add(new Case("identity", new IdentityTransform(), x5));
        c.add(new Case("affine", new AffineTransform(vec(1, 2, 3, 4, 5), vec(0.5, -2, 3, 1, -0.1)), x5));
        c.add(new Case("affine scalars", new AffineTransform(-1.5, 2.5), x5));
        c.add(new Case("affine eventDim 1", new AffineTransform(vec(1, 2, 3, 4, 5), vec(0.5, -2, 3, 1, -0.1), 1), x5));
        c.add(new Case("compose(affine, exp)", new ComposeTransform(new AffineTransform(0.5, -2.0), new ExpTransform()), x5));
        c.add(new Case("compose(sigmoid, affine)", new ComposeTransform(new SigmoidTransform(), new AffineTransform(-2.0, 5.0)), x5));
        c.add(new Case("inverse of exp (log)", new ExpTransform().inv(), vec(0.3, 1.0, 2.5, 7.0, 0.05)));
        c.add(new Case("stick-breaking", new StickBreakingTransform(), vec(-1.0, 0.4, 2.0, -0.3)));
        c.add(new Case("compose(exp, stick-breaking)", new ComposeTransform(new ExpTransform(), new StickBreakingTransform()),
                vec(-1.0, 0.4, 0.2, -0.3)));
        c.add(new Case("independent(softplus, 1)", new IndependentTransform(new SoftplusTransform(), 1), x5));
        c.add(new Case("lower Cholesky (exp)", new LowerCholeskyTransform(), m3));
        c.add(new Case("lower Cholesky (softplus)", new LowerCholeskyTransform(Transforms.PositiveMap.SOFTPLUS), m3));
        c.add(new Case("positive definite", new PositiveDefiniteTransform(), m3));
        c.add(new Case("positive definite (softplus)", new PositiveDefiniteTransform(Transforms.PositiveMap.SOFTPLUS), m3));
        return c;
    }

    /** Entries of x that are free coordinates: all for vectors, the lower triangle for matrix transforms. */
    static long[] freeInputs(Transform t, Tensor x) {
        List<Long> idx = new ArrayList<>();
        if (t.domainEventDim() == 2) {
            int n = x.shape(-1);
            for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) idx.add((long) i * n + j);
        } else {
            for (int i = 0; i < x.numel(); i++) idx.add((long) i);
        }
        return idx.stream().mapToLong(Long::longValue).toArray();
    }

    /** Outputs determined by the free inputs: the first K-1 of stick-breaking, the lower triangle of matrices. */
    static long[] freeOutputs(Transform t, Tensor x, Tensor y) {
        if (t.codomainEventDim() == 2) return freeInputs(t, y);
        long[] in = freeInputs(t, x);
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) out[i] = i;     // stick-breaking: y_1 .. y_{K-1}
        return out;
    }

    /** log |det| of the square Jacobian of the free outputs in the free inputs, by autograd. */
    static double autogradLogDet(Transform t, Tensor x) {
        Tensor y = t.forward(x);
        Tensor j = Autograd.jacobian(t::forward, x).reshape(y.numel(), x.numel());
        NDArray rows = NDArray.of(freeOutputs(t, x, y), freeOutputs(t, x, y).length);
        NDArray cols = NDArray.of(freeInputs(t, x), freeInputs(t, x).length);
        Tensor sq = j.indexSelect(0, rows).indexSelect(1, cols);
        return sq.logAbsDet().item();
    }

    @Test
    void roundTripAndLogJacobianMatchAutograd() {
        double worstRound = 0, worstJac = 0;
        for (Case c : cases()) {
            Tensor y = c.t().forward(c.x());
            Tensor back = c.t().inverse(y);
            // entries a matrix transform ignores (above the diagonal) do not come back
            Tensor expected = c.t().domainEventDim() == 2 ? c.x().tril(0) : c.x();
            worstRound = Math.max(worstRound, assertClose(expected, back, 1e-10, c.name() + ": inverse(forward(x))"));
            Tensor ladj = c.t().logAbsDetJacobian(c.x(), y);
            double total = ladj.sum().item();
            double auto = c.t().domainEventDim() == 0 && c.t().codomainEventDim() == 0 ? elementwiseLogDet(c.t(), c.x(), ladj)
                    : autogradLogDet(c.t(), c.x());
            assertEquals(auto, total, 1e-10, c.name() + ": logAbsDetJacobian vs autograd");
            worstJac = Math.max(worstJac, Math.abs(auto - total));
            // shapes: the event dims are reduced
            int[] s = c.x().dims();
            assertEquals(s.length - c.t().domainEventDim(), ladj.dim(), c.name() + ": log-Jacobian rank");
            assertArrayEquals(y.dims(), c.t().forwardShape(c.x().dims()), c.name() + ": forwardShape");
            assertArrayEquals(c.x().dims(), c.t().inverseShape(y.dims()), c.name() + ": inverseShape");
            // forward lands in the codomain, the input is in the domain
            for (boolean ok : c.t().codomain().contains(y.data()).toBooleanArray()) assertTrue(ok, c.name() + ": codomain " + y);
        }
        report("transforms: inverse(forward(x)) - x", worstRound);
        report("transforms: logAbsDetJacobian vs autograd log|det J|", worstJac);
    }

    /** For elementwise maps: the Jacobian must be diagonal, and log|diag| is compared elementwise. */
    static double elementwiseLogDet(Transform t, Tensor x, Tensor ladj) {
        Tensor j = Autograd.jacobian(t::forward, x);
        Tensor diag = j.diagonal();
        assertClose(diag.diagEmbed(), j, 1e-14, t + ": elementwise Jacobian is diagonal");
        Tensor logDiag = diag.abs().log();
        assertClose(logDiag, ladj.expand(logDiag.dims()), 1e-10, t + ": elementwise log|dy/dx|");
        return logDiag.sum().item();
    }

    @Test
    void composeCountsEventDimsAcrossItsParts() {
        // an elementwise map after a vector map acts on vectors: its log-Jacobian is summed over the vector
        Transform sb = new StickBreakingTransform();
        ComposeTransform c = new ComposeTransform(sb, new AffineTransform(1.0, 3.0));
        assertEquals(1, c.domainEventDim());
        assertEquals(1, c.codomainEventDim());
        Tensor x = Tensor.of(DType.F64, new double[]{-1.0, 0.4, 2.0, 0.1, 0.2, 0.3}, 2, 3);
        Tensor l = c.logAbsDetJacobian(x, c.forward(x));
        assertArrayEquals(new int[]{2}, l.dims());
        assertClose(sb.logAbsDetJacobian(x, sb.forward(x)).add(4 * Math.log(3)), l, 1e-12, "compose(stick-breaking, affine)");
        // and an elementwise map before one: summed over the input vector
        ComposeTransform c2 = new ComposeTransform(new ExpTransform(), sb);
        assertEquals(1, c2.domainEventDim());
        Tensor l2 = c2.logAbsDetJacobian(x, c2.forward(x));
        assertClose(x.sum(new int[]{-1}, false).add(sb.logAbsDetJacobian(x.exp(), c2.forward(x))), l2, 1e-12, "compose(exp, stick-breaking)");
        // inv() of a composition reverses it
        Transform ci = c.inv();
        assertClose(x, ci.forward(c.forward(x)), 1e-12, "compose inverse");
        assertClose(l.neg(), ci.logAbsDetJacobian(c.forward(x), x), 1e-12, "inverse log-Jacobian");
    }

    @Test
    void batchedInputsAgreeWithEventByEvent() {
        for (Case c : cases()) {
            Tensor xb = Tensor.stack(List.of(c.x(), c.x().mul(0.5), c.x().mul(1.3)), 0);
            Tensor yb = c.t().forward(xb);
            Tensor lb = c.t().logAbsDetJacobian(xb, yb);
            for (int i = 0; i < 3; i++) {
                Tensor xi = xb.select(0, i);
                assertClose(c.t().forward(xi), yb.select(0, i), 1e-12, c.name() + ": batched forward");
                assertClose(c.t().logAbsDetJacobian(xi, c.t().forward(xi)), lb.select(0, i), 1e-12, c.name() + ": batched log-Jacobian");
            }
        }
    }

    @Test
    void everyTransformPassesGradCheck() {
        for (Case c : cases()) {
            Transform t = c.t();
            Tensor x = c.x();
            GradCheck.check(in -> t.forward(in.get(0)), List.of(x), 2, GRAD, new Generator(1));
            GradCheck.check(in -> t.logAbsDetJacobian(in.get(0), t.forward(in.get(0))), List.of(x), 2, GRAD, new Generator(2));
            Tensor y = t.forward(x);
            boolean pd = t instanceof PositiveDefiniteTransform;
            GradCheck.check(in -> t.inverse(pd ? sym(in.get(0)) : in.get(0)), List.of(y), 1, GRAD, new Generator(3));
        }
        // parameters of an affine map get gradients too
        GradCheck.check(in -> new AffineTransform(in.get(0), in.get(1)).forward(vec(0.3, -1, 2)), List.of(vec(1, 2, 3), vec(0.5, -2, 1)),
                2, GRAD, new Generator(4));
        GradCheck.check(in -> {
            AffineTransform a = new AffineTransform(in.get(0), in.get(1), 1);
            return a.logAbsDetJacobian(vec(0.3, -1, 2), a.forward(vec(0.3, -1, 2)));
        }, List.of(vec(1, 2, 3), vec(0.5, -2, 1)), 2, GRAD, new Generator(5));
    }

    @Test
    void extremeInputsStayFinite() {
        for (DType t : List.of(DType.F32, DType.F64)) {
            Tensor x = vec(-50, -20, -1e-3, 0, 20, 50).to(t);
            for (Transform tr : List.of(new SigmoidTransform(), new TanhTransform(), new SoftplusTransform())) {
                Tensor y = tr.forward(x);
                Tensor back = tr.inverse(y);
                Tensor l = tr.logAbsDetJacobian(x, y);
                assertFinite(tr + " " + t + " forward", y);
                assertFinite(tr + " " + t + " inverse", back);
                assertFinite(tr + " " + t + " log-Jacobian", l);
                for (boolean ok : tr.codomain().contains(y.data()).toBooleanArray()) assertTrue(ok, tr + " " + t + ": output leaves the codomain");
                // gradients through all three stay finite
                Tensor xr = Tensor.of(x.data()).requiresGrad(true);
                Tensor yr = tr.forward(xr);
                Tensor g = Autograd.grad(tr.logAbsDetJacobian(xr, yr).sum().add(tr.inverse(yr).sum()), List.of(xr), false).getFirst();
                assertFinite(tr + " " + t + " gradient", g);
            }
            // the stable log-Jacobians at ±50: sigmoid's is -50 - 2 log(1 + e^-50) ≈ -50, tanh's 2(log 2 - 50 - ...)
            Tensor l = new SigmoidTransform().logAbsDetJacobian(vec(50, -50).to(t), null);
            assertClose(vec(-50, -50), l, 1e-5, "sigmoid log-Jacobian at ±50");
            Tensor lt = new TanhTransform().logAbsDetJacobian(vec(50, -50).to(t), null);
            assertClose(vec(2 * (Math.log(2) - 50), 2 * (Math.log(2) - 50)), lt, 1e-4, "tanh log-Jacobian at ±50");
            Tensor xs = vec(50, -50, 50, -50).to(t);
            Transform sb = new StickBreakingTransform();
            Tensor y = sb.forward(xs);
            assertFinite("stick-breaking at ±50", y);
            assertFinite("stick-breaking log-Jacobian at ±50", sb.logAbsDetJacobian(xs, y));
            assertFinite("stick-breaking inverse at ±50", sb.inverse(y));
            assertTrue(Constraints.simplex().contains(y.data()).toBooleanArray()[0]);
        }
    }

    static void assertFinite(String what, Tensor t) {
        for (double v : t.toDoubleArray()) assertTrue(Double.isFinite(v), what + ": " + t);
    }

    @Test
    void transformToMapsRealsIntoEachConstraint() {
        Generator g = new Generator(17);
        List<Constraint> elementwise = List.of(Constraints.real(), Constraints.positive(), Constraints.nonNegative(), Constraints.unitInterval(),
                Constraints.interval(-2.0, 3.0), Constraints.halfOpenInterval(0.5, 1.5), Constraints.greaterThan(1.0),
                Constraints.greaterThanEq(-3.25), Constraints.lessThan(2.0), Constraints.realVector(),
                Constraints.independent(Constraints.positive(), 1), Constraints.independent(Constraints.interval(-1.0, 1.0), 2),
                Constraints.independent(Constraints.independent(Constraints.greaterThan(2.0), 1), 1));
        for (Transforms.PositiveMap pm : Transforms.PositiveMap.values()) {
            for (Constraint c : elementwise) {
                Transform t = Transforms.transformTo(c, pm);
                assertEquals(Constraints.eventDim(c), t.codomainEventDim(), c.describe());
                Tensor raw = Tensor.randn(g, DType.F64, 4, 3, 5).mul(4);
                checkInside(c, t, raw, pm + " " + c.describe());
            }
            // simplex: rows sum to 1
            Transform sb = Transforms.biject(Constraints.simplex(), pm);
            Tensor p = sb.forward(Tensor.randn(g, DType.F64, 6, 4).mul(3));
            assertArrayEquals(new int[]{6, 5}, p.dims());
            assertClose(Tensor.ones(DType.F64, 6), p.sum(new int[]{-1}, false), 1e-14, "simplex rows sum to 1");
            checkInside(Constraints.simplex(), sb, Tensor.randn(g, DType.F64, 6, 4).mul(3), "simplex");
            // lower Cholesky: lower triangular with a positive diagonal; positive definite
            Transform lc = Transforms.transformTo(Constraints.lowerCholesky(), pm);
            Tensor l = lc.forward(Tensor.randn(g, DType.F64, 5, 3, 3).mul(3));
            assertClose(Tensor.zeros(DType.F64, 5, 3, 3), l.triu(1), 0, "above the diagonal");
            for (double v : l.diagonal().toDoubleArray()) assertTrue(v > 0);
            checkInside(Constraints.lowerCholesky(), lc, Tensor.randn(g, DType.F64, 5, 3, 3).mul(3), "lowerCholesky");
            checkInside(Constraints.positiveDefinite(), Transforms.biject(Constraints.positiveDefinite(), pm),
                    Tensor.randn(g, DType.F64, 5, 3, 3), "positiveDefinite");
        }
        assertInstanceOf(ExpTransform.class, Transforms.biject(Constraints.positive()));
        assertInstanceOf(SoftplusTransform.class, Transforms.biject(Constraints.positive(), Transforms.PositiveMap.SOFTPLUS));
        assertInstanceOf(SigmoidTransform.class, Transforms.transformTo(Constraints.unitInterval()));
        assertInstanceOf(StickBreakingTransform.class, Transforms.transformTo(Constraints.simplex()));
        // float32 parameters work with the number-bounded maps (scalar bounds take the input's dtype)
        Tensor y32 = Transforms.biject(Constraints.interval(-2.0, 3.0)).forward(Tensor.randn(g, DType.F32, 7));
        assertEquals(DType.F32, y32.dtype());
    }

    /**
     * biject reads the bounds from the constraint records, so array bounds work: an affine map with array loc and
     * scale after σ or exp. Each map lands in its set, inverts, and its log-Jacobian is log |dy/dx| (elementwise,
     * so the gradient of Σ y).
     */
    @Test
    void bijectUsesArrayBounds() {
        Generator g = new Generator(23);
        NDArray lo = vec(0, -1, 10).data(), hi = vec(1, 1, 20).data();
        List<Constraint> cs = List.of(Constraints.interval(lo, hi), Constraints.halfOpenInterval(lo, hi), Constraints.greaterThan(lo),
                Constraints.greaterThanEq(hi), Constraints.lessThan(hi), Constraints.interval(NDArray.scalar(DType.F64, -1), hi));
        for (Transforms.PositiveMap pm : Transforms.PositiveMap.values()) {
            for (Constraint c : cs) {
                String what = pm + " " + c;
                Transform t = Transforms.biject(c, pm);
                assertInstanceOf(ComposeTransform.class, t, what);
                AffineTransform aff = (AffineTransform) ((ComposeTransform) t).parts().getLast();
                assertArrayEquals(new int[]{3}, aff.loc().dim() == 1 ? aff.loc().dims() : aff.scale().dims(), what + ": array parameters");
                Tensor raw = Tensor.randn(g, DType.F64, 5, 3).mul(3);
                checkInside(c, t, raw, what);
                assertClose(raw, t.inverse(t.forward(raw)), 1e-9, what + ": inverse(forward(x))");
                Tensor x = raw.detach().requiresGrad(true);
                Tensor y = t.forward(x);
                Tensor dydx = Autograd.grad(y.sum(), List.of(x), false).getFirst();
                assertClose(dydx.abs().log(), t.logAbsDetJacobian(x, y), 1e-9, what + ": log-Jacobian");
                GradCheck.check(in -> t.forward(in.getFirst()), List.of(raw), 2, GRAD, new Generator(3));
            }
        }
        // the values: σ(0) = ½ lands mid-interval, exp(0) = 1 one unit inside the bound
        assertClose(vec(0.5, 0, 15), Transforms.biject(Constraints.interval(lo, hi)).forward(Tensor.zeros(DType.F64, 3)), 1e-15, "mid");
        assertClose(vec(1, 0, 11), Transforms.biject(Constraints.greaterThan(lo)).forward(Tensor.zeros(DType.F64, 3)), 1e-15, "lo + 1");
        assertClose(vec(0, 0, 19), Transforms.biject(Constraints.lessThan(hi)).forward(Tensor.zeros(DType.F64, 3)), 1e-15, "hi - 1");
        // independent of an array-bounded interval: one event per row, log-Jacobian summed over it
        Transform ti = Transforms.biject(Constraints.independent(Constraints.interval(lo, hi), 1));
        assertInstanceOf(IndependentTransform.class, ti);
        Tensor raw = Tensor.randn(g, DType.F64, 4, 3);
        Tensor yi = ti.forward(raw);
        assertArrayEquals(new int[]{4}, ti.logAbsDetJacobian(raw, yi).dims());
        checkInside(Constraints.independent(Constraints.interval(lo, hi), 1), ti, raw, "independent(interval(arrays))");
        // a Uniform's support: a batch of intervals from the distribution's own parameters, in its dtype
        Uniform u = new Uniform(vec(0, 2), vec(1, 5));
        Transform tu = Transforms.biject(u.support());
        Tensor yu = tu.forward(Tensor.randn(g, DType.F64, 6, 2));
        assertFinite("Uniform logProb on the bijected values", u.logProb(yu));
        Uniform u32 = new Uniform(Tensor.of(new float[]{0, 2}), Tensor.of(new float[]{1, 5}));
        Tensor y32 = Transforms.biject(u32.support()).forward(Tensor.randn(g, DType.F32, 6, 2));
        assertEquals(DType.F32, y32.dtype());
        assertFinite("Uniform F32 logProb on the bijected values", u32.logProb(y32));
        // number bounds keep their shortcuts: exp for > 0, σ for [0, 1]
        assertInstanceOf(ExpTransform.class, Transforms.biject(Constraints.greaterThan(0.0)));
        assertInstanceOf(ExpTransform.class, Transforms.biject(Constraints.nonNegative()));
        assertInstanceOf(SigmoidTransform.class, Transforms.biject(Constraints.interval(0.0, 1.0)));
        assertInstanceOf(IdentityTransform.class, Transforms.biject(Constraints.independent(Constraints.real(), 0)));
    }

    /** forward(raw) lies in c; inverse(forward(raw)) gives back a value mapping to the same point. */
    static void checkInside(Constraint c, Transform t, Tensor raw, String what) {
        Tensor y = t.forward(raw);
        for (boolean ok : c.contains(y.data()).toBooleanArray()) assertTrue(ok, what + ": " + y);
        Tensor again = t.forward(t.inverse(y));
        assertClose(y, again, 1e-9 * Math.max(1, y.abs().max().item()), what + ": forward(inverse(y))");
    }

    @Test
    void badInputIsRejected() {
        assertThrowsWith("AffineTransform: scale must be nonzero (and not NaN), got 0.0 at [1]",
                () -> new AffineTransform(vec(0, 0), vec(1, 0)));
        assertThrowsWith("AffineTransform: loc and scale must not be null", () -> new AffineTransform(null, vec(1)));
        assertThrowsWith("AffineTransform: eventDim must be >= 0, got -1", () -> new AffineTransform(vec(0), vec(1), -1));
        assertThrowsWith("AffineTransform: loc and scale must have the same dtype, got F64 and F32",
                () -> new AffineTransform(vec(0), vec(1).to(DType.F32)));
        assertThrowsWith("AffineTransform: loc and scale", () -> new AffineTransform(vec(0, 1, 2), vec(1, 2)));
        assertThrowsWith("AffineTransform.forward: x must have at least 1 dims (the event dims), got shape []",
                () -> new AffineTransform(vec(0), vec(1), 1).forward(Tensor.scalar(DType.F64, 1)));
        assertThrowsWith("ComposeTransform: expected at least one transform", ComposeTransform::new);
        assertThrowsWith("ComposeTransform: transform 1 is null", () -> new ComposeTransform(new ExpTransform(), null));
        assertThrowsWith("IndependentTransform: reinterpretedDims must be >= 0, got -2", () -> new IndependentTransform(new ExpTransform(), -2));
        assertThrowsWith("StickBreakingTransform.forward: x must have shape (..., n) with n >= 1, got shape []",
                () -> new StickBreakingTransform().forward(Tensor.scalar(DType.F64, 1)));
        assertThrowsWith("StickBreakingTransform.inverse: y must have shape (..., n) with n >= 2, got shape [1]",
                () -> new StickBreakingTransform().inverse(vec(1)));
        assertThrowsWith("LowerCholeskyTransform.forward: x must have shape (..., n, n), got shape [2, 3]",
                () -> new LowerCholeskyTransform().forward(Tensor.zeros(DType.F64, 2, 3)));
        assertThrowsWith("ExpTransform.forward: expected an F32 or F64 tensor, got I64",
                () -> new ExpTransform().forward(Tensor.of(NDArray.of(new long[]{1, 2}, 2))));
        assertThrowsWith("SigmoidTransform.inverse: input must not be null", () -> new SigmoidTransform().inverse(null));
        assertThrowsWith("Transforms.biject: constraint must not be null", () -> Transforms.biject(null));
        assertThrowsWith("Transforms.transformTo: no transform onto the constraint 'an integer in [0, 3]'",
                () -> Transforms.transformTo(Constraints.integerInterval(0, 3)));
        assertThrowsWith("Transforms.biject: no transform onto the constraint 'an integer in [lo, hi]'",
                () -> Transforms.biject(Constraints.integerInterval(NDArray.zeros(DType.F64, 2), NDArray.ones(DType.F64, 2))));
        assertThrowsWith("Transforms.biject: no transform onto the constraint 'one-hot (zeros and a single one)'",
                () -> Transforms.biject(Constraints.oneHot()));
        assertThrowsWith("Transforms.biject: interval 'in [lo, hi]' needs lower < upper, got lower 2.0 and upper 2.0 at [1]",
                () -> Transforms.biject(Constraints.interval(vec(0, 2).data(), vec(1, 2).data())));
        assertThrowsWith("Transforms.biject: interval 'in [3, 1]' needs lower < upper, got lower 3.0 and upper 1.0",
                () -> Transforms.biject(Constraints.interval(3.0, 1.0)));
        assertThrowsWith("Transforms.transformTo: the bound of '> lo' must be finite, got -Infinity at [0]",
                () -> Transforms.transformTo(Constraints.greaterThan(vec(Double.NEGATIVE_INFINITY, 0).data())));
        assertThrowsWith("Transforms.biject: the upper bound of 'in [0, Infinity]' must be finite, got Infinity",
                () -> Transforms.biject(Constraints.interval(0, Double.POSITIVE_INFINITY)));
    }
}
