package dev.deepprob.engine;

/** The CPU backend against the shared kernel contract. */
class CpuBackendContractTest extends BackendContract {
    @Override
    protected Backend backend() { return Backends.cpu(); }
}
