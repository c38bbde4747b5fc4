package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Storage;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * An OpenCL device buffer as an array's storage. The buffer comes from its context's pool and goes back to it when
 * the storage becomes unreachable (a {@link Cleaner} action that holds the buffer and pool, never the storage).
 */
final class ClStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    final ClBackend backend;
    final cl_mem mem;

    ClStorage(ClBackend backend, DType dtype, int length) {
        super(dtype, length);
        this.backend = backend;
        long bytes = Math.max(1, (long) length) * ClContext.elementBytes(dtype);
        ClContext.BufferPool pool = backend.ctx().pool;
        this.mem = pool.take(bytes);
        cl_mem m = mem;
        CLEANER.register(this, () -> pool.give(m, bytes));
    }

    @Override
    public Backend backend() { return backend; }

    /** The device storage of an array, or an error naming the array's device when it is not on an OpenCL device. */
    static ClStorage of(NDArray a) {
        if (a.storage() instanceof ClStorage s) return s;
        throw new IllegalArgumentException("OpenCL: expected an array on an OpenCL device, got one on " + a.backend().name()
                + "; move it with to(backend)");
    }
}
