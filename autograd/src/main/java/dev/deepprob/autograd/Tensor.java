package dev.deepprob.autograd;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
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

    public static Tensor zerosLike(Tensor x) { return of(NDArray.zerosLike(x.data)); }
    public static Tensor onesLike(Tensor x) { return of(NDArray.onesLike(x.data)); }

    /** Standard normal numbers from {@code gen}. */
    public static Tensor randn(Generator gen, DType t, int... shape) { return of(NDArray.randn(gen, t, shape)); }
    /** Standard normal numbers on {@code device} (torch's {@code device=}): for a seed, the CPU's numbers. */
    public static Tensor randn(Generator gen, DType t, Backend device, int... shape) { return of(NDArray.normal(gen, t, 0, 1, device, shape)); }
    /** Uniform numbers in [0, 1) on {@code device}: for a seed, the CPU's numbers. */
    public static Tensor rand(Generator gen, DType t, Backend device, int... shape) { return of(NDArray.uniform(gen, t, 0, 1, device, shape)); }
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
        if (o.data.backend() != data.backend()) {
            // PyTorch's rule: a 0-dim CPU tensor joins the other operand's device (differentiably)
            if (o.isCpuScalar()) o = o.to(data.backend());
            else if (isCpuScalar()) return to(o.data.backend()).binary(op, p, o);
        }
        int[] a = data.dims(), b = o.data.dims();
        if (Arrays.equals(a, b)) return apply(p, this, o);
        int[] s = Shapes.broadcast(op, a, b);
        return apply(p, expandTo(s), o.expandTo(s));
    }

    /** A constant on this tensor's device and of its dtype, for arithmetic with a Java number. */
    private Tensor lift(double v) { return constant(data.scalarLike(v)); }

    private boolean isCpuScalar() { return data.rank() == 0 && data.backend() == Backends.cpu(); }

    /** ts with every 0-dim CPU tensor moved to the device of the first one that is elsewhere (PyTorch's rule). */
    private static Tensor[] joinScalars(Tensor... ts) {
        Backend dev = null;
        for (Tensor t : ts) if (t.data.backend() != Backends.cpu()) { dev = t.data.backend(); break; }
        if (dev == null) return ts;
        Tensor[] out = ts.clone();
        for (int i = 0; i < out.length; i++) if (out[i].isCpuScalar()) out[i] = out[i].to(dev);
        return out;
    }

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
        Tensor[] ab = joinScalars(this, a, b);
        if (ab[0] != this) return ab[0].betaI(ab[1], ab[2], caller);
        a = ab[1];
        b = ab[2];
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
        Tensor[] ab = joinScalars(a, b);
        a = ab[0];
        b = ab[1];
        if (cond.rank() == 0 && cond.backend() == Backends.cpu() && a.data.backend() != Backends.cpu()) cond = cond.to(a.data.backend());
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

    // ------------------------------------------------------------------ more elementwise ops (issue 15)
    // Composites of the primitives above where the formula keeps full accuracy (each says why); a primitive of their
    // own (a kernel and a VJP in Prim) only where no composite would: rounding, inverse trigonometry, erfc, erfcx,
    // atan2 and fmod.

    private static final double LN2 = Math.log(2);
    /** Past 2^28, t² + 1 rounds to t² and asinh/acosh(t) = log(2t) to double; t² stays finite in float32 too. */
    private static final double BIG = 0x1p28;

    /** The odd function that is f on t >= 0 (see {@link #asinh()}). */
    private Tensor oddExtension(java.util.function.UnaryOperator<Tensor> f) {
        // f is accurate for t >= 0; each branch sees only its own half-line (a clamped input), so the other cannot
        // send NaN back through where, and at 0 the clamp passes the gradient to the t >= 0 branch
        return where(data.lt(0), f.apply(neg().clampMin(0)).neg(), f.apply(clampMin(0)));
    }

    /** torch.floor; its gradient is zero (as torch's). */
    public Tensor floor() { return apply(new Prim.Rounding(dev.deepprob.engine.UnaryOp.FLOOR), this); }
    /** torch.ceil; its gradient is zero. */
    public Tensor ceil() { return apply(new Prim.Rounding(dev.deepprob.engine.UnaryOp.CEIL), this); }
    /** torch.round: to the nearest integer, halves to even; its gradient is zero. */
    public Tensor round() { return apply(new Prim.Rounding(dev.deepprob.engine.UnaryOp.ROUND), this); }
    /** torch.trunc: toward zero; its gradient is zero. */
    public Tensor trunc() { return apply(new Prim.Rounding(dev.deepprob.engine.UnaryOp.TRUNC), this); }
    /** torch.frac: x - trunc(x), with the sign of x; gradient 1. */
    public Tensor frac() { return sub(trunc()); }

    /** 1/√x, as the reciprocal of sqrt (two correctly rounded steps, so within an ulp or two). */
    public Tensor rsqrt() { return sqrt().reciprocal(); }
    /** tan = sin/cos: both are accurate to an ulp near the poles, so the quotient is too. */
    public Tensor tan() { return sin().div(cos()); }
    public Tensor atan() { return apply(new Prim.Atan(), this); }
    public Tensor asin() { return apply(new Prim.Asin(), this); }
    public Tensor acos() { return apply(new Prim.Acos(), this); }

    /**
     * sinh x = (expm1(x) - expm1(-x))/2: near 0 the two terms have opposite signs, so nothing cancels (e^x - e^-x would
     * lose every digit there). It overflows from |x| = 709.8 in float64, slightly before sinh itself (710.5).
     */
    public Tensor sinh() { return expm1().sub(neg().expm1()).mul(0.5); }
    /** cosh x = (e^x + e^-x)/2: a sum of positive terms, accurate everywhere (overflows from 709.8 in float64). */
    public Tensor cosh() { return exp().add(neg().exp()).mul(0.5); }

    /**
     * asinh t = log1p(t + t²/(1 + √(1 + t²))) for 0 &le; t &lt; 2^28 (fdlibm's form: no cancellation, accurate near 0),
     * log t + log 2 beyond (where t² would overflow), and odd symmetry for t &lt; 0.
     */
    public Tensor asinh() {
        return oddExtension(t -> {
            Tensor s = t.clampMax(BIG), b = t.clampMin(BIG);
            Tensor s2 = s.mul(s);
            Tensor small = s.add(s2.div(s2.add(1.0).sqrt().add(1.0))).log1p();
            return where(t.data.gt(BIG), b.log().add(LN2), small);
        });
    }

    /**
     * acosh x = log1p(u + √(u(u + 2))) with u = x - 1 (exact for x in [1, 2], so the digits near 1 survive) below 2^28,
     * log x + log 2 beyond; NaN below 1.
     */
    public Tensor acosh() {
        Tensor s = clampMax(BIG), b = clampMin(BIG);
        Tensor u = s.sub(1.0);
        Tensor small = u.add(u.mul(u.add(2.0)).sqrt()).log1p();
        return where(data.gt(BIG), b.log().add(LN2), small);
    }

    /** atanh x = (log1p(x) - log1p(-x))/2: opposite signs near 0 (no cancellation), and 1 - x is exact near 1. */
    public Tensor atanh() { return log1p().sub(neg().log1p()).mul(0.5); }

    /** log₂ x = ln x / ln 2 (one more rounding than ln). */
    public Tensor log2() { return log().mul(1 / LN2); }
    /** log₁₀ x = ln x / ln 10. */
    public Tensor log10() { return log().mul(1 / Math.log(10)); }
    /** 2^x through pow (exp(x ln 2) would turn the rounding of x·ln 2 into |x| ulps of error). */
    public Tensor exp2() { return lift(2).expandTo(dims()).pow(this); }

    /** erfc x = 1 - erf x, accurate where erf x is near 1 (a kernel: 1 - erf would keep no digits for x > 6). */
    public Tensor erfc() { return apply(new Prim.Erfc(), this); }
    /** erfcx x = e^{x²} erfc x (torch.special.erfcx), a kernel: for large x its two factors over- and underflow. */
    public Tensor erfcx() { return apply(new Prim.Erfcx(), this); }

    /**
     * torch.nn.functional.selu: λ x for x > 0, λ α (e^x - 1) otherwise (Klambauer et al. 2017). The negative branch
     * sees min(x, 0), so e^x cannot overflow there and send NaN back through where.
     */
    public Tensor selu() {
        double alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946;
        return where(data.gt(0), this, clampMax(0).expm1().mul(alpha)).mul(scale);
    }

    /** Exact GELU, x Φ(x) = x erfc(-x/√2)/2: erfc keeps x Φ(x)'s digits for negative x, where 1 + erf(x/√2) cancels. */
    public Tensor gelu() { return mul(neg().mul(1 / Math.sqrt(2)).erfc()).mul(0.5); }

    /** GELU's tanh approximation (torch's approximate='tanh'): x (1 + tanh(√(2/π)(x + 0.044715 x³)))/2. */
    public Tensor geluTanh() {
        Tensor inner = add(mul(this).mul(this).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return mul(inner.tanh().add(1.0)).mul(0.5);
    }

    /** SiLU (swish): x σ(x). */
    public Tensor silu() { return mul(sigmoid()); }
    /** Mish: x tanh(softplus(x)) (Misra 2019), through the stable softplus. */
    public Tensor mish() { return mul(softplus().tanh()); }
    /** Softsign: x / (1 + |x|). */
    public Tensor softsign() { return div(abs().add(1.0)); }

    /** hardtanh with the bounds -1 and 1. */
    public Tensor hardtanh() { return hardtanh(-1, 1); }

    /**
     * torch.nn.functional.hardtanh: x clamped to [lo, hi], with gradient 1 strictly inside and 0 elsewhere, bounds
     * included (torch's convention; {@link #clamp} passes the gradient at the bounds).
     */
    public Tensor hardtanh(double lo, double hi) {
        if (!(lo < hi)) throw new IllegalArgumentException("hardtanh: lo (" + lo + ") must be < hi (" + hi + ")");
        return where(data.gt(lo).and(data.lt(hi)), this, constant(data.clamp(lo, hi)));
    }

    /** logit p = log p - log1p(-p) (log1p keeps the digits of 1 - p for small p). */
    public Tensor logit() { return log().sub(neg().log1p()); }

    /** torch.logit(p, eps): p clamped to [eps, 1 - eps] first, so the gradient is 0 outside (torch's rule). */
    public Tensor logit(double eps) {
        if (!(eps >= 0 && eps < 0.5)) throw new IllegalArgumentException("logit: eps must be in [0, 0.5), got " + eps);
        return clamp(eps, 1 - eps).logit();
    }

    /** atan2(this, o), the angle of (o, this) in (-π, π], broadcasting (torch.atan2). */
    public Tensor atan2(Tensor o) { return binary("atan2", new Prim.Atan2(), o); }

    /** C's fmod, as torch.fmod: the remainder of this / o with this tensor's sign; ∂/∂o = -trunc(this/o). */
    public Tensor fmod(Tensor o) { return binary("fmod", new Prim.Fmod(), o); }
    public Tensor fmod(double v) { return fmod(lift(v)); }

    /**
     * torch.remainder (Python's %): the remainder with the divisor's sign, as torch computes it, fmod plus the divisor
     * where the signs differ; ∂/∂o = -floor(this/o) follows.
     */
    public Tensor remainder(Tensor o) {
        Tensor r = fmod(o);
        NDArray fix = r.data.ne(r.data.scalarLike(0)).and(r.data.lt(0).ne(o.data.lt(0)));
        return where(fix, r.add(o), r);
    }
    public Tensor remainder(double v) { return remainder(lift(v)); }

    /**
     * log(e^a + e^b) = max(a, b) + log1p(e^{-|a - b|}): e^{-|a-b|} &le; 1 never overflows and log1p keeps the small
     * term's digits. Where a = b = ±∞ the difference is NaN; it is taken as 0 there (giving ±∞, as torch).
     */
    public Tensor logaddexp(Tensor o) {
        sameDType("logaddexp", this, o);
        NDArray bothInf = data.eq(o.data).and(data.abs().eq(Double.POSITIVE_INFINITY));
        Tensor d = where(bothInf, lift(0), sub(o));
        return maximum(o).add(d.abs().neg().exp().log1p());
    }

    /**
     * √(a² + b²) without overflow or underflow: both scaled by s = max(|a|, |b|) (a constant, so the gradient is
     * unchanged, hypot being homogeneous), s√((a/s)² + (b/s)²).
     */
    public Tensor hypot(Tensor o) {
        sameDType("hypot", this, o);
        NDArray s = data.abs().maximum(o.data.abs());
        s = NDArray.where(s.eq(0).or(s.eq(Double.POSITIVE_INFINITY)).or(s.ne(s)), s.scalarLike(1), s);
        Tensor sc = constant(s);
        Tensor u = div(sc), v = o.div(sc);
        return u.mul(u).add(v.mul(v)).sqrt().mul(sc);
    }

    /**
     * x log y, and 0 where x = 0 and y &le; 0 (torch.xlogy; NaN in y still gives NaN). y is replaced by 1 under that mask
     * so that no ∞·0 reaches the gradient; at x = 0, y > 0 the gradient in x is log y, as torch's.
     */
    public Tensor xlogy(Tensor o) {
        sameDType("xlogy", this, o);
        NDArray zero = data.eq(0).and(o.data.le(0));
        Tensor safe = where(zero, lift(1), o);
        Tensor v = mul(safe.log());
        return where(zero.or(data.eq(0).and(o.data.eq(Double.POSITIVE_INFINITY))), lift(0), v);
    }

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

    /** torch.amax: the largest values over dims, ties sharing the gradient; same as {@link #max(int[], boolean)}. */
    public Tensor amax(int[] dims, boolean keepDim) { return max(dims, keepDim); }
    /** torch.amin: the smallest values over dims, ties sharing the gradient. */
    public Tensor amin(int[] dims, boolean keepDim) { return min(dims, keepDim); }

    /** Product of all elements, a 0-d tensor; its gradient is right where elements are zero (torch's rule). */
    public Tensor prod() { return apply(new Prim.Prod(new int[0], false), this); }

    /** Product over the given dims (torch.prod; see {@link Prim.Prod} for the gradient at zeros). */
    public Tensor prod(int[] dims, boolean keepDim) { return apply(new Prim.Prod(Shapes.axes("prod", dims, dim()), keepDim), this); }

    public Tensor prod(int dim) { return prod(new int[]{dim}, false); }

    /**
     * Running product along dim (torch.cumprod), by log₂ n doubling steps (Hillis and Steele 1986): y ← y · (y shifted
     * by s, padded with ones) for s = 1, 2, 4, ... Composed of mul, narrow and cat, so its gradient is right at zeros
     * (where torch's needs a special case) and to any order; O(n log n) multiplications instead of n.
     */
    public Tensor cumprod(int dim) {
        int d = Shapes.axis("cumprod", dim, dim());
        return scan(d, 1.0, Tensor::mul);
    }

    /**
     * log Σ_{j&le;i} e^{x_j} along dim (torch.logcumsumexp), by the doubling scan of {@link #cumprod} with
     * {@link #logaddexp} as the operation and -∞ as its identity: each step is stable, whatever the spread of the values
     * (exp of the running max's difference would underflow to log 0 for early small terms).
     */
    public Tensor logcumsumexp(int dim) {
        int d = Shapes.axis("logcumsumexp", dim, dim());
        return scan(d, Double.NEGATIVE_INFINITY, Tensor::logaddexp);
    }

    /** Inclusive scan along d with an associative op whose identity is {@code identity}: log₂ n doubling steps. */
    private Tensor scan(int d, double identity, java.util.function.BinaryOperator<Tensor> op) {
        int n = shape(d);
        Tensor y = this;
        for (int s = 1; s < n; s *= 2) {
            int[] padShape = dims();
            padShape[d] = s;
            Tensor pad = lift(identity).expandTo(padShape);
            y = op.apply(y, cat(List.of(pad, y.narrow(d, 0, n - s)), d));
        }
        return y;
    }

    /**
     * The vector p-norm over all elements (torch.linalg.vector_norm): p = 1, 2, ∞, -∞ or any p > 0. See
     * {@link #norm(double, int[], boolean)}.
     */
    public Tensor norm(double p) { return norm(p, new int[0], false); }

    /** The 2-norm (Frobenius norm for a matrix) over all elements. */
    public Tensor norm() { return norm(2); }

    /**
     * The vector p-norm over dims (all when empty): Σ|x| for p = 1, max|x| for ∞ (min|x| for -∞, ties sharing the
     * gradient as torch's), (Σ|x|^p)^(1/p) otherwise. p = 2 is computed as s·√Σ(x/s)² with s the largest |x| held
     * constant, so it neither overflows nor underflows, and its gradient at the zero vector is 0 (torch's subgradient).
     */
    public Tensor norm(double p, int[] dims, boolean keepDim) {
        int[] ax = Shapes.axes("norm", dims, dim());
        if (Double.isNaN(p) || p == 0 || (p < 0 && p != Double.NEGATIVE_INFINITY))
            throw new IllegalArgumentException("norm: p must be > 0, inf or -inf, got " + p);
        if (p == Double.POSITIVE_INFINITY) return abs().max(ax, keepDim);
        if (p == Double.NEGATIVE_INFINITY) return abs().min(ax, keepDim);
        if (p == 1) return abs().sum(ax, keepDim);
        if (p == 2) {
            NDArray s = data.abs().max(ax, true);
            s = NDArray.where(s.eq(0).or(s.eq(Double.POSITIVE_INFINITY)).or(s.ne(s)), s.scalarLike(1), s);
            Tensor sc = constant(s);
            Tensor u = div(sc);
            Tensor ss = u.mul(u).sum(ax, true);
            NDArray zero = ss.data.eq(0);
            // √ at 0 has an infinite slope: take it at 1 there and select 0, so the gradient at the zero vector is 0
            Tensor r = where(zero, lift(0), where(zero, lift(1), ss).sqrt()).mul(sc);
            return keepDim ? r : r.reshape(Shapes.reducedShape(dims(), ax, false));
        }
        Tensor a = abs();
        NDArray zero = a.data.eq(0);
        Tensor pw = where(zero, lift(0), where(zero, lift(1), a).pow(p));
        return pw.sum(ax, keepDim).pow(1 / p);
    }

    /** The Frobenius norm of the last two dims (torch.linalg.matrix_norm(ord='fro')). */
    public Tensor frobeniusNorm() {
        if (dim() < 2) throw new IllegalArgumentException("frobeniusNorm: expected rank >= 2, got shape " + Shapes.str(dims()));
        return norm(2, new int[]{-2, -1}, false);
    }

    /** Sum of the main diagonal of a matrix (torch.trace, 2-D only). */
    public Tensor trace() {
        if (dim() != 2) throw new IllegalArgumentException("trace: expected a 2-D tensor, got shape " + Shapes.str(dims()));
        return diagonal(0, 0, 1).sum();
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

    /**
     * This tensor on another device, as torch's {@code to(device)}: differentiable (the gradient comes back to this
     * tensor's device); this tensor itself when it is already there.
     */
    public Tensor to(Backend target) {
        if (target == null) throw new IllegalArgumentException("to: backend must not be null");
        return target == data.backend() ? this : apply(new Prim.ToDevice(target), this);
    }

    /** The device this tensor lives on (the backend that runs its operations). */
    public Backend backend() { return data.backend(); }

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

    /**
     * The elements in reverse order along each of dims (torch.flip): a gather by reversed indices, so the gradient is
     * scattered back (flipped) by indexSelect's rule. A copy, as torch's.
     */
    public Tensor flip(int... dims) {
        if (dims == null || dims.length == 0) throw new IllegalArgumentException("flip: expected at least one dim");
        int[] ax = Shapes.axes("flip", dims, dim());
        Tensor r = this;
        for (int d : ax) {
            int n = shape(d);
            if (n < 2) continue;
            long[] idx = new long[n];
            for (int i = 0; i < n; i++) idx[i] = n - 1 - i;
            NDArray index = NDArray.of(idx);
            if (data.backend() != Backends.cpu()) index = index.to(data.backend());
            r = r.indexSelect(d, index);
        }
        return r;
    }

    /**
     * The elements shifted by {@code shift} along dim, those pushed off the end coming back at the start (torch.roll);
     * a negative shift rolls the other way. Two slices and a cat.
     */
    public Tensor roll(int shift, int dim) {
        int d = Shapes.axis("roll", dim, dim());
        int n = shape(d);
        if (n == 0) return this;
        int s = Math.floorMod(shift, n);
        if (s == 0) return this;
        return cat(List.of(narrow(d, n - s, s), narrow(d, 0, n - s)), d);
    }

    /** torch.roll without dims: the flattened tensor rolled by shift, in the original shape. */
    public Tensor roll(int shift) { return flatten().roll(shift, 0).reshape(dims()); }

    /** torch.roll over several dims: shifts[i] along dims[i], in turn. */
    public Tensor roll(int[] shifts, int[] dims) {
        if (shifts == null || dims == null || shifts.length != dims.length || shifts.length == 0)
            throw new IllegalArgumentException("roll: expected as many shifts as dims (at least one), got "
                    + (shifts == null ? "null" : Arrays.toString(shifts)) + " and " + (dims == null ? "null" : Arrays.toString(dims)));
        Tensor r = this;
        for (int i = 0; i < dims.length; i++) r = r.roll(shifts[i], dims[i]);
        return r;
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
