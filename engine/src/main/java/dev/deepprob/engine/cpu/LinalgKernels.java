package dev.deepprob.engine.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense float64 linear algebra on one n×n row-major matrix at an offset: Cholesky, triangular solve, LU with partial
 * pivoting, inverse and log-determinant. Right-hand sides are n×nrhs row-major. The NDArray layer calls these once
 * per batch element.
 *
 * <p>Every inner loop runs along a contiguous row, and the O(n³) work of every routine goes through one
 * register-tiled Vector API kernel, {@link #gemmSub} (C -= A·B, 4 rows × 2 vectors): Cholesky is left-looking by
 * blocks of four rows (Golub &amp; Van Loan, Matrix Computations, 4th ed., 4.2.8-4.2.9), LU is recursive (Toledo
 * 1997; LAPACK getrf2), triangular solves are blocked by four rows (Golub &amp; Van Loan 3.1, 3.2.11). Up to
 * n = {@value #SMALL}, Cholesky and LU take plain unblocked loops, which skip the copies the blocked paths make.
 * Nothing here allocates except the LU paths (an n×{@value #LU_LEAF} panel buffer) and the routines documented
 * to copy their input.
 */
public final class LinalgKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Up to this order Cholesky and LU take plain unblocked loops in place, with no copies. */
    static final int SMALL = 12;
    /** Rows per block of the blocked Cholesky and triangular solves: the row count of {@link #gemmSub}'s tile. */
    private static final int ROWS = 4;

    private LinalgKernels() {}

    // ------------------------------------------------------------------------------------------------ Cholesky

    /**
     * Lower Cholesky factor L (A = L Lᵀ) of the symmetric n×n matrix at {@code a[aOff]}, written to {@code l[lOff]}
     * with the upper part zeroed; only A's lower triangle is read and {@code a} is not modified ({@code l} may be
     * the same region as {@code a}). Left-looking, four rows at a time, on U = Lᵀ held in the upper triangle of
     * {@code l} so that every update runs along a row (Golub &amp; Van Loan 4.2.8-4.2.9); transposed at the end.
     *
     * @return -1 on success, or the order k (1-based) of the first leading minor that is not positive definite
     *     (a NaN pivot counts as not positive definite); {@code l}'s contents are then unspecified
     */
    public static int cholesky(double[] a, int aOff, int n, double[] l, int lOff) {
        checkOrder("cholesky", n);
        checkRegion("cholesky", "a", a, aOff, n, n);
        checkRegion("cholesky", "l", l, lOff, n, n);
        if (a == l && aOff != lOff && overlaps(aOff, n * n, lOff, n * n)) {
            throw new IllegalArgumentException("cholesky: a (offset " + aOff + ") and l (offset " + lOff
                    + ") overlap without being the same region");
        }
        return n <= SMALL ? choleskySmall(a, aOff, n, l, lOff) : choleskyBlocked(a, aOff, n, l, lOff);
    }

    /** The blocked path of {@link #cholesky}, for any n (package-private so tests can run it on small n too). */
    static int choleskyBlocked(double[] a, int aOff, int n, double[] l, int lOff) {
        // Upper triangle of l := A's lower triangle transposed (A is symmetric, so this is A's upper triangle).
        // (These two O(n²) transpositions cost about a fifth of the time at n = 200; gathers were no faster.)
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * n;
            for (int j = 0; j <= i; j++) l[lOff + j * n + i] = a[ai + j];
        }
        for (int r0 = 0; r0 < n; r0 += ROWS) {
            int r1 = Math.min(r0 + ROWS, n);
            // Rows r0..r1 of U, from column r0 on, -= U[0:r0, r0:r1]ᵀ U[0:r0, r0:n] (the finished rows above).
            gemmSub(l, lOff + r0 * n + r0, n, r1 - r0, n - r0, true, l, lOff + r0, 1, n, l, lOff + r0, n, r0, false);
            // Then the outer-product algorithm on those rows alone.
            for (int k = r0; k < r1; k++) {
                int rk = lOff + k * n;
                double d = l[rk + k];
                if (!(d > 0)) return k + 1;
                double u = Math.sqrt(d);
                l[rk + k] = u;
                scale(l, rk + k + 1, n - k - 1, 1.0 / u);
                for (int i = k + 1; i < r1; i++) axpy(-l[rk + i], l, rk + i, l, lOff + i * n + i, n - i);
            }
        }
        // L := Uᵀ, upper part zeroed. The strict lower part held scratch until now.
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                l[lOff + i * n + j] = l[lOff + j * n + i];
                l[lOff + j * n + i] = 0.0;
            }
        }
        return -1;
    }

    /**
     * Cholesky-Banachiewicz, row by row with dot products (Golub &amp; Van Loan 4.2.5), for small n where the blocked
     * path's transpositions would dominate. Works in place when l and a are the same region.
     */
    private static int choleskySmall(double[] a, int aOff, int n, double[] l, int lOff) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * n, li = lOff + i * n;
            for (int j = 0; j < i; j++) {
                int lj = lOff + j * n;
                l[li + j] = (a[ai + j] - dot(l, li, l, lj, j)) / l[lj + j];
            }
            double d = a[ai + i] - dot(l, li, l, li, i);
            if (!(d > 0)) return i + 1;
            l[li + i] = Math.sqrt(d);
        }
        for (int i = 0; i < n; i++) java.util.Arrays.fill(l, lOff + i * n + i + 1, lOff + (i + 1) * n, 0.0);
        return -1;
    }

    /**
     * Inverse of the SPD matrix A = L Lᵀ given its lower Cholesky factor L (n×n at {@code l[lOff]}, only the lower
     * triangle read): A⁻¹ = L⁻ᵀ L⁻¹ into {@code out}, which must not overlap {@code l}. Computes the lower triangle
     * through two triangular solves against the identity, n³/3 flops as LAPACK potri (Golub &amp; Van Loan 3.1, 4.2),
     * and mirrors it so the result is exactly symmetric.
     */
    public static void choleskyInverse(double[] l, int lOff, int n, double[] out, int outOff) {
        checkOrder("choleskyInverse", n);
        checkRegion("choleskyInverse", "l", l, lOff, n, n);
        checkRegion("choleskyInverse", "out", out, outOff, n, n);
        checkDisjoint("choleskyInverse", "l", l, lOff, n * n, "out", out, outOff, n * n);
        setIdentity(out, outOff, n);
        trsm(l, lOff, n, n, true, false, false, out, outOff, n, n, true);  // lower(out) := L⁻¹
        trsm(l, lOff, n, n, true, true, false, out, outOff, n, n, true);   // lower(out) := L⁻ᵀ L⁻¹
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) out[outOff + j * n + i] = out[outOff + i * n + j];
        }
    }

    // ------------------------------------------------------------------------------------------------ triangular

    /**
     * Solves op(A) X = B in place in B (n×nrhs at {@code b[bOff]}) for the triangular n×n matrix A at
     * {@code a[aOff]}, where op(A) = A or Aᵀ; only the triangle named by {@code lower} is read, and with
     * {@code unitDiagonal} the diagonal is taken as 1 and not read. Forward or back substitution by rows (Golub &amp;
     * Van Loan 3.1), blocked four rows at a time through the {@link #gemmSub} kernel; a zero pivot gives inf/NaN.
     */
    public static void triangularSolve(double[] a, int aOff, int n, boolean lower, boolean transpose,
                                       boolean unitDiagonal, double[] b, int bOff, int nrhs) {
        checkOrder("triangularSolve", n);
        checkRhs("triangularSolve", nrhs);
        checkRegion("triangularSolve", "a", a, aOff, n, n);
        checkRegion("triangularSolve", "b", b, bOff, n, nrhs);
        checkDisjoint("triangularSolve", "a", a, aOff, n * n, "b", b, bOff, n * nrhs);
        trsm(a, aOff, n, n, lower, transpose, unitDiagonal, b, bOff, nrhs, nrhs, false);
    }

    /**
     * Triangular solve op(T) X = B in place; T is m×m at {@code t[tOff]} with row stride ldt, B is m×ncol at
     * {@code b[bOff]} with row stride ldb. With {@code lowerOnly} only columns j ≤ (block end) of each row are
     * computed; callers use it when the wanted solution is lower triangular or only its lower triangle is needed,
     * and for forward solves it also requires B lower triangular (then the solution is too, and the zeros above
     * the diagonal are skipped in the products).
     */
    static void trsm(double[] t, int tOff, int ldt, int m, boolean lower, boolean trans, boolean unit,
                     double[] b, int bOff, int ldb, int ncol, boolean lowerOnly) {
        if (m == 0 || ncol == 0) return;
        boolean forward = lower != trans;  // op(T) is lower triangular
        if (ncol == 1 && ldb == 1) {
            solveVector(t, tOff, ldt, m, lower, trans, unit, b, bOff);
            return;
        }
        // op(T)[i][p] = t[tOff + i*aRs + p*aCs].
        int aRs = trans ? 1 : ldt;
        int aCs = trans ? ldt : 1;
        if (forward) {
            for (int i0 = 0; i0 < m; i0 += ROWS) {
                int i1 = Math.min(i0 + ROWS, m);
                int cols = lowerOnly ? Math.min(i1, ncol) : ncol;
                // Rows i0..i1 -= op(T)[i0:i1, 0:i0] X[0:i0], then the small triangle by substitution.
                gemmSub(b, bOff + i0 * ldb, ldb, i1 - i0, cols, false,
                        t, tOff + i0 * aRs, aRs, aCs, b, bOff, ldb, i0, lowerOnly);
                for (int i = i0; i < i1; i++) {
                    int bi = bOff + i * ldb;
                    for (int k = i0; k < i; k++) axpy(-t[tOff + i * aRs + k * aCs], b, bOff + k * ldb, b, bi, cols);
                    if (!unit) scale(b, bi, cols, 1.0 / t[tOff + i * (aRs + aCs)]);
                }
            }
        } else {
            for (int i1 = m; i1 > 0; ) {
                int i0 = Math.max(i1 - ROWS, 0);
                int cols = lowerOnly ? Math.min(i1, ncol) : ncol;
                // Rows i0..i1 -= op(T)[i0:i1, i1:m] X[i1:m], then the small triangle by back substitution.
                gemmSub(b, bOff + i0 * ldb, ldb, i1 - i0, cols, false,
                        t, tOff + i0 * aRs + i1 * aCs, aRs, aCs, b, bOff + i1 * ldb, ldb, m - i1, false);
                for (int i = i1 - 1; i >= i0; i--) {
                    int bi = bOff + i * ldb;
                    for (int k = i + 1; k < i1; k++) axpy(-t[tOff + i * aRs + k * aCs], b, bOff + k * ldb, b, bi, cols);
                    if (!unit) scale(b, bi, cols, 1.0 / t[tOff + i * (aRs + aCs)]);
                }
                i1 = i0;
            }
        }
    }

    /**
     * One right-hand side (contiguous x): substitution vectorised along T's rows, a dot product per row when op(T)
     * is T and a column sweep (axpy along row i of T) when op(T) is Tᵀ (Golub &amp; Van Loan 3.1.1-3.1.2).
     */
    private static void solveVector(double[] t, int tOff, int ldt, int m, boolean lower, boolean trans,
                                    boolean unit, double[] x, int xOff) {
        if (!trans) {
            if (lower) {
                for (int i = 0; i < m; i++) {
                    int ti = tOff + i * ldt;
                    double s = x[xOff + i] - dot(t, ti, x, xOff, i);
                    x[xOff + i] = unit ? s : s / t[ti + i];
                }
            } else {
                for (int i = m - 1; i >= 0; i--) {
                    int ti = tOff + i * ldt;
                    double s = x[xOff + i] - dot(t, ti + i + 1, x, xOff + i + 1, m - i - 1);
                    x[xOff + i] = unit ? s : s / t[ti + i];
                }
            }
        } else if (lower) {  // Lᵀ x = b: back substitution, x[0:i] -= x_i L[i][0:i]
            for (int i = m - 1; i >= 0; i--) {
                int ti = tOff + i * ldt;
                double xi = unit ? x[xOff + i] : x[xOff + i] / t[ti + i];
                x[xOff + i] = xi;
                axpy(-xi, t, ti, x, xOff, i);
            }
        } else {  // Uᵀ x = b: forward substitution, x[i+1:m] -= x_i U[i][i+1:m]
            for (int i = 0; i < m; i++) {
                int ti = tOff + i * ldt;
                double xi = unit ? x[xOff + i] : x[xOff + i] / t[ti + i];
                x[xOff + i] = xi;
                axpy(-xi, t, ti + i + 1, x, xOff + i + 1, m - i - 1);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ LU

    /**
     * LU factorisation with partial pivoting, PA = LU, in place in the n×n matrix at {@code a[aOff]}: U on and above
     * the diagonal, L's multipliers (unit diagonal implied) below. {@code piv[pivOff+i]} is the row swapped with row
     * i at step i. Recursive on column halves (Toledo, SIAM J. Matrix Anal. Appl. 18(4), 1997; LAPACK getrf2) down
     * to panels of {@link #LU_LEAF} columns, so nearly all the work is in triangular solves and matrix products; on
     * a zero pivot the factorisation still completes, as in LAPACK.
     *
     * @return the sign of P (+1 or -1), or 0 if some pivot is exactly zero (A singular)
     */
    public static int luFactor(double[] a, int aOff, int n, int[] piv, int pivOff) {
        checkOrder("luFactor", n);
        checkRegion("luFactor", "a", a, aOff, n, n);
        checkPiv("luFactor", piv, pivOff, n);
        return lu(a, aOff, n, piv, pivOff);
    }

    private static int lu(double[] a, int aOff, int n, int[] piv, int pivOff) {
        return n <= SMALL ? luSmall(a, aOff, n, piv, pivOff) : luFactor(a, aOff, n, piv, pivOff, LU_LEAF);
    }

    /** Widest panel factored directly (in a transposed copy) rather than split. */
    static final int LU_LEAF = 8;
    private static final int ODD = 1, SINGULAR = 2;

    /** The recursive path of {@link #luFactor} with a given leaf width, for any n (package-private for tests). */
    static int luFactor(double[] a, int aOff, int n, int[] piv, int pivOff, int leaf) {
        if (n == 0) return 1;
        double[] work = new double[Math.min(leaf, n) * n];
        int r = luPanel(a, aOff, n, 0, n, piv, pivOff, leaf, work);
        return (r & SINGULAR) != 0 ? 0 : (r & ODD) != 0 ? -1 : 1;
    }

    /**
     * Factors columns c0..c1 of rows c0..n (rows above c0 are final), swapping whole rows of the n×n matrix.
     * Returns flags: {@link #ODD} for an odd number of swaps, {@link #SINGULAR} if a pivot was exactly zero.
     */
    private static int luPanel(double[] a, int aOff, int n, int c0, int c1, int[] piv, int pivOff, int leaf,
                               double[] work) {
        if (c1 - c0 <= leaf) return luLeaf(a, aOff, n, c0, c1, piv, pivOff, work);
        // Split near the middle, with the right part (the width of the solve and the product below) a multiple of
        // the vector length where possible, so that gemmSub runs full vectors.
        int right = (c1 - c0) / 2;
        if (right >= V) right = (right + V - 1) / V * V;
        int cm = c1 - right;
        int f = luPanel(a, aOff, n, c0, cm, piv, pivOff, leaf, work);
        // A12 := L11⁻¹ A12 (rows c0..cm, columns cm..c1), then A22 -= L21 A12 (rows cm..n).
        int d0 = aOff + c0 * n + c0;
        trsm(a, d0, n, cm - c0, true, false, true, a, d0 + (cm - c0), n, c1 - cm, false);
        gemmSub(a, aOff + cm * n + cm, n, n - cm, c1 - cm, false,
                a, aOff + cm * n + c0, n, 1, a, d0 + (cm - c0), n, cm - c0, false);
        int g = luPanel(a, aOff, n, cm, c1, piv, pivOff, leaf, work);
        return ((f ^ g) & ODD) | ((f | g) & SINGULAR);
    }

    /**
     * Unblocked right-looking elimination (Golub &amp; Van Loan 3.4.1) of the narrow panel of columns c0..c1, rows
     * c0..n. In row-major storage the panel's columns are strided, so they are copied into {@code work} as rows
     * (P[c][r] = A[c0+r][c0+c]) where the pivot search, the multipliers and the updates all run contiguously.
     */
    private static int luLeaf(double[] a, int aOff, int n, int c0, int c1, int[] piv, int pivOff, double[] work) {
        int w = c1 - c0, m = n - c0;
        int base = aOff + c0 * n + c0;
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < w; c++) work[c * m + r] = a[base + r * n + c];
        }
        int flags = 0;
        for (int c = 0; c < w; c++) {
            int pc = c * m;
            int p = c;
            double max = Math.abs(work[pc + c]);
            for (int r = c + 1; r < m; r++) {
                double v = Math.abs(work[pc + r]);
                if (v > max) {  // a NaN entry is never chosen, but a NaN pivot propagates
                    max = v;
                    p = r;
                }
            }
            piv[pivOff + c0 + c] = c0 + p;
            if (p != c) {
                flags ^= ODD;
                for (int q = 0; q < w; q++) {
                    double t = work[q * m + c];
                    work[q * m + c] = work[q * m + p];
                    work[q * m + p] = t;
                }
                // The same rows outside the panel's columns, in place in A.
                int rc = aOff + (c0 + c) * n, rp = aOff + (c0 + p) * n;
                swap(a, rc, a, rp, c0);
                swap(a, rc + c1, a, rp + c1, n - c1);
            }
            double d = work[pc + c];
            if (d == 0.0) {  // the column below is zero too: nothing to eliminate
                flags |= SINGULAR;
                continue;
            }
            if (Math.abs(d) >= Double.MIN_NORMAL) {
                scale(work, pc + c + 1, m - c - 1, 1.0 / d);  // as LAPACK getf2: 1/d is finite here
            } else {
                for (int r = c + 1; r < m; r++) work[pc + r] /= d;
            }
            for (int q = c + 1; q < w; q++) axpy(-work[q * m + c], work, pc + c + 1, work, q * m + c + 1, m - c - 1);
        }
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < w; c++) a[base + r * n + c] = work[c * m + r];
        }
        return flags;
    }

    /** Unblocked right-looking Gaussian elimination in place (Golub &amp; Van Loan 3.4.1), for small n. */
    private static int luSmall(double[] a, int aOff, int n, int[] piv, int pivOff) {
        int sign = 1;
        boolean singular = false;
        for (int k = 0; k < n; k++) {
            int p = k;
            double max = Math.abs(a[aOff + k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(a[aOff + i * n + k]);
                if (v > max) {
                    max = v;
                    p = i;
                }
            }
            piv[pivOff + k] = p;
            int rk = aOff + k * n;
            if (p != k) {
                swap(a, rk, a, aOff + p * n, n);
                sign = -sign;
            }
            double d = a[rk + k];
            if (d == 0.0) {
                singular = true;
                continue;
            }
            for (int i = k + 1; i < n; i++) {
                int ri = aOff + i * n;
                double f = a[ri + k] / d;
                a[ri + k] = f;
                axpy(-f, a, rk + k + 1, a, ri + k + 1, n - k - 1);
            }
        }
        return singular ? 0 : sign;
    }

    /**
     * Solves A X = B in place in B (n×nrhs at {@code b[bOff]}) given {@link #luFactor}'s output: B := P B, then
     * L Y = B and U X = Y by substitution (Golub &amp; Van Loan 3.4.4). A singular factorisation gives inf/NaN.
     */
    public static void luSolve(double[] lu, int luOff, int n, int[] piv, int pivOff, double[] b, int bOff, int nrhs) {
        checkOrder("luSolve", n);
        checkRhs("luSolve", nrhs);
        checkRegion("luSolve", "lu", lu, luOff, n, n);
        checkPiv("luSolve", piv, pivOff, n);
        checkRegion("luSolve", "b", b, bOff, n, nrhs);
        checkDisjoint("luSolve", "lu", lu, luOff, n * n, "b", b, bOff, n * nrhs);
        for (int i = 0; i < n; i++) {
            int p = piv[pivOff + i];
            if (p < 0 || p >= n) {
                throw new IllegalArgumentException("luSolve: piv[" + (pivOff + i) + "] = " + p + " is outside [0, " + n + ")");
            }
            if (p != i) swap(b, bOff + i * nrhs, b, bOff + p * nrhs, nrhs);
        }
        trsm(lu, luOff, n, n, true, false, true, b, bOff, nrhs, nrhs, false);
        trsm(lu, luOff, n, n, false, false, false, b, bOff, nrhs, nrhs, false);
    }

    /**
     * Inverse of the general n×n matrix at {@code a[aOff]} into {@code out} ({@code a} is not modified; {@code out}
     * may be the same region). Through PA = LU: A⁻¹ = U⁻¹ L⁻¹ P, where L⁻¹ is a forward solve against the identity
     * that skips its zeros and P is applied as column swaps in reverse order (Golub &amp; Van Loan 3.4, LAPACK getri).
     *
     * @return false, leaving {@code out} untouched, if a pivot is exactly zero
     */
    public static boolean inverse(double[] a, int aOff, int n, double[] out, int outOff) {
        checkOrder("inverse", n);
        checkRegion("inverse", "a", a, aOff, n, n);
        checkRegion("inverse", "out", out, outOff, n, n);
        if (a == out && aOff != outOff && overlaps(aOff, n * n, outOff, n * n)) {
            throw new IllegalArgumentException("inverse: a (offset " + aOff + ") and out (offset " + outOff
                    + ") overlap without being the same region");
        }
        if (n == 0) return true;
        double[] lu = new double[n * n];
        System.arraycopy(a, aOff, lu, 0, n * n);
        int[] piv = new int[n];
        if (lu(lu, 0, n, piv, 0) == 0) return false;
        setIdentity(out, outOff, n);
        trsm(lu, 0, n, n, true, false, true, out, outOff, n, n, true);    // out := L⁻¹ (lower triangular)
        trsm(lu, 0, n, n, false, false, false, out, outOff, n, n, false); // out := U⁻¹ L⁻¹
        for (int i = 0; i < n; i++) {  // out := out P, row by row so each row stays in cache
            int r = outOff + i * n;
            for (int k = n - 1; k >= 0; k--) {
                int p = piv[k];
                double tmp = out[r + k];
                out[r + k] = out[r + p];
                out[r + p] = tmp;
            }
        }
        return true;
    }

    /**
     * log|det A| and the sign of det A for the n×n matrix at {@code a[aOff]} (not modified), through LU: det A =
     * sign(P) Π U_ii, summed as logarithms so it cannot overflow (Golub &amp; Van Loan 3.4).
     *
     * @return {sign, logAbsDet}: sign is +1 or -1, or 0 with logAbsDet = -inf when a pivot is exactly zero (A
     *     singular); {1, 0} for n = 0
     */
    public static double[] slogdet(double[] a, int aOff, int n) {
        checkOrder("slogdet", n);
        checkRegion("slogdet", "a", a, aOff, n, n);
        if (n == 0) return new double[] {1.0, 0.0};
        double[] lu = new double[n * n];
        System.arraycopy(a, aOff, lu, 0, n * n);
        int sign = lu(lu, 0, n, new int[n], 0);
        if (sign == 0) return new double[] {0.0, Double.NEGATIVE_INFINITY};
        double logAbs = 0.0;
        for (int i = 0; i < n; i++) {
            double u = lu[i * n + i];
            if (u < 0) sign = -sign;
            logAbs += Math.log(Math.abs(u));
        }
        return new double[] {sign, logAbs};
    }

    /**
     * The adjugate adj(A) of the n×n matrix at {@code a[aOff]} into {@code out} (A adj(A) = det(A) I), singular A included,
     * where det(A)·A⁻¹ is 0·∞. Through PAQ = LU with complete pivoting (Golub &amp; Van Loan 3.4.8), adj(A) = det(P) det(Q)
     * Q adj(U) L⁻¹ P: with every pivot nonzero adj(U) = det(U) U⁻¹; complete pivoting leaves a zero pivot only at the
     * end, and with exactly one (rank n - 1) adj(U) = c x eₙᵀ, x the null vector of U with xₙ = 1 and c the product of
     * the other pivots; with two or more (rank &lt;= n - 2) adj(A) = 0. A NaN entry gives all NaN.
     */
    public static void adjugate(double[] a, int aOff, int n, double[] out, int outOff) {
        checkOrder("adjugate", n);
        checkRegion("adjugate", "a", a, aOff, n, n);
        checkRegion("adjugate", "out", out, outOff, n, n);
        if (n == 0) return;
        double[] lu = new double[n * n];
        System.arraycopy(a, aOff, lu, 0, n * n);
        for (double v : lu) {
            if (Double.isNaN(v)) {
                java.util.Arrays.fill(out, outOff, outOff + n * n, Double.NaN);
                return;
            }
        }
        int[] rp = new int[n], cp = new int[n];
        for (int i = 0; i < n; i++) rp[i] = cp[i] = i;
        double sign = 1;
        int rank = n;
        for (int k = 0; k < n; k++) {
            int pi = k, pj = k;
            double max = 0;
            for (int i = k; i < n; i++) {
                for (int j = k; j < n; j++) {
                    double v = Math.abs(lu[i * n + j]);
                    if (v > max) {
                        max = v;
                        pi = i;
                        pj = j;
                    }
                }
            }
            if (max == 0) {  // the rest is zero: rank k
                rank = k;
                break;
            }
            if (pi != k) {
                swap(lu, k * n, lu, pi * n, n);
                int t = rp[k]; rp[k] = rp[pi]; rp[pi] = t;
                sign = -sign;
            }
            if (pj != k) {
                for (int i = 0; i < n; i++) {
                    double t = lu[i * n + k]; lu[i * n + k] = lu[i * n + pj]; lu[i * n + pj] = t;
                }
                int t = cp[k]; cp[k] = cp[pj]; cp[pj] = t;
                sign = -sign;
            }
            double d = lu[k * n + k];
            for (int i = k + 1; i < n; i++) {
                double f = lu[i * n + k] / d;
                lu[i * n + k] = f;
                for (int j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
            }
        }
        java.util.Arrays.fill(out, outOff, outOff + n * n, 0.0);
        if (rank < n - 1) return;
        double[] m = new double[n * n];  // M = adj(U) L⁻¹
        if (rank == n) {
            double det = 1;
            for (int i = 0; i < n; i++) det *= lu[i * n + i];
            for (int c = 0; c < n; c++) {
                double[] col = new double[n];
                col[c] = 1;
                for (int i = 0; i < n; i++) {                       // L y = e_c (unit lower)
                    double acc = col[i];
                    for (int j = 0; j < i; j++) acc -= lu[i * n + j] * col[j];
                    col[i] = acc;
                }
                for (int i = n - 1; i >= 0; i--) {                  // U x = y
                    double acc = col[i];
                    for (int j = i + 1; j < n; j++) acc -= lu[i * n + j] * col[j];
                    col[i] = acc / lu[i * n + i];
                }
                for (int i = 0; i < n; i++) m[i * n + c] = det * col[i];
            }
        } else {
            double[] x = new double[n], z = new double[n];
            x[n - 1] = 1;
            for (int i = n - 2; i >= 0; i--) {                      // U x = 0 with x_n = 1
                double acc = 0;
                for (int j = i + 1; j < n; j++) acc -= lu[i * n + j] * x[j];
                x[i] = acc / lu[i * n + i];
            }
            z[n - 1] = 1;
            for (int i = n - 2; i >= 0; i--) {                      // Lᵀ z = e_n: zᵀ is the last row of L⁻¹
                double acc = 0;
                for (int j = i + 1; j < n; j++) acc -= lu[j * n + i] * z[j];
                z[i] = acc;
            }
            double c = 1;
            for (int i = 0; i < n - 1; i++) c *= lu[i * n + i];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) m[i * n + j] = c * x[i] * z[j];
            }
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) out[outOff + cp[j] * n + rp[i]] = sign * m[j * n + i];
        }
    }

    // ------------------------------------------------------------------------------------------------ kernels

    /**
     * C -= A·B for C m×nc (row stride ldc), A m×kd with element (i, p) at {@code a[aOff + i*aRs + p*aCs]} (so Aᵀ
     * views cost nothing), B kd×nc (row stride ldb). With {@code upper}, a block of rows starting at row i only
     * updates columns j ≥ i (entries a little below the diagonal are written too; callers treat them as scratch).
     * With {@code bLower}, B[p][j] = 0 whenever j > p, so the sum for columns from j starts at p = j. Register tile
     * of 4 rows × 2 vectors; B's rows are read contiguously, A's entries broadcast.
     */
    static void gemmSub(double[] c, int cOff, int ldc, int m, int nc, boolean upper,
                        double[] a, int aOff, int aRs, int aCs, double[] b, int bOff, int ldb, int kd, boolean bLower) {
        if (kd == 0) return;
        int i = 0;
        for (; i < m; i += 4) {
            boolean four = i + 4 <= m;
            int rows = four ? 4 : m - i;
            int j = upper ? i : 0;
            int ci = cOff + i * ldc, ai = aOff + i * aRs;
            // Each micro-kernel is its own small method so that C1 and then C2 compile it (the Vector API is only
            // fast once C2 has intrinsified it; one large kernel method can get stuck in C1 and run 100x slower).
            for (; j <= nc - 2 * V; j += 2 * V) {
                int p0 = bLower ? Math.min(j, kd) : 0;
                if (four) block4x2(c, ci + j, ldc, a, ai + p0 * aCs, aRs, aCs, b, bOff + p0 * ldb + j, ldb, kd - p0);
                else for (int r = 0; r < rows; r++) {
                    block1x2(c, ci + r * ldc + j, a, ai + r * aRs + p0 * aCs, aCs, b, bOff + p0 * ldb + j, ldb, kd - p0);
                }
            }
            for (; j < nc; j += V) {
                int p0 = bLower ? Math.min(j, kd) : 0;
                int b0 = bOff + p0 * ldb + j, a0 = ai + p0 * aCs;
                VectorMask<Double> mk = S.indexInRange(j, nc);
                // A masked access that runs past the array's end takes a slow path in the Vector API: do the last
                // few columns of the array's last rows in scalar code instead.
                if (nc - j < V && (ci + (rows - 1) * ldc + j + V > c.length || b0 + (kd - p0 - 1) * ldb + V > b.length)) {
                    blockScalar(c, ci + j, ldc, rows, nc - j, a, a0, aRs, aCs, b, b0, ldb, kd - p0);
                } else if (four) {
                    block4x1(c, ci + j, ldc, a, a0, aRs, aCs, b, b0, ldb, kd - p0, mk);
                } else {
                    for (int r = 0; r < rows; r++) block1x1(c, ci + r * ldc + j, a, a0 + r * aRs, aCs, b, b0, ldb, kd - p0, mk);
                }
            }
        }
    }

    /** C[0:rows][0:cols] -= A[0:rows][0:kd] B[0:kd][0:cols] in scalar code, for a tail of a few columns. */
    private static void blockScalar(double[] c, int c0, int ldc, int rows, int cols, double[] a, int a0, int aRs,
                                    int aCs, double[] b, int b0, int ldb, int kd) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double s = 0.0;
                for (int p = 0; p < kd; p++) s = Math.fma(a[a0 + r * aRs + p * aCs], b[b0 + p * ldb + j], s);
                c[c0 + r * ldc + j] -= s;
            }
        }
    }

    /** C[0:4][0:2V] -= A[0:4][0:kd] B[0:kd][0:2V]: 8 accumulators, B rows loaded once, A entries broadcast. */
    private static void block4x2(double[] c, int c0, int ldc, double[] a, int a0, int aRs, int aCs,
                                 double[] b, int b0, int ldb, int kd) {
        DoubleVector s00 = DoubleVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        DoubleVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int a1 = a0 + aRs, a2 = a1 + aRs, a3 = a2 + aRs;
        for (int p = 0, bp = b0, ap = 0; p < kd; p++, bp += ldb, ap += aCs) {
            DoubleVector v0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector v1 = DoubleVector.fromArray(S, b, bp + V);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + ap]);
            s00 = x.fma(v0, s00);
            s01 = x.fma(v1, s01);
            x = DoubleVector.broadcast(S, a[a1 + ap]);
            s10 = x.fma(v0, s10);
            s11 = x.fma(v1, s11);
            x = DoubleVector.broadcast(S, a[a2 + ap]);
            s20 = x.fma(v0, s20);
            s21 = x.fma(v1, s21);
            x = DoubleVector.broadcast(S, a[a3 + ap]);
            s30 = x.fma(v0, s30);
            s31 = x.fma(v1, s31);
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        DoubleVector.fromArray(S, c, c0).sub(s00).intoArray(c, c0);
        DoubleVector.fromArray(S, c, c0 + V).sub(s01).intoArray(c, c0 + V);
        DoubleVector.fromArray(S, c, c1).sub(s10).intoArray(c, c1);
        DoubleVector.fromArray(S, c, c1 + V).sub(s11).intoArray(c, c1 + V);
        DoubleVector.fromArray(S, c, c2).sub(s20).intoArray(c, c2);
        DoubleVector.fromArray(S, c, c2 + V).sub(s21).intoArray(c, c2 + V);
        DoubleVector.fromArray(S, c, c3).sub(s30).intoArray(c, c3);
        DoubleVector.fromArray(S, c, c3 + V).sub(s31).intoArray(c, c3 + V);
    }

    /** C[0:4][lanes of mk] -= A[0:4][0:kd] B[0:kd][lanes of mk]. */
    private static void block4x1(double[] c, int c0, int ldc, double[] a, int a0, int aRs, int aCs,
                                 double[] b, int b0, int ldb, int kd, VectorMask<Double> mk) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int a1 = a0 + aRs, a2 = a1 + aRs, a3 = a2 + aRs;
        for (int p = 0, bp = b0, ap = 0; p < kd; p++, bp += ldb, ap += aCs) {
            DoubleVector v = DoubleVector.fromArray(S, b, bp, mk);
            s0 = DoubleVector.broadcast(S, a[a0 + ap]).fma(v, s0);
            s1 = DoubleVector.broadcast(S, a[a1 + ap]).fma(v, s1);
            s2 = DoubleVector.broadcast(S, a[a2 + ap]).fma(v, s2);
            s3 = DoubleVector.broadcast(S, a[a3 + ap]).fma(v, s3);
        }
        DoubleVector.fromArray(S, c, c0, mk).sub(s0).intoArray(c, c0, mk);
        DoubleVector.fromArray(S, c, c0 + ldc, mk).sub(s1).intoArray(c, c0 + ldc, mk);
        DoubleVector.fromArray(S, c, c0 + 2 * ldc, mk).sub(s2).intoArray(c, c0 + 2 * ldc, mk);
        DoubleVector.fromArray(S, c, c0 + 3 * ldc, mk).sub(s3).intoArray(c, c0 + 3 * ldc, mk);
    }

    /** C[0:2V] -= Σ_p A[p] B[p][0:2V] for one row. */
    private static void block1x2(double[] c, int c0, double[] a, int a0, int aCs, double[] b, int b0, int ldb, int kd) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0;
        for (int p = 0, bp = b0, ap = a0; p < kd; p++, bp += ldb, ap += aCs) {
            DoubleVector x = DoubleVector.broadcast(S, a[ap]);
            s0 = x.fma(DoubleVector.fromArray(S, b, bp), s0);
            s1 = x.fma(DoubleVector.fromArray(S, b, bp + V), s1);
        }
        DoubleVector.fromArray(S, c, c0).sub(s0).intoArray(c, c0);
        DoubleVector.fromArray(S, c, c0 + V).sub(s1).intoArray(c, c0 + V);
    }

    /** C[lanes of mk] -= Σ_p A[p] B[p][lanes of mk] for one row. */
    private static void block1x1(double[] c, int c0, double[] a, int a0, int aCs, double[] b, int b0, int ldb, int kd,
                                 VectorMask<Double> mk) {
        DoubleVector s = DoubleVector.zero(S);
        for (int p = 0, bp = b0, ap = a0; p < kd; p++, bp += ldb, ap += aCs) {
            s = DoubleVector.broadcast(S, a[ap]).fma(DoubleVector.fromArray(S, b, bp, mk), s);
        }
        DoubleVector.fromArray(S, c, c0, mk).sub(s).intoArray(c, c0, mk);
    }

    /** Σ x[i] y[i] over len contiguous elements. */
    private static double dot(double[] x, int xOff, double[] y, int yOff, int len) {
        int i = 0;
        double s = 0.0;
        if (len >= 2 * V) {
            DoubleVector s0 = DoubleVector.zero(S), s1 = s0;
            for (; i <= len - 2 * V; i += 2 * V) {
                s0 = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), s0);
                s1 = DoubleVector.fromArray(S, x, xOff + i + V).fma(DoubleVector.fromArray(S, y, yOff + i + V), s1);
            }
            s = VecF64.foldSum(s0.add(s1));   // a fixed lane order (reduceLanes differs interpreted and compiled)
        }
        for (; i < len; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
        return s;
    }

    /** y += alpha x over len contiguous elements. */
    private static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
        int i = 0;
        if (len >= V) {
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            for (; i <= len - V; i += V) {
                DoubleVector.fromArray(S, x, xOff + i).fma(va, DoubleVector.fromArray(S, y, yOff + i))
                        .intoArray(y, yOff + i);
            }
        }
        for (; i < len; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    /** x *= alpha over len contiguous elements. */
    private static void scale(double[] x, int off, int len, double alpha) {
        int i = 0;
        for (; i <= len - V; i += V) DoubleVector.fromArray(S, x, off + i).mul(alpha).intoArray(x, off + i);
        for (; i < len; i++) x[off + i] *= alpha;
    }

    private static void swap(double[] x, int xOff, double[] y, int yOff, int len) {
        int i = 0;
        for (; i <= len - V; i += V) {
            DoubleVector u = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector.fromArray(S, y, yOff + i).intoArray(x, xOff + i);
            u.intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            double tmp = x[xOff + i];
            x[xOff + i] = y[yOff + i];
            y[yOff + i] = tmp;
        }
    }

    private static void setIdentity(double[] out, int off, int n) {
        java.util.Arrays.fill(out, off, off + n * n, 0.0);
        for (int i = 0; i < n; i++) out[off + i * n + i] = 1.0;
    }

    // ------------------------------------------------------------------------------------------------ checks

    private static void checkOrder(String op, int n) {
        if (n < 0) throw new IllegalArgumentException(op + ": order n must be >= 0, got " + n);
        if ((long) n * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": order n = " + n + " gives more than 2^31-1 elements");
        }
    }

    private static void checkRhs(String op, int nrhs) {
        if (nrhs < 0) throw new IllegalArgumentException(op + ": nrhs must be >= 0, got " + nrhs);
    }

    private static void checkRegion(String op, String name, double[] x, int off, int rows, int cols) {
        if (x == null) throw new NullPointerException(op + ": " + name + " is null");
        long need = (long) rows * cols;
        if (off < 0 || off + need > x.length) {
            throw new IllegalArgumentException(op + ": " + name + " must hold " + rows + "x" + cols + " = " + need
                    + " elements from offset " + off + ", but its length is " + x.length);
        }
    }

    private static void checkPiv(String op, int[] piv, int off, int n) {
        if (piv == null) throw new NullPointerException(op + ": piv is null");
        if (off < 0 || (long) off + n > piv.length) {
            throw new IllegalArgumentException(op + ": piv must hold " + n + " elements from offset " + off
                    + ", but its length is " + piv.length);
        }
    }

    private static void checkDisjoint(String op, String xName, double[] x, int xOff, int xLen,
                                      String yName, double[] y, int yOff, int yLen) {
        if (x == y && overlaps(xOff, xLen, yOff, yLen)) {
            throw new IllegalArgumentException(op + ": " + xName + " [" + xOff + ", " + (xOff + xLen) + ") and "
                    + yName + " [" + yOff + ", " + (yOff + yLen) + ") overlap in the same array");
        }
    }

    private static boolean overlaps(int xOff, int xLen, int yOff, int yLen) {
        return xLen > 0 && yLen > 0 && xOff < yOff + yLen && yOff < xOff + xLen;
    }
}
