package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.StringJoiner;

/**
 * A probability distribution with PyTorch's shape rules: {@code batchShape} indexes independent (not identical)
 * distributions, {@code eventShape} is the shape of one draw; {@code sample(gen, s)} has shape
 * s + batchShape + eventShape and {@code logProb(x)} reduces the event dims away. Parameters are Tensors, so
 * log-densities are differentiable in them. Optional capabilities are interfaces: {@link Reparameterizable},
 * {@link HasMoments}, {@link HasMode}, {@link HasEntropy}, {@link HasCdf}.
 */
public abstract class Distribution {
    private static volatile boolean validateByDefault = true;

    private final int[] batchShape;
    private final int[] eventShape;
    private final boolean validate;
    private final Args.Bound bound;    // the declared, checked parameters; null for families that manage their own

    protected Distribution(int[] batchShape, int[] eventShape, boolean validate) {
        this.batchShape = batchShape.clone();
        this.eventShape = eventShape.clone();
        this.validate = validate;
        this.bound = null;
    }

    /** A family declared with {@link Args}: shapes, validation flag and parameters come from the checked binding. */
    Distribution(Args.Bound b) {
        this.batchShape = b.batch().clone();
        this.eventShape = b.event().clone();
        this.validate = b.validate();
        this.bound = b;
    }

    /** The i-th declared parameter, expanded to batchShape (+ its own trailing dims). */
    final Tensor param(int i) { return bound.get(i); }

    /** The declaration this distribution was bound with (for families with alternative parameterisations). */
    final Args<?> declaration() { return bound.args(); }

    /** Whether new distributions validate their parameters and logProb arguments (default true). */
    public static boolean validateByDefault() { return validateByDefault; }

    /** Switches default validation off (for speed) or on, for distributions constructed afterwards. */
    public static void setValidateByDefault(boolean on) { validateByDefault = on; }

    /** Whether this instance validates. */
    public boolean validates() { return validate; }

    public int[] batchShape() { return batchShape.clone(); }

    public int[] eventShape() { return eventShape.clone(); }

    /**
     * The shape of a draw with the given sample shape: sampleShape + batchShape + eventShape, refused (naming this
     * distribution) when it would hold more than 2^31 - 1 elements.
     */
    public int[] extendedShape(int... sampleShape) {
        int[] s = Arrays.copyOf(sampleShape, sampleShape.length + batchShape.length + eventShape.length);
        System.arraycopy(batchShape, 0, s, sampleShape.length, batchShape.length);
        System.arraycopy(eventShape, 0, s, sampleShape.length + batchShape.length, eventShape.length);
        Shapes.size(name() + ".sample", s);
        return s;
    }

    /** The floating dtype of the parameters, and of the samples of the continuous families. */
    public DType dtype() {
        if (bound == null) throw new IllegalStateException(name() + " declares no parameters and must override dtype()");
        return bound.dtype();
    }

    /**
     * Draws samples of shape sampleShape + batchShape + eventShape; no gradient flows. For a {@link Reparameterizable}
     * family this is its rsample with gradient recording off; the others override it.
     */
    public Tensor sample(Generator gen, int... sampleShape) {
        if (!(this instanceof Reparameterizable r)) throw new IllegalStateException(name() + " is not reparameterisable and must override sample");
        Params.checkSample(name(), "sample", gen, sampleShape);
        return Params.noGrad(() -> r.rsample(gen, sampleShape));
    }

    /** log p(value), of shape (value's sample dims) + batchShape. */
    public abstract Tensor logProb(Tensor value);

    /**
     * This distribution broadcast to a larger batch shape (parameters expanded, no copies, not validated again). A
     * family declared with {@link Args} gets this for free; the others override it.
     */
    public Distribution expand(int... batchShape) {
        if (bound == null) throw new IllegalStateException(name() + " declares no parameters and must override expand");
        return bound.expand(name(), batchShape).make();
    }

    /**
     * This distribution seen through an optional capability ({@link HasCdf}, {@link HasMoments}, {@link HasMode},
     * {@link HasEntropy}): itself where it implements it, an adapter where a wrapper derives it from its base
     * ({@link Independent}, {@link TransformedDistribution}, {@link MixtureSameFamily}), empty where there is none.
     */
    public <C> Optional<C> as(Class<C> capability) {
        if (capability == null) throw new IllegalArgumentException(name() + ".as: capability must not be null");
        return capability.isInstance(this) ? Optional.of(capability.cast(this)) : Optional.empty();
    }

    /** Whether {@link #as} finds the capability. */
    public boolean has(Class<?> capability) { return as(capability).isPresent(); }

    /** The set values lie in, for validation and for transforms onto it. */
    public abstract Constraint support();

    /**
     * The parameters by name, in the order toString prints them (PyTorch's names: {@code loc}, {@code scale}, ...). A
     * distribution that returns none (the default) prints its batch and event shapes instead.
     */
    protected SequencedMap<String, Tensor> params() {
        SequencedMap<String, Tensor> m = new java.util.LinkedHashMap<>();
        if (bound != null) for (int i = 0; i < bound.params().length; i++) m.put(bound.args().args().get(i).name(), bound.get(i));
        return m;
    }

    /**
     * The name and each parameter's values as a tensor prints them (a dim longer than 10 shows its first 5 and last 3),
     * as {@code Normal(loc: 0.0000, scale: 1.0000)}; without {@link #params()}, the shapes: {@code Foo(batch [3])}.
     */
    @Override
    public String toString() {
        SequencedMap<String, Tensor> p = params();
        if (p.isEmpty()) return getClass().getSimpleName() + "(batch " + Shapes.str(batchShape)
                + (eventShape.length > 0 ? ", event " + Shapes.str(eventShape) : "") + ")";
        StringJoiner j = new StringJoiner(", ", getClass().getSimpleName() + "(", ")");
        for (Map.Entry<String, Tensor> e : p.entrySet()) j.add(e.getKey() + ": " + e.getValue().data().valuesToString());
        return j.toString();
    }

    /** The distribution's name for messages. */
    protected String name() { return getClass().getSimpleName(); }

    /**
     * Checks logProb's argument: its trailing dims must broadcast with batchShape + eventShape, and (when
     * validating) every element must lie in the support. Messages name the distribution and the bad value.
     */
    protected void checkValue(Tensor value) {
        int[] vs = value.dims();
        int[] be = extendedShape();
        if (vs.length < eventShape.length) throw new IllegalArgumentException(name() + ".logProb: value of shape " + Shapes.str(vs)
                + " has fewer dims than the event shape " + Shapes.str(eventShape));
        Shapes.broadcast(name() + ".logProb", vs, be);
        if (validate) support().check(name() + ".logProb: value", value.data());
    }
}
