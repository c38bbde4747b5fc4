package dev.deepprob.demos.data;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;

import java.util.List;

/**
 * scikit-learn's {@code make_classification} for the tutorial's case: two classes, two features, both informative
 * (n_redundant = 0, n_repeated = 0, flip_y = 0, hypercube = True, shift = 0, scale = 1, shuffle = True), written from
 * the algorithm sklearn documents (Guyon 2003, the NIPS 2003 feature-selection benchmark):
 * <ol>
 *   <li>n_classes · n_clusters_per_class clusters; their centres are distinct vertices of the square
 *       {-class_sep, +class_sep}², chosen at random; cluster k belongs to class k mod 2;</li>
 *   <li>the samples are split evenly among the clusters (the remainder going one each to the first clusters);</li>
 *   <li>each cluster's points are standard normal, multiplied by a random 2 × 2 matrix A with entries uniform in
 *       [-1, 1) (a random covariance AᵀA), then shifted to the centre;</li>
 *   <li>the rows are shuffled, and then the two feature columns.</li>
 * </ol>
 * The random streams are this library's {@link Generator}, not NumPy's, so a seed gives other points than sklearn's
 * {@code random_state} would, from the same distribution.
 *
 * <p>With two clusters per class (sklearn's default) and four vertices, the layout is one of three, equally likely:
 * the classes split by the sign of feature 1, split by the sign of feature 2, or on diagonal corners (an XOR pattern
 * that no linear classifier separates). {@link Dataset#layout()} tells which.
 */
public final class MakeClassification {
    private MakeClassification() {}

    /** How the cluster centres of the two classes lie on the square. */
    public enum Layout {
        /** Class 0 on one side of feature 1 = 0, class 1 on the other. */
        SPLIT_BY_FEATURE_1,
        /** Class 0 on one side of feature 2 = 0, class 1 on the other. */
        SPLIT_BY_FEATURE_2,
        /** Each class on two opposite corners (XOR), or clusters of one class on both sides of both axes. */
        DIAGONAL
    }

    /**
     * The data.
     * @param x         (n, 2) features, F64
     * @param y         (n) labels 0 or 1, F64
     * @param centres   the cluster centres (after the column shuffle), [cluster][feature]
     * @param clusterClass the class of each cluster
     */
    public record Dataset(Tensor x, Tensor y, double[][] centres, int[] clusterClass) {
        /** The number of points. */
        public int size() { return x.shape(0); }

        /** [1, x₁, x₂] per row, (n, 3): the design matrix with a column of ones prepended. */
        public Tensor withOnes() {
            int n = size();
            return Tensor.cat(List.of(Tensor.ones(DType.F64, n, 1), x), 1);
        }

        /** Feature j of every point. */
        public double[] feature(int j) { return x.select(1, j).contiguous().toDoubleArray(); }

        /** The labels as doubles. */
        public double[] labels() { return y.toDoubleArray(); }

        /** Which of the three layouts the centres form (see the class comment). */
        public Layout layout() {
            for (int f = 0; f < 2; f++) {
                boolean split = true;
                Boolean class0Positive = null;
                for (int k = 0; k < centres.length; k++) {
                    boolean pos = centres[k][f] > 0;
                    boolean c0pos = clusterClass[k] == 0 ? pos : !pos;
                    if (class0Positive == null) class0Positive = c0pos;
                    else if (class0Positive != c0pos) split = false;
                }
                if (split) return f == 0 ? Layout.SPLIT_BY_FEATURE_1 : Layout.SPLIT_BY_FEATURE_2;
            }
            return Layout.DIAGONAL;
        }
    }

    /**
     * A draw conditioned on the layout: draws from {@code gen} until the centres form {@code layout} (each draw is an
     * independent make_classification call; the expected number is 3 for a given layout), at most {@code maxDraws}.
     * @return the data and how many draws it took
     */
    public static Conditioned generateWithLayout(int nSamples, double classSep, Layout layout, Generator gen, int maxDraws) {
        if (layout == null) throw new IllegalArgumentException("MakeClassification: layout must not be null");
        if (maxDraws < 1) throw new IllegalArgumentException("MakeClassification: maxDraws must be >= 1, got " + maxDraws);
        for (int k = 1; k <= maxDraws; k++) {
            Dataset d = generate(nSamples, classSep, 2, gen);
            if (d.layout() == layout) return new Conditioned(d, k);
        }
        throw new IllegalStateException("MakeClassification: no draw of " + maxDraws + " had the layout " + layout);
    }

    /** A dataset and the number of draws it took to get its layout. */
    public record Conditioned(Dataset data, int draws) {}

    /** make_classification(n_samples, n_features=2, n_informative=2, n_redundant=0, flip_y=0, class_sep) with 2 clusters per class. */
    public static Dataset generate(int nSamples, double classSep, Generator gen) { return generate(nSamples, classSep, 2, gen); }

    /**
     * As {@link #generate(int, double, Generator)} with the given number of clusters per class (1 or 2: the four vertices
     * of the square hold at most 2 · 2 clusters, as sklearn requires n_classes · n_clusters_per_class <= 2^n_informative).
     */
    public static Dataset generate(int nSamples, double classSep, int clustersPerClass, Generator gen) {
        if (nSamples < 2) throw new IllegalArgumentException("MakeClassification: n_samples must be >= 2, got " + nSamples);
        if (!(classSep > 0) || !Double.isFinite(classSep)) throw new IllegalArgumentException("MakeClassification: class_sep must be finite and > 0, got "
                + classSep);
        if (clustersPerClass < 1 || clustersPerClass > 2) throw new IllegalArgumentException("MakeClassification: n_classes * n_clusters_per_class "
                + "must be at most 2^n_informative = 4, so n_clusters_per_class must be 1 or 2, got " + clustersPerClass);
        if (gen == null) throw new IllegalArgumentException("MakeClassification: generator must not be null");
        int nClusters = 2 * clustersPerClass;
        // samples per cluster: int(n · weight / clusters_per_class) with weight 1/2, the remainder spread one by one
        int[] per = new int[nClusters];
        int assigned = 0;
        for (int k = 0; k < nClusters; k++) {
            per[k] = (int) (nSamples * 0.5 / clustersPerClass);
            assigned += per[k];
        }
        for (int i = 0; i < nSamples - assigned; i++) per[i % nClusters]++;
        // distinct random vertices of {0, 1}², mapped to {-sep, +sep}² (sklearn: sample_without_replacement, then 2·sep·v - sep)
        int[] perm = gen.permutation(4);
        double[][] centres = new double[nClusters][2];
        for (int k = 0; k < nClusters; k++) {
            int v = perm[k];
            centres[k][0] = ((v >> 1) & 1) * 2 * classSep - classSep;   // most significant bit first, as np.unpackbits
            centres[k][1] = (v & 1) * 2 * classSep - classSep;
        }
        double[] z = new double[nSamples * 2];
        gen.normal(z, 0, z.length, 0, 1);
        double[] x = new double[nSamples * 2];
        double[] y = new double[nSamples];
        int[] clusterClass = new int[nClusters];
        double[] a = new double[4];
        int start = 0;
        for (int k = 0; k < nClusters; k++) {
            clusterClass[k] = k % 2;
            gen.uniform(a, 0, 4, -1, 1);                               // A = 2·U(0, 1) - 1, (2, 2) row-major
            for (int i = start; i < start + per[k]; i++) {
                double z0 = z[2 * i], z1 = z[2 * i + 1];
                x[2 * i] = z0 * a[0] + z1 * a[2] + centres[k][0];       // (z A)_j = Σ_i z_i A_ij
                x[2 * i + 1] = z0 * a[1] + z1 * a[3] + centres[k][1];
                y[i] = k % 2;
            }
            start += per[k];
        }
        // shuffle the rows, then the columns
        int[] rows = gen.permutation(nSamples);
        int[] cols = gen.permutation(2);
        double[] xs = new double[nSamples * 2], ys = new double[nSamples];
        for (int i = 0; i < nSamples; i++) {
            int r = rows[i];
            xs[2 * i] = x[2 * r + cols[0]];
            xs[2 * i + 1] = x[2 * r + cols[1]];
            ys[i] = y[r];
        }
        double[][] c = new double[nClusters][];
        for (int k = 0; k < nClusters; k++) c[k] = new double[]{centres[k][cols[0]], centres[k][cols[1]]};
        return new Dataset(Tensor.of(DType.F64, xs, nSamples, 2), Tensor.of(DType.F64, ys), c, clusterClass);
    }
}
