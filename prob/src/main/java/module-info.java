/** deepprob's probability layer: distributions, transforms, KL divergences, and the inference methods (prob.infer). */
module dev.deepprob.prob {
    requires transitive dev.deepprob.nn;
    exports dev.deepprob.prob;
    exports dev.deepprob.prob.infer;
    exports dev.deepprob.prob.transforms;
}
