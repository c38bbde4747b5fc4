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
 * {@link Reparameterizable}, {@link HasMoments}, {@link HasMode} and {@link HasEntropy} exactly when the base does.
 *
 * <p>Design: a Java class cannot implement an interface conditionally, and callers ask for capabilities with
 * {@code instanceof} (house rule 6), so a wrapper that delegates at run time would not do; each of the 2⁴
 * combinations is its own one-line subclass, picked in {@link #of} by a switch over the capability bits. The method bodies are
 * written once, as default methods of one private mixin interface per capability (moments, mode and entropy;
 * rsample lives in the public {@link Reparameterized}, so that it can be a type to ask for), so a further
 * capability adds one mixin and doubles only the list of one-line classes, never a method body.
 */
public sealed class Independent extends Distribution
        permits Independent.Reparameterized, Independent.M, Independent.D, Independent.E, Independent.MD, Independent.ME,
        Independent.DE, Independent.MDE {
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
     * implementing the same capabilities (Reparameterizable, HasMoments, HasMode, HasEntropy) as the base.
     */
    public static Independent of(Distribution base, int reinterpretedBatchNdims) {
        check(base, reinterpretedBatchNdims);
        Distribution b = base;
        int n = reinterpretedBatchNdims;
        int caps = (base instanceof HasMoments ? MOMENTS : 0) | (base instanceof HasMode ? MODE : 0)
                | (base instanceof HasEntropy ? ENTROPY : 0);
        if (base instanceof Reparameterizable) {
            return switch (caps) {
                case 0 -> new Reparameterized(b, n);
                case MOMENTS -> new RM(b, n);
                case MODE -> new RD(b, n);
                case ENTROPY -> new RE(b, n);
                case MOMENTS | MODE -> new RMD(b, n);
                case MOMENTS | ENTROPY -> new RME(b, n);
                case MODE | ENTROPY -> new RDE(b, n);
                default -> new RMDE(b, n);
            };
        }
        return switch (caps) {
            case 0 -> new Independent(b, n);
            case MOMENTS -> new M(b, n);
            case MODE -> new D(b, n);
            case ENTROPY -> new E(b, n);
            case MOMENTS | MODE -> new MD(b, n);
            case MOMENTS | ENTROPY -> new ME(b, n);
            case MODE | ENTROPY -> new DE(b, n);
            default -> new MDE(b, n);
        };
    }

    private static final int MOMENTS = 1, MODE = 2, ENTROPY = 4;

    /**
     * As {@link #of}, typed as reparameterisable for a base known to be: {@code rsample} is callable without a cast.
     */
    public static <B extends Distribution & Reparameterizable> Reparameterized reparameterized(B base, int reinterpretedBatchNdims) {
        return (Reparameterized) of(base, reinterpretedBatchNdims);
    }

    public Distribution base() { return base; }

    public int reinterpretedBatchNdims() { return dims; }

    /** Sums the last {@code dims} dims of t. */
    private static Tensor sumRightmost(Tensor t, int dims) {
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
        int[] vs = value.dims();
        int[] ev = eventShape();
        if (vs.length < ev.length) throw new IllegalArgumentException(name() + ".logProb: value of shape " + Shapes.str(vs)
                + " has fewer dims than the event shape " + Shapes.str(ev));
        return sumRightmost(base.logProb(value), dims);
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

    /** What the mixins need of an Independent (implemented by its public accessors). */
    private interface Delegating {
        Distribution base();

        int reinterpretedBatchNdims();
    }

    /** Mean, variance and standard deviation are the base's (reinterpreting dims changes no element's moments). */
    private interface Moments extends HasMoments, Delegating {
        @Override default Tensor mean() { return ((HasMoments) base()).mean(); }
        @Override default Tensor variance() { return ((HasMoments) base()).variance(); }
        @Override default Tensor stddev() { return ((HasMoments) base()).stddev(); }
    }

    /** The base's mode: the density of independent parts is a product, maximised part by part. */
    private interface Mode extends HasMode, Delegating {
        @Override default Tensor mode() { return ((HasMode) base()).mode(); }
    }

    /** The base's entropy summed over the reinterpreted dims (entropies of independent parts add). */
    private interface Entropy extends HasEntropy, Delegating {
        @Override default Tensor entropy() { return sumRightmost(((HasEntropy) base()).entropy(), reinterpretedBatchNdims()); }
    }

    /** An Independent over a reparameterisable base: samples carry gradients to the base's parameters. */
    public static sealed class Reparameterized extends Independent implements Reparameterizable
            permits RM, RD, RE, RMD, RME, RDE, RMDE {
        private Reparameterized(Distribution base, int dims) { super(base, dims); }

        @Override
        public Tensor rsample(Generator gen, int... sampleShape) { return ((Reparameterizable) base()).rsample(gen, sampleShape); }
    }

    // one subclass per combination (M: HasMoments, D: HasMode, E: HasEntropy; R: Reparameterized)
    private static final class M extends Independent implements Moments { M(Distribution b, int n) { super(b, n); } }
    private static final class D extends Independent implements Mode { D(Distribution b, int n) { super(b, n); } }
    private static final class E extends Independent implements Entropy { E(Distribution b, int n) { super(b, n); } }
    private static final class MD extends Independent implements Moments, Mode { MD(Distribution b, int n) { super(b, n); } }
    private static final class ME extends Independent implements Moments, Entropy { ME(Distribution b, int n) { super(b, n); } }
    private static final class DE extends Independent implements Mode, Entropy { DE(Distribution b, int n) { super(b, n); } }
    private static final class MDE extends Independent implements Moments, Mode, Entropy { MDE(Distribution b, int n) { super(b, n); } }
    private static final class RM extends Reparameterized implements Moments { RM(Distribution b, int n) { super(b, n); } }
    private static final class RD extends Reparameterized implements Mode { RD(Distribution b, int n) { super(b, n); } }
    private static final class RE extends Reparameterized implements Entropy { RE(Distribution b, int n) { super(b, n); } }
    private static final class RMD extends Reparameterized implements Moments, Mode { RMD(Distribution b, int n) { super(b, n); } }
    private static final class RME extends Reparameterized implements Moments, Entropy { RME(Distribution b, int n) { super(b, n); } }
    private static final class RDE extends Reparameterized implements Mode, Entropy { RDE(Distribution b, int n) { super(b, n); } }
    private static final class RMDE extends Reparameterized implements Moments, Mode, Entropy { RMDE(Distribution b, int n) { super(b, n); } }
}
