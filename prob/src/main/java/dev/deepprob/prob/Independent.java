package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * Reinterprets the rightmost {@code reinterpretedBatchNdims} batch dims of a base distribution as event dims
 * (torch.distributions.Independent): a Normal of batch [3, 4] seen as one distribution over [4]-vectors has
 * batch [3] and event [4], and its logProb sums the base's over that last dim. Build it with
 * {@link #of(Distribution, int)}, which keeps the base's capabilities: the result implements
 * {@link Reparameterizable}, {@link HasMoments} and {@link HasEntropy} exactly when the base does (a Java class
 * cannot implement an interface conditionally, so each combination is its own subclass).
 */
public sealed class Independent extends Distribution permits Independent.Reparameterized, Independent.M, Independent.E, Independent.ME {
    private final Distribution base;
    private final int dims;

    private Independent(Distribution base, int dims) {
        int[] bb = check(base, dims);
        int[] be = base.eventShape();
        int cut = bb.length - dims;
        int[] event = new int[dims + be.length];
        System.arraycopy(bb, cut, event, 0, dims);
        System.arraycopy(be, 0, event, dims, be.length);
        super(Arrays.copyOf(bb, cut), event, base.validates());
        this.base = base;
        this.dims = dims;
    }

    private static int[] check(Distribution base, int dims) {
        if (base == null) throw new IllegalArgumentException("Independent: base distribution must not be null");
        int[] bb = base.batchShape();
        if (dims < 0 || dims > bb.length) throw new IllegalArgumentException("Independent: reinterpretedBatchNdims must be in [0, "
                + bb.length + "] (the base's batch rank, batch shape " + Shapes.str(bb) + "), got " + dims);
        return bb;
    }

    /**
     * The base with its rightmost {@code reinterpretedBatchNdims} batch dims moved into the event, as the subclass
     * implementing the same capabilities (Reparameterizable, HasMoments, HasEntropy) as the base.
     */
    public static Independent of(Distribution base, int reinterpretedBatchNdims) {
        check(base, reinterpretedBatchNdims);
        boolean r = base instanceof Reparameterizable, m = base instanceof HasMoments, e = base instanceof HasEntropy;
        if (r) {
            if (m && e) return new RME(base, reinterpretedBatchNdims);
            if (m) return new RM(base, reinterpretedBatchNdims);
            if (e) return new RE(base, reinterpretedBatchNdims);
            return new Reparameterized(base, reinterpretedBatchNdims);
        }
        if (m && e) return new ME(base, reinterpretedBatchNdims);
        if (m) return new M(base, reinterpretedBatchNdims);
        if (e) return new E(base, reinterpretedBatchNdims);
        return new Independent(base, reinterpretedBatchNdims);
    }

    /**
     * As {@link #of}, typed as reparameterisable for a base known to be: {@code rsample} is callable without a cast.
     */
    public static <D extends Distribution & Reparameterizable> Reparameterized reparameterized(D base, int reinterpretedBatchNdims) {
        return (Reparameterized) of(base, reinterpretedBatchNdims);
    }

    public Distribution base() { return base; }

    public int reinterpretedBatchNdims() { return dims; }

    /** Sums the last {@code dims} dims of t. */
    private Tensor sumReinterpreted(Tensor t) {
        if (dims == 0) return t;
        int[] ax = new int[dims];
        for (int i = 0; i < dims; i++) ax[i] = t.dim() - dims + i;
        return t.sum(ax, false);
    }

    /** The base's samples, unchanged (only the shape bookkeeping differs). */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) { return base.sample(gen, sampleShape); }

    /** The base's log-density summed over the reinterpreted dims. */
    @Override
    public Tensor logProb(Tensor value) {
        if (value == null) throw new IllegalArgumentException(name() + ".logProb: value must not be null");
        int[] vs = value.shape();
        int[] ev = eventShape();
        if (vs.length < ev.length) throw new IllegalArgumentException(name() + ".logProb: value of shape " + Shapes.str(vs)
                + " has fewer dims than the event shape " + Shapes.str(ev));
        return sumReinterpreted(base.logProb(value));
    }

    @Override
    public Independent expand(int... batchShape) {
        int[] b = MultivariateNormal.checkExpand(name(), batchShape(), batchShape);
        int[] bb = base.batchShape();
        int[] full = Arrays.copyOf(b, b.length + dims);
        System.arraycopy(bb, bb.length - dims, full, b.length, dims);
        return of(base.expand(full), dims);
    }

    /** The base's support required of all elements of the reinterpreted dims together. */
    @Override
    public Constraint support() { return dims == 0 ? base.support() : Constraints.independent(base.support(), dims); }

    /** The public class name in messages, whichever capability subclass this is. */
    @Override
    protected String name() { return "Independent"; }

    @Override
    public String toString() { return "Independent(" + base + ", " + dims + ")"; }

    // ------------------------------------------------------------------ capabilities, delegated

    Tensor rsampleImpl(Generator gen, int... sampleShape) { return ((Reparameterizable) base).rsample(gen, sampleShape); }

    Tensor meanImpl() { return ((HasMoments) base).mean(); }

    Tensor varianceImpl() { return ((HasMoments) base).variance(); }

    Tensor stddevImpl() { return ((HasMoments) base).stddev(); }

    Tensor modeImpl() { return ((HasMoments) base).mode(); }

    /** The base's entropy summed over the reinterpreted dims (entropies of independent parts add). */
    Tensor entropyImpl() { return sumReinterpreted(((HasEntropy) base).entropy()); }

    /** An Independent over a reparameterisable base: samples carry gradients to the base's parameters. */
    public static sealed class Reparameterized extends Independent implements Reparameterizable permits RM, RE, RME {
        private Reparameterized(Distribution base, int dims) { super(base, dims); }

        @Override
        public Tensor rsample(Generator gen, int... sampleShape) { return rsampleImpl(gen, sampleShape); }
    }

    private static final class M extends Independent implements HasMoments {
        M(Distribution b, int n) { super(b, n); }
        @Override public Tensor mean() { return meanImpl(); }
        @Override public Tensor variance() { return varianceImpl(); }
        @Override public Tensor stddev() { return stddevImpl(); }
        @Override public Tensor mode() { return modeImpl(); }
    }

    private static final class E extends Independent implements HasEntropy {
        E(Distribution b, int n) { super(b, n); }
        @Override public Tensor entropy() { return entropyImpl(); }
    }

    private static final class ME extends Independent implements HasMoments, HasEntropy {
        ME(Distribution b, int n) { super(b, n); }
        @Override public Tensor mean() { return meanImpl(); }
        @Override public Tensor variance() { return varianceImpl(); }
        @Override public Tensor stddev() { return stddevImpl(); }
        @Override public Tensor mode() { return modeImpl(); }
        @Override public Tensor entropy() { return entropyImpl(); }
    }

    private static final class RM extends Reparameterized implements HasMoments {
        RM(Distribution b, int n) { super(b, n); }
        @Override public Tensor mean() { return meanImpl(); }
        @Override public Tensor variance() { return varianceImpl(); }
        @Override public Tensor stddev() { return stddevImpl(); }
        @Override public Tensor mode() { return modeImpl(); }
    }

    private static final class RE extends Reparameterized implements HasEntropy {
        RE(Distribution b, int n) { super(b, n); }
        @Override public Tensor entropy() { return entropyImpl(); }
    }

    private static final class RME extends Reparameterized implements HasMoments, HasEntropy {
        RME(Distribution b, int n) { super(b, n); }
        @Override public Tensor mean() { return meanImpl(); }
        @Override public Tensor variance() { return varianceImpl(); }
        @Override public Tensor stddev() { return stddevImpl(); }
        @Override public Tensor mode() { return modeImpl(); }
        @Override public Tensor entropy() { return entropyImpl(); }
    }
}
