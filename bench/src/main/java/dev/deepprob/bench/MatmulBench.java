package dev.deepprob.bench;

import dev.deepprob.engine.cpu.Gemm;
import dev.deepprob.engine.cpu.Pool;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Times {@link Gemm#sgemm} and {@link Gemm#dgemm} at square sizes and at the shapes of a 784-400-20 MLP at batch
 * 128, at 1 and 2 threads. A shape is "MxNxK" (C is MxN, the inner size K); a trailing "t" reads A through a
 * transposed view (rsA = 1, csA = M), as the weight gradient X^T·dY does, a trailing "T" reads B through one
 * (rsB = 1, csB = K), as a Linear layer's forward x·W^T does. GFLOP/s = 2·M·N·K / time;
 * {@code bench/compare_matmul.sh} turns the times into GFLOP/s next to numpy's. Short measurement iterations give
 * a meaningful best-of on a shared machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx4g"})
public class MatmulBench {
    @Param({"64x64x64", "256x256x256", "1024x1024x1024", "128x400x784", "128x400x784T", "128x784x400", "128x20x400",
            "784x400x128t", "400x20x128t"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m, n, k, rsA, csA, rsB, csB;
    private float[] a, b, c;
    private double[] ad, bd, cd;

    @Setup(Level.Trial)
    public void setUp() {
        boolean transposedA = shape.endsWith("t"), transposedB = shape.endsWith("T");
        String[] d = shape.replaceAll("[tT]$", "").split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        rsA = transposedA ? 1 : k;
        csA = transposedA ? m : 1;
        rsB = transposedB ? 1 : n;
        csB = transposedB ? k : 1;
        SplittableRandom r = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        ad = new double[m * k];
        bd = new double[k * n];
        cd = new double[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (ad[i] = r.nextDouble(-1, 1));
        for (int i = 0; i < b.length; i++) b[i] = (float) (bd[i] = r.nextDouble(-1, 1));
        Pool.setThreads(threads);
    }

    /** Prints the preferred vector width and the register tile that this JVM's flags give (compare_matmul.sh's header). */
    public static void main(String[] args) {
        System.out.println(FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors, " + Gemm.tile()
                + " register tile");
    }

    /** C = A·B in float32; the result stays in the state, so the call cannot be elided. */
    @Benchmark
    public void sgemm() {
        Gemm.sgemm(m, n, k, a, 0, rsA, csA, b, 0, rsB, csB, c, 0, n, false);
    }

    /** The same product in float64. */
    @Benchmark
    public void dgemm() {
        Gemm.dgemm(m, n, k, ad, 0, rsA, csA, bd, 0, rsB, csB, cd, 0, n, false);
    }
}
