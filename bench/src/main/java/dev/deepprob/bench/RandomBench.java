package dev.deepprob.bench;

import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Threads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Float random fills on one thread, nanoseconds per call: {@code Generator.normal} (Philox and the Box-Muller
 * transform) and {@code Generator.uniform}, for a small draw (100), a VAE's noise (128 x 20) and a GAN's noise batch
 * (512 x 256). Divide by n for the time per value.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class RandomBench {
    @Param({"100", "2560", "131072"})
    public int n;

    Generator g;
    float[] out;

    @Setup
    public void setup() {
        Threads.set(1);
        g = new Generator(1);
        out = new float[n];
    }

    @Benchmark
    public float[] normal() {
        g.normal(out, 0, n, 0f, 1f);
        return out;
    }

    @Benchmark
    public float[] uniform() {
        g.uniform(out, 0, n, 0f, 1f);
        return out;
    }
}
