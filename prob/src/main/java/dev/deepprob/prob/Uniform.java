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
    private static final String[] NAMES = {"low", "high"};

    private final Tensor low, high;
    private final DType dtype;

    /**
     * @param low  lower bound
     * @param high upper bound, &gt; low elementwise
     */
    public Uniform(Tensor low, Tensor high) { this(low, high, Distribution.validateByDefault()); }

    /** U[low, high] with scalar bounds of the default floating dtype ({@link dev.deepprob.engine.DType#defaultFloat()}). */
    public Uniform(double low, double high) { this(Params.scalar(low), Params.scalar(high)); }

    /** As {@link #Uniform(Tensor, Tensor)}; {@code validate} false skips the parameter and argument checks. */
    public Uniform(Tensor low, Tensor high, boolean validate) { this(low, high, validate, validate); }

    private Uniform(Tensor low, Tensor high, boolean validate, boolean checkParams) {
        DType t = Params.dtypeOf("Uniform", NAMES, low, high);
        int[] batch = Params.broadcastShape("Uniform", NAMES, low, high);
        if (checkParams) {
            Tensor lo = low.expand(batch), hi = high.expand(batch);
            NDArray ok = lo.data().lt(hi.data());
            boolean[] f = ok.toBooleanArray();
            for (int i = 0; i < f.length; i++) {
                if (!f[i]) {
                    int[] idx = unravel(i, batch);
                    throw new IllegalArgumentException("Uniform: low must be < high, got low " + lo.data().get(idx) + " and high "
                            + hi.data().get(idx) + " at " + java.util.Arrays.toString(idx));
                }
            }
            Params.validate(true, "Uniform", "low", low, Constraints.real());
        }
        super(batch, new int[0], validate);
        this.dtype = t;
        this.low = low.expand(batch);
        this.high = high.expand(batch);
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    public Tensor low() { return low; }

    public Tensor high() { return high; }

    public DType dtype() { return dtype; }

    @Override
    public Tensor sample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "sample", gen, sampleShape);
        return Params.noGrad(() -> rsample(gen, sampleShape));
    }

    /** low + (high - low)·u, u ~ U[0, 1). */
    @Override
    public Tensor rsample(Generator gen, int... sampleShape) {
        Params.checkSample(name(), "rsample", gen, sampleShape);
        Tensor u = Tensor.rand(gen, dtype, low.backend(), extendedShape(sampleShape));
        return low.add(u.mul(high.sub(low)));
    }

    /** -log(high - low) inside [low, high], -inf outside (reached only with validation off). */
    @Override
    public Tensor logProb(Tensor value) {
        Tensor x = Params.value(this, "logProb", value, dtype, false, support());
        Tensor lp = high.sub(low).log().neg();
        NDArray inside = low.data().le(x.data()).and(x.data().le(high.data()));
        if (Params.anyTrue(inside.not())) {
            int[] s = inside.dims();
            return Tensor.where(inside, lp.expand(s), Tensor.full(dtype, Double.NEGATIVE_INFINITY, s));
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
        Tensor v = Params.value(this, "cdf", x, dtype, false, Constraints.real());
        return v.sub(low).div(high.sub(low)).clamp(0, 1);
    }

    /** low + q (high - low). */
    @Override
    public Tensor icdf(Tensor q) {
        Tensor p = Params.value(this, "icdf", q, dtype, false, Constraints.unitInterval());
        return low.add(p.mul(high.sub(low)));
    }

    @Override
    public Uniform expand(int... batchShape) {
        int[] b = Params.checkExpand(name(), batchShape(), batchShape);
        return new Uniform(low.expand(b), high.expand(b), validates(), false);
    }

    /** [low, high], elementwise over the batch. */
    @Override
    public Constraint support() { return Constraints.interval(low.data(), high.data()); }

    @Override
    protected java.util.SequencedMap<String, Tensor> params() { return Params.named("low", low, "high", high); }
}
