package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import static dev.deepprob.nn.Asserts.assertClose;
import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

class LinearTest {

    /**
     * For n draws of U(-b, b): mean 0 with standard error b/√(3n); the sample variance estimates b²/3 with
     * standard error √(E x⁴ - (E x²)²)/√n = b²·√(4/45)/√n. Five standard errors bound a false failure by ~6e-7.
     */
    private static void assertUniform(double[] v, double b) {
        int n = v.length;
        double mean = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (double x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= n;
        double var = 0;
        for (double x : v) var += x * x;
        var /= n;
        assertTrue(min >= -b && max <= b, "values in [-b, b] with b = " + b + ": min " + min + ", max " + max);
        assertEquals(0, mean, 5 * b / Math.sqrt(3.0 * n), "mean");
        assertEquals(b * b / 3, var, 5 * b * b * Math.sqrt(4.0 / 45) / Math.sqrt(n), "variance");
        // the extremes of n uniforms fall within 2b·t/n of the bounds with probability 1 - e^-t; t = 15
        assertTrue(max > b - 30 * b / n && min < -b + 30 * b / n, "range reaches the bounds: " + min + ", " + max);
    }

    @Test
    void initialisationIsUniformInPlusMinusOneOverSqrtFanIn() {
        Linear l = new Linear(200, 300, new Generator(1));
        double b = 1 / Math.sqrt(200);
        assertUniform(l.weight().data().toDoubleArray(), b);
        assertArrayEquals(new int[]{300, 200}, l.weight().dims());
        double[] bias = l.bias().orElseThrow().data().toDoubleArray();
        assertEquals(300, bias.length);
        for (double x : bias) assertTrue(Math.abs(x) <= b);
        // bias statistics need more draws: many small layers
        double[] many = new double[20000];
        Generator g = new Generator(2);
        for (int k = 0; k < many.length / 500; k++) {
            double[] bb = new Linear(16, 500, g).bias().orElseThrow().data().toDoubleArray();
            System.arraycopy(bb, 0, many, k * 500, 500);
        }
        assertUniform(many, 0.25);
    }

    @Test
    void sameSeedSameWeightsAndF64Works() {
        Linear a = new Linear(5, 4, true, DType.F64, new Generator(3)), b = new Linear(5, 4, true, DType.F64, new Generator(3));
        assertEquals(DType.F64, a.weight().dtype());
        assertEquals(a.weight().data(), b.weight().data());
        assertEquals(a.bias().orElseThrow().data(), b.bias().orElseThrow().data());
    }

    @Test
    void forwardIsXTimesWTransposedPlusB() {
        Linear l = new Linear(3, 2, true, DType.F64, new Generator(4));
        double[] w = l.weight().data().toDoubleArray(), b = l.bias().orElseThrow().data().toDoubleArray();
        double[] x = {1, -2, 0.5, 3, 0.25, -1};
        double[] want = new double[4];
        for (int i = 0; i < 2; i++) for (int o = 0; o < 2; o++) {
            double s = b[o];
            for (int k = 0; k < 3; k++) s += x[i * 3 + k] * w[o * 3 + k];
            want[i * 2 + o] = s;
        }
        Tensor y = l.forward(Tensor.of(DType.F64, x, 2, 3));
        assertArrayEquals(new int[]{2, 2}, y.dims());
        assertClose(want, y.toDoubleArray(), 1e-14);
        // a single sample (in) gives (out); extra batch dims are kept
        assertClose(new double[]{want[0], want[1]}, l.forward(Tensor.of(DType.F64, new double[]{1, -2, 0.5})).toDoubleArray(), 1e-14);
        Tensor y3 = l.forward(Tensor.of(DType.F64, new double[]{1, -2, 0.5, 3, 0.25, -1, 1, -2, 0.5, 3, 0.25, -1}, 2, 2, 3));
        assertArrayEquals(new int[]{2, 2, 2}, y3.dims());
        assertClose(want, y3.narrow(0, 1, 1).flatten().toDoubleArray(), 1e-14);
        Linear nb = new Linear(3, 2, false, DType.F64, new Generator(5));
        assertTrue(nb.bias().isEmpty());
        assertEquals(1, nb.parameters().size());
    }

    @Test
    void gradientsReachWeightAndBias() {
        Linear l = new Linear(3, 2, true, DType.F64, new Generator(6));
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        l.forward(x).sum().backward();
        // d/dW Σ (xWᵀ + b) = Σ_i x_i per output row; d/db = batch size
        assertClose(new double[]{5, 7, 9, 5, 7, 9}, l.weight().grad().toDoubleArray(), 1e-14);
        assertClose(new double[]{2, 2}, l.bias().orElseThrow().grad().toDoubleArray(), 1e-14);
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        Generator g = new Generator(7);
        assertThrowsWith(IllegalArgumentException.class, () -> new Linear(0, 3, g), "Linear: in_features must be > 0, got 0");
        assertThrowsWith(IllegalArgumentException.class, () -> new Linear(3, -1, g), "Linear: out_features must be > 0, got -1");
        assertThrowsWith(IllegalArgumentException.class, () -> new Linear(3, 2, true, DType.I64, g), "Linear: dtype must be F32 or F64, got I64");
        assertThrowsWith(IllegalArgumentException.class, () -> new Linear(3, 2, null), "Linear: generator must not be null");
        Linear l = new Linear(4, 2, g);
        assertThrowsWith(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(5, 3)),
                "Linear.forward: input of shape [5, 3] does not match in_features 4");
        assertThrowsWith(IllegalArgumentException.class, () -> l.forward(Tensor.scalar(1)), "Linear.forward: input of shape []");
        assertThrowsWith(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(DType.F64, 5, 4)),
                "Linear.forward: input dtype F64 does not match the layer's dtype F32");
        assertThrowsWith(IllegalArgumentException.class, () -> l.forward(null), "Linear.forward: input must not be null");
    }

    @Test
    void functionalLinearValidates() {
        Tensor w = Tensor.zeros(2, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(4, 2), w, null), "linear: input of shape [4, 2]");
        assertThrowsWith(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(4, 3), w, Tensor.zeros(3)), "linear: bias must be F32 of shape [2]");
        assertThrowsWith(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(4, 3), Tensor.zeros(3), null), "linear: weight must be 2-D");
        assertArrayEquals(new int[]{4, 2}, Functional.linear(Tensor.zeros(4, 3), w, Tensor.of(NDArray.ones(DType.F32, 2))).dims());
    }
}
