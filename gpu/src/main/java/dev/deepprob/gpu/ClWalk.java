package dev.deepprob.gpu;

import java.util.Arrays;

/**
 * The index space an elementwise kernel walks: a shape and one stride array per operand, with size-1 dims dropped and
 * neighbouring dims merged wherever every operand is laid out contiguously across them, so that most launches see
 * rank 1 or 2 and the kernels' rank-8 limit is met by anything but pathological views.
 */
final class ClWalk {
    final int[] shape;
    final int[][] strides;

    private ClWalk(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    int rank() { return shape.length; }

    /** The merged walk of {@code shape} with each operand's strides (already broadcast to shape). */
    static ClWalk of(int[] shape, int[]... strides) {
        int r = shape.length, ops = strides.length;
        int[] s = new int[r];
        int[][] st = new int[ops][r];
        int k = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) continue;
            if (k > 0) {
                boolean merge = true;
                for (int o = 0; o < ops && merge; o++) merge = st[o][k - 1] == strides[o][d] * shape[d];
                if (merge) {
                    s[k - 1] *= shape[d];
                    for (int o = 0; o < ops; o++) st[o][k - 1] = strides[o][d];
                    continue;
                }
            }
            s[k] = shape[d];
            for (int o = 0; o < ops; o++) st[o][k] = strides[o][d];
            k++;
        }
        int[][] out = new int[ops][];
        for (int o = 0; o < ops; o++) out[o] = Arrays.copyOf(st[o], k);
        return new ClWalk(Arrays.copyOf(s, k), out);
    }

    /** The strides of an operand of shape {@code from} broadcast to {@code to} (0 along broadcast dims). */
    static int[] broadcastStrides(int[] from, int[] fromStrides, int[] to) {
        int[] st = new int[to.length];
        int lead = to.length - from.length;
        for (int i = 0; i < from.length; i++) st[lead + i] = from[i] == 1 ? 0 : fromStrides[i];
        return st;
    }
}
