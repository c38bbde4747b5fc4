package dev.deepprob.gpu;

import dev.deepprob.engine.NDArray;

/** The batched matrix product on the device (matmul.cl). */
final class ClMatmul {
    private ClMatmul() {}

    static NDArray matmul(ClBackend b, NDArray x, NDArray y) { throw ClRandom.notYet("matmul"); }
}
