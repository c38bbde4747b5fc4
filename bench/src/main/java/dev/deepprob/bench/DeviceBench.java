package dev.deepprob.bench;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.optim.Adam;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The OpenCL device beside the CPU (issue 10's benchmarks): float32 matmul GFLOP/s at square sizes, and training
 * steps per second of the MNIST-sized VAE (784-400-20, batch 128 and 1024). Each figure is the median of five timed
 * runs of at least {@code --seconds} each after a warm-up (which also runs the device's matmul tuner once); a device
 * run ends by reading a result back, so queued work is counted. Prints {@code name<TAB>cpu<TAB>device<TAB>ratio}.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.deepprob.bench.DeviceBench [--device opencl]
 *      [--sizes 256,512,1024,2048] [--batches 128,1024] [--seconds 1]</pre>
 */
public final class DeviceBench {
    private DeviceBench() {}

    public static void main(String[] args) {
        String deviceName = "opencl";
        int[] sizes = {256, 512, 1024, 2048};
        int[] batches = {128, 1024};
        double seconds = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> deviceName = args[++i];
                case "--sizes" -> sizes = ints(args[++i]);
                case "--batches" -> batches = ints(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("DeviceBench: unknown argument " + args[i]
                        + " (expected --device NAME, --sizes N,N, --batches N,N, --seconds S)");
            }
        }
        Backend cpu = Backends.cpu(), dev = Backends.get(deviceName);
        try {
            NDArray.zeros(DType.F32, 1).to(dev).toCpu();
        } catch (IllegalStateException e) {
            System.out.println("# skipped: the device cannot be used here: " + e.getMessage());
            return;
        }
        System.out.println("# cpu: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " threads, "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors");
        System.out.println("# name\tcpu\tdevice\tdevice/cpu");
        for (int n : sizes) {
            double c = matmulGflops(cpu, n, seconds), d = matmulGflops(dev, n, seconds);
            row("matmul_f32_" + n + " GFLOP/s", c, d);
        }
        for (int b : batches) {
            double c = vaeStepsPerSecond(cpu, b, seconds), d = vaeStepsPerSecond(dev, b, seconds);
            row("vae_784_400_20_b" + b + " steps/s", c, d);
        }
        System.out.println("# device: " + dev);
    }

    private static String cpuModel() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(System.getProperty("os.arch"));
        } catch (java.io.IOException | UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static void row(String name, double cpu, double dev) {
        System.out.printf(Locale.ROOT, "%s\t%.2f\t%.2f\t%.2f%n", name, cpu, dev, dev / cpu);
        System.out.flush();
    }

    private static int[] ints(String s) { return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray(); }

    /** Waits for everything queued on x's device by reading one element back. */
    private static double sync(NDArray x) { return x.reshape(-1).narrow(0, 0, 1).toCpu().item(); }

    /** The median of five timed runs, each repeating {@code body} until {@code seconds} have passed; per call, in seconds. */
    private static double medianSecondsPerCall(double seconds, Runnable body, Runnable syncAll) {
        // warm-up, at least 3 calls and 2 runs' time: the JIT, the device's kernel builds, the tuner's first product
        long w0 = System.nanoTime();
        for (int i = 0; i < 3 || System.nanoTime() - w0 < 2 * seconds * 1e9; i++) {
            body.run();
            if (i % 4 == 3) syncAll.run();
        }
        syncAll.run();
        List<Double> per = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime(), calls = 0;
            do {
                body.run();
                calls++;
                if (calls % 4 == 0) syncAll.run();
            } while (System.nanoTime() - t0 < seconds * 1e9);
            syncAll.run();
            per.add((System.nanoTime() - t0) * 1e-9 / calls);
        }
        per.sort(null);
        return per.get(2);
    }

    static double matmulGflops(Backend b, int n, double seconds) {
        Generator g = new Generator(1);
        NDArray a = NDArray.randn(g, DType.F32, n, n).to(b), c = NDArray.randn(g, DType.F32, n, n).to(b);
        NDArray[] last = new NDArray[1];
        double s = medianSecondsPerCall(seconds, () -> last[0] = a.matmul(c), () -> sync(last[0]));
        return 2.0 * n * n * n / s * 1e-9;
    }

    static double vaeStepsPerSecond(Backend b, int batch, double seconds) {
        Generator g = new Generator(7);
        Workloads.Vae model = new Workloads.Vae(g, 784, 400, 20);       // the workloads' vae_mnist_b128 model
        model.to(b);
        Tensor x = Tensor.of(NDArray.rand(g, DType.F32, batch, 784).lt(NDArray.scalar(DType.F32, 0.3)).to(DType.F32).to(b));
        Adam opt = new Adam(model.parameters(), 1e-3);
        Tensor[] last = new Tensor[1];
        double s = medianSecondsPerCall(seconds, () -> {
            opt.zeroGrad();
            Tensor loss = model.loss(x, g);
            loss.backward();
            opt.step();
            last[0] = loss;
        }, () -> sync(last[0].data()));
        return 1 / s;
    }
}
