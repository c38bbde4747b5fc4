package dev.deepprob.engine.cpu;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The engine's dedicated worker pool. Kernels split large work into tasks with {@link #parallelFor}; small work
 * (one task, or a pool of one thread) runs inline on the caller, with no hand-off and no allocation.
 * Results never depend on the thread count: callers give each task a fixed slice of the output.
 *
 * <p>Hand-off: the caller queues its job once per helper it wants and runs tasks itself; a worker that finished
 * its last job spins for {@link #SPIN_NS} before it parks, so back-to-back products (a training step is dozens)
 * reach a worker that is still awake instead of paying a wake-up of tens of microseconds each. Tasks are taken from
 * one counter, so a helper that comes late finds nothing left and the caller never waits for one that did not
 * start; the caller returns when every task is done and no helper is inside one.
 */
public final class Pool {
    /** How long an idle worker spins before it parks. */
    static final long SPIN_NS = 50_000;

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Worker[] workers = new Worker[0];                 // guarded by Pool.class
    private static final ConcurrentLinkedQueue<Job> QUEUE = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Worker> PARKED = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private Pool() {}

    /** Number of threads kernels may use (the caller counts as one). */
    public static int threads() { return threads; }

    /** Sets the number of threads kernels may use; 1 runs everything on the caller. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setThreads: thread count must be >= 1, got " + n);
        if (n == threads) return;
        threads = n;
        for (Worker w : workers) {
            w.stop = true;
            LockSupport.unpark(w);
        }
        workers = new Worker[0];
    }

    private static synchronized void ensureWorkers() {
        int want = threads - 1;
        if (workers.length == want) return;
        Worker[] ws = new Worker[want];
        for (int i = 0; i < want; i++) {
            ws[i] = new Worker("deepprob-worker-" + THREAD_IDS.incrementAndGet());
            ws[i].start();
        }
        workers = ws;
    }

    /** One parallelFor: its tasks, the next task to take, the threads inside a task and the first failure. */
    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger(), active = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        /** Takes and runs tasks until none is left or one failed. */
        void work() {
            active.incrementAndGet();                             // before taking a task: the caller waits for it
            try {
                for (int i; failure.get() == null && (i = next.getAndIncrement()) < tasks; ) body.accept(i);
            } catch (Throwable ex) {
                failure.compareAndSet(null, ex);
            } finally {
                active.decrementAndGet();                         // publishes the task's writes to the caller
            }
        }
    }

    private static final class Worker extends Thread {
        volatile boolean stop;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                Job j = QUEUE.poll();
                if (j != null) {
                    j.work();
                    continue;
                }
                long t0 = System.nanoTime();
                while (QUEUE.peek() == null && !stop && System.nanoTime() - t0 < SPIN_NS) Thread.onSpinWait();
                if (QUEUE.peek() != null || stop) continue;
                PARKED.add(this);
                if (QUEUE.peek() == null && !stop) LockSupport.park(this);   // re-checked after registering: no lost wake-up
                PARKED.remove(this);
            }
        }
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool's threads, and returns when all
     * have finished. The caller runs a share of the tasks itself. An exception in a task is rethrown here (the
     * remaining tasks are not started).
     */
    public static void parallelFor(int tasks, IntConsumer body) {
        int t = Math.min(threads, tasks);
        if (t <= 1 || Thread.currentThread() instanceof Worker) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        ensureWorkers();
        Job job = new Job(tasks, body);
        for (int w = 0; w < t - 1; w++) QUEUE.add(job);
        for (int w = 0; w < t - 1; w++) {
            Worker p = PARKED.poll();
            if (p == null) break;
            LockSupport.unpark(p);
        }
        job.work();
        for (int spins = 0; job.active.get() != 0; spins++) {
            if (spins < (1 << 14)) Thread.onSpinWait();
            else Thread.yield();                                  // a helper was descheduled mid-task
        }
        QUEUE.removeIf(x -> x == job);                            // hand-offs no helper took
        Throwable f = job.failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new IllegalStateException("parallelFor: task failed", f);
    }
}
