package dev.deepprob.engine.cpu;

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
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every row of mpmath_special.tsv (written by engine/src/test/python/mpmath_reference.py: erfinv, erfcinv and the normal
 * quantile to the ends of the double range, P and Q for a from 1e-3 to 1e10 through the transition x ≈ a ± k√a, the
 * gamma quantile, dx/da of a standard gamma sample, log B, I_x and its inverse at extreme shapes) against the kernels.
 * Each function has its own tolerance, stated with its origin below, and must have rows in the table.
 */
class MpmathSpecialReferenceTest {
    /**
     * Allowed error |got - want| &lt;= (rel + logEps·eps·|log want|)·|want| + ulps·ulp(want): the middle term for functions
     * whose value is e^(something large), so that the rounding of that exponent (700·eps relative at e^-700, whatever
     * the method) is allowed for.
     */
    record Tol(double rel, double ulps, double logEps, ToDoubleFunction<double[]> f) {}

    static final Map<String, Tol> TOL = new LinkedHashMap<>();

    static {
        // Inverses of erf and Φ: Newton on erf (centre) or on log erfc (tails) converges to where the computed erf or
        // log erfc meets the argument; their own errors (an ulp or two) move that root by about as much: 3 ulp at most
        // over the table. "A few ulp", as the issue asks: 4.
        TOL.put("erfinv", new Tol(0, 4, 0, a -> SpecialExtra.erfinv(a[0])));
        TOL.put("erfcinv", new Tol(0, 4, 0, a -> SpecialExtra.erfcinv(a[0])));
        TOL.put("ndtri", new Tol(0, 4, 0, a -> SpecialExtra.ndtri(a[0])));
        // P and Q: 1e-12 relative (the issue's target); in the far tails the value is e^(a log1pmx(σ) + ...), and the
        // rounding of σ = (x - a)/a alone moves its logarithm by a few eps times itself (1e-13 at e^-700).
        TOL.put("gammaP", new Tol(1e-12, 0, 1, a -> SpecialExtra.gammaP(a[0], a[1])));
        TOL.put("gammaQ", new Tol(1e-12, 0, 1, a -> SpecialExtra.gammaQ(a[0], a[1])));
        // the quantile inherits P's error times its condition number P/(y p(y)) (1/a as y -> 0: 1e3 for a = 1e-3)
        TOL.put("gammaPInv", new Tol(1e-12, 0, 0, a -> SpecialExtra.gammaPInv(a[0], a[1])));
        // dx/da from a sixth-order central difference of log P or log Q in a (step 0.005 of the scale a or √a): the
        // truncation is ~1e-16, the rounding of log R divided by the step ~1e-14, and where a ± 3h straddles a change of
        // method (a = 10, 20) the methods' 1e-15 disagreement divided by the step: 7.4e-13 at most over the table. The
        // stated bound is 2e-12
        TOL.put("standardGammaGrad", new Tol(2e-12, 0, 0, a -> SpecialExtra.standardGammaGrad(a[0], a[1])));
        // log B from Stirling's corrections where lgamma would cancel: a few eps relative, or absolute for |log B| < 1
        TOL.put("logBeta", new Tol(1e-14, 0, 0, a -> SpecialExtra.logBeta(a[0], a[1])));
        // I_x: the continued fraction to eps, times the front factor's rounding (a log x + b log1p(-x) - log B)
        TOL.put("betaI", new Tol(1e-12, 0, 1, a -> SpecialExtra.betaI(a[0], a[1], a[2])));
        // its inverse: I's error times the condition number I/(x p(x)) (1/a as x -> 0)
        TOL.put("betaIInv", new Tol(1e-12, 0, 0, a -> SpecialExtra.betaIInv(a[0], a[1], a[2])));
    }

    record Row(String fn, double[] args, double want, String line) {}

    static List<Row> rows() throws IOException {
        List<Row> out = new ArrayList<>();
        try (InputStream in = MpmathSpecialReferenceTest.class.getResourceAsStream("/mpmath_special.tsv")) {
            assertNotNull(in, "mpmath_special.tsv missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (f.length != 3) fail("malformed line: " + line);
                String[] as = f[1].split(",");
                double[] args = new double[as.length];
                for (int i = 0; i < as.length; i++) args[i] = Double.parseDouble(as[i]);
                out.add(new Row(f[0], args, Double.parseDouble(f[2]), line));
            }
        }
        return out;
    }

    static double allowed(Tol t, double want) {
        double w = Math.abs(want);
        double lg = w > 0 ? Math.abs(Math.log(w)) : 0;
        return (t.rel() + t.logEps() * 0x1p-52 * lg) * w + t.ulps() * Math.ulp(want) + Double.MIN_VALUE;
    }

    @Test
    void everyFunctionMatchesMpmath() throws IOException {
        List<Row> rows = rows();
        Map<String, Integer> count = new TreeMap<>();
        Map<String, Double> worst = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Row r : rows) {
            Tol t = TOL.get(r.fn());
            if (t == null) {
                failures.add("no tolerance for function " + r.fn() + " (line: " + r.line() + ")");
                continue;
            }
            count.merge(r.fn(), 1, Integer::sum);
            double got = t.f().applyAsDouble(r.args());
            double err = Math.abs(got - r.want());
            double rel = err / Math.max(Math.abs(r.want()), Double.MIN_NORMAL);
            worst.merge(r.fn(), got == r.want() ? 0.0 : rel, (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y));
            if (!(err <= allowed(t, r.want()))) {
                failures.add(String.format("%s%s: got %.17g, want %.17g (relative error %.2e)", r.fn(),
                        java.util.Arrays.toString(r.args()), got, r.want(), rel));
            }
        }
        StringBuilder sb = new StringBuilder("largest relative error vs mpmath per function:\n");
        worst.forEach((k, v) -> sb.append(String.format("  %-18s %.2e  (%d rows)%n", k, v, count.get(k))));
        System.out.print(sb);
        for (String fn : TOL.keySet()) assertTrue(count.getOrDefault(fn, 0) > 0, "mpmath_special.tsv has no rows for " + fn);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + rows.size() + " values off:\n" + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
    }

    /**
     * erf⁻¹ and Φ⁻¹ are non-decreasing, and erfc⁻¹ non-increasing, over every double in [1 - 2^-42, 1) (next to 1,
     * where the old erf⁻¹ went back and forth), over the smallest doubles, and over a dense sweep of (-1, 1); and the
     * gamma quantile is non-decreasing in p for extreme shapes.
     */
    @Test
    void inversesAreMonotone() {
        List<Double> ys = new ArrayList<>();
        for (double y = Math.nextDown(1.0), k = 0; k < 2000; k++, y = Math.nextDown(y)) ys.add(y);
        for (long k = 2000; k < (1L << 31); k = k * 5 / 4) ys.add(1 - k * 0x1p-53);
        for (int i = -20000; i <= 20000; i++) ys.add(Math.tanh(i / 2000.0));
        for (int i = 0; i < 2000; i++) ys.add(Double.MIN_VALUE * i);
        double[] y = ys.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
        List<String> failures = new ArrayList<>();
        for (int i = 1; i < y.length; i++) {
            if (SpecialExtra.erfinv(y[i]) < SpecialExtra.erfinv(y[i - 1])) failures.add("erfinv at " + y[i - 1] + ", " + y[i]);
            if (y[i - 1] >= 0 && SpecialExtra.ndtri(y[i]) < SpecialExtra.ndtri(y[i - 1])) failures.add("ndtri at " + y[i - 1] + ", " + y[i]);
            if (y[i - 1] >= 0 && y[i] <= 2 && SpecialExtra.erfcinv(y[i]) > SpecialExtra.erfcinv(y[i - 1])) {
                failures.add("erfcinv at " + y[i - 1] + ", " + y[i]);
            }
        }
        for (double a : new double[]{1e-3, 0.1, 1, 30, 1e3, 1e8, 1e10}) {
            double prev = 0;
            for (int i = 0; i < y.length; i++) {
                if (y[i] < 0) continue;
                double x = SpecialExtra.gammaPInv(a, y[i]);
                if (!(x >= prev)) {
                    failures.add("gammaPInv(" + a + ", " + y[i] + ") = " + x + " after " + prev);
                    break;
                }
                prev = x;
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " decreasing steps, first: " + String.join("; ", failures.subList(0, Math.min(10, failures.size()))));
    }
}
