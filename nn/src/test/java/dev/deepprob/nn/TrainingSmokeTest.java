package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.CosineAnnealingLR;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TrainingSmokeTest {

    @Test
    void anMlpLearnsXorWithAdam() {
        Generator gen = new Generator(42);
        Sequential net = Mlp.of(gen, 2, 8, 1).activation(Tanh::new).build();
        Tensor x = Tensor.of(new float[]{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[]{0, 1, 1, 0}, 4, 1);
        Adam opt = new Adam(net.parameters(), 0.05);
        double first = Double.NaN, loss = Double.NaN;
        for (int it = 0; it < 500; it++) {
            opt.zeroGrad();
            Tensor l = Losses.bceWithLogits(net.forward(x), y);
            l.backward();
            opt.step();
            loss = l.item();
            if (it == 0) first = loss;
        }
        System.out.printf("XOR: BCE-with-logits loss %.3g after 1 step, %.3g after 500 Adam steps%n", first, loss);
        assertTrue(loss < 0.01, "final loss " + loss);
        float[] p = net.forward(x).sigmoid().toFloatArray();
        assertTrue(p[0] < 0.1 && p[1] > 0.9 && p[2] > 0.9 && p[3] < 0.1, java.util.Arrays.toString(p));
    }

    @Test
    void aSmallRegressionFitsWithAScheduledAdam() {
        Generator gen = new Generator(7);
        Tensor x = Tensor.rand(gen, 64, 1).mul(6.0).sub(3.0);
        Tensor y = x.sin();
        Sequential net = Mlp.of(gen, 1, 32, 32, 1).activation(Tanh::new).build();
        Adam opt = new Adam(net.parameters(), 0.01);
        CosineAnnealingLR sched = new CosineAnnealingLR(opt, 1500, 1e-4);
        double loss = Double.NaN;
        for (int it = 0; it < 1500; it++) {
            opt.zeroGrad();
            Tensor l = Losses.mse(net.forward(x), y);
            l.backward();
            opt.step();
            sched.step();
            loss = l.item();
        }
        System.out.printf("sin regression: MSE %.3g after 1500 Adam steps%n", loss);
        assertTrue(loss < 1e-3, "final mse " + loss);
    }
}
