package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;

/**
 * The Poisson distribution with pmf λᵏ e^(-λ)/k!, as torch.distributions.Poisson. Samples are counts in the rate's
 * dtype(), from the engine's sampler (inversion below rate 10, Hörmann's PTRS above).
 */
public final class Poisson extends Distribution implements HasMoments, HasMode, HasCdf {
    private static final Args<Poisson> ARGS = Args.of("Poisson", Poisson::new, Args.arg("rate", Constraints.nonNegative()));

    private final Tensor rate;

    /** @param rate λ &gt;= 0 */
    public Poisson(Tensor rate) { this(rate, Distribution.validateByDefault()); }

    /** Poisson with a scalar rate of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Poisson(double rate) { this(Params.scalar(rate)); }

    /** As {@link #Poisson(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Poisson(Tensor rate, boolean validate) { this(ARGS.bind(validate, rate)); }

    private Poisson(Args.Bound b) {
        super(b);
        this.rate = b.get(0);
    }

    public Tensor rate() { return rate; }

    /** Counts of shape sampleShape + batchShape. */
    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        NDArray r = rate.data().expand(extendedShape(sampleShape)).contiguous();
        return Tensor.of(r.poisson(gen));
    }

    /** k log λ - λ - log k!, with 0·log 0 = 0 (so λ = 0 puts all mass on 0). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor k = Params.value(this, "logProb", value, dtype(), true, Constraints.nonNegativeInteger());
        return Params.xlogy(k, rate).sub(rate).sub(k.add(1).lgamma());
    }

    /**
     * P(X &lt;= k) = Q(k + 1, λ), the regularised upper incomplete gamma, whose value comes from a kernel that keeps the
     * far tails' relative precision; differentiable in λ (to any order, as -P(k + 1, λ)). PyTorch's Poisson has no cdf.
     */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor k1 = Params.value(this, "cdf", value, dtype(), true, Constraints.nonNegativeInteger()).add(1);
        Tensor lower = k1.gammaP(rate);
        Tensor q = Tensor.of(k1.data().gammaQ(rate.data()));
        return q.sub(lower.sub(lower.detach()));               // the value of Q, the gradient of 1 - P
    }

    /**
     * The smallest k with P(X &lt;= k) &gt;= q (as scipy's ppf), found by doubling and bisection on the cdf
     * P(X &lt;= k) = Q(k + 1, λ), all elements at once in array operations; not differentiable.
     */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        int[] s = Shapes.broadcast("Poisson.icdf", p.dims(), batchShape());
        NDArray pq = p.data().to(DType.F64).expand(s), lambda = rate.data().to(DType.F64).expand(s);
        NDArray zero = lambda.mul(0);
        NDArray trivial = pq.le(0).or(pq.ge(1)).or(lambda.le(0));
        NDArray qs = NDArray.where(trivial, zero.add(0.5), pq), ls = NDArray.where(trivial, zero.add(1), lambda);
        // invariant: cdf(lo) < q <= cdf(hi), cdf(-1) = 0; first double hi until the cdf reaches q
        NDArray lo = zero.sub(1), hi = ls.floor();
        NDArray short_ = hi.add(1).gammaQ(ls).lt(qs);
        while (short_.to(DType.F64).max().item() > 0) {
            lo = NDArray.where(short_, hi, lo);
            hi = NDArray.where(short_, hi.mul(2).add(1), hi);
            short_ = hi.add(1).gammaQ(ls).lt(qs);
        }
        NDArray open = hi.sub(lo).gt(1);
        while (open.to(DType.F64).max().item() > 0) {
            NDArray mid = lo.add(hi).mul(0.5).floor();
            NDArray below = mid.add(1).gammaQ(ls).lt(qs);
            lo = NDArray.where(open.and(below), mid, lo);
            hi = NDArray.where(open.and(below.not()), mid, hi);
            open = hi.sub(lo).gt(1);
        }
        // q >= 1: infinity (0 when λ = 0); q <= 0 or λ = 0: 0
        NDArray edge = NDArray.where(pq.ge(1).and(lambda.gt(0)), zero.add(Double.POSITIVE_INFINITY), zero);
        return Tensor.of(NDArray.where(trivial, edge, hi).to(dtype()));
    }

    @Override
    public Tensor mean() { return rate; }

    @Override
    public Tensor variance() { return rate; }

    /** ⌊λ⌋ (for whole-number λ, λ - 1 is a mode too). */
    @Override
    public Tensor mode() { return Tensor.of(rate.data().floor()); }

    @Override
    public Poisson expand(int... batchShape) { return (Poisson) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.nonNegativeInteger(); }
}
