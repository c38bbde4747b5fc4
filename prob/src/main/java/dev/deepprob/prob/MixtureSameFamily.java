package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * A finite mixture p(x) = Σ_j w_j p_j(x) whose k components are one distribution family with batch shape
 * (..., k) (torch.distributions.MixtureSameFamily): a {@link Categorical} over k categories picks the
 * component. logProb is logSumExp_j (log w_j + log p_j(x)), stable however small the weights are. Sampling draws
 * a component index and then a draw of every component, keeping the chosen one; no reparameterised sampling
 * exists (the choice is discrete). {@link #as} answers {@link HasMoments} when the components have moments (the laws
 * of total expectation and variance) and {@link HasCdf} when they have a cdf and scalar events (the weighted sum of
 * the components' cdfs, its quantile by bisection); a mixture has no closed-form mode nor entropy.
 */
public final class MixtureSameFamily extends Distribution {
    private static final String NAME = "MixtureSameFamily";

    private final Categorical mixing;
    private final Distribution component;
    private final int k;

    private MixtureSameFamily(Setup s) {
        super(s.batch, s.component.eventShape(), s.component.validates());
        this.mixing = s.mixing;
        this.component = s.component;
        this.k = s.mixing.numCategories();
    }

    private record Setup(Categorical mixing, Distribution component, int[] batch) {
        static Setup of(Categorical mixing, Distribution component) {
            if (mixing == null) throw new IllegalArgumentException(NAME + ": mixing distribution must not be null");
            if (component == null) throw new IllegalArgumentException(NAME + ": component distribution must not be null");
            int[] cb = component.batchShape();
            if (cb.length < 1) throw new IllegalArgumentException(NAME + ": the component distribution needs a batch shape (..., k) "
                    + "indexing the k components, got batch shape []");
            int k = cb[cb.length - 1];
            if (mixing.numCategories() != k) throw new IllegalArgumentException(NAME + ": the mixing distribution has "
                    + mixing.numCategories() + " categories but the component batch shape " + Shapes.str(cb) + " has " + k + " components");
            int[] cRest = Arrays.copyOf(cb, cb.length - 1);
            int[] batch;
            try {
                batch = Shapes.broadcast(NAME, mixing.batchShape(), cRest);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(NAME + ": the mixing batch shape " + Shapes.str(mixing.batchShape())
                        + " does not broadcast with the component batch shape without its last dim " + Shapes.str(cRest), e);
            }
            Categorical m = Arrays.equals(mixing.batchShape(), batch) ? mixing : mixing.expand(batch);
            Distribution c = Arrays.equals(cRest, batch) ? component : component.expand(Batching.concat(batch, k));
            return new Setup(m, c, batch);
        }
    }

    /** The mixture of the components (batch (..., k)) weighted by mixing (batch broadcasting with (...), k categories). */
    public static MixtureSameFamily of(Categorical mixing, Distribution component) { return new MixtureSameFamily(Setup.of(mixing, component)); }

    /** The mixing weights' distribution (batch = this batch shape). */
    public Categorical mixture() { return mixing; }

    /** The components (batch = this batch shape + [k]). */
    public Distribution component() { return component; }

    public int numComponents() { return k; }

    private int eventRank() { return eventShape().length; }

    /**
     * log Σ_j w_j p_j(x) = logSumExp_j (log w_j + log p_j(x)).
     * @param value (sample..., batch..., event...)
     * @return (sample..., batch...)
     */
    @Override
    public Tensor logProb(Tensor value) {
        if (value == null) throw new IllegalArgumentException(name() + ".logProb: value must not be null");
        checkValue(value);
        Tensor x = value.unsqueeze(value.dim() - eventRank());             // (sample..., batch..., 1, event...)
        Tensor lp = component.logProb(x);                                   // (sample..., batch..., k)
        Tensor logW = mixing.logits();
        if (lp.dtype() != logW.dtype()) throw new IllegalArgumentException(name() + ".logProb: the component log-densities are "
                + lp.dtype() + " but the mixing weights are " + logW.dtype() + "; build both in one dtype");
        return lp.add(logW).logSumExp(-1);
    }

    /**
     * Draws component indices from the mixing distribution, then one draw of every component, and keeps the
     * chosen one: shape sampleShape + batchShape + eventShape.
     */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        if (gen == null) throw new IllegalArgumentException(name() + ".sample: generator must not be null");
        Tensor idx = mixing.sample(gen, sampleShape);                       // (sample..., batch...) I64
        Tensor all = component.sample(gen, sampleShape);                    // (sample..., batch..., k, event...)
        int dim = sampleShape.length + batchShape().length;
        int[] ev = eventShape();
        int[] idxShape = Arrays.copyOf(idx.dims(), dim + 1 + ev.length);
        idxShape[dim] = 1;
        for (int i = 0; i < ev.length; i++) idxShape[dim + 1 + i] = 1;
        int[] target = all.dims();
        target[dim] = 1;
        NDArray index = idx.data().to(DType.I64).reshape(idxShape).expand(target).contiguous();
        return all.gather(dim, index).squeeze(dim).detach();
    }

    @Override
    public MixtureSameFamily expand(int... batchShape) {
        int[] b = Batching.checkExpand(name(), batchShape(), batchShape);
        return of(mixing.expand(b), component.expand(Batching.concat(b, k)));
    }

    @Override
    public Constraint support() { return component.support(); }

    /** The public class name in messages, whichever capability subclass this is. */
    @Override
    protected String name() { return "MixtureSameFamily"; }

    @Override
    public String toString() { return "MixtureSameFamily(" + mixing + ", " + component + ")"; }

    /** The weights w (batch..., k) shaped to multiply per-component values (batch..., k, event...). */
    Tensor weightsForEvents() {
        Tensor w = mixing.probs();
        int[] s = Arrays.copyOf(w.dims(), w.dim() + eventRank());
        for (int i = w.dim(); i < s.length; i++) s[i] = 1;
        return w.reshape(s);
    }

    @Override
    public DType dtype() { return component.dtype(); }

    /** Moments by the laws of total expectation and variance, and the cdf as the weighted sum of the components'. */
    @Override
    public <C> java.util.Optional<C> as(Class<C> capability) {
        java.util.Optional<C> own = super.as(capability);
        if (own.isPresent()) return own;
        if (capability == HasMoments.class) return component.as(HasMoments.class).map(m -> capability.cast(new Moments(m)));
        if (capability == HasCdf.class && eventRank() == 0) return component.as(HasCdf.class).map(c -> capability.cast(new Cdf(c)));
        return own;
    }

    /** Mean and variance from the components' (elementwise over the event), of shape batch + event. */
    private final class Moments implements HasMoments {
        private final HasMoments c;

        Moments(HasMoments c) { this.c = c; }

        private int kDim() { return batchShape().length; }

        /** Σ_j w_j μ_j. */
        @Override
        public Tensor mean() { return weightsForEvents().mul(c.mean()).sum(new int[]{kDim()}, false); }

        /**
         * The law of total variance: Σ_j w_j σ_j² + Σ_j w_j (μ_j - μ)², the mean within-component variance plus the
         * variance of the component means.
         */
        @Override
        public Tensor variance() {
            Tensor w = weightsForEvents();
            Tensor mu = c.mean();
            Tensor m = w.mul(mu).sum(new int[]{kDim()}, true);
            Tensor within = w.mul(c.variance()).sum(new int[]{kDim()}, false);
            Tensor between = w.mul(mu.sub(m).square()).sum(new int[]{kDim()}, false);
            return within.add(between);
        }
    }

    /** F(x) = Σ_j w_j F_j(x); the quantile by bisection between the smallest and largest component quantiles. */
    private final class Cdf implements HasCdf {
        private static final int BISECTIONS = 200;
        private final HasCdf c;

        Cdf(HasCdf c) { this.c = c; }

        /** Σ_j w_j F_j(x), differentiable in x, the weights and the components' parameters. */
        @Override
        public Tensor cdf(Tensor x) {
            if (x == null) throw new IllegalArgumentException(name() + ".cdf: value must not be null");
            return c.cdf(x.unsqueeze(x.dim())).mul(mixing.probs()).sum(new int[]{-1}, false);
        }

        /**
         * The x with F(x) = q: F is a weighted mean of the F_j, so it lies between the smallest and the largest of the
         * components' quantiles at q, and bisection on that bracket (in array operations, to the last bit) finds it; a
         * Newton step in Tensor ops supplies the gradient, dx/dq = 1/density (see Params.newtonCorrected).
         */
        @Override
        public Tensor icdf(Tensor q) {
            Tensor p = Params.value(MixtureSameFamily.this, "icdf", q, dtype(), false, Constraints.unitInterval());
            NDArray lo, hi;
            try (dev.deepprob.autograd.Autograd.Scope _ = dev.deepprob.autograd.Autograd.noGrad()) {
                NDArray qs = c.icdf(p.unsqueeze(p.dim()).detach()).data();          // (..., batch..., k)
                lo = qs.min(new int[]{-1}, false);
                hi = qs.max(new int[]{-1}, false);
                NDArray target = p.data().expand(lo.dims());
                NDArray finite = lo.abs().lt(Double.POSITIVE_INFINITY).and(hi.abs().lt(Double.POSITIVE_INFINITY));
                NDArray l = NDArray.where(finite, lo, lo.mul(0)), h = NDArray.where(finite, hi, hi.mul(0));
                for (int i = 0; i < BISECTIONS; i++) {
                    NDArray mid = l.add(h).mul(0.5);
                    if (!Params.anyTrue(mid.gt(l).and(mid.lt(h)))) break;       // converged to adjacent doubles
                    NDArray below = cdf(Tensor.of(mid)).data().lt(target);
                    l = NDArray.where(below, mid, l);
                    h = NDArray.where(below, h, mid);
                }
                NDArray x0 = NDArray.where(finite, h, NDArray.where(target.le(0), lo, hi));
                lo = x0;
                hi = finite.and(target.gt(0)).and(target.lt(1));
            }
            return Params.newtonCorrected(p, lo, hi, 0, this::cdf, MixtureSameFamily.this::logProb);
        }
    }
}
