package dev.deepprob.autograd;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The ops of issue 15 against PyTorch 1.13 in float64 (values, gradients of the sum and the gradients of the sum of those
 * gradients, so first and second derivatives), and against mpmath where torch's own float64 formula loses digits (acosh
 * near 1, selu near 0-, gelu's left tail, the 2-norm's under- and overflow) and in the tails of erfc and erfcx. The values are in torch_ops.txt, written by autograd/src/test/python/torch_ops.py; each case there has
 * a function here and each function a case there.
 */
class TorchOpsReferenceTest {

    /** The op of each case, applied to its inputs (x, or x and y). */
    static final Map<String, Function<List<Tensor>, Tensor>> OPS = new LinkedHashMap<>();

    private static void unary(String name, Function<Tensor, Tensor> f) { OPS.put(name, xs -> f.apply(xs.getFirst())); }

    private static void binary(String name, java.util.function.BinaryOperator<Tensor> f) { OPS.put(name, xs -> f.apply(xs.get(0), xs.get(1))); }

    private static Tensor weights(int n, int... shape) { return Tensor.arange(DType.F64, 1, n + 1, 1).reshape(shape); }

    static {
        unary("floor", Tensor::floor);
        unary("ceil", Tensor::ceil);
        unary("round", Tensor::round);
        unary("trunc", Tensor::trunc);
        unary("frac", Tensor::frac);
        unary("rsqrt", Tensor::rsqrt);
        unary("tan", Tensor::tan);
        unary("atan", Tensor::atan);
        unary("asin", Tensor::asin);
        unary("acos", Tensor::acos);
        unary("sinh", Tensor::sinh);
        unary("cosh", Tensor::cosh);
        unary("asinh", Tensor::asinh);
        unary("acosh", Tensor::acosh);
        unary("atanh", Tensor::atanh);
        unary("log2", Tensor::log2);
        unary("log10", Tensor::log10);
        unary("exp2", Tensor::exp2);
        unary("erfc", Tensor::erfc);
        unary("erfcx", Tensor::erfcx);
        unary("selu", Tensor::selu);
        unary("gelu", Tensor::gelu);
        unary("geluTanh", Tensor::geluTanh);
        unary("silu", Tensor::silu);
        unary("mish", Tensor::mish);
        unary("softsign", Tensor::softsign);
        unary("hardtanh", x -> x.hardtanh(-0.5, 0.5));
        unary("logit", Tensor::logit);
        unary("logitEps", x -> x.logit(0.05));
        binary("atan2", Tensor::atan2);
        binary("logaddexp", Tensor::logaddexp);
        binary("hypot", Tensor::hypot);
        binary("fmod", Tensor::fmod);
        binary("remainder", Tensor::remainder);
        binary("xlogy", Tensor::xlogy);
        unary("prod", Tensor::prod);
        unary("prodDim1", x -> x.prod(1));
        unary("prodDim0", x -> x.prod(0));
        unary("prodZero", Tensor::prod);
        unary("cumprod", x -> x.cumprod(1));
        unary("logcumsumexp", x -> x.logcumsumexp(1));
        unary("norm1", x -> x.norm(1, new int[]{1}, false));
        unary("norm2", x -> x.norm(2, new int[]{1}, false));
        unary("norm2Zero", x -> x.norm(2, new int[]{1}, false));
        unary("normInf", x -> x.norm(Double.POSITIVE_INFINITY));
        unary("norm3", x -> x.norm(3, new int[]{0}, false));
        unary("fro", Tensor::frobeniusNorm);
        unary("normScaled", x -> x.norm(2, new int[]{1}, false));
        unary("trace", Tensor::trace);
        unary("flip", x -> x.flip(0, 1).mul(weights(6, 2, 3)));
        unary("roll", x -> x.roll(new int[]{1, -2}, new int[]{0, 1}).mul(weights(8, 2, 4)));
        unary("rollFlat", x -> x.roll(3).mul(weights(8, 2, 4)));
        unary("amax", x -> x.amax(new int[]{0, 2}, false));
        unary("amin", x -> x.amin(new int[]{1, 2}, true));
        // where torch's own float64 formula loses digits, against mpmath (see torch_ops.py)
        unary("acoshNear1", Tensor::acosh);
        unary("seluTiny", Tensor::selu);
        unary("geluTail", Tensor::gelu);
        unary("erfcTail", Tensor::erfc);
        unary("erfcxTail", Tensor::erfcx);
    }

    /**
     * gelu's tail: the rounding of z = -x/√2 is amplified by erfc's condition number, about 2z² (900 at x = -30), so
     * 1e-16 of rounding becomes up to 1e-13.
     */
    static final Map<String, Double> MPMATH_RTOL = Map.of("geluTail", 2e-13);

    /** Cases whose second derivative is not compared, and why. */
    static final Map<String, String> NO_SECOND = Map.of(
            "norm2Zero", "at the zero vector torch's second derivative is NaN; deepprob's is 0 (its subgradient's)");

    static final Map<String, EdgeConventionsTest.Ref> REF = EdgeConventionsTest.load("/torch_ops.txt");

    static Set<String> caseNames() {
        Set<String> names = new TreeSet<>();
        for (String k : REF.keySet()) names.add(k.substring(0, k.indexOf('.')));
        return names;
    }

    @Test
    void everyCaseHasAnOpAndEveryOpACase() {
        assertEquals(new TreeSet<>(OPS.keySet()), caseNames());
    }

    /**
     * |ours - torch| <= 1e-13 |torch| + 1e-300 for values; 1e-11 |ref| + 1e-13 for the derivatives, computed by other
     * formulas than torch's (torch's hand-written backward against our composites: a few ulps of each term, summed).
     */
    @TestFactory
    Stream<DynamicTest> valuesAndFirstAndSecondDerivativesMatchTorch() {
        return OPS.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            List<Tensor> xs = new ArrayList<>();
            for (String v : new String[]{"x", "y"}) {
                EdgeConventionsTest.Ref r = REF.get(name + "." + v);
                if (r != null) xs.add(EdgeConventionsTest.leaf(r));
            }
            Tensor y = OPS.get(name).apply(xs);
            if (REF.containsKey(name + ".mpmath")) {
                // exact references: the composites' few roundings, 4e-15 relative; the derivative 1e-13 (the same plus
                // the rounding of its own formula's terms)
                compare(name + ".mpmath", y, MPMATH_RTOL.getOrDefault(name, 4e-15), 1e-300);
                if (REF.containsKey(name + ".mpgrad.x"))
                    compare(name + ".mpgrad.x", Autograd.grad(y.sum(), xs, false).getFirst(),
                            Math.max(1e-13, MPMATH_RTOL.getOrDefault(name, 0.0)), 1e-300);
                return;
            }
            compare(name + ".value", y, 1e-13, 1e-300);
            if (!REF.containsKey(name + ".grad.x")) return;
            List<Tensor> g1 = Autograd.grad(List.of(y.sum()), xs, null, true, true, true);
            Tensor total = null;
            for (int i = 0; i < xs.size(); i++) {
                Tensor g = g1.get(i) == null ? Tensor.zerosLike(xs.get(i)) : g1.get(i);
                compare(name + ".grad." + "xy".charAt(i), g, 1e-11, 1e-13);
                if (g.requiresGrad()) total = total == null ? g.sum() : total.add(g.sum());
            }
            if (NO_SECOND.containsKey(name) || !REF.containsKey(name + ".grad2.x")) return;
            List<Tensor> g2 = total == null ? null : Autograd.grad(List.of(total), xs, null, false, false, true);
            for (int i = 0; i < xs.size(); i++) {
                Tensor h = g2 == null || g2.get(i) == null ? Tensor.zerosLike(xs.get(i)) : g2.get(i);
                compare(name + ".grad2." + "xy".charAt(i), h, 1e-11, 1e-13);
            }
        }));
    }

    /** erfc and erfcx in float32 (computed in double, rounded once): within an ulp of float32 of the float64 result. */
    @Test
    void erfcAndErfcxInFloat32AreTheFloat64ValuesRounded() {
        for (String name : new String[]{"erfcTail", "erfcxTail"}) {
            Tensor x = EdgeConventionsTest.leaf(REF.get(name + ".x"));
            double[] f64 = OPS.get(name).apply(List.of(x)).toDoubleArray();
            double[] f32 = OPS.get(name).apply(List.of(x.detach().to(DType.F32))).toDoubleArray();
            double[] xv = x.toDoubleArray();
            for (int i = 0; i < f64.length; i++) {
                if ((float) xv[i] != xv[i]) continue;
                double want = (float) f64[i];
                assertEquals(want, f32[i], Math.ulp((float) want), name + " float32 at " + xv[i]);
            }
        }
    }

    private static void compare(String key, Tensor got, double rtol, double atol) {
        EdgeConventionsTest.Ref r = REF.get(key);
        if (r == null) fail("no reference " + key);
        assertArrayEquals(r.shape(), got.dims(), key + " shape");
        double[] want = r.values(), g = got.toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            String at = key + " at " + i + ": want " + want[i] + ", got " + g[i];
            if (Double.isNaN(want[i])) assertTrue(Double.isNaN(g[i]), at);
            else if (Double.isInfinite(want[i])) assertEquals(want[i], g[i], at);
            else assertTrue(Math.abs(g[i] - want[i]) <= rtol * Math.abs(want[i]) + atol, at);
        }
    }

    /** The rounding ops give their zero gradient also at the steps (torch: zeros, never NaN). */
    @Test
    void roundingGradientsAreZeroEverywhere() {
        Tensor x = Tensor.of(NDArray.of(new double[]{-1, -0.5, 0, 0.5, 1, 2.5})).requiresGrad(true);
        for (Function<Tensor, Tensor> f : List.<Function<Tensor, Tensor>>of(Tensor::floor, Tensor::ceil, Tensor::round, Tensor::trunc)) {
            Tensor g = Autograd.grad(f.apply(x).sum(), List.of(x), false).getFirst();
            assertArrayEquals(new double[6], g.toDoubleArray(), 0);
        }
        assertArrayEquals(new double[]{-0.0, -0.5, 0, 0.5, 0, 0.5}, x.frac().toDoubleArray(), 0);
    }

    /** Bad arguments are refused with the operation named. */
    @Test
    void badArgumentsAreRefused() {
        Tensor x = Tensor.of(NDArray.of(new double[]{1, 2, 3, 4}, 2, 2));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "norm: p must be > 0", () -> x.norm(0));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "norm: p must be > 0", () -> x.norm(-2));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "trace: expected a 2-D tensor", () -> x.reshape(4).trace());
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "frobeniusNorm: expected rank >= 2", () -> x.reshape(4).frobeniusNorm());
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "flip: expected at least one dim", () -> x.flip());
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "roll: expected as many shifts as dims", () -> x.roll(new int[]{1}, new int[]{0, 1}));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "hardtanh: lo (1.0) must be < hi (0.0)", () -> x.hardtanh(1, 0));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "logit: eps must be in [0, 0.5)", () -> x.logit(0.7));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "atan2: dtype mismatch", () -> x.atan2(x.to(DType.F32)));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "logaddexp: dtype mismatch", () -> x.logaddexp(x.to(DType.F32)));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "prod: dim 2 out of range", () -> x.prod(2));
        AutogradTest.assertThrowsWith(IllegalArgumentException.class, "fmod: not defined for I64",
                () -> Tensor.of(NDArray.of(new long[]{3})).fmod(Tensor.of(NDArray.of(new long[]{2}))));
        assertTrue(Arrays.equals(new int[]{2, 2}, x.roll(5).dims()));
    }
}
