package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after another (torch.nn.Sequential); the i-th is registered under the name {@code i}, so
 * parameter names read {@code 0.weight}, {@code 2.bias} as in PyTorch.
 */
public final class Sequential extends UnaryModule {
    private final List<UnaryModule> layers = new ArrayList<>();

    /** A chain of the given modules, in order (none is allowed: then forward is the identity). */
    public Sequential(UnaryModule... modules) {
        if (modules == null) throw new IllegalArgumentException("Sequential: modules must not be null");
        for (UnaryModule m : modules) add(m);
    }

    /** A chain of the given modules, in order. */
    public Sequential(List<? extends UnaryModule> modules) {
        if (modules == null) throw new IllegalArgumentException("Sequential: modules must not be null");
        for (UnaryModule m : modules) add(m);
    }

    /** Appends a module (registered under the next index). Returns this. */
    public Sequential add(UnaryModule m) {
        if (m == null) throw new IllegalArgumentException("Sequential.add: module " + layers.size() + " must not be null");
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    /** The i-th module. */
    public UnaryModule get(int i) {
        if (i < 0 || i >= layers.size()) throw new IndexOutOfBoundsException("Sequential.get: index " + i + " out of range for "
                + layers.size() + " modules");
        return layers.get(i);
    }

    /** The number of modules. */
    public int size() { return layers.size(); }

    /** @param x the first module's input; the result is the last module's output */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (UnaryModule m : layers) y = m.apply(y);     // apply, so that summary sees each output
        return y;
    }
}
