package dev.deepprob.prob;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Parameter handling shared by the distributions: dtype and shape checks with messages that name the distribution
 * and the parameter, broadcasting to the batch shape, validation against constraints, the checks on logProb's
 * argument, and a few numerically careful compositions (xlogy).
 */
final class Params {
    private Params() {}

    /** A 0-d tensor of the default floating dtype ({@link DType#defaultFloat()}): the double-valued constructors build their parameters with this. */
    static Tensor scalar(double v) { return Tensor.scalar(DType.defaultFloat(), v); }

    /** The common floating dtype of the parameters; throws naming the parameter when one is null, not floating, or differs. */
    static DType dtypeOf(String dist, String[] names, Tensor... ts) {
        DType t = null;
        String first = null;
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == null) throw new IllegalArgumentException(dist + ": " + names[i] + " must not be null");
            DType d = ts[i].dtype();
            if (!d.isFloating()) throw new IllegalArgumentException(dist + ": " + names[i] + " must be F32 or F64, got " + d);
            if (t == null) {
                t = d;
                first = names[i];
            } else if (t != d) {
                throw new IllegalArgumentException(dist + ": " + first + " and " + names[i] + " must have the same dtype, got "
                        + t + " and " + d + " (convert one with to(DType))");
            }
        }
        return t;
    }

    /** The broadcast of the parameters' shapes (the batch shape); throws listing every parameter's shape. */
    static int[] broadcastShape(String dist, String[] names, Tensor... ts) {
        int[][] shapes = new int[ts.length][];
        for (int i = 0; i < ts.length; i++) shapes[i] = ts[i].dims();
        return broadcastShape(dist, names, shapes);
    }

    /** As {@link #broadcastShape(String, String[], Tensor...)} for the parameters' batch parts. */
    static int[] broadcastShape(String dist, String[] names, int[][] shapes) {
        int[] s = new int[0];
        for (int[] t : shapes) {
            try {
                s = Shapes.broadcast(dist, s, t);
            } catch (IllegalArgumentException e) {
                StringBuilder sb = new StringBuilder(dist + ": parameter shapes do not broadcast: ");
                for (int i = 0; i < shapes.length; i++) sb.append(i > 0 ? ", " : "").append(names[i]).append(' ').append(Shapes.str(shapes[i]));
                throw new IllegalArgumentException(sb.toString());
            }
        }
        return s;
    }

    /** Throws "Dist: name must be ..., got v at [i]" when validating and some element is outside the constraint. */
    static void validate(boolean on, String dist, String name, Tensor t, Constraint c) {
        if (on) c.check(dist + ": " + name, t.data());
    }

    /** Checks that a vector parameter (Dirichlet's concentration, Categorical's probs) has at least one dim and k >= 1. */
    static void requireVector(String dist, String name, Tensor t) {
        if (t.dim() < 1) throw new IllegalArgumentException(dist + ": " + name + " must have at least 1 dim (the last indexes "
                + "categories), got a scalar");
        if (t.shape(-1) < 1) throw new IllegalArgumentException(dist + ": " + name + " must have at least one category, got shape "
                + Shapes.str(t.dims()));
    }

    /** The new batch shape for expand: the old one must broadcast to it. */
    static int[] checkExpand(String dist, int[] old, int[] requested) {
        if (requested != null) Shapes.checkShape(dist + ".expand", requested);
        return Batching.checkExpand(dist, old, requested);
    }

    /** Checks a sampling call: non-null generator, non-negative sample dims. */
    static void checkSample(String dist, String method, Generator gen, int[] sampleShape) {
        if (gen == null) throw new IllegalArgumentException(dist + "." + method + ": generator must not be null");
        if (sampleShape == null) throw new IllegalArgumentException(dist + "." + method + ": sample shape must not be null");
        Shapes.checkShape(dist + "." + method, sampleShape);
    }

    /** Runs f with gradient recording off: samples from {@code sample} carry no graph. */
    @SuppressWarnings("try")
    static Tensor noGrad(Supplier<Tensor> f) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return f.get();
        }
    }

    /**
     * Checks the argument of logProb, cdf and friends: not null, the distribution's dtype (integer values are
     * converted when {@code castIntegers}, for the discrete distributions), its trailing dims equal to the event
     * shape and the others broadcasting with the batch shape, and (when {@code support} is not null) every element
     * in the support. Returns the value, converted if needed.
     */
    static Tensor value(Distribution d, String method, Tensor value, DType dtype, boolean castIntegers, Constraint support) {
        String op = d.getClass().getSimpleName() + "." + method;
        if (value == null) throw new IllegalArgumentException(op + ": value must not be null");
        Tensor v = value;
        if (v.dtype() != dtype) {
            if (castIntegers && !v.dtype().isFloating()) v = v.to(dtype);
            else throw new IllegalArgumentException(op + ": value has dtype " + v.dtype() + " but the distribution's parameters are "
                    + dtype + " (convert it with to(" + dtype + "))");
        }
        int[] vs = v.dims(), ev = d.eventShape(), batch = d.batchShape();
        if (vs.length < ev.length || !Arrays.equals(Arrays.copyOfRange(vs, vs.length - ev.length, vs.length), ev)) {
            throw new IllegalArgumentException(op + ": value of shape " + Shapes.str(vs) + " must end in the event shape " + Shapes.str(ev));
        }
        int[] vb = Arrays.copyOf(vs, vs.length - ev.length);
        try {
            Shapes.broadcast(op, vb, batch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": value of shape " + Shapes.str(vs) + " does not broadcast with the batch shape "
                    + Shapes.str(batch) + (ev.length > 0 ? " (event shape " + Shapes.str(ev) + ")" : ""));
        }
        if (support != null && d.validates()) support.check(op + ": value", value.data());
        return v;
    }

    /**
     * A quantile made differentiable: x0 is a kernel's root of cdf(x) = p (no graph), and the Newton step
     * s = (p - cdf(x0))/density(x0), written in Tensor ops, is added as s - s.detach(): the value stays exactly x0 (adding
     * the step itself would let the rounding of p - cdf, 1e-16 divided by a tail density of 1e-12, move it by 1e-4, and
     * push it out of the support), while the gradient is the step's, dx/dp = 1/density, with the gradients of whatever
     * the two functions close over. Where {@code inside} is false, or the density at x0 is 0 or infinite (q = 0 or 1, or
     * beyond the double range), x0 is returned as is with no gradient; {@code safe} replaces x0 there so that no NaN
     * reaches the unused branch's gradient.
     */
    static Tensor newtonCorrected(Tensor p, NDArray x0, NDArray inside, double safe, java.util.function.UnaryOperator<Tensor> cdf,
                                  java.util.function.UnaryOperator<Tensor> logDensity) {
        Tensor x = Tensor.of(x0);
        Tensor fallback = Tensor.full(x.dtype(), safe, x.dims());
        Tensor at = Tensor.where(inside, x, fallback);
        NDArray d = logDensity.apply(at).data().exp();
        NDArray usable = inside.and(d.gt(0)).and(d.lt(Double.POSITIVE_INFINITY));
        if (!Arrays.equals(usable.toBooleanArray(), inside.toBooleanArray())) at = Tensor.where(usable, x, fallback);
        Tensor step = p.sub(cdf.apply(at)).div(logDensity.apply(at).exp());
        return Tensor.where(usable, x.add(step.sub(step.detach())), x);
    }

    /** Machine epsilon of a floating dtype (torch.finfo(dtype).eps). */
    static double eps(DType t) { return t == DType.F32 ? Math.ulp(1.0f) : Math.ulp(1.0); }

    /** Smallest positive normal number of a floating dtype (torch.finfo(dtype).tiny). */
    static double tiny(DType t) { return t == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL; }

    /**
     * a · log x with 0 · log 0 = 0 (scipy.special.xlogy). Written with masked inputs so neither the value nor the
     * gradient turns into NaN where x = 0: log is taken of 1 there, the -inf is put in by where, and a = 0 masks
     * it to 0 before the product.
     */
    static Tensor xlogy(Tensor a, Tensor x) {
        NDArray zeroX = x.data().eq(0);
        if (!anyTrue(zeroX)) return a.mul(x.log());
        int[] s = Shapes.broadcast("xlogy", a.dims(), x.dims());
        NDArray zx = zeroX.expand(s);
        NDArray both = zx.and(a.data().eq(0).expand(s));
        Tensor one = Tensor.onesLike(x);
        Tensor safeLog = Tensor.where(zeroX, one, x).log();
        Tensor negInf = Tensor.full(x.dtype(), Double.NEGATIVE_INFINITY, s);
        Tensor lx = Tensor.where(zx, negInf, safeLog.expand(s));
        lx = Tensor.where(both, Tensor.zerosLike(lx), lx);
        return a.mul(lx);
    }

    /** a · log1p(y) with 0 · log1p(-1) = 0, masked as {@link #xlogy} (log(1 - x) for x near 0 without cancellation). */
    static Tensor xlog1py(Tensor a, Tensor y) {
        NDArray atEdge = y.data().eq(-1);
        if (!anyTrue(atEdge)) return a.mul(y.log1p());
        int[] s = Shapes.broadcast("xlog1py", a.dims(), y.dims());
        NDArray e = atEdge.expand(s);
        NDArray both = e.and(a.data().eq(0).expand(s));
        Tensor safe = Tensor.where(atEdge, Tensor.zerosLike(y), y).log1p();
        Tensor negInf = Tensor.full(y.dtype(), Double.NEGATIVE_INFINITY, s);
        Tensor ly = Tensor.where(e, negInf, safe.expand(s));
        ly = Tensor.where(both, Tensor.zerosLike(ly), ly);
        return a.mul(ly);
    }

    static boolean anyTrue(NDArray mask) {
        for (boolean b : mask.toBooleanArray()) if (b) return true;
        return false;
    }

    /** A constant tensor of the given dtype and shape. */
    static Tensor full(DType t, double v, int... shape) { return Tensor.full(t, v, shape); }

    /** Name-tensor pairs in order ("loc", loc, "scale", scale), for {@link Distribution#params()}. */
    static java.util.SequencedMap<String, Tensor> named(Object... nameThenTensor) {
        java.util.LinkedHashMap<String, Tensor> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameThenTensor.length; i += 2) m.put((String) nameThenTensor[i], (Tensor) nameThenTensor[i + 1]);
        return m;
    }

    /** sampleShape followed by shape. */
    static int[] concat(int[] a, int[] b) { return Batching.concat(a, b); }
}
