package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.BackendContract;

/** The OpenCL backend against the engine's shared kernel contract (from engine's test jar). */
class ClBackendContractTest extends BackendContract {
    @Override
    protected Backend backend() { return ClTestDevice.backend(); }
}
