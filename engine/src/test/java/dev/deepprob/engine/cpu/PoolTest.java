package dev.deepprob.engine.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The pool runs every task exactly once, publishes its writes, survives failures and concurrent callers. */
class PoolTest {
    private int before;

    @BeforeEach
    void save() { before = Pool.threads(); }

    @AfterEach
    void restore() { Pool.setThreads(before); }

    @Test
    void everyTaskRunsOnceAndItsWritesAreVisible() {
        for (int threads : new int[]{1, 2, 3, 5}) {
            Pool.setThreads(threads);
            for (int round = 0; round < 2000; round++) {
                int tasks = 1 + round % 17;
                int[] out = new int[tasks];                       // plain writes: visibility comes from the pool
                Pool.parallelFor(tasks, i -> out[i] += i + 1);
                for (int i = 0; i < tasks; i++) assertEquals(i + 1, out[i], "threads " + threads + ", round " + round + ", task " + i);
            }
        }
    }

    @Test
    void aFailingTaskIsRethrownAndThePoolStaysUsable() {
        Pool.setThreads(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.parallelFor(64, i -> {
            if (i == 5) throw new IllegalArgumentException("task 5 failed");
        }));
        assertEquals("task 5 failed", e.getMessage());
        AtomicInteger n = new AtomicInteger();
        Pool.parallelFor(64, i -> n.incrementAndGet());
        assertEquals(64, n.get());
    }

    @Test
    void concurrentCallersEachGetAllTheirTasks() throws Exception {
        Pool.setThreads(3);
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            fs.add(CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 500; round++) {
                    long[] out = new long[9];
                    Pool.parallelFor(9, i -> out[i] = (long) i * i);
                    for (int i = 0; i < 9; i++) assertEquals((long) i * i, out[i]);
                }
            }));
        }
        for (CompletableFuture<Void> f : fs) f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void nestedCallsFromAWorkerRunInline() {
        Pool.setThreads(2);
        AtomicInteger inner = new AtomicInteger();
        Pool.parallelFor(4, i -> Pool.parallelFor(4, j -> inner.incrementAndGet()));
        assertEquals(16, inner.get());
    }

    @Test
    void idleWorkersPark() throws InterruptedException {
        Pool.setThreads(2);
        Pool.parallelFor(2, i -> { });
        Thread.sleep(50);                                         // far past the spin
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("deepprob-worker-") && t.isAlive() && t.getState() == Thread.State.WAITING)
                .findAny().orElse(null);
        assertNotNull(worker, "an idle worker parks after its spin instead of burning a core");
    }
}
