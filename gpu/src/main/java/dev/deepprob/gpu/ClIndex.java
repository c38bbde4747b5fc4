package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import org.jocl.Pointer;

import java.util.Arrays;

/**
 * Index selection, gather and scatter-add on the device (index.cl). The kernels check every index and report the
 * first bad one they meet through a two-long flag buffer, which the host reads after the launch (that read waits for
 * the queue); scatter-add gives each output element to one work-item, which adds its contributions in index order, so
 * results are deterministic and equal to the CPU's.
 */
final class ClIndex {
    private ClIndex() {}

    private static void requireIndex(String op, NDArray index) {
        if (index.dtype() != DType.I64) throw new IllegalArgumentException(op + ": index must be I64, got " + index.dtype());
    }

    private static void requireRank(String op, NDArray x) {
        if (x.rank() > 8) throw new IllegalArgumentException(op + ": the OpenCL kernels take arrays of up to 8 dims, got shape " + x.shape());
    }

    /** A zeroed {flag, index} buffer. */
    private static NDArray errorFlag(ClBackend b) {
        NDArray err = b.empty(DType.I64, new int[]{2});
        b.fill(err, 0);
        return err;
    }

    /** Reads the flag (waiting for the launch) and throws the CPU backend's message for the index found out of range. */
    private static void check(ClBackend b, NDArray err, String op, int dim, int size) {
        long[] e = new long[2];
        b.ctx().read(ClStorage.of(err).mem, 0, 16, Pointer.to(e));
        if (e[0] != 0) throw new IndexOutOfBoundsException(op + ": index " + e[1] + " out of range for dim " + dim + " of size " + size);
    }

    static NDArray indexSelect(ClBackend b, NDArray x, int dim, NDArray index) {
        b.storage("indexSelect", x);
        b.storage("indexSelect", index);
        int d = Shapes.axis("indexSelect", dim, x.rank());
        if (index.rank() != 1) throw new IllegalArgumentException("indexSelect: index must be 1-D, got shape " + index.shape());
        requireIndex("indexSelect", index);
        int[] s = x.dims();
        s[d] = index.size();
        NDArray out = b.empty(x.dtype(), s);
        into(b, x, d, index, out);
        return out;
    }

    static void indexSelectInto(ClBackend b, NDArray x, int dim, NDArray index, NDArray out) {
        b.storage("indexSelect", x);
        b.storage("indexSelect", index);
        b.storage("indexSelect", out);
        requireIndex("indexSelect", index);
        into(b, x, Shapes.axis("indexSelect", dim, x.rank()), index, out);
        out.bumpVersion();
    }

    private static void into(ClBackend b, NDArray x, int d, NDArray index, NDArray out) {
        requireRank("indexSelect", x);
        int n = out.size();
        if (n == 0) return;
        NDArray err = errorFlag(b);
        b.ctx().launch("index.cl", x.dtype(), "index_select").buf(out).i32(out.offset()).int8(out.strides()).buf(x).i32(x.offset())
                .int8(x.strides()).int8(out.dims()).i32(out.rank()).i32(d).buf(index).i32(index.offset()).i32(index.strides()[0])
                .i32(x.dims()[d]).i32(n).buf(err).run(n);
        check(b, err, "indexSelect", d, x.dims()[d]);
    }

    static NDArray gather(ClBackend b, NDArray x, int dim, NDArray index) {
        b.storage("gather", x);
        b.storage("gather", index);
        int d = Shapes.axis("gather", dim, x.rank());
        if (index.rank() != x.rank()) throw new IllegalArgumentException("gather: index rank " + index.rank() + " must equal input rank " + x.rank());
        int[] xs = x.dims(), is = index.dims();
        for (int i = 0; i < xs.length; i++) {
            if (i != d && is[i] > xs[i]) throw new IllegalArgumentException("gather: index shape " + index.shape() + " exceeds input shape "
                    + x.shape() + " at dim " + i);
        }
        requireIndex("gather", index);
        requireRank("gather", x);
        NDArray out = b.empty(x.dtype(), is);
        int n = out.size();
        if (n == 0) return out;
        NDArray err = errorFlag(b);
        b.ctx().launch("index.cl", x.dtype(), "gather").buf(out).buf(x).i32(x.offset()).int8(x.strides()).buf(index).i32(index.offset())
                .int8(index.strides()).int8(is).i32(is.length).i32(d).i32(xs[d]).i32(n).buf(err).run(n);
        check(b, err, "gather", d, xs[d]);
        return out;
    }

    static NDArray scatterAdd(ClBackend b, NDArray x, int dim, NDArray index, NDArray src) {
        b.storage("scatterAdd", x);
        b.storage("scatterAdd", index);
        b.storage("scatterAdd", src);
        if (!x.dtype().isFloating()) throw new IllegalArgumentException("scatterAdd: expected F32 or F64, got " + x.dtype());
        int d = Shapes.axis("scatterAdd", dim, x.rank());
        int[] xs = x.dims(), is = index.dims(), ss = src.dims();
        if (is.length != xs.length || ss.length != xs.length)
            throw new IllegalArgumentException("scatterAdd: input, index and src must have one rank, got " + x.shape() + ", "
                    + index.shape() + ", " + src.shape());
        if (src.dtype() != x.dtype()) throw new IllegalArgumentException("scatterAdd: src dtype " + src.dtype() + " must match input " + x.dtype());
        for (int i = 0; i < xs.length; i++) {
            if (is[i] > ss[i] || (i != d && is[i] > xs[i]))
                throw new IllegalArgumentException("scatterAdd: index shape " + index.shape() + " exceeds src " + src.shape()
                        + " or input " + x.shape() + " at dim " + i);
        }
        requireIndex("scatterAdd", index);
        requireRank("scatterAdd", x);
        NDArray out = b.copy(x);
        if (index.size() == 0) return out;
        if (xs[d] == 0) throw new IndexOutOfBoundsException("scatterAdd: index " + index.toCpu().toLongArray()[0]
                + " out of range for dim " + d + " of size 0");
        int n = out.size();
        NDArray err = errorFlag(b);
        b.ctx().launch("index.cl", x.dtype(), "scatter_add").buf(out).buf(index).i32(index.offset()).int8(index.strides()).buf(src)
                .i32(src.offset()).int8(src.strides()).int8(xs).int8(is).i32(xs.length).i32(d).i32(n).buf(err).run(n);
        check(b, err, "scatterAdd", d, xs[d]);
        return out;
    }

    static String str(int[] s) { return Arrays.toString(s); }
}
