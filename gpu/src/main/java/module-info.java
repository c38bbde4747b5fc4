/**
 * deepprob's OpenCL backend: an implementation of the engine's {@link dev.deepprob.engine.Backend} contract on any
 * OpenCL device (a GPU, or PoCL on the CPU), found by the engine through {@link java.util.ServiceLoader}.
 */
module dev.deepprob.gpu {
    requires transitive dev.deepprob.engine;
    requires jocl;
    exports dev.deepprob.gpu;
    provides dev.deepprob.engine.Backend with dev.deepprob.gpu.ClBackend;
}
