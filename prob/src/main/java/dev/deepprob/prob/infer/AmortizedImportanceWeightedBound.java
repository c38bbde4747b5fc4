package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.Distribution;
import dev.deepprob.prob.Reparameterizable;

import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The importance-weighted bound of a variational autoencoder (IWAE; Burda, Grosse and Salakhutdinov 2016, eq. 8) with an
 * amortised q(z|x): an encoder maps a batch of data points to q, and each point gets its own bound
 * <pre>
 *   L_K(xᵢ) = log (1/K) Σₖ p(xᵢ, zᵢₖ) / q(zᵢₖ | xᵢ),   zᵢₖ ~ q(z | xᵢ)
 * </pre>
 * L_1 is the per-point ELBO, L_K rises with K and tends to log p(xᵢ). {@link #loss} (the mean or sum over the batch of
 * -L_K, differentiable in the encoder's and the model's parameters through reparameterised draws) is the training
 * objective; {@link #estimate} evaluates L_K per point without gradients, drawing the K samples in chunks, as the
 * log-likelihood estimate of a trained model. {@link ImportanceWeightedBound} is the same bound for one q with no data.
 *
 * <p><b>Shapes.</b> The encoder takes x, (B, ...), and returns q(z | x) whose first batch dim is B (one distribution per
 * point); any further batch dims and the event dims make up the latent and are summed over in log q (so a factorised
 * {@code Normal} of batch shape (B, L) works without {@code Independent}). The log joint takes x and z of shape
 * (n, B, latent...) and returns log p(xᵢ, z) of shape (n, B).
 */
public final class AmortizedImportanceWeightedBound {
    private static final String NAME = "AmortizedImportanceWeightedBound";

    /** How {@link #loss} combines the per-point bounds. */
    public enum Reduction {
        /** The mean over the batch of -L_K (a per-point loss, the default). */
        MEAN,
        /** The sum over the batch of -L_K (the negative bound on log p of the whole batch). */
        SUM
    }

    private final Function<Tensor, ? extends Distribution> encoder;
    private final BiFunction<Tensor, Tensor, Tensor> logJoint;
    private final int samples;

    private AmortizedImportanceWeightedBound(Function<Tensor, ? extends Distribution> encoder, BiFunction<Tensor, Tensor, Tensor> logJoint,
                                             int samples) {
        this.encoder = encoder;
        this.logJoint = logJoint;
        this.samples = samples;
    }

    /**
     * The bound with K samples per data point in training.
     * @param encoder  x (B, ...) to q(z | x) with batch shape (B, ...)
     * @param logJoint (x, z) with z of shape (n, B, latent...) to log p(x, z) of shape (n, B)
     */
    public static AmortizedImportanceWeightedBound of(Function<Tensor, ? extends Distribution> encoder, BiFunction<Tensor, Tensor, Tensor> logJoint,
                                                      int samples) {
        if (encoder == null) throw new IllegalArgumentException(NAME + ": encoder must not be null");
        if (logJoint == null) throw new IllegalArgumentException(NAME + ": logJoint must not be null");
        if (samples < 1) throw new IllegalArgumentException(NAME + ": samples must be >= 1, got " + samples);
        return new AmortizedImportanceWeightedBound(encoder, logJoint, samples);
    }

    /** L_K per point, (B), differentiable (q must be {@link Reparameterizable}). */
    public Tensor bounds(Tensor x, Generator gen) {
        Distribution q = encode(x, gen, "bounds");
        if (!(q instanceof Reparameterizable r)) throw new IllegalArgumentException(NAME + ".bounds: the encoder's q must be "
                + "Reparameterizable for a differentiable bound, got " + q + " (use estimate for evaluation)");
        Tensor z = r.rsample(gen, samples);                                    // (K, B, latent...)
        return logWeights(x, q, z).logSumExp(0).sub(Math.log(samples));
    }

    /** The mean over the batch of -L_K, a differentiable 0-d tensor. */
    public Tensor loss(Tensor x, Generator gen) { return loss(x, gen, Reduction.MEAN); }

    /** -L_K combined over the batch as the reduction says, a differentiable 0-d tensor. */
    public Tensor loss(Tensor x, Generator gen, Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException(NAME + ".loss: reduction must not be null");
        Tensor b = bounds(x, gen);
        return (reduction == Reduction.MEAN ? b.mean() : b.sum()).neg();
    }

    /**
     * L_K per point with k samples each, drawn {@code chunk} at a time without gradients (memory grows with chunk·B, not
     * k·B): at large k an estimate of log p(xᵢ) from below. Any q works here (no reparameterisation needed).
     */
    public double[] estimate(Tensor x, Generator gen, int k, int chunk) {
        if (k < 1) throw new IllegalArgumentException(NAME + ".estimate: k must be >= 1, got " + k);
        if (chunk < 1) throw new IllegalArgumentException(NAME + ".estimate: chunk must be >= 1, got " + chunk);
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Distribution q = encode(x, gen, "estimate");
            int b = x.shape(0);
            double[] max = new double[b], acc = new double[b];                 // per point, running logSumExp: exp(max)·acc = Σ w
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int done = 0; done < k; ) {
                int n = Math.min(chunk, k - done);
                double[] lw = logWeights(x, q, q.sample(gen, n)).toDoubleArray();       // (n, B) row-major
                for (int s = 0; s < n; s++) {
                    for (int i = 0; i < b; i++) {
                        double v = lw[s * b + i];
                        if (Double.isNaN(v)) throw new IllegalStateException(NAME + ".estimate: a log weight of point " + i + " is NaN");
                        if (v == Double.NEGATIVE_INFINITY) continue;
                        if (v > max[i]) {
                            acc[i] = acc[i] * Math.exp(max[i] - v) + 1;
                            max[i] = v;
                        } else {
                            acc[i] += Math.exp(v - max[i]);
                        }
                    }
                }
                done += n;
            }
            double[] out = new double[b];
            for (int i = 0; i < b; i++) out[i] = max[i] + Math.log(acc[i]) - Math.log(k);
            return out;
        }
    }

    /** The mean over the points of {@link #estimate}: an estimate of the average log-likelihood per point. */
    public double meanEstimate(Tensor x, Generator gen, int k, int chunk) {
        double[] e = estimate(x, gen, k, chunk);
        double s = 0;
        for (double v : e) s += v;
        return s / e.length;
    }

    private Distribution encode(Tensor x, Generator gen, String op) {
        if (x == null) throw new IllegalArgumentException(NAME + "." + op + ": x must not be null");
        if (gen == null) throw new IllegalArgumentException(NAME + "." + op + ": generator must not be null");
        if (x.dim() < 1) throw new IllegalArgumentException(NAME + "." + op + ": x must have a batch dim (B, ...), got shape " + Shapes.str(x.dims()));
        Distribution q = encoder.apply(x);
        if (q == null) throw new IllegalArgumentException(NAME + "." + op + ": the encoder returned null");
        int[] bs = q.batchShape();
        if (bs.length < 1 || bs[0] != x.shape(0)) throw new IllegalArgumentException(NAME + "." + op + ": the encoder's q must have batch "
                + "shape (B, ...) with B = " + x.shape(0) + " points of x " + Shapes.str(x.dims()) + ", got batch shape " + Shapes.str(bs));
        return q;
    }

    /** log p(x, z) - log q(z | x) for z of shape (n, B, latent...): (n, B). */
    private Tensor logWeights(Tensor x, Distribution q, Tensor z) {
        int n = z.shape(0), b = x.shape(0);
        Tensor lp = logJoint.apply(x, z);
        if (lp == null || lp.dim() != 2 || lp.shape(0) != n || lp.shape(1) != b) throw new IllegalArgumentException(NAME + ": the log joint must "
                + "return (" + n + ", " + b + ") for z of shape " + Shapes.str(z.dims()) + ", got " + (lp == null ? "null" : "shape " + Shapes.str(lp.dims())));
        Tensor lq = q.logProb(z);                                              // (n, B, extra batch...)
        int extra = q.batchShape().length - 1;
        if (extra > 0) {
            int[] ax = new int[extra];
            for (int i = 0; i < extra; i++) ax[i] = lq.dim() - extra + i;
            lq = lq.sum(ax, false);
        }
        return lp.sub(lq);
    }

    /** The number of samples K per point of the training bound. */
    public int samples() { return samples; }

    @Override
    public String toString() { return NAME + "(K = " + samples + ")"; }
}
