package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every value in scipy_reference.tsv (written by prob/src/test/python/scipy_reference.py from scipy.stats, with KL
 * divergences by quadrature) against this library in float64: log-densities, cdf and icdf, mean, variance,
 * entropy and KL, to 1e-6 relative (plus 1e-12 absolute for values that are 0). Prints the largest relative
 * error per method.
 */
class UnivariateScipyReferenceTest {
    static final double RTOL = 1e-6, ATOL = 1e-12;

    record Row(String pDist, Map<String, double[]> p, String qDist, Map<String, double[]> q, String method, double[] arg, double[] value) {}

    static List<Row> rows() throws IOException {
        List<Row> out = new ArrayList<>();
        try (InputStream in = UnivariateScipyReferenceTest.class.getResourceAsStream("/scipy_reference.tsv")) {
            assertNotNull(in, "scipy_reference.tsv missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                assertEquals(7, f.length, "malformed line: " + line);
                out.add(new Row(f[0], params(f[1]), f[2], params(f[3]), f[4], f[5].equals("-") ? null : numbers(f[5]), numbers(f[6])));
            }
        }
        return out;
    }

    static Map<String, double[]> params(String s) {
        Map<String, double[]> m = new LinkedHashMap<>();
        if (s.equals("-")) return m;
        for (String kv : s.split(";")) {
            int e = kv.indexOf('=');
            m.put(kv.substring(0, e), numbers(kv.substring(e + 1)));
        }
        return m;
    }

    static double[] numbers(String s) {
        String[] parts = s.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = switch (parts[i]) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(parts[i]);
            };
        }
        return v;
    }

    static Tensor t(double[] v) { return v.length == 1 ? Tensor.scalar(DType.F64, v[0]) : Tensor.of(v.clone()); }

    static Tensor vec(double[] v) { return Tensor.of(v.clone()); }

    /** The distribution a row names, from F64 tensors. */
    static Distribution make(String dist, Map<String, double[]> p) {
        return switch (dist) {
            case "Normal" -> new Normal(t(p.get("loc")), t(p.get("scale")));
            case "LogNormal" -> new LogNormal(t(p.get("loc")), t(p.get("scale")));
            case "Uniform" -> new Uniform(t(p.get("low")), t(p.get("high")));
            case "Laplace" -> new Laplace(t(p.get("loc")), t(p.get("scale")));
            case "Exponential" -> new Exponential(t(p.get("rate")));
            case "Gamma" -> new Gamma(t(p.get("concentration")), t(p.get("rate")));
            case "Beta" -> new Beta(t(p.get("concentration1")), t(p.get("concentration0")));
            case "StudentT" -> new StudentT(t(p.get("df")), t(p.get("loc")), t(p.get("scale")));
            case "Dirichlet" -> new Dirichlet(vec(p.get("concentration")));
            case "Poisson" -> new Poisson(t(p.get("rate")));
            case "Bernoulli" -> p.containsKey("probs") ? Bernoulli.fromProbs(t(p.get("probs"))) : Bernoulli.fromLogits(t(p.get("logits")));
            case "Binomial" -> p.containsKey("probs") ? Binomial.fromProbs(t(p.get("totalCount")), t(p.get("probs")))
                    : Binomial.fromLogits(t(p.get("totalCount")), t(p.get("logits")));
            case "Categorical" -> p.containsKey("probs") ? Categorical.fromProbs(vec(p.get("probs"))) : Categorical.fromLogits(vec(p.get("logits")));
            case "OneHotCategorical" -> p.containsKey("probs") ? OneHotCategorical.fromProbs(vec(p.get("probs")))
                    : OneHotCategorical.fromLogits(vec(p.get("logits")));
            default -> throw new AssertionError("unknown distribution " + dist);
        };
    }

    static double[] evaluate(Row row) {
        Distribution d = make(row.pDist(), row.p());
        Tensor r = switch (row.method()) {
            case "logProb" -> d.logProb(d instanceof Dirichlet || d instanceof OneHotCategorical ? vec(row.arg()) : t(row.arg()));
            case "cdf" -> ((HasCdf) d).cdf(t(row.arg()));
            case "icdf" -> ((HasCdf) d).icdf(t(row.arg()));
            case "mean" -> ((HasMoments) d).mean();
            case "variance" -> ((HasMoments) d).variance();
            case "entropy" -> ((HasEntropy) d).entropy();
            case "kl" -> KL.divergence(d, make(row.qDist(), row.q()));
            default -> throw new AssertionError("unknown method " + row.method());
        };
        assertEquals(DType.F64, r.dtype(), row.pDist() + "." + row.method() + " dtype");
        return r.toDoubleArray();
    }

    static boolean close(double actual, double expected) {
        if (Double.isInfinite(expected)) return actual == expected;
        return Math.abs(actual - expected) <= RTOL * Math.abs(expected) + ATOL;
    }

    @Test
    void everyReferenceValueMatchesScipy() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() > 500, "expected the full table, got " + rows.size() + " rows");
        Map<String, Double> worst = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            double[] got;
            try {
                got = evaluate(row);
            } catch (RuntimeException e) {
                failures.add(describe(row) + ": threw " + e);
                continue;
            }
            if (got.length != row.value().length) {
                failures.add(describe(row) + ": " + got.length + " values, expected " + row.value().length);
                continue;
            }
            for (int i = 0; i < got.length; i++) {
                double e = row.value()[i], a = got[i];
                String key = row.method() + (row.method().equals("kl") ? "" : " " + row.pDist());
                // relative error, measured against 1e-6 for reference values that are (nearly) 0
                double rel = Double.isInfinite(e) ? (a == e ? 0 : Double.POSITIVE_INFINITY) : Math.abs(a - e) / Math.max(Math.abs(e), 1e-6);
                worst.merge(key, rel, Math::max);
                if (!close(a, e)) failures.add(describe(row) + ": got " + a + ", SciPy " + e + " (relative error " + rel + ")");
            }
        }
        StringBuilder sb = new StringBuilder("largest relative error vs SciPy per method and distribution (|a - e|/max(|e|, 1e-6)):\n");
        worst.forEach((k, v) -> sb.append(String.format("  %-28s %.2e%n", k, v)));
        System.out.print(sb);
        if (!failures.isEmpty()) fail(failures.size() + " mismatches:\n" + String.join("\n", failures));
    }

    /** Categorical's logProb takes I64 indices as well as whole-number floats. */
    @Test
    void categoricalLogProbAcceptsIntegerIndices() throws IOException {
        int n = 0;
        for (Row row : rows()) {
            if (!row.pDist().equals("Categorical") || !row.method().equals("logProb")) continue;
            Distribution d = make(row.pDist(), row.p());
            Tensor idx = Tensor.of(NDArray.of(new long[]{(long) row.arg()[0]}).reshape());
            double got = d.logProb(idx).item();
            assertTrue(close(got, row.value()[0]), "Categorical I64 index " + row.arg()[0] + ": " + got + " vs " + row.value()[0]);
            n++;
        }
        assertTrue(n > 10);
    }

    static String describe(Row r) {
        return r.pDist() + str(r.p()) + (r.qDist().equals("-") ? "" : " || " + r.qDist() + str(r.q())) + "." + r.method()
                + (r.arg() == null ? "" : "(" + java.util.Arrays.toString(r.arg()) + ")");
    }

    static String str(Map<String, double[]> m) {
        StringBuilder sb = new StringBuilder("(");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v.length == 1 ? String.valueOf(v[0]) : java.util.Arrays.toString(v)));
        return sb.append(')').toString();
    }
}
