package dev.deepprob.bench;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.data.Batch;
import dev.deepprob.nn.data.DataLoader;
import dev.deepprob.nn.data.TensorDataset;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One shuffled epoch of a 60,000 x 784 float32 dataset (MNIST's training set) in batches of 128, through
 * {@link DataLoader}, beside the copy itself: the same shuffled rows gathered with {@code System.arraycopy} into one
 * reused buffer, and one sequential {@code System.arraycopy} of the whole 188 MB. Each operation is one epoch,
 * permutation included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g", "-XX:+UseParallelGC"})
@State(Scope.Thread)
public class DataLoaderBench {
    static final int N = 60_000, D = 784, BATCH = 128;

    float[] raw, target, buffer;
    DataLoader reuse, fresh;
    Generator gBaseline;

    @Setup
    public void setup() {
        NDArray x = NDArray.rand(new Generator(1), DType.F32, N, D);
        raw = x.toFloatArray();
        target = new float[N * D];
        buffer = new float[BATCH * D];
        TensorDataset ds = new TensorDataset(x);
        reuse = new DataLoader(ds, BATCH).shuffle(new Generator(2)).reuseBuffers(true);
        fresh = new DataLoader(ds, BATCH).shuffle(new Generator(2));
        gBaseline = new Generator(2);
    }

    /** DataLoader, refilling one batch array (reuseBuffers(true)). */
    @Benchmark
    public void loaderReusedBuffers(Blackhole bh) {
        for (Batch b : reuse) bh.consume(b);
    }

    /** DataLoader, a fresh batch array each time (the default). */
    @Benchmark
    public void loaderFreshBatches(Blackhole bh) {
        for (Batch b : fresh) bh.consume(b);
    }

    /** The copy itself: the same permutation, each row copied by System.arraycopy into one reused batch buffer. */
    @Benchmark
    public void arraycopyShuffledRows(Blackhole bh) {
        int[] perm = gBaseline.permutation(N);
        for (int s = 0; s < N; s += BATCH) {
            int len = Math.min(BATCH, N - s);
            for (int i = 0; i < len; i++) System.arraycopy(raw, perm[s + i] * D, buffer, i * D, D);
            bh.consume(buffer);
        }
    }

    /** The floor: one sequential System.arraycopy of all 60,000 rows. */
    @Benchmark
    public float[] arraycopyWhole() {
        System.arraycopy(raw, 0, target, 0, raw.length);
        return target;
    }
}
