package dev.deepprob.bench;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Threads;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.optim.Adam;
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
 * One training step (forward, BCE-with-logits, backward, Adam) of the tutorial's small networks: the GAN
 * discriminator 2-100-100-1 and the mode-dropping one 2-300-300-150-1, at batch 100. Compare with
 * bench/python/torch_small.py.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class SmallModelBench {
    @Param({"2-100-100-1", "2-300-300-150-1"})
    public String net;

    @Param({"1"})
    public int threads;

    Sequential model;
    Adam opt;
    Tensor x, y;

    @Setup
    public void setup() {
        Threads.set(threads);
        Generator gen = new Generator(0);
        int[] sizes = java.util.Arrays.stream(net.split("-")).mapToInt(Integer::parseInt).toArray();
        model = Mlp.of(gen, sizes).build();
        opt = new Adam(model.parameters(), 1e-3);
        x = Tensor.randn(gen, DType.F32, 100, sizes[0]);
        y = Tensor.of(dev.deepprob.engine.NDArray.bernoulli(gen, 0.5, 100, 1).to(DType.F32));
    }

    @Benchmark
    public double trainStep() {
        opt.zeroGrad();
        Tensor loss = Losses.bceWithLogits(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
    }
}
