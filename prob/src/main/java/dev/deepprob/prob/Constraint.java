package dev.deepprob.prob;

import dev.deepprob.engine.NDArray;

/** A set of values (a distribution's support, or a parameter's domain), checkable elementwise. */
public interface Constraint {
    /** A BOOL array: true where the value lies in the set (event dims reduced for event constraints). */
    NDArray contains(NDArray value);

    /** A short description for messages, e.g. "> 0" or "in the simplex". */
    String describe();

    /** The number of trailing dims the set looks at together (0 for elementwise sets, 1 for the simplex, 2 for matrices). */
    default int eventDim() { return 0; }

    /** True when the set is discrete (integers, booleans, one-hot vectors). */
    default boolean isDiscrete() { return false; }

    /**
     * Throws {@link IllegalArgumentException} naming {@code what} ("Normal: scale"), the first bad value and its
     * index when some element is outside the set.
     */
    default void check(String what, NDArray value) {
        NDArray ok = contains(value);
        boolean[] flags = ok.toBooleanArray();
        for (int i = 0; i < flags.length; i++) {
            if (!flags[i]) {
                int[] idx = unravel(i, ok.dims());
                String v;
                if (ok.rank() == value.rank()) v = String.valueOf(value.get(idx));
                else v = "a row that is not";
                throw new IllegalArgumentException(what + " must be " + describe() + ", got " + v + " at " + java.util.Arrays.toString(idx));
            }
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }
}
