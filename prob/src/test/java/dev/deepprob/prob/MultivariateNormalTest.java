package dev.deepprob.prob;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MultivariateNormalTest {

    // ------------------------------------------------------------------ helpers shared by the multivariate tests

    private static Map<String, Tensor> reference;

    /** The arrays of src/test/resources/scipy_mvn_reference.txt (written by src/test/python/scipy_mvn_reference.py). */
    static synchronized Map<String, Tensor> reference() {
        if (reference != null) return reference;
        Map<String, Tensor> m = new HashMap<>();
        try (var in = MultivariateNormalTest.class.getResourceAsStream("/scipy_mvn_reference.txt")) {
            assertNotNull(in, "scipy_mvn_reference.txt is missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] halves = line.split(" : ");
                String[] head = halves[0].trim().split(" ");
                int[] shape = new int[head.length - 2];
                for (int i = 2; i < head.length; i++) shape[i - 2] = Integer.parseInt(head[i]);
                String[] vs = halves[1].trim().split(" ");
                double[] v = new double[vs.length];
                for (int i = 0; i < vs.length; i++) v[i] = Double.parseDouble(vs[i]);
                m.put(head[0], Tensor.of(DType.F64, v, shape));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        reference = m;
        return m;
    }

    static Tensor ref(String name) {
        Tensor t = reference().get(name);
        assertNotNull(t, "no reference array " + name);
        return t;
    }

    /** The largest |a - b| (shapes must match), asserting it is at most tol. */
    static double assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.dims(), actual.dims(), what + ": shape");
        double[] e = expected.to(DType.F64).toDoubleArray(), a = actual.to(DType.F64).toDoubleArray();
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= tol)) fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + " (|diff| " + d + " > " + tol + ")");
            max = Math.max(max, d);
        }
        return max;
    }

    static void assertThrowsWith(String fragment, Runnable r) {
        Throwable e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    static final GradCheck.Options GRAD = new GradCheck.Options(1e-6, 1e-6, 1e-5);

    /** Prints a measured error so the test log records it. */
    static void report(String what, double err) { System.out.printf("  max |err| %-52s %.3e%n", what, err); }

    // ------------------------------------------------------------------ against SciPy

    @Test
    void logProbEntropyAndMomentsMatchScipyForEveryParameterisation() {
        Tensor loc = ref("mvn.loc"), cov = ref("mvn.cov"), x = ref("mvn.x");
        List<MultivariateNormal> ds = List.of(
                MultivariateNormal.withCovariance(loc, cov),
                MultivariateNormal.withPrecision(loc, ref("mvn.precision")),
                MultivariateNormal.withScaleTril(loc, ref("mvn.scale_tril")));
        double lp = 0, ent = 0, mom = 0;
        for (MultivariateNormal d : ds) {
            assertArrayEquals(new int[]{2}, d.batchShape());
            assertArrayEquals(new int[]{3}, d.eventShape());
            lp = Math.max(lp, assertClose(ref("mvn.logpdf"), d.logProb(x), 1e-10, "logProb"));
            ent = Math.max(ent, assertClose(ref("mvn.entropy"), d.entropy(), 1e-10, "entropy"));
            mom = Math.max(mom, assertClose(loc, d.mean(), 0, "mean"));
            mom = Math.max(mom, assertClose(loc, d.mode(), 0, "mode"));
            mom = Math.max(mom, assertClose(cov, d.covarianceMatrix(), 1e-10, "covariance"));
            mom = Math.max(mom, assertClose(cov.diagonal(), d.variance(), 1e-10, "variance"));
            mom = Math.max(mom, assertClose(cov.diagonal().sqrt(), d.stddev(), 1e-10, "stddev"));
            mom = Math.max(mom, assertClose(ref("mvn.precision"), d.precisionMatrix(), 1e-10, "precision"));
            mom = Math.max(mom, assertClose(ref("mvn.scale_tril"), d.scaleTril(), 1e-10, "scaleTril"));
        }
        report("MVN logProb vs scipy (cov/prec/tril)", lp);
        report("MVN entropy vs scipy", ent);
        report("MVN mean/cov/var/precision/scaleTril vs numpy", mom);
    }

    @Test
    void float32AgreesWithScipyToSinglePrecision() {
        MultivariateNormal d = MultivariateNormal.withCovariance(ref("mvn.loc").to(DType.F32), ref("mvn.cov").to(DType.F32));
        Tensor lp = d.logProb(ref("mvn.x").to(DType.F32));
        assertEquals(DType.F32, lp.dtype());
        report("MVN float32 logProb vs scipy", assertClose(ref("mvn.logpdf"), lp, 1e-4, "float32 logProb"));
    }

    @Test
    void batchDimsOfLocAndMatrixBroadcast() {
        Tensor cov = ref("mvn.cov");
        MultivariateNormal d = MultivariateNormal.withCovariance(ref("mvnb.loc"), cov);
        assertArrayEquals(new int[]{2}, d.batchShape());
        assertArrayEquals(new int[]{2, 3}, d.mean().dims());
        Tensor lp = d.logProb(ref("mvnb.x"));                 // (5, 1, 3) against batch [2]: (5, 2)
        report("MVN broadcast loc/cov/value logProb vs scipy", assertClose(ref("mvnb.logpdf"), lp, 1e-10, "broadcast logProb"));
        // loc of batch [2] with a single matrix
        Tensor x = ref("mvn.x");
        MultivariateNormal shared = MultivariateNormal.withCovariance(ref("mvn.loc"), cov.select(0, 0));
        MultivariateNormal each = MultivariateNormal.withCovariance(ref("mvn.loc"), cov.select(0, 0).expand(2, 3, 3));
        assertClose(each.logProb(x), shared.logProb(x), 1e-12, "shared matrix");
        assertClose(each.entropy(), shared.entropy(), 1e-12, "shared matrix entropy");
        assertClose(each.variance(), shared.variance(), 1e-12, "shared matrix variance");
        // a single event (no sample dims) and expand
        assertArrayEquals(new int[]{2}, shared.logProb(x.select(0, 0)).dims());
        MultivariateNormal e = shared.expand(4, 2);
        assertArrayEquals(new int[]{4, 2}, e.batchShape());
        assertArrayEquals(new int[]{4, 2, 3, 3}, e.scaleTril().dims());
        assertClose(shared.logProb(x), e.logProb(x), 1e-12, "expanded");
    }

    // ------------------------------------------------------------------ sampling

    @Test
    void sampleMomentsMatchWithinTheirStandardErrors() {
        Tensor loc = ref("mvn.loc"), cov = ref("mvn.cov");
        MultivariateNormal d = MultivariateNormal.withCovariance(loc, cov);
        int n = 40000;
        Tensor s = d.sample(new Generator(7), n);
        assertArrayEquals(new int[]{n, 2, 3}, s.dims());
        assertFalse(s.requiresGrad());
        Tensor mean = s.mean(new int[]{0}, false);
        Tensor c = s.sub(mean);
        Tensor sampleCov = c.unsqueeze(-1).matmul(c.unsqueeze(-2)).mean(new int[]{0}, false);
        double[] m = mean.toDoubleArray(), mu = loc.toDoubleArray(), sc = sampleCov.toDoubleArray(), sg = cov.toDoubleArray();
        double worstZ = 0;
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                double se = Math.sqrt(sg[b * 9 + i * 4] / n);
                worstZ = Math.max(worstZ, Math.abs(m[b * 3 + i] - mu[b * 3 + i]) / se);
                for (int j = 0; j < 3; j++) {
                    // Var of a sample covariance entry ≈ (Σii Σjj + Σij²) / n
                    double v = (sg[b * 9 + i * 4] * sg[b * 9 + j * 4] + sg[b * 9 + i * 3 + j] * sg[b * 9 + i * 3 + j]) / n;
                    worstZ = Math.max(worstZ, Math.abs(sc[b * 9 + i * 3 + j] - sg[b * 9 + i * 3 + j]) / Math.sqrt(v));
                }
            }
        }
        report("MVN sample mean/cov, worst z-score (bound 5)", worstZ);
        assertTrue(worstZ < 5, "sample moments off by " + worstZ + " standard errors");
        // the same seed gives the same draws
        assertArrayEquals(s.toDoubleArray(), d.sample(new Generator(7), n).toDoubleArray());
    }

    @Test
    void rsampleIsLocPlusScaleTrilTimesNoise() {
        Tensor loc = ref("mvn.loc"), l = ref("mvn.scale_tril");
        MultivariateNormal d = MultivariateNormal.withScaleTril(loc, l);
        Tensor x = d.rsample(new Generator(3), 5);
        Tensor eps = Tensor.randn(new Generator(3), DType.F64, 5, 2, 3);
        Tensor expected = loc.add(l.matmul(eps.unsqueeze(-1)).squeeze(-1));
        assertClose(expected, x, 1e-12, "rsample");
    }

    @Test
    void rsampleGradientsPassGradCheck() {
        Tensor loc0 = ref("mvn.loc"), l0 = ref("mvn.scale_tril");
        GradCheck.check(in -> MultivariateNormal.withScaleTril(in.get(0), in.get(1).tril(0)).rsample(new Generator(11), 4),
                List.of(loc0, l0), 1, GRAD, new Generator(1));
        // through the covariance (Cholesky's VJP), symmetrised so perturbations stay symmetric
        GradCheck.check(in -> MultivariateNormal.withCovariance(in.get(0), sym(in.get(1))).rsample(new Generator(12), 3),
                List.of(loc0, ref("mvn.cov")), 1, GRAD, new Generator(2));
    }

    static Tensor sym(Tensor a) { return a.add(a.mT()).mul(0.5); }

    @Test
    void logProbAndEntropyGradientsPassGradCheckToSecondOrder() {
        Tensor x = ref("mvn.x");
        GradCheck.check(in -> MultivariateNormal.withCovariance(in.get(0), sym(in.get(1))).logProb(x),
                List.of(ref("mvn.loc"), ref("mvn.cov")), 2, GRAD, new Generator(3));
        GradCheck.check(in -> MultivariateNormal.withPrecision(in.get(0), sym(in.get(1))).logProb(x),
                List.of(ref("mvn.loc"), ref("mvn.precision")), 2, GRAD, new Generator(4));
        GradCheck.check(in -> MultivariateNormal.withScaleTril(ref("mvn.loc"), in.get(0).tril(0)).entropy(),
                List.of(ref("mvn.scale_tril")), 2, GRAD, new Generator(5));
        // and in the value (a score function)
        MultivariateNormal d = MultivariateNormal.withCovariance(ref("mvn.loc"), ref("mvn.cov"));
        GradCheck.check(in -> d.logProb(in.get(0)), List.of(x), 2, GRAD, new Generator(6));
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void constructorRejectsBadInput() {
        Tensor loc = ref("mvn.loc"), cov = ref("mvn.cov");
        assertThrowsWith("MultivariateNormal: loc must have at least one dimension, got shape []",
                () -> MultivariateNormal.withCovariance(Tensor.scalar(DType.F64, 1), cov));
        assertThrowsWith("MultivariateNormal: exactly one of covarianceMatrix, precisionMatrix and scaleTril must be given, got "
                + "covarianceMatrix and scaleTril", () -> new MultivariateNormal(loc, cov, null, ref("mvn.scale_tril")));
        assertThrowsWith("got none", () -> new MultivariateNormal(loc, null, null, null));
        assertThrowsWith("got covarianceMatrix and precisionMatrix and scaleTril", () -> new MultivariateNormal(loc, cov, cov, cov));
        assertThrowsWith("MultivariateNormal: covarianceMatrix must have shape (..., d, d) with d = 3 from loc, got shape [2, 3, 4]",
                () -> MultivariateNormal.withCovariance(loc, Tensor.zeros(DType.F64, 2, 3, 4)));
        assertThrowsWith("MultivariateNormal: scaleTril must have shape (..., d, d) with d = 3 from loc, got shape [3]",
                () -> MultivariateNormal.withScaleTril(loc, Tensor.zeros(DType.F64, 3)));
        assertThrowsWith("MultivariateNormal: batch shapes of loc [2] and covarianceMatrix [4] do not broadcast",
                () -> MultivariateNormal.withCovariance(loc, Tensor.eye(DType.F64, 3).expand(4, 3, 3)));
        assertThrowsWith("MultivariateNormal: loc and covarianceMatrix must have the same dtype, got F32 and F64",
                () -> MultivariateNormal.withCovariance(loc.to(DType.F32), cov));
        assertThrowsWith("MultivariateNormal: loc must be F32 or F64, got I64",
                () -> MultivariateNormal.withCovariance(loc.to(DType.I64), cov));
        assertThrowsWith("MultivariateNormal: loc must be finite, got NaN at [1]",
                () -> MultivariateNormal.withCovariance(Tensor.of(DType.F64, new double[]{0, Double.NaN, 0}), Tensor.eye(DType.F64, 3)));
        // covariance: not symmetric, not positive definite (the Cholesky message, prefixed)
        Tensor asym = Tensor.of(DType.F64, new double[]{2, 1, 0, 2}, 2, 2);
        assertThrowsWith("MultivariateNormal: covarianceMatrix must be symmetric positive definite, got 1.0 at [0, 1] but 0.0 at [1, 0]",
                () -> MultivariateNormal.withCovariance(Tensor.zeros(DType.F64, 2), asym));
        Tensor indefinite = Tensor.of(DType.F64, new double[]{1, 2, 2, 1}, 2, 2);
        assertThrowsWith("MultivariateNormal: covarianceMatrix must be positive definite, but cholesky: matrix is not positive definite",
                () -> MultivariateNormal.withCovariance(Tensor.zeros(DType.F64, 2), indefinite));
        assertThrowsWith("MultivariateNormal: precisionMatrix must be positive definite, but cholesky",
                () -> MultivariateNormal.withPrecision(Tensor.zeros(DType.F64, 2), indefinite));
        // scaleTril: upper entries, non-positive diagonal
        assertThrowsWith("MultivariateNormal: scaleTril must be lower triangular with a positive diagonal, got 0.5 above the diagonal at [0, 1]",
                () -> MultivariateNormal.withScaleTril(Tensor.zeros(DType.F64, 2), Tensor.of(DType.F64, new double[]{1, 0.5, 0, 1}, 2, 2)));
        assertThrowsWith("MultivariateNormal: scaleTril must be lower triangular with a positive diagonal, got -1.0 on the diagonal at [1, 1, 1]",
                () -> MultivariateNormal.withScaleTril(Tensor.zeros(DType.F64, 2, 2),
                        Tensor.of(DType.F64, new double[]{1, 0, 0, 1, 1, 0, 0, -1}, 2, 2, 2)));
        assertThrowsWith("MultivariateNormal: scaleTril must not be null", () -> MultivariateNormal.withScaleTril(loc, null));
        assertThrowsWith("MultivariateNormal: loc must not be null", () -> MultivariateNormal.withScaleTril(null, cov));
        // without validation the content checks are skipped (shape checks remain)
        assertDoesNotThrow(() -> new MultivariateNormal(Tensor.zeros(DType.F64, 2), null, null,
                Tensor.of(DType.F64, new double[]{1, 0.5, 0, 1}, 2, 2), false));
    }

    @Test
    void methodsRejectBadInput() {
        MultivariateNormal d = MultivariateNormal.withCovariance(ref("mvn.loc"), ref("mvn.cov"));
        assertThrowsWith("MultivariateNormal.logProb: value must have shape (..., 3), got shape [2, 4]",
                () -> d.logProb(Tensor.zeros(DType.F64, 2, 4)));
        assertThrowsWith("MultivariateNormal.logProb: value must have dtype F64, got F32", () -> d.logProb(Tensor.zeros(DType.F32, 2, 3)));
        assertThrowsWith("MultivariateNormal.logProb", () -> d.logProb(Tensor.zeros(DType.F64, 3, 3)));
        assertThrowsWith("MultivariateNormal.logProb: value must be a real number (not NaN)",
                () -> d.logProb(Tensor.of(DType.F64, new double[]{0, Double.NaN, 0})));
        assertThrowsWith("MultivariateNormal.rsample: generator must not be null", () -> d.rsample(null, 2));
        assertThrowsWith("MultivariateNormal.expand: batch shape [2] cannot be expanded to [3]", () -> d.expand(3));
    }
}
