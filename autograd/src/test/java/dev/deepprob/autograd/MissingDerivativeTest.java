package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.deepprob.autograd.AutogradTest.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Derivatives that are not implemented are refused, never returned as zeros: a rule declares "no gradient for input i"
 * (the shapes of gammaP and betaI) or an order of 1 (standardGamma), and the engine throws only when a gradient would
 * have to flow there; everything else keeps working.
 */
class MissingDerivativeTest {

    static Tensor f64(double... v) { return Tensor.of(DType.F64, v); }

    @Test
    void gammaPRefusesTheShapeGradientOnlyWhenItIsNeeded() {
        Tensor a = f64(0.7, 2.5).requiresGrad(true), x = f64(0.4, 3.0).requiresGrad(true);
        // the value-gradient alone works although a requires grad: the engine can tell a is not requested
        Tensor dx = Autograd.grad(a.gammaP(x).sum(), List.of(x), false).getFirst();
        double[] av = {0.7, 2.5}, xv = {0.4, 3.0};
        for (int i = 0; i < 2; i++) {
            double pdf = Math.exp((av[i] - 1) * Math.log(xv[i]) - xv[i] - dev.deepprob.engine.NDArray.scalar(dev.deepprob.engine.DType.F64, av[i]).lgamma().item());
            assertEquals(pdf, dx.toDoubleArray()[i], 1e-14 * pdf);
        }
        // a constant shape: backward into the leaves works
        Tensor x2 = f64(0.4, 3.0).requiresGrad(true);
        f64(0.7, 2.5).gammaP(x2).sum().backward();
        assertArrayEquals(dx.toDoubleArray(), x2.grad().toDoubleArray(), 0);
        // backward with a shape that requires grad, or grad asked of the shape, throws naming the primitive and the input
        assertThrowsWith(UnsupportedOperationException.class, "cannot differentiate gammaP with respect to its input 0 (shape [2])",
                () -> a.gammaP(x).sum().backward());
        assertThrowsWith(UnsupportedOperationException.class, "in its shape a is not implemented",
                () -> Autograd.grad(a.gammaP(x).sum(), List.of(a), false));
        assertThrowsWith(UnsupportedOperationException.class, "(Gamma.cdf needs it)",
                () -> Autograd.grad(a.gammaP(x, "Gamma.cdf").sum(), List.of(x, a), false));
        assertNull(a.grad(), "nothing was accumulated into a");
    }

    @Test
    void betaIRefusesEachShapeGradientByName() {
        Tensor x = f64(0.3, 0.8).requiresGrad(true), a = f64(0.7, 2).requiresGrad(true), b = f64(2.5, 0.9);
        Autograd.grad(x.betaI(a, b).sum(), List.of(x), false);
        assertThrowsWith(UnsupportedOperationException.class, "cannot differentiate betaI with respect to its input 1",
                () -> x.betaI(a, b).sum().backward());
        Tensor bg = b.requiresGrad(true);
        assertThrowsWith(UnsupportedOperationException.class, "in its shape b is not implemented",
                () -> Autograd.grad(x.betaI(f64(0.7, 2), bg).sum(), List.of(bg), false));
    }

    /**
     * The x-gradient of P(a, x) is the Gamma density, written in Tensor ops, so its derivative in a (a mixed second
     * derivative) is available even though the first derivative in a is not; it was silently 0 when the rule detached a.
     * Reference: central differences of the density in a, step 1e-6 (error O(1e-12) relative, tolerance 1e-7).
     */
    @Test
    void mixedSecondDerivativeOfGammaPInShapeAndValueIsRight() {
        double av = 1.7, xv = 0.9;
        Tensor a = f64(av).requiresGrad(true), x = f64(xv).requiresGrad(true);
        Tensor dx = Autograd.grad(a.gammaP(x).sum(), List.of(x), true).getFirst();
        double dxda = Autograd.grad(dx.sum(), List.of(a), false).getFirst().item();
        double h = 1e-6;
        double fd = (pdf(av + h, xv) - pdf(av - h, xv)) / (2 * h);
        assertEquals(fd, dxda, 1e-7 * Math.abs(fd));
    }

    private static double pdf(double a, double x) {
        return Math.exp((a - 1) * Math.log(x) - x - dev.deepprob.engine.NDArray.scalar(dev.deepprob.engine.DType.F64, a).lgamma().item());
    }

    /**
     * standardGamma is differentiable once: the Hessian of a function of a Gamma sample needs ∂²x/∂α², which the rule does
     * not have, so it throws naming the primitive (it used to return the Hessian without that term). First-order
     * gradients, with or without createGraph, still work.
     */
    @Test
    void secondDerivativeThroughStandardGammaThrows() {
        Tensor alpha = f64(2.5);
        assertThrowsWith(UnsupportedOperationException.class, "standardGamma is differentiable only once",
                () -> Autograd.hessian(al -> al.standardGamma(new Generator(3)).square().sum(), alpha));
        // a gradient constant in α (x is linear in the output) must throw too, not read as a zero second derivative
        assertThrowsWith(UnsupportedOperationException.class, "cannot differentiate the gradient of standardGamma",
                () -> Autograd.hessian(al -> al.standardGamma(new Generator(3)).sum(), alpha));
        Tensor a = f64(2.5).requiresGrad(true);
        Tensor x = a.standardGamma(new Generator(3));
        Tensor g1 = Autograd.grad(x.square().sum(), List.of(a), true).getFirst();
        Tensor g0 = Autograd.grad(a.standardGamma(new Generator(3)).square().sum(), List.of(a), false).getFirst();
        assertEquals(g0.item(), g1.item(), 0);
        assertTrue(Double.isFinite(g1.item()) && g1.item() != 0);
    }

    /** A second derivative that does not pass through the order-1 rule's gradient is still available. */
    @Test
    void secondDerivativesAwayFromTheOrderOneRuleStillWork() {
        Tensor a = f64(2.5).requiresGrad(true), w = f64(0.3).requiresGrad(true);
        Tensor x = a.standardGamma(new Generator(3));
        // d/dw of (x w²) is 2 x w; its derivative in w is 2x, a path that never differentiates standardGamma's gradient
        Tensor gw = Autograd.grad(x.mul(w.square()).sum(), List.of(w), true).getFirst();
        double d2 = Autograd.grad(gw.sum(), List.of(w), false).getFirst().item();
        assertEquals(2 * x.item(), d2, 1e-15 * x.item());
    }
}
