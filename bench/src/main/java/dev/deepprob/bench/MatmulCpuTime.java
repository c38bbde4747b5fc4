package dev.deepprob.bench;

import dev.deepprob.engine.cpu.Gemm;
import dev.deepprob.engine.cpu.Pool;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Times {@link Gemm#sgemm} (or {@link Gemm#dgemm}) on one thread by the thread's CPU time, best of many samples, so
 * that a machine shared with other jobs (which take the core away, not its speed) still gives the kernel's speed;
 * {@code bench/python/numpy_sgemm.py --cpu-time} measures numpy the same way for {@code compare_matmul.sh CPU_TIME=1}.
 * Each shape is run untimed for a warm-up (half the seconds, at least one) first. Arguments: seconds per shape, {@code f32} or {@code f64}, then shapes as in {@link MatmulBench}. Prints one JSON
 * object per shape: {@code {"shape", "dtype", "gflops"}}.
 */
public final class MatmulCpuTime {
    private MatmulCpuTime() {}

    /** Runs the shapes given on the command line and prints their best GFLOP/s by thread CPU time. */
    public static void main(String[] args) {
        double seconds = Double.parseDouble(args[0]);
        boolean f64 = args[1].equals("f64");
        Pool.setThreads(1);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SplittableRandom r = new SplittableRandom(42);
        for (int s = 2; s < args.length; s++) {
            String shape = args[s];
            boolean ta = shape.endsWith("t"), tb = shape.endsWith("T");
            String[] d = shape.replaceAll("[tT]$", "").split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            int rsA = ta ? 1 : k, csA = ta ? m : 1, rsB = tb ? 1 : n, csB = tb ? k : 1;
            double[] ad = r.doubles((long) m * k, -1, 1).toArray(), bd = r.doubles((long) k * n, -1, 1).toArray();
            double[] cd = new double[m * n];
            float[] a = new float[ad.length], b = new float[bd.length], c = new float[cd.length];
            for (int i = 0; i < a.length; i++) a[i] = (float) ad[i];
            for (int i = 0; i < b.length; i++) b[i] = (float) bd[i];
            double flop = 2.0 * m * n * k, best = 0;
            int reps = (int) Math.max(1, 2e8 / flop);   // samples of about 2 ms or one product
            // warm-up: the JIT compiles the kernels (in the background) before samples count
            for (long w = System.nanoTime() + (long) (Math.max(1.0, seconds / 2) * 1e9); System.nanoTime() < w; ) {
                if (f64) Gemm.dgemm(m, n, k, ad, 0, rsA, csA, bd, 0, rsB, csB, cd, 0, n, false);
                else Gemm.sgemm(m, n, k, a, 0, rsA, csA, b, 0, rsB, csB, c, 0, n, false);
            }
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) {
                    if (f64) Gemm.dgemm(m, n, k, ad, 0, rsA, csA, bd, 0, rsB, csB, cd, 0, n, false);
                    else Gemm.sgemm(m, n, k, a, 0, rsA, csA, b, 0, rsB, csB, c, 0, n, false);
                }
                best = Math.max(best, flop * reps / (mx.getCurrentThreadCpuTime() - t0));
            }
            System.out.printf("{\"shape\": \"%s\", \"dtype\": \"%s\", \"gflops\": %.2f}%n", shape, f64 ? "f64" : "f32",
                    best);
        }
    }
}
