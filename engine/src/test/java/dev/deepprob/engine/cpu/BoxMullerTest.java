package dev.deepprob.engine.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vectorised Box-Muller transform against the formula it replaced, StrictMath's log, sqrt, cos and sin in double
 * rounded to float: the same floats except, rarely, one ulp apart where the double lies at a float rounding boundary.
 */
class BoxMullerTest {
    /** The float normals as RngKernels first computed them, one StrictMath call per transcendental. */
    static void normalStrict(long key, long ctr, float[] out, int n, float mean, float std) {
        int[] w = new int[4];
        for (int b = 0; b * 4 < n; b++) {
            RngPhilox.block(key, ctr + b, 0, w);
            int base = b << 2, m = Math.min(4, n - base);
            for (int p = 0; p < m; p += 2) {
                double r = StrictMath.sqrt(-2.0 * StrictMath.log(RngPhilox.openUnit32(w[p])));
                double t = RngKernels.TWO_PI * ((w[p + 1] & 0xFFFFFFFFL) * 0x1.0p-32);
                out[base + p] = (float) (mean + std * (r * StrictMath.cos(t)));
                if (p + 1 < m) out[base + p + 1] = (float) (mean + std * (r * StrictMath.sin(t)));
            }
        }
    }

    @Test
    void floatNormalsMatchTheStrictMathFormula() {
        // 2^22 values over several keys, counters, lengths (vector tails, partial last blocks) and affine maps
        SplittableRandom r = new SplittableRandom(5);
        long total = 0, differ = 0;
        for (int t = 0; t < 64; t++) {
            int n = t < 8 ? 1 + t : 65536 + r.nextInt(3);
            long key = r.nextLong(), ctr = r.nextLong() >>> 8;
            float mean = t % 3 == 0 ? 0f : (float) r.nextDouble(-3, 3), std = t % 3 == 0 ? 1f : (float) r.nextDouble(0.1, 4);
            float[] got = new float[n], want = new float[n];
            RngKernels.normal(key, ctr, got, 0, n, mean, std);
            normalStrict(key, ctr, want, n, mean, std);
            for (int i = 0; i < n; i++) {
                total++;
                if (Float.floatToIntBits(got[i]) == Float.floatToIntBits(want[i])) continue;
                differ++;
                assertTrue(Math.abs(got[i] - want[i]) <= Math.ulp(want[i]) + 1e-37f,
                        "normal value " + i + " of test " + t + ": " + got[i] + " against StrictMath's " + want[i]);
            }
        }
        // a double result within a few double ulps of a float boundary: about 2^-27 of the values at most
        assertTrue(differ <= total >> 20, differ + " of " + total + " values differ from StrictMath's by one ulp");
    }

    @Test
    void anglesAtQuadrantBoundariesAndExtremeUniforms() {
        // words at the quadrant edges and the centring edge (f = 1/2), and the smallest and largest uniforms
        int[] angles = {0, 1, 0x1FFFFFFF, 0x20000000, 0x3FFFFFFF, 0x40000000, 0x60000000, 0x7FFFFFFF, 0x80000000,
            0xA0000000, 0xBFFFFFFF, 0xC0000000, 0xE0000000, 0xFFFFFFFF};
        int[] radii = {0, 1, 0x7FFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF};
        int n = angles.length * radii.length;
        double[] u = new double[n], q = new double[n], f = new double[n], c = new double[n], s = new double[n];
        int j = 0;
        for (int a : angles) {
            for (int rw : radii) {
                u[j] = RngPhilox.openUnit32(rw);
                BoxMuller.angle(a, q, f, j++);
            }
        }
        BoxMuller.pairs(u, q, f, n, c, s);
        j = 0;
        for (int a : angles) {
            for (int rw : radii) {
                double r = StrictMath.sqrt(-2.0 * StrictMath.log(RngPhilox.openUnit32(rw)));
                double t = RngKernels.TWO_PI * ((a & 0xFFFFFFFFL) * 0x1.0p-32);
                // absolute: at a zero of cos or sin StrictMath sees the rounded 2 pi v, this code the exact angle
                assertEquals(r * StrictMath.cos(t), c[j], 4e-16 * r, "cos, word " + Integer.toHexString(a));
                assertEquals(r * StrictMath.sin(t), s[j], 4e-16 * r, "sin, word " + Integer.toHexString(a));
                j++;
            }
        }
    }

    @Test
    void logIsWithinTwoUlpsOfStrictMath() {
        SplittableRandom r = new SplittableRandom(9);
        double[] x = new double[4099], got = new double[x.length];
        for (int i = 0; i < x.length; i++) x[i] = i < 3 ? new double[] {0x1.0p-33, 0.5, 1 - 0x1.0p-33}[i] : Math.pow(r.nextDouble(), 1 + r.nextInt(30));
        for (int i = 0; i < x.length; i++) {
            got[i] = BoxMuller.log(x[i]);
            double want = StrictMath.log(x[i]);
            assertTrue(Math.abs(got[i] - want) <= 2 * Math.ulp(want), "log(" + x[i] + ") = " + got[i] + ", StrictMath " + want);
        }
    }

    /** The vector loops at 4 double lanes (and 2): child JVMs at 256- and 128-bit vectors. */
    @Test
    void everyVectorWidthMatchesTheStrictMathFormula() throws Exception {
        NarrowVectors.run(BoxMullerTest.class);
    }

    /** The child JVM of {@link #everyVectorWidthMatchesTheStrictMathFormula}. */
    public static void main(String[] args) {
        BoxMullerTest t = new BoxMullerTest();
        NarrowVectors.child(() -> {
            t.floatNormalsMatchTheStrictMathFormula();
            t.anglesAtQuadrantBoundariesAndExtremeUniforms();
            t.logIsWithinTwoUlpsOfStrictMath();
            new RngPhiloxBlocksTest().blocksEqualOneBlockAtATime();
        });
    }
}
