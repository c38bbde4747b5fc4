package dev.deepprob.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Special} against reference values from SciPy 1.10.1 (Debian's python3-scipy), computed once with the
 * script below and checked against mpmath 1.2.1 at 50 digits; where SciPy is off by more than 2e-15 relative
 * (cancellation in its negative-x sums, overflow at high orders) the mpmath value is used and marked. Tolerance:
 * 1e-13 relative (2e-13 for orders above 170, which go through logarithms).
 *
 * <pre>
 * import scipy.special as sc, mpmath as mp
 * mp.mp.dps = 50
 * for x in X: print(x, sc.gammaln(x), mp.log(abs(mp.gamma(x))))
 * for x in PSIX: print(x, sc.psi(x), mp.digamma(x))
 * for n, x in PG: print(n, x, sc.polygamma(n, x), mp.polygamma(n, x))
 * </pre>
 */
class SpecialTest {
    private static final double[][] LGAMMA = {
            {1e-300, 690.7755278982137},
            {1e-08, 18.42068073818021},
            {4.5e-05, 10.008822095154493},
            {0.001, 6.907178885383853},
            {0.1, 2.252712651734206},
            {0.5, 0.5723649429247},
            {1.5, -0.12078223763524526},
            {2.5, 0.2846828704729192},
            {3.7, 1.428072326665388},
            {7.25, 7.0521854507385395},
            {10.0, 12.801827480081469},
            {15.5, 26.536914491115613},
            {100.3, 360.5147057290581},
            {100000.5, 1051293.4654351394},
            {10000000000.0, 220258509288.81058},
            {1e+300, 6.897755278982137e+302},
            {-1e-08, 18.420680749724525},
            {-0.001, 6.908333317515028},
            {-0.5, 1.2655121234846454},
            {-1.5, 0.860047015376481},
            {-2.5, -0.05624371649767401},
            {-3.3, -0.8243558050174267},
            {-10.7, -15.416789096416636},
            {-100.25, -363.4009232278215},
    };

    private static final double[][] DIGAMMA = {
            {1e-08, -100000000.57721564},
            {0.001, -1000.5755719318103},
            {0.1, -10.423754940411076},
            {0.5, -1.9635100260214235},
            {1.0, -0.5772156649015329},
            {1.45, -0.011316422586445886},
            {1.4616321449683622, -9.241265521729427e-17},
            {1.47, 0.008066489011364867},
            {2.0, 0.42278433509846713},
            {3.7, 1.1671535393615113},
            {7.25, 1.9104535268837362},
            {10.0, 2.251752589066721},
            {15.5, 2.7082352425903653},
            {100.3, 4.603172366627387},
            {100000.0, 11.512920464961896},
            {10000000000.0, 23.025850929890456},
            {1e+300, 690.7755278982137},
            {-1e-08, 99999999.42278431},
            {-0.001, 999.4211381978913},
            {-0.5, 0.03648997397857651},
            {-1.5, 0.7031566406452434},
            {-2.5, 1.1031566406452433},
            {-3.3, 3.6203534605921264},
            {-10.7, 0.13374481244706443}, // mpmath; SciPy gives 0.13374481244706526
            {-100.25, 7.754238959208646},
    };

    /** {order, x, ψ^(order)(x)}. */
    private static final double[][] POLYGAMMA = {
            {1, 0.001, 1000001.6425331959},
            {1, 0.1, 101.43329915079275},
            {1, 0.5, 4.93480220054468},
            {1, 1.0, 1.6449340668482266},
            {1, 2.5, 0.4903577561002349},
            {1, 7.25, 0.1478792331589322},
            {1, 15.5, 0.06664201358327598},
            {1, 100.3, 0.010019956247766075},
            {1, 100000.0, 1.0000050000166665e-05},
            {1, -0.5, 8.934802200544679},
            {1, -2.5, 9.539246644989124},
            {1, -3.3, 14.817739525515929},
            {1, -10.7, 14.990187139069379},
            {2, 0.001, -2000000002.3976321},
            {2, 0.1, -2001.8614573783439},
            {2, 0.5, -16.828796644234316},
            {2, 1.0, -2.404113806319188},
            {2, 2.5, -0.23620405164172736},
            {2, 7.25, -0.021828952295197733},
            {2, 15.5, -0.004439518913277244},
            {2, 100.3, -0.00010039868325519709},
            {2, 100000.0, -1.00001000005e-10},
            {2, -0.5, -0.82879664423432},
            {2, -2.5, -0.1082040516417274}, // mpmath; SciPy gives -0.1082040516417282
            {2, -3.3, 68.7694454774852},
            {2, -10.7, -68.84549983859907},
            {3, 0.001, 6000000000006.467},
            {3, 0.1, 60004.512876790235},
            {3, 0.5, 97.40909103400242},
            {3, 1.0, 6.493939402266829},
            {3, 2.5, 0.2239058488172521},
            {3, 7.25, 0.006433037597940158},
            {3, 15.5, 0.0005912808080750433},
            {3, 100.3, 2.011947163325406e-06},
            {3, 100000.0, 2.0000300002e-15},
            {3, -0.5, 193.40909103400242},
            {3, -2.5, 194.74787621918756},
            {3, -3.3, 768.9856582554287},
            {3, -10.7, 769.0194964081198},
            {10, 0.7, -183531159.52578712},
            {25, 3.3, 512543342484.9712},
            {6, -4.6, -413775.17346467066},
            {171, 2.0, 2.073093314165313e+257}, // mpmath; SciPy gives inf
            {200, 50.0, -2.5829713930705358e+33}, // mpmath; SciPy gives nan
    };

    @Test
    void lgammaMatchesScipy() {
        for (double[] r : LGAMMA) close("lgamma(" + r[0] + ")", r[1], Special.lgamma(r[0]), 1e-13);
        assertEquals(0.0, Special.lgamma(1.0));
        assertEquals(0.0, Special.lgamma(2.0));
    }

    @Test
    void digammaMatchesScipy() {
        for (double[] r : DIGAMMA) close("digamma(" + r[0] + ")", r[1], Special.digamma(r[0]), 1e-13);
    }

    @Test
    void polygammaMatchesScipy() {
        for (double[] r : POLYGAMMA) {
            int n = (int) r[0];
            close("polygamma(" + n + ", " + r[1] + ")", r[2], Special.polygamma(n, r[1]), n > 170 ? 2e-13 : 1e-13);
            if (n == 1) close("trigamma(" + r[1] + ")", r[2], Special.trigamma(r[1]), 1e-13);
        }
        for (double[] r : DIGAMMA) assertEquals(Special.digamma(r[0]), Special.polygamma(0, r[0]));
    }

    @Test
    void polesAndInfinitiesFollowScipy() {
        double inf = Double.POSITIVE_INFINITY, nan = Double.NaN;
        for (double pole : new double[] {0.0, -0.0, -1, -2, -17, -1e15}) {
            assertEquals(inf, Special.lgamma(pole), "lgamma(" + pole + ")");
            assertEquals(inf, Special.trigamma(pole), "trigamma(" + pole + ")");
            assertEquals(inf, Special.polygamma(1, pole));
            assertEquals(-inf, Special.polygamma(2, pole), "polygamma(2, " + pole + ")");
            assertEquals(inf, Special.polygamma(3, pole));
        }
        assertEquals(-inf, Special.digamma(0.0));
        assertEquals(inf, Special.digamma(-0.0));
        assertTrue(Double.isNaN(Special.digamma(-1)));
        assertTrue(Double.isNaN(Special.digamma(-3)));
        assertEquals(inf, Special.lgamma(inf));
        assertEquals(inf, Special.lgamma(-inf)); // C99 and PyTorch; SciPy's gammaln gives -inf here
        assertEquals(inf, Special.lgamma(1e306)); // overflow, as SciPy
        assertEquals(inf, Special.digamma(inf));
        assertTrue(Double.isNaN(Special.digamma(-inf)));
        assertEquals(0.0, Special.trigamma(inf));
        assertEquals(-0.0, Special.polygamma(2, inf));
        assertEquals(0.0, Special.polygamma(3, inf));
        assertTrue(Double.isNaN(Special.trigamma(-inf))); // SciPy gives inf: the limit does not exist
        assertEquals(inf, Special.trigamma(1e-300)); // 1e600 overflows, as SciPy
        assertEquals(-inf, Special.polygamma(2, 1e-300));
        for (int n = 0; n < 5; n++) assertTrue(Double.isNaN(Special.polygamma(n, nan)));
        assertTrue(Double.isNaN(Special.lgamma(nan)));
        var e = assertThrows(IllegalArgumentException.class, () -> Special.polygamma(-1, 1.0));
        assertEquals("polygamma: order must be >= 0, got -1", e.getMessage());
    }

    /** lgamma(x+1) = lgamma(x) + log|x| (A&S 6.1.15) on random x, negative ones included. */
    @Property(tries = 300)
    void lgammaRecurrence(@ForAll @DoubleRange(min = -30, max = 60) double x) {
        if (x == Math.rint(x)) return;
        double a = Special.lgamma(x + 1), b = Special.lgamma(x) + Math.log(Math.abs(x));
        double scale = Math.abs(Special.lgamma(x)) + Math.abs(Math.log(Math.abs(x))) + 1e-300;
        if (Math.abs(a - b) > 1e-13 * scale) fail("lgamma recurrence at " + x + ": " + a + " vs " + b);
    }

    /** ψ^(n)(x+1) = ψ^(n)(x) + (-1)^n n! / x^(n+1) (A&S 6.4.6) for n = 0..4 on random x. */
    @Property(tries = 300)
    void polygammaRecurrence(@ForAll @IntRange(min = 0, max = 4) int n, @ForAll @DoubleRange(min = -30, max = 60) double x) {
        if (x == Math.rint(x)) return;
        double fact = 1;
        for (int k = 2; k <= n; k++) fact *= k;
        double term = ((n & 1) == 0 ? 1 : -1) * fact / Math.pow(x, n + 1);
        double a = Special.polygamma(n, x + 1), p = Special.polygamma(n, x), b = p + term;
        double scale = Math.abs(a) + Math.abs(p) + Math.abs(term);
        if (Math.abs(a - b) > 1e-13 * scale) fail("polygamma(" + n + ") recurrence at " + x + ": " + a + " vs " + b);
    }

    private static void close(String what, double want, double got, double rel) {
        if (Math.abs(got - want) > rel * Math.abs(want))
            fail(what + ": want " + want + ", got " + got + " (relative error " + Math.abs(got - want) / Math.abs(want) + ")");
    }
}
