package dev.deepprob.engine;

/**
 * The memory behind one or more {@link NDArray}s: a flat buffer of one {@link DType} that lives on one
 * {@link Backend}. Every view of an array shares its storage, and every operation on an array is carried out by its
 * storage's backend, so a new backend (OpenCL device buffers) plugs in by subclassing this type and implementing
 * {@link Backend}; nothing above the engine sees a buffer's contents except through the backend.
 *
 * <p>The storage also carries the version counter that autograd uses to detect an input changed in place after it
 * was saved for backward: it is bumped by every write into the buffer, through any view.
 */
public abstract class Storage {
    private final DType dtype;
    private final int length;
    private int version;

    /** @param length the buffer's element count (may exceed what any one view covers) */
    protected Storage(DType dtype, int length) {
        if (dtype == null) throw new IllegalArgumentException("Storage: dtype must not be null");
        if (length < 0) throw new IllegalArgumentException("Storage: length must be >= 0, got " + length);
        this.dtype = dtype;
        this.length = length;
    }

    /** The backend that owns this buffer and runs every operation on it. */
    public abstract Backend backend();

    public final DType dtype() { return dtype; }

    /** Elements in the buffer. */
    public final int length() { return length; }

    /** The number of writes into this buffer so far (through any view); autograd compares it to detect in-place changes. */
    public final int version() { return version; }

    /** Records a write into this buffer; every kernel that writes into existing storage calls it. */
    public final void bumpVersion() { version++; }
}
