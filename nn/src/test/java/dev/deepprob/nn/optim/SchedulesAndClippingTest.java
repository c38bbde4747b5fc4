package dev.deepprob.nn.optim;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.nn.Asserts.assertClose;
import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

class SchedulesAndClippingTest {

    private static SGD sgd(double lr) { return new SGD(List.of(Tensor.zeros(DType.F64, 2).requiresGrad(true)), lr); }

    @Test
    void stepLrDecaysEveryStepSizeEpochs() {
        SGD opt = sgd(1.0);
        StepLR s = new StepLR(opt, 3, 0.5);
        double[] want = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25};
        for (int e = 0; e < want.length; e++) {
            assertEquals(want[e], opt.lr(), 1e-15, "epoch " + e);
            assertEquals(e, s.lastEpoch());
            s.step();
        }
        assertEquals(List.of(1.0), s.baseLrs());
    }

    @Test
    void exponentialLrMultipliesByGammaEachEpoch() {
        SGD opt = sgd(0.2);
        ExponentialLR s = new ExponentialLR(opt, 0.9);
        for (int e = 0; e < 6; e++) {
            assertEquals(0.2 * Math.pow(0.9, e), opt.lr(), 1e-15);
            s.step();
        }
        assertEquals(List.of(opt.lr()), s.lastLr());
    }

    @Test
    void cosineAnnealingFollowsTheClosedForm() {
        SGD opt = sgd(0.1);
        opt.addParamGroup(List.of(Tensor.zeros(DType.F64, 1).requiresGrad(true)), 0.01);
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 4, 0.001);
        // η_min + (base - η_min)(1 + cos(π t / 4)) / 2 at t = 0..4: 1, (1 + √½)/2, ½, (1 - √½)/2, 0 of the span
        double[] frac = {1, (1 + Math.sqrt(0.5)) / 2, 0.5, (1 - Math.sqrt(0.5)) / 2, 0};
        for (int t = 0; t <= 4; t++) {
            assertEquals(0.001 + 0.099 * frac[t], opt.paramGroups().get(0).lr(), 1e-15, "group 0 at " + t);
            assertEquals(0.001 + 0.009 * frac[t], opt.paramGroups().get(1).lr(), 1e-15, "group 1 at " + t);
            s.step();
        }
    }

    @Test
    void schedulesRejectBadSettings() {
        SGD opt = sgd(0.1);
        assertThrowsWith(IllegalArgumentException.class, () -> new StepLR(opt, 0), "StepLR: step_size must be > 0, got 0");
        assertThrowsWith(IllegalArgumentException.class, () -> new StepLR(opt, 2, -1), "StepLR: gamma must be finite and >= 0, got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> new ExponentialLR(opt, Double.NaN), "ExponentialLR: gamma must be finite and >= 0, got NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0), "CosineAnnealingLR: T_max must be > 0, got 0");
        assertThrowsWith(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 5, -0.1), "CosineAnnealingLR: eta_min must be finite and >= 0");
        assertThrowsWith(IllegalArgumentException.class, () -> new StepLR(null, 2), "StepLR: optimizer must not be null");
    }

    private static Tensor withGrad(double... g) {
        Tensor p = Tensor.zeros(DType.F64, g.length).requiresGrad(true);
        p.setGrad(Tensor.of(DType.F64, g));
        return p;
    }

    @Test
    void clipGradNormScalesAllGradientsTogether() {
        Tensor a = withGrad(3, 0), b = withGrad(0, 4), none = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        double total = ClipGrad.clipGradNorm(List.of(a, b, none), 1.0);
        assertEquals(5, total, 1e-15);
        double c = 1 / (5 + 1e-6);
        assertClose(new double[]{3 * c, 0}, a.grad().toDoubleArray(), 1e-15);
        assertClose(new double[]{0, 4 * c}, b.grad().toDoubleArray(), 1e-15);
        assertNull(none.grad());
        // below the limit nothing changes
        Tensor d = withGrad(0.3, 0.4);
        assertEquals(0.5, ClipGrad.clipGradNorm(List.of(d), 1.0), 1e-15);
        assertClose(new double[]{0.3, 0.4}, d.grad().toDoubleArray(), 1e-15);
        // other norms: ∞ takes the largest magnitude, 1 the sum of magnitudes, 3 the cube root of Σ|g|³
        assertEquals(4, ClipGrad.clipGradNorm(List.of(withGrad(3, -4), withGrad(1)), 10, Double.POSITIVE_INFINITY), 1e-15);
        assertEquals(8, ClipGrad.clipGradNorm(List.of(withGrad(3, -4), withGrad(1)), 10, 1), 1e-15);
        assertEquals(Math.cbrt(27 + 64 + 1), ClipGrad.clipGradNorm(List.of(withGrad(3, -4), withGrad(1)), 10, 3), 1e-13);
        assertEquals(0, ClipGrad.clipGradNorm(List.of(none), 1.0));
        Tensor v = withGrad(-3, 0.5, 2);
        ClipGrad.clipGradValue(List.of(v), 1);
        assertClose(new double[]{-1, 0.5, 1}, v.grad().toDoubleArray(), 0);
        assertThrowsWith(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(a), -1), "clipGradNorm: maxNorm must be >= 0, got -1.0");
        assertThrowsWith(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(a), 1, 0), "clipGradNorm: normType must be > 0 or infinity, got 0.0");
        assertThrowsWith(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(List.of(a), -1), "clipGradValue: clipValue must be >= 0");
    }
}
