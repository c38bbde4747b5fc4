package dev.deepprob.nn;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

/**
 * Initialisers (torch.nn.init): each overwrites a tensor's values in place, under {@code noGrad}, from the given
 * generator, and returns the tensor. Fans and gains follow PyTorch's {@code _calculate_fan_in_and_fan_out} and
 * {@code calculate_gain}; Xavier is Glorot and Bengio (2010), Kaiming is He et al. (2015).
 */
public final class Init {
    private Init() {}

    /** Which fan Kaiming initialisation keeps the variance of: inputs (forward pass) or outputs (backward pass). */
    public enum FanMode {
        /** Preserve the variance of the activations in the forward pass. */
        FAN_IN,
        /** Preserve the variance of the gradients in the backward pass. */
        FAN_OUT
    }

    /** The nonlinearities {@link #calculateGain} knows, as PyTorch's names. */
    public enum Nonlinearity {
        /** The identity (and convolutions): gain 1. */
        LINEAR,
        /** Gain 1. */
        SIGMOID,
        /** Gain 5/3. */
        TANH,
        /** Gain √2. */
        RELU,
        /** Gain √(2 / (1 + slope²)). */
        LEAKY_RELU,
        /** Gain 3/4. */
        SELU
    }

    /** Fan-in and fan-out of a weight of shape (out, in, *kernel): in·∏kernel and out·∏kernel. */
    public record Fans(int fanIn, int fanOut) {}

    /** The recommended gain for a nonlinearity; the parameter is LeakyReLU's negative slope (0.01 when NaN). */
    public static double calculateGain(Nonlinearity nonlinearity, double param) {
        if (nonlinearity == null) throw new IllegalArgumentException("calculateGain: nonlinearity must not be null");
        return switch (nonlinearity) {
            case LINEAR, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> {
                double slope = Double.isNaN(param) ? 0.01 : param;
                if (Double.isInfinite(slope)) throw new IllegalArgumentException("calculateGain: negative slope must be finite, got " + param);
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case SELU -> 3.0 / 4;
        };
    }

    /** The gain with its default parameter. */
    public static double calculateGain(Nonlinearity nonlinearity) { return calculateGain(nonlinearity, Double.NaN); }

    /** Fan-in and fan-out of a tensor of rank >= 2. */
    public static Fans fans(int[] shape) {
        if (shape == null || shape.length < 2) throw new IllegalArgumentException("Init.fans: fan in and fan out need a tensor of rank >= 2, got shape "
                + (shape == null ? "null" : Shapes.str(shape)));
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        return new Fans(shape[1] * receptive, shape[0] * receptive);
    }

    private static void check(String op, Tensor t, Generator gen, boolean needsGen) {
        if (t == null) throw new IllegalArgumentException(op + ": tensor must not be null");
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": tensor must be F32 or F64, got " + t.dtype());
        if (needsGen && gen == null) throw new IllegalArgumentException(op + ": generator must not be null");
    }

    private static Tensor write(Tensor t, NDArray values) {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            t.copyInPlace(Tensor.of(values));
        }
        return t;
    }

    /** Uniform values in [a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator gen) {
        check("Init.uniform", t, gen, true);
        if (!(a <= b) || !Double.isFinite(a) || !Double.isFinite(b)) throw new IllegalArgumentException("Init.uniform: expected finite a <= b, got a = "
                + a + ", b = " + b);
        return write(t, NDArray.uniform(gen, t.dtype(), a, b, t.dims()));
    }

    /** Normal values with the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        check("Init.normal", t, gen, true);
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("Init.normal: mean must be finite, got " + mean);
        if (!(std >= 0) || !Double.isFinite(std)) throw new IllegalArgumentException("Init.normal: std must be finite and >= 0, got " + std);
        return write(t, NDArray.normal(gen, t.dtype(), mean, std, t.dims()));
    }

    /** Every element set to {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        check("Init.constant", t, null, false);
        try (Autograd.Scope _ = Autograd.noGrad()) {
            t.fillInPlace(value);
        }
        return t;
    }

    /** Every element set to 0. */
    public static Tensor zeros(Tensor t) { return constant(t, 0); }

    /** Every element set to 1. */
    public static Tensor ones(Tensor t) { return constant(t, 1); }

    private static void checkGain(String op, double gain) {
        if (!(gain >= 0) || !Double.isFinite(gain)) throw new IllegalArgumentException(op + ": gain must be finite and >= 0, got " + gain);
    }

    /** Glorot uniform: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        check("Init.xavierUniform", t, gen, true);
        checkGain("Init.xavierUniform", gain);
        Fans f = fans(t.dims());
        double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
        double a = Math.sqrt(3.0) * std;
        return write(t, NDArray.uniform(gen, t.dtype(), -a, a, t.dims()));
    }

    /** Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        check("Init.xavierNormal", t, gen, true);
        checkGain("Init.xavierNormal", gain);
        Fans f = fans(t.dims());
        double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
        return write(t, NDArray.normal(gen, t.dtype(), 0, std, t.dims()));
    }

    private static double kaimingStd(String op, Tensor t, double a, FanMode mode, Nonlinearity nl) {
        if (mode == null) throw new IllegalArgumentException(op + ": mode must not be null");
        if (nl == null) throw new IllegalArgumentException(op + ": nonlinearity must not be null");
        if (!Double.isFinite(a)) throw new IllegalArgumentException(op + ": a must be finite, got " + a);
        Fans f = fans(t.dims());
        int fan = mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
        if (fan == 0) throw new IllegalArgumentException(op + ": cannot initialise a tensor with zero elements (shape " + Shapes.str(t.dims()) + ")");
        return calculateGain(nl, a) / Math.sqrt(fan);
    }

    /**
     * He uniform: U(-bound, bound) with bound = √3 · gain / √fan.
     * @param a the negative slope for {@code LEAKY_RELU} (ignored by the others)
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        check("Init.kaimingUniform", t, gen, true);
        double bound = Math.sqrt(3.0) * kaimingStd("Init.kaimingUniform", t, a, mode, nonlinearity);
        return write(t, NDArray.uniform(gen, t.dtype(), -bound, bound, t.dims()));
    }

    /** He uniform with PyTorch's defaults: a = 0, FAN_IN, LEAKY_RELU (so gain √2). */
    public static Tensor kaimingUniform(Tensor t, Generator gen) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
    }

    /**
     * He normal: N(0, std²) with std = gain / √fan.
     * @param a the negative slope for {@code LEAKY_RELU} (ignored by the others)
     */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        check("Init.kaimingNormal", t, gen, true);
        double std = kaimingStd("Init.kaimingNormal", t, a, mode, nonlinearity);
        return write(t, NDArray.normal(gen, t.dtype(), 0, std, t.dims()));
    }

    /** He normal with PyTorch's defaults: a = 0, FAN_IN, LEAKY_RELU. */
    public static Tensor kaimingNormal(Tensor t, Generator gen) {
        return kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
    }
}
