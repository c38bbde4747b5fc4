package dev.deepprob.gpu;

import dev.deepprob.engine.NDArray;

/**
 * Linear algebra on the device: to come (issue 10's second part), on the device or, for small matrices, by a
 * documented host round-trip. Until then each method says it is not implemented.
 */
final class ClLinalg {
    private ClLinalg() {}

    static NDArray cholesky(ClBackend b, NDArray a) { throw ClRandom.notYet("cholesky"); }

    static NDArray triangularSolve(ClBackend b, NDArray a, NDArray rhs, boolean upper, boolean left, boolean unitDiagonal) {
        throw ClRandom.notYet("triangularSolve");
    }

    static NDArray solve(ClBackend b, NDArray a, NDArray rhs) { throw ClRandom.notYet("solve"); }

    static NDArray inverse(ClBackend b, NDArray a) { throw ClRandom.notYet("inverse"); }

    static NDArray adjugate(ClBackend b, NDArray a) { throw ClRandom.notYet("adjugate"); }

    static NDArray[] slogdet(ClBackend b, NDArray a) { throw ClRandom.notYet("slogdet"); }
}
