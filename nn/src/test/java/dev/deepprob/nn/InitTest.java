package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

class InitTest {

    private static double[] meanAndVar(Tensor t) {
        double[] v = t.toDoubleArray();
        double m = 0, s = 0;
        for (double x : v) m += x;
        m /= v.length;
        for (double x : v) s += (x - m) * (x - m);
        return new double[]{m, s / v.length};
    }

    private static double maxAbs(Tensor t) {
        double r = 0;
        for (double x : t.toDoubleArray()) r = Math.max(r, Math.abs(x));
        return r;
    }

    @Test
    void gainsAndFansAreThoseOfPyTorch() {
        assertEquals(1, Init.calculateGain(Init.Nonlinearity.LINEAR));
        assertEquals(1, Init.calculateGain(Init.Nonlinearity.SIGMOID));
        assertEquals(5.0 / 3, Init.calculateGain(Init.Nonlinearity.TANH));
        assertEquals(Math.sqrt(2), Init.calculateGain(Init.Nonlinearity.RELU));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain(Init.Nonlinearity.LEAKY_RELU));
        assertEquals(Math.sqrt(2 / 1.04), Init.calculateGain(Init.Nonlinearity.LEAKY_RELU, 0.2), 1e-15);
        assertEquals(0.75, Init.calculateGain(Init.Nonlinearity.SELU));
        assertEquals(new Init.Fans(3, 4), Init.fans(new int[]{4, 3}));
        assertEquals(new Init.Fans(3 * 25, 8 * 25), Init.fans(new int[]{8, 3, 5, 5}));
    }

    /** Standard errors: of the mean σ/√n, of the variance σ²√(κ - 1)/√n with κ = 3 (normal) or 9/5 (uniform). */
    private static void assertMoments(Tensor t, double var, double kurtosis) {
        int n = t.numel();
        double[] mv = meanAndVar(t);
        assertEquals(0, mv[0], 5 * Math.sqrt(var / n), "mean");
        assertEquals(var, mv[1], 5 * var * Math.sqrt((kurtosis - 1) / n), "variance");
    }

    @Test
    void xavierAndKaimingHaveTheirVariances() {
        Generator g = new Generator(1);
        Tensor w = Tensor.zeros(DType.F64, 300, 200);
        double xavierStd = 1.5 * Math.sqrt(2.0 / 500);
        Init.xavierUniform(w, 1.5, g);
        assertTrue(maxAbs(w) <= Math.sqrt(3) * xavierStd);
        assertMoments(w, xavierStd * xavierStd, 1.8);
        Init.xavierNormal(w, 1.5, g);
        assertMoments(w, xavierStd * xavierStd, 3);
        double kStd = Math.sqrt(2) / Math.sqrt(200);                         // relu, fan_in
        Init.kaimingUniform(w, 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, g);
        assertTrue(maxAbs(w) <= Math.sqrt(3) * kStd);
        assertMoments(w, kStd * kStd, 1.8);
        double kOut = Init.calculateGain(Init.Nonlinearity.LEAKY_RELU, 0.1) / Math.sqrt(300);
        Init.kaimingNormal(w, 0.1, Init.FanMode.FAN_OUT, Init.Nonlinearity.LEAKY_RELU, g);
        assertMoments(w, kOut * kOut, 3);
        Init.kaimingNormal(w, g);
        assertMoments(w, 2.0 / 200, 3);
        Init.kaimingUniform(w, g);
        assertTrue(maxAbs(w) <= Math.sqrt(3) * Math.sqrt(2.0 / 200));
    }

    @Test
    void simpleInitialisersAndDeterminism() {
        Tensor t = Tensor.zeros(1000);
        Init.uniform(t, 2, 3, new Generator(2));
        for (double v : t.toDoubleArray()) assertTrue(v >= 2 && v < 3);
        float[] first = t.toFloatArray();
        Init.uniform(t, 2, 3, new Generator(2));
        assertArrayEquals(first, t.toFloatArray());
        Init.normal(t, 5, 0.5, new Generator(3));
        assertEquals(5, meanAndVar(t)[0], 5 * 0.5 / Math.sqrt(1000));
        Init.ones(t);
        assertEquals(1000, t.sum().item());
        Init.zeros(t);
        assertEquals(0, t.sum().item());
        Init.constant(t, 0.25);
        assertEquals(250, t.sum().item());
    }

    @Test
    void writesParametersInPlaceUnderNoGrad() {
        Linear l = new Linear(4, 3, new Generator(4));
        Tensor w = l.weight().tensor();
        Tensor y = l.forward(Tensor.ones(1, 4)).sum();                       // saves w
        Init.zeros(w);                                                          // allowed although w requires grad
        assertTrue(w.requiresGrad());
        assertSame(w, l.weight().tensor());
        assertEquals(0, w.abs().sum().item());
        assertThrows(IllegalStateException.class, y::backward, "the old graph sees the in-place change");
    }

    @Test
    void badInputIsRejected() {
        Generator g = new Generator(5);
        Tensor v = Tensor.zeros(5);
        assertThrowsWith(IllegalArgumentException.class, () -> Init.xavierUniform(v, 1, g), "Init.fans: fan in and fan out need a tensor of rank >= 2, got shape [5]");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.kaimingNormal(v, g), "rank >= 2");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.uniform(v, 3, 2, g), "Init.uniform: expected finite a <= b, got a = 3.0, b = 2.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.normal(v, 0, -1, g), "Init.normal: std must be finite and >= 0, got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.uniform(v, 0, 1, null), "Init.uniform: generator must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.zeros(null), "Init.constant: tensor must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.ones(Tensor.of(NDArray.of(new long[]{1, 2}))), "Init.constant: tensor must be F32 or F64, got I64");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.xavierNormal(Tensor.zeros(3, 3), -1, g), "Init.xavierNormal: gain must be finite and >= 0, got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.kaimingUniform(Tensor.zeros(3, 3), 0, null, Init.Nonlinearity.RELU, g),
                "Init.kaimingUniform: mode must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.kaimingUniform(Tensor.zeros(3, 0), g), "cannot initialise a tensor with zero elements");
        assertThrowsWith(IllegalArgumentException.class, () -> Init.calculateGain(null), "calculateGain: nonlinearity must not be null");
    }
}
