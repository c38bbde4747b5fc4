package dev.deepprob.gpu;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.Checkpoint;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.Tanh;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.Optimizer;
import dev.deepprob.prob.KL;
import dev.deepprob.prob.Normal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The layers above the engine on the OpenCL device: autograd's gradient checks with device inputs, a training run
 * that gives the CPU's numbers, distributions, checkpoints, and the default-device scope.
 */
class ClLayersTest {
    private final ClBackend cl = ClTestDevice.backend();

    private Tensor dev(Tensor x) { return Tensor.of(x.data().to(cl)); }

    /**
     * The ops of issue 15 run on the device as on the CPU: primitives through the elementwise kernels, composites (flip's
     * device index, the doubling scans, the scaled norm, the masks of remainder, xlogy, logaddexp) through the contract.
     * Values and gradients within 1e-12 of the CPU's (F64; PoCL's libm against Java's for atan2 and exp).
     */
    @Test
    void theOpsOfIssue15GiveTheCpusValuesAndGradients() {
        Generator gen = new Generator(15);
        NDArray a = NDArray.randn(gen, DType.F64, 3, 5), b = NDArray.randn(gen, DType.F64, 3, 5);
        a.set(0.0, 1, 2);
        List<Function<List<Tensor>, Tensor>> fs = List.of(
                xs -> xs.get(0).erfcx().add(xs.get(0).erfc()).add(xs.get(0).atan()).add(xs.get(0).trunc()).mul(xs.get(1)),
                xs -> xs.get(0).tanh().asin().add(xs.get(0).tanh().acos()).add(xs.get(0).asinh()).add(xs.get(0).gelu()).mul(xs.get(1)),
                xs -> xs.get(0).atan2(xs.get(1)).add(xs.get(0).remainder(xs.get(1))).add(xs.get(0).fmod(xs.get(1))),
                xs -> xs.get(0).logaddexp(xs.get(1)).add(xs.get(0).hypot(xs.get(1))).add(xs.get(0).xlogy(xs.get(1).abs())),
                xs -> xs.get(0).cumprod(1).add(xs.get(0).logcumsumexp(1)).add(xs.get(0).flip(0, 1)).add(xs.get(0).roll(2, 1)).mul(xs.get(1)),
                xs -> xs.get(0).prod(1).add(xs.get(0).norm(2, new int[]{1}, false)).add(xs.get(1).amax(new int[]{1}, false)));
        for (int i = 0; i < fs.size(); i++) {
            Tensor[] host = {Tensor.of(a).requiresGrad(true), Tensor.of(b).requiresGrad(true)};
            Tensor[] onDev = {dev(Tensor.of(a)).requiresGrad(true), dev(Tensor.of(b)).requiresGrad(true)};
            Tensor yh = fs.get(i).apply(List.of(host)), yd = fs.get(i).apply(List.of(onDev));
            assertSame(cl, yd.backend(), "function " + i + " stays on the device");
            assertArrayEquals(yh.toDoubleArray(), yd.toDoubleArray(), 1e-12, "function " + i);
            List<Tensor> gh = Autograd.grad(yh.sum(), List.of(host), false), gd = Autograd.grad(yd.sum(), List.of(onDev), false);
            for (int j = 0; j < 2; j++) assertArrayEquals(gh.get(j).toDoubleArray(), gd.get(j).toDoubleArray(), 1e-12, "gradient " + j + " of " + i);
        }
    }

    /** First and second derivatives of a few composite functions, computed on the device, against finite differences. */
    @Test
    void gradientsOnTheDeviceMatchFiniteDifferences() {
        Generator gen = new Generator(3);
        Tensor a = dev(Tensor.of(NDArray.randn(gen, DType.F64, 3, 4)));
        Tensor b = dev(Tensor.of(NDArray.randn(gen, DType.F64, 4, 2)));
        Tensor c = dev(Tensor.of(NDArray.rand(gen, DType.F64, 3, 2).add(0.5)));
        List<Function<List<Tensor>, Tensor>> fs = List.of(
                xs -> xs.get(0).matmul(xs.get(1)).tanh().mul(xs.get(2)).sum(),
                xs -> xs.get(0).exp().logSumExp(new int[]{1}, false).square().sum(),
                xs -> xs.get(0).matmul(xs.get(1)).sigmoid().log().add(xs.get(2).log()).mean(),
                xs -> xs.get(0).softplus().pow(2.0).mul(3.0).sub(xs.get(0).mul(xs.get(0)).sum(new int[]{1}, true)).sum());
        for (Function<List<Tensor>, Tensor> f : fs) {
            // F64 on the device: the CPU's defaults (eps 1e-6, atol 1e-6, rtol 1e-5) hold as long as the device's
            // double arithmetic is IEEE (PoCL and NVIDIA's are)
            GradCheck.check(f, List.of(a, b, c), 2, GradCheck.Options.defaults(), new Generator(9));
        }
        Tensor x = dev(Tensor.of(NDArray.randn(gen, DType.F64, 5))).requiresGrad(true);
        Tensor y = x.mul(2.0).exp().sum();
        y.backward();
        assertSame(cl, x.grad().backend(), "a gradient lives on its tensor's device");
        assertArrayEquals(x.data().mul(2.0).exp().mul(2.0).toDoubleArray(), x.grad().toDoubleArray(), 1e-12);
    }

    /** A tensor moved with to(device) takes part in the graph: the gradient comes back to the CPU. */
    @Test
    void toDeviceIsDifferentiable() {
        Tensor x = Tensor.of(DType.F64, new double[]{0.5, -1, 2}).requiresGrad(true);
        Tensor y = x.to(cl).square().sum();
        assertSame(cl, y.backend());
        y.backward();
        assertSame(Backends.cpu(), x.grad().backend());
        assertArrayEquals(new double[]{1, -2, 4}, x.grad().toDoubleArray(), 0);
    }

    /** The same 60 Adam steps of a small tanh MLP on the CPU and on the device give the same losses up to float rounding. */
    @Test
    void trainingOnTheDeviceGivesTheCpusNumbers(@TempDir Path dir) throws Exception {
        double[] cpu = train(Backends.cpu(), null);
        double[] gpu = train(cl, dir.resolve("device.safetensors"));
        for (int i = 0; i < cpu.length; i++) {
            // F32 throughout; the device sums in another order, so each loss may differ by some float ulps per step,
            // compounding over 60 steps: 1e-4 relative leaves room for that and fails on any real difference
            assertEquals(cpu[i], gpu[i], 1e-4 * Math.abs(cpu[i]), "loss at step " + i);
        }
        assertTrue(cpu[cpu.length - 1] < 0.8 * cpu[0], "the model learns: " + cpu[0] + " -> " + cpu[cpu.length - 1]);
    }

    private double[] train(Backend device, Path checkpoint) throws Exception {
        Generator gen = new Generator(21);
        Sequential model = Mlp.of(gen, 2, 16, 16, 1).activation(Tanh::new).build();
        model.to(device);
        for (Tensor p : model.parameters()) assertSame(device, p.backend(), "Module.to moves every parameter");
        Tensor x = Tensor.of(NDArray.randn(new Generator(5), DType.F32, 64, 2)).to(device);
        Tensor t = Tensor.of(x.data().sum(new int[]{1}, true).gt(0).to(DType.F32));
        Optimizer opt = new Adam(model.parameters(), 1e-2);
        double[] losses = new double[60];
        for (int i = 0; i < losses.length; i++) {
            opt.zeroGrad();
            Tensor loss = Losses.bceWithLogits(model.forward(x), t);
            assertSame(device, loss.backend());
            loss.backward();
            opt.step();
            losses[i] = loss.item();
        }
        if (checkpoint != null) {
            Checkpoint.save(model, checkpoint);
            Sequential fresh = Mlp.of(new Generator(99), 2, 16, 16, 1).activation(Tanh::new).build();
            fresh.to(device);
            Checkpoint.load(fresh, checkpoint);
            for (Tensor p : fresh.parameters()) assertSame(device, p.backend(), "a checkpoint loads into the device's parameters");
            assertArrayEquals(model.forward(x).toDoubleArray(), fresh.forward(x).toDoubleArray(), 0);
        }
        return losses;
    }

    /** Normal's log-density, sampling and the Normal-Normal KL on the device agree with the CPU. */
    @Test
    void distributionsRunOnTheDevice() {
        Tensor loc = Tensor.of(DType.F64, new double[]{0.5, -1, 2}), scale = Tensor.of(DType.F64, new double[]{1, 0.5, 3});
        Tensor v = Tensor.of(DType.F64, new double[]{0, 1, -2});
        Normal p = new Normal(loc, scale), pd = new Normal(dev(loc), dev(scale));
        Tensor lp = pd.logProb(dev(v));
        assertSame(cl, lp.backend());
        assertArrayEquals(p.logProb(v).toDoubleArray(), lp.toDoubleArray(), 1e-14);
        Normal q = new Normal(Tensor.of(DType.F64, new double[]{0, 0, 0}), Tensor.of(DType.F64, new double[]{2, 2, 2}));
        Normal qd = new Normal(dev(q.loc()), dev(q.scale()));
        assertArrayEquals(KL.divergence(p, q).toDoubleArray(), KL.divergence(pd, qd).toDoubleArray(), 1e-14);
        // a number-like 0-dim CPU parameter joins the device (as in the README's first program); others are refused
        Normal mixed = new Normal(dev(loc), Tensor.scalar(DType.F64, 2));
        assertArrayEquals(new Normal(loc, Tensor.scalar(DType.F64, 2)).logProb(v).toDoubleArray(), mixed.logProb(dev(v)).toDoubleArray(), 1e-14);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Normal(dev(loc), scale));
        assertTrue(e.getMessage().contains("different devices"), e.getMessage());
        // reparameterised sampling draws the CPU's stream on the device
        Tensor s = pd.rsample(new Generator(4), 1000);
        assertSame(cl, s.backend());
        assertArrayEquals(p.rsample(new Generator(4), 1000).toDoubleArray(), s.toDoubleArray(), 1e-12);
    }

    /** Inside Backends.withDefault(device) the factories make device arrays; outside, CPU arrays as before. */
    @Test
    void theDefaultDeviceScopeDirectsTheFactories() {
        try (var scope = Backends.withDefault(cl)) {
            assertSame(cl, NDArray.zeros(DType.F32, 2, 3).backend());
            assertSame(cl, NDArray.of(new double[]{1, 2}).backend());
            assertSame(cl, NDArray.arange(DType.F64, 4).backend());
            assertSame(cl, NDArray.eye(DType.F32, 3).backend());
            assertSame(cl, Tensor.ones(4).backend());
            NDArray e = NDArray.eye(DType.F64, 3).mul(2).add(NDArray.full(DType.F64, 1, 3, 3));
            assertArrayEquals(new double[]{3, 1, 1, 1, 3, 1, 1, 1, 3}, e.toDoubleArray(), 0);
            assertSame(Backends.cpu(), NDArray.wrap(new float[]{1}, 1).backend(), "wrap shares a Java array: always the CPU");
        }
        assertSame(Backends.cpu(), NDArray.zeros(DType.F32, 2).backend());
    }

    /** An operation mixing a CPU array and a device array (other than a 0-dim constant) names both devices. */
    @Test
    void mixingDevicesNamesBoth() {
        Tensor a = dev(Tensor.of(DType.F64, new double[]{1, 2})), b = Tensor.of(DType.F64, new double[]{3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains(cl.name()), e.getMessage());
        assertSame(cl, a.add(Tensor.scalar(DType.F64, 1)).backend(), "a 0-dim CPU tensor joins the device");
        try (var s = Autograd.noGrad()) {
            assertArrayEquals(new double[]{2, 3}, a.add(1.0).toDoubleArray(), 0);
        }
    }
}
