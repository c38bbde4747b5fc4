package dev.deepprob.prob;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.transforms.ComposeTransform;
import dev.deepprob.prob.transforms.Transform;

import java.util.Arrays;
import java.util.List;

/**
 * The distribution of y = f_n(... f_1(x)) for x drawn from a base distribution (torch.distributions.
 * TransformedDistribution): samples are pushed through the transforms, and by the change of variables
 * log p(y) = log p_base(x₀) - Σᵢ log|det ∂f_i/∂x_{i-1}|, each Jacobian term summed over the event dims it does
 * not reduce itself. Transforms acting on more dims than the base's event (a vector map over a scalar base)
 * make those base batch dims event dims ({@link Independent}). Build with {@link #of}; the result implements
 * {@link Reparameterizable} exactly when the base does, and {@link #as} answers {@link HasCdf} when the base has a cdf
 * and every transform is monotone and elementwise (torch's TransformedDistribution.cdf and icdf).
 */
public sealed class TransformedDistribution extends Distribution permits TransformedDistribution.Reparameterized {
    private final Distribution base;
    private final List<Transform> transforms;
    private final Transform composed;

    private TransformedDistribution(Setup s) {
        super(s.batch, s.event, s.base.validates());
        this.base = s.base;
        this.transforms = s.transforms;
        this.composed = s.composed;
    }

    private record Setup(Distribution base, List<Transform> transforms, Transform composed, int[] batch, int[] event) {
        static Setup of(Distribution base, List<Transform> ts) {
            String n = "TransformedDistribution";
            if (base == null) throw new IllegalArgumentException(n + ": base distribution must not be null");
            if (ts == null || ts.isEmpty()) throw new IllegalArgumentException(n + ": expected at least one transform");
            for (int i = 0; i < ts.size(); i++) {
                if (ts.get(i) == null) throw new IllegalArgumentException(n + ": transform " + i + " is null");
            }
            List<Transform> list = List.copyOf(ts);
            Transform c = list.size() == 1 ? list.getFirst() : new ComposeTransform(list);
            int[] baseShape = base.extendedShape();
            int baseEvent = base.eventShape().length;
            if (baseShape.length < c.domainEventDim()) throw new IllegalArgumentException(n + ": the transforms act on events of "
                    + c.domainEventDim() + " dims, but the base " + base + " has shape " + Shapes.str(baseShape));
            int[] forward = c.forwardShape(baseShape);
            int[] expanded = c.inverseShape(forward);
            Distribution b = base;
            if (!Arrays.equals(expanded, baseShape)) b = b.expand(Arrays.copyOf(expanded, expanded.length - baseEvent));
            int reinterpreted = c.domainEventDim() - baseEvent;
            if (reinterpreted > 0) b = Independent.of(b, reinterpreted);
            int eventDim = c.codomainEventDim() + Math.max(baseEvent - c.domainEventDim(), 0);
            int cut = forward.length - eventDim;
            return new Setup(b, list, c, Arrays.copyOf(forward, cut), Arrays.copyOfRange(forward, cut, forward.length));
        }
    }

    /** The distribution of the transforms, applied first to last, of draws from base. */
    public static TransformedDistribution of(Distribution base, Transform... transforms) {
        if (transforms == null) throw new IllegalArgumentException("TransformedDistribution: transforms must not be null");
        return of(base, Arrays.asList(transforms));
    }

    /** As {@link #of(Distribution, Transform...)} with a list. */
    public static TransformedDistribution of(Distribution base, List<Transform> transforms) {
        Setup s = Setup.of(base, transforms);
        return s.base instanceof Reparameterizable ? new Reparameterized(s) : new TransformedDistribution(s);
    }

    /** As {@link #of}, typed as reparameterisable for a base known to be. */
    public static <D extends Distribution & Reparameterizable> Reparameterized reparameterized(D base, Transform... transforms) {
        return (Reparameterized) of(base, transforms);
    }

    /** The base distribution (wrapped in {@link Independent} when the transforms needed more event dims). */
    public Distribution base() { return base; }

    /** The transforms, first applied first. */
    public List<Transform> transforms() { return transforms; }

    /** Draws from the base pushed through the transforms; no gradient flows. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Tensor x = base.sample(gen, sampleShape);
            for (Transform t : transforms) x = t.forward(x);
            return x.detach();
        }
    }

    Tensor rsampleImpl(Generator gen, int... sampleShape) {
        Tensor x = ((Reparameterizable) base).rsample(gen, sampleShape);
        for (Transform t : transforms) x = t.forward(x);
        return x;
    }

    /**
     * log p_base(f⁻¹(y)) - Σᵢ log|det J_i|, walking the transforms backwards from y.
     * @param value (sample..., batch..., event...)
     */
    @Override
    public Tensor logProb(Tensor value) {
        if (value == null) throw new IllegalArgumentException(name() + ".logProb: value must not be null");
        checkValue(value);
        int eventDim = eventShape().length;
        Tensor y = value;
        Tensor lp = null;
        for (int i = transforms.size() - 1; i >= 0; i--) {
            Transform t = transforms.get(i);
            Tensor x = t.inverse(y);
            eventDim += t.domainEventDim() - t.codomainEventDim();
            Tensor term = Batching.sumRightmost(t.logAbsDetJacobian(x, y), eventDim - t.domainEventDim());
            lp = lp == null ? term.neg() : lp.sub(term);
            y = x;
        }
        Tensor b = Batching.sumRightmost(base.logProb(y), eventDim - base.eventShape().length);
        return lp.add(b);
    }

    @Override
    public TransformedDistribution expand(int... batchShape) {
        int[] b = Batching.checkExpand(name(), batchShape(), batchShape);
        int[] shape = Arrays.copyOf(b, b.length + eventShape().length);
        System.arraycopy(eventShape(), 0, shape, b.length, eventShape().length);
        int[] baseShape = composed.inverseShape(shape);
        int baseEvent = base.eventShape().length;
        return of(base.expand(Arrays.copyOf(baseShape, baseShape.length - baseEvent)), transforms);
    }

    /** The last transform's codomain, over this distribution's event dims. */
    @Override
    public Constraint support() {
        Constraint c = composed.codomain();
        int extra = eventShape().length - composed.codomainEventDim();
        return extra > 0 ? Constraints.independent(c, extra) : c;
    }

    /** The public class name in messages, whichever capability subclass this is. */
    @Override
    protected String name() { return "TransformedDistribution"; }

    @Override
    public String toString() { return "TransformedDistribution(" + base + ", " + transforms + ")"; }

    @Override
    public dev.deepprob.engine.DType dtype() { return base.dtype(); }

    /** The cdf and quantiles carried through the transforms, where the base has them and every map is monotone. */
    @Override
    public <C> java.util.Optional<C> as(Class<C> capability) {
        java.util.Optional<C> own = super.as(capability);
        if (own.isPresent() || capability != HasCdf.class || base.eventShape().length != 0) return own;
        java.util.Optional<dev.deepprob.engine.NDArray> sign = composed.domainEventDim() == 0 && composed.codomainEventDim() == 0
                ? composed.sign() : java.util.Optional.empty();
        java.util.Optional<HasCdf> baseCdf = base.as(HasCdf.class);
        if (sign.isEmpty() || baseCdf.isEmpty()) return own;
        return java.util.Optional.of(capability.cast(new MonotoneCdf(baseCdf.get(), sign.get())));
    }

    /**
     * F_Y(y) = F_X(f⁻¹(y)) for an increasing f, 1 - F_X(f⁻¹(y)) for a decreasing one; the quantile is f(F_X⁻¹(q)) or
     * f(F_X⁻¹(1 - q)) (the sign may differ elementwise, as an affine map's scale).
     */
    private final class MonotoneCdf implements HasCdf {
        private final HasCdf base;
        private final dev.deepprob.engine.NDArray increasing;

        MonotoneCdf(HasCdf base, dev.deepprob.engine.NDArray sign) {
            this.base = base;
            this.increasing = sign.gt(0);
        }

        @Override
        public Tensor cdf(Tensor y) {
            if (y == null) throw new IllegalArgumentException(name() + ".cdf: value must not be null");
            Tensor f = base.cdf(composed.inverse(y));
            return Params.anyTrue(increasing.not()) ? Tensor.where(increasing, f, f.rsub(1)) : f;
        }

        @Override
        public Tensor icdf(Tensor q) {
            if (q == null) throw new IllegalArgumentException(name() + ".icdf: value must not be null");
            Tensor p = Params.anyTrue(increasing.not()) ? Tensor.where(increasing, q, q.rsub(1)) : q;
            return composed.forward(base.icdf(p));
        }
    }

    /** A TransformedDistribution over a reparameterisable base: samples carry gradients to the parameters. */
    public static final class Reparameterized extends TransformedDistribution implements Reparameterizable {
        private Reparameterized(Setup s) { super(s); }

        @Override
        public Tensor rsample(Generator gen, int... sampleShape) { return rsampleImpl(gen, sampleShape); }
    }
}
