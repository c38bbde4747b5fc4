package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A distribution's parameters declared once, with the constraint each must satisfy (torch's {@code arg_constraints}):
 * {@link #bind} checks the dtypes (one floating dtype, named in the message), broadcasts the parameters' batch parts,
 * validates each against its constraint and returns a {@link Bound}, from which the distribution is built and which
 * {@link Distribution#expand} re-expands without validating again. So a new family states its parameters in one line
 * and writes no constructor bodies, checks or expand of its own.
 *
 * @param dist       the distribution's name for messages
 * @param make       the family's constructor from bound parameters
 * @param eventRank  how many trailing dims of the vector parameters form the event (Dirichlet: 1; Categorical: 0)
 * @param cross      a check across parameters (Uniform's low &lt; high) run when validating, or null
 * @param args       the parameters in order
 */
record Args<D extends Distribution>(String dist, Function<Bound, D> make, int eventRank, Consumer<Bound> cross, List<Arg> args) {

    /**
     * One parameter: its name, how it is checked when validating, and how many trailing dims of it lie outside the batch
     * (0 for an elementwise parameter, 1 for a vector of categories or concentrations).
     */
    record Arg(String name, Check check, int trailingDims) {}

    /** A parameter check: throws naming {@code dist} and {@code name} when {@code value} is not allowed. */
    @FunctionalInterface
    interface Check {
        void check(String dist, String name, Tensor value);
    }

    /** An elementwise parameter constrained to c. */
    static Arg arg(String name, Constraint c) { return new Arg(name, (d, n, t) -> c.check(d + ": " + n, t.data()), 0); }

    /** A vector parameter (..., k), k &gt;= 1, whose elements satisfy c. */
    static Arg vector(String name, Constraint c) { return new Arg(name, (d, n, t) -> c.check(d + ": " + n, t.data()), 1); }

    /** A vector parameter with a check of its own (rows of probabilities, say). */
    static Arg vector(String name, Check check) { return new Arg(name, check, 1); }

    /** The declaration of an elementwise family (event shape []). */
    static <D extends Distribution> Args<D> of(String dist, Function<Bound, D> make, Arg... args) {
        return new Args<>(dist, make, 0, null, List.of(args));
    }

    /** This declaration with {@code n} trailing dims of the vector parameters as the event. */
    Args<D> eventRank(int n) { return new Args<>(dist, make, n, cross, args); }

    /** This declaration with a check across parameters, run after the single ones when validating. */
    Args<D> cross(Consumer<Bound> c) { return new Args<>(dist, make, eventRank, c, args); }

    /** Checks and broadcasts the parameters (in declaration order) and builds the distribution. */
    D build(boolean validate, Tensor... params) { return make.apply(bind(validate, params)); }

    /**
     * The parameters on one device: a 0-dim CPU tensor (a number such as {@code Tensor.scalar(0.1)}) joins the device of
     * the others, as in PyTorch's arithmetic; parameters of rank &gt; 0 on two devices are refused, naming both.
     */
    private Tensor[] onOneDevice(String[] names, Tensor[] params) {
        dev.deepprob.engine.Backend cpu = dev.deepprob.engine.Backends.cpu(), dev = null;
        int first = -1;
        for (int i = 0; i < params.length; i++) {
            if (params[i] != null && params[i].backend() != cpu) { dev = params[i].backend(); first = i; break; }
        }
        if (dev == null) return params;
        Tensor[] out = params.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null || out[i].backend() == dev) continue;
            if (out[i].backend() == cpu && out[i].dim() == 0) out[i] = out[i].to(dev);
            else throw new IllegalArgumentException(dist + ": parameters on different devices (" + names[first] + " on "
                    + dev.name() + ", " + names[i] + " on " + out[i].backend().name() + "); move them to one with to(Backend)");
        }
        return out;
    }

    /** The checked parameters, each expanded to batchShape + its trailing dims. */
    Bound bind(boolean validate, Tensor... params) {
        if (params.length != args.size()) throw new IllegalStateException(dist + ": " + args.size() + " parameters declared, "
                + params.length + " given");
        String[] names = args.stream().map(Arg::name).toArray(String[]::new);
        DType t = Params.dtypeOf(dist, names, params);
        params = onOneDevice(names, params);
        int[][] batchParts = new int[params.length][];
        for (int i = 0; i < params.length; i++) {
            Arg a = args.get(i);
            if (a.trailingDims() > 0) Params.requireVector(dist, a.name(), params[i]);
            int[] s = params[i].dims();
            batchParts[i] = Arrays.copyOf(s, s.length - a.trailingDims());
        }
        int[] batch = Params.broadcastShape(dist, names, batchParts);
        Tensor[] expanded = new Tensor[params.length];
        int[] tail = null;
        for (int i = 0; i < params.length; i++) {
            int[] s = params[i].dims();
            int[] own = Arrays.copyOfRange(s, s.length - args.get(i).trailingDims(), s.length);
            if (own.length > 0) tail = own;
            expanded[i] = params[i].expand(Params.concat(batch, own));
        }
        if (validate) {
            for (int i = 0; i < params.length; i++) args.get(i).check().check(dist, args.get(i).name(), params[i]);
        }
        int[] event = eventRank == 0 || tail == null ? new int[0] : Arrays.copyOfRange(tail, tail.length - eventRank, tail.length);
        Bound b = new Bound(this, expanded, batch, event, t, validate);
        if (validate && cross != null) cross.accept(b);
        return b;
    }

    /**
     * Checked parameters, each of shape batch + its trailing dims, ready for a distribution's constructor.
     * @param args     the declaration they were checked against (for alternative parameterisations: probs or logits)
     * @param params   in declaration order
     * @param batch    the broadcast batch shape
     * @param event    the event shape
     * @param dtype    the parameters' floating dtype
     * @param validate whether the distribution validates its arguments
     */
    record Bound(Args<?> args, Tensor[] params, int[] batch, int[] event, DType dtype, boolean validate) {
        /** The i-th parameter. */
        Tensor get(int i) { return params[i]; }

        /** The same parameters expanded to a larger batch shape (checked to broadcast to it), not validated again. */
        Bound expand(String name, int[] batchShape) {
            int[] b = Params.checkExpand(name, batch, batchShape);
            Tensor[] e = new Tensor[params.length];
            for (int i = 0; i < params.length; i++) {
                int[] s = params[i].dims();
                e[i] = params[i].expand(Params.concat(b, Arrays.copyOfRange(s, batch.length, s.length)));
            }
            return new Bound(args, e, b, event, dtype, validate);
        }

        /** Builds the declared family from these parameters. */
        Distribution make() { return args.make().apply(this); }
    }
}
