package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

/**
 * The binomial distribution: the number of successes in totalCount independent Bernoulli trials, as
 * torch.distributions.Binomial, from probabilities ({@link #fromProbs}) or log-odds ({@link #fromLogits}).
 * Log-probabilities use the logits, log C(n, k) + k·l - n·softplus(l), stable for large |l|. Samples are counts in
 * the parameters' dtype(), drawn exactly (inversion or Hörmann's BTRS, see UnivariateNumerics).
 */
public final class Binomial extends Distribution implements HasMoments, HasMode, HasEntropy, HasCdf, HasEnumerableSupport {
    private final Tensor totalCount, probs, logits;
    private final boolean isLogits;

    private static final Args<Binomial> PROBS = Args.of("Binomial", Binomial::new,
            Args.arg("totalCount", Constraints.nonNegativeInteger()), Args.arg("probs", Constraints.unitInterval()));
    private static final Args<Binomial> LOGITS = Args.of("Binomial", Binomial::new,
            Args.arg("totalCount", Constraints.nonNegativeInteger()), Args.arg("logits", Constraints.real()));

    private Binomial(Args.Bound b) {
        super(b);
        this.isLogits = b.args() == LOGITS;
        this.totalCount = b.get(0);
        if (isLogits) {
            this.logits = b.get(1);
            this.probs = logits.sigmoid();
        } else {
            this.probs = b.get(1);
            this.logits = Bernoulli.probsToLogits(probs);
        }
    }

    /** Binomial(n, p) with whole-number counts n &gt;= 0 and probabilities p in [0, 1] (same dtype(), broadcasting). */
    public static Binomial fromProbs(Tensor totalCount, Tensor probs) { return fromProbs(totalCount, probs, Distribution.validateByDefault()); }

    /** As {@link #fromProbs(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Binomial fromProbs(Tensor totalCount, Tensor probs, boolean validate) {
        return PROBS.build(validate, totalCount, probs);
    }

    /** Binomial with scalar parameters of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public static Binomial fromProbs(double totalCount, double p) { return fromProbs(Params.scalar(totalCount), Params.scalar(p)); }

    /** Binomial(n, σ(l)) from log-odds. */
    public static Binomial fromLogits(Tensor totalCount, Tensor logits) { return fromLogits(totalCount, logits, Distribution.validateByDefault()); }

    /** As {@link #fromLogits(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public static Binomial fromLogits(Tensor totalCount, Tensor logits, boolean validate) {
        return LOGITS.build(validate, totalCount, logits);
    }

    /** Binomial with scalar count and log-odds of the default floating dtype(). */
    public static Binomial fromLogits(double totalCount, double logit) { return fromLogits(Params.scalar(totalCount), Params.scalar(logit)); }

    /** n, of the batch shape. */
    public Tensor totalCount() { return totalCount; }

    public Tensor probs() { return probs; }

    public Tensor logits() { return logits; }

    public boolean isLogitParameterized() { return isLogits; }

    /** Counts of shape sampleShape + batchShape. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        int[] s = extendedShape(sampleShape);
        double[] n = totalCount.data().to(DType.F64).expand(s).contiguous().toDoubleArray();
        double[] p = probs.data().to(DType.F64).expand(s).contiguous().toDoubleArray();
        double[] k = UnivariateNumerics.binomial(gen, n, p);
        return Tensor.of(NDArray.of(k, s).to(dtype()));
    }

    /** log C(n, k) + k·l - n·softplus(l), with log C(n, k) from lgamma. */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor k = Params.value(this, "logProb", value, dtype(), true, support());
        Tensor n = totalCount;
        Tensor logChoose = n.add(1).lgamma().sub(k.add(1).lgamma()).sub(n.sub(k).add(1).lgamma());
        return logChoose.add(k.mul(logits)).sub(n.mul(logits.softplus()));
    }

    /**
     * -Σₖ p(k) log p(k) by summing over k = 0 .. max n (there is no closed form; PyTorch also enumerates), so it
     * costs O(max n) per batch element.
     */
    @Override
    public Tensor entropy() {
        double nmax = 0;
        for (double v : totalCount.data().to(DType.F64).toDoubleArray()) nmax = Math.max(nmax, v);
        int m = (int) nmax + 1;
        int[] batch = batchShape();
        int[] vs = new int[batch.length + 1];
        java.util.Arrays.fill(vs, 1);
        vs[0] = m;
        Tensor ks = Tensor.of(NDArray.arange(dtype(), m).reshape(vs));
        NDArray inside = ks.data().le(totalCount.data());              // (m, batch)
        Tensor kSafe = Tensor.where(inside, ks.expand(inside.dims()), Tensor.zeros(dtype(), inside.dims()));
        Tensor lp = Tensor.where(inside, unchecked(kSafe), Tensor.zeros(dtype(), inside.dims()));
        return lp.exp().mul(lp).sum(new int[]{0}, false).neg();
    }

    private Tensor unchecked(Tensor k) {
        Tensor n = totalCount;
        Tensor logChoose = n.add(1).lgamma().sub(k.add(1).lgamma()).sub(n.sub(k).add(1).lgamma());
        return logChoose.add(k.mul(logits)).sub(n.mul(logits.softplus()));
    }

    /**
     * P(X &lt;= k) = I_{1-p}(n - k, k + 1) (A&amp;S 26.5.24), 1 for k = n; differentiable in the probabilities or logits (to
     * any order). PyTorch's Binomial has no cdf.
     */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor k = Params.value(this, "cdf", value, dtype(), true, support());
        NDArray all = k.data().ge(totalCount.data());
        Tensor nk = totalCount.sub(k);
        Tensor a = Tensor.where(all, Tensor.onesLike(nk), nk);                  // n - k, kept > 0 where unused
        Tensor failure = isLogits ? logits.neg().sigmoid() : probs.rsub(1);
        Tensor inner = failure.betaI(a, k.add(1));
        return Tensor.where(all, Tensor.onesLike(inner), inner);
    }

    /**
     * The smallest k with P(X &lt;= k) &gt;= q (as scipy's ppf), found by bisection on the cdf, all elements at once in
     * array operations (so it runs on the parameters' backend); not differentiable.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        int[] s = Shapes.broadcast("Binomial.icdf", p.dims(), batchShape());
        NDArray pq = p.data().to(DType.F64).expand(s);
        NDArray n = totalCount.data().to(DType.F64).expand(s);
        NDArray failure = (isLogits ? logits.data().neg().sigmoid() : probs.data().neg().add(1)).to(DType.F64).expand(s);
        // invariant where the gap is open: cdf(lo) < q <= cdf(hi), with cdf(-1) = 0 and cdf(n) = 1
        NDArray lo = n.mul(0).sub(1), hi = n;
        NDArray open = hi.sub(lo).gt(1);
        while (open.to(DType.F64).max().item() > 0) {
            NDArray mid = lo.add(hi).mul(0.5).floor();
            NDArray below = failure.betaI(n.sub(mid), mid.add(1)).lt(pq);     // P(X <= mid) = I_{1-p}(n - mid, mid + 1)
            lo = NDArray.where(open.and(below), mid, lo);
            hi = NDArray.where(open.and(below.not()), mid, hi);
            open = hi.sub(lo).gt(1);
        }
        return Tensor.of(NDArray.where(pq.le(0), hi.mul(0), hi).to(dtype()));
    }

    /** n p. */
    @Override
    public Tensor mean() { return totalCount.mul(probs); }

    /** n p (1 - p). */
    @Override
    public Tensor variance() { return totalCount.mul(probs).mul(probs.rsub(1)); }

    /** ⌊(n + 1) p⌋, at most n. */
    @Override
    public Tensor mode() {
        NDArray n = totalCount.data();
        return Tensor.of(n.add(1).mul(probs.data()).floor().minimum(n));
    }

    /**
     * 0 .. n in the parameters' dtype, (n + 1, 1, ..., 1), or (n + 1) + batchShape with {@code expand}; as torch, only for a
     * totalCount that is the same across the batch (the values would otherwise differ per member).
     */
    @Override
    public Tensor enumerateSupport(boolean expand) {
        double[] n = totalCount.data().to(DType.F64).toDoubleArray();
        for (double v : n) if (v != n[0]) throw new IllegalStateException("Binomial.enumerateSupport: totalCount must be the same across "
                + "the batch, got " + totalCount.data().valuesToString());
        int m = n.length == 0 ? 1 : (int) n[0] + 1;
        return Batching.enumerate(Tensor.of(NDArray.arange(dtype(), m)), batchShape(), expand);
    }

    /** The integers 0 .. totalCount, elementwise. */
    @Override
    public Binomial expand(int... batchShape) { return (Binomial) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.integerInterval(NDArray.zeros(dtype()), totalCount.data()); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("totalCount", totalCount, "probs", probs); }
}
