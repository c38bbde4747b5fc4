package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.Shapes;
import dev.deepprob.engine.SpecialFn;
import dev.deepprob.engine.UnaryOp;
import org.jocl.Pointer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The engine's {@link Backend} contract on one OpenCL device. Arrays live in device buffers ({@link ClStorage}); every
 * operation enqueues kernels on the device's one in-order queue without waiting, and the host waits only when it
 * reads ({@link #toCpu}). The default device's backend is named "opencl" and is what {@code Backends.get("opencl")}
 * finds through {@link java.util.ServiceLoader}; it touches OpenCL only on first use, so listing backends works on
 * machines without any. Other devices: {@link OpenCl#backend(String)}.
 *
 * <p>Kernels live in {@code .cl} resources: elementwise.cl, cast.cl, reduce.cl, index.cl, matmul.cl, optim.cl. The
 * random samplers, the special functions and linear algebra are delegated to {@link ClRandom}, {@link ClSpecial}
 * and {@link ClLinalg}.
 */
public final class ClBackend implements Backend {
    private final String name;
    private volatile OpenCl.Device device;
    private volatile ClContext ctx;

    /** The default device's backend, for {@link java.util.ServiceLoader}; it finds its device on first use. */
    public ClBackend() { this("opencl", null); }

    ClBackend(String name, OpenCl.Device device) {
        this.name = name;
        this.device = device;
    }

    private static volatile ClBackend fallbackDefault;

    /** The "opencl" backend: the instance the engine's ServiceLoader made, so arrays made through either are on one backend. */
    static ClBackend defaultInstance() {
        for (Backend b : Backends.available()) if (b instanceof ClBackend c && c.name.equals("opencl")) return c;
        synchronized (ClBackend.class) {
            if (fallbackDefault == null) fallbackDefault = new ClBackend();
            return fallbackDefault;
        }
    }

    @Override
    public String name() { return name; }

    /** The device this backend runs on (found on first use for the default backend; throws when OpenCL is missing). */
    public OpenCl.Device device() {
        OpenCl.Device d = device;
        if (d == null) device = d = OpenCl.defaultDevice();
        return d;
    }

    /** The device state, made on first use. */
    ClContext ctx() {
        ClContext c = ctx;
        if (c != null) return c;
        synchronized (this) {
            if (ctx == null) ctx = new ClContext(device());
            return ctx;
        }
    }

    /** Waits for every operation enqueued on this device so far (for timing; reads wait by themselves). */
    public void synchronize() { ctx().finish(); }

    /** {buffers created, buffers reused from the pool, bytes in live arrays, bytes pooled}. */
    public long[] poolStats() { return ctx().pool.stats(); }

    @Override
    public String toString() { return name + " (" + (device != null ? device : "device not yet opened") + ")"; }

    // ------------------------------------------------------------------ arrays on this device

    /** A new contiguous array on this device, contents undefined. */
    NDArray empty(DType t, int[] shape) {
        ctx().requireDtype("OpenCL", t);
        int n = Shapes.size(shape);
        return NDArray.onStorage(new ClStorage(this, t, n), shape, Shapes.contiguousStrides(shape), 0);
    }

    /** x's device storage, checking it is on this backend (an op mixing devices names both). */
    ClStorage storage(String op, NDArray x) {
        if (x.storage() instanceof ClStorage s && s.backend == this) return s;
        throw new IllegalArgumentException(op + ": arrays on different devices (" + name + " and " + x.backend().name()
                + "); move one with to(Backend)");
    }

    private static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }

    private static void requireFloating(String op, NDArray x) {
        if (!x.dtype().isFloating()) throw new IllegalArgumentException(op + ": expected F32 or F64, got " + x.dtype());
    }

    /** Operands as contiguous copies when their merged walk exceeds the kernels' 8 dims (views no kernel can index). */
    private ClWalk walk(int[] shape, NDArray[] ops, int[][] strides) {
        ClWalk w = ClWalk.of(shape, strides);
        if (w.rank() <= 8) return w;
        for (int i = 0; i < ops.length; i++) {
            ops[i] = copy(ops[i].expand(shape));
            strides[i] = ops[i].strides();
        }
        return ClWalk.of(shape, strides);
    }

    // ------------------------------------------------------------------ transfers, fill, copies

    @Override
    public NDArray toCpu(NDArray x) {
        if (!(x.storage() instanceof ClStorage)) {
            if (x.backend() == Backends.cpu()) return x;
            return x.backend().toCpu(x);
        }
        storage("toCpu", x);
        int[] shape = x.dims();
        int n = x.size();
        NDArray c = x.isContiguous() ? x : copy(x);
        ClContext cx = ctx();
        long from = (long) c.offset() * ClContext.elementBytes(c.dtype());
        org.jocl.cl_mem mem = ClStorage.of(c).mem;
        return switch (x.dtype()) {
            case F32 -> {
                float[] a = new float[n];
                cx.read(mem, from, 4L * n, Pointer.to(a));
                yield NDArray.wrap(a, shape);
            }
            case F64 -> {
                double[] a = new double[n];
                cx.read(mem, from, 8L * n, Pointer.to(a));
                yield NDArray.wrap(a, shape);
            }
            case I64 -> {
                long[] a = new long[n];
                cx.read(mem, from, 8L * n, Pointer.to(a));
                yield NDArray.wrap(a, shape);
            }
            case BOOL -> {
                byte[] a = new byte[n];
                cx.read(mem, from, n, Pointer.to(a));
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) b[i] = a[i] != 0;
                yield NDArray.wrap(b, shape);
            }
        };
    }

    @Override
    public NDArray fromCpu(NDArray x) {
        if (x == null) throw new IllegalArgumentException("fromCpu: array must not be null");
        if (x.backend() == this) return x;
        if (x.backend() != Backends.cpu()) throw new IllegalArgumentException("fromCpu: expected a CPU array, got one on " + x.backend().name());
        int[] shape = x.dims();
        NDArray out = empty(x.dtype(), shape);
        int n = x.size();
        if (n == 0) return out;
        ClContext cx = ctx();
        org.jocl.cl_mem mem = ClStorage.of(out).mem;
        if (n == 1) {           // a scalar (every x.add(2.0)): a fill, which does not wait for the queue
            fillContiguous(out, x.toDoubleArray()[0], x.dtype() == DType.I64 ? x.toLongArray()[0] : 0);
            return out;
        }
        switch (x.dtype()) {
            case F32 -> cx.write(mem, 0, 4L * n, Pointer.to(x.toFloatArray()));
            case F64 -> cx.write(mem, 0, 8L * n, Pointer.to(x.toDoubleArray()));
            case I64 -> cx.write(mem, 0, 8L * n, Pointer.to(x.toLongArray()));
            case BOOL -> {
                boolean[] b = x.toBooleanArray();
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = (byte) (b[i] ? 1 : 0);
                cx.write(mem, 0, n, Pointer.to(a));
            }
        }
        return out;
    }

    /** Fills a contiguous array with v (I64 takes the exact {@code lv}) without waiting. */
    private void fillContiguous(NDArray dst, double v, long lv) {
        ClContext cx = ctx();
        org.jocl.cl_mem mem = ClStorage.of(dst).mem;
        long eb = ClContext.elementBytes(dst.dtype()), from = dst.offset() * eb, bytes = dst.size() * eb;
        switch (dst.dtype()) {
            case F32 -> cx.fillBytes(mem, from, bytes, Pointer.to(new float[]{(float) v}), 4);
            case F64 -> cx.fillBytes(mem, from, bytes, Pointer.to(new double[]{v}), 8);
            case I64 -> cx.fillBytes(mem, from, bytes, Pointer.to(new long[]{lv}), 8);
            case BOOL -> cx.fillBytes(mem, from, bytes, Pointer.to(new byte[]{(byte) (v != 0 ? 1 : 0)}), 1);
        }
    }

    @Override
    public void fill(NDArray dst, double v) {
        storage("fill", dst);
        if (dst.isContiguous()) {
            fillContiguous(dst, v, (long) v);
        } else {
            ClWalk w = ClWalk.of(dst.dims(), dst.strides());
            if (w.rank() > 8) {           // fill slice by slice along dim 0
                for (int i = 0; i < dst.dims()[0]; i++) fill(dst.select(0, i), v);
                return;
            }
            ctx().launch("elementwise.cl", dst.dtype(), "fill_strided").buf(dst).i32(dst.offset()).int8(w.strides[0])
                    .int8(w.shape).i32(w.rank()).i32(dst.size()).scalar(dst.dtype(), v).run(dst.size());
        }
        dst.bumpVersion();
    }

    @Override
    public NDArray copy(NDArray x) {
        storage("copy", x);
        NDArray out = empty(x.dtype(), x.dims());
        copyRaw(x, out);
        return out;
    }

    /** dst ← src elementwise (same shape and dtype), any strides on both sides; no version bump. */
    private void copyRaw(NDArray src, NDArray dst) {
        if (dst.size() == 0) return;
        long eb = ClContext.elementBytes(src.dtype());
        if (src.isContiguous() && dst.isContiguous()) {
            ctx().copyBytes(ClStorage.of(src).mem, src.offset() * eb, ClStorage.of(dst).mem, dst.offset() * eb, src.size() * eb);
            return;
        }
        ClWalk w = ClWalk.of(dst.dims(), dst.strides(), src.strides());
        if (w.rank() > 8) {
            for (int i = 0; i < dst.dims()[0]; i++) copyRaw(src.select(0, i), dst.select(0, i));
            return;
        }
        ctx().launch("elementwise.cl", src.dtype(), "copy_strided").buf(dst).i32(dst.offset()).int8(w.strides[0])
                .buf(src).i32(src.offset()).int8(w.strides[1]).int8(w.shape).i32(w.rank()).i32(dst.size()).run(dst.size());
    }

    @Override
    public void copyInto(NDArray source, NDArray dst) {
        storage("copyInto", source);
        storage("copyInto", dst);
        if (!Arrays.equals(source.dims(), dst.dims()) || source.dtype() != dst.dtype())
            throw new IllegalArgumentException("copyInto: source " + source.dtype() + " " + source.shape() + " does not match destination "
                    + dst.dtype() + " " + dst.shape());
        int[] s = dst.dims(), st = dst.strides();
        for (int i = 0; i < s.length; i++) {
            if (s[i] > 1 && st[i] == 0) throw new IllegalArgumentException("copyInto: the destination of shape " + dst.shape()
                    + " with strides " + Arrays.toString(st) + " has elements that share memory (an expanded view); write into a copy instead");
        }
        // a source in the destination's own storage (its transpose) is read in full first
        NDArray src = source.sharesStorage(dst) ? copy(source) : source;
        copyRaw(src, dst);
        dst.bumpVersion();
    }

    @Override
    public NDArray cast(NDArray x, DType t) {
        storage("cast", x);
        if (x.dtype() == t) return copy(x);
        ClContext cx = ctx();
        cx.requireDtype("cast", x.dtype());
        cx.requireDtype("cast", t);
        NDArray out = empty(t, x.dims());
        if (x.size() == 0) return out;
        NDArray[] ops = {x};
        int[][] st = {x.strides()};
        ClWalk w = walk(x.dims(), ops, st);
        NDArray in = ops[0];
        DType s = x.dtype();
        String opts = "-DS=" + ClContext.clType(s) + " -DT=" + ClContext.clType(t) + (cx.device.fp64() ? " -DUSE_FP64" : "")
                + (s == DType.BOOL ? " -DSRC_BOOL" : "") + (t == DType.BOOL ? " -DDST_BOOL" : "")
                + (t == DType.I64 && s.isFloating() ? " -DDST_LONG" : "") + (s == DType.I64 ? " -DSRC_LONG" : "")
                + (t == DType.F32 ? " -DDST_FLOAT" : "");
        cx.launch("cast.cl", opts, "cast").buf(out).buf(in).i32(in.offset()).int8(w.strides[0]).int8(w.shape).i32(w.rank())
                .i32(x.size()).run(x.size());
        return out;
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public NDArray unary(UnaryOp op, NDArray x) {
        storage(lower(op), x);
        String name = lower(op);
        DType t = x.dtype();
        switch (t) {
            case F32, F64 -> {
                if (op == UnaryOp.NOT) throw new IllegalArgumentException("not: expected BOOL, got " + t);
            }
            case I64 -> {
                switch (op) {
                    case NEG, ABS, SIGN, SQUARE -> {}
                    default -> throw new IllegalArgumentException(name + ": not defined for I64 (convert with to(F64))");
                }
            }
            case BOOL -> {
                if (op != UnaryOp.NOT) throw new IllegalArgumentException(name + ": not defined for BOOL (convert with to(F32))");
            }
        }
        NDArray out = empty(t, x.dims());
        if (x.size() == 0) return out;
        if (x.isContiguous()) {
            ctx().launch("elementwise.cl", t, "unary_contiguous").i32(op.ordinal()).buf(out).buf(x).i32(x.offset()).i32(x.size()).run(x.size());
            return out;
        }
        NDArray[] ops = {x};
        int[][] st = {x.strides()};
        ClWalk w = walk(x.dims(), ops, st);
        ctx().launch("elementwise.cl", t, "unary").i32(op.ordinal()).buf(out).buf(ops[0]).i32(ops[0].offset()).int8(w.strides[0])
                .int8(w.shape).i32(w.rank()).i32(x.size()).run(x.size());
        return out;
    }

    @Override
    public NDArray polygamma(int order, NDArray x) {
        storage("polygamma", x);
        requireFloating("polygamma", x);
        if (order < 0) throw new IllegalArgumentException("polygamma: order must be >= 0, got " + order);
        if (order > 32) return fromCpu(toCpu(x).polygamma(order));   // the cot polynomial of the reflection has order + 2 terms
        NDArray out = empty(x.dtype(), x.dims());
        if (x.size() == 0) return out;
        NDArray[] ops = {x};
        int[][] st = {x.strides()};
        ClWalk w = walk(x.dims(), ops, st);
        double fact = 1;
        for (int i = 2; i <= order; i++) fact *= i;
        ClLaunch l = ctx().launch("elementwise.cl", x.dtype(), "polygamma").i32(order);
        if (ctx().device.fp64()) l.f64(fact).f64(Math.log(fact));
        else l.f32((float) fact).f32((float) Math.log(fact));
        l.buf(out).buf(ops[0]).i32(ops[0].offset()).int8(w.strides[0]).int8(w.shape).i32(w.rank()).i32(x.size()).run(x.size());
        return out;
    }

    @Override
    public NDArray clamp(NDArray x, double lo, double hi) {
        storage("clamp", x);
        requireFloating("clamp", x);
        if (lo > hi) throw new IllegalArgumentException("clamp: lo (" + lo + ") must be <= hi (" + hi + ")");
        NDArray out = empty(x.dtype(), x.dims());
        if (x.size() == 0) return out;
        NDArray[] ops = {x};
        int[][] st = {x.strides()};
        ClWalk w = walk(x.dims(), ops, st);
        ctx().launch("elementwise.cl", x.dtype(), "clamp_k").buf(out).buf(ops[0]).i32(ops[0].offset()).int8(w.strides[0]).int8(w.shape)
                .i32(w.rank()).i32(x.size()).scalar(x.dtype(), lo).scalar(x.dtype(), hi).run(x.size());
        return out;
    }

    @Override
    public NDArray binary(BinaryOp op, NDArray a, NDArray b) {
        String name = lower(op);
        storage(name, a);
        storage(name, b);
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException(name + ": dtype mismatch " + a.dtype() + " and " + b.dtype()
                + " (convert one with to(DType))");
        boolean cmp = op.isComparison();
        boolean logical = op == BinaryOp.AND || op == BinaryOp.OR;
        DType t = a.dtype();
        if (t.isFloating() && logical) throw new IllegalArgumentException(name + ": expected BOOL, got " + t);
        if (t == DType.BOOL && !(logical || op == BinaryOp.EQ || op == BinaryOp.NE))
            throw new IllegalArgumentException(name + ": not defined for BOOL (convert with to(F32))");
        if (t == DType.I64 && (logical || op == BinaryOp.DIV || op == BinaryOp.POW || op == BinaryOp.ATAN2 || op == BinaryOp.FMOD))
            throw new IllegalArgumentException(name + ": not defined for I64 (convert with to(F64))");
        int[] shape = Shapes.broadcast(name, a.dims(), b.dims());
        NDArray out = empty(cmp ? DType.BOOL : t, shape);
        int n = out.size();
        if (n == 0) return out;
        if (!cmp && a.isContiguous() && Arrays.equals(a.dims(), shape)
                && ((b.isContiguous() && Arrays.equals(b.dims(), shape)) || b.size() == 1)) {
            ctx().launch("elementwise.cl", t, "binary_contiguous").i32(op.ordinal()).buf(out).buf(a).i32(a.offset()).buf(b)
                    .i32(b.offset()).i32(b.size() == 1 && n != 1 ? 0 : 1).i32(n).run(n);
            return out;
        }
        NDArray[] ops = {a, b};
        int[][] st = {ClWalk.broadcastStrides(a.dims(), a.strides(), shape), ClWalk.broadcastStrides(b.dims(), b.strides(), shape)};
        ClWalk w = walk(shape, ops, st);
        ctx().launch("elementwise.cl", t, cmp ? "compare" : "binary").i32(op.ordinal()).buf(out).buf(ops[0]).i32(ops[0].offset())
                .int8(w.strides[0]).buf(ops[1]).i32(ops[1].offset()).int8(w.strides[1]).int8(w.shape).i32(w.rank()).i32(n).run(n);
        return out;
    }

    @Override
    public NDArray where(NDArray cond, NDArray a, NDArray b) {
        storage("where", cond);
        storage("where", a);
        storage("where", b);
        if (cond.dtype() != DType.BOOL) throw new IllegalArgumentException("where: condition must be BOOL, got " + cond.dtype());
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException("where: dtype mismatch " + a.dtype() + " and " + b.dtype());
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.dims(), a.dims()), b.dims());
        NDArray out = empty(a.dtype(), shape);
        int n = out.size();
        if (n == 0) return out;
        NDArray[] ops = {cond, a, b};
        int[][] st = {ClWalk.broadcastStrides(cond.dims(), cond.strides(), shape), ClWalk.broadcastStrides(a.dims(), a.strides(), shape),
                ClWalk.broadcastStrides(b.dims(), b.strides(), shape)};
        ClWalk w = walk(shape, ops, st);
        ctx().launch("elementwise.cl", a.dtype(), "where_k").buf(out).buf(ops[0]).i32(ops[0].offset()).int8(w.strides[0])
                .buf(ops[1]).i32(ops[1].offset()).int8(w.strides[1]).buf(ops[2]).i32(ops[2].offset()).int8(w.strides[2])
                .int8(w.shape).i32(w.rank()).i32(n).run(n);
        return out;
    }

    // ------------------------------------------------------------------ reductions, matmul, movement

    @Override
    public NDArray reduce(ReduceOp op, NDArray x, int[] dims, boolean keepDim) { return ClReduce.reduce(this, op, x, dims, keepDim); }

    @Override
    public NDArray argReduce(boolean max, NDArray x, int dim, boolean keepDim) { return ClReduce.argReduce(this, max, x, dim, keepDim); }

    @Override
    public NDArray logSumExp(NDArray x, int[] dims, boolean keepDim) { return ClReduce.logSumExp(this, x, dims, keepDim); }

    @Override
    public NDArray cumsum(NDArray x, int dim) { return ClReduce.cumsum(this, x, dim); }

    @Override
    public NDArray matmul(NDArray a, NDArray b) { return ClMatmul.matmul(this, a, b); }

    @Override
    public NDArray cat(List<NDArray> arrays, int dim) {
        if (arrays.isEmpty()) throw new IllegalArgumentException("cat: expected at least one array");
        NDArray first = arrays.getFirst();
        int r = first.rank();
        if (r == 0) throw new IllegalArgumentException("cat: zero-dimensional arrays cannot be concatenated");
        int d = Shapes.axis("cat", dim, r);
        long total = 0;
        for (int i = 0; i < arrays.size(); i++) {
            NDArray x = arrays.get(i);
            storage("cat", x);
            if (x.dtype() != first.dtype()) throw new IllegalArgumentException("cat: array " + i + " has dtype " + x.dtype() + ", expected " + first.dtype());
            boolean ok = x.rank() == r;
            for (int j = 0; ok && j < r; j++) ok = j == d || x.dims()[j] == first.dims()[j];
            if (!ok) throw new IllegalArgumentException("cat: array " + i + " has shape " + x.shape() + ", expected "
                    + first.shape() + " except along dim " + d);
            total += x.dims()[d];
        }
        long[] ls = new long[r];
        for (int j = 0; j < r; j++) ls[j] = j == d ? total : first.dims()[j];
        Shapes.size("cat", ls);
        int[] s = first.dims();
        s[d] = (int) total;
        NDArray out = empty(first.dtype(), s);
        int pos = 0;
        for (NDArray x : arrays) {
            copyRaw(x, out.narrow(d, pos, x.dims()[d]));
            pos += x.dims()[d];
        }
        return out;
    }

    @Override
    public NDArray indexSelect(NDArray x, int dim, NDArray index) { return ClIndex.indexSelect(this, x, dim, index); }

    @Override
    public void indexSelectInto(NDArray x, int dim, NDArray index, NDArray out) { ClIndex.indexSelectInto(this, x, dim, index, out); }

    @Override
    public NDArray gather(NDArray x, int dim, NDArray index) { return ClIndex.gather(this, x, dim, index); }

    @Override
    public NDArray scatterAdd(NDArray x, int dim, NDArray index, NDArray src) { return ClIndex.scatterAdd(this, x, dim, index, src); }

    // ------------------------------------------------------------------ fused optimiser updates

    @Override
    public void sgdStep(NDArray param, NDArray grad, NDArray momentumBuffer, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean firstStep) {
        ClOptim.sgd(this, param, grad, momentumBuffer, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq, long step, double lr,
                         double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        ClOptim.adam(this, param, grad, expAvg, expAvgSq, maxExpAvgSq, step, lr, beta1, beta2, eps, weightDecay, decoupled);
    }

    @Override
    public void rmspropStep(NDArray param, NDArray grad, NDArray squareAvg, NDArray gradAvg, NDArray momentumBuffer, double lr,
                            double alpha, double eps, double weightDecay, double momentum) {
        ClOptim.rmsprop(this, param, grad, squareAvg, gradAvg, momentumBuffer, lr, alpha, eps, weightDecay, momentum);
    }

    // ------------------------------------------------------------------ special functions, samplers, linear algebra

    @Override
    public NDArray special(SpecialFn fn, NDArray[] args) { return ClSpecial.special(this, fn, args); }

    @Override
    public NDArray uniform(Generator gen, DType t, double low, double high, int[] shape) { return ClRandom.uniform(this, gen, t, low, high, shape); }

    @Override
    public NDArray normal(Generator gen, DType t, double mean, double std, int[] shape) { return ClRandom.normal(this, gen, t, mean, std, shape); }

    @Override
    public NDArray randint(Generator gen, long low, long high, int[] shape) { return ClRandom.randint(this, gen, low, high, shape); }

    @Override
    public NDArray bernoulli(Generator gen, double p, int[] shape) { return ClRandom.bernoulli(this, gen, p, shape); }

    @Override
    public NDArray permutation(Generator gen, int n) { return ClRandom.permutation(this, gen, n); }

    @Override
    public NDArray multinomial(Generator gen, NDArray weights, int samples, boolean replacement) {
        return ClRandom.multinomial(this, gen, weights, samples, replacement);
    }

    @Override
    public NDArray standardGamma(Generator gen, NDArray alpha) { return ClRandom.standardGamma(this, gen, alpha); }

    @Override
    public NDArray poisson(Generator gen, NDArray rate) { return ClRandom.poisson(this, gen, rate); }

    @Override
    public NDArray cholesky(NDArray a) { return ClLinalg.cholesky(this, a); }

    @Override
    public NDArray triangularSolve(NDArray a, NDArray b, boolean upper, boolean left, boolean unitDiagonal) {
        return ClLinalg.triangularSolve(this, a, b, upper, left, unitDiagonal);
    }

    @Override
    public NDArray solve(NDArray a, NDArray b) { return ClLinalg.solve(this, a, b); }

    @Override
    public NDArray inverse(NDArray a) { return ClLinalg.inverse(this, a); }

    @Override
    public NDArray adjugate(NDArray a) { return ClLinalg.adjugate(this, a); }

    @Override
    public NDArray[] slogdet(NDArray a) { return ClLinalg.slogdet(this, a); }
}
