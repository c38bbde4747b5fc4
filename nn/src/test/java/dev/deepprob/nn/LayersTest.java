package dev.deepprob.nn;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.deepprob.nn.Asserts.assertClose;
import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

class LayersTest {
    private static final double[] X = {-30, -2, -0.5, 0, 0.5, 2, 30};

    private static double[] map(UnaryOperator<Double> f) {
        double[] r = new double[X.length];
        for (int i = 0; i < X.length; i++) r[i] = f.apply(X[i]);
        return r;
    }

    private static double[] apply(UnaryModule m) { return m.forward(Tensor.of(DType.F64, X)).toDoubleArray(); }

    /** The derivative of sum(m(x)) at each x, from backward. */
    private static double[] grad(UnaryModule m, double... at) {
        Tensor x = Tensor.of(DType.F64, at).requiresGrad(true);
        m.forward(x).sum().backward();
        return x.grad().toDoubleArray();
    }

    @Test
    void activationsMatchTheirFormulas() {
        assertClose(map(x -> Math.max(x, 0)), apply(new ReLU()), 1e-15);
        assertClose(map(x -> x > 0 ? x : 0.2 * x), apply(new LeakyReLU(0.2)), 1e-15);
        assertClose(map(x -> x > 0 ? x : 0.01 * x), apply(new LeakyReLU()), 1e-15);
        assertClose(map(x -> x > 0 ? x : 1.5 * Math.expm1(x)), apply(new ELU(1.5)), 1e-15);
        assertClose(map(Math::tanh), apply(new Tanh()), 1e-15);
        assertClose(map(x -> 1 / (1 + Math.exp(-x))), apply(new Sigmoid()), 1e-15);
        assertClose(map(x -> x > 20 ? x : Math.log1p(Math.exp(x))), apply(new Softplus()), 1e-15);
        // beta = 2, threshold 3: beta·x > 3 gives x itself
        assertClose(map(x -> 2 * x > 3 ? x : Math.log1p(Math.exp(2 * x)) / 2), apply(new Softplus(2, 3)), 1e-15);
    }

    @Test
    void derivativesAtTheKinksArePyTorchs() {
        assertArrayEquals(new double[]{0}, grad(new ReLU(), 0));
        assertArrayEquals(new double[]{0.2}, grad(new LeakyReLU(0.2), 0));
        assertArrayEquals(new double[]{1.5}, grad(new ELU(1.5), 0));
        assertArrayEquals(new double[]{0.5}, grad(new Softplus(), 0));         // σ(0), not 0
        assertArrayEquals(new double[]{1}, grad(new Softplus(), 25));          // above the threshold
        double[] g = grad(new Softplus(), -1000, 1000);                         // no overflow, no NaN
        assertEquals(0, g[0]);
        assertEquals(1, g[1]);
        Tensor z = Tensor.of(DType.F64, new double[]{-800, 0, 800}).requiresGrad(true);
        Tensor ls = Functional.logSigmoid(z);
        assertArrayEquals(new double[]{-800, -Math.log(2), 0}, ls.toDoubleArray(), 1e-15);
        ls.sum().backward();
        assertArrayEquals(new double[]{1, 0.5, 0}, z.grad().toDoubleArray(), 1e-15);
        double[] e = grad(new ELU(), 800);                                      // e^800 never computed
        assertEquals(1, e[0]);
    }

    @Test
    void secondDerivativesPassFiniteDifferences() {
        Generator gen = new Generator(1);
        Tensor x = Tensor.of(DType.F64, new double[]{-1.3, -0.2, 0.4, 1.7, 2.5});
        for (UnaryModule m : List.of(new Tanh(), new Sigmoid(), new Softplus(), new Softplus(0.5, 1), new ELU(0.7), new LeakyReLU(0.1))) {
            GradCheck.check(xs -> m.forward(xs.getFirst()).square(), List.of(x), 2, GradCheck.Options.defaults(), gen);
        }
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRest() {
        int n = 200_000;
        double p = 0.3;
        Dropout d = new Dropout(p, new Generator(2));
        float[] y = d.forward(Tensor.ones(n)).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / (1 - p), v, 1e-6);
        }
        // binomial count: standard deviation √(n p (1 - p)); five of them
        assertEquals(n * p, zeros, 5 * Math.sqrt(n * p * (1 - p)));
        // same seed, same mask
        assertArrayEquals(y, new Dropout(p, new Generator(2)).forward(Tensor.ones(n)).toFloatArray());
        // gradient uses the same mask
        Tensor x = Tensor.ones(DType.F64, 1000).requiresGrad(true);
        Tensor out = new Dropout(0.5, new Generator(3)).forward(x);
        out.sum().backward();
        assertArrayEquals(out.toDoubleArray(), x.grad().toDoubleArray());
    }

    @Test
    void dropoutIsTheIdentityInEvalModeAndForPZero() {
        Tensor x = Tensor.randn(new Generator(4), 50);
        Dropout d = new Dropout(0.5, new Generator(5));
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0, new Generator(6)).forward(x));
        assertEquals(0, new Dropout(1, new Generator(7)).forward(x).abs().sum().item());       // all zero (some -0, as in PyTorch)
        Sequential s = Mlp.of(new Generator(8), 3, 16, 2).dropout(0.5).build();
        s.eval();
        Tensor in = Tensor.randn(new Generator(9), 4, 3);
        assertArrayEquals(s.forward(in).toFloatArray(), s.forward(in).toFloatArray());
        s.train();
        assertFalse(java.util.Arrays.equals(s.forward(in).toFloatArray(), s.forward(in).toFloatArray()));
    }

    @Test
    void mlpBuilderLaysOutLayersLikePyTorch() {
        Sequential s = Mlp.of(new Generator(10), 784, 400, 20).activation(Tanh::new).build();
        assertEquals(3, s.size());
        assertInstanceOf(Tanh.class, s.get(1));
        assertEquals(java.util.List.of("0.weight", "0.bias", "2.weight", "2.bias"), java.util.List.copyOf(s.namedParameters().keySet()));
        assertArrayEquals(new int[]{400, 784}, ((Linear) s.get(0)).weight().dims());
        Sequential f = Mlp.of(new Generator(11), 2, 4, 4, 1).dtype(DType.F64).bias(false).dropout(0.1).outputActivation(Sigmoid::new).build();
        // Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear, Sigmoid
        assertEquals(8, f.size());
        assertInstanceOf(Dropout.class, f.get(2));
        assertInstanceOf(Sigmoid.class, f.get(7));
        assertEquals(DType.F64, ((Linear) f.get(0)).dtype());
        assertEquals(3, f.parameters().size());
        assertArrayEquals(new int[]{5, 1}, f.forward(Tensor.zeros(DType.F64, 5, 2)).dims());
    }

    @Test
    void mlpGradientsMatchFiniteDifferences() {
        Generator gen = new Generator(12);
        Sequential mlp = Mlp.of(gen, 3, 5, 4, 2).dtype(DType.F64).activation(Tanh::new).build();
        Tensor x = Tensor.randn(gen, DType.F64, 6, 3);
        Tensor target = Tensor.randn(gen, DType.F64, 6, 2);
        // input gradient, first and second order, through GradCheck
        GradCheck.check(xs -> Losses.mse(mlp.forward(xs.getFirst()), target), List.of(x), 2, GradCheck.Options.defaults(), gen);
        // every parameter's gradient against central differences of the loss
        mlp.zeroGrad();
        Losses.mse(mlp.forward(x), target).backward();
        double h = 1e-6;
        for (var e : mlp.namedParameters().entrySet()) {
            double[] v = e.getValue().data().toDoubleArray();
            double[] g = e.getValue().grad().toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                double f0 = v[i];
                double fp = lossWith(mlp, e.getValue(), i, f0 + h, x, target);
                double fm = lossWith(mlp, e.getValue(), i, f0 - h, x, target);
                lossWith(mlp, e.getValue(), i, f0, x, target);
                double fd = (fp - fm) / (2 * h);
                assertEquals(fd, g[i], 1e-8 + 1e-6 * Math.abs(fd), e.getKey() + "[" + i + "]");
            }
        }
    }

    private static double lossWith(Sequential mlp, Parameter p, int i, double value, Tensor x, Tensor target) {
        try (Autograd.Scope _ = Autograd.noGrad()) {
            p.data().reshape(-1).set(value, i);
            return Losses.mse(mlp.forward(x), target).item();
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrowsWith(IllegalArgumentException.class, () -> new Dropout(1.5, new Generator(1)), "Dropout: p must be in [0, 1], got 1.5");
        assertThrowsWith(IllegalArgumentException.class, () -> new Dropout(Double.NaN, new Generator(1)), "Dropout: p must be in [0, 1], got NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> new Dropout(0.5, null), "Dropout: generator must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> new Softplus(0, 20), "Softplus: beta must be finite and > 0, got 0.0");
        assertThrowsWith(IllegalArgumentException.class, () -> new Softplus(1, Double.NaN), "Softplus: threshold must not be NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> new ELU(Double.POSITIVE_INFINITY), "ELU: alpha must be finite, got Infinity");
        assertThrowsWith(IllegalArgumentException.class, () -> new LeakyReLU(Double.NaN), "LeakyReLU: negative slope must be finite, got NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> new ReLU().forward(Tensor.of(dev.deepprob.engine.NDArray.of(new long[]{1}))),
                "relu: input must be F32 or F64, got I64");
        assertThrowsWith(IllegalArgumentException.class, () -> new Sequential((UnaryModule) null), "Sequential.add: module 0 must not be null");
        assertThrowsWith(IndexOutOfBoundsException.class, () -> new Sequential().get(0), "Sequential.get: index 0 out of range for 0 modules");
        assertThrowsWith(IllegalArgumentException.class, () -> Mlp.of(new Generator(1), 3), "Mlp.of: expected at least 2 layer sizes");
        assertThrowsWith(IllegalArgumentException.class, () -> Mlp.of(new Generator(1), 3, 0, 2), "Mlp.of: layer sizes must be > 0, got [3, 0, 2]");
        assertThrowsWith(IllegalArgumentException.class, () -> Mlp.of(null, 3, 2), "Mlp.of: generator must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Mlp.of(new Generator(1), 3, 2).dtype(DType.BOOL), "Mlp.dtype: dtype must be F32 or F64, got BOOL");
        assertThrowsWith(IllegalArgumentException.class, () -> Mlp.of(new Generator(1), 3, 2).dropout(-0.1), "Mlp.dropout: p must be in [0, 1], got -0.1");
        assertThrowsWith(IllegalArgumentException.class, () -> Mlp.of(new Generator(1), 3, 2).activation(null), "Mlp.activation: supplier must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Mlp.of(new Generator(1), 3, 4, 2).activation(() -> null).build(),
                "Mlp.build: the activation supplier returned null");
    }
}
