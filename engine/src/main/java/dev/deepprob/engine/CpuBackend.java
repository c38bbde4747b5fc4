package dev.deepprob.engine;

import dev.deepprob.engine.cpu.FloatKernels;
import dev.deepprob.engine.cpu.LinalgKernels;
import dev.deepprob.engine.cpu.Pool;
import dev.deepprob.engine.cpu.SpecialExtra;

import java.util.Arrays;
import java.util.List;

/**
 * The built-in CPU backend: shape logic, broadcasting and the row walk live here; the arithmetic is in the
 * Vector API kernels of {@code dev.deepprob.engine.cpu}. Contiguous operands take a single kernel call with no
 * allocation beyond the result.
 */
final class CpuBackend implements Backend {
    /** The flag every JVM that runs deepprob needs; named in the first-use error. */
    static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    /**
     * Why the kernels cannot run in this JVM, or null when they can: found once, before any kernel class loads,
     * so a JVM started without the flag gets a message naming it instead of a {@code NoClassDefFoundError} from
     * deep inside a reduction.
     */
    private static final String VECTOR_API_MISSING = vectorApiMissing();

    private static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    /**
     * The backend, once the JVM is known to have the Vector API: every route to the CPU kernels (a CPU array's
     * storage, {@link Backends#cpu()}) comes through here, so each one fails the same way, with the fix.
     */
    static CpuBackend instance() {
        if (VECTOR_API_MISSING != null) throw new IllegalStateException(VECTOR_API_MISSING);
        return INSTANCE;
    }

    /**
     * The incubating {@code jdk.incubator.vector} module is resolved only when asked for: on the class path by the
     * flag, on the module path by the engine's {@code requires transitive}. Checks that it is in the engine's
     * layer (the boot layer for the class path) and readable by the engine.
     */
    private static String vectorApiMissing() {
        Module self = CpuBackend.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        var vector = layer.findModule("jdk.incubator.vector");
        if (vector.isPresent() && self.canRead(vector.get())) return null;
        return "deepprob: the JVM was started without the Vector API module, which the CPU kernels need; start it with "
                + VECTOR_FLAG + ". Where it goes: the java command line (java " + VECTOR_FLAG + " -cp ... Main); "
                + "mvn exec:java runs inside Maven's JVM, so put it in .mvn/jvm.config or MAVEN_OPTS; Maven Surefire: "
                + "<argLine>" + VECTOR_FLAG + "</argLine>; Gradle: jvmArgs; an IDE: the run configuration's VM options. "
                + "On the module path, a module that requires dev.deepprob.engine gets it without the flag.";
    }

    @Override
    public String name() { return "cpu"; }

    private static String lower(Enum<?> e) { return e.name().toLowerCase(); }

    private static void requireFloating(String op, NDArray x) {
        if (!x.dtype.isFloating()) throw new IllegalArgumentException(op + ": expected F32 or F64, got " + x.dtype);
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public NDArray unary(UnaryOp op, NDArray x) {
        String name = lower(op);
        NDArray out = NDArray.empty(op == UnaryOp.NOT ? DType.BOOL : x.dtype, x.shape);
        switch (x.dtype) {
            case F32, F64 -> {
                if (op == UnaryOp.NOT) throw new IllegalArgumentException("not: expected BOOL, got " + x.dtype);
                FloatKernels k = FloatKernels.of(x.dtype);
                Object a = x.heapArray(), o = out.heapArray();
                if (x.isContiguous() && x.size < Loop.PARALLEL_MIN) k.unary(op, a, x.offset, 1, o, 0, x.size);
                else Loop.run(x.shape, new int[][]{x.strides, out.strides}, new int[]{x.offset, 0},
                        (off, st, n) -> k.unary(op, a, off[0], st[0], o, off[1], n));
            }
            case I64 -> {
                long[] a = (long[]) x.heapArray(), o = (long[]) out.heapArray();
                switch (op) {
                    case NEG, ABS, SIGN, SQUARE -> {}
                    default -> throw new IllegalArgumentException(name + ": not defined for I64 (convert with to(F64))");
                }
                Loop.run(x.shape, new int[][]{x.strides, out.strides}, new int[]{x.offset, 0}, (off, st, n) -> {
                    for (int i = 0, p = off[0]; i < n; i++, p += st[0]) {
                        long v = a[p];
                        o[off[1] + i] = switch (op) {
                            case NEG -> -v;
                            case ABS -> Math.abs(v);
                            case SIGN -> Long.signum(v);
                            default -> v * v;
                        };
                    }
                });
            }
            case BOOL -> {
                if (op != UnaryOp.NOT) throw new IllegalArgumentException(name + ": not defined for BOOL (convert with to(F32))");
                boolean[] a = (boolean[]) x.heapArray(), o = (boolean[]) out.heapArray();
                Loop.run(x.shape, new int[][]{x.strides, out.strides}, new int[]{x.offset, 0}, (off, st, n) -> {
                    for (int i = 0, p = off[0]; i < n; i++, p += st[0]) o[off[1] + i] = !a[p];
                });
            }
        }
        return out;
    }

    @Override
    public NDArray polygamma(int order, NDArray x) {
        requireFloating("polygamma", x);
        if (order < 0) throw new IllegalArgumentException("polygamma: order must be >= 0, got " + order);
        NDArray out = NDArray.empty(x.dtype, x.shape);
        FloatKernels k = FloatKernels.of(x.dtype);
        Object a = x.heapArray(), o = out.heapArray();
        Loop.run(x.shape, new int[][]{x.strides, out.strides}, new int[]{x.offset, 0},
                (off, st, n) -> k.polygamma(order, a, off[0], st[0], o, off[1], n));
        return out;
    }

    @Override
    public NDArray clamp(NDArray x, double lo, double hi) {
        requireFloating("clamp", x);
        if (lo > hi) throw new IllegalArgumentException("clamp: lo (" + lo + ") must be <= hi (" + hi + ")");
        NDArray out = NDArray.empty(x.dtype, x.shape);
        FloatKernels k = FloatKernels.of(x.dtype);
        Object a = x.heapArray(), o = out.heapArray();
        Loop.run(x.shape, new int[][]{x.strides, out.strides}, new int[]{x.offset, 0},
                (off, st, n) -> k.clamp(a, off[0], st[0], lo, hi, o, off[1], n));
        return out;
    }

    @Override
    public NDArray binary(BinaryOp op, NDArray a, NDArray b) {
        String name = lower(op);
        if (a.dtype != b.dtype) throw new IllegalArgumentException(name + ": dtype mismatch " + a.dtype + " and " + b.dtype
                + " (convert one with to(DType))");
        boolean cmp = op.isComparison();
        boolean logical = op == BinaryOp.AND || op == BinaryOp.OR;
        DType t = a.dtype;
        if (t.isFloating() && logical) throw new IllegalArgumentException(name + ": expected BOOL, got " + t);
        if (t == DType.BOOL && !(logical || op == BinaryOp.EQ || op == BinaryOp.NE))
            throw new IllegalArgumentException(name + ": not defined for BOOL (convert with to(F32))");
        if (t == DType.I64 && (logical || op == BinaryOp.DIV || op == BinaryOp.POW || op == BinaryOp.ATAN2 || op == BinaryOp.FMOD))
            throw new IllegalArgumentException(name + ": not defined for I64 (convert with to(F64))");
        // fast path: equal shapes, both contiguous, small -- one kernel call, no allocation but the result
        if (t.isFloating() && a.size < Loop.PARALLEL_MIN && a.isContiguous()) {
            boolean same = Arrays.equals(a.shape, b.shape) && b.isContiguous();
            boolean bScalar = b.size == 1 && b.shape.length <= a.shape.length;
            if (same || bScalar) {
                NDArray out = NDArray.empty(cmp ? DType.BOOL : t, a.shape);
                int bs = same ? 1 : 0;
                FloatKernels k = FloatKernels.of(t);
                if (cmp) k.compare(op, a.heapArray(), a.offset, 1, b.heapArray(), b.offset, bs, (boolean[]) out.heapArray(), 0, a.size);
                else k.binary(op, a.heapArray(), a.offset, 1, b.heapArray(), b.offset, bs, out.heapArray(), 0, a.size);
                return out;
            }
        }
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        NDArray out = NDArray.empty(cmp ? DType.BOOL : t, shape);
        int[][] st = {Loop.broadcastStrides(a, shape), Loop.broadcastStrides(b, shape), out.strides};
        int[] offs = {a.offset, b.offset, 0};
        switch (t) {
            case F32, F64 -> {
                FloatKernels k = FloatKernels.of(t);
                Object x = a.heapArray(), y = b.heapArray();
                if (cmp) {
                    boolean[] o = (boolean[]) out.heapArray();
                    Loop.run(shape, st, offs, (off, s, n) -> k.compare(op, x, off[0], s[0], y, off[1], s[1], o, off[2], n));
                } else {
                    Object o = out.heapArray();
                    Loop.run(shape, st, offs, (off, s, n) -> k.binary(op, x, off[0], s[0], y, off[1], s[1], o, off[2], n));
                }
            }
            case I64 -> {
                long[] x = (long[]) a.heapArray(), y = (long[]) b.heapArray();
                Object o = out.heapArray();
                Loop.run(shape, st, offs, (off, s, n) -> {
                    for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += s[0], q += s[1]) {
                        long u = x[p], v = y[q];
                        if (cmp) ((boolean[]) o)[off[2] + i] = compareLong(op, u, v);
                        else ((long[]) o)[off[2] + i] = switch (op) {
                            case ADD -> u + v;
                            case SUB -> u - v;
                            case MUL -> u * v;
                            case MAX -> Math.max(u, v);
                            default -> Math.min(u, v);
                        };
                    }
                });
            }
            case BOOL -> {
                boolean[] x = (boolean[]) a.heapArray(), y = (boolean[]) b.heapArray(), o = (boolean[]) out.heapArray();
                Loop.run(shape, st, offs, (off, s, n) -> {
                    for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += s[0], q += s[1]) {
                        boolean u = x[p], v = y[q];
                        o[off[2] + i] = switch (op) {
                            case AND -> u && v;
                            case OR -> u || v;
                            case EQ -> u == v;
                            default -> u != v;
                        };
                    }
                });
            }
        }
        return out;
    }

    private static boolean compareLong(BinaryOp op, long u, long v) {
        return switch (op) {
            case EQ -> u == v;
            case NE -> u != v;
            case LT -> u < v;
            case LE -> u <= v;
            case GT -> u > v;
            default -> u >= v;
        };
    }

    @Override
    public NDArray where(NDArray cond, NDArray a, NDArray b) {
        if (cond.dtype != DType.BOOL) throw new IllegalArgumentException("where: condition must be BOOL, got " + cond.dtype);
        if (a.dtype != b.dtype) throw new IllegalArgumentException("where: dtype mismatch " + a.dtype + " and " + b.dtype);
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        NDArray out = NDArray.empty(a.dtype, shape);
        int[][] st = {Loop.broadcastStrides(cond, shape), Loop.broadcastStrides(a, shape), Loop.broadcastStrides(b, shape), out.strides};
        int[] offs = {cond.offset, a.offset, b.offset, 0};
        boolean[] c = (boolean[]) cond.heapArray();
        switch (a.dtype) {
            case F32, F64 -> {
                FloatKernels k = FloatKernels.of(a.dtype);
                Object x = a.heapArray(), y = b.heapArray(), o = out.heapArray();
                Loop.run(shape, st, offs, (off, s, n) -> k.where(c, off[0], s[0], x, off[1], s[1], y, off[2], s[2], o, off[3], n));
            }
            case I64 -> {
                long[] x = (long[]) a.heapArray(), y = (long[]) b.heapArray(), o = (long[]) out.heapArray();
                Loop.run(shape, st, offs, (off, s, n) -> {
                    for (int i = 0; i < n; i++) o[off[3] + i] = c[off[0] + i * s[0]] ? x[off[1] + i * s[1]] : y[off[2] + i * s[2]];
                });
            }
            case BOOL -> {
                boolean[] x = (boolean[]) a.heapArray(), y = (boolean[]) b.heapArray(), o = (boolean[]) out.heapArray();
                Loop.run(shape, st, offs, (off, s, n) -> {
                    for (int i = 0; i < n; i++) o[off[3] + i] = c[off[0] + i * s[0]] ? x[off[1] + i * s[1]] : y[off[2] + i * s[2]];
                });
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ reductions

    /** x with the kept axes first and the reduced axes last, as a contiguous array (copied only when needed). */
    private static NDArray keptThenReduced(NDArray x, int[] axes) {
        return keptThenReducedView(x, axes).contiguous();
    }

    private static NDArray keptThenReducedView(NDArray x, int[] axes) {
        int[] order = new int[x.shape.length];
        boolean[] red = new boolean[x.shape.length];
        for (int a : axes) red[a] = true;
        int k = 0;
        for (int i = 0; i < order.length; i++) if (!red[i]) order[k++] = i;
        for (int a : axes) order[k++] = a;
        return x.permute(order);
    }

    /** The reduced-then-kept permutation of x when it is contiguous (reducing leading axes), else null. */
    private static NDArray reducedThenKept(NDArray x, int[] axes) {
        int[] order = new int[x.shape.length];
        boolean[] red = new boolean[x.shape.length];
        for (int a : axes) red[a] = true;
        int k = 0;
        for (int a : axes) order[k++] = a;
        for (int i = 0; i < order.length; i++) if (!red[i]) order[k++] = i;
        NDArray p = x.permute(order);
        return p.isContiguous() ? p : null;
    }

    @Override
    public NDArray reduce(ReduceOp op, NDArray x, int[] dims, boolean keepDim) {
        String name = lower(op);
        if (x.dtype == DType.BOOL) throw new IllegalArgumentException(name + ": not defined for BOOL (convert with to(I64) or to(F32))");
        int[] axes = Shapes.axes(name, dims, x.shape.length);
        int[] outShape = Shapes.reducedShape(x.shape, axes, keepDim);
        int redSize = 1;
        for (int a : axes) redSize *= x.shape[a];
        int keptSize = x.size / Math.max(redSize, 1);
        if (redSize == 0) keptSize = Shapes.size(outShape);
        NDArray out = NDArray.empty(x.dtype, outShape);
        if (redSize == 0 || x.size == 0) {
            if (redSize == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN) && keptSize > 0)
                throw new IllegalArgumentException(name + ": cannot reduce over an empty dim of shape " + Shapes.str(x.shape));
            out.fillInPlace(op == ReduceOp.PROD ? 1 : 0);
            return out;
        }
        if (x.dtype == DType.I64) {
            NDArray c = keptThenReduced(x, axes);
            long[] a = (long[]) c.heapArray(), o = (long[]) out.heapArray();
            for (int r = 0; r < keptSize; r++) {
                int base = c.offset + r * redSize;
                long acc = a[base];
                for (int i = 1; i < redSize; i++) {
                    long v = a[base + i];
                    acc = switch (op) {
                        case SUM -> acc + v;
                        case PROD -> acc * v;
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                    };
                }
                o[r] = acc;
            }
            return out;
        }
        // rows of the reduced axes already contiguous: reduce each row; else reducing leading axes of a
        // contiguous layout: accumulate whole rows (SIMD across the kept axes); else copy into rows
        NDArray lead = keptSize > 1 && !keptThenReducedView(x, axes).isContiguous() ? reducedThenKept(x, axes) : null;
        final int ks = keptSize, rs = redSize;
        FloatKernels k = FloatKernels.of(x.dtype);
        Object o = out.heapArray();
        if (lead != null) {
            int base = lead.offset;
            Object a = lead.heapArray();
            System.arraycopy(a, base, o, 0, ks);
            parallelColumns(ks, rs, (c0, c1) -> {
                for (int r = 1; r < rs; r++) k.accumulate(op, a, base + r * ks + c0, o, c0, c1 - c0);
            });
            return out;
        }
        NDArray c = keptThenReduced(x, axes);
        int base = c.offset;
        Object a = c.heapArray();
        parallelRows(ks, rs, r -> k.reduce(op, a, base + r * rs, 1, rs, o, r));
        return out;
    }

    private interface ColumnRange { void run(int c0, int c1); }

    private static void parallelColumns(int cols, int rows, ColumnRange body) {
        long work = (long) cols * rows;
        int tasks = work >= Loop.PARALLEL_MIN && Pool.threads() > 1 ? Math.min(Pool.threads() * 2, Math.max(1, cols / 256)) : 1;
        if (tasks <= 1) {
            body.run(0, cols);
            return;
        }
        Pool.parallelFor(tasks, t -> body.run((int) ((long) cols * t / tasks), (int) ((long) cols * (t + 1) / tasks)));
    }

    private static void parallelRows(int rows, int rowLen, java.util.function.IntConsumer body) {
        long work = (long) rows * rowLen;
        int tasks = work >= Loop.PARALLEL_MIN && Pool.threads() > 1 ? Math.min(rows, Pool.threads() * 2) : 1;
        if (tasks <= 1) {
            for (int r = 0; r < rows; r++) body.accept(r);
            return;
        }
        Pool.parallelFor(tasks, t -> {
            int a = (int) ((long) rows * t / tasks), b = (int) ((long) rows * (t + 1) / tasks);
            for (int r = a; r < b; r++) body.accept(r);
        });
    }

    @Override
    public NDArray argReduce(boolean max, NDArray x, int dim, boolean keepDim) {
        String name = max ? "argmax" : "argmin";
        requireFloating(name, x);
        if (x.shape.length == 0) return NDArray.cpuFull(DType.I64, 0, new int[0]);
        int d = Shapes.axis(name, dim, x.shape.length);
        if (x.shape[d] == 0) throw new IllegalArgumentException(name + ": cannot reduce over an empty dim of shape " + Shapes.str(x.shape));
        int[] axes = {d};
        NDArray c = keptThenReduced(x, axes);
        int rs = x.shape[d], ks = x.size / rs;
        NDArray out = NDArray.empty(DType.I64, Shapes.reducedShape(x.shape, axes, keepDim));
        long[] o = (long[]) out.heapArray();
        int base = c.offset;
        FloatKernels k = FloatKernels.of(x.dtype);
        Object a = c.heapArray();
        for (int r = 0; r < ks; r++) o[r] = k.argReduce(max, a, base + r * rs, 1, rs);
        return out;
    }

    @Override
    public NDArray logSumExp(NDArray x, int[] dims, boolean keepDim) {
        requireFloating("logSumExp", x);
        int[] axes = Shapes.axes("logSumExp", dims, x.shape.length);
        int rs = 1;
        for (int a : axes) rs *= x.shape[a];
        NDArray out = NDArray.empty(x.dtype, Shapes.reducedShape(x.shape, axes, keepDim));
        if (rs == 0) return out.fillInPlace(Double.NEGATIVE_INFINITY);
        NDArray c = keptThenReduced(x, axes);
        int ks = x.size / rs, base = c.offset;
        final int frs = rs;
        FloatKernels k = FloatKernels.of(x.dtype);
        Object a = c.heapArray(), o = out.heapArray();
        parallelRows(ks, rs, r -> k.logSumExp(a, base + r * frs, 1, frs, o, r));
        return out;
    }

    @Override
    public NDArray cumsum(NDArray x, int dim) {
        requireFloating("cumsum", x);
        if (x.shape.length == 0) return x.copy();
        int d = Shapes.axis("cumsum", dim, x.shape.length);
        int[] order = new int[x.shape.length];
        for (int i = 0, k = 0; i < order.length; i++) if (i != d) order[k++] = i;
        order[order.length - 1] = d;
        NDArray c = x.permute(order).contiguous();
        NDArray out = NDArray.empty(x.dtype, c.shape);
        int rs = x.shape[d], ks = rs == 0 ? 0 : x.size / rs;
        FloatKernels k = FloatKernels.of(x.dtype);
        Object a = c.heapArray(), o = out.heapArray();
        for (int r = 0; r < ks; r++) k.cumsum(a, c.offset + r * rs, 1, o, r * rs, rs);
        int[] inv = new int[order.length];
        for (int i = 0; i < order.length; i++) inv[order[i]] = i;
        return out.permute(inv).contiguous();
    }

    // ------------------------------------------------------------------ matmul

    @Override
    public NDArray matmul(NDArray a2, NDArray b2) {
        int ra = a2.shape.length, rb = b2.shape.length;
        int m = a2.shape[ra - 2], k = a2.shape[ra - 1], n = b2.shape[rb - 1];
        NDArray a = a2, b = b2;
        int[] batch = Shapes.broadcast("matmul", Arrays.copyOf(a2.shape, ra - 2), Arrays.copyOf(b2.shape, rb - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        NDArray out = NDArray.empty(a.dtype, Shapes.checkShape("matmul", outShape));
        int nb = Shapes.size(batch);
        int rsA = a2.strides[ra - 2], csA = a2.strides[ra - 1], rsB = b2.strides[rb - 2], csB = b2.strides[rb - 1];
        if (nb == 1) {
            gemm(a, b, m, n, k, a2.offset, rsA, csA, b2.offset, rsB, csB, out, 0);
        } else {
            int[] sa = batchStrides(a2, batch), sb = batchStrides(b2, batch);
            int[] idx = new int[batch.length];
            for (int t = 0; t < nb; t++) {
                int oa = a2.offset, ob = b2.offset, rem = t;
                for (int d = batch.length - 1; d >= 0; d--) {
                    idx[d] = rem % batch[d];
                    rem /= batch[d];
                    oa += idx[d] * sa[d];
                    ob += idx[d] * sb[d];
                }
                gemm(a, b, m, n, k, oa, rsA, csA, ob, rsB, csB, out, t * m * n);
            }
        }
        return out;
    }

    private static void gemm(NDArray a, NDArray b, int m, int n, int k, int aOff, int rsA, int csA, int bOff, int rsB, int csB,
                             NDArray out, int cOff) {
        FloatKernels.of(a.dtype).gemm(m, n, k, a.heapArray(), aOff, rsA, csA, b.heapArray(), bOff, rsB, csB, out.heapArray(), cOff, n, false);
    }

    /** Strides of x's leading (batch) dims broadcast to the batch shape. */
    private static int[] batchStrides(NDArray x, int[] batch) {
        int xb = x.shape.length - 2, lead = batch.length - xb;
        int[] s = new int[batch.length];
        for (int i = 0; i < xb; i++) s[i + lead] = x.shape[i] == 1 ? 0 : x.strides[i];
        return s;
    }

    // ------------------------------------------------------------------ movement

    @Override
    public NDArray copy(NDArray x) {
        NDArray out = NDArray.empty(x.dtype, x.shape);
        copyInto(x, out);
        return out;
    }

    @Override
    public void copyInto(NDArray source, NDArray dst) {
        if (!Arrays.equals(source.shape, dst.shape) || source.dtype != dst.dtype)
            throw new IllegalArgumentException("copyInto: source " + source.dtype + " " + Shapes.str(source.shape) + " does not match destination "
                    + dst.dtype + " " + Shapes.str(dst.shape));
        dst.checkWritable("copyInto");
        // a source in the destination's own storage (its transpose) is read in full first, or the loop would read overwritten values
        NDArray src = source.storage == dst.storage ? copy(source) : source;
        Object s = src.heapArray(), d = dst.heapArray();
        Loop.run(dst.shape, new int[][]{src.strides, dst.strides}, new int[]{src.offset, dst.offset}, (off, st, n) -> {
            if (st[0] == 1 && st[1] == 1) {
                System.arraycopy(s, off[0], d, off[1], n);
                return;
            }
            int p = off[0], q = off[1], a = st[0], b = st[1];
            switch (src.dtype) {
                case F32 -> { float[] x = (float[]) s, y = (float[]) d; for (int i = 0; i < n; i++, p += a, q += b) y[q] = x[p]; }
                case F64 -> { double[] x = (double[]) s, y = (double[]) d; for (int i = 0; i < n; i++, p += a, q += b) y[q] = x[p]; }
                case I64 -> { long[] x = (long[]) s, y = (long[]) d; for (int i = 0; i < n; i++, p += a, q += b) y[q] = x[p]; }
                case BOOL -> { boolean[] x = (boolean[]) s, y = (boolean[]) d; for (int i = 0; i < n; i++, p += a, q += b) y[q] = x[p]; }
            }
        });
        dst.storage.bumpVersion();
    }

    @Override
    public NDArray cast(NDArray x, DType t) {
        NDArray out = NDArray.empty(t, x.shape);
        if (x.dtype == t) {
            copyInto(x, out);
            return out;
        }
        Object o = out.heapArray();
        Loop.run(x.shape, new int[][]{x.strides, out.strides}, new int[]{x.offset, 0}, (off, st, n) -> {
            int p = off[0], s = st[0], q = off[1];
            if (x.dtype == DType.F32 && t == DType.F64) {
                float[] a = (float[]) x.heapArray();
                double[] b = (double[]) o;
                for (int i = 0; i < n; i++, p += s) b[q + i] = a[p];
            } else if (x.dtype == DType.F64 && t == DType.F32) {
                double[] a = (double[]) x.heapArray();
                float[] b = (float[]) o;
                for (int i = 0; i < n; i++, p += s) b[q + i] = (float) a[p];
            } else if (x.dtype == DType.BOOL && t == DType.F32) {
                // masks turned into 0/1 factors (clamp's and relu's gradients): a plain loop, not readAt/writeAt per element
                boolean[] a = (boolean[]) x.heapArray();
                float[] b = (float[]) o;
                for (int i = 0; i < n; i++, p += s) b[q + i] = a[p] ? 1f : 0f;
            } else if (x.dtype == DType.BOOL && t == DType.F64) {
                boolean[] a = (boolean[]) x.heapArray();
                double[] b = (double[]) o;
                for (int i = 0; i < n; i++, p += s) b[q + i] = a[p] ? 1.0 : 0.0;
            } else if (x.dtype == DType.I64 && t != DType.BOOL) {
                long[] a = (long[]) x.heapArray();
                for (int i = 0; i < n; i++, p += s) out.writeAt(q + i, a[p]);
            } else if (t == DType.I64 && x.dtype.isFloating()) {
                long[] b = (long[]) o;
                for (int i = 0; i < n; i++, p += s) b[q + i] = (long) x.readAt(p); // truncates toward zero, as PyTorch
            } else {
                for (int i = 0; i < n; i++, p += s) out.writeAt(q + i, x.readAt(p));
            }
        });
        return out;
    }

    @Override
    public NDArray cat(List<NDArray> arrays, int dim) {
        if (arrays.isEmpty()) throw new IllegalArgumentException("cat: expected at least one array");
        NDArray first = arrays.getFirst();
        int r = first.shape.length;
        if (r == 0) throw new IllegalArgumentException("cat: zero-dimensional arrays cannot be concatenated");
        int d = Shapes.axis("cat", dim, r);
        long total = 0;
        for (int i = 0; i < arrays.size(); i++) {
            NDArray x = arrays.get(i);
            if (x.dtype != first.dtype) throw new IllegalArgumentException("cat: array " + i + " has dtype " + x.dtype + ", expected " + first.dtype);
            boolean ok = x.shape.length == r;
            for (int j = 0; ok && j < r; j++) ok = j == d || x.shape[j] == first.shape[j];
            if (!ok) throw new IllegalArgumentException("cat: array " + i + " has shape " + Shapes.str(x.shape) + ", expected "
                    + Shapes.str(first.shape) + " except along dim " + d);
            total += x.shape[d];
        }
        long[] ls = new long[r];
        for (int j = 0; j < r; j++) ls[j] = j == d ? total : first.shape[j];
        Shapes.size("cat", ls);
        int[] s = first.shape.clone();
        s[d] = (int) total;
        NDArray out = NDArray.empty(first.dtype, s);
        int pos = 0;
        for (NDArray x : arrays) {
            copyInto(x, out.narrow(d, pos, x.shape[d]));
            pos += x.shape[d];
        }
        return out;
    }

    private static long[] indices(String op, NDArray index) {
        if (index.dtype != DType.I64) throw new IllegalArgumentException(op + ": index must be I64, got " + index.dtype);
        return index.toLongArray();
    }

    @Override
    public NDArray indexSelect(NDArray x, int dim, NDArray index) {
        int d = Shapes.axis("indexSelect", dim, x.shape.length);
        if (index.shape.length != 1) throw new IllegalArgumentException("indexSelect: index must be 1-D, got shape " + Shapes.str(index.shape));
        long[] idx = indices("indexSelect", index);
        int[] s = x.shape.clone();
        s[d] = idx.length;
        for (long j : idx) {
            if (j < 0 || j >= x.shape[d]) throw new IndexOutOfBoundsException("indexSelect: index " + j + " out of range for dim " + d
                    + " of size " + x.shape[d]);
        }
        NDArray out = NDArray.empty(x.dtype, s);
        // contiguous source: one block copy per (outer position, index) of the inner extent
        NDArray c = x.contiguous();
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= x.shape[i];
        for (int i = d + 1; i < x.shape.length; i++) inner *= x.shape[i];
        int n = x.shape[d], k = idx.length;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < k; i++) {
                System.arraycopy(c.heapArray(), c.offset + (o * n + (int) idx[i]) * inner, out.heapArray(), (o * k + i) * inner, inner);
            }
        }
        return out;
    }

    @Override
    public NDArray gather(NDArray x, int dim, NDArray index) {
        int d = Shapes.axis("gather", dim, x.shape.length);
        if (index.shape.length != x.shape.length) throw new IllegalArgumentException("gather: index rank " + index.shape.length
                + " must equal input rank " + x.shape.length);
        for (int i = 0; i < x.shape.length; i++) {
            if (i != d && index.shape[i] > x.shape[i]) throw new IllegalArgumentException("gather: index shape " + Shapes.str(index.shape)
                    + " exceeds input shape " + Shapes.str(x.shape) + " at dim " + i);
        }
        long[] idx = indices("gather", index);
        NDArray out = NDArray.empty(x.dtype, index.shape);
        int[] ii = new int[index.shape.length];
        for (int f = 0; f < idx.length; f++) {
            long j = idx[f];
            if (j < 0 || j >= x.shape[d]) throw new IndexOutOfBoundsException("gather: index " + j + " out of range for dim " + d
                    + " of size " + x.shape[d]);
            unravel(f, index.shape, ii);
            int p = x.offset;
            for (int q = 0; q < ii.length; q++) p += (q == d ? (int) j : ii[q]) * x.strides[q];
            out.writeAt(f, x.readAt(p));
        }
        return out;
    }

    @Override
    public NDArray scatterAdd(NDArray x, int dim, NDArray index, NDArray src) {
        requireFloating("scatterAdd", x);
        int d = Shapes.axis("scatterAdd", dim, x.shape.length);
        if (index.shape.length != x.shape.length || src.shape.length != x.shape.length)
            throw new IllegalArgumentException("scatterAdd: input, index and src must have one rank, got " + Shapes.str(x.shape) + ", "
                    + Shapes.str(index.shape) + ", " + Shapes.str(src.shape));
        if (src.dtype != x.dtype) throw new IllegalArgumentException("scatterAdd: src dtype " + src.dtype + " must match input " + x.dtype);
        for (int i = 0; i < x.shape.length; i++) {
            if (index.shape[i] > src.shape[i] || (i != d && index.shape[i] > x.shape[i]))
                throw new IllegalArgumentException("scatterAdd: index shape " + Shapes.str(index.shape) + " exceeds src " + Shapes.str(src.shape)
                        + " or input " + Shapes.str(x.shape) + " at dim " + i);
        }
        long[] idx = indices("scatterAdd", index);
        NDArray out = copy(x);
        int[] ii = new int[index.shape.length];
        for (int f = 0; f < idx.length; f++) {
            long j = idx[f];
            if (j < 0 || j >= x.shape[d]) throw new IndexOutOfBoundsException("scatterAdd: index " + j + " out of range for dim " + d
                    + " of size " + x.shape[d]);
            unravel(f, index.shape, ii);
            int p = 0, q = src.offset;
            for (int k = 0; k < ii.length; k++) {
                p += (k == d ? (int) j : ii[k]) * out.strides[k];
                q += ii[k] * src.strides[k];
            }
            out.writeAt(p, out.readAt(p) + src.readAt(q));
        }
        return out;
    }

    private static void unravel(int flat, int[] shape, int[] out) {
        for (int i = shape.length - 1; i >= 0; i--) {
            out[i] = flat % shape[i];
            flat /= shape[i];
        }
    }

    // ------------------------------------------------------------------ device transfer, fill

    @Override
    public NDArray toCpu(NDArray x) { return x; }

    @Override
    public NDArray fromCpu(NDArray x) {
        if (x.backend() != this) throw new IllegalArgumentException("fromCpu: expected a CPU array, got one on " + x.backend().name());
        return x;
    }

    @Override
    public void fill(NDArray dst, double v) {
        Object d = dst.heapArray();
        if (dst.isContiguous()) {
            int o = dst.offset, e = o + dst.size;
            switch (dst.dtype) {
                case F32 -> Arrays.fill((float[]) d, o, e, (float) v);
                case F64 -> Arrays.fill((double[]) d, o, e, v);
                case I64 -> Arrays.fill((long[]) d, o, e, (long) v);
                case BOOL -> Arrays.fill((boolean[]) d, o, e, v != 0);
            }
        } else {
            for (int i = 0; i < dst.size; i++) dst.writeAt(dst.position(i), v);
        }
        dst.storage.bumpVersion();
    }

    // ------------------------------------------------------------------ special functions

    @Override
    public NDArray special(SpecialFn fn, NDArray[] args) {
        NDArray x = args[0];
        NDArray out = NDArray.empty(x.dtype, x.shape);
        int n = out.size;
        switch (fn) {
            case ERF -> { for (int i = 0; i < n; i++) out.writeAt(i, SpecialExtra.erf(x.readAt(x.position(i)))); }
            case ERFINV -> { for (int i = 0; i < n; i++) out.writeAt(i, SpecialExtra.erfinv(x.readAt(x.position(i)))); }
            case NDTRI -> { for (int i = 0; i < n; i++) out.writeAt(i, SpecialExtra.ndtri(x.readAt(x.position(i)))); }
            case GAMMA_P, GAMMA_Q, GAMMA_P_INV, STUDENT_T_CDF, STUDENT_T_ICDF, STANDARD_GAMMA_GRAD -> {
                NDArray y = args[1];
                for (int i = 0; i < n; i++) {
                    double a = x.readAt(x.position(i)), b = y.readAt(y.position(i));
                    out.writeAt(i, switch (fn) {
                        case GAMMA_P -> SpecialExtra.gammaP(a, b);
                        case GAMMA_Q -> SpecialExtra.gammaQ(a, b);
                        case GAMMA_P_INV -> SpecialExtra.gammaPInv(a, b);
                        case STUDENT_T_CDF -> SpecialExtra.studentTCdf(a, b);
                        case STUDENT_T_ICDF -> SpecialExtra.studentTIcdf(a, b);
                        default -> SpecialExtra.standardGammaGrad(a, b);
                    });
                }
            }
            case BETA_I, BETA_I_INV -> {
                NDArray y = args[1], z = args[2];
                for (int i = 0; i < n; i++) {
                    double a = x.readAt(x.position(i)), b = y.readAt(y.position(i)), c = z.readAt(z.position(i));
                    out.writeAt(i, fn == SpecialFn.BETA_I ? SpecialExtra.betaI(a, b, c) : SpecialExtra.betaIInv(a, b, c));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ fused optimiser updates

    private static Object heap(NDArray a) { return a == null ? null : a.heapArray(); }

    private static void bump(NDArray... arrays) {
        for (NDArray a : arrays) if (a != null) a.storage.bumpVersion();
    }

    @Override
    public void sgdStep(NDArray param, NDArray grad, NDArray buf, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean firstStep) {
        FloatKernels.of(param.dtype).sgd(heap(param), heap(grad), heap(buf), param.size, lr, firstStep, momentum, dampening, weightDecay, nesterov);
        bump(param, buf);
    }

    @Override
    public void adamStep(NDArray param, NDArray grad, NDArray m, NDArray v, NDArray vmax, long step, double lr,
                         double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        double decay = decoupled ? 1 - lr * weightDecay : 1;
        FloatKernels.of(param.dtype).adam(heap(param), heap(grad), heap(m), heap(v), heap(vmax), param.size, stepSize, bc2Sqrt,
                decay, beta1, beta2, eps, weightDecay, decoupled);
        bump(param, m, v, vmax);
    }

    @Override
    public void rmspropStep(NDArray param, NDArray grad, NDArray sq, NDArray ga, NDArray buf, double lr,
                            double alpha, double eps, double weightDecay, double momentum) {
        FloatKernels.of(param.dtype).rmsprop(heap(param), heap(grad), heap(sq), heap(ga), heap(buf), param.size, lr, alpha, eps, weightDecay, momentum);
        bump(param, sq, ga, buf);
    }

    @Override
    public void indexSelectInto(NDArray x, int dim, NDArray index, NDArray out) {
        if (dim == 0 && x.isContiguous() && out.isContiguous() && index.isContiguous() && x.rank() >= 1) {
            int rows = x.shape[0], row = rows == 0 ? 0 : x.size / rows;
            long[] idx = (long[]) index.heapArray();
            Object src = x.heapArray(), dst = out.heapArray();
            for (int i = 0, n = index.size; i < n; i++) {
                long r = idx[index.offset + i];
                if (r < 0 || r >= rows) throw new IndexOutOfBoundsException("indexSelect: index " + r + " out of range for dim 0 of size " + rows);
            }
            for (int i = 0, n = index.size; i < n; i++) {
                long r = idx[index.offset + i];
                System.arraycopy(src, x.offset + (int) r * row, dst, out.offset + i * row, row);
            }
            out.storage.bumpVersion();
        } else {
            copyInto(indexSelect(x, dim, index), out);
        }
    }

    // ------------------------------------------------------------------ random

    @Override
    public NDArray uniform(Generator gen, DType t, double low, double high, int[] shape) {
        if (!t.isFloating()) throw new IllegalArgumentException("uniform: expected F32 or F64, got " + t);
        NDArray out = NDArray.empty(t, shape);
        if (t == DType.F32) gen.uniform((float[]) out.heapArray(), 0, out.size, (float) low, (float) high);
        else gen.uniform((double[]) out.heapArray(), 0, out.size, low, high);
        return out;
    }

    @Override
    public NDArray normal(Generator gen, DType t, double mean, double std, int[] shape) {
        if (!t.isFloating()) throw new IllegalArgumentException("normal: expected F32 or F64, got " + t);
        NDArray out = NDArray.empty(t, shape);
        if (t == DType.F32) gen.normal((float[]) out.heapArray(), 0, out.size, (float) mean, (float) std);
        else gen.normal((double[]) out.heapArray(), 0, out.size, mean, std);
        return out;
    }

    @Override
    public NDArray randint(Generator gen, long low, long high, int[] shape) {
        NDArray a = NDArray.empty(DType.I64, shape);
        gen.integers((long[]) a.heapArray(), 0, a.size, low, high);
        return a;
    }

    @Override
    public NDArray bernoulli(Generator gen, double p, int[] shape) {
        NDArray a = NDArray.empty(DType.BOOL, shape);
        gen.bernoulli((boolean[]) a.heapArray(), 0, a.size, p);
        return a;
    }

    @Override
    public NDArray permutation(Generator gen, int n) {
        int[] p = gen.permutation(n);
        long[] l = new long[n];
        for (int i = 0; i < n; i++) l[i] = p[i];
        return NDArray.heap(DType.I64, new int[]{n}, l);
    }

    @Override
    public NDArray multinomial(Generator gen, NDArray weights, int samples, boolean replacement) {
        int k = weights.shape[weights.rank() - 1];
        double[] w = weights.toDoubleArray();
        int rows = weights.size / Math.max(k, 1);
        long[] out = new long[rows * samples];
        for (int r = 0; r < rows; r++) {
            if (replacement) gen.categorical(w, r * k, k, out, r * samples, samples);
            else gen.multinomialWithoutReplacement(w, r * k, k, out, r * samples, samples);
        }
        return NDArray.heap(DType.I64, weights.rank() == 1 ? new int[]{samples} : new int[]{rows, samples}, out);
    }

    @Override
    public NDArray standardGamma(Generator gen, NDArray alpha) {
        NDArray out = NDArray.empty(alpha.dtype, alpha.shape);
        if (alpha.dtype == DType.F32) gen.gamma(alpha.toFloatArray(), 0, (float[]) out.heapArray(), 0, out.size);
        else gen.gamma(alpha.toDoubleArray(), 0, (double[]) out.heapArray(), 0, out.size);
        return out;
    }

    @Override
    public NDArray poisson(Generator gen, NDArray rate) {
        double[] r = rate.toDoubleArray();
        double[] o = new double[r.length];
        gen.poisson(r, 0, o, 0, r.length);
        return NDArray.heap(DType.F64, rate.shape.clone(), o).to(rate.dtype);
    }

    // ------------------------------------------------------------------ linear algebra

    private static int checkSquare(String op, NDArray a) {
        requireFloating(op, a);
        int r = a.shape.length;
        if (r < 2 || a.shape[r - 1] != a.shape[r - 2]) throw new IllegalArgumentException(op + ": expected square matrices (..., n, n), got shape "
                + Shapes.str(a.shape));
        return a.shape[r - 1];
    }

    /** Copies the matrix at batch index t of x (rows × cols, any strides) into a row-major double[]. */
    private static double[] matrix(NDArray x, int[] batch, int t, int rows, int cols, boolean transpose) {
        int r = x.shape.length;
        int p = x.offset, rem = t;
        int xb = r - 2, lead = batch.length - xb;
        for (int d = batch.length - 1; d >= 0; d--) {
            int i = rem % batch[d];
            rem /= batch[d];
            int xd = d - lead;
            if (xd >= 0 && x.shape[xd] != 1) p += i * x.strides[xd];
        }
        int rs = x.strides[r - 2], cs = x.strides[r - 1];
        double[] m = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = x.readAt(p + i * rs + j * cs);
                if (transpose) m[j * rows + i] = v;
                else m[i * cols + j] = v;
            }
        }
        return m;
    }

    private static void store(NDArray out, int t, double[] m, int rows, int cols, boolean transpose) {
        int base = t * rows * cols;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out.writeAt(base + i * cols + j, transpose ? m[j * rows + i] : m[i * cols + j]);
        }
    }

    private static String batchIndex(int[] batch, int t) {
        int[] idx = new int[batch.length];
        unravel(t, batch, idx);
        return Arrays.toString(idx);
    }

    private static int[] batchOf(NDArray a) { return Arrays.copyOf(a.shape, a.shape.length - 2); }

    @Override
    public NDArray cholesky(NDArray a) {
        int n = checkSquare("cholesky", a);
        int[] batch = batchOf(a);
        NDArray out = NDArray.empty(a.dtype, a.shape);
        int nb = Shapes.size(batch);
        double[] l = new double[n * n];
        for (int t = 0; t < nb; t++) {
            double[] m = matrix(a, batch, t, n, n, false);
            int bad = LinalgKernels.cholesky(m, 0, n, l, 0);
            if (bad >= 0) throw new IllegalArgumentException("cholesky: matrix" + (batch.length > 0 ? " at batch index " + batchIndex(batch, t) : "")
                    + " is not positive definite (leading minor of order " + bad + " is not positive)");
            store(out, t, l, n, n, false);
        }
        return out;
    }

    @Override
    public NDArray triangularSolve(NDArray a, NDArray b, boolean upper, boolean left, boolean unitDiagonal) {
        int n = checkSquare("triangularSolve", a);
        if (a.dtype != b.dtype) throw new IllegalArgumentException("triangularSolve: dtype mismatch " + a.dtype + " and " + b.dtype);
        if (b.shape.length < 2) throw new IllegalArgumentException("triangularSolve: right-hand side must be a matrix (..., n, k), got shape "
                + Shapes.str(b.shape));
        int br = b.shape[b.shape.length - 2], bc = b.shape[b.shape.length - 1];
        if ((left ? br : bc) != n) throw new IllegalArgumentException("triangularSolve: A of shape " + Shapes.str(a.shape) + " and B of shape "
                + Shapes.str(b.shape) + " do not align for a " + (left ? "left" : "right") + " solve (" + (left ? br : bc) + " != " + n + ")");
        int[] batch = Shapes.broadcast("triangularSolve", batchOf(a), batchOf(b));
        int[] os = Arrays.copyOf(batch, batch.length + 2);
        os[batch.length] = br;
        os[batch.length + 1] = bc;
        NDArray out = NDArray.empty(a.dtype, os);
        int nb = Shapes.size(batch), k = left ? bc : br;
        for (int t = 0; t < nb; t++) {
            double[] am = matrix(a, batch, t, n, n, false);
            // X A = B  <=>  Aᵀ Xᵀ = Bᵀ
            double[] bm = matrix(b, batch, t, left ? n : br, left ? k : n, !left);
            LinalgKernels.triangularSolve(am, 0, n, !upper, !left, unitDiagonal, bm, 0, k);
            store(out, t, bm, br, bc, !left);
        }
        return out;
    }

    @Override
    public NDArray solve(NDArray a, NDArray b) {
        int n = checkSquare("solve", a);
        if (a.dtype != b.dtype) throw new IllegalArgumentException("solve: dtype mismatch " + a.dtype + " and " + b.dtype);
        // a batch of vectors when B is 1-D or has A's shape without the last dim, as torch.linalg.solve
        boolean vector = b.shape.length == 1
                || (b.shape.length == a.shape.length - 1 && Arrays.equals(b.shape, Arrays.copyOf(a.shape, a.shape.length - 1)));
        NDArray bm = vector ? b.unsqueeze(b.shape.length) : b;
        if (bm.shape[bm.shape.length - 2] != n) throw new IllegalArgumentException("solve: A of shape " + Shapes.str(a.shape) + " and B of shape "
                + Shapes.str(b.shape) + " do not align (" + bm.shape[bm.shape.length - 2] + " != " + n + ")");
        int k = bm.shape[bm.shape.length - 1];
        int[] batch = Shapes.broadcast("solve", batchOf(a), batchOf(bm));
        int[] os = Arrays.copyOf(batch, batch.length + 2);
        os[batch.length] = n;
        os[batch.length + 1] = k;
        NDArray out = NDArray.empty(a.dtype, os);
        int nb = Shapes.size(batch);
        int[] piv = new int[n];
        for (int t = 0; t < nb; t++) {
            double[] am = matrix(a, batch, t, n, n, false);
            if (LinalgKernels.luFactor(am, 0, n, piv, 0) == 0) throw new IllegalArgumentException("solve: matrix"
                    + (batch.length > 0 ? " at batch index " + batchIndex(batch, t) : "") + " is singular");
            double[] x = matrix(bm, batch, t, n, k, false);
            LinalgKernels.luSolve(am, 0, n, piv, 0, x, 0, k);
            store(out, t, x, n, k, false);
        }
        return vector ? out.squeeze(-1) : out;
    }

    @Override
    public NDArray inverse(NDArray a) {
        int n = checkSquare("inverse", a);
        int[] batch = batchOf(a);
        NDArray out = NDArray.empty(a.dtype, a.shape);
        int nb = Shapes.size(batch);
        double[] inv = new double[n * n];
        for (int t = 0; t < nb; t++) {
            double[] m = matrix(a, batch, t, n, n, false);
            if (!LinalgKernels.inverse(m, 0, n, inv, 0)) throw new IllegalArgumentException("inverse: matrix"
                    + (batch.length > 0 ? " at batch index " + batchIndex(batch, t) : "") + " is singular");
            store(out, t, inv, n, n, false);
        }
        return out;
    }

    @Override
    public NDArray adjugate(NDArray a) {
        int n = checkSquare("adjugate", a);
        int[] batch = batchOf(a);
        NDArray out = NDArray.empty(a.dtype, a.shape);
        int nb = Shapes.size(batch);
        double[] adj = new double[n * n];
        for (int t = 0; t < nb; t++) {
            LinalgKernels.adjugate(matrix(a, batch, t, n, n, false), 0, n, adj, 0);
            store(out, t, adj, n, n, false);
        }
        return out;
    }

    @Override
    public NDArray[] slogdet(NDArray a) {
        int n = checkSquare("slogdet", a);
        int[] batch = batchOf(a);
        NDArray sign = NDArray.empty(a.dtype, batch), logabs = NDArray.empty(a.dtype, batch);
        int nb = Shapes.size(batch);
        for (int t = 0; t < nb; t++) {
            double[] r = LinalgKernels.slogdet(matrix(a, batch, t, n, n, false), 0, n);
            sign.writeAt(t, r[0]);
            logabs.writeAt(t, r[1]);
        }
        return new NDArray[]{sign, logabs};
    }
}
