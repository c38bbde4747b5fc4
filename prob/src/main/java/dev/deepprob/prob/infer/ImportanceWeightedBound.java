package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.Shapes;
import dev.deepprob.prob.Distribution;
import dev.deepprob.prob.Reparameterizable;

import java.util.function.Function;

/**
 * The importance-weighted lower bound (IWAE; Burda, Grosse and Salakhutdinov 2016, eq. 8):
 * <pre>
 *   L_K = E[ log (1/K) Σₖ p(x, zₖ) / q(zₖ) ],   zₖ ~ q independently
 * </pre>
 * L_1 is the ELBO, L_K ≤ L_{K+1} ≤ log p(x) (their Theorem 1), and L_K → log p(x) as K → ∞ when p/q is bounded, so
 * it is both a tighter training objective than the ELBO and, at large K, an estimate of the log evidence for
 * evaluation. The sum is taken as logSumExp of the log weights so that no weight under- or overflows.
 *
 * <p>{@link #loss} is the differentiable -L_K estimate (q reparameterised, as the method signature requires);
 * {@link #estimate} evaluates it without gradients over K samples drawn in chunks, so memory is bounded by the chunk
 * size however large K is. The log joint takes z of shape (n, latent...) with latent q's batch + event shape and
 * returns (n); q's batch dims are summed over in log q.
 */
public final class ImportanceWeightedBound {
    private static final String NAME = "ImportanceWeightedBound";

    private final Function<Tensor, Tensor> logJoint;
    private final int samples;

    private ImportanceWeightedBound(Function<Tensor, Tensor> logJoint, int samples) {
        this.logJoint = logJoint;
        this.samples = samples;
    }

    /**
     * The bound with K importance samples per training estimate.
     * @param logJoint z (n, latent...) to log p(x, z) of shape (n)
     */
    public static ImportanceWeightedBound of(Function<Tensor, Tensor> logJoint, int samples) {
        if (logJoint == null) throw new IllegalArgumentException(NAME + ": logJoint must not be null");
        if (samples < 1) throw new IllegalArgumentException(NAME + ": samples must be >= 1, got " + samples);
        return new ImportanceWeightedBound(logJoint, samples);
    }

    /** -L_K on K reparameterised samples, a differentiable 0-d tensor (the training objective). */
    public <Q extends Distribution & Reparameterizable> Tensor loss(Q q, Generator gen) {
        check(q, gen, "loss");
        Tensor z = q.rsample(gen, samples);
        return logWeights(q, z).logSumExp(0).sub(Math.log(samples)).neg();
    }

    /**
     * An estimate of L_K with K samples, drawn {@code chunk} at a time without gradients (the evaluation estimate;
     * with large K an estimate of log p(x) from below).
     */
    public double estimate(Distribution q, Generator gen, int k, int chunk) {
        check(q, gen, "estimate");
        if (k < 1) throw new IllegalArgumentException(NAME + ".estimate: k must be >= 1, got " + k);
        if (chunk < 1) throw new IllegalArgumentException(NAME + ".estimate: chunk must be >= 1, got " + chunk);
        double max = Double.NEGATIVE_INFINITY, acc = 0;                  // running logSumExp: exp(max)·acc = Σ w
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (int done = 0; done < k; ) {
                int n = Math.min(chunk, k - done);
                double[] lw = logWeights(q, q.sample(gen, n)).toDoubleArray();
                for (double v : lw) {
                    if (Double.isNaN(v)) throw new IllegalStateException(NAME + ".estimate: a log weight is NaN (q = " + q + ")");
                    if (v == Double.NEGATIVE_INFINITY) continue;
                    if (v > max) {
                        acc = acc * Math.exp(max - v) + 1;
                        max = v;
                    } else {
                        acc += Math.exp(v - max);
                    }
                }
                done += n;
            }
        }
        return max + Math.log(acc) - Math.log(k);
    }

    /** log p(x, z) - log q(z) for z of shape (n, latent...): (n). */
    private Tensor logWeights(Distribution q, Tensor z) {
        Tensor lp = logJoint.apply(z);
        int n = z.shape(0);
        if (lp == null || lp.dim() != 1 || lp.shape(0) != n) throw new IllegalArgumentException(NAME + ": the log joint must return (" + n
                + ") for z of shape " + Shapes.str(z.dims()) + ", got " + (lp == null ? "null" : "shape " + Shapes.str(lp.dims())));
        Tensor lq = q.logProb(z);
        int bd = q.batchShape().length;
        if (bd > 0) {
            int[] ax = new int[bd];
            for (int i = 0; i < bd; i++) ax[i] = lq.dim() - bd + i;
            lq = lq.sum(ax, false);
        }
        return lp.sub(lq);
    }

    private static void check(Distribution q, Generator gen, String op) {
        if (q == null) throw new IllegalArgumentException(NAME + "." + op + ": q must not be null");
        if (gen == null) throw new IllegalArgumentException(NAME + "." + op + ": generator must not be null");
    }

    /** The number of samples K of the training estimate. */
    public int samples() { return samples; }

    @Override
    public String toString() { return NAME + "(K = " + samples + ")"; }
}
