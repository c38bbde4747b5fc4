package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.BackendContract;

/**
 * The OpenCL backend against the engine's shared kernel contract (from engine's test jar): every method of the
 * Backend interface, the samplers, special functions and linear algebra included, must pass as on the CPU.
 */
class ClBackendContractTest extends BackendContract {
    @Override
    protected Backend backend() { return ClTestDevice.backend(); }
}
