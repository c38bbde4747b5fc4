package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import org.jocl.Pointer;

import java.util.Arrays;

/**
 * Linear algebra on the device (linalg.cl) for matrices of order above {@link #hostMaxOrder}, and by a host round trip
 * through the CPU backend below it. Small factorisations are latency-bound: a right-looking factorisation is a few
 * launches per column, each waiting on the last, while the round trip is two transfers and the CPU's cache-resident
 * kernels; so up to order 32 (a guess, not yet measured on a GPU) the operands go to the host, the CPU backend
 * computes, and the result comes back. Above it, batched over the leading dims: Cholesky (right-looking, one launch
 * per column for the column and one for the trailing update), LU with partial pivoting (pivot and row swap, trailing
 * update, multipliers: three launches per column), substitutions one work-item per right-hand side, in double where
 * the device has fp64 (as the CPU computes F32). The adjugate, whose complete pivoting and rank-deficient cases are
 * sequential, always takes the round trip. Checks and error messages are the CPU backend's: a matrix that is not
 * positive definite, or singular for solve and inverse, throws IllegalArgumentException naming its batch index (the
 * device path reads its per-matrix flags, which waits for the queue).
 */
final class ClLinalg {
    private ClLinalg() {}

    /** Orders up to this one take the host round trip (package-private and mutable so tests can reach both paths). */
    static int hostMaxOrder = 32;

    private static final String SRC = "linalg.cl";

    private static Backend cpu() { return Backends.cpu(); }

    private static NDArray host(NDArray x) { return x.toCpu(); }

    private static ClLaunch launch(ClBackend b, String kernel) { return b.ctx().launch(SRC, DType.F32, kernel); }

    private static DType accType(ClBackend b) { return b.ctx().device.fp64() ? DType.F64 : DType.F32; }

    // ------------------------------------------------------------------ the CPU backend's checks

    private static int checkSquare(ClBackend b, String op, NDArray a) {
        b.storage(op, a);
        if (!a.dtype().isFloating()) throw new IllegalArgumentException(op + ": expected F32 or F64, got " + a.dtype());
        int[] s = a.dims();
        int r = s.length;
        if (r < 2 || s[r - 1] != s[r - 2]) throw new IllegalArgumentException(op + ": expected square matrices (..., n, n), got shape "
                + a.shape());
        return s[r - 1];
    }

    private static int[] batchOf(NDArray a) { return Arrays.copyOf(a.dims(), a.rank() - 2); }

    private static int[] with(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    private static String at(int[] batch, int t) {
        if (batch.length == 0) return "";
        int[] idx = new int[batch.length];
        for (int i = batch.length - 1; i >= 0; i--) {
            idx[i] = t % batch[i];
            t /= batch[i];
        }
        return " at batch index " + Arrays.toString(idx);
    }

    // ------------------------------------------------------------------ device helpers

    /** x broadcast to shape, as a contiguous acc_t copy on the device. */
    private static NDArray work(ClBackend b, NDArray x, int[] shape) {
        NDArray e = Arrays.equals(x.dims(), shape) ? x : x.expand(shape);
        DType at = accType(b);
        return e.dtype() == at ? b.copy(e) : b.cast(e, at);
    }

    private static NDArray back(ClBackend b, NDArray w, DType t) { return w.dtype() == t ? w : b.cast(w, t); }

    /** A zeroed device buffer of n ints (an F32 array of n elements: four bytes each, all bits zero). */
    private static NDArray ints(ClBackend b, int n) {
        NDArray x = b.empty(DType.F32, new int[]{Math.max(n, 1)});
        b.fill(x, 0);
        return x;
    }

    private static int[] readInts(ClBackend b, NDArray x, int n) {
        int[] v = new int[n];
        if (n > 0) b.ctx().read(ClStorage.of(x).mem, 0, 4L * n, Pointer.to(v));
        return v;
    }

    /** The LU factors of a contiguous acc_t stack in place: {pivots, singular flags, odd-swap flags}. */
    private static NDArray[] lu(ClBackend b, NDArray w, int n, int nb) {
        NDArray piv = ints(b, nb * n), sing = ints(b, nb), odd = ints(b, nb);
        for (int k = 0; k < n; k++) {
            launch(b, "lu_pivot").buf(w).buf(piv).buf(sing).buf(odd).i32(n).i32(nb).i32(k).run(nb);
            long m = n - k - 1;
            if (m == 0) continue;
            launch(b, "lu_update").buf(w).i32(n).i32(nb).i32(k).run(nb * m * m);
            launch(b, "lu_scale").buf(w).i32(n).i32(nb).i32(k).run(nb * m);
        }
        return new NDArray[]{piv, sing, odd};
    }

    /** Throws the CPU's "singular" message for the first singular matrix of the stack. */
    private static void requireRegular(ClBackend b, String op, NDArray sing, int[] batch, int nb) {
        int[] s = readInts(b, sing, nb);
        for (int t = 0; t < nb; t++) if (s[t] != 0) throw new IllegalArgumentException(op + ": matrix" + at(batch, t) + " is singular");
    }

    // ------------------------------------------------------------------ the operations

    static NDArray cholesky(ClBackend b, NDArray a) {
        int n = checkSquare(b, "cholesky", a);
        if (n <= hostMaxOrder) return b.fromCpu(cpu().cholesky(host(a)));
        int[] batch = batchOf(a);
        int nb = Shapes.size(batch);
        NDArray w = work(b, a, a.dims());
        NDArray l = b.empty(w.dtype(), a.dims());
        b.fill(l, 0);
        NDArray bad = ints(b, nb);
        for (int k = 0; k < n; k++) {
            launch(b, "chol_col").buf(w).buf(l).i32(n).i32(nb).i32(k).buf(bad).run((long) nb * (n - k));
            long m = n - k - 1;
            if (m > 0) launch(b, "chol_update").buf(w).buf(l).i32(n).i32(nb).i32(k).run(nb * m * m);
        }
        int[] f = readInts(b, bad, nb);
        for (int t = 0; t < nb; t++) {
            if (f[t] != 0) throw new IllegalArgumentException("cholesky: matrix" + at(batch, t)
                    + " is not positive definite (leading minor of order " + f[t] + " is not positive)");
        }
        return back(b, l, a.dtype());
    }

    static NDArray triangularSolve(ClBackend b, NDArray a, NDArray rhs, boolean upper, boolean left, boolean unitDiagonal) {
        int n = checkSquare(b, "triangularSolve", a);
        b.storage("triangularSolve", rhs);
        if (a.dtype() != rhs.dtype())
            throw new IllegalArgumentException("triangularSolve: dtype mismatch " + a.dtype() + " and " + rhs.dtype());
        int[] bs = rhs.dims();
        if (bs.length < 2) throw new IllegalArgumentException("triangularSolve: right-hand side must be a matrix (..., n, k), got shape "
                + rhs.shape());
        int br = bs[bs.length - 2], bc = bs[bs.length - 1];
        if ((left ? br : bc) != n) throw new IllegalArgumentException("triangularSolve: A of shape " + a.shape() + " and B of shape "
                + rhs.shape() + " do not align for a " + (left ? "left" : "right") + " solve (" + (left ? br : bc) + " != " + n + ")");
        int[] batch = Shapes.broadcast("triangularSolve", batchOf(a), batchOf(rhs));
        if (n <= hostMaxOrder) return b.fromCpu(cpu().triangularSolve(host(a), host(rhs), upper, left, unitDiagonal));
        int nb = Shapes.size(batch), k = left ? bc : br;
        NDArray aw = work(b, a, with(batch, n, n)), x = work(b, rhs, with(batch, br, bc));
        // X A = B is Aᵀ Xᵀ = Bᵀ: the vectors are B's rows (element stride 1) instead of its columns (stride bc)
        if (nb > 0 && k > 0) {
            launch(b, "tri_solve").buf(aw).buf(x).i32(n).i32(k).i32(nb).i32(upper ? 0 : 1).i32(left ? 0 : 1).i32(unitDiagonal ? 1 : 0)
                    .i32(left ? bc : 1).i32(left ? 1 : n).run((long) nb * k);
        }
        return back(b, x, a.dtype());
    }

    static NDArray solve(ClBackend b, NDArray a, NDArray rhs) {
        int n = checkSquare(b, "solve", a);
        b.storage("solve", rhs);
        if (a.dtype() != rhs.dtype()) throw new IllegalArgumentException("solve: dtype mismatch " + a.dtype() + " and " + rhs.dtype());
        int[] as = a.dims(), bs = rhs.dims();
        boolean vector = bs.length == 1 || (bs.length == as.length - 1 && Arrays.equals(bs, Arrays.copyOf(as, as.length - 1)));
        NDArray bm = vector ? rhs.unsqueeze(bs.length) : rhs;
        int[] ms = bm.dims();
        if (ms[ms.length - 2] != n) throw new IllegalArgumentException("solve: A of shape " + a.shape() + " and B of shape "
                + rhs.shape() + " do not align (" + ms[ms.length - 2] + " != " + n + ")");
        int k = ms[ms.length - 1];
        int[] batch = Shapes.broadcast("solve", batchOf(a), batchOf(bm));
        if (n <= hostMaxOrder) return b.fromCpu(cpu().solve(host(a), host(rhs)));
        int nb = Shapes.size(batch);
        NDArray aw = work(b, a, with(batch, n, n)), x = work(b, bm, with(batch, n, k));
        NDArray[] f = lu(b, aw, n, nb);
        requireRegular(b, "solve", f[1], batch, nb);
        if (nb > 0 && k > 0) launch(b, "lu_solve").buf(aw).buf(f[0]).buf(x).i32(n).i32(k).i32(nb).run((long) nb * k);
        NDArray out = back(b, x, a.dtype());
        return vector ? out.squeeze(-1) : out;
    }

    static NDArray inverse(ClBackend b, NDArray a) {
        int n = checkSquare(b, "inverse", a);
        if (n <= hostMaxOrder) return b.fromCpu(cpu().inverse(host(a)));
        int[] batch = batchOf(a);
        int nb = Shapes.size(batch);
        NDArray aw = work(b, a, a.dims());
        NDArray[] f = lu(b, aw, n, nb);
        requireRegular(b, "inverse", f[1], batch, nb);
        NDArray x = b.empty(aw.dtype(), a.dims());
        launch(b, "eye_k").buf(x).i32(n).i32(nb).run((long) nb * n * n);
        if (nb > 0) launch(b, "lu_solve").buf(aw).buf(f[0]).buf(x).i32(n).i32(n).i32(nb).run((long) nb * n);
        return back(b, x, a.dtype());
    }

    static NDArray adjugate(ClBackend b, NDArray a) {
        checkSquare(b, "adjugate", a);
        return b.fromCpu(cpu().adjugate(host(a)));           // complete pivoting and the rank n - 1 case: on the host
    }

    static NDArray[] slogdet(ClBackend b, NDArray a) {
        int n = checkSquare(b, "slogdet", a);
        if (n <= hostMaxOrder) {
            NDArray[] r = cpu().slogdet(host(a));
            return new NDArray[]{b.fromCpu(r[0]), b.fromCpu(r[1])};
        }
        int[] batch = batchOf(a);
        int nb = Shapes.size(batch);
        NDArray aw = work(b, a, a.dims());
        NDArray[] f = lu(b, aw, n, nb);
        NDArray sign = b.empty(aw.dtype(), batch), logabs = b.empty(aw.dtype(), batch);
        launch(b, "lu_slogdet").buf(aw).buf(f[1]).buf(f[2]).buf(sign).buf(logabs).i32(n).i32(nb).run(nb);
        return new NDArray[]{back(b, sign, a.dtype()), back(b, logabs, a.dtype())};
    }
}
