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

    /** The backend with this name ("cpu", "opencl", ...); throws listing the names available when none matches. */
    public static Backend get(String name) {
        List<Backend> all = available();
        for (Backend b : all) if (b.name().equals(name)) return b;
        throw new IllegalArgumentException("Backends.get: no backend named '" + name + "'; available: "
                + all.stream().map(Backend::name).toList());
    }
}
