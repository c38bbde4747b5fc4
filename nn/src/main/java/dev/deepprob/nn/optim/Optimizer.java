package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The base of the optimisers (torch.optim.Optimizer): parameter groups, each with its own learning rate (which
 * the {@link LRScheduler}s change), {@link #zeroGrad()}, and a {@link #step()} that applies the update rule to
 * every parameter that has a gradient. Each update is one fused pass over the parameter's raw storage under
 * {@code noGrad}, after which the parameter's version is bumped (so a graph that saved the old values refuses
 * to backward through them).
 */
public abstract class Optimizer {
    /**
     * A set of parameters sharing a learning rate (torch's param_groups), so that parts of a model can train at
     * different rates; the {@link LRScheduler}s change each group's rate from its initial one.
     */
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
            if (!p.requiresGrad()) throw new IllegalArgumentException(op + ": parameter " + i + " (shape " + Shapes.str(p.dims())
                    + ") does not require grad; call requiresGrad(true) on it");
            NDArray d = p.data();
            if (!d.isContiguous() || d.offset() != 0) throw new IllegalArgumentException(op + ": parameter " + i + " (shape "
                    + Shapes.str(p.dims()) + ") is a view; optimisers update raw storage and need a contiguous array at offset 0 "
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

    // ------------------------------------------------------------------ state (torch's state_dict, flattened)

    /**
     * The optimiser's state as named arrays, so that training can be saved and resumed (see
     * {@code Checkpoint.saveTraining}): each group's learning rate as {@code param_groups.G.lr} (an F64 scalar) and,
     * for each parameter that has state, by its index I counting through the groups in order, its buffers under
     * torch's names ({@code state.I.exp_avg}, {@code state.I.exp_avg_sq}, {@code state.I.momentum_buffer}, ...;
     * dtype and shape of the parameter) and, where the rule counts steps, {@code state.I.step} (an I64 scalar).
     * The arrays are copies.
     */
    public final Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        int i = 0;
        for (int g = 0; g < groups.size(); g++) {
            out.put("param_groups." + g + ".lr", NDArray.scalar(DType.F64, groups.get(g).lr()));
            for (Tensor p : groups.get(g).params) {
                Map<String, NDArray> st = parameterState(p);
                for (var e : st.entrySet()) out.put("state." + i + "." + e.getKey(), e.getValue().copy());
                i++;
            }
        }
        return out;
    }

    /**
     * Replaces the optimiser's state by one from {@link #stateDict()} of an optimiser of the same kind and settings over
     * parameters of the same shapes and dtypes: every learning rate, and each parameter's buffers (a parameter absent
     * from the map starts afresh). Strict and atomic: an unknown or missing name, a wrong dtype or shape, a negative
     * step or learning rate is rejected, naming it, and the optimiser is then unchanged.
     */
    public final void loadStateDict(Map<String, NDArray> state) {
        String op = name + ".loadStateDict";
        if (state == null) throw new IllegalArgumentException(op + ": state must not be null");
        List<Tensor> params = new ArrayList<>();
        for (ParamGroup g : groups) params.addAll(g.params);
        Set<String> names = stateNames();
        double[] lrs = new double[groups.size()];
        Arrays.fill(lrs, Double.NaN);
        Map<Integer, Map<String, NDArray>> per = new HashMap<>();
        for (var e : state.entrySet()) {
            String key = e.getKey();
            NDArray v = e.getValue();
            if (key == null || v == null) throw new IllegalArgumentException(op + ": null name or array in the state");
            String[] parts = key.split("\\.", 3);
            if (parts.length == 3 && parts[0].equals("param_groups") && parts[2].equals("lr")) {
                int g = index(op, key, parts[1], groups.size(), "parameter groups");
                if (v.dtype() != DType.F64 || v.rank() != 0) throw new IllegalArgumentException(op + ": " + key
                        + " must be an F64 scalar, got " + v.dtype() + " " + Shapes.str(v.dims()));
                checkLr(op + ": " + key, v.item());
                lrs[g] = v.item();
            } else if (parts.length == 3 && parts[0].equals("state")) {
                int i = index(op, key, parts[1], params.size(), "parameters");
                Tensor p = params.get(i);
                if (!names.contains(parts[2])) throw new IllegalArgumentException(op + ": " + key + " is not a state of " + name
                        + " with these settings (expected " + new TreeSet<>(names) + ")");
                if (parts[2].equals("step")) {
                    if (v.dtype() != DType.I64 || v.rank() != 0 || v.toLongArray()[0] < 0) throw new IllegalArgumentException(op + ": " + key
                            + " must be a non-negative I64 scalar, got " + v.dtype() + " " + Shapes.str(v.dims()));
                } else if (v.dtype() != p.dtype() || !Arrays.equals(v.dims(), p.dims())) {
                    throw new IllegalArgumentException(op + ": " + key + " is " + v.dtype() + " " + Shapes.str(v.dims())
                            + ", but parameter " + i + " is " + p.dtype() + " " + Shapes.str(p.dims()));
                }
                per.computeIfAbsent(i, k -> new HashMap<>()).put(parts[2], v);
            } else {
                throw new IllegalArgumentException(op + ": unknown name " + key + " (expected param_groups.G.lr or state.I.NAME)");
            }
        }
        for (int g = 0; g < lrs.length; g++) {
            if (Double.isNaN(lrs[g])) throw new IllegalArgumentException(op + ": missing param_groups." + g + ".lr");
        }
        for (var e : per.entrySet()) {
            if (!e.getValue().keySet().equals(names)) {
                Set<String> missing = new TreeSet<>(names);
                missing.removeAll(e.getValue().keySet());
                throw new IllegalArgumentException(op + ": the state of parameter " + e.getKey() + " lacks " + missing);
            }
        }
        // valid: apply (copies, so the caller's arrays stay theirs)
        for (int g = 0; g < lrs.length; g++) groups.get(g).lr = lrs[g];
        for (int i = 0; i < params.size(); i++) {
            Map<String, NDArray> st = per.get(i);
            Map<String, NDArray> copy = new HashMap<>();
            var dev = params.get(i).data().backend();
            // buffers live on their parameter's device (a checkpoint loads on the CPU); the step stays a CPU scalar
            if (st != null) for (var e : st.entrySet()) {
                NDArray v = e.getValue();
                copy.put(e.getKey(), e.getKey().equals("step") || v.backend() == dev ? v.copy() : v.to(dev));
            }
            restoreParameterState(params.get(i), copy);
        }
    }

    private static int index(String op, String key, String s, int n, String what) {
        int i;
        try {
            i = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(op + ": " + key + " has no index (expected a number below " + n + ")");
        }
        if (i < 0 || i >= n) throw new IllegalArgumentException(op + ": " + key + " is out of range: there are " + n + " " + what);
        return i;
    }

    /**
     * The names a parameter's state holds with this optimiser's settings (buffer names as in torch, and "step" where
     * the rule counts steps); empty for a stateless rule.
     */
    protected abstract Set<String> stateNames();

    /** The state kept for p, by the names of {@link #stateNames()} (the live arrays; the caller copies), or an empty map. */
    protected abstract Map<String, NDArray> parameterState(Tensor p);

    /** Replaces p's state by the given arrays (validated, owned by the optimiser); an empty map clears it. */
    protected abstract void restoreParameterState(Tensor p, Map<String, NDArray> state);

    /**
     * Applies the update rule to one parameter, in place, in one pass over the raw arrays.
     * @param p     the parameter tensor (the key for per-parameter state)
     * @param param its values: contiguous, offset 0, F32 or F64
     * @param grad  its gradient: same dtype and size, contiguous, offset 0
     * @param lr    the learning rate of the parameter's group
     */
    protected abstract void update(Tensor p, NDArray param, NDArray grad, double lr);
}
