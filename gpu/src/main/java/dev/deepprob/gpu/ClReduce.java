package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.Shapes;

import java.util.Locale;

/**
 * Reductions on the device (reduce.cl): the kept axes number the outputs and the reduced axes the elements of each,
 * both walked through the input's own strides, so nothing is copied. Short reductions run one output per work-item
 * in the CPU's order; long ones one work-group per output (split in chunks and reduced twice when there are few
 * outputs), with a fixed tree, so every result is deterministic.
 */
final class ClReduce {
    private ClReduce() {}

    /** Work-group size of the tree reductions. */
    private static int groupSize(ClBackend b) { return (int) Math.min(256, Integer.highestOneBit((int) Math.min(b.ctx().maxWorkGroupSize, 1 << 20))); }

    /** The kept and reduced walks of x for the given axes: {kept, reduced}. */
    private static ClWalk[] split(NDArray x, int[] axes) {
        int[] shape = x.dims(), st = x.strides();
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a] = true;
        int nk = shape.length - axes.length;
        int[] ks = new int[nk], kst = new int[nk], rs = new int[axes.length], rst = new int[axes.length];
        for (int i = 0, k = 0, r = 0; i < shape.length; i++) {
            if (red[i]) {
                rs[r] = shape[i];
                rst[r++] = st[i];
            } else {
                ks[k] = shape[i];
                kst[k++] = st[i];
            }
        }
        return new ClWalk[]{ClWalk.of(ks, kst), ClWalk.of(rs, rst)};
    }

    static NDArray reduce(ClBackend b, ReduceOp op, NDArray x, int[] dims, boolean keepDim) {
        String name = op.name().toLowerCase(Locale.ROOT);
        b.storage(name, x);
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException(name + ": not defined for BOOL (convert with to(I64) or to(F32))");
        int[] shape = x.dims();
        int[] axes = Shapes.axes(name, dims, shape.length);
        int[] outShape = Shapes.reducedShape(shape, axes, keepDim);
        int redSize = 1;
        for (int a : axes) redSize *= shape[a];
        int keptSize = Shapes.size(outShape);
        NDArray out = b.empty(x.dtype(), outShape);
        if (redSize == 0 || x.size() == 0) {
            if (redSize == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN) && keptSize > 0)
                throw new IllegalArgumentException(name + ": cannot reduce over an empty dim of shape " + Shapes.str(shape));
            b.fill(out, op == ReduceOp.PROD ? 1 : 0);
            return out;
        }
        ClWalk[] w = split(x, axes);
        if (w[0].rank() > 8 || w[1].rank() > 8) {
            x = b.copy(x);
            w = split(x, axes);
        }
        reduceInto(b, op, out, x, w[0], w[1], redSize, keptSize);
        return out;
    }

    private static void reduceInto(ClBackend b, ReduceOp op, NDArray out, NDArray x, ClWalk kept, ClWalk red, int redSize, int keptSize) {
        ClContext cx = b.ctx();
        DType t = x.dtype();
        if (redSize <= 64) {
            cx.launch("reduce.cl", t, "reduce_seq").i32(op.ordinal()).buf(out).buf(x).i32(x.offset()).int8(kept.shape).int8(kept.strides[0])
                    .i32(kept.rank()).int8(red.shape).int8(red.strides[0]).i32(red.rank()).i32(redSize).i32(keptSize).run(keptSize);
            return;
        }
        int ls = groupSize(b);
        int chunks = keptSize >= 64 || redSize < 8192 ? 1 : Math.min(256, (redSize + 4095) / 4096);
        int chunkLen = (redSize + chunks - 1) / chunks;
        long rtBytes = t == DType.I64 || cx.device.fp64() ? 8 : 4;
        NDArray dst = chunks == 1 ? out : b.empty(t, new int[]{keptSize, chunks});
        cx.launch("reduce.cl", t, "reduce_wg").i32(op.ordinal()).buf(dst).buf(x).i32(x.offset()).int8(kept.shape).int8(kept.strides[0])
                .i32(kept.rank()).int8(red.shape).int8(red.strides[0]).i32(red.rank()).i32(redSize).i32(chunkLen).i32(chunks)
                .local(rtBytes * ls).run(new long[]{(long) keptSize * chunks * ls}, new long[]{ls});
        if (chunks > 1) {
            // the partials, one row of `chunks` per output: SUM and PROD of partials are the same op; MAX and MIN too
            ClWalk k2 = ClWalk.of(new int[]{keptSize}, new int[]{chunks});
            ClWalk r2 = ClWalk.of(new int[]{chunks}, new int[]{1});
            reduceInto(b, op, out, dst, k2, r2, chunks, keptSize);
        }
    }

    static NDArray logSumExp(ClBackend b, NDArray x, int[] dims, boolean keepDim) {
        b.storage("logSumExp", x);
        if (!x.dtype().isFloating()) throw new IllegalArgumentException("logSumExp: expected F32 or F64, got " + x.dtype());
        int[] shape = x.dims();
        int[] axes = Shapes.axes("logSumExp", dims, shape.length);
        int rs = 1;
        for (int a : axes) rs *= shape[a];
        NDArray out = b.empty(x.dtype(), Shapes.reducedShape(shape, axes, keepDim));
        if (rs == 0) {
            b.fill(out, Double.NEGATIVE_INFINITY);
            return out;
        }
        if (out.size() == 0) return out;
        ClWalk[] w = split(x, axes);
        if (w[0].rank() > 8 || w[1].rank() > 8) {
            x = b.copy(x);
            w = split(x, axes);
        }
        int ls = rs <= 64 ? 64 : groupSize(b);
        ClContext cx = b.ctx();
        cx.launch("reduce.cl", x.dtype(), "logsumexp_wg").buf(out).buf(x).i32(x.offset()).int8(w[0].shape).int8(w[0].strides[0])
                .i32(w[0].rank()).int8(w[1].shape).int8(w[1].strides[0]).i32(w[1].rank()).i32(rs)
                .local((cx.device.fp64() ? 8L : 4L) * ls).run(new long[]{(long) out.size() * ls}, new long[]{ls});
        return out;
    }

    static NDArray argReduce(ClBackend b, boolean max, NDArray x, int dim, boolean keepDim) {
        String name = max ? "argmax" : "argmin";
        b.storage(name, x);
        if (!x.dtype().isFloating()) throw new IllegalArgumentException(name + ": expected F32 or F64, got " + x.dtype());
        if (x.rank() == 0) return b.full(DType.I64, 0, new int[0]);
        int[] shape = x.dims();
        int d = Shapes.axis(name, dim, shape.length);
        if (shape[d] == 0) throw new IllegalArgumentException(name + ": cannot reduce over an empty dim of shape " + Shapes.str(shape));
        NDArray out = b.empty(DType.I64, Shapes.reducedShape(shape, new int[]{d}, keepDim));
        int keptSize = out.size();
        if (keptSize == 0) return out;
        ClWalk kept = split(x, new int[]{d})[0];
        if (kept.rank() > 8) {
            x = b.copy(x);
            kept = split(x, new int[]{d})[0];
        }
        b.ctx().launch("reduce.cl", x.dtype(), "argreduce_seq").i32(max ? 1 : 0).buf(out).buf(x).i32(x.offset()).int8(kept.shape)
                .int8(kept.strides[0]).i32(kept.rank()).i32(shape[d]).i32(x.strides()[d]).i32(keptSize).run(keptSize);
        return out;
    }

    static NDArray cumsum(ClBackend b, NDArray x, int dim) {
        b.storage("cumsum", x);
        if (!x.dtype().isFloating()) throw new IllegalArgumentException("cumsum: expected F32 or F64, got " + x.dtype());
        if (x.rank() == 0) return b.copy(x);
        int[] shape = x.dims();
        int d = Shapes.axis("cumsum", dim, shape.length);
        NDArray out = b.empty(x.dtype(), shape);
        int len = shape[d], rows = len == 0 ? 0 : x.size() / len;
        if (rows == 0) return out;
        int[] ost = out.strides(), xst = x.strides();
        int nk = shape.length - 1;
        int[] ks = new int[nk], kx = new int[nk], ko = new int[nk];
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (i == d) continue;
            ks[k] = shape[i];
            kx[k] = xst[i];
            ko[k++] = ost[i];
        }
        ClWalk kept = ClWalk.of(ks, kx, ko);
        if (kept.rank() > 8) return b.fromCpu(b.toCpu(x).cumsum(d));     // a view no merge brings under 8 dims
        b.ctx().launch("reduce.cl", x.dtype(), "cumsum_seq").buf(out).buf(x).i32(x.offset()).int8(kept.shape).int8(kept.strides[0])
                .int8(kept.strides[1]).i32(kept.rank()).i32(len).i32(xst[d]).i32(ost[d]).i32(rows).run(rows);
        return out;
    }
}
