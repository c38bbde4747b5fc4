package dev.deepprob.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's fused multiply-add ceiling as the Vector API reaches it: 12 independent FMA chains on the preferred
 * species (enough to cover FMA latency times throughput), so nothing but the FMA units limits it. JMH reports
 * ops/s where one op is one floating-point operation (an FMA lane counts 2), i.e. FLOP/s, per core and all cores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBench {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12, LANE_STEPS = 1 << 20;
    /** Loop trips so that each invocation does LANE_STEPS lane-FMAs per chain whatever the vector width. */
    private static final int ITERS_F = LANE_STEPS / F.length(), ITERS_D = LANE_STEPS / D.length();

    public float x = 0.999999f, y = 1e-7f;
    public double xd = 0.999999, yd = 1e-7;

    /** One core, float32. */
    @Benchmark
    @OperationsPerInvocation(LANE_STEPS * CHAINS * 2)
    public float f32() { return fmaF32(); }

    /** Every core at once (JMH sums the threads' throughput), float32. */
    @Benchmark
    @Threads(Threads.MAX)
    @OperationsPerInvocation(LANE_STEPS * CHAINS * 2)
    public float f32AllCores() { return fmaF32(); }

    /** One core, float64. */
    @Benchmark
    @OperationsPerInvocation(LANE_STEPS * CHAINS * 2)
    public double f64() { return fmaF64(); }

    /** The chains; returning their sum keeps the loop alive. */
    private float fmaF32() {
        FloatVector a = FloatVector.broadcast(F, x), b = FloatVector.broadcast(F, y);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < ITERS_F; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    private double fmaF64() {
        DoubleVector a = DoubleVector.broadcast(D, xd), b = DoubleVector.broadcast(D, yd);
        DoubleVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < ITERS_D; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
