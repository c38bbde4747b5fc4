import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Checkpoint;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Binomial;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.Poisson;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by ModulePathTest with the project's modules on the module path (this program is in the unnamed module):
 * every layer works there, and the engine's internal kernels are not reachable from outside the project.
 */
public class ModularSmoke {
    public static void main(String[] args) throws Exception {
        for (String m : new String[]{"dev.deepprob.engine", "dev.deepprob.autograd", "dev.deepprob.nn", "dev.deepprob.prob", "dev.deepprob.demos"}) {
            if (ModuleLayer.boot().findModule(m).isEmpty()) throw new AssertionError(m + " is not a named module on the module path");
        }
        Generator gen = new Generator(1);
        // prob's quantiles reach the special functions (Binomial.icdf threw IllegalAccessError here before the seam);
        // the numbers and the scalar share the default dtype
        double b = Binomial.fromProbs(20, 0.3).icdf(Tensor.scalar(0.5)).item();
        double p = new Poisson(4.0).icdf(Tensor.scalar(0.5)).item();
        double n = new Normal(0, 1).rsample(gen, 1000).mean().item();
        // nn: a step of Adam through the fused backend kernel, and a checkpoint round trip
        Linear lin = new Linear(3, 1, gen);
        Adam opt = new Adam(lin.parameters(), 0.1);
        Tensor loss = lin.forward(Tensor.randn(gen, DType.F32, 8, 3)).square().mean();
        loss.backward();
        opt.step();
        Path dir = Files.createTempDirectory("modular");
        Path file = dir.resolve("lin.safetensors");
        Checkpoint.save(lin, file);
        Linear back = new Linear(3, 1, new Generator(2));
        Checkpoint.load(back, file);
        Files.delete(file);
        Files.delete(dir);
        // the engine's kernels are internal: exported to the benchmarks alone
        boolean sealed;
        try {
            Class.forName("dev.deepprob.engine.cpu.Pool").getMethod("threads").invoke(null);
            sealed = false;
        } catch (IllegalAccessException e) {
            sealed = true;
        }
        if (!sealed) throw new AssertionError("dev.deepprob.engine.cpu is reachable from the unnamed module");
        int rc = dev.deepprob.demos.Main.execute(System.out, System.err, "list");
        if (rc != 0) throw new AssertionError("demos list exited " + rc);
        System.out.println("modular smoke: binomial " + b + " poisson " + p + " normal mean " + n + " ok");
    }
}
