package dev.deepprob.engine;

/**
 * Element types of an {@link NDArray}. F32 and F64 carry numbers; I64 carries indices; BOOL carries masks.
 *
 * <p><b>The default floating dtype</b> (PyTorch's rule, held here and nowhere else). Every factory above the
 * engine that is given only Java numbers and no dtype makes tensors of {@link #defaultFloat()}: F32 unless changed
 * with {@link #setDefaultFloat} (for the whole program) or {@link #withDefaultFloat} (for a block on one thread).
 * That covers {@code Tensor.scalar(double)}, {@code Tensor.of(double[])} (a Java {@code double} is the language's
 * number literal, as a Python float is for {@code torch.tensor([1.0])}), {@code zeros}, {@code ones},
 * {@code randn}, {@code rand}, the nn layers built without a dtype, the distributions built from Java numbers
 * ({@code new Normal(3, 2)}) and the inference helpers that make tensors from numbers. Whatever states a dtype
 * keeps it: a dtype argument, a tensor or array argument (results follow their operands), a {@code float[]}
 * (F32), a {@code long[]} (I64). The engine's {@code NDArray} is typed storage and takes no default: its factories
 * name their dtype, and {@code NDArray.of(double[])} is F64 (as {@code torch.from_numpy} keeps float64).
 */
public enum DType {
    F32(4), F64(8), I64(8), BOOL(1);

    private final int byteSize;

    DType(int byteSize) { this.byteSize = byteSize; }

    /** Bytes one element takes in storage (and in a safetensors file). */
    public int byteSize() { return byteSize; }

    /** True for F32 and F64, the types arithmetic and gradients are defined on. */
    public boolean isFloating() { return this == F32 || this == F64; }

    /** The type NumPy-style promotion gives two operands: the wider floating type wins, BOOL is narrowest. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == F64 || b == F64) return F64;
        if (a == F32 || b == F32) return F32;
        return I64;
    }

    // ------------------------------------------------------------------ the default floating dtype

    /** The program-wide default; volatile so a change is seen by every thread at once. */
    private static volatile DType globalDefault = F32;

    /** A {@link #withDefaultFloat} override on this thread, or null; scopes nest by restoring what they replaced. */
    private static final ThreadLocal<DType> scoped = new ThreadLocal<>();

    /**
     * The floating dtype of tensors made from Java numbers without a dtype (torch.get_default_dtype): this thread's
     * {@link #withDefaultFloat} override when one is open, else the program-wide default (F32 unless set).
     */
    public static DType defaultFloat() {
        DType t = scoped.get();
        return t != null ? t : globalDefault;
    }

    /**
     * Sets the program-wide default floating dtype (torch.set_default_dtype); it applies to tensors made afterwards,
     * on every thread without an open {@link #withDefaultFloat} scope.
     *
     * @param t F32 or F64
     */
    public static void setDefaultFloat(DType t) {
        globalDefault = requireFloat("DType.setDefaultFloat", t);
    }

    /**
     * Makes {@code t} the default floating dtype on this thread until the returned scope is closed, then restores the
     * previous one: {@code try (var s = DType.withDefaultFloat(DType.F64)) { ... }}. Other threads are not affected,
     * so tests and libraries can use it without racing each other.
     *
     * @param t F32 or F64
     */
    public static DefaultScope withDefaultFloat(DType t) {
        requireFloat("DType.withDefaultFloat", t);
        DType previous = scoped.get();
        scoped.set(t);
        return new DefaultScope(previous);
    }

    private static DType requireFloat(String op, DType t) {
        if (t == null || !t.isFloating())
            throw new IllegalArgumentException(op + ": the default dtype must be a floating type (F32 or F64), got " + t);
        return t;
    }

    /** An open {@link #withDefaultFloat} override; closing it (once, on the thread that opened it) restores the previous default. */
    public static final class DefaultScope implements AutoCloseable {
        private final DType previous;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private DefaultScope(DType previous) { this.previous = previous; }

        @Override
        public void close() {
            if (closed) return;
            if (Thread.currentThread() != owner)
                throw new IllegalStateException("DType.withDefaultFloat: scope opened on thread " + owner.getName()
                        + " must be closed there, not on " + Thread.currentThread().getName());
            closed = true;
            if (previous == null) scoped.remove();
            else scoped.set(previous);
        }
    }
}
