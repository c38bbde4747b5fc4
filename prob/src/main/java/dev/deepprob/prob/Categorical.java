package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

import java.util.Arrays;

/**
 * The categorical distribution over {0, ..., k-1}, as torch.distributions.Categorical: probs or logits of shape
 * (..., k) give batch shape (...) and event shape []. Probabilities are normalised along the last dim (they need
 * only be non-negative with a positive sum); logits are normalised by subtracting their logSumExp, which never
 * overflows. Samples are category indices (I64); logProb accepts I64 or whole-number floating values.
 */
public final class Categorical extends Distribution implements HasEntropy, HasMode, HasEnumerableSupport {
    private final Tensor probs, logits;
    private final boolean isLogits;
    private final int k;

    private static final Args<Categorical> PROBS = Args.of("Categorical", Categorical::new,
            Args.vector("probs", (d, n, t) -> checkParam(d, n, t, false)));
    private static final Args<Categorical> LOGITS = Args.of("Categorical", Categorical::new,
            Args.vector("logits", (d, n, t) -> checkParam(d, n, t, true)));

    private Categorical(Args.Bound b) {
        super(b);
        Tensor param = b.get(0);
        this.isLogits = b.args() == LOGITS;
        this.k = param.shape(-1);
        if (isLogits) {
            this.logits = param.sub(param.logSumExp(new int[]{-1}, true));
            this.probs = this.logits.exp();
        } else {
            this.probs = param.div(param.sum(new int[]{-1}, true));
            double eps = Params.eps(b.dtype());
            this.logits = this.probs.clamp(eps, 1 - eps).log();
        }
    }

    /**
     * Probabilities must be finite, &gt;= 0 and have a positive sum per row; logits must not be NaN or +inf and
     * need one finite value per row. Shared with {@link OneHotCategorical} and Binomial's checks.
     */
    static void checkParam(String dist, String name, Tensor param, boolean isLogits) {
        if (isLogits) {
            Constraints.lessThan(Double.POSITIVE_INFINITY).check(dist + ": " + name, param.data());
            NDArray rowMax = param.data().max(new int[]{-1}, false);
            Constraints.greaterThan(Double.NEGATIVE_INFINITY).check(dist + ": the largest of the " + name + " along the last dim", rowMax);
        } else {
            Constraints.nonNegative().check(dist + ": " + name, param.data());
            Constraints.lessThan(Double.POSITIVE_INFINITY).check(dist + ": " + name, param.data());
            NDArray sums = param.data().sum(new int[]{-1}, false);
            Constraints.greaterThan(0.0).check(dist + ": the sum of " + name + " along the last dim", sums);
        }
    }

    /** Categorical with (unnormalised) probabilities (..., k). */
    public static Categorical fromProbs(Tensor probs) { return fromProbs(probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Categorical fromProbs(Tensor probs, boolean validate) { return PROBS.build(validate, probs); }

    /** Categorical with one probability vector of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public static Categorical fromProbs(double... probs) { return fromProbs(vector(probs)); }

    /** Categorical with (unnormalised) log-probabilities (..., k). */
    public static Categorical fromLogits(Tensor logits) { return fromLogits(logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Categorical fromLogits(Tensor logits, boolean validate) { return LOGITS.build(validate, logits); }

    /** Categorical with one logit vector of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public static Categorical fromLogits(double... logits) { return fromLogits(vector(logits)); }

    static Tensor vector(double[] v) { return v == null ? null : Tensor.of(v); }

    /** Normalised probabilities (..., k). */
    public Tensor probs() { return probs; }

    /** Normalised log-probabilities (..., k) (from probs: the log of probs clamped to [eps, 1 - eps], as PyTorch). */
    public Tensor logits() { return logits; }

    /** True when built from logits. */
    public boolean isLogitParameterized() { return isLogits; }

    /** The number of categories k. */
    public int numCategories() { return k; }

    /** Category indices (I64) of shape sampleShape + batchShape. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        int n = Shapes.size(sampleShape);
        int[] batch = batchShape();
        int rows = Shapes.size(batch);
        int[] out = extendedShape(sampleShape);
        if (n == 0 || rows == 0) return Tensor.of(NDArray.zeros(DType.I64, out));
        NDArray w = probs.data().reshape(rows, k);
        NDArray idx = w.multinomial(gen, n, true);          // (rows, n)
        return Tensor.of(idx.transpose(0, 1).contiguous().reshape(out));
    }

    /** The normalised logit of the category {@code value} names, broadcasting value against the batch shape. */
    @Override
    public Tensor logProb(Tensor value) {
        return pick(logits, indexValue(this, value));
    }

    /**
     * Checks a category-index argument (I64, or F32/F64 holding whole numbers) against d's shapes and support and
     * returns it as I64.
     */
    static NDArray indexValue(Distribution d, Tensor value) {
        String op = d.getClass().getSimpleName() + ".logProb";
        if (value != null && value.dtype() == DType.BOOL) throw new IllegalArgumentException(op
                + ": value must hold category indices as I64 (or whole numbers as F32/F64), got BOOL");
        DType t = value == null ? DType.I64 : value.dtype();
        Tensor v = Params.value(d, "logProb", value, t, false, d.support());
        return v.data().dtype() == DType.I64 ? v.data() : v.data().to(DType.I64);
    }

    /** logits[..., index] with index broadcast against logits' batch dims (gather along the last dim). */
    static Tensor pick(Tensor logits, NDArray index) {
        int[] batch = Arrays.copyOf(logits.dims(), logits.dim() - 1);
        int k = logits.shape(-1);
        int[] s = Shapes.broadcast("Categorical.logProb", index.dims(), batch);
        NDArray idx = (index.dtype() == DType.I64 ? index : index.to(DType.I64)).expand(s).contiguous();
        int[] withOne = Arrays.copyOf(s, s.length + 1);
        withOne[s.length] = 1;
        int[] withK = withOne.clone();
        withK[s.length] = k;
        return logits.expand(withK).gather(-1, idx.reshape(withOne)).reshape(s);
    }

    /** -Σ p log p, with log p clamped below at the dtype's most negative finite value so 0·log 0 = 0. */
    @Override
    public Tensor entropy() {
        double min = dtype() == DType.F32 ? -Float.MAX_VALUE : -Double.MAX_VALUE;
        return probs.mul(logits.clampMin(min)).sum(new int[]{-1}, false).neg();
    }

    /** The most probable category (I64, the first at ties). */
    @Override
    public Tensor mode() { return Tensor.of(probs.data().argmax(-1, false)); }

    /** The indices 0 .. k-1 (I64), (k, 1, ..., 1), or (k) + batchShape with {@code expand}. */
    @Override
    public Tensor enumerateSupport(boolean expand) { return Batching.enumerate(Tensor.of(NDArray.arange(DType.I64, k)), batchShape(), expand); }

    @Override
    public Categorical expand(int... batchShape) { return (Categorical) super.expand(batchShape); }

    /** The integers 0 .. k-1. */
    @Override
    public Constraint support() { return Constraints.integerInterval(0, k - 1); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("probs", probs); }
}
