package dev.deepprob.nn;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions shared by the nn tests. */
public final class Asserts {
    private Asserts() {}

    /** Asserts that {@code r} throws {@code type} with a message containing every fragment. */
    public static <T extends Throwable> T assertThrowsWith(Class<T> type, Executable r, String... fragments) {
        T e = assertThrows(type, r);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    /** Asserts element-wise closeness with a combined absolute and relative tolerance. */
    public static void assertClose(double[] expected, double[] actual, double tol) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)))) {
                throw new AssertionError("element " + i + ": expected " + e + ", got " + a + " (tol " + tol + ")");
            }
        }
    }
}
