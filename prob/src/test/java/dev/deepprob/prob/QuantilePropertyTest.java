package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.engine.DType;
import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Quantiles stay inside the support and are non-decreasing in q, for extreme shapes and over q from 0 through the
 * smallest doubles to 1 - 2^-53 and 1. Gamma(1e-3).icdf(1e-10) was -6.2e-61 and Beta(1e-3, 1e3).icdf(0.5) negative
 * (one Newton correction stepped past 0), and Normal.icdf was not monotone next to 1.
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class QuantilePropertyTest {
    /** q from 0 to 1: 0, 4.9e-324, 10^-k, a logistic sweep, 1 - 10^-k and 1 - 2^-k down to 1 - 2^-53, 1; sorted, distinct. */
    static double[] grid() {
        TreeSet<Double> qs = new TreeSet<>();
        qs.add(0.0);
        qs.add(Double.MIN_VALUE);
        qs.add(1.0);
        for (int k = 1; k <= 323; k++) qs.add(Math.pow(10, -k));
        for (int k = 1; k <= 53; k++) qs.add(1 - Math.pow(2, -k));
        for (int k = 1; k <= 15; k++) qs.add(1 - Math.pow(10, -k));
        for (int i = 0; i <= 2000; i++) {
            double t = -40 + 80.0 * i / 2000;
            qs.add(1 / (1 + Math.exp(-t)));
        }
        double[] out = new double[qs.size()];
        int i = 0;
        for (double q : qs) out[i++] = q;
        return out;
    }

    record Case(String name, HasCdf d, double lo, double hi) {}

    @Test
    void quantilesAreMonotoneAndInsideTheSupport() {
        double inf = Double.POSITIVE_INFINITY;
        List<Case> cases = List.of(
                new Case("Normal(0, 1)", new Normal(0, 1), -inf, inf),
                new Case("Normal(-3, 1e-3)", new Normal(-3, 1e-3), -inf, inf),
                new Case("LogNormal(0, 3)", new LogNormal(0, 3), 0, inf),
                new Case("Gamma(1e-3, 1)", new Gamma(1e-3, 1), 0, inf),
                new Case("Gamma(0.1, 2)", new Gamma(0.1, 2), 0, inf),
                new Case("Gamma(1, 1)", new Gamma(1, 1), 0, inf),
                new Case("Gamma(1e3, 1)", new Gamma(1e3, 1), 0, inf),
                new Case("Gamma(1e10, 1)", new Gamma(1e10, 1), 0, inf),
                new Case("Beta(1e-3, 1e3)", new Beta(1e-3, 1e3), 0, 1),
                new Case("Beta(1e3, 1e-3)", new Beta(1e3, 1e-3), 0, 1),
                new Case("Beta(1e-3, 1e-3)", new Beta(1e-3, 1e-3), 0, 1),
                new Case("Beta(0.5, 0.5)", new Beta(0.5, 0.5), 0, 1),
                new Case("Beta(0.5, 5e7)", new Beta(0.5, 5e7), 0, 1),
                new Case("StudentT(0.5)", new StudentT(0.5, 0, 1), -inf, inf),
                new Case("StudentT(1)", new StudentT(1, 0, 1), -inf, inf),
                new Case("StudentT(1e8)", new StudentT(1e8, 0, 1), -inf, inf),
                new Case("StudentT(1e12)", new StudentT(1e12, 0, 1), -inf, inf),
                new Case("Poisson(1e-3)", new Poisson(1e-3), 0, inf),
                new Case("Poisson(1e8)", new Poisson(1e8), 0, inf),
                new Case("Binomial(1000, 0.3)", Binomial.fromProbs(1000, 0.3), 0, 1000),
                new Case("HalfNormal(1)", new HalfNormal(1), 0, inf),
                new Case("Cauchy(0, 1)", new Cauchy(0, 1), -inf, inf),
                new Case("HalfCauchy(2)", new HalfCauchy(2), 0, inf),
                new Case("Gumbel(1, 2)", new Gumbel(1, 2), -inf, inf),
                new Case("Weibull(1, 0.5)", new Weibull(1, 0.5), 0, inf),
                new Case("Pareto(2, 3)", new Pareto(2, 3), 2, inf),
                new Case("Chi2(3)", new Chi2(3), 0, inf),
                new Case("Geometric(0.3)", Geometric.fromProbs(0.3), 0, inf));
        double[] q = grid();
        Tensor qt = Tensor.of(DType.F64, q.clone());
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            double[] x = c.d().icdf(qt).toDoubleArray();
            for (int i = 0; i < q.length; i++) {
                if (!(x[i] >= c.lo() && x[i] <= c.hi())) {
                    failures.add(c.name() + ".icdf(" + q[i] + ") = " + x[i] + " is outside [" + c.lo() + ", " + c.hi() + "]");
                    break;
                }
                if (i > 0 && x[i] < x[i - 1]) {
                    failures.add(c.name() + ".icdf is not monotone: icdf(" + q[i - 1] + ") = " + x[i - 1] + " > icdf(" + q[i] + ") = " + x[i]);
                    break;
                }
            }
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures));
    }

    /**
     * Below q = 1/4 Normal.icdf takes its value from the ndtri kernel and its derivatives from two Newton steps on Φ; they
     * are the inverse function's: dz/dq = 1/φ(z) and d²z/dq² = z/φ(z)² (to 1e-12 relative: Φ's own error, about 1e-14,
     * divided through), down to q = 1e-300 where z = -37 (whose second derivative, -4e597, is not a double).
     */
    @Test
    void normalQuantileDerivativesInTheTail() {
        double[] qs = {1e-300, 1e-100, 1e-16, 1e-5, 0.1, 0.2, 0.3, 0.9};
        Tensor q = Tensor.of(DType.F64, qs.clone()).requiresGrad(true);
        Tensor z = new Normal(0, 1).icdf(q);
        Tensor dz = Autograd.grad(z.sum(), List.of(q), true).getFirst();
        Tensor d2z = Autograd.grad(dz.sum(), List.of(q), false).getFirst();
        double[] zv = z.toDoubleArray(), d1 = dz.toDoubleArray(), d2 = d2z.toDoubleArray();
        for (int i = 0; i < qs.length; i++) {
            double phi = Math.exp(-0.5 * zv[i] * zv[i]) / Math.sqrt(2 * Math.PI);
            assertEquals(1 / phi, d1[i], 1e-12 / phi, "dz/dq at q = " + qs[i]);
            double want = zv[i] / (phi * phi);
            if (Double.isFinite(want)) assertEquals(want, d2[i], 1e-12 * Math.abs(want), "d²z/dq² at q = " + qs[i]);
        }
    }
}
