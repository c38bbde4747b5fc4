/** deepprob's autograd: differentiable tensors on a dynamic tape with higher-order gradients. */
module dev.deepprob.autograd {
    requires transitive dev.deepprob.engine;
    exports dev.deepprob.autograd;
}
