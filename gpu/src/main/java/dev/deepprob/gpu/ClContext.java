package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * One device's OpenCL state: the context, its single in-order command queue, the compiled programs and kernels
 * (each built once and cached), and the pool of device buffers. Every enqueue goes through this object under its
 * lock, so kernels (whose arguments are mutable state) are shared safely between threads.
 */
final class ClContext {
    final OpenCl.Device device;
    final cl_device_id id;
    final cl_context context;
    final cl_command_queue queue;
    final long maxWorkGroupSize;
    final long localMemBytes;
    final BufferPool pool;

    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    ClContext(OpenCl.Device device) {
        this.device = device;
        this.id = device.id();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        this.context = clCreateContext(props, 1, new cl_device_id[]{id}, null, null, null);
        this.queue = clCreateCommandQueueWithProperties(context, id, new cl_queue_properties(), null);
        this.maxWorkGroupSize = OpenCl.deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.localMemBytes = OpenCl.deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE);
        this.pool = new BufferPool(this);
    }

    // ------------------------------------------------------------------ programs

    /** The OpenCL C type of a dtype's elements on the device (BOOL is one byte, 0 or 1). */
    static String clType(DType t) {
        return switch (t) {
            case F32 -> "float";
            case F64 -> "double";
            case I64 -> "long";
            case BOOL -> "uchar";
        };
    }

    /** Throws, naming the device and the operation, when an F64 operation meets a device without cl_khr_fp64. */
    void requireDtype(String op, DType t) {
        if (t == DType.F64 && !device.fp64()) throw new UnsupportedOperationException(op + ": F64 needs the cl_khr_fp64 extension, "
                + "which " + device.name() + " does not have; use F32 on this device (to(DType.F32)) or run F64 on the CPU");
    }

    /**
     * The build options every program of element type {@code t} gets: {@code -DT=<type>} and, when the device has
     * fp64, {@code -DUSE_FP64} (double accumulators; required for F64). Kernels are compiled with correctly rounded
     * float division and square root, so F32 elementwise results agree with the CPU's bit for bit where the CPU rounds
     * once.
     */
    String typeOptions(DType t) {
        requireDtype("OpenCL", t);
        return "-DT=" + clType(t) + (t.isFloating() ? " -DFLOATING" : "") + (device.fp64() ? " -DUSE_FP64" : "");
    }

    /**
     * The kernel {@code name} of resource {@code resource} (a file under src/main/resources/dev/deepprob/gpu/, after
     * common.cl) built with {@code options}; built once per context and options, then cached. A failed build throws
     * with the compiler's log.
     */
    synchronized cl_kernel kernel(String resource, String options, String name) {
        String key = resource + "\0" + options + "\0" + name;
        cl_kernel k = kernels.get(key);
        if (k != null) return k;
        cl_program p = program(resource, options);
        try {
            k = clCreateKernel(p, name, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL: no kernel '" + name + "' in " + resource + " (" + e.getMessage() + ")", e);
        }
        kernels.put(key, k);
        return k;
    }

    synchronized cl_program program(String resource, String options) {
        String key = resource + "\0" + options;
        cl_program p = programs.get(key);
        if (p != null) return p;
        String source = ClSources.source(resource);
        p = clCreateProgramWithSource(context, 1, new String[]{source}, null, null);
        String opts = options + " -cl-fp32-correctly-rounded-divide-sqrt";
        try {
            clBuildProgram(p, 1, new cl_device_id[]{id}, opts, null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new IllegalStateException("OpenCL: building " + resource + " with options '" + opts + "' failed on "
                    + device.name() + " (" + e.getMessage() + "); build log:\n" + log, e);
        }
        programs.put(key, p);
        return p;
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            return new String(b, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    /** A launch of kernel {@code name} of {@code resource} built for element type t (see {@link #typeOptions}). */
    ClLaunch launch(String resource, DType t, String name) {
        return new ClLaunch(this, kernel(resource, typeOptions(t), name));
    }

    /** A launch of a kernel built with explicit options. */
    ClLaunch launch(String resource, String options, String name) {
        return new ClLaunch(this, kernel(resource, options, name));
    }

    /** Waits until every command enqueued so far has finished (the host reads synchronise by themselves). */
    void finish() {
        synchronized (this) {
            clFinish(queue);
        }
    }

    // ------------------------------------------------------------------ transfers

    /** Blocking read of {@code bytes} bytes at byte offset {@code from} into a Java array (float[], double[], long[] or byte[]). */
    void read(cl_mem mem, long from, long bytes, Pointer dst) {
        if (bytes == 0) return;
        synchronized (this) {
            clEnqueueReadBuffer(queue, mem, CL_TRUE, from, bytes, dst, 0, null, null);
        }
    }

    /** Blocking write of a Java array's bytes into the buffer at byte offset {@code to}. */
    void write(cl_mem mem, long to, long bytes, Pointer src) {
        if (bytes == 0) return;
        synchronized (this) {
            clEnqueueWriteBuffer(queue, mem, CL_TRUE, to, bytes, src, 0, null, null);
        }
    }

    /** Enqueues a fill of {@code bytes} bytes at {@code from} with a repeated pattern; does not wait. */
    void fillBytes(cl_mem mem, long from, long bytes, Pointer pattern, int patternSize) {
        if (bytes == 0) return;
        synchronized (this) {
            clEnqueueFillBuffer(queue, mem, pattern, patternSize, from, bytes, 0, null, null);
        }
    }

    /** Enqueues a device-side copy between buffers; does not wait. */
    void copyBytes(cl_mem src, long srcFrom, cl_mem dst, long dstFrom, long bytes) {
        if (bytes == 0) return;
        synchronized (this) {
            clEnqueueCopyBuffer(queue, src, dst, srcFrom, dstFrom, bytes, 0, null, null);
        }
    }

    // ------------------------------------------------------------------ the buffer pool

    /**
     * Device buffers by size class (powers of two split into quarters, at least 256 bytes): a storage's buffer goes back
     * to its class when the storage becomes unreachable ({@link java.lang.ref.Cleaner}), and the next allocation of
     * that class takes it, so a training step reuses the previous step's buffers instead of asking the driver. The queue
     * is in order, so a buffer handed out again is written only after every kernel that read it earlier.
     */
    static final class BufferPool {
        private final ClContext ctx;
        private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
        private long freeBytes, liveBytes, created, reused;

        BufferPool(ClContext ctx) { this.ctx = ctx; }

        /** The size class of a request: the smallest of 2^k, 1.25·2^k, 1.5·2^k, 1.75·2^k that holds it. */
        static long sizeClass(long bytes) {
            long b = Math.max(bytes, 256);
            int k = 63 - Long.numberOfLeadingZeros(b);
            long base = 1L << k;
            if (b == base) return b;
            long quarter = Math.max(base >> 2, 1);
            return base + ((b - base + quarter - 1) / quarter) * quarter;
        }

        /** A buffer of at least {@code bytes} bytes, from the pool when one of its class is free. */
        cl_mem take(long bytes) {
            long cls = sizeClass(bytes);
            synchronized (this) {
                ArrayDeque<cl_mem> q = free.get(cls);
                if (q != null && !q.isEmpty()) {
                    freeBytes -= cls;
                    liveBytes += cls;
                    reused++;
                    return q.pop();
                }
            }
            cl_mem m;
            try {
                m = clCreateBuffer(ctx.context, CL_MEM_READ_WRITE, cls, null, null);
            } catch (CLException e) {
                // out of device memory: give the pooled buffers back to the driver, let the collector return the
                // unreachable ones, and try once more
                drain();
                System.gc();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                drain();
                try {
                    m = clCreateBuffer(ctx.context, CL_MEM_READ_WRITE, cls, null, null);
                } catch (CLException e2) {
                    throw new IllegalStateException("OpenCL: cannot allocate " + cls + " bytes on " + ctx.device.name() + " ("
                            + e2.getMessage() + "; " + liveBytes + " bytes in use)", e2);
                }
            }
            synchronized (this) {
                liveBytes += cls;
                created++;
            }
            return m;
        }

        /** Returns a buffer of {@code bytes} requested bytes to its class (called by the storage's cleaner). */
        void give(cl_mem m, long bytes) {
            long cls = sizeClass(bytes);
            synchronized (this) {
                liveBytes -= cls;
                freeBytes += cls;
                free.computeIfAbsent(cls, c -> new ArrayDeque<>()).push(m);
            }
        }

        /** Releases every pooled buffer to the driver. */
        synchronized void drain() {
            for (ArrayDeque<cl_mem> q : free.values()) for (cl_mem m : q) clReleaseMemObject(m);
            free.clear();
            freeBytes = 0;
        }

        /** {created, reused, live bytes, pooled bytes}: how often the pool saved an allocation (tests and benchmarks). */
        synchronized long[] stats() { return new long[]{created, reused, liveBytes, freeBytes}; }
    }

    /** Bytes per element of t on the device. */
    static long elementBytes(DType t) { return t == DType.BOOL ? 1 : t.byteSize(); }

    static long sizeOf(DType t) { return t == DType.BOOL ? Sizeof.cl_uchar : t.byteSize(); }

    /** Reads a text resource of this package. */
    static String resource(String name) {
        try (InputStream in = ClContext.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("OpenCL: kernel source " + name + " is missing from the deepprob-gpu jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("OpenCL: cannot read kernel source " + name, e);
        }
    }
}
