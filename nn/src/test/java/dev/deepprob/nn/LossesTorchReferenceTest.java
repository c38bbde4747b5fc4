package dev.deepprob.nn;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The losses of issue 15 (nll, l1, smoothL1, huber, klDiv, sigmoidFocal) against PyTorch 1.13 in float64: values for
 * each reduction, the gradient in the input and its second derivative (the gradient of the gradient's sum). The values
 * are in torch_losses.txt, written by nn/src/test/python/torch_losses.py; every case there has a loss here and back.
 */
class LossesTorchReferenceTest {

    record Ref(int[] shape, double[] values) {
        NDArray array() { return NDArray.of(values, shape); }
    }

    static final Map<String, Ref> REF = load();

    private static Map<String, Ref> load() {
        Map<String, Ref> m = new HashMap<>();
        try (InputStream in = LossesTorchReferenceTest.class.getResourceAsStream("/torch_losses.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] halves = line.split(" : ");
                String[] head = halves[0].trim().split(" +");
                int[] shape = Arrays.stream(head, 2, head.length).mapToInt(Integer::parseInt).toArray();
                double[] v = halves.length < 2 ? new double[0] : Arrays.stream(halves[1].trim().split(" +")).mapToDouble(Double::parseDouble).toArray();
                m.put(head[0], new Ref(shape, v));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /** A loss of (input, target, weight or null) under a reduction name (mean, sum, none, batchmean). */
    interface Loss { Tensor apply(Tensor x, Tensor t, Tensor w, String reduction); }

    static Reduction red(String r) { return Reduction.valueOf(r.toUpperCase()); }

    static Tensor classes(Tensor t) { return Tensor.of(t.data().to(DType.I64)); }

    static final Map<String, Loss> LOSSES = new LinkedHashMap<>();

    static {
        LOSSES.put("nll", (x, t, w, r) -> Losses.nll(x, classes(t), null, red(r)));
        LOSSES.put("nllWeighted", (x, t, w, r) -> Losses.nll(x, classes(t), w, red(r)));
        LOSSES.put("l1", (x, t, w, r) -> Losses.l1(x, t, red(r)));
        LOSSES.put("smoothL1", (x, t, w, r) -> Losses.smoothL1(x, t, 1.0, red(r)));
        LOSSES.put("smoothL1Beta", (x, t, w, r) -> Losses.smoothL1(x, t, 0.4, red(r)));
        LOSSES.put("huber", (x, t, w, r) -> Losses.huber(x, t, 1.0, red(r)));
        LOSSES.put("huberDelta", (x, t, w, r) -> Losses.huber(x, t, 2.0, red(r)));
        LOSSES.put("klDiv", (x, t, w, r) -> Losses.klDiv(x, t, red(r), false));
        LOSSES.put("klDivBatchmean", (x, t, w, r) -> Losses.klDivBatchMean(x, t, false));
        LOSSES.put("klDivLogTarget", (x, t, w, r) -> Losses.klDiv(x, t, red(r), true));
        LOSSES.put("focal", (x, t, w, r) -> Losses.sigmoidFocal(x, t, 0.25, 2.0, red(r)));
        LOSSES.put("focalNoAlpha", (x, t, w, r) -> Losses.sigmoidFocal(x, t, -1.0, 1.5, red(r)));
    }

    @Test
    void everyCaseHasALossAndEveryLossACase() {
        Set<String> names = new TreeSet<>();
        for (String k : REF.keySet()) names.add(k.substring(0, k.indexOf('.')));
        assertEquals(new TreeSet<>(LOSSES.keySet()), names);
    }

    /** Within 1e-13 relative plus 1e-15 (the same formulas, reassociated: a few ulps of terms of order 1). */
    @TestFactory
    Stream<DynamicTest> valuesGradientsAndSecondDerivativesMatchTorch() {
        return LOSSES.keySet().stream().flatMap(name -> Stream.of("mean", "sum", "none", "batchmean")
                .filter(r -> REF.containsKey(name + "." + r + ".value"))
                .map(r -> DynamicTest.dynamicTest(name + " " + r, () -> {
                    Tensor x = Tensor.of(REF.get(name + ".x").array()).requiresGrad(true);
                    Tensor t = Tensor.of(REF.get(name + ".t").array());
                    Tensor w = REF.containsKey(name + ".w") ? Tensor.of(REF.get(name + ".w").array()) : null;
                    Tensor y = LOSSES.get(name).apply(x, t, w, r);
                    compare(name + "." + r + ".value", y);
                    Tensor g = Autograd.grad(y.sum(), List.of(x), true).getFirst();
                    compare(name + "." + r + ".grad", g);
                    Tensor h = g.requiresGrad() ? Autograd.grad(List.of(g.sum()), List.of(x), null, false, false, true).getFirst() : null;
                    compare(name + "." + r + ".grad2", h == null ? Tensor.zerosLike(x) : h);
                })));
    }

    private static void compare(String key, Tensor got) {
        Ref r = REF.get(key);
        assertArrayEquals(r.shape(), got.dims(), key + " shape");
        double[] want = r.values(), g = got.toDoubleArray();
        for (int i = 0; i < want.length; i++)
            assertEquals(want[i], g[i], 1e-13 * Math.abs(want[i]) + 1e-15, key + " at " + i);
    }

    /** Bad input names the loss and what was expected. */
    @Test
    void badInputIsRefusedWithTheLossNamed() {
        Tensor x = Tensor.of(DType.F64, new double[]{0.1, 0.2, 0.3, 0.4}, 2, 2), y = Tensor.of(DType.F64, new double[]{1, 2}, 2);
        Map<String, Runnable> bad = new LinkedHashMap<>();
        bad.put("l1: target shape [2] does not match input shape [2, 2]", () -> Losses.l1(x, y));
        bad.put("smoothL1: beta must be finite and >= 0, got -1.0", () -> Losses.smoothL1(x, x, -1, Reduction.MEAN));
        bad.put("huber: delta must be finite and > 0, got 0.0", () -> Losses.huber(x, x, 0, Reduction.MEAN));
        bad.put("klDiv: target dtype F32 does not match input dtype F64", () -> Losses.klDiv(x, x.to(DType.F32), Reduction.SUM, false));
        bad.put("nll: target must be I64 class indices, got F64", () -> Losses.nll(x, y));
        bad.put("nll: target class 5 out of range [0, 2)", () -> Losses.nll(x, Tensor.of(NDArray.of(new long[]{0, 5}))));
        bad.put("nll: weight must be F64 of shape [2]", () -> Losses.nll(x, Tensor.of(NDArray.of(new long[]{0, 1})), y.reshape(1, 2), Reduction.MEAN));
        bad.put("sigmoidFocal: gamma must be finite and >= 0", () -> Losses.sigmoidFocal(x, x, 0.25, -1, Reduction.MEAN));
        bad.put("sigmoidFocal: alpha must be <= 1", () -> Losses.sigmoidFocal(x, x, 2, 2, Reduction.MEAN));
        for (var e : bad.entrySet()) {
            var ex = assertThrows(IllegalArgumentException.class, e.getValue()::run, e.getKey());
            assertTrue(ex.getMessage().contains(e.getKey()), ex.getMessage());
        }
    }

    /** nll after a log-softmax is crossEntropy on the logits, for every reduction and with weights. */
    @Test
    void nllOfLogSoftmaxIsCrossEntropy() {
        Tensor logits = Tensor.of(DType.F64, new double[]{0.2, -1, 1.5, 0.3, 0.3, -2}, 2, 3);
        Tensor target = Tensor.of(NDArray.of(new long[]{2, 0}));
        Tensor w = Tensor.of(DType.F64, new double[]{0.5, 1, 2});
        for (Reduction r : Reduction.values())
            assertArrayEquals(Losses.crossEntropy(logits, target, w, r).toDoubleArray(),
                    Losses.nll(logits.logSoftmax(1), target, w, r).toDoubleArray(), 0, r.toString());
    }
}
