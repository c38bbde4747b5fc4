package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.SGD;
import dev.deepprob.prob.MultivariateNormal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaplaceApproximationTest {

    // ------------------------------------------------------------------ a Gaussian posterior: Laplace is exact

    /** y_i ~ N(mu, sigma²), mu ~ N(m0, s0²): the posterior of mu is normal with a closed form. */
    @Test
    void conjugateNormalMeanGivesTheExactPosterior() {
        double sigma = 0.7, m0 = 1.5, s0 = 2.0;
        int n = 25;
        double[] y = Tensor.randn(new Generator(3), DType.F64, n).mul(sigma).add(0.4).toDoubleArray();
        Tensor yt = Tensor.of(DType.F64, y);
        Function<Tensor, Tensor> logJoint = mu -> {
            Tensor lik = yt.sub(mu).square().sum().mul(-0.5 / (sigma * sigma));
            Tensor prior = mu.sub(m0).square().sum().mul(-0.5 / (s0 * s0));
            return lik.add(prior);
        };
        double sum = 0;
        for (double v : y) sum += v;
        double prec = 1 / (s0 * s0) + n / (sigma * sigma);
        double mean = (m0 / (s0 * s0) + sum / (sigma * sigma)) / prec;

        LaplaceApproximation newton = LaplaceApproximation.fit(logJoint, Tensor.zeros(DType.F64, 1)).run();
        assertEquals(mean, newton.mode().item(), 1e-12);
        assertEquals(prec, newton.precision().item(), 1e-9 * prec);
        assertEquals(1 / prec, newton.covariance().item(), 1e-9 / prec);
        assertEquals(LaplaceApproximation.PrecisionSource.AUTOGRAD, newton.precisionSource());
        assertTrue(newton.newtonSteps() >= 1 && newton.newtonSteps() <= 3, "a quadratic log joint takes one Newton step, took "
                + newton.newtonSteps());
        assertTrue(newton.gradientNormAtMode() < 1e-9);

        LaplaceApproximation adam = LaplaceApproximation.fit(logJoint, Tensor.zeros(DType.F64, 1)).optimizer(ps -> new Adam(ps, 0.05), 3000).run();
        assertEquals(mean, adam.mode().item(), 1e-4);
        assertEquals(prec, adam.precision().item(), 1e-9 * prec, "the Hessian of a quadratic is the same everywhere");
        assertEquals(3000, adam.history().length);
        assertEquals(3000, adam.optimizerSteps());
        assertEquals(0, adam.newtonSteps());
        double[] h = adam.history();
        assertTrue(h[h.length - 1] < h[0], "the negative log joint decreases");

        MultivariateNormal post = newton.posterior();
        assertEquals(mean, post.loc().item(), 1e-12);
        assertEquals(1 / prec, post.covarianceMatrix().item(), 1e-9 / prec);
    }

    /**
     * Bayesian linear regression (a Gaussian posterior in 4 dimensions, correlated): the Laplace approximation equals
     * the conjugate posterior of {@link BayesianLinearRegression}, mean, precision and evidence.
     */
    @Test
    void bayesianLinearRegressionPosteriorAndEvidenceAreExact() {
        double alpha = 1, beta = 2.5;
        Generator g = new Generator(11);
        Tensor x = Tensor.uniform(g, DType.F64, -3, 5, 40);
        Tensor y = x.pow(3).mul(0.1).sub(x.mul(3)).add(2).add(Tensor.randn(g, DType.F64, 40).mul(0.3));
        Function<Tensor, Tensor> basis = BayesianLinearRegression.polynomialBasis(3);
        Tensor phi = basis.apply(x);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(phi, y, alpha, beta);
        int n = 40, d = 4;
        Function<Tensor, Tensor> logJoint = w -> {
            Tensor r = y.sub(phi.matmul(w));
            double c = 0.5 * n * Math.log(beta / (2 * Math.PI)) + 0.5 * d * Math.log(alpha / (2 * Math.PI));
            return r.square().sum().mul(-0.5 * beta).add(w.square().sum().mul(-0.5 * alpha)).add(c);
        };
        LaplaceApproximation lap = LaplaceApproximation.fit(logJoint, Tensor.zeros(DType.F64, d)).run();
        assertTrue(relErr(lap.mode().toDoubleArray(), blr.posteriorMean().toDoubleArray()) < 1e-9);
        assertTrue(relErr(lap.precision().toDoubleArray(), blr.posteriorPrecision().toDoubleArray()) < 1e-9);
        assertTrue(relErr(lap.covariance().toDoubleArray(), blr.posteriorCovariance().toDoubleArray()) < 1e-8);
        assertEquals(blr.logEvidence().item(), lap.logEvidence(), 1e-8, "the Laplace evidence of a Gaussian model is exact");
        double[] sd = lap.marginalStd();
        double[] cov = blr.posteriorCovariance().toDoubleArray();
        for (int i = 0; i < d; i++) assertEquals(Math.sqrt(cov[i * d + i]), sd[i], 1e-9 * Math.sqrt(cov[i * d + i]));
    }

    // ------------------------------------------------------------------ logistic regression: autograd vs analytic Hessian

    record Logistic(Tensor x, Tensor y, double priorPrecision) {
        Tensor logJoint(Tensor w) {
            Tensor logits = x.matmul(w);
            // log σ(z) for y = 1 and log σ(-z) for y = 0: y z - softplus(z)
            Tensor lik = y.mul(logits).sub(logits.softplus()).sum();
            return lik.sub(w.square().sum().mul(0.5 * priorPrecision));
        }

        /** α I + Xᵀ diag(s(1 - s)) X, s = σ(Xw). */
        Tensor precision(Tensor w) {
            Tensor s = x.matmul(w).sigmoid();
            Tensor r = s.mul(s.rsub(1));
            return x.t().matmul(x.mul(r.unsqueeze(1))).add(Tensor.eye(x.dtype(), x.shape(1)).mul(priorPrecision));
        }
    }

    static Logistic logistic(long seed, int n) {
        Generator g = new Generator(seed);
        Tensor feats = Tensor.randn(g, DType.F64, n, 2).mul(2);
        Tensor x = Tensor.cat(List.of(Tensor.ones(DType.F64, n, 1), feats), 1);
        double[] w = {0.3, 1.5, -2.0};
        Tensor p = x.matmul(Tensor.of(DType.F64, w)).sigmoid();
        Tensor y = Tensor.of(Tensor.rand(g, DType.F64, n).lt(p).data().to(DType.F64));
        return new Logistic(x, y, 1.0);
    }

    @Test
    void autogradHessianEqualsTheAnalyticOneForLogisticRegression() {
        Logistic m = logistic(5, 500);
        for (long seed = 0; seed < 3; seed++) {
            Tensor w = Tensor.randn(new Generator(seed), DType.F64, 3);
            Tensor auto = LaplaceApproximation.autogradPrecision(m::logJoint, w);
            Tensor analytic = m.precision(w);
            double err = relErr(auto.toDoubleArray(), analytic.toDoubleArray());
            assertTrue(err < 1e-6, "relative error " + err);
            assertTrue(err < 1e-12, "in F64 the two agree to rounding, got " + err);
        }
        // the whole fit: same mode and precision either way, and Newton agrees with Adam
        LaplaceApproximation a = LaplaceApproximation.fit(m::logJoint, Tensor.zeros(DType.F64, 3)).run();
        LaplaceApproximation b = LaplaceApproximation.fit(m::logJoint, Tensor.zeros(DType.F64, 3)).precision(m::precision).run();
        assertEquals(LaplaceApproximation.PrecisionSource.ANALYTIC, b.precisionSource());
        assertTrue(relErr(a.mode().toDoubleArray(), b.mode().toDoubleArray()) < 1e-10);
        assertTrue(relErr(a.precision().toDoubleArray(), b.precision().toDoubleArray()) < 1e-10);
        LaplaceApproximation c = LaplaceApproximation.fit(m::logJoint, Tensor.zeros(DType.F64, 3)).optimizer(ps -> new Adam(ps, 0.05), 2000).run();
        assertTrue(relErr(c.mode().toDoubleArray(), a.mode().toDoubleArray()) < 1e-3, "Adam's mode " + c + " vs Newton's " + a);
        assertTrue(a.gradientNormAtMode() < 1e-8);
        // the optimiser then Newton: polished to the same mode
        LaplaceApproximation d = LaplaceApproximation.fit(m::logJoint, Tensor.zeros(DType.F64, 3)).optimizer(ps -> new Adam(ps, 0.05), 200).newton(50, 1e-12).run();
        assertTrue(relErr(d.mode().toDoubleArray(), a.mode().toDoubleArray()) < 1e-9);
        assertEquals(200, d.optimizerSteps());
        assertTrue(d.newtonSteps() >= 1);
        assertEquals(200 + d.newtonSteps(), d.history().length);
    }

    @Test
    void atModeUsesTheGivenPointAndListenerSeesEveryStep() {
        Logistic m = logistic(8, 200);
        Tensor w = Tensor.of(DType.F64, new double[]{0.1, 1.0, -1.0});
        LaplaceApproximation l = LaplaceApproximation.atMode(m::logJoint, w, m::precision);
        assertArrayEquals(w.toDoubleArray(), l.mode().toDoubleArray(), 0);
        assertTrue(relErr(l.precision().toDoubleArray(), m.precision(w).toDoubleArray()) < 1e-14);
        assertTrue(l.gradientNormAtMode() > 0);
        int[] calls = {0};
        LaplaceApproximation.fit(m::logJoint, Tensor.zeros(DType.F64, 3)).optimizer(ps -> new SGD(ps, 1e-3), 10)
                .listener((step, v) -> assertEquals(++calls[0], step)).run();
        assertEquals(10, calls[0]);
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputSaysWhatIsWrong() {
        Logistic m = logistic(5, 50);
        Tensor w0 = Tensor.zeros(DType.F64, 3);
        assertMessage(() -> LaplaceApproximation.fit(null, w0), "LaplaceApproximation.fit: logJoint must not be null");
        assertMessage(() -> LaplaceApproximation.fit(m::logJoint, Tensor.zeros(DType.F64, 3, 1)), "LaplaceApproximation.fit: init must be a non-empty vector (d), got shape [3, 1]");
        assertMessage(() -> LaplaceApproximation.fit(m::logJoint, Tensor.of(DType.F64, new double[]{0, Double.NaN, 0})), "LaplaceApproximation.fit: init must be finite");
        assertMessage(() -> LaplaceApproximation.fit(m::logJoint, Tensor.zeros(DType.I64, 3)), "LaplaceApproximation.fit: init must be F32 or F64, got I64");
        assertMessage(() -> LaplaceApproximation.fit(w -> m.x().matmul(w), w0).run(), "the log joint must return a scalar, got shape [50]");
        assertMessage(() -> LaplaceApproximation.fit(m::logJoint, w0).optimizer(ps -> new Adam(ps), 0), "LaplaceApproximation.optimizer: steps must be >= 1, got 0");
        assertMessage(() -> LaplaceApproximation.fit(m::logJoint, w0).newton(10, -1), "LaplaceApproximation.newton: tolerance must be finite and > 0, got -1.0");
        assertMessage(() -> LaplaceApproximation.fit(m::logJoint, w0).optimizer(ps -> new Adam(List.of(Tensor.zeros(DType.F64, 3).requiresGrad(true))), 5).run(),
                "does not update the parameter vector");
        // a minimum, not a maximum: the "precision" is negative definite
        assertMessage(() -> LaplaceApproximation.atMode(w -> w.square().sum(), w0), "the precision (negative Hessian of the log joint) is not positive definite");
        assertMessage(() -> LaplaceApproximation.atMode(m::logJoint, w0, w -> Tensor.eye(DType.F64, 2)),
                "the precision function must return a (3, 3) matrix for w of shape [3], got shape [2, 2]");
        assertMessage(() -> LaplaceApproximation.atMode(m::logJoint, w0, w -> Tensor.of(DType.F64, new double[]{2, 1, 0, 0, 2, 0, 0, 0, 2}, 3, 3)),
                "the precision must be symmetric, got 1.0 at [0, 1] but 0.0 at [1, 0]");
        assertMessage(() -> LaplaceApproximation.atMode(m::logJoint, w0, w -> Tensor.eye(DType.F32, 3)), "the precision function must return F64 like w, got F32");
        assertMessage(() -> LaplaceApproximation.atMode(w -> Tensor.scalar(DType.F64, 1.0), w0), "the log joint does not depend on w");
        assertMessage(() -> LaplaceApproximation.fit(w -> w.sum().mul(Double.NaN), w0).optimizer(ps -> new Adam(ps), 3).run(),
                "the negative log joint is NaN at optimiser step 1");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        try {
            e.execute();
            throw new AssertionError("expected an exception containing: " + part);
        } catch (IllegalArgumentException | IllegalStateException x) {
            assertTrue(x.getMessage().contains(part), "message '" + x.getMessage() + "' lacks '" + part + "'");
        } catch (Throwable t) {
            throw new AssertionError("unexpected " + t, t);
        }
    }

    static double relErr(double[] got, double[] want) {
        double num = 0, den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }
}
