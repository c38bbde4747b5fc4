package dev.deepprob.nn;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Module.functionalCall (torch.func.functional_call): with substituted values a module computes exactly what a
 * copy of it holding those values computes; the result is differentiable in the values (finite differences); the
 * module itself is untouched, also after an exception and for other threads; bad names, shapes and dtypes are refused.
 */
class FunctionalCallTest {

    /** A custom module with nested children, a buffer read at forward time, and a tied parameter. */
    static final class Net extends UnaryModule {
        final Linear enc;
        final Sequential head;

        Net(Generator g) {
            enc = registerModule("enc", new Linear(3, 4, true, DType.F64, g));
            Sequential inner = new Sequential(new Tanh(), new Linear(4, 4, false, DType.F64, g), new Softplus());
            head = registerModule("head", new Sequential(inner, new Linear(4, 2, true, DType.F64, g)));
            registerBuffer("scale", NDArray.of(new double[]{2.0, -0.5}, 2));
        }

        @Override
        public Tensor forward(Tensor x) { return head.forward(enc.forward(x)).mul(buffer("scale")); }
    }

    /** Random values of the module's parameters (and buffers), by name, as fresh tensors that require grad. */
    static Map<String, Tensor> randomValues(Module m, Generator g, boolean withBuffers) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : m.namedParameters().entrySet())
            out.put(e.getKey(), Tensor.randn(g, DType.F64, e.getValue().dims()).to(e.getValue().dtype()).requiresGrad(true));
        if (withBuffers) for (var e : m.namedBuffers().entrySet())
            out.put(e.getKey(), Tensor.randn(g, DType.F64, e.getValue().dims()).to(e.getValue().dtype()));
        return out;
    }

    /** A copy of the module holding the given values instead of its own (the reference functionalCall must equal). */
    static <M extends Module> M loaded(M copy, Map<String, Tensor> values) {
        Map<String, NDArray> sd = copy.stateDict();
        for (var e : values.entrySet()) sd.put(e.getKey(), e.getValue().data().copy());
        copy.loadStateDict(sd);
        return copy;
    }

    static void assertSameValues(Tensor want, Tensor got) { assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0); }

    @Test
    void anMlpWithSubstitutedValuesIsAnMlpHoldingThem() {
        Sequential mlp = Mlp.of(new Generator(1), 3, 8, 8, 2).activation(Tanh::new).dtype(DType.F64).build();
        Map<String, NDArray> before = mlp.stateDict();
        Map<String, Tensor> v = randomValues(mlp, new Generator(2), false);
        Tensor x = Tensor.randn(new Generator(3), DType.F64, 5, 3);
        Tensor got = mlp.functionalCall(v, x);
        Sequential ref = loaded(Mlp.of(new Generator(1), 3, 8, 8, 2).activation(Tanh::new).dtype(DType.F64).build(), v);
        assertSameValues(ref.forward(x), got);
        assertUntouched(mlp, before);
        // its own values give its own output
        Map<String, Tensor> own = new HashMap<>();
        for (var e : mlp.namedParameters().entrySet()) own.put(e.getKey(), e.getValue().tensor().detach());
        assertSameValues(mlp.forward(x), mlp.functionalCall(own, x));
    }

    @Test
    void aSequentialOfSeveralLayerKindsWithSomeValuesSubstituted() {
        Generator g = new Generator(4);
        java.util.function.Supplier<Sequential> make = () -> {
            Generator gg = new Generator(4);
            return new Sequential(new Linear(2, 6, true, DType.F64, gg), new LeakyReLU(0.1), new Linear(6, 5, false, DType.F64, gg),
                    new ELU(), new Dropout(0.3, gg), new Linear(5, 3, true, DType.F64, gg), new Sigmoid(), new Linear(3, 1, true, DType.F64, gg));
        };
        Sequential s = make.get();
        s.eval();
        Map<String, NDArray> before = s.stateDict();
        Map<String, Tensor> all = randomValues(s, g, false);
        Map<String, Tensor> some = Map.of("0.weight", all.get("0.weight"), "5.bias", all.get("5.bias"));
        Tensor x = Tensor.randn(g, DType.F64, 7, 2);
        Sequential ref = loaded(make.get(), some);
        ref.eval();
        assertSameValues(ref.forward(x), s.functionalCall(some, x));
        assertUntouched(s, before);
    }

    @Test
    void aCustomModuleWithNestedChildrenAndABuffer() {
        Net net = new Net(new Generator(5));
        Map<String, NDArray> before = net.stateDict();
        assertEquals(List.of("enc.weight", "enc.bias", "head.0.1.weight", "head.1.weight", "head.1.bias"),
                new ArrayList<>(net.namedParameters().keySet()));
        Map<String, Tensor> v = randomValues(net, new Generator(6), true);
        Tensor x = Tensor.randn(new Generator(7), DType.F64, 4, 3);
        Tensor got = net.functionalCall(v, x);
        assertSameValues(loaded(new Net(new Generator(5)), v).forward(x), got);
        assertUntouched(net, before);
        // the substituted buffer matters: with only it replaced the output changes by its factor
        Tensor scale = Tensor.of(DType.F64, new double[]{1, 1}, 2);
        Tensor plain = net.functionalCall(Map.of("scale", scale), x);
        assertSameValues(net.forward(x), plain.mul(Tensor.of(DType.F64, new double[]{2, -0.5}, 2)));
    }

    @Test
    void theGradientWithRespectToTheValuesIsFiniteDifferences() {
        Net net = new Net(new Generator(8));
        Map<String, Tensor> v = randomValues(net, new Generator(9), false);
        Tensor x = Tensor.randn(new Generator(10), DType.F64, 6, 3);
        List<String> names = new ArrayList<>(v.keySet());
        List<Tensor> inputs = new ArrayList<>();
        for (String n : names) inputs.add(v.get(n));
        List<Tensor> analytic = Autograd.grad(net.functionalCall(v, x).square().sum(), inputs, false);
        // nothing reached the module's own parameters
        for (Tensor p : net.parameters()) assertNull(p.grad());
        double h = 1e-6;
        for (int k = 0; k < names.size(); k++) {
            double[] base = v.get(names.get(k)).toDoubleArray(), a = analytic.get(k).toDoubleArray();
            for (int i = 0; i < base.length; i++) {
                double[] up = base.clone(), down = base.clone();
                up[i] += h;
                down[i] -= h;
                double fu = lossWith(net, v, names.get(k), up, x), fd = lossWith(net, v, names.get(k), down, x);
                double num = (fu - fd) / (2 * h);
                // central differences of a smooth (tanh, softplus) function: truncation O(h²) ≈ 1e-12, rounding ≈ 1e-16·|f|/h ≈ 1e-9
                assertEquals(num, a[i], 1e-6 * Math.max(1, Math.abs(num)), names.get(k) + "[" + i + "]");
            }
        }
    }

    private static double lossWith(Net net, Map<String, Tensor> v, String name, double[] values, Tensor x) {
        Map<String, Tensor> w = new HashMap<>(v);
        w.put(name, Tensor.of(DType.F64, values, v.get(name).dims()));
        return net.functionalCall(w, x).square().sum().item();
    }

    @Test
    void theModuleIsRestoredAfterAnExceptionAndOtherThreadsSeeItsOwnValues() throws Exception {
        Net net = new Net(new Generator(11));
        Map<String, NDArray> before = net.stateDict();
        Tensor x = Tensor.randn(new Generator(12), DType.F64, 2, 3);
        Tensor own = net.forward(x);
        Map<String, Tensor> v = randomValues(net, new Generator(13), true);
        RuntimeException boom = assertThrows(RuntimeException.class, () -> net.functionalCall(v, () -> {
            net.forward(x);
            throw new RuntimeException("boom");
        }));
        assertEquals("boom", boom.getMessage());
        assertSameValues(own, net.forward(x));
        assertUntouched(net, before);
        // during a call on this thread, another thread evaluates the module's own values
        Tensor[] seen = new Tensor[1];
        Tensor inside = net.functionalCall(v, () -> {
            Thread t = new Thread(() -> seen[0] = net.forward(x));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertSame(net.namedParameters().get("enc.weight").tensor(), v.get("enc.weight"));
            assertSame(net.parameters().getFirst(), net.namedParameters().get("enc.weight").ownTensor());
            return net.forward(x);
        });
        assertSameValues(own, seen[0]);
        assertTrue(maxDiff(own, inside) > 1e-3);
    }

    @Test
    void nestedCallsSeeTheUnionAndTiedParametersAnswerToEachName() {
        Generator g = new Generator(14);
        Linear shared = new Linear(2, 2, false, DType.F64, g);
        Sequential tied = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight"), new ArrayList<>(tied.namedParameters().keySet()));
        Tensor w = Tensor.randn(g, DType.F64, 2, 2), x = Tensor.randn(g, DType.F64, 3, 2);
        Sequential ref = loaded(new Sequential(new Linear(2, 2, false, DType.F64, new Generator(1))), Map.of("0.weight", w));
        Tensor want = ref.forward(ref.forward(x).tanh());
        assertSameValues(want, tied.functionalCall(Map.of("2.weight", w), x));
        assertThrowsWith(IllegalArgumentException.class, () -> tied.functionalCall(Map.of("0.weight", w, "2.weight", w.mul(2)), x),
                "Sequential.functionalCall: '", "are one tied parameter but were given different values");

        Net net = new Net(new Generator(15));
        Map<String, Tensor> v = randomValues(net, new Generator(16), true);
        Map<String, Tensor> outer = new HashMap<>(v), inner = new HashMap<>();
        inner.put("enc.bias", outer.remove("enc.bias"));
        Tensor both = net.functionalCall(outer, () -> net.functionalCall(inner, x(net)));
        assertSameValues(net.functionalCall(v, x(net)), both);
    }

    private static Tensor x(Net net) { return Tensor.randn(new Generator(17), DType.F64, 2, 3); }

    @Test
    void badNamesShapesAndDtypesAreRefused() {
        Net net = new Net(new Generator(18));
        Tensor x = Tensor.randn(new Generator(1), DType.F64, 2, 3);
        assertThrowsWith(IllegalArgumentException.class, () -> net.functionalCall(Map.of("enc.wieght", Tensor.zeros(DType.F64, 4, 3)), x),
                "Net.functionalCall: no parameter or buffer named 'enc.wieght' (the module has [scale, enc.weight, enc.bias, head.0.1.weight, head.1.weight, head.1.bias])");
        assertThrowsWith(IllegalArgumentException.class, () -> net.functionalCall(Map.of("enc.weight", Tensor.zeros(DType.F64, 3, 4)), x),
                "Net.functionalCall: the value for 'enc.weight' is F64 [3, 4], expected F64 [4, 3] as the module's");
        assertThrowsWith(IllegalArgumentException.class, () -> net.functionalCall(Map.of("scale", Tensor.zeros(DType.F32, 2)), x),
                "Net.functionalCall: the value for 'scale' is F32 [2], expected F64 [2] as the module's");
        Map<String, Tensor> withNull = new HashMap<>();
        withNull.put("enc.bias", null);
        assertThrowsWith(IllegalArgumentException.class, () -> net.functionalCall(withNull, x), "the value for 'enc.bias' is null");
        assertThrowsWith(IllegalArgumentException.class, () -> net.functionalCall(null, x), "values and body must not be null");
    }

    private static double maxDiff(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    /** The module holds exactly its old values, its parameters are still leaves that require grad, and no gradient. */
    private static void assertUntouched(Module m, Map<String, NDArray> before) {
        Map<String, NDArray> now = m.stateDict();
        assertEquals(before.keySet(), now.keySet());
        for (String k : before.keySet()) assertArrayEquals(before.get(k).toDoubleArray(), now.get(k).toDoubleArray(), 0, k);
        for (Tensor p : m.parameters()) {
            assertTrue(p.isLeaf() && p.requiresGrad());
            assertNull(p.grad());
        }
    }
}
