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
 * One training step of a {@link Workloads} workload under JMH, chiefly for its allocation per step: run with
 * {@code -prof gc}, whose {@code gc.alloc.rate.norm} is the bytes allocated per step (see bench/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx512m"})
@State(Scope.Thread)
public class WorkloadBench {
    /** The workload's name, as Workloads prints it. */
    @Param({"nb5_bnn", "nb9_gan_ring", "vae_mnist_b128"})
    public String workload;

    /** The engine's pool size. */
    @Param({"1"})
    public int threads;

    Workloads.Step step;

    /** Builds the workload (data, model, optimiser) with seed 0. */
    @Setup
    public void setup() {
        Threads.set(threads);
        Workloads.Spec spec = Workloads.SPECS.get(workload);
        if (spec == null) throw new IllegalArgumentException("WorkloadBench: unknown workload '" + workload + "'; expected one of "
                + Workloads.SPECS.keySet());
        step = spec.build().apply(new Generator(0));
    }

    /** One training step; returns its loss. */
    @Benchmark
    public double trainStep() { return step.run(); }
}
