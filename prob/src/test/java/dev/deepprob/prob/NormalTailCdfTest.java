package dev.deepprob.prob;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.prob.MultivariateNormalTest.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Normal.cdf and LogNormal.cdf keep their relative accuracy in the lower tail, where ½(1 + erf(z/√2)) cancels to
 * nothing. Reference values from SciPy 1.10.1 (whose ndtr agrees with mpmath at 50 digits to 3e-14 here), printed
 * with repr by
 * <pre>
 * /usr/bin/python3 -c "from scipy.stats import norm; zs = [-0.5, -1.9, -2.0, -2.1, -3, -5, -8, -10, -20, -30, -37.5];
 *     print([repr(norm.cdf(z)) for z in zs]); print([repr(norm.pdf(z)) for z in zs])"
 * /usr/bin/python3 -c "from scipy.stats import norm; print([repr(norm.cdf(z)) for z in [-2.5, -4, -6]])"
 * /usr/bin/python3 -c "from scipy.stats import lognorm; import numpy as np; d = lognorm(s=0.25, scale=np.exp(0.5));
 *     print(repr(d.cdf(0.3)), repr(d.cdf(0.1)))"
 * </pre>
 */
@ExtendWith(NumbersAreF64.class)   // F64 references; numbers here mean F64
class NormalTailCdfTest {
    static final double[] Z = {-0.5, -1.9, -2.0, -2.1, -3, -5, -8, -10, -20, -30, -37.5};
    static final double[] CDF = {0.3085375387259869, 0.028716559816001803, 0.022750131948179195, 0.017864420562816542,
            0.0013498980316300933, 2.866515718791933e-07, 6.22096057427174e-16, 7.61985302416047e-24, 2.7536241186061556e-89,
            4.906713927147908e-198, 4.605353009581954e-308};
    static final double[] PDF = {0.35206532676429947, 0.0656158147746766, 0.05399096651318805, 0.0439835959804272,
            0.004431848411938008, 1.486719514734298e-06, 5.052271083536893e-15, 7.69459862670642e-23, 5.520948362159764e-88,
            1.4736461348785476e-196, 1.7282337322841054e-306};

    static double rel(double expected, double actual) { return Math.abs(actual / expected - 1); }

    /** The values the issue names: z = -8, -10, -20 to 1e-10 relative (SciPy's own error is about 1e-14 there). */
    @Test
    void farTailMatchesScipyToRelativeAccuracy() {
        Normal n = new Normal(0, 1);
        double[] got = n.cdf(Tensor.of(DType.F64, new double[]{-8, -10, -20})).toDoubleArray();
        assertEquals(0, rel(6.22096057427174e-16, got[0]), 1e-10, "Φ(-8) = " + got[0]);
        assertEquals(0, rel(7.61985302416047e-24, got[1]), 1e-10, "Φ(-10) = " + got[1]);
        assertEquals(0, rel(2.7536241186061556e-89, got[2]), 1e-10, "Φ(-20) = " + got[2]);
        // the old form, ½(1 + erf(z/√2)), was 2% off at -8 and exactly 0 from -8.5 on
        double naive = Tensor.scalar(DType.F64, -10 / Math.sqrt(2)).erf().add(1).mul(0.5).item();
        assertEquals(0, naive, 0);
    }

    /** Over both branches (z >= -2: erf; z < -2: continued fraction), for loc/scale and the value, to 1e-13. */
    @Test
    void wholeLowerHalfMatchesScipy() {
        double worst = 0;
        // through loc and scale: x = loc + scale·z
        Normal n = new Normal(Tensor.scalar(DType.F64, 1.5), Tensor.scalar(DType.F64, 0.5));
        double[] x = new double[Z.length];
        for (int i = 0; i < Z.length; i++) x[i] = 1.5 + 0.5 * Z[i];
        double[] got = n.cdf(Tensor.of(DType.F64, x)).toDoubleArray();
        for (int i = 0; i < Z.length; i++) {
            double e = rel(CDF[i], got[i]);
            worst = Math.max(worst, e);
            assertTrue(e < 1e-13, "Φ(" + Z[i] + "): " + got[i] + " vs " + CDF[i] + ", relative error " + e);
        }
        report("Normal.cdf lower tail vs SciPy (relative)", worst);
        // the upper half is unchanged: 1 - Φ(-z)
        double[] up = new Normal(0, 1).cdf(Tensor.of(DType.F64, new double[]{0, 0.5, 3, 40, Double.POSITIVE_INFINITY})).toDoubleArray();
        assertEquals(0.5, up[0], 0);
        assertEquals(1 - CDF[0], up[1], 1e-15);
        assertEquals(1 - CDF[4], up[2], 1e-15);
        assertEquals(1, up[3], 0);
        assertEquals(1, up[4], 0);
        // -∞ and beyond the smallest double
        double[] low = new Normal(0, 1).cdf(Tensor.of(DType.F64, new double[]{Double.NEGATIVE_INFINITY, -39, -1e300})).toDoubleArray();
        assertEquals(0, low[0], 0);
        assertEquals(0, low[1], 0);
        assertEquals(0, low[2], 0);
        // continuous across the switch at z = -2 (each side accurate to about 1e-15 there)
        double[] sw = new Normal(0, 1).cdf(Tensor.of(DType.F64, new double[]{Math.nextDown(-2.0), -2.0, Math.nextUp(-2.0)})).toDoubleArray();
        assertEquals(0, rel(CDF[2], sw[0]), 1e-14);
        assertEquals(0, rel(CDF[2], sw[1]), 1e-14);
        assertEquals(0, rel(CDF[2], sw[2]), 1e-14);
        // float32: the same forms in single precision
        double[] f = new Normal(Tensor.of(new float[]{0}), Tensor.of(new float[]{1})).cdf(Tensor.of(new float[]{-1.9f, -5, -10})).toDoubleArray();
        assertEquals(0, rel(0.028716559816001803, f[0]), 1e-5);
        assertEquals(0, rel(2.866515718791933e-07, f[1]), 1e-5);
        assertEquals(0, rel(7.61985302416047e-24, f[2]), 1e-5);
    }

    /**
     * The fraction's depth follows the smallest tail value present (50 levels at t = 2 down to 6 beyond t = 10):
     * each threshold alone, and the same points beside one at t = 2 (the deepest fraction), agree with SciPy.
     */
    @Test
    void depthChosenPerCallKeepsTheAccuracy() {
        double[] z = {-2.5, -3, -4, -5, -6, -8, -10};
        double[] ref = {0.006209665325776132, 0.0013498980316300933, 3.167124183311986e-05, 2.866515718791933e-07,
                9.865876450376946e-10, 6.22096057427174e-16, 7.61985302416047e-24};
        Normal n = new Normal(0, 1);
        double[] together = n.cdf(Tensor.of(DType.F64, z)).toDoubleArray();
        for (int i = 0; i < z.length; i++) {
            double alone = n.cdf(Tensor.scalar(DType.F64, z[i])).item();
            double withDeep = n.cdf(Tensor.of(DType.F64, new double[]{Math.nextDown(-2.0), z[i]})).toDoubleArray()[1];
            assertEquals(0, rel(ref[i], alone), 1e-13, "Φ(" + z[i] + ") alone");
            assertEquals(0, rel(ref[i], withDeep), 1e-13, "Φ(" + z[i] + ") beside Φ(-2)");
            assertEquals(0, rel(ref[i], together[i]), 1e-13, "Φ(" + z[i] + ") in one call");
        }
        // tail and centre elements mixed over broadcast shapes: each element as if computed alone
        Normal b = new Normal(Tensor.of(DType.F64, new double[]{0, 1, -1, 0.5, 2, 0}, 2, 3), Tensor.of(DType.F64, new double[]{1, 0.5, 2, 1, 0.25, 3}, 2, 3));
        Tensor x = Tensor.of(DType.F64, new double[]{-9, 0.3, -3, 1, -30, 12, -2.2, -0.1, -7, 0, 3, -50}, 4, 1, 3);
        Tensor all = b.cdf(x);
        assertArrayEquals(new int[]{4, 2, 3}, all.dims());
        double[] av = all.toDoubleArray();
        double[] loc = b.loc().toDoubleArray(), sc = b.scale().toDoubleArray(), xv = x.toDoubleArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                double one = new Normal(loc[j], sc[j]).cdf(Tensor.scalar(DType.F64, xv[i * 3 + j % 3])).item();
                assertEquals(one, av[i * 6 + j], Math.abs(one) * 1e-15, "element [" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void logNormalSharesTheTail() {
        LogNormal d = new LogNormal(0.5, 0.25);
        double[] zs = {-8, -10, -20};
        double[] xs = new double[3];
        for (int i = 0; i < 3; i++) xs[i] = Math.exp(0.5 + 0.25 * zs[i]);
        double[] got = d.cdf(Tensor.of(DType.F64, xs)).toDoubleArray();
        assertEquals(0, rel(6.22096057427174e-16, got[0]), 1e-10);
        assertEquals(0, rel(7.61985302416047e-24, got[1]), 1e-10);
        assertEquals(0, rel(2.7536241186061556e-89, got[2]), 1e-10);
        double[] direct = d.cdf(Tensor.of(DType.F64, new double[]{0.3, 0.1, 0})).toDoubleArray();
        assertEquals(0, rel(4.68405831003724e-12, direct[0]), 1e-12);
        assertEquals(0, rel(1.8139777883515717e-29, direct[1]), 1e-12);
        assertEquals(0, direct[2], 0);
    }

    /**
     * Gradients: finite everywhere (the unused branch sees a clamped input), first and second order against finite
     * differences in F64, and d/dx Φ((x - loc)/scale) = φ(z)/scale to relative accuracy in the tail (a check the
     * absolute tolerance of finite differences cannot make at 1e-89).
     */
    @Test
    void gradientsAreFiniteAndAccurate() {
        Generator dirs = new Generator(7);
        GradCheck.Options opt = new GradCheck.Options(1e-6, 1e-10, 1e-6);
        Tensor xs = Tensor.of(DType.F64, new double[]{-8, -10, -20, -2.5, -2.0, -1.5, 0.3, 3});
        GradCheck.check(in -> new Normal(in.get(0), in.get(1)).cdf(in.get(2)),
                List.of(Tensor.of(DType.F64, new double[]{0.1, -0.2, 0.3, 0, 0.05, 0, 0.2, -0.1}), Tensor.of(DType.F64, new double[]{1, 1.1, 0.9, 1, 1.2, 0.8, 1, 2}), xs),
                1, opt, dirs);
        GradCheck.check(in -> new Normal(in.get(0), in.get(1)).cdf(xs),
                List.of(Tensor.of(DType.F64, new double[]{0.1, -0.2, 0.3, 0, 0.05, 0, 0.2, -0.1}), Tensor.of(DType.F64, new double[]{1, 1.1, 0.9, 1, 1.2, 0.8, 1, 2})),
                2, opt, dirs);
        GradCheck.check(in -> new LogNormal(in.get(0), in.get(1)).cdf(Tensor.of(DType.F64, new double[]{0.3, 0.1, 1.5})),
                List.of(Tensor.of(DType.F64, new double[]{0.5, 0.5, 0.5}), Tensor.of(DType.F64, new double[]{0.25, 0.25, 0.4})), 2, opt, dirs);
        // dΦ/dz = φ(z) relative to 1e-9, on both branches
        Tensor z = Tensor.of(DType.F64, Z).requiresGrad(true);
        Tensor g = Autograd.grad(new Normal(0, 1).cdf(z).sum(), List.of(z), false).getFirst();
        double worst = 0;
        double[] gv = g.toDoubleArray();
        for (int i = 0; i < Z.length; i++) {
            double e = rel(PDF[i], gv[i]);
            worst = Math.max(worst, e);
            assertTrue(e < 1e-9, "φ(" + Z[i] + "): " + gv[i] + " vs " + PDF[i]);
        }
        report("d Normal.cdf / dx in the lower tail vs SciPy's pdf (relative)", worst);
        // zero (finite) gradients far out, in loc, scale and the value, on either side of the switch
        Tensor loc = Tensor.of(DType.F64, new double[]{0, 0, 0, 0}).requiresGrad(true), scale = Tensor.of(DType.F64, new double[]{1, 1, 1, 1}).requiresGrad(true);
        Tensor v = Tensor.of(DType.F64, new double[]{-1e300, -1e6, 1e6, 1e300}).requiresGrad(true);
        List<Tensor> gs = Autograd.grad(new Normal(loc, scale).cdf(v).sum(), List.of(loc, scale, v), false);
        for (Tensor t : gs) for (double d : t.toDoubleArray()) assertEquals(0, d, 0, "gradient " + t);
        // at x = ±∞ the gradient in loc and x is 0; in scale it is 0·∞ = NaN through z = (x - loc)/scale itself
        // (dz/dscale = -z/scale), before either branch, as in PyTorch
        v = Tensor.of(DType.F64, new double[]{Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}).requiresGrad(true);
        Tensor l2 = Tensor.of(DType.F64, new double[]{0, 0}).requiresGrad(true);
        gs = Autograd.grad(new Normal(l2, Tensor.of(DType.F64, new double[]{1, 1})).cdf(v).sum(), List.of(l2, v), false);
        for (Tensor t : gs) for (double d : t.toDoubleArray()) assertEquals(0, d, 0, "gradient at ±∞ " + t);
    }
}
