package dev.deepprob.engine.cpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector Adam loops give bitwise the scalar loops' update, for every option and β₁ on both sides of lerp's branch. */
class AdamKernelTest {
    private static final int N = 203;   // several vectors and a ragged tail at any lane count

    @Test
    void vectorLoopMatchesScalarLoopBitwiseF32() {
        Generator gen = new Generator(11);
        for (float w1 : new float[]{0.1f, 0.7f}) {
            for (int flags = 0; flags < 8; flags++) {
                boolean l2 = (flags & 1) != 0, dw = (flags & 2) != 0, ams = (flags & 4) != 0;
                float[][] a = inputsF32(gen), b = copy(a);
                int from = OptimKernels.vectorF32(a[0], a[1], a[2], a[3], ams ? a[4] : null, N, w1, 0.999f, 0.001f, 0.01f, -0.003f,
                        0.05f, 1e-8f, 0.99f, l2, dw);
                assertTrue(from > 0 && from <= N, "the vector loop ran (stopped at " + from + ")");
                OptimKernels.scalarF32(a[0], a[1], a[2], a[3], ams ? a[4] : null, from, N, w1, 0.999f, 0.001f, 0.01f, -0.003f, 0.05f, 1e-8f,
                        0.99f, l2, dw);
                OptimKernels.scalarF32(b[0], b[1], b[2], b[3], ams ? b[4] : null, 0, N, w1, 0.999f, 0.001f, 0.01f, -0.003f, 0.05f, 1e-8f,
                        0.99f, l2, dw);
                for (int k = 0; k < 5; k++) {
                    String what = "array " + k + ", w1 " + w1 + ", l2 " + l2 + ", decoupled " + dw + ", amsgrad " + ams;
                    int[] x = bits(a[k]), y = bits(b[k]);
                    assertArrayEquals(y, x, what);
                }
            }
        }
    }

    @Test
    void vectorLoopMatchesScalarLoopBitwiseF64() {
        Generator gen = new Generator(12);
        for (double w1 : new double[]{0.1, 0.7}) {
            for (int flags = 0; flags < 8; flags++) {
                boolean l2 = (flags & 1) != 0, dw = (flags & 2) != 0, ams = (flags & 4) != 0;
                double[][] a = new double[5][], b = new double[5][];
                for (int k = 0; k < 5; k++) {
                    a[k] = NDArray.randn(gen, DType.F64, N).toDoubleArray();
                    if (k == 3 || k == 4) for (int i = 0; i < N; i++) a[k][i] = a[k][i] * a[k][i];   // second moments >= 0
                    b[k] = a[k].clone();
                }
                int from = OptimKernels.vectorF64(a[0], a[1], a[2], a[3], ams ? a[4] : null, N, w1, 0.999, 0.001, 0.01, -0.003, 0.05, 1e-8,
                        0.99, l2, dw);
                assertTrue(from > 0 && from <= N, "the vector loop ran (stopped at " + from + ")");
                OptimKernels.scalarF64(a[0], a[1], a[2], a[3], ams ? a[4] : null, from, N, w1, 0.999, 0.001, 0.01, -0.003, 0.05, 1e-8, 0.99,
                        l2, dw);
                OptimKernels.scalarF64(b[0], b[1], b[2], b[3], ams ? b[4] : null, 0, N, w1, 0.999, 0.001, 0.01, -0.003, 0.05, 1e-8, 0.99,
                        l2, dw);
                for (int k = 0; k < 5; k++) {
                    long[] x = Arrays.stream(a[k]).mapToLong(Double::doubleToRawLongBits).toArray();
                    long[] y = Arrays.stream(b[k]).mapToLong(Double::doubleToRawLongBits).toArray();
                    assertArrayEquals(y, x, "array " + k + ", w1 " + w1 + ", l2 " + l2 + ", decoupled " + dw + ", amsgrad " + ams);
                }
            }
        }
    }

    /** p, g, m, v, vmax; v and vmax non-negative, with a NaN and an infinity in the gradient to check their propagation. */
    private static float[][] inputsF32(Generator gen) {
        float[][] a = new float[5][];
        for (int k = 0; k < 5; k++) {
            double[] d = NDArray.randn(gen, DType.F64, N).toDoubleArray();
            a[k] = new float[N];
            for (int i = 0; i < N; i++) a[k][i] = (float) (k >= 3 ? d[i] * d[i] : d[i]);
        }
        a[1][5] = Float.NaN;
        a[1][40] = Float.POSITIVE_INFINITY;
        return a;
    }

    private static float[][] copy(float[][] a) {
        float[][] b = new float[a.length][];
        for (int k = 0; k < a.length; k++) b[k] = a[k].clone();
        return b;
    }

    private static int[] bits(float[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) r[i] = Float.floatToRawIntBits(x[i]);
        return r;
    }
}
