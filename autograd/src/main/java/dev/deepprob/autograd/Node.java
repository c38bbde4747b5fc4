package dev.deepprob.autograd;

import dev.deepprob.engine.NDArray;

/**
 * One recorded application of a primitive: the inputs it saw, with the versions of their storages at that time (and
 * of the output's storage and of any array the primitive keeps, such as a mask), so a later in-place change through
 * any alias can be detected. Freed (inputs dropped) after a backward pass unless the graph is retained.
 */
final class Node {
    private static final int[] NONE = new int[0];

    final Prim prim;
    Tensor[] inputs;
    final int[] versions;
    final int outputVersion;
    final int[] savedVersions;

    Node(Prim prim, Tensor[] inputs, NDArray output) {
        this.prim = prim;
        this.inputs = inputs;
        this.versions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) versions[i] = inputs[i].data.version();
        this.outputVersion = output.version();
        NDArray[] saved = prim.saved();
        if (saved.length == 0) {
            savedVersions = NONE;
        } else {
            savedVersions = new int[saved.length];
            for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].version();
        }
    }

    /** Throws when a value this node saved was written since it was recorded; {@code op} names the pass. */
    void checkUnchanged(String op, Tensor output) {
        for (int i = 0; i < inputs.length; i++) {
            int v = inputs[i].data.version();
            if (v != versions[i]) throw modified(op, "input " + i + " of " + prim.opName(), inputs[i].data, v, versions[i]);
        }
        if (output.data.version() != outputVersion) throw modified(op, "the output of " + prim.opName(), output.data,
                output.data.version(), outputVersion);
        if (savedVersions.length > 0) {
            NDArray[] saved = prim.saved();
            for (int i = 0; i < saved.length; i++) {
                if (saved[i].version() != savedVersions[i]) throw modified(op, "an array saved by " + prim.opName(), saved[i],
                        saved[i].version(), savedVersions[i]);
            }
        }
    }

    private static IllegalStateException modified(String op, String what, NDArray a, int now, int then) {
        return new IllegalStateException(op + ": " + what + " (shape " + dev.deepprob.engine.Shapes.str(a.dims())
                + ") was modified in place after it was saved (version " + now + ", expected " + then + "), through it or through a "
                + "view or tensor sharing its storage");
    }

    boolean freed() { return inputs == null; }
}
