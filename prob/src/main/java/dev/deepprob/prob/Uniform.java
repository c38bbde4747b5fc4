package dev.deepprob.prob;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;

/**
 * The continuous uniform distribution on [low, high], as torch.distributions.Uniform. Samples are
 * low + (high - low)·u with u ~ U[0, 1), differentiable in both bounds. The density is 1/(high - low) on the closed
 * interval (PyTorch gives -inf at x = high; SciPy and this class include the endpoint).
 */
public final class Uniform extends Distribution implements Reparameterizable, HasMoments, HasMode, HasEntropy, HasCdf {
    private static final Args<Uniform> ARGS = Args.of("Uniform", Uniform::new, Args.arg("low", Constraints.real()),
            Args.arg("high", Constraints.real())).cross(Uniform::ordered);

    private final Tensor low, high;

    /**
     * @param low  lower bound
     * @param high upper bound, &gt; low elementwise
     */
    public Uniform(Tensor low, Tensor high) { this(low, high, Distribution.validateByDefault()); }

    /** U[low, high] with scalar bounds of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Uniform(double low, double high) { this(Params.scalar(low), Params.scalar(high)); }

    /** As {@link #Uniform(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Uniform(Tensor low, Tensor high, boolean validate) { this(ARGS.bind(validate, low, high)); }

    private Uniform(Args.Bound b) {
        super(b);
        this.low = b.get(0);
        this.high = b.get(1);
    }

    /** low &lt; high elementwise, checked on the broadcast bounds. */
    private static void ordered(Args.Bound b) {
        boolean[] f = b.get(0).data().lt(b.get(1).data()).toBooleanArray();
        for (int i = 0; i < f.length; i++) {
            if (!f[i]) {
                int[] idx = Batching.unravel(i, b.batch());
                throw new IllegalArgumentException("Uniform: low must be < high, got low " + b.get(0).data().get(idx) + " and high "
                        + b.get(1).data().get(idx) + " at " + java.util.Arrays.toString(idx));
            }
        }
    }

    public Tensor low() { return low; }

    public Tensor high() { return high; }

    /** low + (high - low)·u, u ~ U[0, 1). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor u = Tensor.rand(gen, dtype(), low.backend(), extendedShape(sampleShape));
        return low.add(u.mul(high.sub(low)));
    }

    /** -log(high - low) inside [low, high], -inf outside (reached only with validation off). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype(), false, support());
        Tensor lp = high.sub(low).log().neg();
        NDArray inside = low.data().le(x.data()).and(x.data().le(high.data()));
        if (Params.anyTrue(inside.not())) {
            int[] s = inside.dims();
            return Tensor.where(inside, lp.expand(s), Tensor.full(dtype(), Double.NEGATIVE_INFINITY, s));
        }
        return lp.expand(inside.dims());
    }

    /** log(high - low). */
    @Override
    public Tensor entropy() { return high.sub(low).log(); }

    /** (low + high)/2. */
    @Override
    public Tensor mean() { return low.add(high).mul(0.5); }

    /** NaN: every point of the interval is a mode (as PyTorch). */
    @Override
    public Tensor mode() { return high.mul(Double.NaN); }

    /** (high - low)²/12. */
    @Override
    public Tensor variance() { return high.sub(low).square().div(12); }

    /** (x - low)/(high - low) clamped to [0, 1]. */
    @Override
    public Tensor cdf(Tensor x) {
        Tensor v = Params.value(this, "cdf", x, dtype(), false, Constraints.real());
        return v.sub(low).div(high.sub(low)).clamp(0, 1);
    }

    /** low + q (high - low). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype(), false, Constraints.unitInterval());
        return low.add(p.mul(high.sub(low)));
    }

    /** [low, high], elementwise over the batch. */
    @Override
    public Uniform expand(int... batchShape) { return (Uniform) super.expand(batchShape); }

    @Override
    public Constraint support() { return Constraints.interval(low.data(), high.data()); }

}
