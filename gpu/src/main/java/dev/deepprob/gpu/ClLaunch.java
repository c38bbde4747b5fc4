package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.List;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

/**
 * One kernel launch, built argument by argument in the kernel's parameter order and enqueued by {@link #run}: the
 * arguments are set and the kernel enqueued under the context's lock, without waiting for it to finish.
 * <pre>{@code
 * ctx.launch("elementwise.cl", DType.F32, "unary").i32(opCode).buf(out).buf(x).i32(x.offset()).int8(strides)...run(n);
 * }</pre>
 */
final class ClLaunch {
    private final ClContext ctx;
    private final cl_kernel kernel;
    private final List<long[]> sizes = new ArrayList<>();
    private final List<Pointer> values = new ArrayList<>();

    ClLaunch(ClContext ctx, cl_kernel kernel) {
        this.ctx = ctx;
        this.kernel = kernel;
    }

    private ClLaunch add(long size, Pointer p) {
        sizes.add(new long[]{size});
        values.add(p);
        return this;
    }

    /** A {@code __global} buffer argument. */
    ClLaunch buf(cl_mem m) { return add(Sizeof.cl_mem, Pointer.to(m)); }

    /** The device buffer of an array on this device (its storage's buffer; offsets are passed separately). */
    ClLaunch buf(NDArray a) { return buf(ClStorage.of(a).mem); }

    /** An {@code int} argument. */
    ClLaunch i32(int v) { return add(Sizeof.cl_int, Pointer.to(new int[]{v})); }

    /** A {@code long} argument. */
    ClLaunch i64(long v) { return add(Sizeof.cl_long, Pointer.to(new long[]{v})); }

    /** A {@code float} argument. */
    ClLaunch f32(float v) { return add(Sizeof.cl_float, Pointer.to(new float[]{v})); }

    /** A {@code double} argument (the device must have fp64). */
    ClLaunch f64(double v) { return add(Sizeof.cl_double, Pointer.to(new double[]{v})); }

    /** A {@code T} argument for a kernel built for dtype t: float, double, long or uchar. */
    ClLaunch scalar(DType t, double v) {
        return switch (t) {
            case F32 -> f32((float) v);
            case F64 -> f64(v);
            case I64 -> i64((long) v);
            case BOOL -> add(Sizeof.cl_uchar, Pointer.to(new byte[]{(byte) (v != 0 ? 1 : 0)}));
        };
    }

    /** An {@code int8} argument: up to eight ints (shape or strides of a rank <= 8 index space), the rest zero. */
    ClLaunch int8(int[] v) {
        if (v.length > 8) throw new IllegalArgumentException("ClLaunch.int8: " + v.length + " values, at most 8 fit");
        int[] w = new int[8];
        System.arraycopy(v, 0, w, 0, v.length);
        return add(Sizeof.cl_int * 8L, Pointer.to(w));
    }

    /** A {@code __local} buffer of the given bytes. */
    ClLaunch local(long bytes) { return add(bytes, null); }

    /** Enqueues over {@code global} work-items in one dimension (rounded up to a multiple of 64; kernels check bounds). */
    void run(long global) {
        if (global <= 0) return;
        long g = (global + 63) / 64 * 64;
        run(new long[]{g}, null);
    }

    /** Enqueues with explicit global and (when non-null) local sizes. */
    void run(long[] global, long[] local) {
        for (long g : global) if (g <= 0) return;
        synchronized (ctx) {
            for (int i = 0; i < values.size(); i++) clSetKernelArg(kernel, i, sizes.get(i)[0], values.get(i));
            clEnqueueNDRangeKernel(ctx.queue, kernel, global.length, null, global, local, 0, null, null);
        }
    }
}
