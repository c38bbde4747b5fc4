package dev.deepprob.prob.infer;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.prob.NumbersAreF64;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.ExponentialLR;
import dev.deepprob.prob.MultivariateNormal;
import dev.deepprob.prob.Normal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.deepprob.prob.infer.LaplaceApproximationTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class SviTest {

    /**
     * Bayesian linear regression in 2-D (prior N(0, I), noise precision β): the posterior is a correlated Gaussian,
     * inside the family of a full-covariance q, so SVI must find it: mean within 0.05 posterior standard deviations,
     * standard deviations and correlation within a few percent.
     */
    @Test
    void recoversTheExactPosteriorOfAConjugateGaussianModel() {
        double beta = 4;
        Generator g = new Generator(21);
        int n = 30;
        Tensor x = Tensor.uniform(g, DType.F64, -1, 2, n);
        Tensor phi = Tensor.stack(List.of(Tensor.ones(DType.F64, n), x), 1);              // (n, 2): strongly correlated posterior
        Tensor y = x.mul(-0.8).add(0.5).add(Tensor.randn(g, DType.F64, n).mul(0.5));
        BayesianLinearRegression exact = BayesianLinearRegression.fit(phi, y, 1.0, beta);
        double[] m = exact.posteriorMean().toDoubleArray(), c = exact.posteriorCovariance().toDoubleArray();

        Function<Tensor, Tensor> logLik = w -> y.sub(phi.matmul(w)).square().sum().mul(-0.5 * beta);
        MultivariateNormal prior = MultivariateNormal.withScaleTril(Tensor.zeros(DType.F64, 2), Tensor.eye(DType.F64, 2));
        Elbo elbo = Elbo.builder(prior, logLik).particles(8).dataSize(n).build();

        Tensor loc = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        Tensor raw = Tensor.zeros(DType.F64, 2, 2).requiresGrad(true);     // strictly lower part free, diagonal through exp
        Adam adam = new Adam(List.of(loc, raw), 0.05);
        ExponentialLR sched = new ExponentialLR(adam, Math.pow(0.01, 1.0 / 3000));   // 0.05 down to 5e-4
        Svi<MultivariateNormal> svi = new Svi<>(List.of(loc, raw), adam,
                ps -> new MultivariateNormal(ps.get(0), null, null, scaleTril(ps.get(1)), false), elbo);
        int[] seen = {0};
        double[] hist = svi.run(3000, new Generator(5), (step, loss) -> {
            seen[0] = step;
            sched.step();
        });
        assertEquals(3000, seen[0]);
        assertEquals(3000, hist.length);
        assertEquals(3000, svi.stepsTaken());
        assertTrue(mean(hist, 2900, 3000) < mean(hist, 0, 100), "the loss goes down");

        MultivariateNormal q = svi.q();
        double[] qm = q.loc().toDoubleArray(), qc = q.covarianceMatrix().toDoubleArray();
        double[] sd = {Math.sqrt(c[0]), Math.sqrt(c[3])}, qsd = {Math.sqrt(qc[0]), Math.sqrt(qc[3])};
        for (int i = 0; i < 2; i++) {
            assertEquals(m[i], qm[i], 0.05 * sd[i], "mean " + i);
            assertEquals(sd[i], qsd[i], 0.05 * sd[i], "sd " + i);
        }
        double rho = c[1] / (sd[0] * sd[1]), qrho = qc[1] / (qsd[0] * qsd[1]);
        assertTrue(Math.abs(rho) > 0.5, "the test needs a correlated posterior, got rho " + rho);
        assertEquals(rho, qrho, 0.05, "correlation");
    }

    /** The normal mean with a factorised Normal q and the analytic KL of Normal || Normal. */
    @Test
    void recoversANormalMeanPosterior() {
        double[] y = Tensor.randn(new Generator(8), DType.F64, 20).add(1.0).toDoubleArray();
        Tensor yt = Tensor.of(DType.F64, y);
        double sum = 0;
        for (double v : y) sum += v;
        double postMean = sum / (y.length + 1), postSd = Math.sqrt(1.0 / (y.length + 1));
        Elbo elbo = Elbo.builder(new Normal(0.0, 1.0), w -> yt.sub(w).square().sum().mul(-0.5)).particles(16).build();
        Tensor m = Tensor.scalar(DType.F64, 0).requiresGrad(true), rho = Tensor.scalar(DType.F64, 0).requiresGrad(true);
        Adam adam = new Adam(List.of(m, rho), 0.02);
        ExponentialLR sched = new ExponentialLR(adam, Math.pow(0.02, 1.0 / 2000));
        Svi<Normal> svi = new Svi<>(List.of(m, rho), adam, ps -> new Normal(ps.get(0), ps.get(1).exp(), false), elbo);
        svi.run(2000, new Generator(1), (s, l) -> sched.step());
        assertEquals(postMean, svi.q().loc().item(), 0.05 * postSd);
        assertEquals(postSd, svi.q().scale().item(), 0.05 * postSd);
    }

    @Test
    void badInputSaysWhatIsWrong() {
        Tensor a = Tensor.zeros(DType.F64, 1).requiresGrad(true), b = Tensor.zeros(DType.F64, 1).requiresGrad(true);
        Elbo elbo = Elbo.of(new Normal(0.0, 1.0), w -> w.sum().mul(0));
        Function<List<Tensor>, Normal> guide = ps -> new Normal(ps.get(0), ps.get(0).exp());
        Adam onlyA = new Adam(List.of(a), 0.1);
        assertMessage(() -> new Svi<>(List.of(a, b), onlyA, guide, elbo),
                "Svi: parameter 1 (shape [1]) is not in the optimiser's parameter groups, so it would never be updated");
        assertMessage(() -> new Svi<>(List.of(a.mul(2)), onlyA, guide, elbo),
                "Svi: parameter 0 (shape [1]) must be a leaf tensor that requires grad, got the output of mul");
        assertMessage(() -> new Svi<>(List.of(), onlyA, guide, elbo), "Svi: expected at least one variational parameter");
        assertMessage(() -> new Svi<>(List.of(a), onlyA, null, elbo), "Svi: the q builder (guide) must not be null");
        Svi<Normal> svi = new Svi<>(List.of(a), onlyA, guide, elbo);
        assertMessage(() -> svi.run(-1, new Generator(1)), "Svi.run: steps must be >= 0, got -1");
        assertMessage(() -> svi.run(1, null), "Svi.run: generator must not be null");
        Elbo nan = Elbo.of(new Normal(0.0, 1.0), w -> w.sum().mul(Double.NaN));
        Svi<Normal> bad = new Svi<>(List.of(a), onlyA, guide, nan);
        assertMessage(() -> bad.run(3, new Generator(1)), "Svi: the loss is NaN at step 1");
    }

    /** Lower triangular with a positive (exp) diagonal from a free square matrix. */
    static Tensor scaleTril(Tensor raw) { return raw.tril(-1).add(raw.diagonal().exp().diagEmbed()); }

    static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }
}
