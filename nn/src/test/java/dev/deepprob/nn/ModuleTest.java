package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

class ModuleTest {

    /** An encoder-decoder with nested modules, a buffer and a parameter of its own. */
    static final class AutoEncoder extends UnaryModule {
        final Sequential encoder, decoder;
        final Parameter scale;
        final Tensor offset;

        AutoEncoder(Generator gen) {
            scale = registerParameter("scale", NDArray.ones(DType.F32, 1));
            offset = registerBuffer("offset", NDArray.full(DType.F32, 0.5, 2));
            encoder = registerModule("encoder", new Sequential(new Linear(4, 3, gen), new Tanh(), new Linear(3, 2, gen)));
            decoder = registerModule("decoder", Mlp.of(gen, 2, 3, 4).build());
        }

        @Override
        public Tensor forward(Tensor x) { return decoder.forward(encoder.forward(x).add(offset).mul(scale.tensor())); }
    }

    @Test
    void parametersAreNamedWithDotsInRegistrationOrder() {
        AutoEncoder m = new AutoEncoder(new Generator(1));
        assertEquals(List.of("scale", "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(9, m.parameters().size());
        assertSame(m.scale.tensor(), m.parameters().getFirst());
        assertEquals(1 + 12 + 3 + 6 + 2 + 6 + 3 + 12 + 4, m.parameterCount());
        assertEquals(List.of("offset"), List.copyOf(m.namedBuffers().keySet()));
        // state dict: own parameters, own buffers, then children (PyTorch's order)
        assertEquals("scale", m.stateDict().keySet().iterator().next());
        assertEquals(List.of("scale", "offset"), List.copyOf(m.stateDict().keySet()).subList(0, 2));
        for (Tensor p : m.parameters()) {
            assertTrue(p.requiresGrad());
            assertTrue(p.isLeaf());
        }
        assertFalse(m.offset.requiresGrad());
    }

    @Test
    void tiedParametersAppearOnceInParametersButUnderBothNamesInTheStateDict() {
        Generator gen = new Generator(2);
        Linear a = new Linear(3, 3, gen);
        UnaryModule tied = new UnaryModule() {
            final Parameter w = registerParameter(a.weight());
            { registerModule("inner", a); }
            @Override public Tensor forward(Tensor x) { return x.matmul(w.tensor()); }
        };
        assertEquals(List.of("weight", "inner.bias"), List.copyOf(tied.namedParameters().keySet()));
        assertEquals(List.of("weight", "inner.weight", "inner.bias"), List.copyOf(tied.stateDict().keySet()));
    }

    @Test
    void trainAndEvalReachEverySubmodule() {
        AutoEncoder m = new AutoEncoder(new Generator(3));
        assertTrue(m.isTraining());
        m.eval();
        assertFalse(m.isTraining());
        assertFalse(m.encoder.get(1).isTraining());
        assertFalse(m.decoder.get(0).isTraining());
        m.train();
        assertTrue(m.decoder.get(2).isTraining());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        AutoEncoder m = new AutoEncoder(new Generator(4));
        m.forward(Tensor.randn(new Generator(5), 5, 4)).square().sum().backward();
        for (Tensor p : m.parameters()) assertNotNull(p.grad());
        m.zeroGrad();
        for (Tensor p : m.parameters()) assertNull(p.grad());
    }

    @Test
    void stateDictIsACopyAndRoundTrips() {
        AutoEncoder m = new AutoEncoder(new Generator(6));
        LinkedHashMap<String, NDArray> sd = m.stateDict();
        NDArray w = m.encoder.get(0) instanceof Linear l ? l.weight().data() : null;
        assertNotNull(w);
        assertFalse(sd.get("encoder.0.weight").sharesStorage(w));
        AutoEncoder other = new AutoEncoder(new Generator(7));
        assertNotEquals(sd.get("encoder.0.weight"), other.stateDict().get("encoder.0.weight"));
        Module.LoadResult r = other.loadStateDict(sd, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        for (Map.Entry<String, NDArray> e : other.stateDict().entrySet()) assertEquals(sd.get(e.getKey()), e.getValue(), e.getKey());
        Tensor x = Tensor.randn(new Generator(8), 2, 4);
        assertArrayEquals(m.forward(x).toFloatArray(), other.forward(x).toFloatArray());
    }

    private static void assertUnchanged(Map<String, NDArray> before, Module m) {
        Map<String, NDArray> now = m.stateDict();
        assertEquals(before.keySet(), now.keySet());
        for (String k : before.keySet()) assertEquals(before.get(k), now.get(k), k);
    }

    @Test
    void loadStateDictRejectsABadDictCompletelyBeforeChangingAnything() {
        AutoEncoder m = new AutoEncoder(new Generator(9));
        Map<String, NDArray> before = m.stateDict();
        LinkedHashMap<String, NDArray> good = new AutoEncoder(new Generator(10)).stateDict();

        // missing key: the other keys (which would load fine) must not be loaded either
        LinkedHashMap<String, NDArray> missing = new LinkedHashMap<>(good);
        missing.remove("decoder.2.bias");
        assertThrowsWith(IllegalArgumentException.class, () -> m.loadStateDict(missing, true), "loadStateDict", "missing keys [decoder.2.bias]");
        assertUnchanged(before, m);

        LinkedHashMap<String, NDArray> extra = new LinkedHashMap<>(good);
        extra.put("decoder.4.weight", NDArray.zeros(DType.F32, 2, 2));
        assertThrowsWith(IllegalArgumentException.class, () -> m.loadStateDict(extra, true), "unexpected keys [decoder.4.weight]");
        assertUnchanged(before, m);

        LinkedHashMap<String, NDArray> shape = new LinkedHashMap<>(good);
        shape.put("encoder.0.weight", NDArray.zeros(DType.F32, 4, 3));
        assertThrowsWith(IllegalArgumentException.class, () -> m.loadStateDict(shape, false),
                "shape mismatch for 'encoder.0.weight'", "[4, 3]", "[3, 4]");
        assertUnchanged(before, m);

        LinkedHashMap<String, NDArray> dtype = new LinkedHashMap<>(good);
        dtype.put("scale", NDArray.ones(DType.F64, 1));
        assertThrowsWith(IllegalArgumentException.class, () -> m.loadStateDict(dtype, true), "dtype mismatch for 'scale'", "F64", "F32");
        assertUnchanged(before, m);

        LinkedHashMap<String, NDArray> nul = new LinkedHashMap<>(good);
        nul.put("scale", null);
        assertThrowsWith(IllegalArgumentException.class, () -> m.loadStateDict(nul, true), "'scale' is null");
        assertUnchanged(before, m);

        assertThrowsWith(IllegalArgumentException.class, () -> m.loadStateDict(null, true), "loadStateDict: state must not be null");
    }

    @Test
    void nonStrictLoadReportsWhatDidNotMatch() {
        AutoEncoder m = new AutoEncoder(new Generator(11));
        LinkedHashMap<String, NDArray> part = new LinkedHashMap<>();
        part.put("scale", NDArray.full(DType.F32, 3, 1));
        part.put("nonsense", NDArray.zeros(DType.F32, 1));
        Module.LoadResult r = m.loadStateDict(part, false);
        assertEquals(List.of("nonsense"), r.unexpectedKeys());
        assertEquals(m.stateDict().size() - 1, r.missingKeys().size());
        assertEquals(3, m.scale.data().item());
    }

    @Test
    void loadingBumpsTheVersionSoOldGraphsRefuseToBackward() {
        Linear l = new Linear(2, 1, new Generator(12));
        Tensor y = l.forward(Tensor.ones(1, 2)).sum();
        l.loadStateDict(new Linear(2, 1, new Generator(13)).stateDict());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void registrationRejectsBadNamesDuplicatesAndCycles() {
        assertThrowsWith(IllegalArgumentException.class, () -> new UnaryModule() {
            { registerParameter("a.b", NDArray.zeros(DType.F32, 1)); }
            @Override public Tensor forward(Tensor x) { return x; }
        }, "registerParameter", "without '.'", "'a.b'");
        assertThrowsWith(IllegalArgumentException.class, () -> new UnaryModule() {
            { registerParameter("", NDArray.zeros(DType.F32, 1)); }
            @Override public Tensor forward(Tensor x) { return x; }
        }, "name must be non-empty");
        assertThrowsWith(IllegalArgumentException.class, () -> new UnaryModule() {
            { registerParameter("w", NDArray.zeros(DType.F32, 1)); registerBuffer("w", NDArray.zeros(DType.F32, 1)); }
            @Override public Tensor forward(Tensor x) { return x; }
        }, "registerBuffer", "'w' is already registered");
        assertThrowsWith(IllegalArgumentException.class, () -> new UnaryModule() {
            { registerParameter("i", NDArray.zeros(DType.I64, 1)); }
            @Override public Tensor forward(Tensor x) { return x; }
        }, "Parameter", "must be F32 or F64, got I64");
        assertThrowsWith(IllegalArgumentException.class, () -> new UnaryModule() {
            { registerModule("m", null); }
            @Override public Tensor forward(Tensor x) { return x; }
        }, "registerModule", "must not be null");
        Sequential s = new Sequential();
        Sequential outer = new Sequential(s);
        assertThrowsWith(IllegalArgumentException.class, () -> s.add(outer), "cycle");
        assertThrowsWith(IllegalArgumentException.class, () -> s.add(s), "cycle");
    }

    @Test
    void parameterValidatesAndCopies() {
        NDArray init = NDArray.of(new float[]{1, 2, 3, 4}, 2, 2).transpose(0, 1);   // a strided view
        Parameter p = new Parameter("w", init);
        assertTrue(p.data().isContiguous());
        assertFalse(p.data().sharesStorage(init));
        assertArrayEquals(new float[]{1, 3, 2, 4}, p.data().toFloatArray());
        assertEquals("w", p.name());
        assertThrowsWith(IllegalArgumentException.class, () -> new Parameter("w", null), "Parameter", "must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> new Parameter(null, init), "Parameter", "got null");
        assertThrowsWith(IllegalArgumentException.class, () -> Parameter.tensors(null), "Parameter.tensors");
        assertEquals(List.of(p.tensor()), Parameter.tensors(List.of(p)));
    }

    @Test
    void toStringLooksLikePyTorch() {
        Sequential s = Mlp.of(new Generator(14), 2, 8, 1).activation(() -> new LeakyReLU(0.2)).build();
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=2, out_features=8, bias=true)
                  (1): LeakyReLU(negative_slope=0.2)
                  (2): Linear(in_features=8, out_features=1, bias=true)
                )""", s.toString());
    }
}
