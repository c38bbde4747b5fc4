package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;
import java.util.Map;
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

    protected Distribution(int[] batchShape, int[] eventShape, boolean validate) {
        this.batchShape = batchShape.clone();
        this.eventShape = eventShape.clone();
        this.validate = validate;
    }

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

    /** Draws samples of shape sampleShape + batchShape + eventShape; no gradient flows (see rsample). */
    public abstract Tensor sample(Generator gen, int... sampleShape);

    /** log p(value), of shape (value's sample dims) + batchShape. */
    public abstract Tensor logProb(Tensor value);

    /** This distribution broadcast to a larger batch shape (parameters expanded, no copies). */
    public abstract Distribution expand(int... batchShape);

    /** The set values lie in, for validation and for transforms onto it. */
    public abstract Constraint support();

    /**
     * The parameters by name, in the order toString prints them (PyTorch's names: {@code loc}, {@code scale}, ...). A
     * distribution that returns none (the default) prints its batch and event shapes instead.
     */
    protected SequencedMap<String, Tensor> params() { return new java.util.LinkedHashMap<>(); }

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
