package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tape's engine: reverse-mode passes over the recorded graph ({@link Tensor#backward()} and {@link #grad}),
 * grad-mode and anomaly-mode scopes, and helpers for Hessian-vector products, Hessians and Jacobians.
 * With {@code createGraph} the backward pass is itself recorded, so its results can be differentiated again.
 */
public final class Autograd {
    private Autograd() {}

    private static final class State {
        boolean grad = true;
        boolean anomaly = false;
        /** The primitive whose VJP is running, for anomaly reports from inside a backward pass. */
        String inBackwardOf = null;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    /** A scope that restores the previous mode when closed; use with try-with-resources. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** True when operations are recorded (the default). Per thread. */
    public static boolean isGradEnabled() { return STATE.get().grad; }

    /** Turns recording off until the scope closes: for inference and optimiser updates. */
    public static Scope noGrad() { return setGrad(false); }

    /** Turns recording on until the scope closes (inside a noGrad block). */
    public static Scope enableGrad() { return setGrad(true); }

    private static Scope setGrad(boolean on) {
        State s = STATE.get();
        boolean prev = s.grad;
        s.grad = on;
        return () -> s.grad = prev;
    }

    /**
     * Anomaly mode until the scope closes: every forward output and every backward gradient is checked, and the
     * first operation producing NaN or infinity is named in an {@link ArithmeticException}. Slow; for debugging.
     */
    public static Scope detectAnomaly() {
        State s = STATE.get();
        boolean prev = s.anomaly;
        s.anomaly = true;
        return () -> s.anomaly = prev;
    }

    static boolean anomaly() { return STATE.get().anomaly; }

    static void checkFinite(String op, String what, NDArray x) {
        if (!x.dtype().isFloating() || x.size() == 0) return;
        NDArray bad = x.abs().lt(Double.POSITIVE_INFINITY).not();
        if (bad.to(DType.I64).sum().item() > 0) {
            boolean nan = x.ne(x).to(DType.I64).sum().item() > 0;
            String kind = nan ? "NaN" : "infinity";
            String in = STATE.get().inBackwardOf;
            if (in != null) throw new ArithmeticException("anomaly: " + in + " produced " + kind + " in its backward (at " + op
                    + ", shape " + Shapes.str(x.dims()) + ")");
            throw new ArithmeticException("anomaly: " + op + " produced " + kind + " in its " + what + " (shape " + Shapes.str(x.dims()) + ")");
        }
    }

    private static void checkBackward(String op, int input, NDArray g) {
        State st = STATE.get();
        String prev = st.inBackwardOf;
        st.inBackwardOf = op;
        try {
            checkFinite(op, "backward", g);
        } finally {
            st.inBackwardOf = prev;
        }
    }

    // ------------------------------------------------------------------ public entry points

    /** d output / d inputs for a scalar output. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph);
    }

    /**
     * Gradients of the outputs (weighted by gradOutputs, which may be null for scalar outputs) with respect to
     * the inputs, returned rather than accumulated into {@code grad}. With createGraph the results are
     * differentiable (and the graph is retained). An input the outputs do not depend on is refused, as PyTorch's
     * default: it is usually a wiring mistake (see the overload with {@code allowUnused}).
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, createGraph, createGraph, false);
    }

    /** As {@link #grad(List, List, List, boolean)}, choosing whether the graph survives for another pass. */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, boolean createGraph,
                                    boolean retainGraph) {
        return grad(outputs, inputs, gradOutputs, createGraph, retainGraph, false);
    }

    /**
     * As {@link #grad(List, List, List, boolean, boolean)}; with {@code allowUnused} an input the outputs do not
     * depend on (not reached, or reached only through non-differentiable operations) gets null instead of an error,
     * as PyTorch's {@code allow_unused=True}. Callers that want zeros there make them.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, boolean createGraph,
                                    boolean retainGraph, boolean allowUnused) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("grad: expected at least one input");
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad) throw new IllegalArgumentException("grad: input " + i + " (shape "
                    + Shapes.str(inputs.get(i).dims()) + ") does not require grad; call requiresGrad(true) on it first");
        }
        Map<Tensor, Tensor> g = run(outputs, gradOutputs, inputs, retainGraph, createGraph, "grad");
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Tensor gx = g.get(inputs.get(i));
            if (gx == null && !allowUnused) throw new IllegalArgumentException("grad: input " + i + " (shape "
                    + Shapes.str(inputs.get(i).dims()) + ") was not used to compute the outputs; pass allowUnused = true to get null for it");
            out.add(gx);
        }
        return out;
    }

    /** Backward from several outputs into the leaves' {@code grad}. */
    public static void backward(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph, boolean createGraph) {
        Map<Tensor, Tensor> g = run(outputs, gradOutputs, null, retainGraph || createGraph, createGraph, "backward");
        for (Map.Entry<Tensor, Tensor> e : g.entrySet()) {
            Tensor leaf = e.getKey();
            if (leaf.node != null || !leaf.requiresGrad) continue;
            Tensor gx = e.getValue();
            if (!createGraph) gx = gx.detach();
            if (leaf.grad == null) {
                leaf.grad = gx;
            } else {
                try (Scope s = setGrad(createGraph)) {
                    leaf.grad = leaf.grad.add(gx);
                }
            }
        }
    }

    // ------------------------------------------------------------------ the reverse pass

    private static Map<Tensor, Tensor> run(List<Tensor> outputs, List<Tensor> gradOutputs, List<Tensor> targets,
                                           boolean retain, boolean create, String op) {
        if (outputs.isEmpty()) throw new IllegalArgumentException(op + ": expected at least one output");
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) throw new IllegalArgumentException(op + ": got "
                + gradOutputs.size() + " output gradients for " + outputs.size() + " outputs");
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor y = outputs.get(i);
            if (!y.requiresGrad) throw new IllegalArgumentException(op + ": output " + i + " does not require grad and has no gradFn "
                    + "(no input of its computation requires grad, or it was computed under noGrad)");
            Tensor gy = gradOutputs == null ? null : gradOutputs.get(i);
            if (gy == null) {
                if (y.numel() != 1) throw new IllegalArgumentException(op + ": grad can be implicitly created only for scalar outputs, "
                        + "got output " + i + " of shape " + Shapes.str(y.dims()) + "; pass a gradient of that shape");
                gy = Tensor.onesLike(y);
            } else if (!Arrays.equals(gy.dims(), y.dims()) || gy.dtype() != y.dtype()) {
                throw new IllegalArgumentException(op + ": gradient " + gy.dtype() + " " + Shapes.str(gy.dims()) + " does not match output "
                        + i + " " + y.dtype() + " " + Shapes.str(y.dims()));
            }
            grads.merge(y, gy, Tensor::add);
        }
        List<Tensor> order = topologicalOrder(outputs, op);
        // which tensors lead to a target (a requested input, or any leaf requiring grad for backward)
        Map<Tensor, Boolean> needed = new IdentityHashMap<>();
        if (targets != null) for (Tensor t : targets) needed.put(t, true);
        for (Tensor t : order) {
            if (needed.containsKey(t)) continue;
            boolean n = false;
            for (Tensor in : t.node.inputs) {
                if (in.node == null) n |= targets == null ? in.requiresGrad : needed.containsKey(in);
                else n |= needed.getOrDefault(in, false);
            }
            needed.put(t, n);
        }
        boolean anomaly = anomaly();
        try (Scope s = setGrad(create)) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.get(k);
                Node node = t.node;
                Tensor g = grads.get(t);
                if (g == null || !needed.get(t)) continue;
                if (targets != null && isTarget(t, targets) && !anyInputNeeded(node, needed, targets)) continue;
                node.checkUnchanged(op, t);
                Tensor[] in = node.inputs;
                refuseMissingDerivatives(op, node, needed, targets);
                if (!create) in = withoutUnneeded(in, needed, targets);
                Tensor[] gi;
                if (anomaly) {
                    State st = STATE.get();
                    String prev = st.inBackwardOf;
                    st.inBackwardOf = node.prim.opName();
                    try {
                        gi = node.prim.vjp(g, in, t);
                    } finally {
                        st.inBackwardOf = prev;
                    }
                } else {
                    gi = node.prim.vjp(g, in, t);
                }
                if (create && node.prim.derivativeOrder() < 2) gi = markOnceDifferentiable(node, gi);
                for (int i = 0; i < in.length; i++) {
                    Tensor x = in[i];
                    if (gi[i] == null || !x.requiresGrad) continue;
                    if (x.node == null ? (targets == null || needed.containsKey(x)) : needed.getOrDefault(x, false)) {
                        if (anomaly) checkBackward(node.prim.opName(), i, gi[i].data);
                        // as PyTorch's engine: a gradient lives on its input's device (a CPU scalar used on a device)
                        if (gi[i].data.backend() != x.data.backend()) gi[i] = gi[i].to(x.data.backend());
                        grads.merge(x, gi[i], Tensor::add);
                    }
                }
                if (!retain) node.inputs = null;
            }
        }
        if (!retain) {
            for (Tensor t : order) if (t.node.inputs != null) t.node.inputs = null;
        }
        return grads;
    }

    /**
     * The inputs with those that lead to no target replaced by detached aliases, so VJPs that check
     * {@code requiresGrad} skip their gradients (a generator step does not pay for the discriminator's weight
     * gradients). Only without createGraph: a recorded backward must keep every dependence for later passes.
     */
    private static Tensor[] withoutUnneeded(Tensor[] in, Map<Tensor, Boolean> needed, List<Tensor> targets) {
        Tensor[] out = in;
        for (int i = 0; i < in.length; i++) {
            Tensor x = in[i];
            if (!x.requiresGrad) continue;
            boolean n = x.node == null ? (targets == null || needed.containsKey(x)) : needed.getOrDefault(x, false);
            if (!n) {
                if (out == in) out = in.clone();
                out[i] = x.detach();
            }
        }
        return out;
    }

    /**
     * Throws when the gradient must flow into an input whose derivative the primitive declares missing
     * ({@link Prim#noGradient}): the input requires grad and leads to a requested input (any leaf, for backward).
     */
    private static void refuseMissingDerivatives(String op, Node node, Map<Tensor, Boolean> needed, List<Tensor> targets) {
        Tensor[] in = node.inputs;
        for (int i = 0; i < in.length; i++) {
            Tensor x = in[i];
            String why = x.requiresGrad ? node.prim.noGradient(i) : null;
            if (why == null) continue;
            boolean n = x.node == null ? (targets == null || needed.containsKey(x)) : needed.getOrDefault(x, false);
            if (n) throw new UnsupportedOperationException(op + ": cannot differentiate " + node.prim.opName()
                    + " with respect to its input " + i + " (shape " + Shapes.str(x.dims()) + "), which requires grad: " + why
                    + "; detach that input, or leave it out of the inputs whose gradients are requested");
        }
    }

    /** An order-1 rule's gradients, each wrapped so that differentiating it again throws ({@link Prim.OnceDifferentiable}). */
    private static Tensor[] markOnceDifferentiable(Node node, Tensor[] gi) {
        Tensor[] out = gi.clone();
        for (int i = 0; i < gi.length; i++) {
            if (gi[i] == null) continue;
            Tensor[] args = new Tensor[node.inputs.length + 1];
            args[0] = gi[i];
            System.arraycopy(node.inputs, 0, args, 1, node.inputs.length);
            out[i] = Tensor.apply(new Prim.OnceDifferentiable(node.prim.opName()), args);
        }
        return out;
    }

    private static boolean isTarget(Tensor t, List<Tensor> targets) {
        for (Tensor x : targets) if (x == t) return true;
        return false;
    }

    private static boolean anyInputNeeded(Node node, Map<Tensor, Boolean> needed, List<Tensor> targets) {
        for (Tensor in : node.inputs) if (needed.getOrDefault(in, false)) return true;
        return false;
    }

    /** Non-leaf tensors reachable from the outputs, each after all of its inputs (iterative post-order DFS). */
    private static List<Tensor> topologicalOrder(List<Tensor> outputs, String op) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Tensor y : outputs) {
            if (y.node == null || visited.containsKey(y)) continue;
            visited.put(y, true);
            stack.push(new Object[]{y, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Tensor t = (Tensor) top[0];
                Node n = t.node;
                if (n.freed()) throw new IllegalStateException(op + ": trying to backward through the graph a second time (the saved "
                        + "values of " + n.prim.opName() + " were freed by the first backward); pass retainGraph=true to the first "
                        + "backward if you need to");
                int i = (Integer) top[1];
                if (i < n.inputs.length) {
                    top[1] = i + 1;
                    Tensor in = n.inputs[i];
                    if (in.node != null && in.requiresGrad && !visited.containsKey(in)) {
                        visited.put(in, true);
                        stack.push(new Object[]{in, 0});
                    }
                } else {
                    stack.pop();
                    order.add(t);
                }
            }
        }
        return order;
    }

    // ------------------------------------------------------------------ second-order helpers

    /** Hessian-vector product H v of the scalar f at x, by differentiating (∇f · v). */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        if (!Arrays.equals(v.dims(), x.dims())) throw new IllegalArgumentException("hvp: vector shape " + Shapes.str(v.dims())
                + " must match input shape " + Shapes.str(x.dims()));
        Tensor xr = Tensor.of(x.data).requiresGrad(true);
        Tensor y = scalarOutput("hvp", f.apply(xr));
        Tensor g = grad(List.of(y), List.of(xr), null, true, true, true).getFirst();
        // a gradient that does not depend on x (f linear in x, or f ignoring x) has a zero derivative
        if (g == null || !g.requiresGrad) return Tensor.zerosLike(x);
        Tensor hv = grad(List.of(g.mul(v.detach()).sum()), List.of(xr), null, false, false, true).getFirst();
        return hv != null ? hv : Tensor.zerosLike(x);
    }

    /** Full Hessian of the scalar f at x, shape x.shape + x.shape (one backward pass per element of x). */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x) {
        Tensor xr = Tensor.of(x.data).requiresGrad(true);
        Tensor y = scalarOutput("hessian", f.apply(xr));
        Tensor g0 = grad(List.of(y), List.of(xr), null, true, true, true).getFirst();
        Tensor g = (g0 != null ? g0 : Tensor.zerosLike(x)).flatten();
        int n = x.numel();
        List<Tensor> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Tensor gi = g.select(0, i);
            rows.add(rowOrZeros(gi, xr, n));
        }
        int[] s = Arrays.copyOf(x.dims(), 2 * x.dim());
        System.arraycopy(x.dims(), 0, s, x.dim(), x.dim());
        return Tensor.stack(rows, 0).reshape(s);
    }

    /** Jacobian of f at x, shape f(x).shape + x.shape (one backward pass per output element). */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x) {
        Tensor xr = Tensor.of(x.data).requiresGrad(true);
        Tensor y = f.apply(xr);
        int m = y.numel(), n = x.numel();
        List<Tensor> rows = new ArrayList<>(m);
        Tensor yf = y.flatten();
        for (int j = 0; j < m; j++) rows.add(rowOrZeros(yf.select(0, j), xr, n));
        int[] s = new int[y.dim() + x.dim()];
        System.arraycopy(y.dims(), 0, s, 0, y.dim());
        System.arraycopy(x.dims(), 0, s, y.dim(), x.dim());
        return Tensor.stack(rows, 0).reshape(s);
    }

    /** d y / d x flattened, or n zeros when the scalar y does not depend on x (a zero row of a Jacobian or Hessian). */
    private static Tensor rowOrZeros(Tensor y, Tensor x, int n) {
        Tensor r = y.requiresGrad ? grad(List.of(y), List.of(x), null, false, true, true).getFirst() : null;
        return r != null ? r.detach().flatten() : Tensor.zeros(x.dtype(), n);
    }

    private static Tensor scalarOutput(String op, Tensor y) {
        if (y.numel() != 1) throw new IllegalArgumentException(op + ": f must return a scalar, got shape " + Shapes.str(y.dims()));
        if (!y.requiresGrad) throw new IllegalArgumentException(op + ": f's output does not depend on its input");
        return y;
    }
}
