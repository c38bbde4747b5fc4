package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
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

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every mpmath row of the reference tables (written by prob/src/test/python/mpmath_reference.py: Normal and LogNormal quantiles
 * from 4.9e-324 to 1 - 2^-53, Gamma and Poisson cdf and quantiles for shapes up to 1e10, Beta at extreme shapes, Student's
 * t at df up to 1e12) against the distributions in float64, each (distribution, method) to its own tolerance, stated with
 * its origin in {@link #allowed}. Every pair listed there must have rows in the table.
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class MpmathDistributionReferenceTest {
    private static final double EPS = 0x1p-52;

    record Row(String dist, Map<String, Double> p, String method, double arg, double want, String line) {}

    static List<Row> rows() throws IOException {
        List<Row> out = new ArrayList<>();
        for (ReferenceTables.Line l : ReferenceTables.rows("mpmath")) {
            Map<String, Double> p = new LinkedHashMap<>();
            for (String kv : l.pParams().split(";")) {
                int e = kv.indexOf('=');
                p.put(kv.substring(0, e), Double.parseDouble(kv.substring(e + 1)));
            }
            out.add(new Row(l.pDist(), p, l.method(), Double.parseDouble(l.arg()), Double.parseDouble(l.value()), l.text()));
        }
        return out;
    }

    static Tensor s(double v) { return Tensor.scalar(DType.F64, v); }

    static HasCdf make(String dist, Map<String, Double> p) {
        return switch (dist) {
            case "Normal" -> new Normal(p.get("loc"), p.get("scale"));
            case "LogNormal" -> new LogNormal(p.get("loc"), p.get("scale"));
            case "Gamma" -> new Gamma(p.get("concentration"), p.get("rate"));
            case "Poisson" -> new Poisson(p.get("rate"));
            case "Beta" -> new Beta(p.get("concentration1"), p.get("concentration0"));
            case "StudentT" -> new StudentT(p.get("df"), p.get("loc"), p.get("scale"));
            default -> throw new IllegalArgumentException("unknown distribution " + dist);
        };
    }

    /** The (distribution, method) pairs the table must cover. */
    static final List<String> REQUIRED = List.of("Normal.icdf", "LogNormal.icdf", "Gamma.cdf", "Gamma.icdf", "Poisson.cdf",
            "Poisson.icdf", "Beta.cdf", "Beta.icdf", "StudentT.cdf", "StudentT.icdf");

    /** The error allowed for a row, or NaN when the pair has no tolerance (the test then fails on it). */
    static double allowed(Row r) {
        double w = Math.abs(r.want()), lg = w > 0 ? Math.abs(Math.log(w)) : 0;
        String key = r.dist() + "." + r.method();
        return switch (key) {
            // Φ⁻¹ to a few ulp (the engine's ndtri), then loc + scale z rounds once more: 8 eps of the larger of the
            // result and loc (the result can be far smaller than loc where they cancel)
            case "Normal.icdf" -> 8 * EPS * Math.max(w, Math.abs(r.p().get("loc")));
            // exp(loc + scale z): the exponent's absolute rounding (a few eps of |loc| + |scale z| = |log x - loc| + |loc|)
            // becomes the relative error of x
            case "LogNormal.icdf" -> 8 * EPS * (1 + lg + 2 * Math.abs(r.p().get("loc"))) * w;
            // the target, 1e-12, plus the rounding of an exponent of size |log F| (a few eps of it, 1.5e-13 at 1e-300)
            case "Gamma.cdf", "Poisson.cdf", "Beta.cdf", "StudentT.cdf" -> (1e-12 + 8 * EPS * lg) * w;
            // quantiles of continuous laws: 1e-12 relative (their condition number times the cdf's error stays below it
            // over the table: 1/a = 1e3 for Gamma(1e-3) near 0 times 1e-16); StudentT also rounds loc + scale t
            case "Gamma.icdf", "Beta.icdf" -> 1e-12 * w;
            case "StudentT.icdf" -> 1e-12 * Math.max(w, Math.abs(r.p().get("loc")));
            // a discrete quantile is an integer: exact (the script leaves out q within 1e-9 of a cdf value)
            case "Poisson.icdf" -> 0;
            default -> Double.NaN;
        };
    }

    @Test
    void everyValueMatchesMpmath() throws IOException {
        List<Row> rows = rows();
        Map<String, Integer> count = new TreeMap<>();
        Map<String, Double> worst = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Row r : rows) {
            String key = r.dist() + "." + r.method();
            double tol = allowed(r);
            if (Double.isNaN(tol)) {
                failures.add("no tolerance for " + key + " (line: " + r.line() + ")");
                continue;
            }
            count.merge(key, 1, Integer::sum);
            HasCdf d = make(r.dist(), r.p());
            double got = switch (r.method()) {
                case "cdf" -> d.cdf(s(r.arg())).item();
                case "icdf" -> d.icdf(s(r.arg())).item();
                default -> throw new IllegalArgumentException("unknown method " + r.method());
            };
            double err = Math.abs(got - r.want());
            double rel = got == r.want() ? 0 : err / Math.max(Math.abs(r.want()), Double.MIN_NORMAL);
            worst.merge(key, rel, (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y));
            if (!(err <= tol)) {
                failures.add(String.format("%s %s at %s: got %.17g, want %.17g (relative error %.2e)", key, r.p(), r.arg(), got,
                        r.want(), rel));
            }
        }
        StringBuilder sb = new StringBuilder("largest relative error vs mpmath per distribution and method:\n");
        worst.forEach((k, v) -> sb.append(String.format("  %-16s %.2e  (%d rows)%n", k, v, count.get(k))));
        System.out.print(sb);
        for (String k : REQUIRED) assertTrue(count.getOrDefault(k, 0) > 0, "the reference tables have no mpmath rows for " + k);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + rows.size() + " values off:\n" + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
    }
}
