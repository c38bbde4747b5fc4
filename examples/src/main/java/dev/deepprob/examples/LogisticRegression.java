package dev.deepprob.examples;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.Linear;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.Reduction;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.prob.Bernoulli;

import java.util.List;

/**
 * Logistic regression as a first model: labels drawn from a known model, a {@link Linear} layer fitted by Adam on
 * BCE with logits, and the standard errors of the fit from the Hessian of the summed loss (the observed Fisher
 * information), so the fit can be held against the truth with an error bar.
 */
public final class LogisticRegression {
    private LogisticRegression() {}

    public static void main(String[] args) {
        // README:begin logistic-regression
        Generator gen = new Generator(7);
        int n = 2000;
        Tensor x = Tensor.randn(gen, DType.F64, n, 2);
        Tensor trueW = Tensor.of(DType.F64, new double[]{2, -1}, 2, 1);
        Tensor y = Bernoulli.fromLogits(x.matmul(trueW).add(0.5)).sample(gen);     // true bias 0.5; labels 0/1, (n, 1)

        Linear model = new Linear(2, 1, true, DType.F64, gen);
        Adam opt = new Adam(model.parameters(), 0.05);
        double first = 0, last = 0;
        for (int step = 0; step < 300; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.bceWithLogits(model.forward(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        // README:end logistic-regression
        double[] w = model.weight().data().toDoubleArray();
        double b = model.bias().orElseThrow().data().item();

        // standard errors: the inverse of the Hessian of the summed loss in (w1, w2, b) at the fit
        Tensor design = Tensor.cat(List.of(x, Tensor.ones(DType.F64, n, 1)), 1);
        Tensor theta = Tensor.of(DType.F64, new double[]{w[0], w[1], b}, 3, 1);
        Tensor hessian = Autograd.hessian(t -> Losses.bceWithLogits(design.matmul(t), y, Reduction.SUM), theta).reshape(3, 3);
        double[] cov = hessian.inverse().diagonal().toDoubleArray();
        Tensor thetaGrad = theta.requiresGrad(true);
        double gradNorm = Autograd.grad(Losses.bceWithLogits(design.matmul(thetaGrad), y), List.of(thetaGrad), false)
                .getFirst().square().sum().sqrt().item();
        double accuracy;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            accuracy = model.forward(x).gt(0).data().to(DType.F64).eq(y.data()).to(DType.F64).mean().item();
        }
        System.out.printf("loss %.4f -> %.4f after 300 Adam steps%n", first, last);
        System.out.printf("gradient norm of the mean loss at the fit %.1e%n", gradNorm);
        System.out.printf("w1 %.3f ± %.3f (true 2)%n", w[0], Math.sqrt(cov[0]));
        System.out.printf("w2 %.3f ± %.3f (true -1)%n", w[1], Math.sqrt(cov[1]));
        System.out.printf("b %.3f ± %.3f (true 0.5)%n", b, Math.sqrt(cov[2]));
        System.out.printf("training accuracy %.3f%n", accuracy);
    }
}
