package dev.deepprob.examples;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.ExponentialLR;
import dev.deepprob.prob.Normal;
import dev.deepprob.prob.infer.Elbo;
import dev.deepprob.prob.infer.Svi;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Stochastic variational inference on a model whose posterior is known exactly: the mean of normal data with known
 * noise under a normal prior. q = N(loc, exp(rawScale)) is fitted by {@link Svi} on the ELBO (analytic KL, one
 * reparameterised sample per step, a decaying step size) and printed beside the conjugate posterior (Bishop 2006,
 * eq. 2.141-2.142), so the fit can be checked. Named after the model, as {@code Svi} is the class it uses.
 */
public final class SviNormalMean {
    private SviNormalMean() {}

    public static void main(String[] args) {
        int n = 50;
        double priorSd = 10, noiseSd = 1;
        // README:begin svi
        Generator gen = new Generator(5);
        Tensor data = new Normal(Tensor.scalar(DType.F64, 1.5), Tensor.scalar(DType.F64, noiseSd)).sample(gen, n);
        Normal prior = new Normal(Tensor.scalar(DType.F64, 0), Tensor.scalar(DType.F64, priorSd));
        Function<Tensor, Tensor> logLikelihood =                                 // log p(data | theta), summed
                theta -> new Normal(theta, Tensor.scalar(DType.F64, noiseSd)).logProb(data).sum();

        Tensor loc = Tensor.scalar(DType.F64, 0).requiresGrad(true);
        Tensor rawScale = Tensor.scalar(DType.F64, 0).requiresGrad(true);       // q's scale = exp(rawScale)
        Adam opt = new Adam(List.of(loc, rawScale), 0.05);
        ExponentialLR decay = new ExponentialLR(opt, 0.999);
        Svi<Normal> svi = new Svi<>(List.of(loc, rawScale), opt, ps -> new Normal(ps.get(0), ps.get(1).exp()),
                Elbo.builder(prior, logLikelihood).dataSize(n).build());          // loss per data point
        double[] losses = svi.run(4000, gen, (step, loss) -> decay.step());
        Normal q = svi.q();
        // README:end svi

        // the exact posterior: precision 1/priorSd² + n/noiseSd², mean (Σx/noiseSd²)/precision
        double precision = 1 / (priorSd * priorSd) + n / (noiseSd * noiseSd);
        double postMean = data.sum().item() / (noiseSd * noiseSd) / precision, postSd = 1 / Math.sqrt(precision);
        System.out.printf("loss: mean of the first 100 steps %.4f, of the last 100 %.4f%n",
                Arrays.stream(losses, 0, 100).average().orElseThrow(), Arrays.stream(losses, 3900, 4000).average().orElseThrow());
        System.out.printf("q: loc %.4f, scale %.4f%n", q.loc().item(), q.scale().item());
        System.out.printf("exact posterior: mean %.4f, sd %.4f%n", postMean, postSd);
        System.out.printf("q's loc off by %.3f posterior sd, q's scale / posterior sd = %.3f%n",
                Math.abs(q.loc().item() - postMean) / postSd, q.scale().item() / postSd);
    }
}
