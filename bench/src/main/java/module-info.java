/**
 * deepprob's benchmarks (JMH) and the side-by-side comparison with numpy and PyTorch. Run from the shaded
 * benchmarks.jar on the class path; the descriptor states what the benchmarks use, including the engine's
 * internal kernels (dev.deepprob.engine.cpu is exported to this module alone among the project's).
 */
module dev.deepprob.bench {
    requires dev.deepprob.nn;
    requires dev.deepprob.prob;
    requires dev.deepprob.gpu;
    requires jmh.core;
    requires java.management;   // MatmulCpuTime: thread CPU time
    requires jdk.management;
    exports dev.deepprob.bench;
}
