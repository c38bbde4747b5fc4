package dev.deepprob.engine;

import java.util.Arrays;

/** Shape arithmetic shared by the engine and the layers above it: sizes, strides, broadcasting, axis checks. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a shape (1 for a scalar shape []); see {@link #size(String, int[])}. */
    public static int size(int[] shape) { return size("size", shape); }

    /**
     * Number of elements of a shape, refused (naming {@code op} and the shape) when it passes 2^31 - 1, the most a
     * Java array holds. The running product saturates at 2^31 so it can neither wrap around nor hide a later 0.
     */
    public static int size(String op, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " has a negative dimension");
            n = Math.min(n * d, LIMIT);
        }
        if (n == LIMIT) throw tooLarge(op, Arrays.toString(shape), count(shape));
        return (int) n;
    }

    /** As {@link #size(String, int[])} for a shape computed in longs (a concatenation, an arange), before it is made. */
    public static int size(String op, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " has a negative dimension");
            n = d > LIMIT ? (n == 0 ? 0 : LIMIT) : Math.min(n * d, LIMIT);
        }
        if (n == LIMIT) {
            java.math.BigInteger c = java.math.BigInteger.ONE;
            for (long d : shape) c = c.multiply(java.math.BigInteger.valueOf(d));
            throw tooLarge(op, Arrays.toString(shape), c);
        }
        return (int) n;
    }

    private static final long LIMIT = Integer.MAX_VALUE + 1L;

    private static java.math.BigInteger count(int[] shape) {
        java.math.BigInteger c = java.math.BigInteger.ONE;
        for (int d : shape) c = c.multiply(java.math.BigInteger.valueOf(d));
        return c;
    }

    private static IllegalArgumentException tooLarge(String op, String shape, java.math.BigInteger count) {
        return new IllegalArgumentException(op + ": shape " + shape + " has " + count + " elements, more than 2^31 - 1 (the most an "
                + "array can hold)");
    }

    /** Row-major (C-order) strides of a shape, in elements. */
    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    /** Checks a shape has no negative extent and at most 2^31 - 1 elements; the message names the operation. */
    public static int[] checkShape(String op, int... shape) {
        size(op, shape);
        return shape.clone();
    }

    /** NumPy broadcasting of two shapes; throws naming the operation and both shapes when they cannot broadcast. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) return a;
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da == db || db == 1) out[i] = da;
            else if (da == 1) out[i] = db;
            else throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                    + " cannot broadcast (" + da + " vs " + db + " at dim " + i + " of the result)");
        }
        size(op, out);
        return out;
    }

    /** Normalises a possibly negative axis against a rank, naming the operation when it is out of range. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException(op + ": dim " + axis + " out of range for rank " + rank
                + " (expected " + (-rank) + " to " + (rank - 1) + ")");
        return a;
    }

    /** Normalised, sorted, distinct axes; an empty list means every axis. */
    public static int[] axes(String op, int[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            int n = axis(op, a, rank);
            if (seen[n]) throw new IllegalArgumentException(op + ": dim " + a + " repeated in " + Arrays.toString(axes));
            seen[n] = true;
        }
        int k = 0;
        int[] out = new int[axes.length];
        for (int i = 0; i < rank; i++) if (seen[i]) out[k++] = i;
        return out;
    }

    /** The shape left after reducing the given (normalised) axes, keeping them as 1 when keepDim. */
    public static int[] reducedShape(int[] shape, int[] axes, boolean keepDim) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a] = true;
        int[] out = new int[keepDim ? shape.length : shape.length - axes.length];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!red[i]) out[k++] = shape[i];
            else if (keepDim) out[k++] = 1;
        }
        return out;
    }

    /**
     * The shape {@code newShape} names for {@code size} elements, with one -1 inferred; throws naming the operation
     * and the original shape when the sizes do not agree.
     */
    public static int[] infer(String op, int[] newShape, int size, int[] oldShape) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + str(newShape));
                infer = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dimension " + newShape[i] + " in " + str(newShape));
            } else known = Math.min(known * newShape[i], LIMIT);   // saturates: a wrapped product could match
        }
        int[] s = newShape.clone();
        if (infer < 0) size(op, s);
        if (infer >= 0) {
            if (known == 0 || size % known != 0) throw new IllegalArgumentException(op + ": shape " + str(newShape)
                    + " is invalid for " + size + " elements of shape " + str(oldShape));
            s[infer] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException(op + ": shape " + str(newShape) + " is invalid for " + size
                    + " elements of shape " + str(oldShape));
        }
        return s;
    }

    /** "[2, 3]" for messages. */
    public static String str(int[] shape) { return Arrays.toString(shape); }

    /**
     * The shapes of torch.matmul(a, b), checked once for every layer (NDArray, Tensor, backends): a 1-D a is a row
     * (1, k) and a 1-D b a column (k, 1), both removed from the result; the leading (batch) dims broadcast.
     * @param batch the broadcast batch dims
     * @param aShape a's shape as a matrix stack over {@code batch}: batch + (m, k)
     * @param bShape b's: batch + (k, n)
     * @param outShape the result's shape, promoted dims removed
     */
    public record Matmul(int[] batch, int m, int k, int n, int[] aShape, int[] bShape, int[] outShape) {}

    /** Checks a matmul of shapes a and b and returns its plan; throws naming both shapes when they do not align. */
    public static Matmul matmul(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) throw new IllegalArgumentException("matmul: both arguments need at least 1 dim, got shapes "
                + str(a) + " and " + str(b));
        int[] a2 = a.length == 1 ? new int[]{1, a[0]} : a, b2 = b.length == 1 ? new int[]{b[0], 1} : b;
        int m = a2[a2.length - 2], k = a2[a2.length - 1], k2 = b2[b2.length - 2], n = b2[b2.length - 1];
        if (k != k2) throw new IllegalArgumentException("matmul: shapes " + str(a) + " and " + str(b) + " do not align (" + k + " != " + k2 + ")");
        int[] batch = broadcast("matmul", Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        int[] as = Arrays.copyOf(batch, batch.length + 2), bs = Arrays.copyOf(batch, batch.length + 2);
        as[batch.length] = m;
        as[batch.length + 1] = k;
        bs[batch.length] = k;
        bs[batch.length + 1] = n;
        int[] out = new int[batch.length + (a.length > 1 ? 1 : 0) + (b.length > 1 ? 1 : 0)];
        System.arraycopy(batch, 0, out, 0, batch.length);
        int j = batch.length;
        if (a.length > 1) out[j++] = m;
        if (b.length > 1) out[j] = n;
        checkShape("matmul", out);
        return new Matmul(batch, m, k, n, as, bs, out);
    }
}
