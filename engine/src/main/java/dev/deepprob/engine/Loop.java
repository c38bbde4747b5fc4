package dev.deepprob.engine;

import dev.deepprob.engine.cpu.Pool;

/**
 * Walks k operands of one (broadcast) shape row by row: size-1 dims are dropped and adjacent dims that are
 * laid out contiguously for every operand are merged, so a contiguous operation is one kernel call over
 * everything and a strided one is a few calls over rows. Large work is split over the pool by rows (or by
 * chunks of a single long row); each task owns its slice, so results do not depend on the thread count.
 */
final class Loop {
    /** Called once per row (or chunk) with each operand's start offset and stride, and the row length. */
    interface Row {
        void run(int[] off, int[] stride, int n);
    }

    /** Elements above which an elementwise loop is split over the pool. */
    static final int PARALLEL_MIN = 1 << 16;

    private Loop() {}

    static void run(int[] shape, int[][] strides, int[] offsets, Row body) {
        int k = offsets.length;
        int total = Shapes.size(shape);
        if (total == 0) return;
        // drop size-1 dims
        int r = 0;
        for (int d : shape) if (d != 1) r++;
        int[] s = new int[r];
        int[][] st = new int[k][r];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (shape[i] == 1) continue;
            s[j] = shape[i];
            for (int q = 0; q < k; q++) st[q][j] = strides[q][i];
            j++;
        }
        // merge dim i into dim i+1 when every operand has stride[i] == stride[i+1] * shape[i+1]
        int m = r;
        if (m > 1) {
            int[] ms = new int[m];
            int[][] mst = new int[k][m];
            int top = 0;
            ms[0] = s[0];
            for (int q = 0; q < k; q++) mst[q][0] = st[q][0];
            for (int i = 1; i < r; i++) {
                boolean merge = true;
                for (int q = 0; q < k && merge; q++) merge = mst[q][top] == st[q][i] * s[i];
                if (merge) {
                    ms[top] *= s[i];
                    for (int q = 0; q < k; q++) mst[q][top] = st[q][i];
                } else {
                    top++;
                    ms[top] = s[i];
                    for (int q = 0; q < k; q++) mst[q][top] = st[q][i];
                }
            }
            m = top + 1;
            s = ms;
            st = mst;
        }
        if (m == 0) {
            body.run(offsets.clone(), new int[k], 1);
            return;
        }
        int inner = s[m - 1];
        int[] innerStride = new int[k];
        for (int q = 0; q < k; q++) innerStride[q] = st[q][m - 1];
        int rows = total / inner;
        int threads = Pool.threads();
        if (total >= PARALLEL_MIN && threads > 1) {
            if (rows == 1) {
                int chunks = Math.min(threads * 4, (inner + 4095) / 4096);
                int per = (inner + chunks - 1) / chunks;
                final int[] fs = innerStride;
                Pool.parallelFor(chunks, c -> {
                    int a = c * per, b = Math.min(inner, a + per);
                    if (a >= b) return;
                    int[] off = new int[k];
                    for (int q = 0; q < k; q++) off[q] = offsets[q] + a * fs[q];
                    body.run(off, fs.clone(), b - a);
                });
                return;
            }
            int tasks = Math.min(rows, threads * 4);
            final int[] fsh = s;
            final int[][] fst = st;
            final int fm = m;
            Pool.parallelFor(tasks, t -> {
                int a = (int) ((long) rows * t / tasks), b = (int) ((long) rows * (t + 1) / tasks);
                rowsRange(fsh, fst, fm, offsets, innerStride, inner, a, b, body);
            });
            return;
        }
        rowsRange(s, st, m, offsets, innerStride, inner, 0, rows, body);
    }

    private static void rowsRange(int[] s, int[][] st, int m, int[] offsets, int[] innerStride, int inner,
                                  int from, int to, Row body) {
        int k = offsets.length;
        int outer = m - 1;
        int[] idx = new int[Math.max(outer, 1)];
        int[] off = new int[k];
        // decompose the starting row index into the outer dims
        int rem = from;
        for (int d = outer - 1; d >= 0; d--) {
            idx[d] = rem % s[d];
            rem /= s[d];
        }
        for (int q = 0; q < k; q++) {
            int o = offsets[q];
            for (int d = 0; d < outer; d++) o += idx[d] * st[q][d];
            off[q] = o;
        }
        int[] stride = innerStride.clone();
        for (int row = from; row < to; row++) {
            body.run(off, stride, inner);
            // advance the outer counter
            for (int d = outer - 1; d >= 0; d--) {
                idx[d]++;
                for (int q = 0; q < k; q++) off[q] += st[q][d];
                if (idx[d] < s[d]) break;
                for (int q = 0; q < k; q++) off[q] -= st[q][d] * s[d];
                idx[d] = 0;
            }
        }
    }

    /** Strides of x viewed in the broadcast shape (0 where x repeats). */
    static int[] broadcastStrides(NDArray x, int[] shape) {
        int lead = shape.length - x.shape.length;
        int[] out = new int[shape.length];
        for (int i = 0; i < x.shape.length; i++) out[i + lead] = x.shape[i] == 1 && shape[i + lead] != 1 ? 0 : x.strides[i];
        return out;
    }
}
