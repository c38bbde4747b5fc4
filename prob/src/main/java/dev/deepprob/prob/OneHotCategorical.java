package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

import java.util.Arrays;

/**
 * The categorical distribution with draws written as one-hot vectors, as torch.distributions.OneHotCategorical:
 * probs or logits (..., k) give batch shape (...) and event shape [k]. Everything else is {@link Categorical}'s
 * (normalisation, stable logits); samples are 0.0/1.0 vectors in the parameters' dtype.
 */
public final class OneHotCategorical extends Distribution implements HasMoments, HasMode, HasEntropy, HasEnumerableSupport {
    private final Categorical categorical;

    private static final Args<OneHotCategorical> PROBS = Args.of("OneHotCategorical", OneHotCategorical::new,
            Args.vector("probs", (d, n, t) -> Categorical.checkParam(d, n, t, false))).eventRank(1);
    private static final Args<OneHotCategorical> LOGITS = Args.of("OneHotCategorical", OneHotCategorical::new,
            Args.vector("logits", (d, n, t) -> Categorical.checkParam(d, n, t, true))).eventRank(1);

    private OneHotCategorical(Args.Bound b) {
        super(b);
        this.categorical = b.args() == LOGITS ? Categorical.fromLogits(b.get(0), false) : Categorical.fromProbs(b.get(0), false);
    }

    /** OneHotCategorical with (unnormalised) probabilities (..., k). */
    public static OneHotCategorical fromProbs(Tensor probs) { return fromProbs(probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static OneHotCategorical fromProbs(Tensor probs, boolean validate) {
        return PROBS.build(validate, probs);
    }

    /** OneHotCategorical with one probability vector of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public static OneHotCategorical fromProbs(double... probs) { return fromProbs(Categorical.vector(probs)); }

    /** OneHotCategorical with (unnormalised) log-probabilities (..., k). */
    public static OneHotCategorical fromLogits(Tensor logits) { return fromLogits(logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static OneHotCategorical fromLogits(Tensor logits, boolean validate) {
        return LOGITS.build(validate, logits);
    }

    /** OneHotCategorical with one logit vector of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public static OneHotCategorical fromLogits(double... logits) { return fromLogits(Categorical.vector(logits)); }

    /** The same distribution over indices. */
    public Categorical categorical() { return categorical; }

    /** Normalised probabilities (..., k). */
    public Tensor probs() { return categorical.probs(); }

    /** Normalised log-probabilities (..., k). */
    public Tensor logits() { return categorical.logits(); }

    public int numCategories() { return categorical.numCategories(); }

    /** One-hot vectors of shape sampleShape + batchShape + [k], in the parameters' dtype. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        NDArray idx = categorical.sample(gen, sampleShape).data().to(DType.F64);
        int k = numCategories();
        int[] withOne = Arrays.copyOf(idx.dims(), idx.rank() + 1);
        withOne[idx.rank()] = 1;
        NDArray range = NDArray.arange(DType.F64, k);
        return Tensor.of(idx.reshape(withOne).eq(range).to(dtype()));
    }

    /** The log-probability of the category each one-hot vector marks. */
    @Override
    public Tensor logProb(Tensor value) {
        String op = "OneHotCategorical.logProb";
        if (value != null && value.dtype() == DType.BOOL) value = value.to(dtype());
        DType t = value == null ? dtype() : (value.dtype() == DType.I64 ? DType.I64 : dtype());
        Tensor v = Params.value(this, "logProb", value, t, false, support());
        NDArray x = v.data().dtype().isFloating() ? v.data() : v.data().to(DType.F64);
        if (x.shape(-1) != numCategories()) throw new IllegalArgumentException(op + ": expected " + numCategories() + " categories");
        return Categorical.pick(logits(), x.argmax(-1, false));
    }

    @Override
    public Tensor entropy() { return categorical.entropy(); }

    /** The probabilities. */
    @Override
    public Tensor mean() { return probs(); }

    /** p(1 - p) per category. */
    @Override
    public Tensor variance() { return probs().mul(probs().rsub(1)); }

    /** The one-hot vector of the most probable category (the first at ties). */
    @Override
    public Tensor mode() {
        NDArray arg = probs().data().argmax(-1, true).to(DType.F64);
        return Tensor.of(arg.eq(NDArray.arange(DType.F64, numCategories())).to(dtype()));
    }

    /** The k one-hot vectors (rows of the identity), (k, 1, ..., 1, k), or (k) + batchShape + [k] with {@code expand}. */
    @Override
    public Tensor enumerateSupport(boolean expand) {
        return Batching.enumerate(Tensor.eye(dtype(), numCategories()), batchShape(), expand);
    }

    @Override
    public OneHotCategorical expand(int... batchShape) { return (OneHotCategorical) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.oneHot(); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("probs", probs()); }
}
