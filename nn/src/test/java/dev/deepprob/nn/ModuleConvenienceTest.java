package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Module.to(DType), summary, the static parameters(Module...) and Parameter's printing (issue 14). */
class ModuleConvenienceTest {

    /** A layer with a floating buffer read through buffer(name), and an integer buffer that to() leaves alone. */
    static final class Shifted extends UnaryModule {
        final Linear fc;

        Shifted(Generator gen) {
            fc = registerModule("fc", new Linear(3, 2, gen));
            registerBuffer("shift", NDArray.full(DType.F32, 0.5, 2));
            registerBuffer("steps", NDArray.of(new long[]{7}));
        }

        @Override
        public Tensor forward(Tensor x) { return fc.forward(x).add(buffer("shift")); }
    }

    @Test
    void toConvertsParametersAndBuffersKeepingParameterIdentity() {
        Shifted m = new Shifted(new Generator(1));
        Parameter w = m.fc.weight();
        double[] before = w.data().toDoubleArray();
        Tensor x32 = Tensor.randn(new Generator(2), 4, 3);
        double[] y32 = m.forward(x32).toDoubleArray();
        m.fc.forward(x32).sum().backward();
        assertSame(m, m.to(DType.F64));
        assertSame(w, m.fc.weight(), "the Parameter object survives");
        assertSame(w, m.namedParameters().get("fc.weight"));
        assertEquals(DType.F64, w.dtype());
        assertEquals(DType.F64, m.fc.dtype());
        assertEquals(DType.F64, w.grad().dtype(), "the gradient is converted along");
        assertTrue(w.tensor().requiresGrad());
        assertArrayEquals(before, w.data().toDoubleArray(), 0, "F32 values are exact in F64");
        assertEquals(DType.F64, m.namedBuffers().get("shift").dtype());
        assertEquals(DType.I64, m.namedBuffers().get("steps").dtype(), "integer buffers keep their dtype");
        assertEquals(DType.F64, m.stateDict().get("fc.bias").dtype());
        // the converted model computes the same function in F64
        double[] y64 = m.forward(x32.to(DType.F64)).toDoubleArray();
        assertArrayEquals(y32, y64, 1e-6);
        // an optimiser built after to() updates the converted parameters
        Adam opt = new Adam(m.parameters(), 0.1);
        m.zeroGrad();
        m.forward(x32.to(DType.F64)).sum().backward();
        opt.step();
        assertNotEquals(before[0], w.data().toDoubleArray()[0]);
        assertEquals("Shifted.to: dtype must be F32 or F64, got I64", assertThrows(IllegalArgumentException.class, () -> m.to(DType.I64)).getMessage());
    }

    @Test
    void parametersOfSeveralModulesAreGatheredOnceInOrder() {
        Generator gen = new Generator(3);
        Linear a = new Linear(2, 2, gen), b = new Linear(2, 1, gen);
        Sequential both = new Sequential(a, b);
        List<Tensor> ps = Module.parameters(a, b, both);
        assertEquals(4, ps.size(), "the Sequential repeats a's and b's parameters: each is listed once");
        assertSame(a.weight().tensor(), ps.get(0));
        assertSame(a.bias().orElseThrow().tensor(), ps.get(1));
        assertSame(b.weight().tensor(), ps.get(2));
        assertSame(b.bias().orElseThrow().tensor(), ps.get(3));
        assertTrue(Module.parameters(new Module[0]).isEmpty());
        assertEquals("Module.parameters: module 1 of 2 is null", assertThrows(IllegalArgumentException.class, () -> Module.parameters(a, null)).getMessage());
    }

    @Test
    void summaryListsLayersShapesAndCounts() {
        Sequential m = Mlp.of(new Generator(4), 2, 16, 1).build();
        String expected = """
                Input shape: [8, 2]
                ==============================================================
                Layer (type)  Output shape  Param shapes               Param #
                ==============================================================
                Sequential    [8, 1]        --                              --
                  0 (Linear)  [8, 16]       weight [16, 2], bias [16]       48
                  1 (ReLU)    [8, 16]       --                              --
                  2 (Linear)  [8, 1]        weight [1, 16], bias [1]        17
                ==============================================================
                Total params: 65
                """;
        assertEquals(expected, m.summary(8, 2));
        assertTrue(m.summary().contains("  0 (Linear)  weight [16, 2], bias [16]       48\n"), m.summary());
        assertTrue(m.summary().endsWith("Total params: 65\n"));
        assertEquals(m.parameterCount(), 65);
    }

    @Test
    void summaryRunsInEvalModeAndRestoresTheFlags() {
        Generator gen = new Generator(5);
        Dropout d = new Dropout(0.5, gen);
        Sequential m = new Sequential(new Linear(3, 3, gen), d);
        d.eval();
        assertTrue(m.summary(2, 3).contains("  1 (Dropout)  [2, 3]"));
        assertTrue(m.isTraining());
        assertFalse(d.isTraining(), "each module's own flag is restored");
        assertEquals("Linear.forward: input of shape [2, 4] does not match in_features 3", assertThrows(IllegalArgumentException.class, () -> m.summary(2, 4)).getMessage());
        assertTrue(m.isTraining(), "flags are restored when the forward pass throws");
    }

    @Test
    void summaryCountsATiedParameterOnce() {
        Linear l = new Linear(2, 2, new Generator(6));
        Sequential m = new Sequential(l, l);
        String s = m.summary();
        assertTrue(s.contains("  1 (Linear)  weight (tied), bias (tied)        0\n"), s);
        assertTrue(s.endsWith("Total params: 6\n"), s);
    }

    @Test
    void parameterPrintsItsValues() {
        Parameter p = new Parameter("bias", NDArray.of(new float[]{0.1f, -0.25f}, 2));
        assertEquals("Parameter(bias, F32 [2]) [0.10000, -0.25000]", p.toString());
        Parameter big = new Parameter("w", NDArray.zeros(DType.F64, 20));
        assertEquals("Parameter(w, F64 [20]) [0.0000, 0.0000, 0.0000, 0.0000, 0.0000, ..., 0.0000, 0.0000, 0.0000]", big.toString());
    }
}
