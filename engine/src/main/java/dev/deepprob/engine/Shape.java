package dev.deepprob.engine;

import java.util.Arrays;

/**
 * A shape as a value, as torch.Size: it prints as {@code [3, 4]} (a raw {@code int[]} prints as {@code [I@1b6d3586}),
 * compares by its dims and cannot be changed. {@code shape()} (and {@code Tensor.size()}) return it; {@code dims()}
 * gives the {@code int[]} for arithmetic and the {@code int...} methods.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;

    private Shape(int[] dims) { this.dims = dims; }

    /** The shape with the given dims (copied); each must be &gt;= 0. {@code Shape.of()} is a scalar's shape {@code []}. */
    public static Shape of(int... dims) {
        if (dims == null) throw new IllegalArgumentException("Shape.of: dims must not be null");
        if (dims.length == 0) return SCALAR;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) throw new IllegalArgumentException("Shape.of: dim " + i + " is negative in " + Arrays.toString(dims)
                    + " (expected sizes >= 0)");
        }
        return new Shape(dims.clone());
    }

    /** The number of dims (0 for a scalar). */
    public int rank() { return dims.length; }

    /** The size of dim {@code i}; a negative i counts from the end, as in PyTorch ({@code get(-1)} is the last). */
    public int get(int i) {
        int r = dims.length;
        if (i < -r || i >= r) throw new IndexOutOfBoundsException("Shape.get: dim " + i + " out of range for shape " + this
                + (r == 0 ? " (a scalar has no dims)" : " (expected " + -r + " to " + (r - 1) + ")"));
        return dims[i < 0 ? i + r : i];
    }

    /** The number of elements (1 for a scalar), as a long so that it cannot overflow. */
    public long numel() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** A copy of the dims, for the methods that take {@code int[]}. */
    public int[] toArray() { return dims.clone(); }

    @Override
    public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(s.dims, dims); }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }

    /** The dims as {@code [3, 4]} ({@code []} for a scalar), as {@link Shapes#str} writes them in messages. */
    @Override
    public String toString() { return Shapes.str(dims); }
}
