package dev.deepprob.prob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The torch rows of the reference tables other than modes (ModeTest's): the families torch defines by its own
 * construction, RelaxedOneHotCategorical (checked in the script against the Concrete density in mpmath), LogisticNormal
 * (torch's stick-breaking map) and LKJCholesky, from prob/src/test/python/added_families_reference.py, in float64.
 */
@ExtendWith(NumbersAreF64.class)
class TorchReferenceTest {
    /**
     * Relative tolerance per group, 10x the worst relative error measured (rounded up to 1, 2 or 5 x 10^k, at least 1e-15),
     * and the least number of rows the group must have.
     */
    static final Map<String, UnivariateScipyReferenceTest.Tol> TOLERANCES = UnivariateScipyReferenceTest.parse("""
            # group                                  rows    rtol    atol  measured
            RelaxedOneHotCategorical logProb           12   2e-14       0  1.1e-15
            LogisticNormal logProb                      4   1e-12       0  6.9e-14
            LKJCholesky logProb                         9   1e-15       0  0.0e+00
            kl Bernoulli||Poisson                              2   1e-15       0  0.0e+00
            kl Beta||ContinuousBernoulli                       2   5e-14       0  2.0e-15
            kl Beta||Exponential                               2   2e-14       0  1.0e-15
            kl Beta||Gamma                                     2   5e-15       0  2.0e-16
            kl Beta||Normal                                    2   1e-14       0  9.9e-16
            kl Beta||Uniform                                   3   2e-14       0  1.9e-15
            kl Cauchy||Cauchy                                  2   2e-15       0  1.1e-16
            kl ContinuousBernoulli||ContinuousBernoulli        2   2e-14       0  1.8e-15
            kl ContinuousBernoulli||Exponential                1   1e-14       0  5.6e-16
            kl ContinuousBernoulli||Normal                     1   1e-15       0  0.0e+00
            kl ContinuousBernoulli||Uniform                    2   5e-15       0  3.9e-16
            kl Exponential||Beta                               1   1e-15       0  0.0e+00
            kl Exponential||Gumbel                             1   1e-15       0  0.0e+00
            kl Exponential||Pareto                             1   1e-15       0  0.0e+00
            kl Gamma||Gumbel                                   1   1e-15       0  0.0e+00
            kl Gamma||Normal                                   2   2e-15       0  1.7e-16
            kl Gamma||Uniform                                  1   1e-15       0  0.0e+00
            kl Geometric||Geometric                            2   1e-15       0  0.0e+00
            kl Gumbel||Gumbel                                  1   1e-15       0  0.0e+00
            kl Gumbel||Normal                                  1   1e-14       0  6.0e-16
            kl Gumbel||Pareto                                  1   1e-15       0  0.0e+00
            kl HalfNormal||HalfNormal                          1   1e-15       0  0.0e+00
            kl Laplace||Exponential                            1   1e-15       0  0.0e+00
            kl Normal||Beta                                    1   1e-15       0  0.0e+00
            kl Normal||ContinuousBernoulli                     1   1e-15       0  0.0e+00
            kl Normal||Gamma                                   1   1e-15       0  0.0e+00
            kl Normal||Gumbel                                  1   1e-15       0  0.0e+00
            kl Normal||Uniform                                 1   1e-15       0  0.0e+00
            kl OneHotCategoricalStraightThrough||OneHotCategoricalStraightThrough   1   1e-15       0  0.0e+00
            kl Pareto||Exponential                             2   5e-15       0  3.5e-16
            kl Pareto||Gamma                                   1   5e-15       0  2.4e-16
            kl Pareto||Normal                                  2   1e-15       0  0.0e+00
            kl Pareto||Pareto                                  2   1e-15       0  0.0e+00
            kl Pareto||Uniform                                 1   1e-15       0  0.0e+00
            kl Poisson||Bernoulli                              1   1e-15       0  0.0e+00
            kl Poisson||Binomial                               1   1e-15       0  0.0e+00
            kl TransformedDistribution||TransformedDistribution   1   1e-15       0  0.0e+00
            kl Uniform||Beta                                   2   1e-15       0  0.0e+00
            kl Uniform||ContinuousBernoulli                    2   5e-15       0  3.3e-16
            kl Uniform||Gumbel                                 1   5e-15       0  4.6e-16
            kl Uniform||Pareto                                 2   1e-15       0  0.0e+00
            """);

    @Test
    void everyTorchValueMatches() throws IOException {
        Map<String, Integer> count = new TreeMap<>();
        Map<String, Double> worst = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (ReferenceTables.Line l : ReferenceTables.rows("torch")) {
            if (l.method().equals("mode")) continue;
            String g = l.method().equals("kl") ? "kl " + l.pDist() + "||" + l.qDist() : l.pDist() + " " + l.method();
            UnivariateScipyReferenceTest.Tol tol = TOLERANCES.get(g);
            if (tol == null) {
                failures.add(g + ": no tolerance (line " + l.text() + ")");
                continue;
            }
            count.merge(g, 1, Integer::sum);
            UnivariateScipyReferenceTest.Row row = new UnivariateScipyReferenceTest.Row(l.pDist(), UnivariateScipyReferenceTest.params(l.pParams()),
                    l.qDist(), UnivariateScipyReferenceTest.params(l.qParams()), l.method(),
                    l.arg().equals("-") ? null : UnivariateScipyReferenceTest.numbers(l.arg()), UnivariateScipyReferenceTest.numbers(l.value()));
            double[] got = UnivariateScipyReferenceTest.evaluate(row);
            for (int i = 0; i < got.length; i++) {
                double e = row.value()[i], a = got[i];
                double rel = Double.isInfinite(e) ? (a == e ? 0 : Double.POSITIVE_INFINITY) : e == 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
                worst.merge(g, rel, Math::max);
                if (!UnivariateScipyReferenceTest.close(a, e, tol)) failures.add(l.text() + ": got " + a + " (relative error " + rel + ")");
            }
        }
        TOLERANCES.forEach((g, tol) -> assertTrue(count.getOrDefault(g, 0) >= tol.rows(), g + ": " + count.get(g) + " rows, expected "
                + tol.rows()));
        System.out.println("largest relative error vs torch per group: " + worst);
        if (!failures.isEmpty()) fail(failures.size() + " mismatches:\n" + String.join("\n", failures));
    }
}
