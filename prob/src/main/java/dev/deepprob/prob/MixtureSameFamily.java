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
 * exists (the choice is discrete). Build with {@link #of}; when the components have moments the result is a
 * {@link WithMoments}, a {@link HasMoments} whose mean and variance follow the laws of total expectation and
 * variance. A mixture has no closed-form mode (nor entropy), so it never implements {@link HasMode}.
 */
public sealed class MixtureSameFamily extends Distribution permits MixtureSameFamily.WithMoments {
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
            Distribution c = Arrays.equals(cRest, batch) ? component : component.expand(MultivariateNormal.concat(batch, k));
            return new Setup(m, c, batch);
        }
    }

    /**
     * The mixture of the components (batch (..., k)) weighted by mixing (batch broadcasting with (...), k
     * categories); a {@link WithMoments} when the components implement {@link HasMoments}.
     */
    public static MixtureSameFamily of(Categorical mixing, Distribution component) {
        Setup s = Setup.of(mixing, component);
        return s.component instanceof HasMoments ? new WithMoments(s) : new MixtureSameFamily(s);
    }

    /** As {@link #of}, typed to expose mean and variance for components known to have them. */
    public static <C extends Distribution & HasMoments> WithMoments withMoments(Categorical mixing, C component) {
        return (WithMoments) of(mixing, component);
    }

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
        int[] b = MultivariateNormal.checkExpand(name(), batchShape(), batchShape);
        return of(mixing.expand(b), component.expand(MultivariateNormal.concat(b, k)));
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

    /** Mixtures whose components have closed-form means and variances: {@link HasMoments} by the laws of total expectation and variance. */
    public static final class WithMoments extends MixtureSameFamily implements HasMoments {
        private WithMoments(Setup s) { super(s); }

        private int kDim() { return batchShape().length; }

        /** Σ_j w_j μ_j, of shape batch + event. */
        @Override
        public Tensor mean() {
            Tensor mu = ((HasMoments) component()).mean();
            return weightsForEvents().mul(mu).sum(new int[]{kDim()}, false);
        }

        /**
         * The law of total variance: Σ_j w_j σ_j² + Σ_j w_j (μ_j - μ)², the mean within-component variance plus the
         * variance of the component means (elementwise over the event), of shape batch + event.
         */
        @Override
        public Tensor variance() {
            HasMoments c = (HasMoments) component();
            Tensor w = weightsForEvents();
            Tensor mu = c.mean();
            Tensor m = w.mul(mu).sum(new int[]{kDim()}, true);
            Tensor within = w.mul(c.variance()).sum(new int[]{kDim()}, false);
            Tensor between = w.mul(mu.sub(m).square()).sum(new int[]{kDim()}, false);
            return within.add(between);
        }

        @Override
        public Tensor stddev() { return variance().sqrt(); }
    }
}
