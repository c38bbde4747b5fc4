package dev.deepprob.nn;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A builder of multilayer perceptrons: {@code Mlp.of(gen, 784, 400, 20).activation(Tanh::new).build()} gives
 * {@code Sequential(Linear(784, 400), Tanh, Linear(400, 20))}, named {@code 0.weight}, {@code 2.weight}, ... as
 * the same nn.Sequential in PyTorch. ReLU between layers by default, nothing after the last one.
 */
public final class Mlp {
    private Mlp() {}

    /**
     * Starts a builder for layers of the given widths (input first, output last).
     * @param sizes at least two widths, each > 0
     */
    public static Builder of(Generator gen, int... sizes) {
        if (gen == null) throw new IllegalArgumentException("Mlp.of: generator must not be null");
        if (sizes == null || sizes.length < 2) throw new IllegalArgumentException("Mlp.of: expected at least 2 layer sizes (input and output), got "
                + (sizes == null ? "null" : Arrays.toString(sizes)));
        for (int s : sizes) {
            if (s <= 0) throw new IllegalArgumentException("Mlp.of: layer sizes must be > 0, got " + Arrays.toString(sizes));
        }
        return new Builder(gen, sizes.clone());
    }

    /** The settings of an MLP; {@link #build()} draws the weights. */
    public static final class Builder {
        private final Generator gen;
        private final int[] sizes;
        private Supplier<? extends UnaryModule> activation = ReLU::new;
        private Supplier<? extends UnaryModule> output = null;
        private boolean bias = true;
        private DType dtype; // null: the default floating dtype when build() runs
        private double dropout = 0;

        private Builder(Generator gen, int[] sizes) {
            this.gen = gen;
            this.sizes = sizes;
        }

        /** The activation after each hidden layer, a fresh module per layer ({@code ReLU::new} by default). */
        public Builder activation(Supplier<? extends UnaryModule> activation) {
            if (activation == null) throw new IllegalArgumentException("Mlp.activation: supplier must not be null");
            this.activation = activation;
            return this;
        }

        /** An activation after the output layer (none by default), as {@code Sigmoid::new}. */
        public Builder outputActivation(Supplier<? extends UnaryModule> output) {
            if (output == null) throw new IllegalArgumentException("Mlp.outputActivation: supplier must not be null");
            this.output = output;
            return this;
        }

        /** Whether the linear layers have biases (true by default). */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** F32 or F64 parameters (by default {@link DType#defaultFloat()} at {@link #build()}). */
        public Builder dtype(DType dtype) {
            if (dtype == null || !dtype.isFloating()) throw new IllegalArgumentException("Mlp.dtype: dtype must be F32 or F64, got " + dtype);
            this.dtype = dtype;
            return this;
        }

        /** Dropout with probability p after each hidden activation (0, none, by default). */
        public Builder dropout(double p) {
            Functional.checkDropoutP("Mlp.dropout", p);
            this.dropout = p;
            return this;
        }

        /** A new network: Linear, activation[, Dropout], ..., Linear[, output activation]. */
        public Sequential build() {
            Sequential s = new Sequential();
            DType dtype = this.dtype != null ? this.dtype : DType.defaultFloat();
            for (int i = 0; i + 1 < sizes.length; i++) {
                s.add(new Linear(sizes[i], sizes[i + 1], bias, dtype, gen));
                if (i + 2 < sizes.length) {
                    s.add(make("activation", activation));
                    if (dropout > 0) s.add(new Dropout(dropout, gen));
                }
            }
            if (output != null) s.add(make("outputActivation", output));
            return s;
        }

        private static UnaryModule make(String what, Supplier<? extends UnaryModule> f) {
            UnaryModule m = f.get();
            if (m == null) throw new IllegalArgumentException("Mlp.build: the " + what + " supplier returned null");
            return m;
        }
    }
}
