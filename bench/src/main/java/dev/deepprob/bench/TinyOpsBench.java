package dev.deepprob.bench;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.NDArray;
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

import java.util.concurrent.TimeUnit;

/**
 * Per-call overhead on tiny tensors, where PyTorch spends microseconds on dispatch: adding two 4-element
 * tensors, and one (x*y).sum() forward and backward on 4 elements. Compare with bench/python/torch_tiny.py.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class TinyOpsBench {
    Tensor a, b, x, y;
    NDArray na, nb;

    @Setup
    public void setup() {
        a = Tensor.of(new float[]{1, 2, 3, 4});
        b = Tensor.of(new float[]{5, 6, 7, 8});
        na = a.data();
        nb = b.data();
        x = Tensor.of(new float[]{1, 2, 3, 4}).requiresGrad(true);
        y = Tensor.of(new float[]{5, 6, 7, 8}).requiresGrad(true);
    }

    /** torch: a + b on two 4-element float32 tensors. */
    @Benchmark
    public Tensor tinyAdd() { return a.add(b); }

    /** The engine alone, without the autograd layer. */
    @Benchmark
    public NDArray tinyAddNDArray() { return na.add(nb); }

    /** torch: x.grad = None; (x*y).sum().backward() with x, y requiring grad. */
    @Benchmark
    public Tensor tinyStep() {
        x.zeroGrad();
        y.zeroGrad();
        x.mul(y).sum().backward();
        return x.grad();
    }
}
