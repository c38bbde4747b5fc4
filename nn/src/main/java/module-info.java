/** deepprob's neural-network layer: modules, layers, losses, initialisers, checkpoints, and the optimisers. */
module dev.deepprob.nn {
    requires transitive dev.deepprob.autograd;
    requires com.fasterxml.jackson.databind;
    exports dev.deepprob.nn;
    exports dev.deepprob.nn.optim;
}
