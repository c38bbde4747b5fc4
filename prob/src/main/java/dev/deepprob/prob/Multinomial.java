package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

import java.util.Arrays;

/**
 * The counts of each of k categories in totalCount independent Categorical(p) draws, as
 * torch.distributions.Multinomial: probs or logits (..., k) give batch shape (...) and event shape [k]. Log-probabilities
 * are log n! - Σ log xᵢ! + Σ xᵢ log pᵢ with the normalised logits (a term with xᵢ = 0 is 0 even where pᵢ = 0); the
 * entropy is torch's sum over the binomial marginals (Multinomial.entropy in torch 1.13).
 */
public final class Multinomial extends Distribution implements HasMoments, HasEntropy {
    private final int totalCount;
    private final Categorical categorical;

    private static Args<Multinomial> args(int n, boolean logits) {
        return Args.of("Multinomial", b -> new Multinomial(b, n),
                Args.vector(logits ? "logits" : "probs", (d, name, t) -> Categorical.checkParam(d, name, t, logits))).eventRank(1);
    }

    private Multinomial(Args.Bound b, int totalCount) {
        super(b);
        this.totalCount = totalCount;
        boolean isLogits = b.args().args().getFirst().name().equals("logits");
        this.categorical = isLogits ? Categorical.fromLogits(b.get(0), false) : Categorical.fromProbs(b.get(0), false);
    }

    private static int checkCount(int n) {
        if (n < 0) throw new IllegalArgumentException("Multinomial: totalCount must be >= 0, got " + n);
        return n;
    }

    /** Multinomial(n, p) with (unnormalised) probabilities (..., k). */
    public static Multinomial fromProbs(int totalCount, Tensor probs) { return fromProbs(totalCount, probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(int, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Multinomial fromProbs(int totalCount, Tensor probs, boolean validate) {
        return args(checkCount(totalCount), false).build(validate, probs);
    }

    /** Multinomial(n, softmax(l)) from (unnormalised) log-probabilities (..., k). */
    public static Multinomial fromLogits(int totalCount, Tensor logits) { return fromLogits(totalCount, logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(int, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Multinomial fromLogits(int totalCount, Tensor logits, boolean validate) {
        return args(checkCount(totalCount), true).build(validate, logits);
    }

    /** The number of draws n. */
    public int totalCount() { return totalCount; }

    /** Normalised probabilities (..., k). */
    public Tensor probs() { return categorical.probs(); }

    /** Normalised log-probabilities (..., k). */
    public Tensor logits() { return categorical.logits(); }

    /** Count vectors of shape sampleShape + batchShape + [k], in the parameters' dtype: n category draws tallied. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        int[] out = extendedShape(sampleShape);
        int k = out[out.length - 1];
        if (totalCount == 0) return Tensor.of(NDArray.zeros(dtype(), out));
        NDArray idx = categorical.sample(gen, Batching.concat(new int[]{totalCount}, sampleShape)).data().to(dtype());
        NDArray oneHot = idx.unsqueeze(-1).eq(NDArray.arange(dtype(), k)).to(dtype());   // (n, sample..., batch..., k)
        return Tensor.of(oneHot.sum(new int[]{0}, false).reshape(out));
    }

    /** log n! - Σ log xᵢ! + Σ xᵢ log pᵢ; the counts must be whole, &gt;= 0 and sum to n when validating. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), true, support());
        Tensor lp = logits();
        NDArray zero = x.data().eq(0);
        Tensor terms = Params.anyTrue(zero) ? Tensor.where(zero, Tensor.zerosLike(x), x).mul(lp) : x.mul(lp);
        terms = Params.anyTrue(zero) ? Tensor.where(zero.expand(terms.dims()), Tensor.zerosLike(terms), terms) : terms;
        return terms.sum(new int[]{-1}, false).sub(x.add(1).lgamma().sum(new int[]{-1}, false)).add(lgamma(totalCount + 1));
    }

    private static double lgamma(double x) { return Tensor.scalar(DType.F64, x).lgamma().item(); }

    /** n p. */
    @Override
    public Tensor mean() { return probs().mul(totalCount); }

    /** n p (1 - p) per category. */
    @Override
    public Tensor variance() { return probs().mul(probs().rsub(1)).mul(totalCount); }

    /** n H(Categorical(p)) - log n! + Σᵢ Σ_{j=1..n} Binomial(n, pᵢ)(j) log j! (as torch; O(n k) per batch element). */
    @Override
    public Tensor entropy() {
        Tensor term1 = categorical.entropy().mul(totalCount).sub(lgamma(totalCount + 1));
        if (totalCount < 2) return term1;                                    // log j! = 0 for j <= 1
        int[] vs = new int[dims().length + 1];
        Arrays.fill(vs, 1);
        vs[0] = totalCount;
        Tensor js = Tensor.of(NDArray.arange(dtype(), 1, totalCount + 1, 1).reshape(vs));
        Binomial marginal = Binomial.fromProbs(Tensor.full(dtype(), totalCount, probs().dims()), probs(), false);
        Tensor w = marginal.logProb(js).exp().mul(js.add(1).lgamma());
        return term1.add(w.sum(new int[]{0}, false).sum(new int[]{-1}, false));
    }

    private int[] dims() { return probs().dims(); }

    @Override
    public Multinomial expand(int... batchShape) { return (Multinomial) super.expand(batchShape); }

    /** Vectors of k whole numbers &gt;= 0 that sum to totalCount. */
    @Override
    public Constraint support() {
        int n = totalCount;
        return new Constraint() {
            @Override
            public NDArray contains(NDArray value) {
                NDArray v = value.dtype().isFloating() ? value : value.to(DType.F64);
                NDArray each = v.ge(0).and(v.floor().eq(v)).to(DType.F64).min(new int[]{-1}, false).eq(1);
                return each.and(v.sum(new int[]{-1}, false).eq(n));
            }

            @Override
            public String describe() { return "whole numbers >= 0 summing to " + n; }

            @Override
            public int eventDim() { return 1; }

            @Override
            public boolean isDiscrete() { return true; }
        };
    }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() {
        return Params.named("totalCount", Tensor.scalar(dtype(), totalCount), "probs", probs());
    }
}
