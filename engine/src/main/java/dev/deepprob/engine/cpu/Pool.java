package dev.deepprob.engine.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The engine's dedicated worker pool. Kernels split large work into tasks with {@link #parallelFor}; small work
 * (one task, or a pool of one thread) runs inline on the caller, with no hand-off and no allocation.
 * Results never depend on the thread count: callers give each task a fixed slice of the output.
 */
public final class Pool {
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile ExecutorService executor;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private Pool() {}

    /** Number of threads kernels may use (the caller counts as one). */
    public static int threads() { return threads; }

    /** Sets the number of threads kernels may use; 1 runs everything on the caller. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setThreads: thread count must be >= 1, got " + n);
        if (n == threads) return;
        threads = n;
        ExecutorService old = executor;
        executor = null;
        if (old != null) old.shutdown();
    }

    private static ExecutorService executor() {
        ExecutorService e = executor;
        if (e == null) {
            synchronized (Pool.class) {
                e = executor;
                if (e == null) {
                    e = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                        Thread t = new Thread(r, "deepprob-worker-" + THREAD_IDS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    executor = e;
                }
            }
        }
        return e;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool's threads, and returns when all
     * have finished. The caller runs a share of the tasks itself. An exception in a task is rethrown here.
     */
    public static void parallelFor(int tasks, IntConsumer body) {
        int t = Math.min(threads, tasks);
        if (t <= 1 || Thread.currentThread().getName().startsWith("deepprob-worker-")) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(t - 1);
        Runnable worker = () -> {
            try {
                for (int i; (i = next.getAndIncrement()) < tasks && failure.get() == null; ) body.accept(i);
            } catch (Throwable ex) {
                failure.compareAndSet(null, ex);
            }
        };
        ExecutorService e = executor();
        for (int w = 0; w < t - 1; w++) {
            e.execute(() -> { try { worker.run(); } finally { done.countDown(); } });
        }
        worker.run();
        try {
            done.await();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("parallelFor: interrupted while waiting for workers", ie);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new IllegalStateException("parallelFor: task failed", f);
    }
}
