package dev.deepprob.nn;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The base of every layer and model, as torch.nn.Module: it owns named parameters, buffers and submodules,
 * registered in order, and gives them dotted names ({@code 0.weight}, {@code encoder.fc1.bias}). It carries the
 * training flag, and saves and restores its state as an ordered map of arrays. Single-input modules extend
 * {@link UnaryModule} and so offer {@code forward(Tensor)}; a module with several inputs or outputs extends this
 * class directly and offers its own forward signature.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** A module with no parameters, buffers or submodules yet, in training mode. */
    protected Module() {}

    /** What {@link #loadStateDict} did not match: names the model has and the map lacks, and the other way round. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        /** Copies both lists. */
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    // ------------------------------------------------------------------ registration

    private void checkFree(String op, String name) {
        Parameter.checkName(getClass().getSimpleName() + "." + op, name);
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + "." + op + ": name '" + name + "' is already registered");
    }

    /**
     * Creates a parameter holding a copy of {@code initial} and registers it under {@code name}.
     * @return the new parameter, to keep in a field
     */
    protected final Parameter registerParameter(String name, NDArray initial) {
        checkFree("registerParameter", name);
        Parameter p = new Parameter(name, initial);
        params.put(name, p);
        return p;
    }

    /** Registers an existing parameter under its own name; registering one parameter in two modules ties them. */
    protected final Parameter registerParameter(Parameter p) {
        if (p == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".registerParameter: parameter must not be null");
        checkFree("registerParameter", p.name());
        params.put(p.name(), p);
        return p;
    }

    /**
     * Registers a non-trainable array (a copy of {@code value}) that is saved in the state dict. {@link #to(DType)}
     * replaces a floating buffer's tensor: a module that may be converted reads it with {@link #buffer(String)}.
     * @return the buffer as a tensor that does not require grad
     */
    protected final Tensor registerBuffer(String name, NDArray value) {
        checkFree("registerBuffer", name);
        if (value == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".registerBuffer: value of '" + name
                + "' must not be null");
        Tensor t = Tensor.of(value.copy());
        buffers.put(name, t);
        return t;
    }

    /**
     * This module's own buffer registered under {@code name}, as it is now (after any {@link #to(DType)}), or the value
     * substituted for it by a {@link #functionalCall} on this thread.
     */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".buffer: no buffer named '" + name
                + "' (registered: " + buffers.keySet() + ")");
        Tensor s = substituted(t);
        return s != null ? s : t;
    }

    /** Registers a submodule under {@code name}; its parameters are then named {@code name.<theirs>}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkFree("registerModule", name);
        if (module == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".registerModule: module '" + name
                + "' must not be null");
        if (module == this || ((Module) module).contains(this)) throw new IllegalArgumentException(getClass().getSimpleName()
                + ".registerModule: registering '" + name + "' would make a cycle (it contains this module)");
        children.put(name, module);
        return module;
    }

    private boolean contains(Module m) {
        for (Module c : children.values()) if (c == m || c.contains(m)) return true;
        return false;
    }

    // ------------------------------------------------------------------ traversal

    /** All parameters' tensors, each once (tied parameters are not repeated), in registration order: pass them to an optimiser. */
    public final List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : namedParameters().values()) out.add(p.ownTensor());
        return out;
    }

    /**
     * The parameters of several modules (a model and its guide, a generator and a discriminator) in one list for one
     * optimiser: each tensor once, by identity (a parameter shared between them is not repeated), in the given order.
     */
    public static List<Tensor> parameters(Module... modules) {
        if (modules == null) throw new IllegalArgumentException("Module.parameters: modules must not be null");
        List<Tensor> out = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < modules.length; i++) {
            if (modules[i] == null) throw new IllegalArgumentException("Module.parameters: module " + i + " of " + modules.length + " is null");
            for (Tensor t : modules[i].parameters()) if (seen.add(t)) out.add(t);
        }
        return out;
    }

    /** All parameters by dotted name, each once (a tied parameter keeps its first name), in registration order. */
    public final Map<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collectParameters("", out, seen);
        return Collections.unmodifiableMap(out);
    }

    private void collectParameters(String prefix, Map<String, Parameter> out, Set<Parameter> seen) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectParameters(prefix + e.getKey() + ".", out, seen);
    }

    /** All buffers by dotted name, in registration order. */
    public final Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out, false, true);
        return Collections.unmodifiableMap(out);
    }

    /** The direct submodules by name, in registration order. */
    public final Map<String, Module> namedChildren() { return Collections.unmodifiableMap(new LinkedHashMap<>(children)); }

    /** The direct submodules in registration order. */
    public final List<Module> children() { return List.copyOf(children.values()); }

    /** The number of trainable scalars (tied parameters counted once). */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) n += p.numel();
        return n;
    }

    /** Clears the gradient of every parameter (PyTorch's zero_grad with set_to_none). */
    public final void zeroGrad() {
        for (Tensor t : parameters()) t.zeroGrad();
    }

    // ------------------------------------------------------------------ mode

    /** Sets training mode on this module and every submodule (dropout active). Returns this. */
    public Module train() { return train(true); }

    /** Sets training ({@code true}) or evaluation mode on this module and every submodule. Returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    /** Sets evaluation mode (dropout is the identity). Returns this. */
    public Module eval() { return train(false); }

    /** True in training mode (the default). */
    public final boolean isTraining() { return training; }

    // ------------------------------------------------------------------ dtype

    /**
     * Converts every parameter and floating buffer to {@code dtype} (F32 or F64) in place, as torch's
     * {@code module.to(dtype)}: each {@link Parameter} keeps its identity and takes a new tensor (a gradient is
     * converted too), so layers and state dicts see the new dtype. An optimiser keeps the tensors it was given:
     * build it after {@code to}, or rebuild it. Integer and boolean buffers are left as they are. Returns this.
     */
    public Module to(DType dtype) {
        if (dtype == null || !dtype.isFloating()) throw new IllegalArgumentException(getClass().getSimpleName()
                + ".to: dtype must be F32 or F64, got " + dtype);
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (Parameter p : namedParameters().values()) p.convert(dtype);
            convertBuffers(dtype);
        }
        return this;
    }

    /**
     * Moves every parameter and buffer to another device in place, as torch's {@code module.to(device)}: each
     * {@link Parameter} keeps its identity and takes a tensor on {@code target} (its gradient too). Build the optimiser
     * after {@code to}, as with {@link #to(DType)}. Returns this.
     */
    public Module to(dev.deepprob.engine.Backend target) {
        if (target == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".to: backend must not be null");
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (Parameter p : namedParameters().values()) p.moveTo(target);
            moveBuffers(target);
        }
        return this;
    }

    private void moveBuffers(dev.deepprob.engine.Backend target) {
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) e.setValue(Tensor.of(e.getValue().data().to(target)));
        for (Module c : children.values()) c.moveBuffers(target);
    }

    private void convertBuffers(DType dtype) {
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype().isFloating() && t.dtype() != dtype) e.setValue(Tensor.of(t.data().to(dtype)));
        }
        for (Module c : children.values()) c.convertBuffers(dtype);
    }

    // ------------------------------------------------------------------ state

    /** Parameters then buffers of this module, then each child's, by dotted name; with all names (tied ones repeated). */
    private void collectState(String prefix, Map<String, Tensor> out, boolean withParams, boolean withBuffers) {
        if (withParams) for (Map.Entry<String, Parameter> e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue().ownTensor());
        if (withBuffers) for (Map.Entry<String, Tensor> e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectState(prefix + e.getKey() + ".", out, withParams, withBuffers);
    }

    private LinkedHashMap<String, Tensor> stateTensors() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out, true, true);
        return out;
    }

    /**
     * A copy of every parameter and buffer by dotted name, in PyTorch's state_dict order (a module's own
     * parameters, then its buffers, then each submodule's). Later training does not change the copies.
     */
    public final LinkedHashMap<String, NDArray> stateDict() {
        LinkedHashMap<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : stateTensors().entrySet()) out.put(e.getKey(), e.getValue().data().copy());
        return out;
    }

    /**
     * Copies the arrays of {@code state} into the parameters and buffers of the same names. Everything is checked
     * first: names (in strict mode, no missing and no unexpected names), shapes and dtypes; on any mismatch an
     * {@link IllegalArgumentException} lists every problem and nothing is changed.
     * @return the names left unmatched (both lists are empty in strict mode)
     */
    public final LoadResult loadStateDict(Map<String, NDArray> state, boolean strict) {
        if (state == null) throw new IllegalArgumentException("loadStateDict: state must not be null");
        LinkedHashMap<String, Tensor> targets = stateTensors();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), problems = new ArrayList<>();
        for (String name : targets.keySet()) if (!state.containsKey(name)) missing.add(name);
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            Tensor t = targets.get(e.getKey());
            if (t == null) {
                unexpected.add(e.getKey());
                continue;
            }
            NDArray src = e.getValue();
            if (src == null) {
                problems.add("value for '" + e.getKey() + "' is null");
            } else if (!java.util.Arrays.equals(src.dims(), t.dims())) {
                problems.add("shape mismatch for '" + e.getKey() + "': state has " + Shapes.str(src.dims()) + ", model has "
                        + Shapes.str(t.dims()));
            } else if (src.dtype() != t.dtype()) {
                problems.add("dtype mismatch for '" + e.getKey() + "': state has " + src.dtype() + ", model has " + t.dtype());
            }
        }
        if (strict) {
            if (!missing.isEmpty()) problems.addFirst("missing keys " + missing);
            if (!unexpected.isEmpty()) problems.add(missing.isEmpty() ? 0 : 1, "unexpected keys " + unexpected);
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("loadStateDict: " + String.join("; ", problems)
                + " (nothing was loaded)");
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (Map.Entry<String, NDArray> e : state.entrySet()) {
                Tensor t = targets.get(e.getKey());
                if (t == null) continue;
                t.data().copyFromInPlace(e.getValue());
                t.bumpVersion();
            }
        }
        return new LoadResult(missing, unexpected);
    }

    /** {@link #loadStateDict(Map, boolean)} in strict mode. */
    public final LoadResult loadStateDict(Map<String, NDArray> state) { return loadStateDict(state, true); }

    // ------------------------------------------------------------------ functional call

    /** The values substituted by {@link #functionalCall} on this thread: by Parameter, or by a buffer's own tensor. */
    private static final ThreadLocal<IdentityHashMap<Object, Tensor>> SUBSTITUTED = new ThreadLocal<>();

    /** The tensor substituted for {@code key} (a Parameter, or a buffer's tensor) on this thread, or null. */
    static Tensor substituted(Object key) {
        IdentityHashMap<Object, Tensor> m = SUBSTITUTED.get();
        return m == null ? null : m.get(key);
    }

    /**
     * Runs {@code body} (usually this module's forward) with some parameters and buffers replaced by the given
     * tensors, as torch.func.functional_call: the result is differentiable in those tensors, which may be any
     * tensors of the right shape and dtype (the results of an optimiser's unrolled update, a sample of weights). Names
     * are those of {@link #namedParameters()} and {@link #namedBuffers()} (a tied parameter also answers to its other
     * names); names not given keep the module's own values. The substitution is scoped to the calling thread and to
     * the call: the module is never modified, so other threads using it meanwhile see its own values, and nothing is
     * left behind when {@code body} throws. Nested calls see the union, the inner values winning. Layers see the
     * substitutes through {@link Parameter#tensor()} and {@link #buffer(String)}, read at forward time (a tensor
     * copied into a field at construction would not be replaced).
     * @throws IllegalArgumentException for an unknown name, a null value, or a shape or dtype that differs from the
     *         module's, before anything runs
     */
    public final <R> R functionalCall(Map<String, Tensor> values, java.util.function.Supplier<R> body) {
        String op = getClass().getSimpleName() + ".functionalCall";
        if (values == null || body == null) throw new IllegalArgumentException(op + ": values and body must not be null");
        LinkedHashMap<String, Object> keys = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> current = new LinkedHashMap<>();
        collectKeys("", keys, current);
        IdentityHashMap<Object, Tensor> outer = SUBSTITUTED.get();
        IdentityHashMap<Object, Tensor> mine = outer == null ? new IdentityHashMap<>() : new IdentityHashMap<>(outer);
        IdentityHashMap<Object, String> given = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            String name = e.getKey();
            Object key = name == null ? null : keys.get(name);
            if (key == null) throw new IllegalArgumentException(op + ": no parameter or buffer named '" + name + "' (the module has "
                    + keys.keySet() + ")");
            Tensor v = e.getValue(), own = current.get(name);
            if (v == null) throw new IllegalArgumentException(op + ": the value for '" + name + "' is null");
            if (!java.util.Arrays.equals(v.dims(), own.dims()) || v.dtype() != own.dtype()) throw new IllegalArgumentException(op
                    + ": the value for '" + name + "' is " + v.dtype() + " " + Shapes.str(v.dims()) + ", expected " + own.dtype() + " "
                    + Shapes.str(own.dims()) + " as the module's");
            String other = given.put(key, name);
            if (other != null && mine.get(key) != v) throw new IllegalArgumentException(op + ": '" + other + "' and '" + name
                    + "' are one tied parameter but were given different values");
            mine.put(key, v);
        }
        SUBSTITUTED.set(mine);
        try {
            return body.get();
        } finally {
            if (outer == null) SUBSTITUTED.remove();
            else SUBSTITUTED.set(outer);
        }
    }

    /** Every parameter (tied ones under each of their names) and buffer by dotted name: its key and its own tensor. */
    private void collectKeys(String prefix, Map<String, Object> keys, Map<String, Tensor> own) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            keys.put(prefix + e.getKey(), e.getValue());
            own.put(prefix + e.getKey(), e.getValue().ownTensor());
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            keys.put(prefix + e.getKey(), e.getValue());
            own.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectKeys(prefix + e.getKey() + ".", keys, own);
    }

    // ------------------------------------------------------------------ summary

    /** The output of each module run during a {@link #summary(int...)} on this thread, or null outside one. */
    private static final ThreadLocal<Map<Module, int[]>> TRACE = new ThreadLocal<>();

    /** Notes y as m's output when a summary is tracing on this thread (called by {@link UnaryModule#apply}). */
    static void traced(Module m, Tensor y) {
        Map<Module, int[]> t = TRACE.get();
        if (t != null) t.put(m, y.dims());
    }

    /**
     * A table of every module (indented by depth) with its type, the shapes of its own parameters and their count,
     * and the total, as torchinfo's summary; a tied parameter is counted where it first appears.
     */
    public final String summary() { return summaryTable(null, null); }

    /**
     * As {@link #summary()}, with each module's output shape for an input of {@code inputShape}, found by one forward
     * pass under noGrad and in evaluation mode (training flags are restored after). Works for a {@link UnaryModule};
     * submodules called through {@code apply} or a {@link Sequential} are traced, others show {@code --}.
     */
    public final String summary(int... inputShape) {
        if (!(this instanceof UnaryModule u)) throw new IllegalArgumentException(getClass().getSimpleName() + ".summary: output shapes need a "
                + "UnaryModule (one tensor in); call summary() without an input shape");
        if (inputShape == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".summary: input shape must not be null");
        Shapes.checkShape(getClass().getSimpleName() + ".summary", inputShape);
        DType dtype = parameters().isEmpty() ? DType.F32 : parameters().getFirst().dtype();
        Tensor x = Tensor.rand(new Generator(0), dtype, inputShape);
        Map<Module, Boolean> modes = new IdentityHashMap<>();
        collectModes(modes);
        Map<Module, int[]> outputs = new IdentityHashMap<>();
        Map<Module, int[]> outer = TRACE.get();
        TRACE.set(outputs);
        try (Autograd.Scope _ = Autograd.noGrad()) {
            eval();
            u.apply(x);
        } finally {
            TRACE.set(outer);
            for (Map.Entry<Module, Boolean> e : modes.entrySet()) e.getKey().training = e.getValue();
        }
        return summaryTable(Shapes.str(inputShape), outputs);
    }

    private void collectModes(Map<Module, Boolean> out) {
        out.put(this, training);
        for (Module c : children.values()) c.collectModes(out);
    }

    private static String typeName(Module m) {
        String n = m.getClass().getSimpleName();
        return n.isEmpty() ? m.getClass().getName() : n;
    }

    private record Row(String layer, String output, String shapes, String count) {}

    private String summaryTable(String input, Map<Module, int[]> outputs) {
        List<Row> rows = new ArrayList<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long[] total = {0};
        summaryRows(typeName(this), 0, outputs, seen, rows, total);
        String[] head = {"Layer (type)", "Output shape", "Param shapes", "Param #"};
        int[] w = new int[4];
        for (int i = 0; i < 4; i++) w[i] = head[i].length();
        for (Row r : rows) {
            w[0] = Math.max(w[0], r.layer.length());
            w[1] = Math.max(w[1], r.output.length());
            w[2] = Math.max(w[2], r.shapes.length());
            w[3] = Math.max(w[3], r.count.length());
        }
        boolean withOut = outputs != null;
        int width = w[0] + (withOut ? w[1] + 2 : 0) + w[2] + 2 + w[3] + 2;
        StringBuilder sb = new StringBuilder();
        if (input != null) sb.append("Input shape: ").append(input).append('\n');
        String rule = "=".repeat(width) + "\n";
        sb.append(rule);
        line(sb, w, withOut, head[0], head[1], head[2], head[3]);
        sb.append(rule);
        for (Row r : rows) line(sb, w, withOut, r.layer, r.output, r.shapes, r.count);
        sb.append(rule);
        sb.append("Total params: ").append(String.format(Locale.ROOT, "%,d", total[0])).append('\n');
        return sb.toString();
    }

    private static void line(StringBuilder sb, int[] w, boolean withOut, String layer, String out, String shapes, String count) {
        String l = pad(layer, w[0]) + (withOut ? pad(out, w[1]) : "") + pad(shapes, w[2]) + " ".repeat(w[3] - count.length()) + count;
        sb.append(l.stripTrailing()).append('\n');
    }

    private static String pad(String s, int width) { return s + " ".repeat(width - s.length() + 2); }

    private void summaryRows(String label, int depth, Map<Module, int[]> outputs, Set<Parameter> seen, List<Row> rows, long[] total) {
        List<String> shapes = new ArrayList<>();
        long n = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            if (!seen.add(p)) {
                shapes.add(e.getKey() + " (tied)");
                continue;
            }
            shapes.add(e.getKey() + " " + Shapes.str(p.dims()));
            n += p.numel();
        }
        total[0] += n;
        int[] out = outputs == null ? null : outputs.get(this);
        rows.add(new Row("  ".repeat(depth) + label, out == null ? "--" : Shapes.str(out), shapes.isEmpty() ? "--" : String.join(", ", shapes),
                params.isEmpty() ? "--" : String.format(Locale.ROOT, "%,d", n)));
        for (Map.Entry<String, Module> e : children.entrySet()) {
            Module c = e.getValue();
            c.summaryRows(e.getKey() + " (" + typeName(c) + ")", depth + 1, outputs, seen, rows, total);
        }
    }

    // ------------------------------------------------------------------ printing

    /** The settings shown between the parentheses of {@link #toString()}, as {@code in_features=4, out_features=3}. */
    protected String extraRepr() { return ""; }

    /** A PyTorch-style tree: the class name, its settings, and each submodule on its own line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            for (Map.Entry<String, Module> e : children.entrySet()) {
                String child = e.getValue().toString().replace("\n", "\n  ");
                sb.append("  (").append(e.getKey()).append("): ").append(child).append('\n');
            }
        }
        return sb.append(')').toString();
    }
}
