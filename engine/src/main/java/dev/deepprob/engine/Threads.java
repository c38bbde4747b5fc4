package dev.deepprob.engine;

import dev.deepprob.engine.cpu.Pool;

/** How many threads the engine's kernels may use (all cores by default). Small arrays always stay on the caller. */
public final class Threads {
    private Threads() {}

    /** The current thread count. */
    public static int get() { return Pool.threads(); }

    /** Sets the thread count (>= 1); results do not depend on it. */
    public static void set(int n) { Pool.setThreads(n); }
}
