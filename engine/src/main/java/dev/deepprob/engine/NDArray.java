package dev.deepprob.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An n-dimensional array of one {@link DType}: a storage array plus shape, strides (in elements) and offset.
 * View operations (reshape when possible, permute, transpose, expand, narrow, select, squeeze, unsqueeze,
 * diagonal) share storage and copy nothing; every other operation returns a new contiguous array.
 * Arithmetic follows NumPy broadcasting. Instances are immutable except through the methods named {@code ...InPlace}
 * and {@link #set}, which write into the storage and so into every view of it. Every write bumps the storage's
 * {@link #version()}, which all views share, and a destination whose elements overlap (an expanded view) is refused.
 */
public final class NDArray {
    final DType dtype;
    final int[] shape;
    final int[] strides;
    final int offset;
    final int size;
    /** The buffer and the backend that owns it; shared by every view. */
    final Storage storage;

    NDArray(DType dtype, int[] shape, int[] strides, int offset, Storage storage) {
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.storage = storage;
        this.size = Shapes.size(shape);
    }

    /** A CPU array over a Java array (float[] F32, double[] F64, long[] I64, boolean[] BOOL). */
    static NDArray heap(DType dtype, int[] shape, int[] strides, int offset, Object array) {
        return new NDArray(dtype, shape, strides, offset, new HeapStorage(dtype, array));
    }

    /** A contiguous CPU array over a Java array. */
    static NDArray heap(DType dtype, int[] shape, Object array) {
        return heap(dtype, shape, Shapes.contiguousStrides(shape), 0, array);
    }

    /** The CPU backend, which makes every new array that no other array's backend makes. */
    static Backend cpu() { return CpuBackend.instance(); }

    /** The backend that owns this array's storage and carries out every operation on it. */
    public Backend backend() { return storage.backend(); }

    /**
     * The storage behind this array, shared by all its views: what a backend outside the engine (OpenCL) reads its
     * device buffer from. Nothing above the engine should need it.
     */
    public Storage storage() { return storage; }

    /**
     * An array over a backend's own storage, for backends outside the engine package: the view (shape, strides in
     * elements, offset) is checked to stay inside the storage, and the dtype is the storage's.
     */
    public static NDArray onStorage(Storage storage, int[] shape, int[] strides, int offset) {
        if (storage == null || shape == null || strides == null)
            throw new IllegalArgumentException("onStorage: storage, shape and strides must not be null");
        if (shape.length != strides.length) throw new IllegalArgumentException("onStorage: shape " + Shapes.str(shape)
                + " and strides " + Arrays.toString(strides) + " must have one length");
        int[] s = Shapes.checkShape("onStorage", shape.clone());
        long lo = offset, hi = offset;
        boolean empty = false;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) empty = true;
            long reach = (long) strides[i] * (s[i] - 1);
            if (reach < 0) lo += reach;
            else hi += reach;
        }
        if (!empty && (lo < 0 || hi >= storage.length())) throw new IllegalArgumentException("onStorage: shape " + Shapes.str(s)
                + " with strides " + Arrays.toString(strides) + " at offset " + offset + " reaches positions " + lo + ".." + hi
                + ", outside a storage of " + storage.length() + " elements");
        return new NDArray(storage.dtype(), s, strides.clone(), offset, storage);
    }

    private NDArray bin(BinaryOp op, NDArray o) {
        Backend b = storage.backend();
        if (o == null || o.storage.backend() != b) {
            // PyTorch's rule: a 0-dim CPU array (a scalar constant) joins the other operand's device
            if (o != null && o.isCpuScalar()) o = o.to(b);
            else if (o != null && isCpuScalar()) return to(o.backend()).bin(op, o);
            // the op's name is built only for the error: a binary op is the hottest path of a small model
            else backendWith(op.name().toLowerCase(), o);
        }
        return b.binary(op, this, o);
    }

    /** A 0-dim array on the CPU: the one kind of array that an operation moves to its other operands' device. */
    private boolean isCpuScalar() { return shape.length == 0 && storage.backend() == cpu(); }

    /** The arrays with every 0-dim CPU array moved to the device of the first array that is not on the CPU. */
    private static List<NDArray> joinScalars(List<NDArray> arrays) {
        Backend dev = null;
        for (NDArray a : arrays) if (a != null && a.storage.backend() != cpu()) { dev = a.storage.backend(); break; }
        if (dev == null) return arrays;
        List<NDArray> out = new java.util.ArrayList<>(arrays.size());
        for (NDArray a : arrays) out.add(a != null && a.isCpuScalar() ? a.to(dev) : a);
        return out;
    }

    /** The backend of this array and {@code o}: an operation mixing devices fails, naming both. */
    Backend backendWith(String op, NDArray o) {
        if (o == null) throw new IllegalArgumentException(op + ": argument must not be null");
        Backend b = storage.backend(), c = o.storage.backend();
        if (b != c) throw new IllegalArgumentException(op + ": arrays on different devices (" + b.name() + " and " + c.name()
                + "); move one with to(Backend)");
        return b;
    }

    /** The one backend of all these arrays (the CPU for none), or an error naming the devices mixed. */
    static Backend common(String op, List<NDArray> arrays) {
        if (arrays == null) throw new IllegalArgumentException(op + ": arrays must not be null");
        Backend b = null;
        for (NDArray a : arrays) {
            if (a == null) throw new IllegalArgumentException(op + ": arrays must not be null");
            Backend c = a.storage.backend();
            if (b == null) b = c;
            else if (b != c) throw new IllegalArgumentException(op + ": arrays on different devices (" + b.name() + " and "
                    + c.name() + "); move them to one with to(Backend)");
        }
        return b == null ? cpu() : b;
    }

    /** The Java array behind a CPU array (element access and the CPU backend only). */
    Object heapArray() {
        if (storage instanceof HeapStorage h) return h.array;
        throw new IllegalStateException("element access on a " + storage.backend().name() + " array: copy it with toCpu() first");
    }

    static Object allocate(DType t, int n) {
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    /** A new contiguous array of the given type and shape, filled with zeros (false). */
    static NDArray empty(DType t, int[] shape) {
        return heap(t, shape, Shapes.contiguousStrides(shape), 0, allocate(t, Shapes.size(shape)));
    }

    // ------------------------------------------------------------------ creation

    static Shape checkShapeArg(String op, Shape s) {
        if (s == null) throw new IllegalArgumentException(op + ": shape must not be null");
        return s;
    }

    /** Zeros of the given type and {@link Shape}. */
    public static NDArray zeros(DType t, Shape shape) { return zeros(t, checkShapeArg("zeros", shape).toArray()); }

    /** Ones of the given type and {@link Shape}. */
    public static NDArray ones(DType t, Shape shape) { return ones(t, checkShapeArg("ones", shape).toArray()); }

    /** Zeros of x's dtype and shape on x's device (torch.zeros_like). */
    public static NDArray zerosLike(NDArray x) { return fullLike(x, 0); }

    /** Ones of x's dtype and shape on x's device (torch.ones_like). */
    public static NDArray onesLike(NDArray x) { return fullLike(x, 1); }

    /** An array of x's dtype and shape on x's device with every element v (torch.full_like). */
    public static NDArray fullLike(NDArray x, double v) {
        if (x == null) throw new IllegalArgumentException("fullLike: array must not be null");
        return x.backend().full(x.dtype, v, x.shape);
    }

    /** Zeros of the given type and shape. */
    public static NDArray zeros(DType t, int... shape) { return onDefault(empty(t, Shapes.checkShape("zeros", shape))); }

    /** Ones of the given type and shape. */
    public static NDArray ones(DType t, int... shape) { return full(t, 1, shape); }

    /** An array of the given type and shape with every element {@code value}. */
    public static NDArray full(DType t, double value, int... shape) {
        int[] s = Shapes.checkShape("full", shape);
        Backend d = Backends.defaultBackend();
        return d == cpu() ? cpuFull(t, value, s) : d.full(t, value, s);
    }

    /** A new CPU array of every element v, whatever the default device (the CPU backend and constants use it). */
    static NDArray cpuFull(DType t, double value, int[] shape) {
        NDArray a = empty(t, shape);
        if (value != 0) a.fillInPlace(value);
        return a;
    }

    /** A CPU array moved to the default device ({@link Backends#defaultBackend()}); itself when that is the CPU. */
    private static NDArray onDefault(NDArray cpuArray) {
        Backend d = Backends.defaultBackend();
        return d == cpu() ? cpuArray : d.fromCpu(cpuArray);
    }

    /** A 0-dimensional array holding one value. */
    public static NDArray scalar(DType t, double value) { return full(t, value); }

    /** Wraps a copy of {@code values} as an F32 array of the given shape (a 1-D array when no shape is given). */
    public static NDArray of(float[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[]{values.length} : Shapes.checkShape("of", shape);
        checkCount("of", values.length, s);
        return onDefault(heap(DType.F32, s, Shapes.contiguousStrides(s), 0, values.clone()));
    }

    /** Wraps a copy of {@code values} as an F64 array of the given shape (a 1-D array when no shape is given). */
    public static NDArray of(double[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[]{values.length} : Shapes.checkShape("of", shape);
        checkCount("of", values.length, s);
        return onDefault(heap(DType.F64, s, Shapes.contiguousStrides(s), 0, values.clone()));
    }

    /** Wraps a copy of {@code values} as an I64 array of the given shape (a 1-D array when no shape is given). */
    public static NDArray of(long[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[]{values.length} : Shapes.checkShape("of", shape);
        checkCount("of", values.length, s);
        return onDefault(heap(DType.I64, s, Shapes.contiguousStrides(s), 0, values.clone()));
    }

    /** Wraps a copy of {@code values} as a BOOL array of the given shape (a 1-D array when no shape is given). */
    public static NDArray of(boolean[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[]{values.length} : Shapes.checkShape("of", shape);
        checkCount("of", values.length, s);
        return onDefault(heap(DType.BOOL, s, Shapes.contiguousStrides(s), 0, values.clone()));
    }

    /**
     * Wraps {@code values} without copying: the array becomes this NDArray's storage. Each call starts a storage of
     * its own: two wraps of one Java array are not known to alias, so a write through one does not change the
     * other's {@link #version()} (wrap once and take views instead).
     */
    public static NDArray wrap(float[] values, int... shape) {
        checkCount("wrap", values.length, Shapes.checkShape("wrap", shape));
        return heap(DType.F32, shape.clone(), Shapes.contiguousStrides(shape), 0, values);
    }

    /** Wraps {@code values} without copying, as {@link #wrap(float[], int...)} (one storage per call). */
    public static NDArray wrap(double[] values, int... shape) {
        checkCount("wrap", values.length, Shapes.checkShape("wrap", shape));
        return heap(DType.F64, shape.clone(), Shapes.contiguousStrides(shape), 0, values);
    }

    /** Wraps {@code values} without copying as an I64 CPU array, as {@link #wrap(float[], int...)}. */
    public static NDArray wrap(long[] values, int... shape) {
        checkCount("wrap", values.length, Shapes.checkShape("wrap", shape));
        return heap(DType.I64, shape.clone(), Shapes.contiguousStrides(shape), 0, values);
    }

    /** Wraps {@code values} without copying as a BOOL CPU array, as {@link #wrap(float[], int...)}. */
    public static NDArray wrap(boolean[] values, int... shape) {
        checkCount("wrap", values.length, Shapes.checkShape("wrap", shape));
        return heap(DType.BOOL, shape.clone(), Shapes.contiguousStrides(shape), 0, values);
    }

    private static void checkCount(String op, int n, int[] shape) {
        if (n != Shapes.size(shape)) throw new IllegalArgumentException(op + ": " + n + " values cannot fill shape "
                + Shapes.str(shape) + " (" + Shapes.size(shape) + " elements)");
    }

    /** Values start, start+step, ... below end (above end for a negative step), as in NumPy's arange. */
    public static NDArray arange(DType t, double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end))
            throw new IllegalArgumentException("arange: expected finite start, end and non-zero step, got " + start + ", " + end + ", " + step);
        double count = Math.max(0, Math.ceil((end - start) / step));
        int n = Shapes.size("arange", new long[]{count >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) count});
        NDArray a = empty(t, new int[]{n});
        for (int i = 0; i < n; i++) a.setFlat(i, start + i * step);
        return onDefault(a);
    }

    /** {@code arange(t, 0, n, 1)}. */
    public static NDArray arange(DType t, int n) { return arange(t, 0, n, 1); }

    /** {@code steps} evenly spaced values from start to end inclusive. */
    public static NDArray linspace(DType t, double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        NDArray a = empty(t, new int[]{steps});
        double h = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) a.setFlat(i, i == steps - 1 ? end : start + i * h);
        return onDefault(a);
    }

    /** The n×n identity. */
    public static NDArray eye(DType t, int n) {
        if (n < 0) throw new IllegalArgumentException("eye: n must be >= 0, got " + n);
        NDArray a = empty(t, Shapes.checkShape("eye", n, n));
        for (int i = 0; i < n; i++) a.setFlat(i * n + i, 1);
        return onDefault(a);
    }

    /**
     * The (row, column) indices of the lower triangle of an n×m matrix, as torch.tril_indices: a 2×k I64 array, row 0
     * the rows and row 1 the columns, in row-major order. {@code offset} moves the diagonal up (&gt; 0) or down (&lt; 0);
     * {@code x.reshape(n*m)} gathered at {@code rows*m + cols} reads the triangle without a mask.
     */
    public static NDArray trilIndices(int n, int m, int offset) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("trilIndices: n and m must be >= 0, got n=" + n + ", m=" + m);
        long k = 0;
        for (int i = 0; i < n; i++) k += Math.clamp((long) i + offset + 1, 0, m);
        int count = Shapes.size("trilIndices", new long[]{2, k}) / 2;
        long[] idx = new long[2 * count];
        int p = 0;
        for (int i = 0; i < n; i++) {
            long end = Math.clamp((long) i + offset + 1, 0, m);
            for (int j = 0; j < end; j++, p++) {
                idx[p] = i;
                idx[count + p] = j;
            }
        }
        return of(idx, 2, count);
    }

    // ------------------------------------------------------------------ random

    /** Uniform numbers in [low, high) from {@code gen}. */
    public static NDArray uniform(Generator gen, DType t, double low, double high, int... shape) {
        return Backends.defaultBackend().uniform(gen, t, low, high, Shapes.checkShape("uniform", shape));
    }

    /** Uniform numbers in [0, 1). */
    public static NDArray rand(Generator gen, DType t, int... shape) { return uniform(gen, t, 0, 1, shape); }

    /** Normal numbers with the given mean and standard deviation. */
    public static NDArray normal(Generator gen, DType t, double mean, double std, int... shape) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        return Backends.defaultBackend().normal(gen, t, mean, std, Shapes.checkShape("normal", shape));
    }

    /** Standard normal numbers. */
    public static NDArray randn(Generator gen, DType t, int... shape) { return normal(gen, t, 0, 1, shape); }

    /** Uniform numbers in [low, high) on {@code device} (torch's {@code device=}): the same numbers as on the CPU. */
    public static NDArray uniform(Generator gen, DType t, double low, double high, Backend device, int... shape) {
        if (device == null) throw new IllegalArgumentException("uniform: device must not be null");
        return device.uniform(gen, t, low, high, Shapes.checkShape("uniform", shape));
    }

    /** Normal numbers on {@code device} (torch's {@code device=}): the same numbers as on the CPU. */
    public static NDArray normal(Generator gen, DType t, double mean, double std, Backend device, int... shape) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        if (device == null) throw new IllegalArgumentException("normal: device must not be null");
        return device.normal(gen, t, mean, std, Shapes.checkShape("normal", shape));
    }

    /** Uniform integers in [low, high) as I64. */
    public static NDArray randint(Generator gen, long low, long high, int... shape) {
        return Backends.defaultBackend().randint(gen, low, high, Shapes.checkShape("randint", shape));
    }

    /** A BOOL array, each element true with probability p. */
    public static NDArray bernoulli(Generator gen, double p, int... shape) {
        return Backends.defaultBackend().bernoulli(gen, p, Shapes.checkShape("bernoulli", shape));
    }

    /** A BOOL array of this array's shape, each element true with the probability this array holds there. */
    public NDArray bernoulli(Generator gen) {
        requireFloating("bernoulli");
        NDArray u = backend().uniform(gen, dtype, 0, 1, shape);
        return u.lt(this);
    }

    /** A uniformly random permutation of 0..n-1 as I64. */
    public static NDArray permutation(Generator gen, int n) {
        if (n < 0) throw new IllegalArgumentException("permutation: n must be >= 0, got " + n);
        return Backends.defaultBackend().permutation(gen, n);
    }

    /**
     * Draws category indices from the last axis of this array of non-negative weights (k categories):
     * shape (..., k) gives (..., samples). Without replacement the draws in one row are distinct.
     */
    public NDArray multinomial(Generator gen, int samples, boolean replacement) {
        requireFloating("multinomial");
        if (rank() < 1 || rank() > 2) throw new IllegalArgumentException("multinomial: expected weights of rank 1 or 2, got shape " + Shapes.str(shape));
        int k = shape[rank() - 1];
        if (!replacement && samples > k) throw new IllegalArgumentException("multinomial: cannot draw " + samples + " distinct categories out of " + k);
        if (samples < 0) throw new IllegalArgumentException("multinomial: samples must be >= 0, got " + samples);
        int rows = size / Math.max(k, 1);
        Shapes.size("multinomial", rank() == 1 ? new int[]{samples} : new int[]{rows, samples});
        return backend().multinomial(gen, this, samples, replacement);
    }

    // ------------------------------------------------------------------ metadata and element access

    public DType dtype() { return dtype; }
    /** The shape as a printable, comparable value ({@code [3, 4]}), as torch's {@code tensor.shape}. */
    public Shape shape() { return Shape.of(shape); }

    /** A copy of the dims as an {@code int[]}, for arithmetic and the methods that take {@code int...}. */
    public int[] dims() { return shape.clone(); }
    public int shape(int dim) { return shape[Shapes.axis("shape", dim, shape.length)]; }
    public int[] strides() { return strides.clone(); }
    public int offset() { return offset; }
    public int rank() { return shape.length; }
    public int size() { return size; }

    /** True when the elements are laid out row-major without gaps from the offset. */
    public boolean isContiguous() {
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != acc) return false;
            acc *= shape[i];
        }
        return true;
    }

    /** True when this array and {@code other} share storage (one may be a view of the other). */
    public boolean sharesStorage(NDArray other) { return storage == other.storage; }

    /**
     * How many writes this array's storage has had. Every view of the storage (and every Tensor over it) sees the
     * same count, so a value saved for later (autograd's backward) can tell that it was changed through any alias.
     */
    public int version() { return storage.version(); }

    /** Records a write into this storage made outside the engine's methods (every engine write counts itself). */
    public void bumpVersion() { storage.bumpVersion(); }

    /**
     * Refuses a write into this array when two of its elements are one storage location (an expanded view): the
     * write would silently keep only one of the values. PyTorch refuses these writes too.
     */
    void checkWritable(String op) {
        if (!isContiguous() && internalOverlap(shape, strides)) throw new IllegalArgumentException(op + ": the destination of shape "
                + Shapes.str(shape) + " with strides " + Arrays.toString(strides) + " has elements that share memory (an expanded "
                + "view); write into a copy (contiguous()) instead");
    }

    /**
     * True when two distinct indices of the shape reach one storage position. Decided exactly: a zero stride over a
     * dim of size > 1 overlaps; strides that each pass the reach of the smaller ones do not (every view this class
     * makes of fresh storage); anything else is enumerated.
     */
    static boolean internalOverlap(int[] shape, int[] strides) {
        for (int d : shape) if (d == 0) return false;          // no elements, nothing to collide
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1) {
                if (strides[i] == 0) return true;
                n++;
            }
        }
        if (n < 2) return false;
        long[] dims = new long[n];                     // |stride| << 32 | size, sorted by stride
        for (int i = 0, k = 0; i < shape.length; i++) if (shape[i] > 1) dims[k++] = ((long) Math.abs(strides[i]) << 32) | shape[i];
        Arrays.sort(dims);
        long reach = 0;
        boolean separated = true;
        for (long d : dims) {
            long stride = d >>> 32, len = d & 0xffffffffL;
            if (stride <= reach) separated = false;
            reach += stride * (len - 1);
        }
        if (separated) return false;
        if (reach >= Integer.MAX_VALUE) throw new IllegalArgumentException("internalOverlap: strides " + Arrays.toString(strides)
                + " of shape " + Shapes.str(shape) + " span more than 2^31 - 1 elements");
        java.util.BitSet seen = new java.util.BitSet((int) reach + 1);
        int total = Shapes.size(shape);
        int[] idx = new int[shape.length];
        long base = 0;
        for (int i = 0; i < shape.length; i++) if (strides[i] < 0) base -= (long) strides[i] * (shape[i] - 1);
        for (int f = 0; f < total; f++) {
            long p = base;
            for (int i = 0; i < shape.length; i++) p += (long) idx[i] * strides[i];
            if (seen.get((int) p)) return true;
            seen.set((int) p);
            for (int i = shape.length - 1; i >= 0 && ++idx[i] == shape[i]; i--) idx[i] = 0;
        }
        return false;
    }

    private int index(String op, int[] idx) {
        if (idx.length != shape.length) throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape "
                + Shapes.str(shape) + ", got " + idx.length);
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            int k = idx[i] < 0 ? idx[i] + shape[i] : idx[i];
            if (k < 0 || k >= shape[i]) throw new IndexOutOfBoundsException(op + ": index " + idx[i] + " out of range for dim " + i
                    + " of size " + shape[i]);
            p += k * strides[i];
        }
        return p;
    }

    /** Flat logical index (row-major over the shape) to a storage position. */
    int position(int flat) {
        int p = offset;
        for (int i = shape.length - 1; i >= 0; i--) {
            int d = shape[i];
            p += (flat % d) * strides[i];
            flat /= d;
        }
        return p;
    }

    double readAt(int p) {
        return switch (dtype) {
            case F32 -> ((float[]) heapArray())[p];
            case F64 -> ((double[]) heapArray())[p];
            case I64 -> ((long[]) heapArray())[p];
            case BOOL -> ((boolean[]) heapArray())[p] ? 1 : 0;
        };
    }

    void writeAt(int p, double v) {
        switch (dtype) {
            case F32 -> ((float[]) heapArray())[p] = (float) v;
            case F64 -> ((double[]) heapArray())[p] = v;
            case I64 -> ((long[]) heapArray())[p] = (long) v;
            case BOOL -> ((boolean[]) heapArray())[p] = v != 0;
        }
    }

    void setFlat(int flat, double v) { writeAt(position(flat), v); }

    /** The element at the given indices as a double (negative indices count from the end). */
    public double get(int... idx) {
        NDArray c = toCpu();
        return c.readAt(c.index("get", idx));
    }

    /** The I64 element at the given indices (exact for all longs). */
    public long getLong(int... idx) {
        NDArray c = toCpu();
        int p = c.index("getLong", idx);
        return dtype == DType.I64 ? ((long[]) c.heapArray())[p] : (long) c.readAt(p);
    }

    /** Writes one element in place (visible through every view of this storage). */
    public void set(double value, int... idx) {
        checkWritable("set");
        int p = index("set", idx);
        if (storage instanceof HeapStorage) {
            writeAt(p, value);
            storage.bumpVersion();
        } else {
            backend().fill(new NDArray(dtype, new int[0], new int[0], p, storage), value);
        }
    }

    /** The single value of a one-element array. */
    public double item() {
        if (size != 1) throw new IllegalStateException("item: expected exactly one element, got shape " + Shapes.str(shape));
        NDArray c = toCpu();
        return c.readAt(c.offset);
    }

    /** A row-major copy of the elements as float[]. */
    public float[] toFloatArray() {
        NDArray c = toCpu().to(DType.F32).contiguous();
        return Arrays.copyOfRange((float[]) c.heapArray(), c.offset, c.offset + size);
    }

    /** A row-major copy of the elements as double[]. */
    public double[] toDoubleArray() {
        NDArray c = toCpu().to(DType.F64).contiguous();
        return Arrays.copyOfRange((double[]) c.heapArray(), c.offset, c.offset + size);
    }

    /** A row-major copy of the elements as long[]. */
    public long[] toLongArray() {
        NDArray c = toCpu().to(DType.I64).contiguous();
        return Arrays.copyOfRange((long[]) c.heapArray(), c.offset, c.offset + size);
    }

    /** A row-major copy of the elements as boolean[]. */
    public boolean[] toBooleanArray() {
        NDArray c = toCpu().to(DType.BOOL).contiguous();
        return Arrays.copyOfRange((boolean[]) c.heapArray(), c.offset, c.offset + size);
    }

    // ------------------------------------------------------------------ views

    /** This array when contiguous, else a contiguous copy. */
    public NDArray contiguous() { return isContiguous() ? this : backend().copy(this); }

    /** A contiguous copy that shares nothing with this array. */
    public NDArray copy() { return backend().copy(this); }

    /**
     * The same elements in a new shape; one dimension may be -1 (inferred). A view when the strides allow
     * (always for contiguous arrays), else a copy, as PyTorch's reshape.
     */
    /** {@link #reshape(int...)} to a {@link Shape} (e.g. another array's {@code shape()}). */
    public NDArray reshape(Shape newShape) { return reshape(checkShapeArg("reshape", newShape).toArray()); }

    public NDArray reshape(int... newShape) {
        int[] s = inferShape("reshape", newShape);
        int[] st = viewStrides(s);
        if (st != null) return new NDArray(dtype, s, st, offset, storage);
        NDArray c = copy();
        return new NDArray(dtype, s, Shapes.contiguousStrides(s), 0, c.storage);
    }

    /** Like reshape, but never copies: throws when the strides do not allow a view. */
    public NDArray view(int... newShape) {
        int[] s = inferShape("view", newShape);
        int[] st = viewStrides(s);
        if (st == null) throw new IllegalArgumentException("view: shape " + Shapes.str(shape) + " with strides " + Arrays.toString(strides)
                + " cannot be viewed as " + Shapes.str(s) + "; call contiguous() or reshape()");
        return new NDArray(dtype, s, st, offset, storage);
    }

    private int[] inferShape(String op, int[] newShape) { return Shapes.infer(op, newShape, size, shape); }

    /** Strides that view this array's elements in shape s, or null when none exist (the chunk rule of PyTorch's view). */
    private int[] viewStrides(int[] s) {
        if (isContiguous() || size == 0) return Shapes.contiguousStrides(s);
        int[] out = new int[s.length];
        int viewD = s.length - 1;
        long chunkBase = strides[shape.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            // a chunk ends where the next-outer dim is not laid out right after this one
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || s[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= s[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? out : null;
    }

    /** Reorders the axes: result dim i is this array's dim {@code order[i]}. A view. */
    public NDArray permute(int... order) {
        if (order.length != shape.length) throw new IllegalArgumentException("permute: expected " + shape.length + " dims for shape "
                + Shapes.str(shape) + ", got " + Arrays.toString(order));
        int[] s = new int[order.length], st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shapes.axis("permute", order[i], shape.length);
            if (seen[a]) throw new IllegalArgumentException("permute: dim " + order[i] + " repeated in " + Arrays.toString(order));
            seen[a] = true;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return new NDArray(dtype, s, st, offset, storage);
    }

    /** Swaps two axes. A view. */
    public NDArray transpose(int d0, int d1) {
        int a = Shapes.axis("transpose", d0, shape.length), b = Shapes.axis("transpose", d1, shape.length);
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Transpose of the last two axes (a matrix transpose, batched). A view. */
    public NDArray mT() {
        if (shape.length < 2) throw new IllegalArgumentException("mT: expected rank >= 2, got shape " + Shapes.str(shape));
        return transpose(-2, -1);
    }

    /** Broadcasts to a larger shape (size-1 dims repeat with stride 0; new leading dims may be added; -1 keeps a dim). A view. */
    /** {@link #expand(int...)} to a {@link Shape} (e.g. another array's {@code shape()}). */
    public NDArray expand(Shape newShape) { return expand(checkShapeArg("expand", newShape).toArray()); }

    public NDArray expand(int... newShape) {
        if (newShape.length < shape.length) throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(shape)
                + " to fewer dims " + Shapes.str(newShape));
        int lead = newShape.length - shape.length;
        int[] s = new int[newShape.length], st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int want = newShape[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("expand: -1 not allowed for new leading dim " + i + " in " + Shapes.str(newShape));
                s[i] = want;
                st[i] = 0;
            } else {
                int have = shape[i - lead];
                if (want == -1 || want == have) {
                    s[i] = have;
                    st[i] = strides[i - lead];
                } else if (have == 1 && want >= 0) {
                    s[i] = want;
                    st[i] = 0;
                } else {
                    throw new IllegalArgumentException("expand: shape " + Shapes.str(shape) + " cannot expand to " + Shapes.str(newShape)
                            + " (dim " + i + ": " + have + " vs " + want + ")");
                }
            }
        }
        Shapes.size("expand", s);
        return new NDArray(dtype, s, st, offset, storage);
    }

    /** The elements start..start+length-1 along one dim. A view. */
    public NDArray narrow(int dim, int start, int length) {
        int d = Shapes.axis("narrow", dim, shape.length);
        int st = start < 0 ? start + shape[d] : start;
        if (st < 0 || length < 0 || (long) st + length > shape[d]) throw new IndexOutOfBoundsException("narrow: start " + start + " and length "
                + length + " out of range for dim " + dim + " of size " + shape[d]);
        int[] s = shape.clone();
        s[d] = length;
        return new NDArray(dtype, s, strides.clone(), offset + st * strides[d], storage);
    }

    /** Python's x[start:end:step] along one dim (end clamped, negative start/end count from the end). A view. */
    public NDArray slice(int dim, int start, int end, int step) {
        int d = Shapes.axis("slice", dim, shape.length);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be > 0, got " + step);
        int n = shape[d];
        int b = Math.clamp(start < 0 ? start + n : start, 0, n);
        int e = Math.clamp(end < 0 ? end + n : end, 0, n);
        int len = e > b ? (e - b + step - 1) / step : 0;
        int[] s = shape.clone(), st = strides.clone();
        s[d] = len;
        st[d] = strides[d] * step;
        return new NDArray(dtype, s, st, offset + (len > 0 ? b * strides[d] : 0), storage);
    }

    /** Index one dim away (x[..., i, ...]). A view. */
    public NDArray select(int dim, int index) {
        int d = Shapes.axis("select", dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) throw new IndexOutOfBoundsException("select: index " + index + " out of range for dim " + dim
                + " of size " + shape[d] + " (expected " + -shape[d] + " to " + (shape[d] - 1) + ")");
        int[] s = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k == d) continue;
            s[j] = shape[k];
            st[j++] = strides[k];
        }
        return new NDArray(dtype, s, st, offset + i * strides[d], storage);
    }

    /** Removes every size-1 dim. A view. */
    public NDArray squeeze() {
        int n = 0;
        for (int d : shape) if (d != 1) n++;
        int[] s = new int[n], st = new int[n];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (shape[k] == 1) continue;
            s[j] = shape[k];
            st[j++] = strides[k];
        }
        return new NDArray(dtype, s, st, offset, storage);
    }

    /** Removes one dim if its size is 1 (else returns this, as PyTorch). A view. */
    public NDArray squeeze(int dim) {
        int d = Shapes.axis("squeeze", dim, shape.length);
        if (shape[d] != 1) return this;
        return select(d, 0);
    }

    /** Inserts a size-1 dim at position dim (in the result's axes). A view. */
    public NDArray unsqueeze(int dim) {
        int d = Shapes.axis("unsqueeze", dim, shape.length + 1);
        int[] s = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int k = 0, j = 0; k < s.length; k++) {
            if (k == d) {
                s[k] = 1;
                st[k] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                s[k] = shape[j];
                st[k] = strides[j++];
            }
        }
        return new NDArray(dtype, s, st, offset, storage);
    }

    /** Flattens to 1-D (a view when contiguous). */
    public NDArray flatten() { return reshape(size); }

    /** The diagonal of the (d1, d2) planes with the given offset, as the last dim. A view. */
    public NDArray diagonal(int diagOffset, int dim1, int dim2) {
        int a = Shapes.axis("diagonal", dim1, shape.length), b = Shapes.axis("diagonal", dim2, shape.length);
        if (a == b) throw new IllegalArgumentException("diagonal: dim1 and dim2 must differ, got " + dim1 + " and " + dim2);
        int len = diagOffset >= 0 ? Math.max(0, Math.min(shape[a], shape[b] - diagOffset)) : Math.max(0, Math.min(shape[a] + diagOffset, shape[b]));
        int off = offset + (len == 0 ? 0 : (diagOffset >= 0 ? diagOffset * strides[b] : -diagOffset * strides[a]));
        int[] s = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k == a || k == b) continue;
            s[j] = shape[k];
            st[j++] = strides[k];
        }
        s[s.length - 1] = len;
        st[st.length - 1] = strides[a] + strides[b];
        return new NDArray(dtype, s, st, off, storage);
    }

    /** The main diagonal of the last two dims. A view. */
    public NDArray diagonal() { return diagonal(0, -2, -1); }

    /**
     * PyTorch's diag: a 1-D array becomes a square matrix with it on the diagonal (offset k), a 2-D array gives
     * its k-th diagonal (a copy).
     */
    public NDArray diag(int k) {
        if (shape.length == 1) {
            long n = (long) shape[0] + Math.abs((long) k);
            Shapes.size("diag", new long[]{n, n});
            NDArray out = backend().full(dtype, 0, new int[]{(int) n, (int) n});
            out.diagonal(k, 0, 1).copyFromInPlace(this);
            return out;
        }
        if (shape.length == 2) return diagonal(k, 0, 1).copy();
        throw new IllegalArgumentException("diag: expected a 1-D or 2-D array, got shape " + Shapes.str(shape));
    }

    /** Batched diag_embed: the last dim becomes the diagonal of new square matrices. */
    public NDArray diagEmbed() {
        if (shape.length < 1) throw new IllegalArgumentException("diagEmbed: expected rank >= 1, got a scalar");
        int n = shape[shape.length - 1];
        int[] s = Arrays.copyOf(shape, shape.length + 1);
        s[s.length - 1] = n;
        NDArray out = backend().full(dtype, 0, Shapes.checkShape("diagEmbed", s));
        out.diagonal().copyFromInPlace(this);
        return out;
    }

    // ------------------------------------------------------------------ dtype

    /** This array converted to another dtype (this array itself when the type already matches). */
    public NDArray to(DType t) { return t == dtype ? this : backend().cast(this, t); }

    /** This array on another backend's device (this array itself when it is already there), as torch's {@code to(device)}. */
    public NDArray to(Backend target) {
        if (target == null) throw new IllegalArgumentException("to: backend must not be null");
        Backend b = backend();
        if (target == b) return this;
        return target.fromCpu(b.toCpu(this));
    }

    /** This array on the CPU (itself when it is there already). */
    public NDArray toCpu() { return backend().toCpu(this); }

    // ------------------------------------------------------------------ elementwise

    public NDArray add(NDArray o) { return bin(BinaryOp.ADD, o); }
    public NDArray sub(NDArray o) { return bin(BinaryOp.SUB, o); }
    public NDArray mul(NDArray o) { return bin(BinaryOp.MUL, o); }
    public NDArray div(NDArray o) { return bin(BinaryOp.DIV, o); }
    public NDArray pow(NDArray o) { return bin(BinaryOp.POW, o); }
    public NDArray maximum(NDArray o) { return bin(BinaryOp.MAX, o); }
    public NDArray minimum(NDArray o) { return bin(BinaryOp.MIN, o); }
    public NDArray eq(NDArray o) { return bin(BinaryOp.EQ, o); }
    public NDArray ne(NDArray o) { return bin(BinaryOp.NE, o); }
    public NDArray lt(NDArray o) { return bin(BinaryOp.LT, o); }
    public NDArray le(NDArray o) { return bin(BinaryOp.LE, o); }
    public NDArray gt(NDArray o) { return bin(BinaryOp.GT, o); }
    public NDArray ge(NDArray o) { return bin(BinaryOp.GE, o); }
    public NDArray and(NDArray o) { return bin(BinaryOp.AND, o); }
    public NDArray or(NDArray o) { return bin(BinaryOp.OR, o); }
    /** atan2(this, o): the angle of the point (o, this), as torch.atan2. */
    public NDArray atan2(NDArray o) { return bin(BinaryOp.ATAN2, o); }
    /** C's fmod: the remainder of this / o with this array's sign, as torch.fmod. */
    public NDArray fmod(NDArray o) { return bin(BinaryOp.FMOD, o); }

    /** A 0-d array of this array's dtype holding v, on this array's device, for scalar arithmetic. */
    public NDArray scalarLike(double v) { return onThisDevice(cpuFull(dtype, v, new int[0])); }

    /** A CPU array moved to this array's device (itself on the CPU), for the constants an operation makes. */
    private NDArray onThisDevice(NDArray cpuArray) {
        Backend b = storage.backend();
        return b instanceof CpuBackend ? cpuArray : b.fromCpu(cpuArray);
    }

    public NDArray add(double v) { return add(scalarLike(v)); }
    public NDArray sub(double v) { return sub(scalarLike(v)); }
    public NDArray mul(double v) { return mul(scalarLike(v)); }
    public NDArray div(double v) { return div(scalarLike(v)); }
    public NDArray pow(double v) { return pow(scalarLike(v)); }
    public NDArray eq(double v) { return eq(scalarLike(v)); }
    public NDArray lt(double v) { return lt(scalarLike(v)); }
    public NDArray le(double v) { return le(scalarLike(v)); }
    public NDArray gt(double v) { return gt(scalarLike(v)); }
    public NDArray ge(double v) { return ge(scalarLike(v)); }

    public NDArray apply(UnaryOp op) { return backend().unary(op, this); }
    public NDArray neg() { return apply(UnaryOp.NEG); }
    public NDArray abs() { return apply(UnaryOp.ABS); }
    public NDArray sign() { return apply(UnaryOp.SIGN); }
    public NDArray exp() { return apply(UnaryOp.EXP); }
    public NDArray expm1() { return apply(UnaryOp.EXPM1); }
    public NDArray log() { return apply(UnaryOp.LOG); }
    public NDArray log1p() { return apply(UnaryOp.LOG1P); }
    public NDArray sqrt() { return apply(UnaryOp.SQRT); }
    public NDArray sin() { return apply(UnaryOp.SIN); }
    public NDArray cos() { return apply(UnaryOp.COS); }
    public NDArray tanh() { return apply(UnaryOp.TANH); }
    public NDArray sigmoid() { return apply(UnaryOp.SIGMOID); }
    public NDArray relu() { return apply(UnaryOp.RELU); }
    public NDArray lgamma() { return apply(UnaryOp.LGAMMA); }
    public NDArray digamma() { return apply(UnaryOp.DIGAMMA); }
    public NDArray reciprocal() { return apply(UnaryOp.RECIPROCAL); }
    public NDArray square() { return apply(UnaryOp.SQUARE); }
    public NDArray floor() { return apply(UnaryOp.FLOOR); }
    public NDArray ceil() { return apply(UnaryOp.CEIL); }
    public NDArray round() { return apply(UnaryOp.ROUND); }
    public NDArray not() { return apply(UnaryOp.NOT); }
    /** Rounds toward zero, as torch.trunc. */
    public NDArray trunc() { return apply(UnaryOp.TRUNC); }
    public NDArray atan() { return apply(UnaryOp.ATAN); }
    public NDArray asin() { return apply(UnaryOp.ASIN); }
    public NDArray acos() { return apply(UnaryOp.ACOS); }
    /** 1 - erf(x), accurate where erf(x) is near 1. */
    public NDArray erfc() { return apply(UnaryOp.ERFC); }
    /** e^(x²) erfc(x), finite where its two factors over- and underflow (torch.special.erfcx). */
    public NDArray erfcx() { return apply(UnaryOp.ERFCX); }

    /** The n-th derivative of digamma (n = 0 is digamma itself). */
    public NDArray polygamma(int n) { return backend().polygamma(n, this); }

    /** The error function, elementwise. */
    public NDArray erf() { return special(SpecialFn.ERF); }

    /** The inverse error function on (-1, 1), elementwise (±1 give ±inf). */
    public NDArray erfinv() { return special(SpecialFn.ERFINV); }

    /** The standard normal quantile Φ⁻¹(q), q = this, elementwise; keeps its digits down to q = 1e-300 (2q - 1 would not). */
    public NDArray ndtri() { return special(SpecialFn.NDTRI); }

    /** The y with P(a, y) = p, a = this, broadcasting (the Gamma(a, 1) quantile). */
    public NDArray gammaPInv(NDArray p) { return special(SpecialFn.GAMMA_P_INV, p); }

    /** Student's t cdf at t with ν = this degrees of freedom, broadcasting; accurate for ν up to 1e12 and beyond. */
    public NDArray studentTCdf(NDArray t) { return special(SpecialFn.STUDENT_T_CDF, t); }

    /** Student's t quantile at q with ν = this degrees of freedom, broadcasting. */
    public NDArray studentTIcdf(NDArray q) { return special(SpecialFn.STUDENT_T_ICDF, q); }

    /** Regularised lower incomplete gamma P(a, x) with a = this, broadcasting (the Gamma(a, 1) cdf at x). */
    public NDArray gammaP(NDArray x) { return special(SpecialFn.GAMMA_P, x); }

    /** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x) with a = this, accurate where it is small. */
    public NDArray gammaQ(NDArray x) { return special(SpecialFn.GAMMA_Q, x); }

    /** Regularised incomplete beta I_x(a, b) with x = this, broadcasting all three (the Beta(a, b) cdf at x). */
    public NDArray betaI(NDArray a, NDArray b) { return special(SpecialFn.BETA_I, a, b); }

    /** The x with I_x(a, b) = p, p = this, broadcasting all three (the Beta(a, b) quantile). */
    public NDArray betaIInv(NDArray a, NDArray b) { return special(SpecialFn.BETA_I_INV, a, b); }

    /** ∂x/∂a of Gamma(a, 1) samples x, with a = this (implicit reparameterisation). */
    public NDArray standardGammaGrad(NDArray sample) { return special(SpecialFn.STANDARD_GAMMA_GRAD, sample); }

    /**
     * Checks the operands of a special function once (floating, one dtype, one device, broadcastable) and hands the
     * backend operands of one shape: this array first, then {@code others}.
     */
    private NDArray special(SpecialFn fn, NDArray... others) {
        String op = fn.opName();
        requireFloating(op);
        Backend b = backend();
        int[] s = shape;
        for (NDArray o : others) {
            if (o == null) throw new IllegalArgumentException(op + ": arguments must not be null");
            if (o.dtype != dtype) throw new IllegalArgumentException(op + ": dtype mismatch " + dtype + " and " + o.dtype);
            backendWith(op, o);
            s = Shapes.broadcast(op, s, o.shape);
        }
        NDArray[] args = new NDArray[others.length + 1];
        args[0] = expand(s);
        for (int i = 0; i < others.length; i++) args[i + 1] = others[i].expand(s);
        return b.special(fn, args);
    }

    /** Gamma(a, 1) samples with a = this array's elements (Marsaglia-Tsang; reproducible per element). */
    public NDArray standardGamma(Generator gen) {
        requireFloating("standardGamma");
        return backend().standardGamma(gen, this);
    }

    /** Poisson samples with rates = this array's elements, as this dtype. */
    public NDArray poisson(Generator gen) {
        requireFloating("poisson");
        return backend().poisson(gen, this);
    }

    /** Elements limited to [lo, hi] (NaN stays NaN). */
    public NDArray clamp(double lo, double hi) { return backend().clamp(this, lo, hi); }

    /** cond ? a : b elementwise, with broadcasting over all three. */
    public static NDArray where(NDArray cond, NDArray a, NDArray b) {
        if (cond == null || a == null || b == null) throw new IllegalArgumentException("where: arrays must not be null");
        List<NDArray> xs = joinScalars(List.of(cond, a, b));
        return common("where", xs).where(xs.get(0), xs.get(1), xs.get(2));
    }

    /** This array with {@code value} wherever mask is true (mask broadcasts to this shape). */
    public NDArray maskedFill(NDArray mask, double value) {
        if (mask.dtype != DType.BOOL) throw new IllegalArgumentException("maskedFill: mask must be BOOL, got " + mask.dtype);
        Shapes.broadcast("maskedFill", shape, mask.shape);
        NDArray m = mask.expand(shape);
        return where(m, scalarLike(value), this);
    }

    /** Lower triangle of the last two dims (elements with {@code col - row <= k}), zeros elsewhere. */
    public NDArray tril(int k) { return triangle("tril", k, true); }

    /** Upper triangle of the last two dims (elements with col - row >= k), zeros elsewhere. */
    public NDArray triu(int k) { return triangle("triu", k, false); }

    private NDArray triangle(String op, int k, boolean lower) {
        if (shape.length < 2) throw new IllegalArgumentException(op + ": expected rank >= 2, got shape " + Shapes.str(shape));
        int r = shape[shape.length - 2], c = shape[shape.length - 1];
        boolean[] m = new boolean[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) m[i * c + j] = lower ? j - i <= k : j - i >= k;
        NDArray mask = onThisDevice(heap(DType.BOOL, new int[]{r, c}, new int[]{c, 1}, 0, m));
        return where(mask, this, scalarLike(0));
    }

    // ------------------------------------------------------------------ reductions

    /** Sum over the given dims (all when none). */
    public NDArray sum(int[] dims, boolean keepDim) { return backend().reduce(ReduceOp.SUM, this, dims, keepDim); }
    public NDArray sum(int... dims) { return sum(dims, false); }
    public NDArray prod(int[] dims, boolean keepDim) { return backend().reduce(ReduceOp.PROD, this, dims, keepDim); }
    public NDArray max(int[] dims, boolean keepDim) { return backend().reduce(ReduceOp.MAX, this, dims, keepDim); }
    public NDArray max(int... dims) { return max(dims, false); }
    public NDArray min(int[] dims, boolean keepDim) { return backend().reduce(ReduceOp.MIN, this, dims, keepDim); }
    public NDArray min(int... dims) { return min(dims, false); }

    /** Mean over the given dims (all when none). */
    public NDArray mean(int[] dims, boolean keepDim) {
        requireFloating("mean");
        int[] ax = Shapes.axes("mean", dims, shape.length);
        long n = 1;
        for (int a : ax) n *= shape[a];
        return sum(ax, keepDim).div(n);
    }
    public NDArray mean(int... dims) { return mean(dims, false); }

    /** Variance over the given dims with the given correction (1 = unbiased, as torch.var's default). */
    public NDArray variance(int[] dims, int correction, boolean keepDim) {
        requireFloating("variance");
        int[] ax = Shapes.axes("variance", dims, shape.length);
        long n = 1;
        for (int a : ax) n *= shape[a];
        NDArray d = sub(mean(ax, true));
        return d.mul(d).sum(ax, keepDim).div(Math.max(0, n - correction));
    }

    /** Index of the largest element along dim (first on ties; a NaN wins), as I64. */
    public NDArray argmax(int dim, boolean keepDim) { return backend().argReduce(true, this, dim, keepDim); }
    public NDArray argmin(int dim, boolean keepDim) { return backend().argReduce(false, this, dim, keepDim); }

    /** log Σ exp(x) over dims, computed stably (max subtracted first). */
    public NDArray logSumExp(int[] dims, boolean keepDim) { return backend().logSumExp(this, dims, keepDim); }

    /** Running sum along dim. */
    public NDArray cumsum(int dim) { return backend().cumsum(this, dim); }

    // ------------------------------------------------------------------ indexing and joining

    /** Concatenates along dim; all other dims must match. */
    public static NDArray cat(List<NDArray> arrays, int dim) { return common("cat", arrays).cat(arrays, dim); }

    /** Stacks equal-shaped arrays along a new dim. */
    public static NDArray stack(List<NDArray> arrays, int dim) {
        if (arrays.isEmpty()) throw new IllegalArgumentException("stack: expected at least one array");
        int[] s0 = arrays.getFirst().shape;
        int d = Shapes.axis("stack", dim, s0.length + 1);
        for (int i = 0; i < arrays.size(); i++) {
            if (!Arrays.equals(arrays.get(i).shape, s0)) throw new IllegalArgumentException("stack: array " + i + " has shape "
                    + Shapes.str(arrays.get(i).shape) + ", expected " + Shapes.str(s0));
        }
        return cat(arrays.stream().map(a -> a.unsqueeze(d)).toList(), d);
    }

    /** Rows (or slices along dim) picked by a 1-D I64 index array. */
    public NDArray indexSelect(int dim, NDArray index) { return backendWith("indexSelect", index).indexSelect(this, dim, index); }

    /**
     * {@link #indexSelect(int, NDArray)} written into {@code out} (of the result's shape and this dtype) in place, so a
     * training loop can draw batches without allocating. Returns out.
     */
    public NDArray indexSelect(int dim, NDArray index, NDArray out) {
        int d = Shapes.axis("indexSelect", dim, shape.length);
        if (index == null || out == null) throw new IllegalArgumentException("indexSelect: index and out must not be null");
        if (index.dtype != DType.I64 || index.rank() != 1) throw new IllegalArgumentException("indexSelect: index must be a 1-D I64 array, got "
                + index.dtype + " " + Shapes.str(index.shape));
        int[] s = shape.clone();
        s[d] = index.size;
        if (out.dtype != dtype || !Arrays.equals(out.shape, s)) throw new IllegalArgumentException("indexSelect: out is " + out.dtype + " "
                + Shapes.str(out.shape) + ", expected " + dtype + " " + Shapes.str(s));
        backendWith("indexSelect", index);
        out.checkWritable("indexSelect");
        backendWith("indexSelect", out).indexSelectInto(this, d, index, out);
        return out;
    }

    /** out[i][j] = x[index[i][j]][j] for dim 0 (PyTorch's gather); index has this rank. */
    public NDArray gather(int dim, NDArray index) { return backendWith("gather", index).gather(this, dim, index); }

    /** A copy of this array with src added at the positions index names along dim (PyTorch's scatter_add). */
    public NDArray scatterAdd(int dim, NDArray index, NDArray src) {
        backendWith("scatterAdd", index);
        return backendWith("scatterAdd", src).scatterAdd(this, dim, index, src);
    }

    // ------------------------------------------------------------------ matmul and linear algebra

    /** torch.matmul: dot, matrix-vector, matrix-matrix, and batched products broadcasting the leading dims. */
    public NDArray matmul(NDArray o) {
        Backend b = backendWith("matmul", o);
        if (o.dtype != dtype) throw new IllegalArgumentException("matmul: dtype mismatch " + dtype + " and " + o.dtype);
        requireFloating("matmul");
        Shapes.Matmul plan = Shapes.matmul(shape, o.shape);
        NDArray x = shape.length == 1 ? unsqueeze(0) : this, y = o.shape.length == 1 ? o.unsqueeze(1) : o;
        NDArray r = b.matmul(x, y);
        return r.shape.length == plan.outShape().length ? r : r.reshape(plan.outShape());
    }

    /** Lower Cholesky factor of symmetric positive-definite matrices (batched over leading dims). */
    public NDArray cholesky() { return backend().cholesky(this); }

    /**
     * Solves A X = B (left) or X A = B (not left) for triangular A = this; {@code upper} picks the triangle,
     * {@code unitDiagonal} treats the diagonal as ones. Batched, broadcasting the leading dims.
     */
    public NDArray triangularSolve(NDArray b, boolean upper, boolean left, boolean unitDiagonal) {
        return backendWith("triangularSolve", b).triangularSolve(this, b, upper, left, unitDiagonal);
    }

    /**
     * Solves A X = B for general square A = this (LU with partial pivoting). Batched; B is a batch of vectors when it is
     * 1-D or has A's shape without the last dim, as torch.linalg.solve.
     */
    public NDArray solve(NDArray b) { return backendWith("solve", b).solve(this, b); }

    /** Inverse of square matrices (LU with partial pivoting). Batched. */
    public NDArray inverse() { return backend().inverse(this); }

    /** The adjugate adj(A) (A adj(A) = det(A) I) of square matrices, singular ones too (LU with complete pivoting). Batched. */
    public NDArray adjugate() { return backend().adjugate(this); }

    /** {sign, log|det|} of square matrices, through LU; batched. */
    public NDArray[] slogdet() { return backend().slogdet(this); }

    /** Determinant through LU. */
    public NDArray det() {
        NDArray[] sl = slogdet();
        return sl[0].mul(sl[1].exp());
    }

    /** log det of matrices with positive determinant (NaN where it is negative), through LU. */
    public NDArray logdet() {
        NDArray[] sl = slogdet();
        return where(sl[0].lt(0), scalarLike(Double.NaN), sl[1]);
    }

    // ------------------------------------------------------------------ in place

    /** Sets every element to v, in place. Returns this. */
    public NDArray fillInPlace(double v) {
        checkWritable("fillInPlace");
        backend().fill(this, v);
        return this;
    }

    /**
     * Copies src (broadcast to this shape, converted to this dtype, moved to this array's device) into this array's
     * elements, in place. A source sharing this storage (a transpose of this array) is read in full before anything is
     * written. Returns this.
     */
    public NDArray copyFromInPlace(NDArray src) {
        checkWritable("copyFromInPlace");
        if (src == null) throw new IllegalArgumentException("copyFrom: source must not be null");
        Shapes.broadcast("copyFrom", shape, src.shape);
        NDArray s = src.to(backend()).to(dtype).expand(shape);
        backend().copyInto(s, this);
        return this;
    }

    /** this += alpha * x, in place (x broadcast to this shape). Returns this. */
    public NDArray addInPlace(NDArray x, double alpha) {
        checkWritable("addInPlace");
        return copyFromInPlace(alpha == 1 ? add(x) : add(x.mul(alpha)));
    }

    /** this *= v, in place. Returns this. */
    public NDArray mulInPlace(double v) {
        checkWritable("mulInPlace");
        return copyFromInPlace(mul(v));
    }

    // ------------------------------------------------------------------ misc

    void requireFloating(String op) {
        if (!dtype.isFloating()) throw new IllegalArgumentException(op + ": expected F32 or F64, got " + dtype);
    }

    /** True when shapes and dtypes match and every element differs by at most atol + rtol |other|. */
    public boolean allClose(NDArray other, double rtol, double atol) {
        if (!Arrays.equals(shape, other.shape)) return false;
        NDArray x = toCpu(), y = other.toCpu();
        for (int i = 0; i < size; i++) {
            double a = x.readAt(x.position(i)), b = y.readAt(y.position(i));
            if (Double.isNaN(a) || Double.isNaN(b)) {
                if (!(Double.isNaN(a) && Double.isNaN(b))) return false;
            } else if (a != b && !(Math.abs(a - b) <= atol + rtol * Math.abs(b))) return false;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NDArray n) || n.dtype != dtype || !Arrays.equals(n.shape, shape)) return false;
        NDArray x = toCpu(), y = n.toCpu();
        for (int i = 0; i < size; i++) {
            if (Double.compare(x.readAt(x.position(i)), y.readAt(y.position(i))) != 0) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(dtype, Arrays.hashCode(shape));
        NDArray x = toCpu();
        for (int i = 0; i < Math.min(size, 16); i++) h = 31 * h + Double.hashCode(x.readAt(x.position(i)));
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("NDArray(").append(dtype).append(' ').append(Shapes.str(shape));
        Backend b = backend();
        if (b != cpu()) sb.append(' ').append(b.name());
        return sb.append(") ").append(valuesToString()).toString();
    }

    /**
     * The values alone, as {@link #toString()} prints them after the dtype and shape (a dim longer than 10 shows its
     * first 5 and last 3): what Parameter and Distribution print.
     */
    public String valuesToString() {
        StringBuilder sb = new StringBuilder();
        NDArray x = toCpu();
        x.format(sb, 0, x.offset, 0);
        return sb.toString();
    }

    private void format(StringBuilder sb, int dim, int pos, int printed) {
        if (dim == shape.length) {
            double v = readAt(pos);
            if (dtype == DType.I64) sb.append((long) v);
            else if (dtype == DType.BOOL) sb.append(v != 0);
            else sb.append(String.format("%.5g", v));
            return;
        }
        sb.append('[');
        int n = shape[dim];
        for (int i = 0; i < n; i++) {
            if (n > 10 && i == 5) {
                sb.append("..., ");
                i = n - 3;
            }
            format(sb, dim + 1, pos + i * strides[dim], printed);
            if (i < n - 1) sb.append(", ");
        }
        sb.append(']');
    }
}
