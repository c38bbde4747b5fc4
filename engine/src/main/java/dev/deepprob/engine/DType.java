package dev.deepprob.engine;

/**
 * Element types of an {@link NDArray}. F32 and F64 carry numbers; I64 carries indices; BOOL carries masks.
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
}
