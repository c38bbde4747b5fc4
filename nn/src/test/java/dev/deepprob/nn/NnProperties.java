package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.optim.Adam;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.deepprob.nn.Asserts.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/** Properties over random shapes, including sizes that are not multiples of a vector width. */
class NnProperties {

    @Property(tries = 40)
    void linearMatchesANaiveLoop(@ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 1, max = 19) int in,
                                 @ForAll @IntRange(min = 1, max = 17) int out, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator g = new Generator(seed);
        Linear l = new Linear(in, out, true, DType.F64, g);
        double[] x = Tensor.randn(g, DType.F64, batch, in).toDoubleArray();
        double[] w = l.weight().data().toDoubleArray(), b = l.bias().orElseThrow().data().toDoubleArray();
        double[] want = new double[batch * out];
        for (int i = 0; i < batch; i++) for (int o = 0; o < out; o++) {
            double s = b[o];
            for (int k = 0; k < in; k++) s += x[i * in + k] * w[o * in + k];
            want[i * out + o] = s;
        }
        assertClose(want, l.forward(Tensor.of(DType.F64, x, batch, in)).toDoubleArray(), 1e-12);
    }

    @Property(tries = 40)
    void crossEntropyIsLogSumExpMinusThePickedLogit(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 13) int c,
                                                    @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator g = new Generator(seed);
        double[] x = Tensor.randn(g, DType.F64, n, c).mul(30.0).toDoubleArray();
        long[] t = NDArray.randint(g, 0, c, n).toLongArray();
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int k = 0; k < c; k++) m = Math.max(m, x[i * c + k]);
            for (int k = 0; k < c; k++) s += Math.exp(x[i * c + k] - m);
            want[i] = m + Math.log(s) - x[i * c + (int) t[i]];
        }
        assertClose(want, Losses.crossEntropy(Tensor.of(DType.F64, x, n, c), Tensor.of(NDArray.of(t)), Reduction.NONE).toDoubleArray(), 1e-12);
    }

    @Property(tries = 30)
    void checkpointsRoundTripAnyShapeAndDtype(@ForAll @IntRange(min = 0, max = 6) int count, @ForAll @IntRange(min = 0, max = 1000) int seed)
            throws IOException {
        Generator g = new Generator(seed);
        LinkedHashMap<String, NDArray> m = new LinkedHashMap<>();
        DType[] types = DType.values();
        for (int i = 0; i < count; i++) {
            int rank = (int) (g.nextDouble() * 4);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = (int) (g.nextDouble() * 7);
            DType t = types[(int) (g.nextDouble() * types.length)];
            NDArray a = NDArray.randn(g, DType.F64, shape).mul(1000.0).to(t);
            if (rank == 2) a = a.transpose(0, 1);                           // a strided view is written in logical order
            m.put("t" + i + (i % 2 == 0 ? ".weight" : "/é"), a);
        }
        Path dir = Files.createTempDirectory("nnprop");
        try {
            Path f = dir.resolve("p.safetensors");
            Checkpoint.save(m, Map.of("seed", Integer.toString(seed)), f);
            Checkpoint.Contents c = Checkpoint.read(f);
            assertEquals(List.copyOf(m.keySet()), List.copyOf(c.tensors().keySet()));
            for (String k : m.keySet()) assertEquals(m.get(k), c.tensors().get(k), k);
            assertEquals(Integer.toString(seed), c.metadata().get("seed"));
            assertEquals(0, (Files.size(f) - 8 - dataBytes(m)) % 8, "header padded to 8 bytes");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path q : files.toList()) Files.delete(q);
            }
            Files.delete(dir);
        }
    }

    private static long dataBytes(Map<String, NDArray> m) {
        long n = 0;
        for (NDArray a : m.values()) n += (long) a.size() * a.dtype().byteSize();
        return n;
    }

    @Property(tries = 20)
    void f32AndF64AdamAgreeOnOddSizes(@ForAll @IntRange(min = 1, max = 37) int size, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator g = new Generator(seed);
        NDArray init = NDArray.randn(g, DType.F64, size);
        Tensor p64 = Tensor.of(init.copy()).requiresGrad(true), p32 = Tensor.of(init.to(DType.F32)).requiresGrad(true);
        Adam a64 = Adam.builder().lr(0.01).weightDecay(0.1).build(List.of(p64));
        Adam a32 = Adam.builder().lr(0.01).weightDecay(0.1).build(List.of(p32));
        for (int k = 0; k < 5; k++) {
            NDArray grad = NDArray.randn(g, DType.F64, size);
            p64.setGrad(Tensor.of(grad));
            p32.setGrad(Tensor.of(grad.to(DType.F32)));
            a64.step();
            a32.step();
        }
        assertClose(p64.toDoubleArray(), p32.toDoubleArray(), 1e-5);
    }
}
