package dev.deepprob.examples;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Normal;

import java.util.List;

/**
 * Maximum likelihood of a distribution's parameters by gradient descent on the mean negative log-density, the
 * scale kept positive through its logarithm. The normal has a closed-form answer (the sample mean and the
 * uncorrected sample standard deviation), printed beside the fit so the two can be compared.
 */
public final class NormalMaximumLikelihood {
    private NormalMaximumLikelihood() {}

    public static void main(String[] args) {
        int n = 10_000;
        // README:begin normal-mle
        Generator gen = new Generator(3);
        Normal truth = new Normal(Tensor.scalar(DType.F64, 3), Tensor.scalar(DType.F64, 2));
        Tensor data = truth.sample(gen, n);                                      // (10000), F64

        Tensor loc = Tensor.scalar(DType.F64, 0).requiresGrad(true);
        Tensor logScale = Tensor.scalar(DType.F64, 0).requiresGrad(true);       // scale = exp(logScale) > 0
        Adam opt = new Adam(List.of(loc, logScale), 0.05);
        for (int step = 0; step < 1000; step++) {
            opt.zeroGrad();
            Tensor nll = new Normal(loc, logScale.exp()).logProb(data).mean().neg();
            nll.backward();
            opt.step();
        }
        // README:end normal-mle
        double mean = data.mean().item();
        double sd = data.sub(mean).square().mean().sqrt().item();
        System.out.printf("fitted loc %.4f, scale %.4f%n", loc.item(), Math.exp(logScale.item()));
        System.out.printf("closed form loc %.4f, scale %.4f (sample mean, uncorrected sample sd)%n", mean, sd);
        System.out.printf("fit minus closed form: loc %.1e, scale %.1e%n", loc.item() - mean, Math.exp(logScale.item()) - sd);
        System.out.printf("true loc 3, scale 2; n = %d%n", n);
    }
}
