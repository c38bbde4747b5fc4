package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * The batched matrix product on the device (matmul.cl): batch dims broadcast through stride-0 offsets, any row stride
 * with unit column stride read in place, any other layout copied contiguous first. The tile configuration comes from
 * {@link ClMatmulTuner}.
 */
final class ClMatmul {
    private ClMatmul() {}

    static NDArray matmul(ClBackend b, NDArray x, NDArray y) {
        b.storage("matmul", x);
        b.storage("matmul", y);
        if (x.dtype() != y.dtype()) throw new IllegalArgumentException("matmul: dtype mismatch " + x.dtype() + " and " + y.dtype());
        if (!x.dtype().isFloating()) throw new IllegalArgumentException("matmul: expected F32 or F64, got " + x.dtype());
        int ra = x.rank(), rb = y.rank();
        if (ra < 2 || rb < 2) throw new IllegalArgumentException("matmul: expected operands of rank >= 2, got " + x.shape() + " and " + y.shape());
        int[] xs = x.dims(), ys = y.dims();
        int m = xs[ra - 2], k = xs[ra - 1], n = ys[rb - 1];
        if (ys[rb - 2] != k) throw new IllegalArgumentException("matmul: shapes " + x.shape() + " and " + y.shape() + " do not align ("
                + k + " != " + ys[rb - 2] + ")");
        int[] batch = Shapes.broadcast("matmul", Arrays.copyOf(xs, ra - 2), Arrays.copyOf(ys, rb - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        NDArray out = b.empty(x.dtype(), Shapes.checkShape("matmul", outShape));
        if (out.size() == 0) return out;
        if (k == 0) {
            b.fill(out, 0);
            return out;
        }
        NDArray a = unitColumns(b, x), c = unitColumns(b, y);
        ClWalk bw = ClWalk.of(batch, batchStrides(a, batch), batchStrides(c, batch));
        if (bw.rank() > 8) {
            throw new IllegalArgumentException("matmul: more than 8 batch dims that cannot be merged: " + Shapes.str(batch));
        }
        int nb = Shapes.size(batch);
        ClMatmulTuner.Config cfg = ClMatmulTuner.config(b, x.dtype(), (long) m * n * k);
        launch(b, cfg, a, c, out, m, n, k, bw, nb);
        return out;
    }

    /** The product with an explicit configuration (the tuner times candidates through this). */
    static void launch(ClBackend b, ClMatmulTuner.Config cfg, NDArray a, NDArray c, NDArray out, int m, int n, int k, ClWalk bw, int nb) {
        int[] as = a.strides(), cs = c.strides();
        int lda = as[as.length - 2], ldb = cs[cs.length - 2];
        long gx = (long) ((n + cfg.tsn() - 1) / cfg.tsn()) * cfg.rtsn(), gy = (long) ((m + cfg.tsm() - 1) / cfg.tsm()) * cfg.rtsm();
        b.ctx().launch("matmul.cl", b.ctx().typeOptions(a.dtype()) + cfg.options(), "matmul").i32(m).i32(n).i32(k)
                .buf(a).i32(a.offset()).i32(lda).buf(c).i32(c.offset()).i32(ldb).buf(out)
                .int8(bw.shape).int8(bw.strides[0]).int8(bw.strides[1]).i32(bw.rank())
                .run(new long[]{gx, gy, nb}, new long[]{cfg.rtsn(), cfg.rtsm(), 1});
    }

    /** x itself when its matrices have unit column stride, else a contiguous copy. */
    private static NDArray unitColumns(ClBackend b, NDArray x) {
        int[] s = x.strides(), d = x.dims();
        int r = s.length;
        // the kernel reads element (i, j) at i * rowStride + j: any row stride (even an expanded 0) is fine
        return s[r - 1] == 1 || d[r - 1] == 1 ? x : b.copy(x);
    }

    /** Strides of x's batch dims broadcast to the batch shape (0 where x has size 1 or lacks the dim). */
    private static int[] batchStrides(NDArray x, int[] batch) {
        int[] xd = x.dims(), xs = x.strides();
        int xb = xd.length - 2, lead = batch.length - xb;
        int[] s = new int[batch.length];
        for (int i = 0; i < xb; i++) s[i + lead] = xd[i] == 1 ? 0 : xs[i];
        return s;
    }
}
