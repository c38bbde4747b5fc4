/**
 * deepprob's tensor engine: n-dimensional arrays, Vector API kernels, matmul, linear algebra, random numbers.
 * Only {@code dev.deepprob.engine} is API; the kernels in {@code dev.deepprob.engine.cpu} are internal (exported
 * only to the project's own modules that fuse kernels).
 */
module dev.deepprob.engine {
    requires transitive jdk.incubator.vector;
    exports dev.deepprob.engine;
    exports dev.deepprob.engine.cpu to dev.deepprob.autograd, dev.deepprob.nn, dev.deepprob.prob, dev.deepprob.bench, dev.deepprob.gpu;
    uses dev.deepprob.engine.Backend;
}
