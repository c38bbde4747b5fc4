package dev.deepprob.prob.infer;

import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.Losses;
import dev.deepprob.nn.UnaryModule;
import dev.deepprob.nn.optim.Adam;
import dev.deepprob.nn.optim.Optimizer;

import java.util.List;
import java.util.function.Function;

/**
 * Density-ratio estimation by probabilistic classification, the "discriminator trick" (Sugiyama, Suzuki and
 * Kanamori, <i>Density Ratio Estimation in Machine Learning</i>, 2012, chapter 4; Mohamed and Lakshminarayanan
 * 2016, section 2.1). A classifier D trained by binary cross-entropy to tell samples of p1 (label 1) from samples of
 * p0 (label 0), drawn with class prior π1 = P(label 1), approaches D(x) = π1 p1(x) / (π1 p1(x) + π0 p0(x)), so
 * p1(x)/p0(x) = D/(1 - D) · π0/π1. Since D = σ(ℓ) for the classifier's logit ℓ, the log-ratio is exactly
 * ℓ + log(π0/π1): no division of probabilities near 0 or 1 is ever formed. KL(p1 || p0) = E_p1[log p1/p0] is
 * estimated by the mean log-ratio over samples of p1.
 *
 * <p>Train with {@link #trainer(UnaryModule)}, or wrap a classifier trained elsewhere with {@link #of}.
 */
public final class DensityRatio {
    /** How training batches are drawn from the two sample sets. */
    public enum Sampling {
        /** Each batch is drawn with replacement from the pooled samples: π1 = n1 / (n0 + n1) (the tutorial's way). */
        POOLED,
        /** Each batch takes half its rows from each set, with replacement: π1 = 1/2 whatever the set sizes. */
        BALANCED
    }

    /** Called after each training step with its number (1-based) and loss. */
    @FunctionalInterface
    public interface Callback {
        void onStep(int step, double loss);
    }

    private final UnaryModule classifier;
    private final double prior1;
    private final double logOdds0;   // log(π0/π1)
    private final float[] losses;

    private DensityRatio(UnaryModule classifier, double prior1, float[] losses) {
        this.classifier = classifier;
        this.prior1 = prior1;
        this.logOdds0 = Math.log1p(-prior1) - Math.log(prior1);
        this.losses = losses;
    }

    /**
     * Wraps a classifier already trained to output the logit of P(label 1 | x) with class prior π1 in its training.
     * @param prior1 π1, in (0, 1)
     */
    public static DensityRatio of(UnaryModule classifier, double prior1) {
        if (classifier == null) throw new IllegalArgumentException("DensityRatio.of: classifier must not be null");
        if (!(prior1 > 0 && prior1 < 1)) throw new IllegalArgumentException("DensityRatio.of: class prior must be in (0, 1), got " + prior1);
        return new DensityRatio(classifier, prior1, new float[0]);
    }

    /** A trainer for the given classifier (mapping (n, dims) to (n, 1) or (n) logits); it is trained in place. */
    public static Trainer trainer(UnaryModule classifier) {
        if (classifier == null) throw new IllegalArgumentException("DensityRatio.trainer: classifier must not be null");
        if (classifier.parameters().isEmpty()) throw new IllegalArgumentException("DensityRatio.trainer: the classifier has no parameters");
        return new Trainer(classifier);
    }

    /** The settings of the classifier's training; each setter rejects a bad value at once. */
    public static final class Trainer {
        private final UnaryModule classifier;
        private int steps = 20000, batch = 50;
        private Sampling sampling = Sampling.POOLED;
        private Function<List<Tensor>, Optimizer> optimizer = p -> new Adam(p, 1e-3);
        private Callback callback;

        private Trainer(UnaryModule classifier) { this.classifier = classifier; }

        /** Optimisation steps (>= 0, default 20000 as in the tutorial). */
        public Trainer steps(int n) {
            if (n < 0) throw new IllegalArgumentException("DensityRatio.steps: must be >= 0, got " + n);
            this.steps = n;
            return this;
        }

        /** Rows per batch (> 0, default 50; even for {@link Sampling#BALANCED}). */
        public Trainer batchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("DensityRatio.batchSize: must be > 0, got " + n);
            this.batch = n;
            return this;
        }

        /** How batches are drawn (default {@link Sampling#POOLED}). */
        public Trainer sampling(Sampling s) {
            if (s == null) throw new IllegalArgumentException("DensityRatio.sampling: must not be null");
            this.sampling = s;
            return this;
        }

        /** Makes the optimiser from the classifier's parameters (default Adam with lr 1e-3). */
        public Trainer optimizer(Function<List<Tensor>, Optimizer> factory) {
            if (factory == null) throw new IllegalArgumentException("DensityRatio.optimizer: factory must not be null");
            this.optimizer = factory;
            return this;
        }

        /** Called after each step (null for none). */
        public Trainer callback(Callback c) {
            this.callback = c;
            return this;
        }

        /**
         * Trains the classifier by BCE with logits on x1 (label 1) against x0 (label 0) and returns the estimator.
         * @param x1 (n1, dims) samples of the numerator p1
         * @param x0 (n0, dims) samples of the denominator p0, same dtype
         */
        public DensityRatio fit(Tensor x1, Tensor x0, Generator gen) {
            String op = "DensityRatio.fit";
            Gan.checkData(op, x1);
            Gan.checkData(op, x0);
            if (gen == null) throw new IllegalArgumentException(op + ": generator must not be null");
            if (x1.dtype() != x0.dtype()) throw new IllegalArgumentException(op + ": x1 is " + x1.dtype() + " but x0 is " + x0.dtype());
            if (x1.shape(1) != x0.shape(1)) throw new IllegalArgumentException(op + ": x1 has " + x1.shape(1) + " columns but x0 has " + x0.shape(1));
            if (sampling == Sampling.BALANCED && batch % 2 != 0) throw new IllegalArgumentException(op + ": balanced sampling needs an even "
                    + "batch size, got " + batch);
            int n1 = x1.shape(0), n0 = x0.shape(0), dims = x1.shape(1);
            DType t = x1.dtype();
            // one pooled array: rows [0, n0) are p0's (label 0), rows [n0, n0 + n1) p1's (label 1)
            NDArray pool = RealBatches.plain(NDArray.cat(List.of(x0.data(), x1.data()), 0));
            NDArray labelsAll = NDArray.zeros(t, n0 + n1);
            labelsAll.narrow(0, n0, n1).fillInPlace(1);
            double prior1 = sampling == Sampling.BALANCED ? 0.5 : (double) n1 / (n0 + n1);
            Optimizer opt = AdversarialTrainer.make("optimizer", optimizer, classifier.parameters());
            NDArray xb = NDArray.zeros(t, batch, dims), yb = NDArray.zeros(t, batch, 1);
            float[] hist = new float[steps];
            for (int s = 0; s < steps; s++) {
                long[] idx = indices(gen, n0, n1, batch);
                gatherRows(pool, idx, xb, yb, labelsAll);
                Tensor logits = classifier.forward(Tensor.of(xb));
                if (s == 0) checkLogits(op, logits, batch);
                Tensor loss = Losses.bceWithLogits(logits.reshape(batch, 1), Tensor.of(yb));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                hist[s] = (float) loss.item();
                if (callback != null) callback.onStep(s + 1, hist[s]);
            }
            return new DensityRatio(classifier, prior1, hist);
        }

        private long[] indices(Generator gen, int n0, int n1, int b) {
            if (sampling == Sampling.POOLED) return NDArray.randint(gen, 0, n0 + n1, b).toLongArray();
            long[] a = NDArray.randint(gen, 0, n0, b / 2).toLongArray(), c = NDArray.randint(gen, 0, n1, b / 2).toLongArray();
            long[] out = new long[b];
            System.arraycopy(a, 0, out, 0, b / 2);
            for (int i = 0; i < b / 2; i++) out[b / 2 + i] = n0 + c[i];
            return out;
        }
    }

    private static void gatherRows(NDArray pool, long[] idx, NDArray xb, NDArray yb, NDArray labels) {
        NDArray rows = NDArray.of(idx);
        pool.indexSelect(0, rows, xb);
        labels.indexSelect(0, rows, yb.reshape(yb.size()));
    }

    private static void checkLogits(String op, Tensor logits, int n) {
        if (logits.numel() != n || logits.dim() == 0 || logits.dim() > 2 || (logits.dim() == 2 && logits.shape(1) != 1))
            throw new IllegalStateException(op + ": the classifier must return (n, 1) or (n) logits for n = " + n + " rows, got "
                    + Shapes.str(logits.dims()));
    }

    // ------------------------------------------------------------------ the estimates

    /** The classifier (trained). */
    public UnaryModule classifier() { return classifier; }

    /** π1, the share of label 1 the classifier was trained with. */
    public double prior() { return prior1; }

    /** The training loss of every step (empty for {@link #of}). */
    public float[] losses() { return losses.clone(); }

    /**
     * log p1(x)/p0(x) = logit(x) + log(π0/π1), differentiable in x and the classifier's parameters.
     * @param x (n, dims)
     * @return (n)
     */
    public Tensor logRatio(Tensor x) {
        if (x == null || x.dim() != 2) throw new IllegalArgumentException("DensityRatio.logRatio: x must be (n, dims), got "
                + (x == null ? "null" : Shapes.str(x.dims())));
        Tensor l = classifier.forward(x);
        checkLogits("DensityRatio.logRatio", l, x.shape(0));
        l = l.reshape(x.shape(0));
        return logOdds0 == 0 ? l : l.add(logOdds0);
    }

    /** p1(x)/p0(x) = exp(log-ratio), computed from the logit (never as D/(1-D)). @return (n) */
    public Tensor ratio(Tensor x) { return logRatio(x).exp(); }

    /** The classifier's probability that x came from p1 (under its training prior): σ(logit). @return (n) */
    public Tensor probability(Tensor x) { return logRatio(x).sub(logOdds0).sigmoid(); }

    /**
     * The log-ratio for many rows as plain numbers, without a graph, in chunks of {@code chunk} rows (for grids).
     * @param x (n, dims)
     */
    public double[] logRatioValues(Tensor x, int chunk) {
        if (chunk <= 0) throw new IllegalArgumentException("DensityRatio.logRatioValues: chunk must be > 0, got " + chunk);
        if (x == null || x.dim() != 2) throw new IllegalArgumentException("DensityRatio.logRatioValues: x must be (n, dims), got "
                + (x == null ? "null" : Shapes.str(x.dims())));
        int n = x.shape(0);
        double[] out = new double[n];
        try (Autograd.Scope _ = Autograd.noGrad()) {
            for (int i = 0; i < n; i += chunk) {
                int len = Math.min(chunk, n - i);
                double[] v = logRatio(x.narrow(0, i, len)).toDoubleArray();
                System.arraycopy(v, 0, out, i, len);
            }
        }
        return out;
    }

    /**
     * KL(p1 || p0) ≈ (1/n) Σ log p1(xᵢ)/p0(xᵢ) over samples xᵢ of p1 (unbiased for an exact ratio; use samples
     * not seen in training to avoid the optimism of a fitted classifier).
     * @param x1 (n, dims) samples of p1
     */
    public double klEstimate(Tensor x1) {
        double[] v = logRatioValues(x1, 4096);
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }

    @Override
    public String toString() { return "DensityRatio(prior1=" + prior1 + ", steps=" + losses.length + ")"; }
}
