package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * Shape bookkeeping shared by the distributions: expanding to a batch shape, concatenating shapes, reducing the
 * rightmost dims, and laying vectors out as the columns of one right-hand side so that a batch of matrices is solved
 * or multiplied once however many samples there are.
 */
final class Batching {
    private Batching() {}

    /** The broadcast batch shape of two parameters with the given numbers of event dims. */
    static int[] batchOf(String dist, int[] a, int aEvent, int[] b, int bEvent, String bName) {
        int[] ba = Arrays.copyOf(a, a.length - aEvent), bb = Arrays.copyOf(b, b.length - bEvent);
        try {
            return Shapes.broadcast(dist, ba, bb);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dist + ": batch shapes of loc " + Shapes.str(ba) + " and " + bName + " "
                    + Shapes.str(bb) + " do not broadcast", e);
        }
    }

    static void checkFinite(String what, NDArray x) {
        NDArray ok = x.abs().lt(Double.POSITIVE_INFINITY);
        int bad = firstFalse(ok);
        if (bad >= 0) {
            int[] idx = unravel(bad, x.dims());
            throw new IllegalArgumentException(what + " must be finite, got " + x.get(idx) + " at " + Arrays.toString(idx));
        }
    }

    /** The target batch shape, after checking that {@code from} broadcasts to exactly it. */
    static int[] checkExpand(String name, int[] from, int[] to) {
        if (to == null) throw new IllegalArgumentException(name + ".expand: batch shape must not be null");
        int[] b = to.clone();
        boolean ok;
        try {
            ok = Arrays.equals(Shapes.broadcast(name + ".expand", from, b), b);
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (!ok) throw new IllegalArgumentException(name + ".expand: batch shape " + Shapes.str(from) + " cannot be expanded to " + Shapes.str(b));
        return b;
    }

    static int firstFalse(NDArray flags) {
        boolean[] f = flags.toBooleanArray();
        for (int i = 0; i < f.length; i++) if (!f[i]) return i;
        return -1;
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    static int[] concat(int[] a, int... b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * Vectors v (..., n) whose trailing dims broadcast with {@code batch} as the columns of one right-hand side
     * (batch..., n, cols): the leading (sample) dims become columns, so a batch member costs one matrix operation
     * however many samples there are. {@link #fromColumns} undoes it.
     */
    static Tensor toColumns(Tensor v, int[] batch) {
        int n = v.shape(-1);
        int[] vb = Arrays.copyOf(v.dims(), v.dim() - 1);
        int[] full = Shapes.broadcast("toColumns", vb, batch);
        v = v.expand(concat(full, n));
        int lead = full.length - batch.length;
        int[] b = Arrays.copyOfRange(full, lead, full.length);
        int cols = Shapes.size(Arrays.copyOf(full, lead));
        Tensor rhs = v.reshape(concat(new int[]{cols}, concat(b, n)));               // (cols, batch..., n)
        int r = rhs.dim();
        int[] order = new int[r];
        for (int i = 0; i < r - 1; i++) order[i] = i + 1;
        order[r - 1] = 0;
        return rhs.permute(order);                                                   // (batch..., n, cols)
    }

    /** The inverse of {@link #toColumns}: (batch..., m, cols) back to (sample..., batch..., m). */
    static Tensor fromColumns(Tensor x, int[] sample) {
        int r = x.dim();
        int[] order = new int[r];
        order[0] = r - 1;
        for (int i = 1; i < r; i++) order[i] = i - 1;
        Tensor t = x.permute(order);                                                 // (cols, batch..., m)
        int[] rest = Arrays.copyOfRange(t.dims(), 1, r);
        return t.reshape(concat(sample, rest));
    }

    /** The sample dims of v (..., n) relative to a batch shape: v's leading dims beyond batch's rank. */
    static int[] sampleDims(Tensor v, int[] batch) {
        int[] vb = Arrays.copyOf(v.dims(), v.dim() - 1);
        int[] full = Shapes.broadcast("sampleDims", vb, batch);
        return Arrays.copyOf(full, full.length - batch.length);
    }

    /** The broadcast of v's trailing batch dims (all but the last, beyond the sample dims) with {@code batch}. */
    static int[] vectorBatch(Tensor v, int[] batch) {
        int[] vb = Arrays.copyOf(v.dims(), v.dim() - 1);
        int[] full = Shapes.broadcast("vectorBatch", vb, batch);
        return Arrays.copyOfRange(full, full.length - batch.length, full.length);
    }

    /** Sums the last {@code n} dims of t (t itself for n &lt;= 0). */
    static Tensor sumRightmost(Tensor t, int n) {
        if (n <= 0) return t;
        int[] ax = new int[n];
        for (int i = 0; i < n; i++) ax[i] = t.dim() - n + i;
        return t.sum(ax, false);
    }

    /**
     * Support values (n) + event laid out for enumerateSupport: (n, 1, ..., 1) + event with one 1 per batch dim, or expanded
     * to (n) + batch + event.
     */
    static Tensor enumerate(Tensor values, int[] batch, boolean expand) {
        int n = values.shape(0);
        int[] event = Arrays.copyOfRange(values.dims(), 1, values.dim());
        int[] ones = new int[batch.length];
        Arrays.fill(ones, 1);
        Tensor v = values.reshape(concat(concat(new int[]{n}, ones), event));
        return expand ? v.expand(concat(concat(new int[]{n}, batch), event)) : v;
    }
}
