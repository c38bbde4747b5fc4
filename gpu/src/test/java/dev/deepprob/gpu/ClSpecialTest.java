package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.engine.SpecialFn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every special function on the device against the CPU backend, on grids that reach each branch of the algorithms
 * (erf's series and continued fraction, erf⁻¹'s central and tail starts, the incomplete gamma's series, continued
 * fraction, small-x series of Q and Temme's expansion, the beta function's fraction and BGRAT, the Newton inverses
 * from their different starts, deep tails, a large, x near 0 and 1). Operands are broadcast (stride-0) views.
 *
 * <p>Tolerances. Both backends run the same algorithm in double, so they take the same branches and the same number
 * of iterations; what differs is the last bit of exp, log, log1p, expm1, sin, cos and sqrt (Java's Math against the
 * device's libm, OpenCL allows up to 3-4 ulp). Forward functions combine a few dozen such operations, and where a
 * result is exp(log R) its relative error is |log R| ulps: F64 is held to {@link #F64_REL} relative plus
 * {@code |log R|·1e-15} (the deepest tails here have |log R| ~ 700). The inverses (erf⁻¹, Φ⁻¹, P⁻¹, I⁻¹, t⁻¹) are Newton
 * solutions that stop at the residual's rounding, so they agree to the conditioning of the forward function at the
 * root: held to 1e-12 relative (on PoCL most F64 values are identical, the others a few 1e-16 apart). F32 results are double results rounded once, so they agree within one float ulp.
 */
class ClSpecialTest {
    private final ClBackend cl = ClTestDevice.backend();
    private final Backend cpu = Backends.cpu();
    /** Relative agreement in F64 for functions whose result is not a deep-tail exponential (see the class comment). */
    private static final double F64_REL = 1e-13;

    private static final double[] A_GRID = {1e-3, 0.1, 0.5, 1, 2.5, 9.9, 10, 15, 25, 100, 1e4, 1e8};
    private static final double[] X_GRID = {1e-5, 0.3, 0.5, 0.8, 1, 1.1, 1.5, 3, 10, 22, 30, 80, 120, 900, 9000, 12000, 1e8 * 0.95, 1e8 * 1.05};
    private static final double[] P_GRID = {0, 1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-12, 1};

    /** Runs fn on both backends with the operands broadcast against each other; checks each element. */
    private void compare(SpecialFn fn, double rel, double logScale, double[]... grids) {
        int r = grids.length;
        NDArray[] host = new NDArray[r];
        int[] shape = new int[0];
        for (int i = 0; i < r; i++) {
            int[] s = new int[r];
            java.util.Arrays.fill(s, 1);
            s[i] = grids[i].length;
            host[i] = NDArray.of(grids[i]).reshape(s);
            shape = Shapes.broadcast("test", shape, s);
        }
        for (DType t : new DType[]{DType.F64, DType.F32}) {
            NDArray[] c = new NDArray[r], d = new NDArray[r];
            for (int i = 0; i < r; i++) {
                c[i] = host[i].to(t).expand(shape);
                d[i] = host[i].to(t).to(cl).expand(shape);
            }
            NDArray want = cpu.special(fn, c), got = cl.special(fn, d).toCpu();
            assertEquals(t, got.dtype());
            assertArrayEquals(want.dims(), got.dims());
            double[] w = want.toDoubleArray(), g = got.toDoubleArray();
            float[] wf = t == DType.F32 ? want.toFloatArray() : null;
            List<String> bad = new ArrayList<>();
            for (int i = 0; i < w.length; i++) {
                if (Double.isNaN(w[i]) || Double.isInfinite(w[i]) || w[i] == 0) {
                    if (!(Double.compare(w[i], g[i]) == 0 || (w[i] == 0 && g[i] == 0))) bad.add(at(c, i, w[i], g[i]));
                    continue;
                }
                double tol = t == DType.F32 ? Math.ulp(wf[i]) : rel * Math.abs(w[i]) + logScale * Math.abs(Math.log(Math.abs(w[i]))) * Math.abs(w[i]);
                if (!(Math.abs(w[i] - g[i]) <= tol)) bad.add(at(c, i, w[i], g[i]));
            }
            assertTrue(bad.isEmpty(), fn + " " + t + ": " + bad.size() + " of " + w.length + " differ, first: " + bad.subList(0, Math.min(5, bad.size())));
        }
    }

    private static String at(NDArray[] ops, int i, double want, double got) {
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < ops.length; k++) sb.append(k == 0 ? "" : ", ").append(ops[k].contiguous().toDoubleArray()[i]);
        return sb.append(") cpu ").append(want).append(" device ").append(got).append(" rel ").append(Math.abs(want - got) / Math.abs(want)).toString();
    }

    @Test
    void erfAndItsInverses() {
        compare(SpecialFn.ERF, F64_REL, 0, new double[]{Double.NaN, -30, -6, -2.6, -2.5, -2.4, -1, -0.3, -1e-10, -0.0, 0, 1e-300, 0.5, 1,
                2.49, 2.5, 3, 5, 27, 28, Double.POSITIVE_INFINITY});
        compare(SpecialFn.ERFINV, 1e-12, 0, new double[]{Double.NaN, -1.5, -1, -0.999999, -0.7, -0.5, -0.3, 0, 1e-20, 0.2, 0.5, 0.50001,
                0.9, 1 - 1e-10, 1 - 0x1p-53, 1});
        compare(SpecialFn.NDTRI, 1e-12, 0, new double[]{Double.NaN, -0.1, 0, Double.MIN_VALUE, 1e-300, 1e-100, 1e-20, 1e-10, 0.01, 0.2,
                0.25, 0.5, 0.7, 0.75, 0.99, 1 - 1e-10, 1 - 0x1p-53, 1});
    }

    @Test
    void incompleteGammaAndItsGradient() {
        compare(SpecialFn.GAMMA_P, F64_REL, 1e-15, A_GRID, X_GRID);
        compare(SpecialFn.GAMMA_Q, F64_REL, 1e-15, A_GRID, X_GRID);
        // a difference quotient of log R over steps of 0.005·min(a, √a): the logs' last-bit differences are divided by
        // the step (a = 1e-3: by 5e-6 relative to a), so 1e-11 rather than F64_REL
        compare(SpecialFn.STANDARD_GAMMA_GRAD, 1e-11, 1e-15, A_GRID, X_GRID);
        compare(SpecialFn.GAMMA_P_INV, 1e-12, 0, A_GRID, P_GRID);
    }

    @Test
    void incompleteBetaAndItsInverse() {
        double[] x = {0, 1e-300, 1e-10, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-10, 1};
        double[] a = {0.01, 0.5, 1, 2.5, 30, 1500};
        double[] b = {0.3, 1, 4, 2000};
        compare(SpecialFn.BETA_I, F64_REL, 1e-15, x, a, b);
        compare(SpecialFn.BETA_I_INV, 1e-12, 0, P_GRID, a, b);
    }

    @Test
    void studentT() {
        double[] nu = {0.5, 1, 2.5, 10, 100, 1e6, 1e12};
        compare(SpecialFn.STUDENT_T_CDF, F64_REL, 1e-15, nu, new double[]{Double.NEGATIVE_INFINITY, -1e300, -1e10, -30, -3, -0.5, 0, 1e-8,
                0.5, 3, 30, 1e10, Double.POSITIVE_INFINITY, Double.NaN});
        compare(SpecialFn.STUDENT_T_ICDF, 1e-12, 0, nu, new double[]{0, 1e-300, 1e-30, 1e-5, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-10, 1});
    }

    @Test
    void operandsAreChecked() {
        NDArray x = NDArray.of(new double[]{0.5}).to(cl);
        var e = assertThrows(IllegalArgumentException.class, () -> cl.special(SpecialFn.GAMMA_P, new NDArray[]{x}));
        assertTrue(e.getMessage().startsWith("gammaP: expected 2 operands"), e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> cl.special(SpecialFn.GAMMA_P, new NDArray[]{x, x.to(DType.F32)}));
        assertTrue(m.getMessage().contains("dtype mismatch"), m.getMessage());
        // through the public API: a scalar broadcast against a vector
        NDArray v = NDArray.of(new double[]{0.1, 1, 5});
        assertTrue(v.to(cl).erf().toCpu().allClose(v.erf(), F64_REL, 0));
    }
}
