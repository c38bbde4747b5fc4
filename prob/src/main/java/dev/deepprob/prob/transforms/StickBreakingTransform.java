package dev.deepprob.prob.transforms;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.prob.Constraint;

import java.util.List;

/**
 * Stick-breaking from vectors in ℝ^(K-1) onto the simplex in ℝ^K: z_k = σ(x_k - log(K-1-k)) is the fraction
 * broken off what remains of the stick, y_k = z_k Π_{j&lt;k} (1 - z_j), and y_K takes the rest (Stan Reference
 * Manual, "Unit simplex" transform; the offsets map x = 0 to the uniform vector). Everything is computed in
 * log space, log z = -softplus(-u) and log(1 - z) = -softplus(u), so tiny stick fractions stay exact. The
 * Jacobian of (x_1..x_{K-1}) ↦ (y_1..y_{K-1}) is triangular with diagonal y_k (1 - z_k).
 */
public final class StickBreakingTransform implements Transform {
    public StickBreakingTransform() {}

    /** log(K-1-k) for k = 0..K-2, the offsets that centre x = 0 on the uniform vector. */
    private static Tensor logOffset(DType t, int km1) {
        double[] o = new double[km1];
        for (int k = 0; k < km1; k++) o[k] = Math.log(km1 - k);
        return Tensor.of(NDArray.of(o, km1).to(t));
    }

    private static Tensor shifted(Tensor x) { return x.sub(logOffset(x.dtype(), x.shape(-1))); }

    /** @param x (..., K-1) @return (..., K) on the simplex */
    @Override
    public Tensor forward(Tensor x) {
        Transforms.floating("StickBreakingTransform.forward", x);
        checkVector("StickBreakingTransform.forward: x", x, 1);
        Tensor u = shifted(x);
        Tensor logZ = u.neg().softplus().neg();
        Tensor log1mZ = u.softplus().neg();
        Tensor cum = log1mZ.cumsum(-1);                        // log Π_{j<=k} (1 - z_j)
        Tensor zero = Tensor.zeros(x.dtype(), withLast(x.dims(), 1));
        Tensor logY = Tensor.cat(List.of(logZ, zero), -1).add(Tensor.cat(List.of(zero, cum), -1));
        return logY.exp();
    }

    /**
     * x_k = log y_k - log Σ_{j&gt;k} y_j + log(K-1-k), with the tail sums Σ_{j&gt;k} y_j formed by a product
     * with a 0/1 mask (a sum of the positive tail terms, not 1 - cumsum, which cancels to 0 for tiny tails).
     * @param y (..., K) @return (..., K-1)
     */
    @Override
    public Tensor inverse(Tensor y) {
        Transforms.floating("StickBreakingTransform.inverse", y);
        checkVector("StickBreakingTransform.inverse: y", y, 2);
        int k = y.shape(-1);
        double[] m = new double[k * (k - 1)];
        for (int j = 0; j < k; j++) for (int c = 0; c < k - 1; c++) m[j * (k - 1) + c] = j > c ? 1 : 0;
        Tensor mask = Tensor.of(NDArray.of(m, k, k - 1).to(y.dtype()));
        double tiny = Transforms.tiny(y.dtype());
        Tensor tail = y.matmul(mask).clampMin(tiny);
        Tensor head = y.narrow(-1, 0, k - 1).clampMin(tiny);
        return head.log().sub(tail.log()).add(logOffset(y.dtype(), k - 1));
    }

    /** Σ_k log(y_k (1 - z_k)) = Σ_k (log z_k + Σ_{j&lt;=k} log(1 - z_j)), computed from x alone. */
    @Override
    public Tensor logAbsDetJacobian(Tensor x, Tensor y) {
        checkVector("StickBreakingTransform.logAbsDetJacobian: x", x, 1);
        Tensor u = shifted(x);
        Tensor logZ = u.neg().softplus().neg();
        Tensor cum = u.softplus().neg().cumsum(-1);
        return logZ.add(cum).sum(new int[]{-1}, false);
    }

    @Override public Constraint domain() { return Transforms.independent(Transforms.real(), 1); }
    @Override public Constraint codomain() { return Transforms.simplex(); }
    @Override public int domainEventDim() { return 1; }

    @Override
    public int[] forwardShape(int[] shape) {
        if (shape.length < 1) throw new IllegalArgumentException("StickBreakingTransform.forwardShape: expected at least 1 dim, got []");
        return withLast(shape, shape[shape.length - 1] + 1);
    }

    @Override
    public int[] inverseShape(int[] shape) {
        if (shape.length < 1 || shape[shape.length - 1] < 2) throw new IllegalArgumentException("StickBreakingTransform.inverseShape: "
                + "expected a last dim >= 2, got " + java.util.Arrays.toString(shape));
        return withLast(shape, shape[shape.length - 1] - 1);
    }

    private static void checkVector(String what, Tensor t, int min) {
        if (t.dim() < 1 || t.shape(-1) < min) throw new IllegalArgumentException(what + " must have shape (..., n) with n >= " + min
                + ", got shape " + java.util.Arrays.toString(t.dims()));
    }

    private static int[] withLast(int[] s, int last) {
        int[] r = s.clone();
        r[r.length - 1] = last;
        return r;
    }

    @Override public String toString() { return "StickBreakingTransform"; }

    /** Equal to a transform of the same kind with equal parameters (as torch's Transform.__eq__), so that KL can match two pushforwards. */
    @Override
    public boolean equals(Object o) { return o instanceof StickBreakingTransform; }

    @Override
    public int hashCode() { return StickBreakingTransform.class.hashCode(); }
}
