package dev.deepprob.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds backends: the built-in CPU backend, and any other (the OpenCL module) registered as a
 * {@code java.util.ServiceLoader} provider of {@link Backend}, so the engine never depends on them.
 */
public final class Backends {
    private Backends() {}

    /**
     * The built-in CPU backend; throws {@code IllegalStateException} naming the flag when the JVM was started without
     * {@code --add-modules jdk.incubator.vector} (the class path needs it; the module path resolves it by itself).
     */
    public static Backend cpu() { return CpuBackend.instance(); }

    /** The providers found, loaded once so that each backend is one instance (arrays compare backends by identity). */
    private static volatile List<Backend> providers;

    private static List<Backend> providers() {
        List<Backend> p = providers;
        if (p == null) {
            synchronized (Backends.class) {
                p = providers;
                if (p == null) {
                    List<Backend> found = new ArrayList<>();
                    for (Backend b : ServiceLoader.load(Backend.class)) found.add(b);
                    providers = p = List.copyOf(found);
                }
            }
        }
        return p;
    }

    /**
     * Every backend available: the CPU backend first, then the providers on the class path (each one instance for the
     * life of the program; a provider may initialise its device only on first use).
     */
    public static List<Backend> available() {
        List<Backend> out = new ArrayList<>();
        out.add(cpu());
        out.addAll(providers());
        return out;
    }

    // ------------------------------------------------------------------ the default device

    /** The program-wide default device; volatile so that a change is seen by every thread at once. */
    private static volatile Backend globalDefault;

    /** A {@link #withDefault} override on this thread, or null; scopes nest by restoring what they replaced. */
    private static final ThreadLocal<Backend> scoped = new ThreadLocal<>();

    /**
     * The device on which the factories ({@code NDArray.zeros}, {@code of}, {@code randn}, ... and the Tensor ones)
     * make new arrays, as torch's {@code set_default_device}: this thread's {@link #withDefault} override when one is
     * open, else the program-wide one, else the CPU. Arrays an operation makes live on its operands' device.
     */
    public static Backend defaultBackend() {
        Backend b = scoped.get();
        if (b != null) return b;
        b = globalDefault;
        return b != null ? b : cpu();
    }

    /** Sets the program-wide default device (null restores the CPU); see {@link #defaultBackend()}. */
    public static void setDefault(Backend b) { globalDefault = b; }

    /**
     * Makes {@code b} the default device on this thread until the returned scope is closed, then restores the previous
     * one: {@code try (var s = Backends.withDefault(gpu)) { ... }}. Other threads are not affected.
     */
    public static DefaultScope withDefault(Backend b) {
        if (b == null) throw new IllegalArgumentException("Backends.withDefault: backend must not be null");
        Backend previous = scoped.get();
        scoped.set(b);
        return new DefaultScope(previous);
    }

    /** An open {@link #withDefault} override; closing it (once, on the thread that opened it) restores the previous default. */
    public static final class DefaultScope implements AutoCloseable {
        private final Backend previous;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private DefaultScope(Backend previous) { this.previous = previous; }

        @Override
        public void close() {
            if (closed) return;
            if (Thread.currentThread() != owner)
                throw new IllegalStateException("Backends.withDefault: scope opened on thread " + owner.getName()
                        + " must be closed there, not on " + Thread.currentThread().getName());
            closed = true;
            if (previous == null) scoped.remove();
            else scoped.set(previous);
        }
    }

    /** The backend with this name ("cpu", "opencl", ...); throws listing the names available when none matches. */
    public static Backend get(String name) {
        List<Backend> all = available();
        for (Backend b : all) if (b.name().equals(name)) return b;
        throw new IllegalArgumentException("Backends.get: no backend named '" + name + "'; available: "
                + all.stream().map(Backend::name).toList());
    }
}
