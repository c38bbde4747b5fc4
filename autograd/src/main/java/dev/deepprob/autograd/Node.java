package dev.deepprob.autograd;

/**
 * One recorded application of a primitive: the inputs it saw, with their versions at that time so a later
 * in-place change can be detected. Freed (inputs dropped) after a backward pass unless the graph is retained.
 */
final class Node {
    final Prim prim;
    Tensor[] inputs;
    final int[] versions;

    Node(Prim prim, Tensor[] inputs) {
        this.prim = prim;
        this.inputs = inputs;
        this.versions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) versions[i] = inputs[i].version;
    }

    boolean freed() { return inputs == null; }
}
