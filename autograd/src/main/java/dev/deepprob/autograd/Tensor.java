package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shape;
import dev.deepprob.engine.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A differentiable n-dimensional array: an {@link NDArray} plus, when gradients are recorded, the operation that
 * produced it. The vocabulary is PyTorch's in lowerCamelCase ({@code requiresGrad}, {@code backward},
 * {@code grad}, {@code detach}, {@code matmul}, {@code sum(dims, keepDim)}, ...). Binary operations broadcast as
 * NumPy does; every operation records itself on the tape when grad mode is on and an input requires grad.
 */
public final class Tensor {
    final NDArray data;
    boolean requiresGrad;
    Tensor grad;
    Node node;

    Tensor(NDArray data, Node node) {
        this.data = data;
        this.node = node;
        this.requiresGrad = node != null;
    }

    // ------------------------------------------------------------------ creation

    /** A leaf tensor over {@code data} (shared, not copied), not requiring grad. */
    public static Tensor of(NDArray data) {
        if (data == null) throw new IllegalArgumentException("Tensor.of: data must not be null");
        return new Tensor(data, null);
    }

    /** A constant used inside VJPs and masks. */
    static Tensor constant(NDArray data) { return new Tensor(data, null); }

    /** A float32 tensor holding a copy of values in the given shape (1-D when none is given); float[] states F32. */
    public static Tensor of(float[] values, int... shape) { return of(NDArray.of(values, shape)); }

    /**
     * A tensor of the default floating dtype ({@link DType#defaultFloat()}, F32 unless set) holding values in the
     * given shape (1-D when none is given), as torch.tensor of Python floats. Use {@link #of(DType, double[], int...)}
     * to keep F64 whatever the default.
     */
    public static Tensor of(double[] values, int... shape) { return of(DType.defaultFloat(), values, shape); }

    /** A tensor of dtype {@code t} (F32 or F64) holding values in the given shape (1-D when none is given). */
    public static Tensor of(DType t, double[] values, int... shape) {
        if (t == null || !t.isFloating()) throw new IllegalArgumentException("Tensor.of: dtype must be F32 or F64, got " + t);
        NDArray a = NDArray.of(values, shape);
        return of(t == DType.F64 ? a : a.to(t));
    }

    /** A 0-dimensional tensor of the given dtype. */
    public static Tensor scalar(DType t, double value) { return of(NDArray.scalar(t, value)); }

    /** A 0-dimensional tensor of the default floating dtype ({@link DType#defaultFloat()}). */
    public static Tensor scalar(double value) { return scalar(DType.defaultFloat(), value); }

    public static Tensor zeros(DType t, int... shape) { return of(NDArray.zeros(t, shape)); }
    /** Zeros of the default floating dtype. */
    public static Tensor zeros(int... shape) { return zeros(DType.defaultFloat(), shape); }
    public static Tensor ones(DType t, int... shape) { return of(NDArray.ones(t, shape)); }
    /** Ones of the default floating dtype. */
    public static Tensor ones(int... shape) { return ones(DType.defaultFloat(), shape); }
    public static Tensor full(DType t, double v, int... shape) { return of(NDArray.full(t, v, shape)); }
    /** {@code v} everywhere, in the default floating dtype. */
    public static Tensor full(double v, int... shape) { return full(DType.defaultFloat(), v, shape); }
    public static Tensor eye(DType t, int n) { return of(NDArray.eye(t, n)); }
    /** The n×n identity in the default floating dtype. */
    public static Tensor eye(int n) { return eye(DType.defaultFloat(), n); }
    public static Tensor arange(DType t, double start, double end, double step) { return of(NDArray.arange(t, start, end, step)); }
    public static Tensor linspace(DType t, double start, double end, int steps) { return of(NDArray.linspace(t, start, end, steps)); }

    /** The lower triangle's (row, column) indices of an n×m matrix as a 2×k I64 tensor (torch.tril_indices); see {@link NDArray#trilIndices}. */
    public static Tensor trilIndices(int n, int m, int offset) { return of(NDArray.trilIndices(n, m, offset)); }

    /** {@code steps} evenly spaced numbers from start to end inclusive, in the default floating dtype. */
    public static Tensor linspace(double start, double end, int steps) { return linspace(DType.defaultFloat(), start, end, steps); }
    /** Zeros of the default float dtype and the given {@link Shape} (e.g. another tensor's {@code shape()}). */
    public static Tensor zeros(Shape shape) { return zeros(dimsOf("zeros", shape)); }
    /** Ones of the default float dtype and the given {@link Shape}. */
    public static Tensor ones(Shape shape) { return ones(dimsOf("ones", shape)); }
    /** Zeros of the given dtype and {@link Shape}. */
    public static Tensor zeros(DType t, Shape shape) { return zeros(t, dimsOf("zeros", shape)); }
    /** Ones of the given dtype and {@link Shape}. */
    public static Tensor ones(DType t, Shape shape) { return ones(t, dimsOf("ones", shape)); }
    /** Standard normal numbers of the default float dtype and the given {@link Shape}. */
    public static Tensor randn(Generator gen, Shape shape) { return randn(gen, dimsOf("randn", shape)); }

    private static int[] dimsOf(String op, Shape shape) {
        if (shape == null) throw new IllegalArgumentException(op + ": shape must not be null");
        return shape.toArray();
    }

    public static Tensor zerosLike(Tensor x) { return zeros(x.dtype(), x.dims()); }
    public static Tensor onesLike(Tensor x) { return ones(x.dtype(), x.dims()); }

    /** Standard normal numbers from {@code gen}. */
    public static Tensor randn(Generator gen, DType t, int... shape) { return of(NDArray.randn(gen, t, shape)); }
    /** Standard normal numbers from {@code gen}, in the default floating dtype. */
    public static Tensor randn(Generator gen, int... shape) { return randn(gen, DType.defaultFloat(), shape); }

    /** Standard normal numbers from {@code gen} with the dtype and shape of {@code t} (torch.randn_like). */
    public static Tensor randnLike(Generator gen, Tensor t) {
        if (t == null) throw new IllegalArgumentException("randnLike: tensor must not be null");
        if (!t.dtype().isFloating()) throw new IllegalArgumentException("randnLike: expected an F32 or F64 tensor, got " + t.dtype());
        return randn(gen, t.dtype(), t.dims());
    }

    /** Uniform numbers in [0, 1) from {@code gen}. */
    public static Tensor rand(Generator gen, DType t, int... shape) { return of(NDArray.rand(gen, t, shape)); }
    /** Uniform numbers in [0, 1) from {@code gen}, in the default floating dtype. */
    public static Tensor rand(Generator gen, int... shape) { return rand(gen, DType.defaultFloat(), shape); }

    /** Uniform numbers in [low, high) from {@code gen}. */
    public static Tensor uniform(Generator gen, DType t, double low, double high, int... shape) {
        return of(NDArray.uniform(gen, t, low, high, shape));
    }

    /** Uniform numbers in [low, high) from {@code gen}, in the default floating dtype. */
    public static Tensor uniform(Generator gen, double low, double high, int... shape) {
        return uniform(gen, DType.defaultFloat(), low, high, shape);
    }

    // ------------------------------------------------------------------ metadata

    /** The underlying array (shared: do not modify it unless you mean to change this tensor). */
    public NDArray data() { return data; }
    public DType dtype() { return data.dtype(); }
    /** The shape as a printable, comparable value ({@code [3, 4]}), as torch's {@code tensor.shape}; same as {@link #size()}. */
    public Shape shape() { return Shape.of(data.dims()); }

    /** A copy of the dims as an {@code int[]}, for arithmetic and the methods that take {@code int...}. */
    public int[] dims() { return data.dims(); }
    public int shape(int dim) { return data.shape(dim); }

    /** The shape as a printable, comparable value (torch's {@code tensor.size()}): {@code [3, 4]}; same as {@link #shape()}. */
    public Shape size() { return Shape.of(data.dims()); }

    /** The size of one dim, negative counting from the end (torch's {@code tensor.size(dim)}); same as {@link #shape(int)}. */
    public int size(int dim) { return data.shape(dim); }
    public int dim() { return data.rank(); }
    public int numel() { return data.size(); }

    /** True when gradients with respect to this tensor are recorded. */
    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as requiring grad (PyTorch's requires_grad_). Returns this. */
    public Tensor requiresGrad(boolean on) {
        if (node != null && !on) throw new IllegalStateException("requiresGrad: cannot turn off requiresGrad of a non-leaf tensor "
                + "(produced by " + node.prim.opName() + "); use detach()");
        if (on && !dtype().isFloating()) throw new IllegalArgumentException("requiresGrad: only F32 and F64 tensors can require grad, got " + dtype());
        requiresGrad = on;
        return this;
    }

    /** True for tensors not produced by a recorded operation. */
    public boolean isLeaf() { return node == null; }

    /** Accumulated gradient of a leaf after backward(), or null. */
    public Tensor grad() { return grad; }

    /** Replaces the accumulated gradient (null clears it). */
    public void setGrad(Tensor g) {
        if (g != null && (!Arrays.equals(g.dims(), dims()) || g.dtype() != dtype()))
            throw new IllegalArgumentException("setGrad: gradient " + g.dtype() + " " + Shapes.str(g.dims()) + " does not match tensor "
                    + dtype() + " " + Shapes.str(dims()));
        grad = g;
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() { grad = null; }

    /** The name of the operation that produced this tensor, or null for a leaf. */
    public String gradFn() { return node == null ? null : node.prim.opName(); }

    /**
     * A tensor sharing this one's data but cut from the graph. It shares the storage's version too: writing through
     * it makes a backward that saved this tensor refuse, rather than use the new values.
     */
    public Tensor detach() { return new Tensor(data, null); }

    /** The single value of a one-element tensor. */
    public double item() { return data.item(); }

    public double[] toDoubleArray() { return data.toDoubleArray(); }
    public float[] toFloatArray() { return data.toFloatArray(); }

    // ------------------------------------------------------------------ recording

    /** Runs a primitive's forward and records it when grad mode is on and an input requires grad. */
    static Tensor apply(Prim p, Tensor... in) {
        NDArray[] xs = new NDArray[in.length];
        boolean needs = false;
        for (int i = 0; i < in.length; i++) {
            xs[i] = in[i].data;
            needs |= in[i].requiresGrad;
        }
        NDArray y = p.forward(xs);
        if (Autograd.anomaly()) Autograd.checkFinite(p.opName(), "forward output", y);
        return new Tensor(y, needs && Autograd.isGradEnabled() ? new Node(p, in, y) : null);
    }

    /** Computes gradients of this scalar with respect to the leaves that require them, into their grad. */
    public void backward() { backward(null, false); }

    /** Backward from a non-scalar with the given output gradient (of this tensor's shape). */
    public void backward(Tensor gradient) { backward(gradient, false); }

    /** Backward; with retainGraph the graph can be used for another backward. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(List.of(this), gradient == null ? null : List.of(gradient), retainGraph, false);
    }

    // ------------------------------------------------------------------ broadcasting

    private static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException(op + ": dtype mismatch " + a.dtype() + " and " + b.dtype()
                + " (convert one with to(DType))");
    }

    /** This tensor broadcast to {@code shape}: itself when the shape already matches, else an Expand. */
    Tensor expandTo(int[] shape) {
        return Arrays.equals(shape, data.dims()) ? this : apply(new Prim.Expand(shape.clone()), this);
    }

    private Tensor binary(String op, Prim p, Tensor o) {
        sameDType(op, this, o);
        int[] a = data.dims(), b = o.data.dims();
        if (Arrays.equals(a, b)) return apply(p, this, o);
        int[] s = Shapes.broadcast(op, a, b);
        return apply(p, expandTo(s), o.expandTo(s));
    }

    private Tensor lift(double v) { return constant(NDArray.scalar(dtype(), v)); }

    // ------------------------------------------------------------------ arithmetic

    public Tensor add(Tensor o) { return binary("add", new Prim.Add(), o); }
    public Tensor add(double v) { return add(lift(v)); }
    /** a - b, composed as a + (-b) (one primitive less to differentiate). */
    public Tensor sub(Tensor o) { return add(o.neg()); }
    public Tensor sub(double v) { return add(lift(-v)); }
    public Tensor mul(Tensor o) { return binary("mul", new Prim.Mul(), o); }
    public Tensor mul(double v) { return mul(lift(v)); }
    public Tensor div(Tensor o) { return binary("div", new Prim.Div(), o); }
    public Tensor div(double v) { return mul(lift(1.0 / v)); }
    public Tensor pow(Tensor o) { return binary("pow", new Prim.Pow(), o); }
    public Tensor pow(double v) { return pow(lift(v)); }
    /** v - this. */
    public Tensor rsub(double v) { return neg().add(v); }
    public Tensor maximum(Tensor o) { return binary("maximum", new Prim.Maximum(), o); }
    public Tensor minimum(Tensor o) { return binary("minimum", new Prim.Minimum(), o); }

    public Tensor neg() { return apply(new Prim.Neg(), this); }
    public Tensor exp() { return apply(new Prim.Exp(), this); }
    public Tensor expm1() { return apply(new Prim.Expm1(), this); }
    public Tensor log() { return apply(new Prim.Log(), this); }
    public Tensor log1p() { return apply(new Prim.Log1p(), this); }
    public Tensor sqrt() { return apply(new Prim.Sqrt(), this); }
    public Tensor sin() { return apply(new Prim.Sin(), this); }
    public Tensor cos() { return apply(new Prim.Cos(), this); }
    public Tensor tanh() { return apply(new Prim.Tanh(), this); }
    public Tensor sigmoid() { return apply(new Prim.Sigmoid(), this); }
    public Tensor relu() { return apply(new Prim.Relu(), this); }
    public Tensor abs() { return apply(new Prim.Abs(), this); }
    public Tensor sign() { return apply(new Prim.Sign(), this); }
    public Tensor lgamma() { return apply(new Prim.Lgamma(), this); }
    public Tensor digamma() { return apply(new Prim.Polygamma(0), this); }
    /** ψ⁽ⁿ⁾, the n-th derivative of digamma. */
    public Tensor polygamma(int n) {
        if (n < 0) throw new IllegalArgumentException("polygamma: order must be >= 0, got " + n);
        return apply(new Prim.Polygamma(n), this);
    }
    public Tensor erf() { return apply(new Prim.Erf(), this); }
    public Tensor erfinv() { return apply(new Prim.Erfinv(), this); }

    /**
     * P(a, x) with a = this: the regularised lower incomplete gamma. Differentiable in x; a gradient with respect to a
     * (not implemented) throws when it is requested.
     */
    public Tensor gammaP(Tensor x) { return gammaP(x, null); }

    /** As {@link #gammaP(Tensor)}; {@code caller} (e.g. "Gamma.cdf with respect to concentration") is named when a gradient in a is refused. */
    public Tensor gammaP(Tensor x, String caller) { return binary("gammaP", new Prim.GammaP(caller), x); }

    /**
     * I_x(a, b), the regularised incomplete beta (the Beta(a, b) cdf) at x = this tensor, broadcasting all three.
     * Differentiable in x; a gradient with respect to a or b (not implemented) throws when it is requested.
     */
    public Tensor betaI(Tensor a, Tensor b) { return betaI(a, b, null); }

    /** As {@link #betaI(Tensor, Tensor)}; {@code caller} is named when a gradient in a or b is refused. */
    public Tensor betaI(Tensor a, Tensor b, String caller) {
        if (a == null || b == null) throw new IllegalArgumentException("betaI: arguments must not be null");
        sameDType("betaI", this, a);
        sameDType("betaI", this, b);
        int[] s = Shapes.broadcast("betaI", Shapes.broadcast("betaI", dims(), a.dims()), b.dims());
        return apply(new Prim.BetaI(caller), expandTo(s), a.expandTo(s), b.expandTo(s));
    }

    /**
     * Gamma(α, 1) samples for α = this tensor, differentiable in α by implicit reparameterisation, once: a second
     * derivative throws (see {@link Prim.StandardGamma}).
     */
    public Tensor standardGamma(Generator gen) {
        NDArray sample = data.standardGamma(gen);
        return apply(new Prim.StandardGamma(sample), this);
    }

    public Tensor square() { return mul(this); }
    public Tensor reciprocal() { return lift(1.0).expandTo(dims()).div(this); }
    public Tensor clamp(double lo, double hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: lo (" + lo + ") must be <= hi (" + hi + ")");
        return apply(new Prim.Clamp(lo, hi), this);
    }
    public Tensor clampMin(double lo) { return clamp(lo, Double.POSITIVE_INFINITY); }
    public Tensor clampMax(double hi) { return clamp(Double.NEGATIVE_INFINITY, hi); }

    /**
     * log(1 + e^x), finite for every finite x: one node computing relu(x) + log1p(e^-|x|), whose gradient σ(x) is given
     * explicitly, so it is right at 0 too (σ(0) = 1/2) and can be differentiated again.
     */
    public Tensor softplus() { return apply(new Prim.Softplus(), this); }

    /** log σ(x) = -softplus(-x): the stable form (log of sigmoid underflows to -inf for x below -88 in float32). */
    public Tensor logSigmoid() { return neg().softplus().neg(); }

    /** Softmax along dim, as exp(x - logsumexp(x)) so large logits do not overflow. */
    public Tensor softmax(int dim) { return logSoftmax(dim).exp(); }

    /** Log-softmax along dim: x - logsumexp(x). */
    public Tensor logSoftmax(int dim) { return sub(logSumExp(new int[]{dim}, true)); }

    /** PyTorch's where: cond ? a : b with broadcasting over all three. */
    public static Tensor where(NDArray cond, Tensor a, Tensor b) {
        sameDType("where", a, b);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.dims(), a.dims()), b.dims());
        NDArray c = Arrays.equals(cond.dims(), s) ? cond : cond.expand(s);
        return apply(new Prim.Where(c), a.expandTo(s), b.expandTo(s));
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return where(cond.data, a, b); }

    /** This tensor with {@code value} where mask is true. */
    public Tensor maskedFill(NDArray mask, double value) {
        if (mask.dtype() != DType.BOOL) throw new IllegalArgumentException("maskedFill: mask must be BOOL, got " + mask.dtype());
        Shapes.broadcast("maskedFill", dims(), mask.dims());
        return where(mask.expand(dims()), lift(value), this);
    }

    // comparisons give constant BOOL tensors (no gradient)
    public Tensor eq(Tensor o) { return constant(data.eq(o.data)); }
    public Tensor ne(Tensor o) { return constant(data.ne(o.data)); }
    public Tensor lt(Tensor o) { return constant(data.lt(o.data)); }
    public Tensor le(Tensor o) { return constant(data.le(o.data)); }
    public Tensor gt(Tensor o) { return constant(data.gt(o.data)); }
    public Tensor ge(Tensor o) { return constant(data.ge(o.data)); }
    public Tensor lt(double v) { return constant(data.lt(v)); }
    public Tensor gt(double v) { return constant(data.gt(v)); }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, a 0-d tensor. */
    public Tensor sum() { return apply(new Prim.Sum(new int[0], false), this); }

    /** Sum over the given dims. */
    public Tensor sum(int[] dims, boolean keepDim) {
        int[] ax = Shapes.axes("sum", dims, dim());
        return apply(new Prim.Sum(ax, keepDim), this);
    }

    public Tensor sum(int dim) { return sum(new int[]{dim}, false); }

    public Tensor mean() { return sum().div(numel()); }

    public Tensor mean(int[] dims, boolean keepDim) {
        int[] ax = Shapes.axes("mean", dims, dim());
        long n = 1;
        for (int a : ax) n *= shape(a);
        return sum(ax, keepDim).div(n);
    }

    public Tensor mean(int dim) { return mean(new int[]{dim}, false); }

    /** Variance over dims with the given correction (1 = unbiased, torch.var's default). */
    public Tensor variance(int[] dims, int correction, boolean keepDim) {
        int[] ax = Shapes.axes("variance", dims, dim());
        long n = 1;
        for (int a : ax) n *= shape(a);
        Tensor d = sub(mean(ax, true));
        return d.mul(d).sum(ax, keepDim).div(Math.max(0, n - correction));
    }

    public Tensor std(int[] dims, int correction, boolean keepDim) { return variance(dims, correction, keepDim).sqrt(); }

    /** Largest values over dims (torch.amax); ties share the gradient. */
    public Tensor max(int[] dims, boolean keepDim) { return apply(new Prim.Max(Shapes.axes("max", dims, dim()), keepDim, true), this); }
    public Tensor max() { return max(new int[0], false); }
    public Tensor min(int[] dims, boolean keepDim) { return apply(new Prim.Max(Shapes.axes("min", dims, dim()), keepDim, false), this); }
    public Tensor min() { return min(new int[0], false); }

    /** Index of the largest element along dim (I64, no gradient). */
    public Tensor argmax(int dim, boolean keepDim) { return constant(data.argmax(dim, keepDim)); }
    public Tensor argmin(int dim, boolean keepDim) { return constant(data.argmin(dim, keepDim)); }

    /** log Σ exp over dims: m + log Σ exp(x - m) with m the (detached) max, so nothing overflows. */
    public Tensor logSumExp(int[] dims, boolean keepDim) {
        int[] ax = Shapes.axes("logSumExp", dims, dim());
        NDArray m = data.max(ax, true);
        // an all -inf row would give -inf - -inf = NaN: shift by 0 there instead
        m = NDArray.where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.scalarLike(0));
        Tensor mt = constant(m);
        Tensor r = sub(mt).exp().sum(ax, true).log().add(mt);
        return keepDim ? r : r.reshape(Shapes.reducedShape(dims(), ax, false));
    }

    public Tensor logSumExp(int dim) { return logSumExp(new int[]{dim}, false); }

    public Tensor cumsum(int dim) { return apply(new Prim.Cumsum(Shapes.axis("cumsum", dim, dim())), this); }

    /** Sums this tensor down to {@code shape} (the adjoint of broadcasting to this tensor's shape). */
    public Tensor sumTo(int[] target) {
        int[] s = dims();
        if (Arrays.equals(s, target)) return this;
        Shapes.broadcast("sumTo", target, s);
        int lead = s.length - target.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (i < lead || (target[i - lead] == 1 && s[i] != 1)) axes.add(i);
        }
        Tensor r = sum(axes.stream().mapToInt(Integer::intValue).toArray(), true);
        return r.reshape(target);
    }

    // ------------------------------------------------------------------ shape

    /** {@link #reshape(int...)} to a {@link Shape} (e.g. another tensor's {@code shape()}). */
    public Tensor reshape(Shape shape) { return reshape(dimsOf("reshape", shape)); }

    public Tensor reshape(int... shape) {
        int[] s = Shapes.infer("reshape", shape, numel(), data.dims());
        return Arrays.equals(s, data.dims()) ? this : apply(new Prim.Reshape(s), this);
    }

    /** Like reshape but refuses to copy (the data must be viewable in the new shape). */
    public Tensor view(int... shape) {
        data.view(shape);
        return reshape(shape);
    }

    public Tensor flatten() { return reshape(numel()); }
    public Tensor permute(int... order) { return apply(new Prim.Permute(order.clone()), this); }
    public Tensor transpose(int d0, int d1) {
        int r = dim();
        int a = Shapes.axis("transpose", d0, r), b = Shapes.axis("transpose", d1, r);
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }
    /** Transpose of a 2-D tensor (a 1-D tensor is returned as is, as PyTorch's t()). */
    public Tensor t() {
        if (dim() > 2) throw new IllegalArgumentException("t: expected a tensor of rank <= 2, got shape " + Shapes.str(dims()) + "; use mT()");
        return dim() < 2 ? this : transpose(0, 1);
    }
    /** Transpose of the last two dims. */
    public Tensor mT() {
        if (dim() < 2) throw new IllegalArgumentException("mT: expected rank >= 2, got shape " + Shapes.str(dims()));
        return transpose(-2, -1);
    }
    /** {@link #expand(int...)} to a {@link Shape} (e.g. another tensor's {@code shape()}). */
    public Tensor expand(Shape shape) { return expand(dimsOf("expand", shape)); }

    public Tensor expand(int... shape) {
        int[] s = data.expand(shape).dims();
        return expandTo(s);
    }
    public Tensor expandAs(Tensor o) { return expand(o.dims()); }
    public Tensor unsqueeze(int dim) { return reshape(data.unsqueeze(dim).dims()); }
    public Tensor squeeze() { return reshape(data.squeeze().dims()); }
    public Tensor squeeze(int dim) { return reshape(data.squeeze(dim).dims()); }
    public Tensor slice(int dim, int start, int end, int step) {
        data.slice(dim, start, end, step);
        return apply(new Prim.Slice(Shapes.axis("slice", dim, dim()), start, end, step), this);
    }
    /** The elements start..start+length-1 along dim; a negative start counts from the end (wrapped once). */
    public Tensor narrow(int dim, int start, int length) {
        data.narrow(dim, start, length);                 // checks the caller's dim and start, and names them
        int d = Shapes.axis("narrow", dim, dim());
        int s = start < 0 ? start + shape(d) : start;
        return slice(d, s, s + length, 1);
    }
    /** x[..., index, ...] along dim; a negative index counts from the end (wrapped once). */
    public Tensor select(int dim, int index) {
        data.select(dim, index);                         // checks the caller's dim and index, and names them
        int d = Shapes.axis("select", dim, dim());
        int i = index < 0 ? index + shape(d) : index;
        return narrow(d, i, 1).squeeze(d);
    }
    /** This tensor with contiguous storage (itself when already contiguous). */
    public Tensor contiguous() { return data.isContiguous() ? this : apply(new Prim.Contiguous(), this); }

    public Tensor to(DType t) { return t == dtype() ? this : apply(new Prim.Cast(t), this); }

    public Tensor tril(int k) {
        if (dim() < 2) throw new IllegalArgumentException("tril: expected rank >= 2, got shape " + Shapes.str(dims()));
        return apply(new Prim.Triangle(k, true), this);
    }
    public Tensor triu(int k) {
        if (dim() < 2) throw new IllegalArgumentException("triu: expected rank >= 2, got shape " + Shapes.str(dims()));
        return apply(new Prim.Triangle(k, false), this);
    }
    public Tensor diagonal(int offset, int d1, int d2) {
        data.diagonal(offset, d1, d2);
        return apply(new Prim.Diagonal(offset, d1, d2), this);
    }
    /** Main diagonal of the last two dims. */
    public Tensor diagonal() { return diagonal(0, -2, -1); }
    /** The last dim placed on the diagonal of new square matrices. */
    public Tensor diagEmbed() {
        if (dim() < 1) throw new IllegalArgumentException("diagEmbed: expected rank >= 1, got a scalar");
        int n = shape(-1);
        int[] s = Arrays.copyOf(dims(), dim() + 1);
        s[s.length - 1] = n;
        return apply(new Prim.DiagonalScatter(s, 0, -2, -1), this);
    }
    /** PyTorch's diag: vector to diagonal matrix, or a matrix's diagonal. */
    public Tensor diag() {
        if (dim() == 1) return diagEmbed();
        if (dim() == 2) return diagonal(0, 0, 1);
        throw new IllegalArgumentException("diag: expected a 1-D or 2-D tensor, got shape " + Shapes.str(dims()));
    }

    public static Tensor cat(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("cat: expected at least one tensor");
        for (Tensor t : ts) sameDType("cat", ts.getFirst(), t);
        int d = Shapes.axis("cat", dim, ts.getFirst().dim());
        return apply(new Prim.Cat(d), ts.toArray(new Tensor[0]));
    }

    public static Tensor stack(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("stack: expected at least one tensor");
        int[] s0 = ts.getFirst().dims();
        for (int i = 0; i < ts.size(); i++) {
            if (!Arrays.equals(ts.get(i).dims(), s0)) throw new IllegalArgumentException("stack: tensor " + i + " has shape "
                    + Shapes.str(ts.get(i).dims()) + ", expected " + Shapes.str(s0));
        }
        int d = Shapes.axis("stack", dim, s0.length + 1);
        return cat(ts.stream().map(t -> t.unsqueeze(d)).toList(), d);
    }

    public Tensor indexSelect(int dim, NDArray index) {
        int d = Shapes.axis("indexSelect", dim, dim());
        return apply(new Prim.IndexSelect(d, index), this);
    }

    public Tensor gather(int dim, NDArray index) {
        int d = Shapes.axis("gather", dim, dim());
        return apply(new Prim.Gather(d, index), this);
    }

    /**
     * {@code X[idx]}, PyTorch's integer-array indexing along dim 0: an I64 {@code idx} of shape S picks rows and gives
     * S + shape[1:]; a negative index counts from the end. Differentiable: the gradient is scatter-added back, so a
     * row picked twice receives both gradients.
     */
    public Tensor index(Tensor idx) {
        if (idx == null) throw new IllegalArgumentException("index: idx must not be null");
        if (dim() < 1) throw new IllegalArgumentException("index: cannot index a scalar (shape [])");
        checkIndexDType("index", "idx", idx);
        NDArray i = wrapIndex("index", "idx", idx.data, shape(0), 0);
        int[] rest = Arrays.copyOfRange(dims(), 1, dim());
        return indexSelect(0, i.reshape(i.size())).reshape(concat(i.dims(), rest));
    }

    /**
     * The functional torch.index_put: a copy of this tensor with {@code values} written (or, with {@code accumulate},
     * added) at {@code X[i0, i1, ...]}. The k I64 index tensors address the first k dims and broadcast to a shape B;
     * values broadcast to B + shape[k:]. Without accumulate a position named twice takes the last value (PyTorch
     * leaves it undefined). Differentiable in this tensor and in values, composed of scatterAdd, where and indexSelect.
     */
    public Tensor indexPut(List<Tensor> indices, Tensor values, boolean accumulate) {
        if (indices == null || values == null) throw new IllegalArgumentException("indexPut: indices and values must not be null");
        int k = indices.size();
        if (k < 1 || k > dim()) throw new IllegalArgumentException("indexPut: expected 1 to " + dim() + " index tensors for shape "
                + Shapes.str(dims()) + ", got " + k);
        sameDType("indexPut", this, values);
        int[] b = new int[0];
        for (int j = 0; j < k; j++) {
            Tensor ix = indices.get(j);
            checkIndexDType("indexPut", "indices[" + j + "]", ix);
            b = Shapes.broadcast("indexPut: indices", b, ix.dims());
        }
        // the flat position in the first k dims: sum of idx_j times the product of the later indexed dims
        NDArray lin = NDArray.zeros(DType.I64, b);
        long stride = 1;
        for (int j = k - 1; j >= 0; j--) {
            NDArray ix = wrapIndex("indexPut", "indices[" + j + "]", indices.get(j).data, shape(j), j);
            lin = lin.add(ix.mul((double) stride).expand(b));
            stride *= shape(j);
        }
        int[] rest = Arrays.copyOfRange(dims(), k, dim());
        int[] target = concat(b, rest);
        boolean fits;
        try {
            fits = Arrays.equals(Shapes.broadcast("indexPut", values.dims(), target), target);
        } catch (IllegalArgumentException e) {
            fits = false;
        }
        if (!fits) throw new IllegalArgumentException("indexPut: values of shape " + Shapes.str(values.dims()) + " do not broadcast "
                + "to the indexed shape " + Shapes.str(target));
        int n = Shapes.size(b);
        NDArray flat = lin.reshape(n);
        Tensor vals = values.expandTo(target).reshape(concat(new int[]{n}, rest));
        if (!accumulate) {
            // keep only the last write to each position, so the scatter below puts rather than sums
            long[] pos = flat.toLongArray();
            Set<Long> seen = new HashSet<>();
            long[] keep = new long[n];
            int kept = 0;
            for (int i = n - 1; i >= 0; i--) if (seen.add(pos[i])) keep[kept++] = i;
            if (kept < n) {
                long[] asc = new long[kept];
                for (int i = 0; i < kept; i++) asc[i] = keep[kept - 1 - i];
                NDArray sel = NDArray.of(asc);
                flat = flat.indexSelect(0, sel);
                vals = vals.indexSelect(0, sel);
                n = kept;
            }
        }
        int p = (int) stride;
        int[] baseShape = concat(new int[]{p}, rest);
        Tensor base = reshape(baseShape);
        int[] column = new int[baseShape.length];
        Arrays.fill(column, 1);
        column[0] = n;
        NDArray idx = flat.reshape(column).expand(concat(new int[]{n}, rest)).contiguous();
        if (accumulate) return base.scatterAdd(0, idx, vals).reshape(dims());
        NDArray hit = NDArray.zeros(dtype(), p).scatterAdd(0, flat, NDArray.ones(dtype(), n)).gt(0);
        column[0] = p;
        Tensor put = zerosLike(base).scatterAdd(0, idx, vals);
        return where(hit.reshape(column).expand(baseShape), put, base).reshape(dims());
    }

    /** {@link #indexPut(List, Tensor, boolean)} with one index tensor, addressing dim 0. */
    public Tensor indexPut(Tensor index, Tensor values, boolean accumulate) {
        if (index == null) throw new IllegalArgumentException("indexPut: index must not be null");
        return indexPut(List.of(index), values, accumulate);
    }

    private static void checkIndexDType(String op, String what, Tensor idx) {
        if (idx == null) throw new IllegalArgumentException(op + ": " + what + " must not be null");
        if (idx.dtype() != DType.I64) throw new IllegalArgumentException(op + ": " + what + " must be an I64 tensor, got " + idx.dtype()
                + (idx.dtype() == DType.BOOL ? " (for a mask use where or maskedFill)" : " (convert it with to(DType.I64))"));
    }

    /** idx with negative entries moved up by n, after checking every entry lies in [-n, n). */
    private static NDArray wrapIndex(String op, String what, NDArray idx, int n, int dim) {
        if (idx.size() == 0) return idx;
        long lo = (long) idx.min().item(), hi = (long) idx.max().item();
        if (lo < -n || hi >= n) throw new IndexOutOfBoundsException(op + ": " + what + " has index " + (lo < -n ? lo : hi)
                + " out of range for dim " + dim + " of size " + n + (n == 0 ? " (the dim is empty)" : " (expected " + -n + " to " + (n - 1) + ")"));
        return lo < 0 ? NDArray.where(idx.lt(0), idx.add(n), idx) : idx;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A copy of this tensor with src added at index along dim; differentiable in both. */
    public Tensor scatterAdd(int dim, NDArray index, Tensor src) {
        sameDType("scatterAdd", this, src);
        int d = Shapes.axis("scatterAdd", dim, dim());
        return apply(new Prim.ScatterAdd(d, index), this, src);
    }

    // ------------------------------------------------------------------ matmul and linear algebra

    /**
     * torch.matmul: 1-D operands are promoted (and the added dim removed), batch dims broadcast.
     * @param o (..., k, n) or (k)
     */
    public Tensor matmul(Tensor o) {
        sameDType("matmul", this, o);
        Shapes.Matmul plan = Shapes.matmul(dims(), o.dims());     // the one check, shared with the engine
        Tensor a = dim() == 1 ? unsqueeze(0) : this;
        Tensor b = o.dim() == 1 ? o.unsqueeze(1) : o;
        if (!Arrays.equals(a.dims(), plan.aShape())) a = a.expandTo(plan.aShape());
        if (!Arrays.equals(b.dims(), plan.bShape())) b = b.expandTo(plan.bShape());
        Tensor r = apply(new Prim.Matmul(), a, b);
        if (dim() == 1 && o.dim() == 1) return r.reshape();
        if (dim() == 1) return r.squeeze(-2);
        if (o.dim() == 1) return r.squeeze(-1);
        return r;
    }

    private static int[] withBatch(int[] batch, int[] s) {
        int[] r = Arrays.copyOf(batch, batch.length + 2);
        r[batch.length] = s[s.length - 2];
        r[batch.length + 1] = s[s.length - 1];
        return r;
    }

    /** Lower Cholesky factor of SPD matrices (..., n, n). */
    public Tensor cholesky() { return apply(new Prim.Cholesky(), this); }

    /** X with A X = B (left) or X A = B (right) for this triangular A; see {@link NDArray#triangularSolve}. */
    public Tensor triangularSolve(Tensor b, boolean upper, boolean left, boolean unitDiagonal) {
        sameDType("triangularSolve", this, b);
        Tensor[] ab = broadcastBatch("triangularSolve", this, b);
        return apply(new Prim.TriangularSolve(upper, left, unitDiagonal), ab[0], ab[1]);
    }

    /**
     * X with A X = B for this square A (..., n, n). As torch.linalg.solve, B is a batch of vectors when it is 1-D or has
     * A's shape without the last dim (..., n), giving X of B's shape; otherwise B is (..., n, k). Batch dims broadcast.
     */
    public Tensor solve(Tensor b) {
        sameDType("solve", this, b);
        if (dim() < 2) throw new IllegalArgumentException("solve: expected A of shape (..., n, n), got shapes " + Shapes.str(dims())
                + " and " + Shapes.str(b.dims()));
        boolean vectors = b.dim() == 1 || (b.dim() == dim() - 1 && Arrays.equals(b.dims(), Arrays.copyOf(dims(), dim() - 1)));
        Tensor[] ab = broadcastBatch("solve", this, vectors ? b.unsqueeze(-1) : b);
        Tensor x = apply(new Prim.Solve(), ab[0], ab[1]);
        return vectors ? x.squeeze(-1) : x;
    }

    /** Both operands expanded to their broadcast batch dims (all but the last two), so VJPs sum back by Expand. */
    private static Tensor[] broadcastBatch(String op, Tensor a, Tensor b) {
        if (a.dim() < 2 || b.dim() < 2) throw new IllegalArgumentException(op + ": expected matrices (..., n, n) and (..., n, k), got shapes "
                + Shapes.str(a.dims()) + " and " + Shapes.str(b.dims()));
        int[] as = a.dims(), bs = b.dims();
        int[] ba = Arrays.copyOf(as, as.length - 2), bb = Arrays.copyOf(bs, bs.length - 2);
        if (Arrays.equals(ba, bb)) return new Tensor[]{a, b};
        int[] batch = Shapes.broadcast(op, ba, bb);
        return new Tensor[]{a.expandTo(withBatch(batch, as)), b.expandTo(withBatch(batch, bs))};
    }

    public Tensor inverse() { return apply(new Prim.Inverse(), this); }

    /** log|det A|. */
    public Tensor logAbsDet() { return apply(new Prim.LogAbsDet(), this); }

    /** log det A; NaN where the determinant is negative (as torch.logdet). */
    public Tensor logdet() {
        NDArray sign = data.slogdet()[0];
        Tensor l = logAbsDet();
        return where(sign.lt(0), l.lift(Double.NaN), l);
    }

    /** det A (through LU); its gradient, the cofactor matrix, is right at singular matrices too (see {@link Prim.Det}). */
    public Tensor det() { return apply(new Prim.Det(), this); }

    // ------------------------------------------------------------------ in place (for optimisers)
    // Each write bumps the storage's version, which every view, detach() and Tensor.of over the same NDArray
    // shares: a backward through a value saved before the write then refuses (see Node.checkUnchanged).

    private void checkInPlace(String op) {
        if (requiresGrad && Autograd.isGradEnabled()) throw new IllegalStateException(op + ": a tensor that requires grad cannot be "
                + "modified in place while grad mode is on; wrap the update in Autograd.noGrad()");
    }

    /** this += alpha * x, in place. Returns this. */
    public Tensor addInPlace(Tensor x, double alpha) {
        checkInPlace("addInPlace");
        data.addInPlace(x.data, alpha);
        return this;
    }

    /** this *= v, in place. Returns this. */
    public Tensor mulInPlace(double v) {
        checkInPlace("mulInPlace");
        data.mulInPlace(v);
        return this;
    }

    /** Copies src's values into this tensor (broadcasting src), in place. Returns this. */
    public Tensor copyInPlace(Tensor src) {
        checkInPlace("copyInPlace");
        data.copyFromInPlace(src.data);
        return this;
    }

    /** Sets every element to v, in place. Returns this. */
    public Tensor fillInPlace(double v) {
        checkInPlace("fillInPlace");
        data.fillInPlace(v);
        return this;
    }

    /**
     * Records that this tensor's storage was changed by code writing a raw storage array kept from before (the
     * NDArray's own writes, and taking its raw storage, already count).
     */
    public void bumpVersion() { data.bumpVersion(); }

    @Override
    public String toString() {
        String s = data.toString().replaceFirst("^NDArray", "Tensor");
        if (node != null) s += ", gradFn=" + node.prim.opName();
        else if (requiresGrad) s += ", requiresGrad=true";
        return s;
    }
}
