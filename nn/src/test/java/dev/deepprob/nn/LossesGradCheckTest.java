package dev.deepprob.nn;

import dev.deepprob.autograd.GradCheck;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The gradient-check rows of issue 15's losses: first and second derivatives in every differentiable argument against
 * central finite differences (GradCheck's F64 defaults: eps 1e-6, atol 1e-6, rtol 1e-5), at points kept away from each
 * loss's kinks (|input - target| = 0 for l1, = beta or delta for smoothL1 and huber), where a finite difference across
 * the kink would measure the average of two one-sided slopes instead of the derivative.
 */
class LossesGradCheckTest {
    private static Tensor f64(double... v) { return Tensor.of(DType.F64, v, 2, 3); }

    /** Inputs with input - target in {±0.3, ±2.2, ±0.7}: off 0 and off ±1 (beta = delta = 1). */
    private static final Tensor INPUT = f64(0.3, -2.2, 0.7, 2.2, -0.3, -0.7);
    private static final Tensor TARGET = f64(0, 0, 0, 0, 0, 0);

    record Row(String name, Function<List<Tensor>, Tensor> f, List<Tensor> at) {}

    @TestFactory
    Stream<DynamicTest> lossesMatchFiniteDifferencesToSecondOrder() {
        Tensor logits = Tensor.of(NDArray.randn(new Generator(4), DType.F64, 4, 3));
        Tensor cls = Tensor.of(NDArray.of(new long[]{2, 0, 1, 2}));
        Tensor probs = Tensor.of(DType.F64, new double[]{0.2, 0.5, 0.3, 0.6, 0.1, 0.3}, 2, 3);
        Tensor bin = f64(1, 0, 1, 0, 0, 1);
        List<Row> rows = List.of(
                new Row("nll (mean)", xs -> Losses.nll(xs.get(0).logSoftmax(1), cls), List.of(logits)),
                new Row("nll (sum, weighted)", xs -> Losses.nll(xs.get(0).logSoftmax(1), cls,
                        Tensor.of(DType.F64, new double[]{0.5, 2, 1}), Reduction.SUM), List.of(logits)),
                new Row("l1", xs -> Losses.l1(xs.get(0), xs.get(1)), List.of(INPUT, TARGET)),
                new Row("smoothL1 (beta 1)", xs -> Losses.smoothL1(xs.get(0), xs.get(1)), List.of(INPUT, TARGET)),
                new Row("smoothL1 (beta 0.5, sum)", xs -> Losses.smoothL1(xs.get(0), xs.get(1), 0.5, Reduction.SUM),
                        List.of(INPUT, TARGET)),
                new Row("huber (delta 1)", xs -> Losses.huber(xs.get(0), xs.get(1)), List.of(INPUT, TARGET)),
                new Row("huber (delta 2, sum)", xs -> Losses.huber(xs.get(0), xs.get(1), 2.0, Reduction.SUM), List.of(INPUT, TARGET)),
                new Row("klDiv (batchmean)", xs -> Losses.klDivBatchMean(xs.get(0).logSoftmax(1), xs.get(1), false),
                        List.of(f64(0.1, -0.4, 0.9, 1.2, 0.3, -0.6), probs)),
                new Row("klDiv (sum, log target)", xs -> Losses.klDiv(xs.get(0).logSoftmax(1), xs.get(1).log(), Reduction.SUM, true),
                        List.of(f64(0.1, -0.4, 0.9, 1.2, 0.3, -0.6), probs)),
                new Row("sigmoidFocal", xs -> Losses.sigmoidFocal(xs.get(0), bin), List.of(f64(0.4, -1.3, 2.1, -0.2, 0.8, -2.5))));
        return rows.stream().map(r -> DynamicTest.dynamicTest(r.name(), () ->
                GradCheck.check(r.f(), r.at(), 2, GradCheck.Options.defaults(), new Generator(17))));
    }
}
