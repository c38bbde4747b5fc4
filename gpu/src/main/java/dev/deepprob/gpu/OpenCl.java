package dev.deepprob.gpu;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.jocl.CL.*;

/**
 * The OpenCL devices of this machine and the backend of each: {@link #devices()} lists them, {@link #backend(String)}
 * picks one by index ("opencl:1"), by a substring of its name, or the default (the first GPU, else the first device).
 * When no OpenCL platform is installed every entry point throws an {@link IllegalStateException} saying what to
 * install; {@link #isAvailable()} asks without throwing.
 */
public final class OpenCl {
    private OpenCl() {}

    /** CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found no platform (libOpenCL is there, no driver is). */
    private static final int PLATFORM_NOT_FOUND_KHR = -1001;

    private static final String INSTALL_HINT = "install the OpenCL ICD loader with its unversioned libOpenCL.so "
            + "(Debian/Ubuntu: ocl-icd-opencl-dev) and a driver: a GPU vendor's OpenCL driver, or PoCL for the CPU "
            + "(Debian/Ubuntu: pocl-opencl-icd); `clinfo -l` lists what the loader finds";

    /**
     * One OpenCL device: its place in {@link #devices()} (the index of "opencl:N"), what the driver says of it, and
     * whether it computes in double precision (cl_khr_fp64), which every F64 kernel needs.
     */
    public record Device(int index, String name, String type, String vendor, String platform, String driver,
                         long globalMemoryBytes, boolean fp64, cl_platform_id platformId, cl_device_id id) {
        /** One line: index, name, type, memory and fp64, for device listings and the demos' banner. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "opencl:%d %s (%s, %s, %.1f GiB%s, driver %s)", index, name, type, platform,
                    globalMemoryBytes / (double) (1L << 30), fp64 ? ", fp64" : ", no fp64", driver);
        }
    }

    private static volatile List<Device> devices;
    private static volatile String unavailable;
    private static final Map<Integer, ClBackend> BACKENDS = new ConcurrentHashMap<>();

    /** True when at least one OpenCL device can be used here. */
    public static boolean isAvailable() {
        try {
            return !devices().isEmpty();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Why OpenCL cannot be used here, or null when it can. */
    public static String unavailableReason() {
        try {
            devices();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Every device of every platform, in platform order; throws when no platform exists. */
    public static List<Device> devices() {
        List<Device> d = devices;
        if (d != null) return d;
        if (unavailable != null) throw new IllegalStateException(unavailable);
        synchronized (OpenCl.class) {
            if (devices != null) return devices;
            if (unavailable != null) throw new IllegalStateException(unavailable);
            try {
                devices = d = List.copyOf(discover());
                if (d.isEmpty()) {
                    unavailable = "OpenCL: the platforms installed have no devices; " + INSTALL_HINT;
                    throw new IllegalStateException(unavailable);
                }
                return d;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                unavailable = "OpenCL: the native library could not be loaded (" + e.getMessage() + "); " + INSTALL_HINT;
            } catch (CLException e) {
                unavailable = e.getStatus() == PLATFORM_NOT_FOUND_KHR
                        ? "OpenCL: no platform found (CL_PLATFORM_NOT_FOUND_KHR: the ICD loader is there but no driver is registered "
                          + "in /etc/OpenCL/vendors); " + INSTALL_HINT
                        : "OpenCL: listing the platforms failed (" + e.getMessage() + "); " + INSTALL_HINT;
            }
            throw new IllegalStateException(unavailable);
        }
    }

    private static List<Device> discover() {
        CL.setExceptionsEnabled(true);
        int[] n = new int[1];
        clGetPlatformIDs(0, null, n);
        if (n[0] == 0) throw new CLException("no platforms", PLATFORM_NOT_FOUND_KHR);
        cl_platform_id[] platforms = new cl_platform_id[n[0]];
        clGetPlatformIDs(n[0], platforms, null);
        List<Device> out = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String pname = platformString(p, CL_PLATFORM_NAME);
            int[] nd = new int[1];
            try {
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
            } catch (CLException e) {
                if (e.getStatus() == CL_DEVICE_NOT_FOUND) continue;
                throw e;
            }
            cl_device_id[] ids = new cl_device_id[nd[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, nd[0], ids, null);
            for (cl_device_id id : ids) {
                long type = deviceLong(id, CL_DEVICE_TYPE);
                String extensions = deviceString(id, CL_DEVICE_EXTENSIONS);
                out.add(new Device(out.size(), deviceString(id, CL_DEVICE_NAME).trim(), typeName(type),
                        deviceString(id, CL_DEVICE_VENDOR).trim(), pname.trim(), deviceString(id, CL_DRIVER_VERSION).trim(),
                        deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), extensions.contains("cl_khr_fp64"), p, id));
            }
        }
        return out;
    }

    private static String typeName(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) return "GPU";
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) return "accelerator";
        if ((type & CL_DEVICE_TYPE_CPU) != 0) return "CPU";
        return "other";
    }

    /** The device "opencl" means: the first GPU, else the first device of any kind. */
    public static Device defaultDevice() {
        List<Device> all = devices();
        for (Device d : all) if (d.type().equals("GPU")) return d;
        return all.getFirst();
    }

    /**
     * The device a spec names: "opencl" (or "gpu", or empty) the default; "opencl:N" (or a bare "N") the N-th of
     * {@link #devices()}; anything else a case-insensitive substring of a device's name, vendor or platform.
     */
    public static Device device(String spec) {
        String s = spec == null ? "" : spec.trim();
        String low = s.toLowerCase(Locale.ROOT);
        if (low.isEmpty() || low.equals("opencl") || low.equals("gpu")) return defaultDevice();
        List<Device> all = devices();
        String num = low.startsWith("opencl:") ? low.substring(7) : low;
        if (!num.isEmpty() && num.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(num);
            if (i >= all.size()) throw new IllegalArgumentException("OpenCl.device: no device " + i + " in '" + spec + "'; devices: "
                    + all.stream().map(Device::toString).toList());
            return all.get(i);
        }
        for (Device d : all) {
            if ((d.name() + " " + d.vendor() + " " + d.platform()).toLowerCase(Locale.ROOT).contains(num)) return d;
        }
        throw new IllegalArgumentException("OpenCl.device: no device matches '" + spec + "' (expected opencl, opencl:N or a part "
                + "of a device name); devices: " + all.stream().map(Device::toString).toList());
    }

    /** The default device's backend, named "opencl": the instance {@code Backends.get("opencl")} also returns. */
    public static ClBackend backend() { return backend("opencl"); }

    /**
     * The backend of the device {@code spec} names ({@link #device(String)}), one instance per device: the default
     * device's is named "opencl", any other "opencl:N".
     */
    public static ClBackend backend(String spec) {
        Device d = device(spec);
        if (d.index() == defaultDevice().index()) return ClBackend.defaultInstance();
        return BACKENDS.computeIfAbsent(d.index(), i -> new ClBackend("opencl:" + i, d));
    }

    // ------------------------------------------------------------------ info queries

    static String deviceString(cl_device_id id, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(id, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(id, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    static long deviceLong(cl_device_id id, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(id, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static long deviceSize(cl_device_id id, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(id, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static String platformString(cl_platform_id id, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(id, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(id, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
