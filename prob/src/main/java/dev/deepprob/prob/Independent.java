package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;
import java.util.Optional;

/**
 * Reinterprets the rightmost {@code reinterpretedBatchNdims} batch dims of a base distribution as event dims
 * (torch.distributions.Independent): a Normal of batch [3, 4] seen as one distribution over [4]-vectors has
 * batch [3] and event [4], and its logProb sums the base's over that last dim. Build it with
 * {@link #of(Distribution, int)}: the result is a {@link Reparameterized} exactly when the base is
 * {@link Reparameterizable} (the one capability that is a type), and {@link #as} answers the base's moments and mode
 * unchanged, its entropy summed over the reinterpreted dims, and its cdf when no dims are reinterpreted.
 */
public sealed class Independent extends Distribution permits Independent.Reparameterized {
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

    /** The base with its rightmost {@code reinterpretedBatchNdims} batch dims moved into the event. */
    public static Independent of(Distribution base, int reinterpretedBatchNdims) {
        check(base, reinterpretedBatchNdims);
        return base instanceof Reparameterizable ? new Reparameterized(base, reinterpretedBatchNdims) : new Independent(base, reinterpretedBatchNdims);
    }

    /**
     * As {@link #of}, typed as reparameterisable for a base known to be: {@code rsample} is callable without a cast.
     */
    public static <B extends Distribution & Reparameterizable> Reparameterized reparameterized(B base, int reinterpretedBatchNdims) {
        return (Reparameterized) of(base, reinterpretedBatchNdims);
    }

    public Distribution base() { return base; }

    public int reinterpretedBatchNdims() { return dims; }

    /** The base's samples, unchanged (only the shape bookkeeping differs). */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) { return base.sample(gen, sampleShape); }

    /** The base's log-density summed over the reinterpreted dims. */
    @Override
    public Tensor logProb(Tensor value) {
        if (value == null) throw new IllegalArgumentException(name() + ".logProb: value must not be null");
        int[] vs = value.dims();
        int[] ev = eventShape();
        if (vs.length < ev.length) throw new IllegalArgumentException(name() + ".logProb: value of shape " + Shapes.str(vs)
                + " has fewer dims than the event shape " + Shapes.str(ev));
        return Batching.sumRightmost(base.logProb(value), dims);
    }

    @Override
    public Independent expand(int... batchShape) {
        int[] b = Batching.checkExpand(name(), batchShape(), batchShape);
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

    @Override
    public dev.deepprob.engine.DType dtype() { return base.dtype(); }

    /**
     * The base's capabilities seen through the reinterpretation: moments and mode unchanged (reinterpreting dims
     * changes no element), entropy summed over the reinterpreted dims (entropies of independent parts add), and the cdf
     * only when no dims are reinterpreted (a vector event has no quantile function).
     */
    @Override
    public <C> Optional<C> as(Class<C> capability) {
        Optional<C> own = super.as(capability);
        if (own.isPresent()) return own;
        Object adapted = null;
        if (capability == HasMoments.class) adapted = base.as(HasMoments.class).orElse(null);
        else if (capability == HasMode.class) adapted = base.as(HasMode.class).orElse(null);
        else if (capability == HasCdf.class && dims == 0) adapted = base.as(HasCdf.class).orElse(null);
        else if (capability == HasEntropy.class) adapted = base.as(HasEntropy.class)
                .map(h -> (HasEntropy) () -> Batching.sumRightmost(h.entropy(), dims)).orElse(null);
        return Optional.ofNullable(adapted).map(capability::cast);
    }

    /** An Independent over a reparameterisable base: samples carry gradients to the base's parameters. */
    public static final class Reparameterized extends Independent implements Reparameterizable {
        private Reparameterized(Distribution base, int dims) { super(base, dims); }

        @Override
        public Tensor rsample(Generator gen, int... sampleShape) { return ((Reparameterizable) base()).rsample(gen, sampleShape); }
    }
}
