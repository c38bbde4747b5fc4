package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.prob.MultivariateNormal;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BayesianLinearRegressionTest {
    static final double ALPHA = 1.0, BETA = 1 / 0.4;

    /** 40 points of the tutorial's cubic, x ~ U(-3, 5), noise sd 0.3. */
    record Data(double[] x, double[] y) {}

    static Data cubic(long seed, int n) {
        Generator g = new Generator(seed);
        double[] x = Tensor.uniform(g, DType.F64, -3, 5, n).toDoubleArray();
        double[] e = Tensor.randn(g, DType.F64, n).toDoubleArray();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = 0.1 * x[i] * x[i] * x[i] - 3 * x[i] + 2 + 0.3 * e[i];
        return new Data(x, y);
    }

    static double[][] design(double[] x, int d) {
        double[][] p = new double[x.length][d];
        for (int i = 0; i < x.length; i++) {
            double v = 1;
            for (int j = 0; j < d; j++) {
                p[i][j] = v;
                v *= x[i];
            }
        }
        return p;
    }

    static Tensor tensor(double[][] a) {
        int r = a.length, c = a[0].length;
        double[] flat = new double[r * c];
        for (int i = 0; i < r; i++) System.arraycopy(a[i], 0, flat, i * c, c);
        return Tensor.of(DType.F64, flat, r, c);
    }

    // ------------------------------------------------------------------ an independent reference: plain doubles

    /** Solves A X = B by Gauss-Jordan elimination with partial pivoting (A (n, n), B (n, k)); copies both. */
    static double[][] gaussJordan(double[][] a0, double[][] b0) {
        int n = a0.length, k = b0[0].length;
        double[][] a = new double[n][], b = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
            b[i] = b0[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            t = b[c]; b[c] = b[piv]; b[piv] = t;
            double inv = 1 / a[c][c];
            for (int j = 0; j < n; j++) a[c][j] *= inv;
            for (int j = 0; j < k; j++) b[c][j] *= inv;
            for (int r = 0; r < n; r++) {
                if (r == c || a[r][c] == 0) continue;
                double f = a[r][c];
                for (int j = 0; j < n; j++) a[r][j] -= f * a[c][j];
                for (int j = 0; j < k; j++) b[r][j] -= f * b[c][j];
            }
        }
        return b;
    }

    /** The normal-equations solution: (α/β I + ΦᵀΦ) m = Φᵀy, and S = (αI + βΦᵀΦ)⁻¹. */
    record Reference(double[] mean, double[][] cov) {}

    static Reference reference(double[][] phi, double[] y, double alpha, double beta) {
        int n = phi.length, d = phi[0].length;
        double[][] gram = new double[d][d], prec = new double[d][d], eye = new double[d][d], rhs = new double[d][1];
        for (int i = 0; i < d; i++) {
            eye[i][i] = 1;
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int r = 0; r < n; r++) s += phi[r][i] * phi[r][j];
                gram[i][j] = s + (i == j ? alpha / beta : 0);
                prec[i][j] = beta * s + (i == j ? alpha : 0);
            }
            double s = 0;
            for (int r = 0; r < n; r++) s += phi[r][i] * y[r];
            rhs[i][0] = s;
        }
        double[][] m = gaussJordan(gram, rhs);
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) mean[i] = m[i][0];
        return new Reference(mean, gaussJordan(prec, eye));
    }

    static double relErr(double[] got, double[] want) {
        double num = 0, den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }

    static double[] flat(double[][] a) {
        int c = a[0].length;
        double[] f = new double[a.length * c];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, f, i * c, c);
        return f;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void posteriorMatchesNormalEquations() {
        Data data = cubic(7, 40);
        double[][] phi = design(data.x(), 4);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(tensor(phi), Tensor.of(DType.F64, data.y()), ALPHA, BETA);
        Reference ref = reference(phi, data.y(), ALPHA, BETA);
        assertEquals(4, blr.dimension());
        assertEquals(40, blr.size());
        // Both solves are backward stable, so each is accurate to about cond·eps: the matrices αI + βΦᵀΦ and α/β I + ΦᵀΦ of
        // this data have condition number 4.2e3 (numpy.linalg.cond), cond·eps = 9.3e-13; 1e-11 allows 10x that. Measured:
        // 4.3e-16 (mean) and 2.0e-15 (covariance); seeds 1-5 of the same data, 5.2e-16 to 3.8e-15.
        assertTrue(relErr(blr.posteriorMean().toDoubleArray(), ref.mean()) < 1e-11, "mean");
        assertTrue(relErr(blr.posteriorCovariance().toDoubleArray(), flat(ref.cov())) < 1e-11, "covariance");
        // the data were drawn from w = (2, -3, 0, 0.1): the posterior mean is close
        double[] m = blr.posteriorMean().toDoubleArray();
        assertEquals(2, m[0], 0.5);
        assertEquals(-3, m[1], 0.3);
        assertEquals(0.1, m[3], 0.05);
    }

    @Test
    void otherBasesAndSizes() {
        // a Gaussian-bump basis with 9 functions and only 5 points: d > n still has a proper posterior
        Generator g = new Generator(3);
        double[] x = Tensor.uniform(g, DType.F64, -1, 1, 5).toDoubleArray();
        double[] y = Tensor.randn(g, DType.F64, 5).toDoubleArray();
        double[][] phi = new double[5][9];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 9; j++) phi[i][j] = Math.exp(-Math.pow(x[i] - (-1 + j * 0.25), 2) / 0.1);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(tensor(phi), Tensor.of(DType.F64, y, 5, 1), 0.5, 3.0);
        Reference ref = reference(phi, y, 0.5, 3.0);
        // condition number 21 (numpy.linalg.cond): cond·eps = 4.7e-15, and 1e-13 allows 20x that; measured 9.7e-16 and 6.2e-16
        assertTrue(relErr(blr.posteriorMean().toDoubleArray(), ref.mean()) < 1e-13);
        assertTrue(relErr(blr.posteriorCovariance().toDoubleArray(), flat(ref.cov())) < 1e-13);
    }

    @Test
    void basisFunctionFitEqualsDesignMatrixFit() {
        Data data = cubic(11, 30);
        Function<Tensor, Tensor> basis = BayesianLinearRegression.polynomialBasis(3);
        BayesianLinearRegression a = BayesianLinearRegression.fit(basis, Tensor.of(DType.F64, data.x()), Tensor.of(DType.F64, data.y()), ALPHA, BETA);
        BayesianLinearRegression b = BayesianLinearRegression.fit(tensor(design(data.x(), 4)), Tensor.of(DType.F64, data.y()), ALPHA, BETA);
        assertTrue(relErr(a.posteriorMean().toDoubleArray(), b.posteriorMean().toDoubleArray()) < 1e-12);
        Tensor xs = Tensor.of(DType.F64, new double[]{-2, 0, 4.5, 6});
        var pa = a.predictAt(xs);
        var pb = b.predict(basis.apply(xs));
        assertTrue(relErr(pa.mean().toDoubleArray(), pb.mean().toDoubleArray()) < 1e-12);
        assertTrue(relErr(pa.variance().toDoubleArray(), pb.variance().toDoubleArray()) < 1e-12);
    }

    @Test
    void predictiveMatchesClosedFormAndGrowsOutsideTheData() {
        Data data = cubic(5, 40);
        double[][] phi = design(data.x(), 4);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(tensor(phi), Tensor.of(DType.F64, data.y()), ALPHA, BETA);
        Reference ref = reference(phi, data.y(), ALPHA, BETA);
        double[] xs = {-5, -3, -1, 0, 1, 2.5, 4, 5, 6, 8};
        double[][] ps = design(xs, 4);
        var pred = blr.predict(tensor(ps));
        double[] mean = pred.mean().toDoubleArray(), var = pred.variance().toDoubleArray(), sd = pred.std().toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double mu = 0, v = 1 / BETA;
            for (int a = 0; a < 4; a++) {
                mu += ref.mean()[a] * ps[i][a];
                for (int b = 0; b < 4; b++) v += ps[i][a] * ref.cov()[a][b] * ps[i][b];
            }
            assertEquals(mu, mean[i], 1e-9 * Math.max(1, Math.abs(mu)));
            assertEquals(v, var[i], 1e-9 * v);
            assertTrue(var[i] >= 1 / BETA, "predictive variance is at least the noise");
        }
        // inside the data (x in [-1, 4]) the std is small; outside (x = -5, 6, 8) it is larger, and grows further out
        double inside = Math.max(Math.max(sd[2], sd[3]), Math.max(sd[4], Math.max(sd[5], sd[6])));
        assertTrue(sd[0] > inside && sd[8] > inside && sd[9] > inside, "outside " + sd[0] + ", " + sd[8] + " vs inside " + inside);
        assertTrue(sd[9] > sd[8] && sd[8] > sd[7], "std grows to the right of the data");
        double[] epi = pred.epistemicVariance(BETA).toDoubleArray();
        assertEquals(var[3] - 1 / BETA, epi[3], 1e-12);
    }

    @Test
    void posteriorDistributionAndSamples() {
        Data data = cubic(9, 40);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(tensor(design(data.x(), 4)), Tensor.of(DType.F64, data.y()), ALPHA, BETA);
        MultivariateNormal post = blr.posterior();
        assertTrue(relErr(post.mean().toDoubleArray(), blr.posteriorMean().toDoubleArray()) < 1e-12);
        assertTrue(relErr(post.covarianceMatrix().toDoubleArray(), blr.posteriorCovariance().toDoubleArray()) < 1e-8);
        int n = 20000;
        Tensor w = blr.sampleWeights(new Generator(1), n);
        assertEquals(n, w.shape(0));
        assertEquals(4, w.shape(1));
        double[] m = blr.posteriorMean().toDoubleArray();
        double[] sdev = blr.posteriorCovariance().diagonal().sqrt().toDoubleArray();
        double[] sampleMean = w.mean(0).toDoubleArray();
        double[] sampleSd = w.std(new int[]{0}, 1, false).toDoubleArray();
        for (int j = 0; j < 4; j++) {
            // 5 standard errors of the mean and of the sd
            assertEquals(m[j], sampleMean[j], 5 * sdev[j] / Math.sqrt(n), "mean " + j);
            assertEquals(sdev[j], sampleSd[j], 5 * sdev[j] / Math.sqrt(2.0 * n), "sd " + j);
        }
        // the same seed gives the same draws
        assertEquals(w.toDoubleArray()[17], blr.sampleWeights(new Generator(1), n).toDoubleArray()[17]);
    }

    @Test
    void evidenceIsTheMarginalDensityOfTheTargets() {
        // y ~ N(0, β⁻¹ I + α⁻¹ ΦΦᵀ) when w is integrated out (Bishop eq. 3.85-3.86)
        Data data = cubic(13, 25);
        double[][] phi = design(data.x(), 4);
        Tensor phiT = tensor(phi);
        Tensor y = Tensor.of(DType.F64, data.y()).requiresGrad(true);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(phiT, y, ALPHA, BETA);
        Tensor c = phiT.matmul(phiT.t()).div(ALPHA).add(Tensor.eye(DType.F64, 25).div(BETA));
        MultivariateNormal marginal = MultivariateNormal.withCovariance(Tensor.zeros(DType.F64, 25), c);
        double want = marginal.logProb(y.detach()).item();
        Tensor ev = blr.logEvidence();
        assertEquals(want, ev.item(), 1e-9 * Math.abs(want));
        // and it is differentiable in y: d/dy log N(y; 0, C) = -C⁻¹ y
        ev.backward();
        double[] g = y.grad().toDoubleArray();
        double[] cy = c.solve(y.detach()).toDoubleArray();
        for (int i = 0; i < 25; i++) assertEquals(-cy[i], g[i], 1e-8 * Math.max(1, Math.abs(cy[i])));
    }

    @Test
    void float32Works() {
        Data data = cubic(2, 40);
        double[][] phi = design(data.x(), 4);
        Tensor p32 = tensor(phi).to(DType.F32), y32 = Tensor.of(DType.F64, data.y()).to(DType.F32);
        BayesianLinearRegression blr = BayesianLinearRegression.fit(p32, y32, ALPHA, BETA);
        assertEquals(DType.F32, blr.posteriorMean().dtype());
        assertTrue(relErr(blr.posteriorMean().toDoubleArray(), reference(phi, data.y(), ALPHA, BETA).mean()) < 1e-3);
    }

    // ------------------------------------------------------------------ bad input

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        Tensor phi = tensor(design(new double[]{0, 1, 2}, 2));
        Tensor y = Tensor.of(DType.F64, new double[]{1, 2, 3});
        assertEquals("BayesianLinearRegression: alpha (prior precision) must be finite and > 0, got -1.0",
                message(() -> BayesianLinearRegression.fit(phi, y, -1, 1)));
        assertEquals("BayesianLinearRegression: alpha (prior precision) must be finite and > 0, got 0.0",
                message(() -> BayesianLinearRegression.fit(phi, y, 0, 1)));
        assertEquals("BayesianLinearRegression: beta (noise precision) must be finite and > 0, got NaN",
                message(() -> BayesianLinearRegression.fit(phi, y, 1, Double.NaN)));
        assertEquals("BayesianLinearRegression: beta (noise precision) must be finite and > 0, got Infinity",
                message(() -> BayesianLinearRegression.fit(phi, y, 1, Double.POSITIVE_INFINITY)));
        assertEquals("BayesianLinearRegression.fit: design matrix phi must be 2-D (n, d), got shape [3]",
                message(() -> BayesianLinearRegression.fit(y, y, 1, 1)));
        assertEquals("BayesianLinearRegression.fit: targets y must have shape (3) or (3, 1) to match phi [3, 2], got [2]",
                message(() -> BayesianLinearRegression.fit(phi, Tensor.of(DType.F64, new double[]{1, 2}), 1, 1)));
        assertEquals("BayesianLinearRegression.fit: y must have phi's dtype F64, got F32",
                message(() -> BayesianLinearRegression.fit(phi, y.to(DType.F32), 1, 1)));
        assertEquals("BayesianLinearRegression.fit: design matrix phi must not be null",
                message(() -> BayesianLinearRegression.fit((Tensor) null, y, 1, 1)));
        assertEquals("BayesianLinearRegression.fit: y must be finite, got NaN at [1]",
                message(() -> BayesianLinearRegression.fit(phi, Tensor.of(DType.F64, new double[]{1, Double.NaN, 3}), 1, 1)));
        assertEquals("BayesianLinearRegression.fit: phi must be finite, got Infinity at [2, 1]",
                message(() -> BayesianLinearRegression.fit(Tensor.of(DType.F64, new double[]{1, 0, 1, 1, 1, Double.POSITIVE_INFINITY}, 3, 2), y, 1, 1)));
        assertEquals("BayesianLinearRegression.fit: design matrix phi must be F32 or F64, got I64",
                message(() -> BayesianLinearRegression.fit(Tensor.of(dev.deepprob.engine.NDArray.of(new long[]{1, 2, 3, 4, 5, 6}, 3, 2)), y, 1, 1)));

        BayesianLinearRegression blr = BayesianLinearRegression.fit(phi, y, 1, 1);
        assertEquals("BayesianLinearRegression.predict: design matrix must have shape (m, 2) like the training design, got [4, 3]",
                message(() -> blr.predict(Tensor.zeros(DType.F64, 4, 3))));
        assertEquals("BayesianLinearRegression.predict: phiStar must have dtype F64, got F32",
                message(() -> blr.predict(Tensor.zeros(DType.F32, 4, 2))));
        assertEquals("BayesianLinearRegression.sampleWeights: n must be >= 0, got -2",
                message(() -> blr.sampleWeights(new Generator(0), -2)));
        assertEquals("BayesianLinearRegression.functionValues: weights must have shape (k, 2), got [5, 3]",
                message(() -> blr.functionValues(Tensor.zeros(DType.F64, 5, 3), phi)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> blr.predictAt(Tensor.zeros(DType.F64, 2)));
        assertTrue(e.getMessage().contains("fitted on a design matrix"), e.getMessage());

        Function<Tensor, Tensor> bad = x -> x;   // returns (n), not (n, d)
        assertEquals("BayesianLinearRegression.fit: the basis function must map inputs of shape [3] to a design matrix (n, d) with n = 3, got shape [3]",
                message(() -> BayesianLinearRegression.fit(bad, y, y, 1, 1)));
        assertEquals("BayesianLinearRegression.polynomialBasis: degree must be >= 0, got -1",
                message(() -> BayesianLinearRegression.polynomialBasis(-1)));
        assertEquals("BayesianLinearRegression.polynomialBasis: x must have shape (n) or (n, 1), got [3, 2]",
                message(() -> BayesianLinearRegression.polynomialBasis(2).apply(phi)));
    }
}
