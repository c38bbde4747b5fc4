package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base of the optimisers (torch.optim.Optimizer): parameter groups, each with its own learning rate (which
 * the {@link LRScheduler}s change), {@link #zeroGrad()}, and a {@link #step()} that applies the update rule to
 * every parameter that has a gradient. Each update is one fused pass over the parameter's raw storage under
 * {@code noGrad}, after which the parameter's version is bumped (so a graph that saved the old values refuses
 * to backward through them).
 */
public abstract class Optimizer {
    /** A set of parameters sharing a learning rate. */
    public static final class ParamGroup {
        private final List<Tensor> params;
        private final double initialLr;
        private double lr;

        ParamGroup(List<Tensor> params, double lr) {
            this.params = List.copyOf(params);
            this.initialLr = lr;
            this.lr = lr;
        }

        /** The group's parameters, in the order given. */
        public List<Tensor> params() { return params; }

        /** The current learning rate. */
        public double lr() { return lr; }

        /** The learning rate the group was created with (the schedules' base). */
        public double initialLr() { return initialLr; }

        /** Sets the learning rate (>= 0). */
        public void setLr(double lr) {
            checkLr("ParamGroup.setLr", lr);
            this.lr = lr;
        }
    }

    private final String name;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Set<Tensor> all = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * An optimiser over one group.
     * @param name the optimiser's name, used in error messages
     */
    protected Optimizer(String name, Iterable<Tensor> params, double lr) {
        this.name = name;
        addGroup(name, params, lr);
    }

    static void checkLr(String op, double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr)) throw new IllegalArgumentException(op + ": lr must be >= 0, got " + lr);
    }

    /** The name used in messages ("Adam", "SGD", ...). */
    protected final String name() { return name; }

    /** Adds a group of parameters with its own learning rate; a parameter may belong to one group only. */
    public final void addParamGroup(Iterable<Tensor> params, double lr) { addGroup(name + ".addParamGroup", params, lr); }

    private void addGroup(String op, Iterable<Tensor> params, double lr) {
        checkLr(op, lr);
        if (params == null) throw new IllegalArgumentException(op + ": params must not be null");
        List<Tensor> list = new ArrayList<>();
        Set<Tensor> mine = Collections.newSetFromMap(new IdentityHashMap<>());
        int i = 0;
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException(op + ": parameter " + i + " is null");
            if (!p.dtype().isFloating()) throw new IllegalArgumentException(op + ": parameter " + i + " must be F32 or F64, got " + p.dtype());
            if (!p.isLeaf()) throw new IllegalArgumentException(op + ": parameter " + i + " is not a leaf (it was computed by "
                    + p.gradFn() + "); optimise the leaf it came from");
            if (!p.requiresGrad()) throw new IllegalArgumentException(op + ": parameter " + i + " (shape " + Shapes.str(p.shape())
                    + ") does not require grad; call requiresGrad(true) on it");
            NDArray d = p.data();
            if (!d.isContiguous() || d.offset() != 0) throw new IllegalArgumentException(op + ": parameter " + i + " (shape "
                    + Shapes.str(p.shape()) + ") is a view; optimisers update raw storage and need a contiguous array at offset 0 "
                    + "(make the parameter from a copy)");
            if (!mine.add(p)) throw new IllegalArgumentException(op + ": parameter " + i + " appears twice in the list");
            if (all.contains(p)) throw new IllegalArgumentException(op + ": parameter " + i + " is already in another parameter group");
            list.add(p);
            i++;
        }
        if (list.isEmpty()) throw new IllegalArgumentException(op + ": got an empty parameter list");
        all.addAll(list);
        groups.add(new ParamGroup(list, lr));
    }

    /** The parameter groups, in the order they were added. */
    public final List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    /** The first group's learning rate. */
    public final double lr() { return groups.getFirst().lr(); }

    /** Sets the learning rate of every group. */
    public final void setLr(double lr) {
        checkLr(name + ".setLr", lr);
        for (ParamGroup g : groups) g.setLr(lr);
    }

    /** Clears the gradient of every parameter (PyTorch's zero_grad with set_to_none). */
    public final void zeroGrad() {
        for (ParamGroup g : groups) for (Tensor p : g.params) p.zeroGrad();
    }

    /** Updates every parameter that has a gradient (those without one are skipped, as in PyTorch). */
    public final void step() {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params) {
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    NDArray gd = grad.data();
                    // gradients may be views (a transpose, a broadcast of a scalar): give the kernel plain storage
                    if (!gd.isContiguous() || gd.offset() != 0) gd = gd.copy();
                    if (gd.dtype() != p.dtype()) gd = gd.to(p.dtype());
                    update(p, p.data(), gd, g.lr());
                    p.bumpVersion();
                }
            }
        }
    }

    /**
     * Applies the update rule to one parameter, in place, in one pass over the raw arrays.
     * @param p     the parameter tensor (the key for per-parameter state)
     * @param param its values: contiguous, offset 0, F32 or F64
     * @param grad  its gradient: same dtype and size, contiguous, offset 0
     * @param lr    the learning rate of the parameter's group
     */
    protected abstract void update(Tensor p, NDArray param, NDArray grad, double lr);
}
