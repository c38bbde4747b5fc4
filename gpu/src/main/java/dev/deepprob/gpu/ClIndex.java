package dev.deepprob.gpu;

import dev.deepprob.engine.NDArray;

/** Index selection, gather and scatter-add on the device (index.cl). */
final class ClIndex {
    private ClIndex() {}

    static NDArray indexSelect(ClBackend b, NDArray x, int dim, NDArray index) { throw ClRandom.notYet("indexSelect"); }

    static void indexSelectInto(ClBackend b, NDArray x, int dim, NDArray index, NDArray out) { throw ClRandom.notYet("indexSelectInto"); }

    static NDArray gather(ClBackend b, NDArray x, int dim, NDArray index) { throw ClRandom.notYet("gather"); }

    static NDArray scatterAdd(ClBackend b, NDArray x, int dim, NDArray index, NDArray src) { throw ClRandom.notYet("scatterAdd"); }
}
