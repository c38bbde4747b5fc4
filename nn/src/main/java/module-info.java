/** deepprob's neural-network layer: modules, layers, losses, initialisers, checkpoints, the optimisers, datasets and batching, and data files. */
module dev.deepprob.nn {
    requires transitive dev.deepprob.autograd;
    requires com.fasterxml.jackson.databind;
    exports dev.deepprob.nn;
    exports dev.deepprob.nn.optim;
    exports dev.deepprob.nn.data;
    exports dev.deepprob.nn.io;
}
