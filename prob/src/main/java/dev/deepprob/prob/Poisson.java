package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.cpu.SpecialExtra;
import dev.deepprob.engine.Shapes;

/**
 * The Poisson distribution with pmf λᵏ e^(-λ)/k!, as torch.distributions.Poisson. Samples are counts in the rate's
 * dtype, from the engine's sampler (inversion below rate 10, Hörmann's PTRS above).
 */
public final class Poisson extends Distribution implements HasMoments, HasMode, HasCdf {
    private static final String[] NAMES = {"rate"};

    private final Tensor rate;
    private final DType dtype;

    /** @param rate λ &gt;= 0 */
    public Poisson(Tensor rate) { this(rate, Distribution.validateByDefault()); }

    /** Poisson with an F64 scalar rate. */
    public Poisson(double rate) { this(Params.scalar(rate)); }

    /** As {@link #Poisson(Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Poisson(Tensor rate, boolean validate) { this(rate, validate, validate); }

    private Poisson(Tensor rate, boolean validate, boolean checkParams) {
        DType t = Params.dtypeOf("Poisson", NAMES, rate);
        Params.validate(checkParams, "Poisson", "rate", rate, Constraints.nonNegative());
        super(rate.shape(), new int[0], validate);
        this.dtype = t;
        this.rate = rate;
    }

    public Tensor rate() { return rate; }

    public DType dtype() { return dtype; }

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
        Tensor k = Params.value(this, "logProb", value, dtype, true, Constraints.nonNegativeInteger());
        return Params.xlogy(k, rate).sub(rate).sub(k.add(1).lgamma());
    }

    /**
     * P(X &lt;= k) = Q(k + 1, λ), the regularised upper incomplete gamma, whose value comes from a kernel that keeps the
     * far tails' relative precision; differentiable in λ (to any order, as -P(k + 1, λ)). PyTorch's Poisson has no cdf.
     */
    @Override
    public Tensor cdf(Tensor value) {
        Tensor k1 = Params.value(this, "cdf", value, dtype, true, Constraints.nonNegativeInteger()).add(1);
        Tensor lower = k1.gammaP(rate);
        Tensor q = Tensor.of(k1.data().gammaQ(rate.data()));
        return q.sub(lower.sub(lower.detach()));               // the value of Q, the gradient of 1 - P
    }

    /** The smallest k with P(X &lt;= k) &gt;= q (as scipy's ppf), found by search on the cdf; not differentiable. */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype, false, Constraints.unitInterval());
        int[] s = Shapes.broadcast("Poisson.icdf", p.shape(), batchShape());
        double[] pv = p.data().to(DType.F64).expand(s).contiguous().toDoubleArray();
        double[] lv = rate.data().to(DType.F64).expand(s).contiguous().toDoubleArray();
        double[] out = new double[pv.length];
        for (int i = 0; i < out.length; i++) out[i] = quantile(pv[i], lv[i]);
        return Tensor.of(NDArray.of(out, s).to(dtype));
    }

    private static double quantile(double q, double lambda) {
        if (q >= 1) return lambda == 0 ? 0 : Double.POSITIVE_INFINITY;
        if (q <= 0 || lambda == 0) return 0;
        double lo = -1, hi = Math.floor(lambda);              // invariant: cdf(lo) < q <= cdf(hi), cdf(-1) = 0
        while (SpecialExtra.gammaQ(hi + 1, lambda) < q) {
            lo = hi;
            hi = 2 * hi + 1;
        }
        while (hi - lo > 1) {
            double mid = Math.floor((lo + hi) / 2);
            if (SpecialExtra.gammaQ(mid + 1, lambda) < q) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    @Override
    public Tensor mean() { return rate; }

    @Override
    public Tensor variance() { return rate; }

    /** ⌊λ⌋ (for whole-number λ, λ - 1 is a mode too). */
    @Override
    public Tensor mode() { return Tensor.of(rate.data().floor()); }

    @Override
    public Poisson expand(int... batchShape) {
        int[] b = Params.checkExpand(name(), batchShape(), batchShape);
        return new Poisson(rate.expand(b), validates(), false);
    }

    @Override
    public Constraint support() { return Constraints.nonNegativeInteger(); }
}
