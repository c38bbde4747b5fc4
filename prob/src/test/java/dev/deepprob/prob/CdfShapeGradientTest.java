package dev.deepprob.prob;

import dev.deepprob.engine.DType;
import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cdfs of Gamma, Beta and StudentT have no derivative in their shape parameters (concentrations, df): a gradient
 * that must reach such a parameter requiring grad throws, naming the distribution and the parameter, instead of coming
 * back as null or zero as it used to. Plain evaluations, and gradients asked only of the value, still work.
 */
class CdfShapeGradientTest {

    static Tensor f64(double... v) { return Tensor.of(DType.F64, v); }

    static void assertRefused(String fragment, Runnable r) {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains("is not implemented"), e.getMessage());
    }

    /** cdf(x) with its shape parameter requiring grad: value gradient works, backward into the shape throws. */
    private static void check(Function<Tensor, HasCdf> withShape, Tensor shape, double[] at, String fragment) {
        Tensor x = f64(at).requiresGrad(true);
        HasCdf d = withShape.apply(shape.requiresGrad(true));
        // the value gradient alone (the engine sees the shape is not requested) equals the one with a constant shape
        double[] dx = Autograd.grad(d.cdf(x).sum(), List.of(x), false).getFirst().toDoubleArray();
        Tensor x0 = f64(at).requiresGrad(true);
        withShape.apply(Tensor.of(shape.data())).cdf(x0).sum().backward();
        assertArrayEquals(x0.grad().toDoubleArray(), dx, 0);
        for (double v : dx) assertTrue(v > 0, "a density");
        assertRefused(fragment, () -> d.cdf(f64(at)).sum().backward());
        assertRefused(fragment, () -> Autograd.grad(d.cdf(f64(at)).sum(), List.of(shape), false));
        assertNull(shape.grad());
    }

    @Test
    void gammaCdfRefusesTheConcentrationGradient() {
        check(a -> new Gamma(a, f64(2, 0.5)), f64(0.7, 3), new double[]{0.4, 5}, "Gamma.cdf with respect to concentration");
        // the rate is differentiable and keeps its gradient next to a constant concentration
        Tensor rate = f64(2, 0.5).requiresGrad(true);
        new Gamma(f64(0.7, 3), rate).cdf(f64(0.4, 5)).sum().backward();
        assertTrue(rate.grad().toDoubleArray()[0] > 0);
    }

    @Test
    void betaCdfRefusesEitherConcentrationGradient() {
        check(a -> new Beta(a, f64(2.5, 0.9)), f64(0.7, 3), new double[]{0.2, 0.6}, "Beta.cdf with respect to concentration1 or concentration0");
        check(b -> new Beta(f64(0.7, 3), b), f64(2.5, 0.9), new double[]{0.2, 0.6}, "Beta.cdf with respect to concentration1 or concentration0");
    }

    /** Central (|y|² < ν), tail and near-zero (|y| < 1e-6) branches: each sends df into the incomplete beta or p(0). */
    @Test
    void studentTCdfSaysWhyDfHasNoGradient() {
        check(df -> new StudentT(df, f64(0.5, 0.5, 0.5), f64(2, 2, 2)), f64(3, 1.5, 30), new double[]{1.5, 40, 0.5},
                "StudentT.cdf with respect to df");
        // loc and scale keep their gradients while df is a constant
        Tensor loc = f64(0.5).requiresGrad(true), scale = f64(2).requiresGrad(true);
        new StudentT(f64(3), loc, scale).cdf(f64(1.5)).backward();
        assertTrue(loc.grad().item() < 0 && scale.grad().item() < 0);
    }

    /**
     * The quantiles likewise: before, Gamma, Beta and StudentT icdf detached their shape parameters, so a gradient with
     * respect to them was a silent zero (null grad); now it throws, while dx/dq still works with the shape requiring grad.
     */
    @Test
    void quantilesRefuseTheShapeGradientToo() {
        Tensor q = f64(0.2, 0.9);
        Tensor a = f64(0.7, 3).requiresGrad(true);
        assertRefused("Gamma.icdf with respect to concentration", () -> new Gamma(a, f64(2, 0.5)).icdf(q).sum().backward());
        Tensor c1 = f64(0.7, 3).requiresGrad(true);
        assertRefused("Beta.icdf with respect to the concentrations", () -> new Beta(c1, f64(2.5, 0.9)).icdf(q).sum().backward());
        Tensor df = f64(3, 30).requiresGrad(true);
        assertRefused("StudentT.cdf with respect to df", () -> new StudentT(df, f64(0, 0), f64(1, 1)).icdf(q).sum().backward());
        assertNull(a.grad());
        assertNull(c1.grad());
        assertNull(df.grad());
        // dx/dq is still there with the shapes requiring grad: 1/density at the quantile
        Tensor qq = f64(0.2, 0.9).requiresGrad(true);
        Gamma g = new Gamma(a, f64(2, 0.5));
        Tensor x = g.icdf(qq);
        Tensor dq = Autograd.grad(x.sum(), List.of(qq), false).getFirst();
        double[] want = g.logProb(Tensor.of(x.data())).neg().exp().data().toDoubleArray();
        assertArrayEquals(want, dq.toDoubleArray(), 1e-12 * want[1]);
    }
}
