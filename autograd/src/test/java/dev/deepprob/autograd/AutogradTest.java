package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AutogradTest {

    static void assertThrowsWith(Class<? extends Throwable> type, String fragment, Runnable r) {
        Throwable e = assertThrows(type, r::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void backwardAccumulatesIntoLeaves() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2, 3}).requiresGrad(true);
        Tensor y = Tensor.of(DType.F64, new double[]{4, 5, 6}).requiresGrad(true);
        Tensor loss = x.mul(y).sum();
        assertEquals(32, loss.item());
        loss.backward();
        assertArrayEquals(new double[]{4, 5, 6}, x.grad().toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 3}, y.grad().toDoubleArray());
        x.mul(x).sum().backward();                        // accumulates
        assertArrayEquals(new double[]{6, 9, 12}, x.grad().toDoubleArray());
        x.zeroGrad();
        assertNull(x.grad());
        assertFalse(x.grad() != null && x.grad().requiresGrad());
    }

    @Test
    void gradientOfATransposedOperandIsContiguousInTheLeafsLayout() {
        // y = x·Wᵀ as a linear layer computes it: W (out, in) gets its gradient gᵀ·x, contiguous, with no copy left to the optimiser
        Generator g = new Generator(3);
        Tensor x = Tensor.of(NDArray.randn(g, DType.F64, 5, 4)), w = Tensor.of(NDArray.randn(g, DType.F64, 3, 4)).requiresGrad(true);
        Tensor a = Tensor.of(NDArray.randn(g, DType.F64, 4, 5)).requiresGrad(true);
        x.matmul(w.t()).square().sum().backward();
        a.mT().matmul(w.t()).sum().backward();
        assertTrue(w.grad().data().isContiguous(), "W.grad strides " + java.util.Arrays.toString(w.grad().data().strides()));
        assertTrue(a.grad().data().isContiguous(), "A.grad strides " + java.util.Arrays.toString(a.grad().data().strides()));
        // the values: d/dW sum((x Wᵀ)²) = 2 (x Wᵀ)ᵀ x, plus d/dW sum(Aᵀ Wᵀ) = 1ᵀ Aᵀ-rows summed
        NDArray y = x.data().matmul(w.data().mT());
        NDArray expectW = y.mT().matmul(x.data()).mul(2).add(NDArray.ones(DType.F64, 3, 5).matmul(a.data().mT()));
        assertArrayEquals(expectW.toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(w.data().sum(new int[]{0}, false).expand(5, 4).mT().contiguous().toDoubleArray(), a.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void broadcastGradientsSumBackToTheInputShape() {
        Tensor w = Tensor.of(DType.F64, new double[]{1, 2}, 1, 2).requiresGrad(true);
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2, 3, 4, 5, 6}, 3, 2);
        x.mul(w).sum().backward();
        assertArrayEquals(new int[]{1, 2}, w.grad().dims());
        assertArrayEquals(new double[]{9, 12}, w.grad().toDoubleArray());
    }

    @Test
    void secondDerivativeOfACube() {
        Tensor x = Tensor.of(DType.F64, new double[]{2}).requiresGrad(true);
        Tensor y = x.pow(3).sum();
        Tensor g = Autograd.grad(y, List.of(x), true).getFirst();       // 3x² = 12
        assertEquals(12, g.item(), 1e-12);
        Tensor h = Autograd.grad(g.sum(), List.of(x), true).getFirst(); // 6x = 12
        assertEquals(12, h.item(), 1e-12);
        Tensor t = Autograd.grad(h.sum(), List.of(x), false).getFirst(); // 6
        assertEquals(6, t.item(), 1e-12);
    }

    @Test
    void hessianJacobianAndHvp() {
        // f(x) = Σ x_i² x_{i+1} on 3 elements: Hessian known in closed form
        java.util.function.Function<Tensor, Tensor> f = x -> x.narrow(0, 0, 2).pow(2).mul(x.narrow(0, 1, 2)).sum();
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2, 3});
        Tensor h = Autograd.hessian(f, x);
        double[] want = {2 * 2, 2 * 1, 0, 2 * 1, 2 * 3, 2 * 2, 0, 2 * 2, 0};
        assertArrayEquals(new int[]{3, 3}, h.dims());
        assertArrayEquals(want, h.toDoubleArray(), 1e-12);
        Tensor v = Tensor.of(DType.F64, new double[]{1, -1, 2});
        Tensor hv = Autograd.hvp(f, x, v);
        assertArrayEquals(h.data().matmul(v.data()).toDoubleArray(), hv.toDoubleArray(), 1e-12);
        Tensor j = Autograd.jacobian(t -> t.exp().mul(2), x);
        assertArrayEquals(new int[]{3, 3}, j.dims());
        assertEquals(2 * Math.exp(2), j.data().get(1, 1), 1e-12);
        assertEquals(0, j.data().get(0, 1));
    }

    @Test
    void noGradRecordsNothingAndAllowsInPlaceUpdates() {
        Tensor w = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        try (var s = Autograd.noGrad()) {
            Tensor y = w.mul(2);
            assertFalse(y.requiresGrad());
            w.addInPlace(Tensor.of(DType.F64, new double[]{1, 1}), -0.5);
        }
        assertArrayEquals(new double[]{0.5, 1.5}, w.toDoubleArray());
        assertTrue(Autograd.isGradEnabled());
        assertThrowsWith(IllegalStateException.class, "addInPlace: a tensor that requires grad cannot be modified in place",
                () -> w.addInPlace(w, 1));
    }

    @Test
    void backwardThroughAModifiedTensorIsRefused() {
        Tensor w = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        Tensor loss = w.mul(w).sum();
        try (var s = Autograd.noGrad()) {
            w.mulInPlace(3);
        }
        assertThrowsWith(IllegalStateException.class, "input 0 of mul (shape [2]) was modified in place after it was saved (version 1, expected 0)",
                loss::backward);
    }

    @Test
    void retainGraphAllowsASecondBackwardAndItsAbsenceIsExplained() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        Tensor loss = x.exp().sum();
        loss.backward(null, true);
        loss.backward();
        assertArrayEquals(new double[]{2 * Math.E, 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
        assertThrowsWith(IllegalStateException.class, "backward through the graph a second time", loss::backward);
    }

    @Test
    void clearErrors() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2, 3}).requiresGrad(true);
        assertThrowsWith(IllegalArgumentException.class, "backward: grad can be implicitly created only for scalar outputs, got output 0 of shape [3]",
                () -> x.mul(2).backward());
        assertThrowsWith(IllegalArgumentException.class, "add: shapes [3] and [2] cannot broadcast",
                () -> x.add(Tensor.of(DType.F64, new double[]{1, 2})));
        assertThrowsWith(IllegalArgumentException.class, "mul: dtype mismatch F64 and F32",
                () -> x.mul(Tensor.of(new float[]{1, 2, 3})));
        Tensor c = Tensor.of(DType.F64, new double[]{1, 2, 3});
        assertThrowsWith(IllegalArgumentException.class, "grad: input 0 (shape [3]) does not require grad",
                () -> Autograd.grad(x.mul(c).sum(), List.of(c), false));
        assertThrowsWith(IllegalArgumentException.class, "backward: output 0 does not require grad", () -> c.sum().backward());
        assertThrowsWith(IllegalArgumentException.class, "matmul: shapes [3] and [2, 2] do not align (3 != 2)",
                () -> x.matmul(Tensor.zeros(DType.F64, 2, 2)));
        assertThrowsWith(IllegalArgumentException.class, "requiresGrad: only F32 and F64 tensors can require grad, got I64",
                () -> Tensor.of(NDArray.zeros(DType.I64, 2)).requiresGrad(true));
    }

    @Test
    void anomalyModeNamesTheFirstBadOperation() {
        Tensor x = Tensor.of(DType.F64, new double[]{-1, 1}).requiresGrad(true);
        try (var a = Autograd.detectAnomaly()) {
            assertThrowsWith(ArithmeticException.class, "anomaly: log produced NaN in its forward output", () -> x.log());
            Tensor z = Tensor.of(DType.F64, new double[]{0, 1}).requiresGrad(true);
            Tensor y = z.sqrt().sum();                       // forward finite, backward 1/(2·0) = inf
            assertThrowsWith(ArithmeticException.class, "anomaly: sqrt produced infinity in its backward", y::backward);
        }
        assertTrue(Double.isNaN(x.log().toDoubleArray()[0]));  // off again
    }

    @Test
    void gradCheckCatchesAWrongDerivative() {
        // x · detach(x): reverse mode sees x, finite differences see 2x
        Tensor x = Tensor.of(DType.F64, new double[]{0.5, -1.5, 2});
        assertThrowsWith(AssertionError.class, "order 1 derivative disagrees",
                () -> GradCheck.check(xs -> xs.getFirst().mul(xs.getFirst().detach()), List.of(x), 1, GradCheck.Options.defaults(), new Generator(1)));
        // correct first derivative, wrong second: x² written as x·x with a constant-mask trick
        assertThrowsWith(AssertionError.class, "order 2 derivative disagrees",
                () -> GradCheck.check(xs -> {
                    Tensor t = xs.getFirst();
                    // t·detach(t) + (t - detach(t))·detach(t): value t², first derivative 2t, second derivative 0 (should be 2)
                    return t.mul(t.detach()).add(t.sub(t.detach()).mul(t.detach()));
                }, List.of(x), 2, GradCheck.Options.defaults(), new Generator(2)));
    }

    @Test
    void stableCompositesStayFinite() {
        Tensor x = Tensor.of(new float[]{-100, 0, 100}).requiresGrad(true);
        Tensor sp = x.softplus();
        assertArrayEquals(new float[]{0, (float) Math.log(2), 100}, sp.toFloatArray(), 1e-6f);
        Tensor ls = x.logSigmoid();
        assertEquals(-100, ls.toFloatArray()[0], 1e-4);
        ls.sum().backward();
        for (float v : x.grad().toFloatArray()) assertTrue(Float.isFinite(v));
        // the derivative at exactly 0 is σ(0) = 1/2, and the second derivative σ'(0) = 1/4
        Tensor z = Tensor.of(DType.F64, new double[]{0}).requiresGrad(true);
        Tensor dz = Autograd.grad(z.softplus().sum(), List.of(z), true).getFirst();
        assertEquals(0.5, dz.item(), 1e-15);
        assertEquals(0.25, Autograd.grad(dz.sum(), List.of(z), false).getFirst().item(), 1e-15);
        Tensor z2 = Tensor.of(DType.F64, new double[]{0}).requiresGrad(true);
        z2.logSigmoid().sum().backward();
        assertEquals(0.5, z2.grad().item(), 1e-15);
        Tensor big = Tensor.of(DType.F64, new double[]{1000, 1000, -1000}, 1, 3);
        assertEquals(1000 + Math.log(2), big.logSumExp(1).item(), 1e-9);
        assertArrayEquals(new double[]{0.5, 0.5, 0}, big.softmax(1).toDoubleArray(), 1e-12);
    }

    @Test
    void gradOfIntermediateAndUnusedInputs() {
        Tensor x = Tensor.of(DType.F64, new double[]{1, 2}).requiresGrad(true);
        Tensor u = Tensor.of(DType.F64, new double[]{5}).requiresGrad(true);
        Tensor h = x.mul(3);
        Tensor y = h.exp().sum();
        // u is unused: null with allowUnused (PyTorch's allow_unused=True); refused without it (GradAllowUnusedTest)
        List<Tensor> g = Autograd.grad(List.of(y), List.of(h, u), null, false, false, true);
        assertArrayEquals(new double[]{Math.exp(3), Math.exp(6)}, g.get(0).toDoubleArray(), 1e-9);
        assertNull(g.get(1));
    }

    @Test
    void batchBroadcastSolvesGiveGradientsOfTheInputShapes() {
        Generator gen = new Generator(4);
        Tensor a = Tensor.of(NDArray.randn(gen, DType.F64, 2, 2).mul(0.2).add(NDArray.eye(DType.F64, 2).mul(2))).requiresGrad(true);
        Tensor b = Tensor.randn(gen, DType.F64, 3, 2, 2).requiresGrad(true);
        a.triangularSolve(b, false, true, false).sum().add(a.solve(b).sum()).backward();
        assertArrayEquals(new int[]{2, 2}, a.grad().dims());
        assertArrayEquals(new int[]{3, 2, 2}, b.grad().dims());
        GradCheck.check(xs -> xs.get(0).solve(xs.get(1)), List.of(Tensor.of(a.data()), Tensor.of(b.data())), 2,
                new GradCheck.Options(1e-6, 1e-5, 1e-4), gen);
    }

    @Test
    void choleskyGradientOfLogdetIsTheInverse() {
        Generator gen = new Generator(3);
        NDArray m = NDArray.randn(gen, DType.F64, 4, 4);
        NDArray spd = m.matmul(m.mT()).add(NDArray.eye(DType.F64, 4).mul(4));
        Tensor a = Tensor.of(spd).requiresGrad(true);
        a.cholesky().diagonal().log().sum().mul(2).backward();
        assertTrue(a.grad().data().allClose(spd.inverse(), 1e-9, 1e-9));
        Tensor b = Tensor.of(spd).requiresGrad(true);
        b.logdet().backward();
        assertTrue(b.grad().data().allClose(spd.inverse(), 1e-9, 1e-9));
    }
}
