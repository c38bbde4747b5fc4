package app;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Mlp;
import dev.deepprob.nn.Sequential;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Normal;

public class Main {
    public static void main(String[] args) {
        Generator gen = new Generator(42);
        Tensor x = Tensor.randn(gen, 256, 1);
        Tensor y = x.mul(2).add(1).add(Tensor.randn(gen, 256, 1).mul(0.1));     // y = 2x + 1 + noise
        Sequential model = Mlp.of(gen, 1, 16, 1).build();
        Adam opt = new Adam(model.parameters(), 0.05);
        for (int step = 0; step < 200; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(model.forward(x), y);
            loss.backward();
            opt.step();
            if (step % 50 == 0 || step == 199) System.out.printf("step %3d  mse %.4f%n", step, loss.item());
        }
        Tensor nll = new Normal(model.forward(x), Tensor.scalar(0.1)).logProb(y).mean().neg();
        System.out.printf("mean negative log-likelihood %.3f%n", nll.item());
    }
}
