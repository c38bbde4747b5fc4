package dev.deepprob.engine;

/** The CPU backend's storage: a Java array (float[] F32, double[] F64, long[] I64, boolean[] BOOL). Engine-internal. */
final class HeapStorage extends Storage {
    /** The elements; only the CPU backend and NDArray's element access read it. */
    final Object array;

    HeapStorage(DType dtype, Object array) {
        super(dtype, length(array));
        this.array = array;
    }

    private static int length(Object a) {
        return switch (a) {
            case float[] f -> f.length;
            case double[] d -> d.length;
            case long[] l -> l.length;
            case boolean[] b -> b.length;
            default -> throw new IllegalArgumentException("HeapStorage: unsupported array " + a.getClass());
        };
    }

    @Override
    public Backend backend() { return CpuBackend.instance(); }
}
