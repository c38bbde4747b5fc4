/**
 * deepprob's tensor engine: n-dimensional arrays, Vector API kernels, matmul, linear algebra, random numbers.
 * Only {@code dev.deepprob.engine} is API: everything above the engine reaches data through {@link
 * dev.deepprob.engine.Backend}. The CPU kernels in {@code dev.deepprob.engine.cpu} are internal, exported only to the
 * benchmarks that time them.
 */
module dev.deepprob.engine {
    requires transitive jdk.incubator.vector;
    exports dev.deepprob.engine;
    exports dev.deepprob.engine.cpu to dev.deepprob.bench;
    uses dev.deepprob.engine.Backend;
}
