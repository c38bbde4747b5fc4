package dev.deepprob.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LinalgKernels against componentwise backward-error bounds (Higham, Accuracy and Stability of Numerical
 * Algorithms, 2nd ed.: triangular solve 8.1, LU 9.3, Cholesky 10.1), against scalar textbook oracles written here,
 * and against a few values computed with NumPy 1.24.2 (LAPACK).
 */
class LinalgKernelsTest {
    private static final double EPS = Math.ulp(1.0);
    /** Sentinel stored around every matrix to catch writes outside its region. */
    private static final double SENTINEL = -7.25e77;

    // ------------------------------------------------------------------------------------------------ generators

    /** Uniform(-1, 1) entries. */
    private static double[] random(SplittableRandom r, int rows, int cols) {
        double[] m = new double[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = r.nextDouble(-1.0, 1.0);
        return m;
    }

    /** SPD: M Mᵀ + n I with M uniform(-1, 1). */
    private static double[] spd(SplittableRandom r, int n) {
        double[] m = random(r, n, n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0.0;
                for (int k = 0; k < n; k++) s += m[i * n + k] * m[j * n + k];
                a[i * n + j] = s;
            }
        }
        return a;
    }

    /** General well-conditioned: uniform(-1, 1) + n I. */
    private static double[] general(SplittableRandom r, int n) {
        double[] a = random(r, n, n);
        for (int i = 0; i < n; i++) a[i * n + i] += n;
        return a;
    }

    /** Copy of m placed at offset off of a larger array whose other entries are the sentinel. */
    private static double[] embed(double[] m, int off, int pad) {
        double[] x = new double[off + m.length + pad];
        Arrays.fill(x, SENTINEL);
        System.arraycopy(m, 0, x, off, m.length);
        return x;
    }

    private static double[] extract(double[] x, int off, int len) {
        return Arrays.copyOfRange(x, off, off + len);
    }

    private static void assertSentinels(double[] x, int off, int len, String what) {
        for (int i = 0; i < x.length; i++) {
            if (i >= off && i < off + len) continue;
            assertEquals(SENTINEL, x[i], what + ": write outside the region at index " + i);
        }
    }

    // ------------------------------------------------------------------------------------------------ oracles

    /** C = A B for A p×q, B q×r; with abs, |A| |B|. */
    private static double[] mul(double[] a, double[] b, int p, int q, int r, boolean abs) {
        double[] c = new double[p * r];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < q; k++) {
                double aik = abs ? Math.abs(a[i * q + k]) : a[i * q + k];
                for (int j = 0; j < r; j++) c[i * r + j] += aik * (abs ? Math.abs(b[k * r + j]) : b[k * r + j]);
            }
        }
        return c;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    /** op(T) as a dense matrix: the named triangle of T only, unit diagonal substituted when asked. */
    private static double[] opTriangle(double[] t, int n, boolean lower, boolean trans, boolean unit) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean in = lower ? j <= i : j >= i;
                if (i == j) d[i * n + j] = unit ? 1.0 : t[i * n + j];
                else if (in) d[i * n + j] = t[i * n + j];
            }
        }
        return trans ? transpose(d, n, n) : d;
    }

    /** Textbook Cholesky-Banachiewicz (row by row, dot products), Golub & Van Loan 4.2.5; reads the lower triangle. */
    private static double[] refCholesky(double[] a, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = i == j ? Math.sqrt(s) : s / l[j * n + j];
            }
        }
        return l;
    }

    /** Textbook kij Gaussian elimination with partial pivoting; returns {L U packed} and fills perm (row order). */
    private static double[] refLu(double[] a, int n, int[] perm) {
        double[] lu = a.clone();
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
            for (int j = 0; j < n; j++) {
                double t = lu[k * n + j];
                lu[k * n + j] = lu[p * n + j];
                lu[p * n + j] = t;
            }
            int t = perm[k];
            perm[k] = perm[p];
            perm[p] = t;
            for (int i = k + 1; i < n; i++) {
                double f = lu[i * n + k] / lu[k * n + k];
                lu[i * n + k] = f;
                for (int j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
            }
        }
        return lu;
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** |got - want| <= tol * bound, entry by entry. */
    private static void assertComponentwise(double[] got, double[] want, double[] bound, double tol, String what) {
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            if (!(err <= tol * bound[i] + Double.MIN_NORMAL)) {
                throw new AssertionError(what + ": entry " + i + " off by " + err + " > " + tol + " * " + bound[i]
                        + " (got " + got[i] + ", want " + want[i] + ")");
            }
        }
    }

    private static void assertClose(double[] got, double[] want, double tol, String what) {
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                throw new AssertionError(what + ": entry " + i + " is " + got[i] + ", want " + want[i] + " (tol " + tol + ")");
            }
        }
    }

    private static double gamma(int n) {
        return 4.0 * (n + 2) * EPS;  // a few times γ_n = n u / (1 - n u) with u = eps / 2
    }

    // ------------------------------------------------------------------------------------------------ Cholesky

    private static void checkCholesky(int n, long seed) {
        checkCholesky(n, seed, false);
    }

    /** blocked: the blocked path whatever n, instead of the public entry point (which takes plain loops for small n). */
    private static void checkCholesky(int n, long seed, boolean blocked) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = spd(r, n);
        double[] aIn = a.clone();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) aIn[i * n + j] = Double.NaN;  // never read
        int aOff = r.nextInt(5), lOff = r.nextInt(5);
        double[] ab = embed(aIn, aOff, 3);
        double[] abBefore = ab.clone();
        double[] lb = embed(new double[n * n], lOff, 4);
        Arrays.fill(lb, lOff, lOff + n * n, Double.NaN);  // stale output buffer
        int info = blocked ? LinalgKernels.choleskyBlocked(ab, aOff, n, lb, lOff) : LinalgKernels.cholesky(ab, aOff, n, lb, lOff);
        assertEquals(-1, info, "cholesky n=" + n);
        assertArrayEquals(abBefore, ab, "cholesky modified its input");
        assertSentinels(lb, lOff, n * n, "cholesky");
        double[] l = extract(lb, lOff, n * n);
        for (int i = 0; i < n; i++) {
            assertTrue(l[i * n + i] > 0, "diagonal " + i + " = " + l[i * n + i]);
            for (int j = i + 1; j < n; j++) assertEquals(0.0, l[i * n + j], "upper entry (" + i + ", " + j + ")");
        }
        double[] lt = transpose(l, n, n);
        assertComponentwise(mul(l, lt, n, n, n, false), a, mul(l, lt, n, n, n, true), gamma(n), "L Lᵀ = A, n=" + n);
        double[] ref = refCholesky(a, n);
        assertClose(l, ref, 64 * gamma(n) * Math.sqrt(maxAbs(a)), "L against the row-wise oracle, n=" + n);
    }

    @Property(tries = 150)
    void choleskyReconstructs(@ForAll @IntRange(min = 0, max = 40) int n, @ForAll long seed) {
        checkCholesky(n, seed);
        checkCholesky(n, seed + 1, true);
    }

    @ParameterizedTest
    @ValueSource(ints = {47, 48, 64, 100, 131, 199, 200})
    void choleskyLarge(int n) {
        checkCholesky(n, 1000 + n);
    }

    @Test
    void choleskyInPlace() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[] {1, 5, 33, 90}) {
            double[] a = spd(r, n);
            double[] x = a.clone();
            assertEquals(-1, LinalgKernels.cholesky(x, 0, n, x, 0));
            assertClose(x, refCholesky(a, n), 1e-12 * n, "in place n=" + n);
        }
    }

    @Test
    void choleskyReportsFirstFailingMinor() {
        double[] out = new double[9];
        assertEquals(2, LinalgKernels.cholesky(new double[] {1, 0, 0, 0, -1, 0, 0, 0, 1}, 0, 3, out, 0));
        assertEquals(3, LinalgKernels.cholesky(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 0}, 0, 3, out, 0));
        assertEquals(2, LinalgKernels.cholesky(new double[] {1, 2, 2, 1}, 0, 2, out, 0));  // det = -3
        assertEquals(1, LinalgKernels.cholesky(new double[] {0}, 0, 1, out, 0));
        assertEquals(1, LinalgKernels.cholesky(new double[] {-2}, 0, 1, out, 0));
        assertEquals(2, LinalgKernels.cholesky(new double[] {1, 0, Double.NaN, 1}, 0, 2, out, 0));
        assertEquals(-1, LinalgKernels.cholesky(new double[0], 0, 0, new double[0], 0));
        // Deep inside: minors 1..45 are positive definite, minor 46 is not.
        int n = 70;
        double[] a = spd(new SplittableRandom(3), n);
        a[45 * n + 45] = -1e6;
        assertEquals(46, LinalgKernels.cholesky(a, 0, n, new double[n * n], 0));
        double[] b = spd(new SplittableRandom(4), 9);
        b[5 * 9 + 5] = -50;
        assertEquals(6, LinalgKernels.cholesky(b, 0, 9, new double[81], 0));
        assertEquals(6, LinalgKernels.choleskyBlocked(b, 0, 9, new double[81], 0));
    }

    @Test
    void choleskyMatchesNumpy() {
        // numpy.linalg.cholesky(A), NumPy 1.24.2.
        double[] a = {4, 2, -2, 1, 2, 5, 1, -1, -2, 1, 6, 2, 1, -1, 2, 7};
        double[] want = {2, 0, 0, 0, 1, 2, 0, 0, -1, 1, 2, 0, 0.5, -0.75, 1.625, 1.8833148966649205};
        double[] l = new double[16];
        assertEquals(-1, LinalgKernels.cholesky(a, 0, 4, l, 0));
        assertClose(l, want, 4 * EPS * 4, "cholesky vs numpy");
        // numpy.linalg.inv(A): A's determinant is 227.
        double[] inv = new double[16];
        LinalgKernels.choleskyInverse(l, 0, 4, inv, 0);
        double[] wantInv = {
            0.7621145374449338, -0.4493392070484582, 0.4273127753303965, -0.2951541850220265,
            -0.44933920704845814, 0.4845814977973569, -0.30396475770925113, 0.2202643171806168,
            0.42731277533039647, -0.30396475770925113, 0.43612334801762115, -0.22907488986784144,
            -0.29515418502202645, 0.22026431718061676, -0.22907488986784144, 0.28193832599118945};
        assertClose(inv, wantInv, 1e-15, "choleskyInverse vs numpy");
        double[] inv2 = new double[16];
        assertTrue(LinalgKernels.inverse(a, 0, 4, inv2, 0));
        assertClose(inv2, wantInv, 1e-15, "inverse vs numpy");
        double[] sd = LinalgKernels.slogdet(a, 0, 4);
        assertEquals(1.0, sd[0]);
        assertEquals(5.424950017481402, sd[1], 4 * EPS * 5.4, "slogdet vs numpy");  // log 227
    }

    // ------------------------------------------------------------------------------------------------ solves

    private static void checkTriangularSolve(int n, int nrhs, long seed, boolean lower, boolean trans, boolean unit) {
        SplittableRandom r = new SplittableRandom(seed);
        // Well conditioned: a Cholesky factor (cond = sqrt(cond A)) or, for unit diagonal, small off-diagonals.
        double[] t;
        if (unit) {
            t = random(r, n, n);
            for (int i = 0; i < t.length; i++) t[i] /= Math.max(n, 1);
        } else {
            t = refCholesky(spd(r, n), n);
        }
        if (!lower) t = transpose(t, n, n);
        double[] tIn = t.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean other = lower ? j > i : j < i;
                if (other || (unit && i == j)) tIn[i * n + j] = Double.NaN;  // never read
            }
        }
        double[] op = opTriangle(t, n, lower, trans, unit);
        double[] x0 = random(r, n, nrhs);
        double[] b = mul(op, x0, n, n, nrhs, false);
        int tOff = r.nextInt(4), bOff = r.nextInt(4);
        double[] tb = embed(tIn, tOff, 2);
        double[] tBefore = tb.clone();
        double[] bb = embed(b, bOff, 3);
        LinalgKernels.triangularSolve(tb, tOff, n, lower, trans, unit, bb, bOff, nrhs);
        String what = "triangularSolve n=" + n + " nrhs=" + nrhs + " lower=" + lower + " trans=" + trans + " unit=" + unit;
        assertArrayEquals(tBefore, tb, what + ": modified A");
        assertSentinels(bb, bOff, n * nrhs, what);
        double[] x = extract(bb, bOff, n * nrhs);
        assertComponentwise(mul(op, x, n, n, nrhs, false), b, mul(op, x, n, n, nrhs, true), gamma(n), what);
        assertClose(x, x0, 1e-10, what + ": solution");
    }

    @Property(tries = 150)
    void triangularSolveAllCombinations(@ForAll @IntRange(min = 0, max = 40) int n,
                                        @ForAll @IntRange(min = 0, max = 12) int nrhs, @ForAll long seed) {
        for (int combo = 0; combo < 8; combo++) {
            checkTriangularSolve(n, nrhs, seed + combo, (combo & 1) != 0, (combo & 2) != 0, (combo & 4) != 0);
            checkTriangularSolve(n, 1, seed - combo, (combo & 1) != 0, (combo & 2) != 0, (combo & 4) != 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 173})
    void triangularSolveLarge(int n) {
        for (int combo = 0; combo < 8; combo++) {
            for (int nrhs : new int[] {1, 3, 17, n}) {
                checkTriangularSolve(n, nrhs, n * 31L + combo, (combo & 1) != 0, (combo & 2) != 0, (combo & 4) != 0);
            }
        }
    }

    @Test
    void triangularSolveMatchesNumpy() {
        // numpy.linalg.solve(numpy.tril(A), [1, 2, 3, 4]) for the A of choleskyMatchesNumpy.
        double[] a = {4, 2, -2, 1, 2, 5, 1, -1, -2, 1, 6, 2, 1, -1, 2, 7};
        double[] b = {1, 2, 3, 4};
        LinalgKernels.triangularSolve(a, 0, 4, true, false, false, b, 0, 1);
        assertClose(b, new double[] {0.25, 0.3, 0.5333333333333333, 0.4261904761904761}, 2 * EPS, "tril solve");
    }

    private static void checkLu(int n, int nrhs, long seed) {
        checkLu(n, nrhs, seed, 0);
    }

    /** leaf 0: the public entry point; otherwise the given leaf width of the recursive LU. */
    private static void checkLu(int n, int nrhs, long seed, int leaf) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = general(r, n);
        int aOff = r.nextInt(4), pOff = r.nextInt(3);
        double[] lub = embed(a, aOff, 2);
        int[] piv = new int[pOff + n + 1];
        int sign = leaf == 0 ? LinalgKernels.luFactor(lub, aOff, n, piv, pOff)
                : LinalgKernels.luFactor(lub, aOff, n, piv, pOff, leaf);
        String what = "lu n=" + n + " nrhs=" + nrhs + " leaf=" + leaf;
        assertSentinels(lub, aOff, n * n, what);
        double[] lu = extract(lub, aOff, n * n);
        // Replay the swaps on A and on the identity permutation: P A = L U componentwise (Higham 9.3).
        double[] pa = a.clone();
        int swaps = 0;
        for (int i = 0; i < n; i++) {
            int p = piv[pOff + i];
            assertTrue(p >= i && p < n, "piv[" + i + "] = " + p);
            if (p != i) {
                swaps++;
                for (int j = 0; j < n; j++) {
                    double t = pa[i * n + j];
                    pa[i * n + j] = pa[p * n + j];
                    pa[p * n + j] = t;
                }
            }
        }
        assertEquals(swaps % 2 == 0 ? 1 : -1, sign, what + ": sign");
        double[] lo = new double[n * n], up = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j < i) lo[i * n + j] = lu[i * n + j];
                else up[i * n + j] = lu[i * n + j];
            }
            lo[i * n + i] = 1.0;
            for (int j = 0; j < i; j++) assertTrue(Math.abs(lu[i * n + j]) <= 1.0 + 4 * EPS, what + ": |multiplier| > 1");
        }
        assertComponentwise(mul(lo, up, n, n, n, false), pa, mul(lo, up, n, n, n, true), gamma(n), what + ": PA = LU");
        // Solve.
        double[] x0 = random(r, n, nrhs);
        double[] b = mul(a, x0, n, n, nrhs, false);
        int bOff = r.nextInt(4);
        double[] bb = embed(b, bOff, 2);
        LinalgKernels.luSolve(lub, aOff, n, piv, pOff, bb, bOff, nrhs);
        assertSentinels(bb, bOff, n * nrhs, what + " solve");
        double[] x = extract(bb, bOff, n * nrhs);
        double tol = 8 * gamma(n) * maxAbs(mul(a, x, n, n, nrhs, true)) + Double.MIN_NORMAL;
        assertClose(mul(a, x, n, n, nrhs, false), b, tol, what + ": A X = B residual");
        assertClose(x, x0, 1e-10, what + ": solution");
        // slogdet against the oracle LU's diagonal.
        int[] perm = new int[n];
        double[] ref = refLu(a, n, perm);
        double logAbs = 0;
        for (int i = 0; i < n; i++) logAbs += Math.log(Math.abs(ref[i * n + i]));
        double[] sd = LinalgKernels.slogdet(a, 0, n);
        assertEquals(logAbs, sd[1], 8 * gamma(n) * Math.max(1, Math.abs(logAbs)), what + ": slogdet");
        double signFromU = sign;
        for (int i = 0; i < n; i++) signFromU *= Math.signum(lu[i * n + i]);
        assertEquals(signFromU, sd[0], what + ": slogdet sign");
    }

    @Property(tries = 150)
    void luFactorSolveAndSlogdet(@ForAll @IntRange(min = 0, max = 40) int n,
                                 @ForAll @IntRange(min = 0, max = 9) int nrhs, @ForAll long seed) {
        checkLu(n, nrhs, seed);
        checkLu(n, 1, seed + 1);
    }

    @Property(tries = 100)
    void luAnyLeafWidth(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 41) int leaf,
                        @ForAll long seed) {
        checkLu(n, 3, seed, leaf);
    }

    @ParameterizedTest
    @ValueSource(ints = {47, 48, 100, 157, 200})
    void luLarge(int n) {
        checkLu(n, 5, 2000 + n);
        checkLu(n, n, 3000 + n);
    }

    @Test
    void luPivotsOnAZeroLeadingEntry() {
        double[] a = {0, 1, 1, 0};
        int[] piv = new int[2];
        assertEquals(-1, LinalgKernels.luFactor(a, 0, 2, piv, 0));
        assertArrayEquals(new int[] {1, 1}, piv);
        assertArrayEquals(new double[] {1, 0, 0, 1}, a);
    }

    /** Textbook oracle: adj(A)_ij = (-1)^(i+j) det(A without row j and column i), each minor's det through slogdet. */
    private static double[] adjugateByCofactors(double[] a, int n) {
        double[] adj = new double[n * n];
        if (n == 1) {
            adj[0] = 1;
            return adj;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double[] minor = new double[(n - 1) * (n - 1)];
                int k = 0;
                for (int r = 0; r < n; r++) {
                    if (r == j) continue;
                    for (int c = 0; c < n; c++) if (c != i) minor[k++] = a[r * n + c];
                }
                double[] sd = LinalgKernels.slogdet(minor, 0, n - 1);
                adj[i * n + j] = ((i + j) % 2 == 0 ? 1 : -1) * sd[0] * Math.exp(sd[1]);
            }
        }
        return adj;
    }

    /**
     * The adjugate against cofactor expansion on small integer matrices made exactly singular (a row or column repeated
     * once or twice: rank n - 1 or n - 2) or left regular; entries are O(1) and the minors' determinants O(5^n), so the
     * tolerance is 1e-12 of the largest cofactor.
     */
    @Property(tries = 200)
    void adjugateMatchesCofactorExpansion(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 0, max = 4) int kind,
                                          @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt(-2, 3);
        if (n >= 2 && kind >= 1) {                       // copy row 0 into row 1 (or column 0 into column 1)
            for (int t = 0; t < n; t++) {
                if (kind % 2 == 1) a[n + t] = a[t];
                else a[t * n + 1] = a[t * n];
            }
        }
        if (n >= 3 && kind >= 3) for (int t = 0; t < n; t++) a[2 * n + t] = 2 * a[t];  // and twice row 0 into row 2
        double[] want = adjugateByCofactors(a, n), got = new double[n * n];
        LinalgKernels.adjugate(a, 0, n, got, 0);
        double scale = 1;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < got.length; i++) assertEquals(want[i], got[i], 1e-12 * scale, "n " + n + " kind " + kind + " entry " + i);
    }

    @Test
    void adjugateEdgeCases() {
        double[] out = new double[4];
        LinalgKernels.adjugate(new double[] {1, 2, 2, 4}, 0, 2, out, 0);
        assertArrayEquals(new double[] {4, -2, -2, 1}, out, 0);
        LinalgKernels.adjugate(new double[] {0, 1, 0, 0}, 0, 2, out, 0);  // rank 1 with both pivots of partial LU zero
        assertArrayEquals(new double[] {0, -1, 0, 0}, out, 0);
        LinalgKernels.adjugate(new double[] {0, 0, 0, 0}, 0, 2, out, 0);
        assertArrayEquals(new double[] {0, 0, 0, 0}, out, 0);
        LinalgKernels.adjugate(new double[] {1, Double.NaN, 0, 1}, 0, 2, out, 0);
        assertTrue(Arrays.stream(out).allMatch(Double::isNaN));
        double[] one = new double[1];
        LinalgKernels.adjugate(new double[] {0}, 0, 1, one, 0);
        assertArrayEquals(new double[] {1}, one);
    }

    @Test
    void singularMatrices() {
        int[] piv = new int[70];
        assertEquals(0, LinalgKernels.luFactor(new double[] {1, 2, 2, 4}, 0, 2, piv, 0));
        assertEquals(0, LinalgKernels.luFactor(new double[] {0}, 0, 1, piv, 0));
        assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY}, LinalgKernels.slogdet(new double[] {1, 2, 2, 4}, 0, 2));
        double[] out = {9, 9, 9, 9};
        assertFalse(LinalgKernels.inverse(new double[] {1, 2, 2, 4}, 0, 2, out, 0));
        assertArrayEquals(new double[] {9, 9, 9, 9}, out, "inverse left out untouched");
        // A zero column deep in the recursion: every later step still completes.
        int n = 70;
        double[] a = general(new SplittableRandom(11), n);
        for (int i = 0; i < n; i++) a[i * n + 50] = 0.0;
        assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY}, LinalgKernels.slogdet(a, 0, n));
        assertEquals(0, LinalgKernels.luFactor(a.clone(), 0, n, piv, 0));
        for (int i = 0; i < n; i++) assertTrue(piv[i] >= i && piv[i] < n);
        assertFalse(LinalgKernels.inverse(a, 0, n, new double[n * n], 0));
    }

    @Test
    void emptyMatrices() {
        assertEquals(1, LinalgKernels.luFactor(new double[0], 0, 0, new int[0], 0));
        assertArrayEquals(new double[] {1, 0}, LinalgKernels.slogdet(new double[0], 0, 0));
        assertTrue(LinalgKernels.inverse(new double[0], 0, 0, new double[0], 0));
        LinalgKernels.choleskyInverse(new double[0], 0, 0, new double[0], 0);
        LinalgKernels.luSolve(new double[0], 0, 0, new int[0], 0, new double[0], 0, 4);
        LinalgKernels.triangularSolve(new double[0], 0, 0, true, false, false, new double[0], 0, 3);
    }

    // ------------------------------------------------------------------------------------------------ inverses

    private static void checkInverse(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = general(r, n);
        int aOff = r.nextInt(4), oOff = r.nextInt(4);
        double[] ab = embed(a, aOff, 2);
        double[] before = ab.clone();
        double[] ob = embed(new double[n * n], oOff, 3);
        assertTrue(LinalgKernels.inverse(ab, aOff, n, ob, oOff));
        assertArrayEquals(before, ab, "inverse modified its input");
        assertSentinels(ob, oOff, n * n, "inverse");
        double[] x = extract(ob, oOff, n * n);
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1.0;
        double tol = 8 * gamma(n) * maxAbs(mul(a, x, n, n, n, true));
        assertClose(mul(a, x, n, n, n, false), eye, tol, "A A⁻¹ = I, n=" + n);
        assertClose(mul(x, a, n, n, n, false), eye, tol, "A⁻¹ A = I, n=" + n);
        // In place: out is the same region as a.
        double[] same = a.clone();
        assertTrue(LinalgKernels.inverse(same, 0, n, same, 0));
        assertArrayEquals(x, same, "inverse in place");
    }

    private static void checkCholeskyInverse(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = spd(r, n);
        double[] l = new double[n * n];
        assertEquals(-1, LinalgKernels.cholesky(a, 0, n, l, 0));
        double[] lIn = l.clone();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) lIn[i * n + j] = Double.NaN;  // never read
        int oOff = r.nextInt(4);
        double[] ob = embed(new double[n * n], oOff, 2);
        LinalgKernels.choleskyInverse(lIn, 0, n, ob, oOff);
        assertSentinels(ob, oOff, n * n, "choleskyInverse");
        double[] x = extract(ob, oOff, n * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) assertEquals(x[i * n + j], x[j * n + i], "symmetry at (" + i + ", " + j + ")");
        }
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1.0;
        double tol = 8 * gamma(n) * maxAbs(mul(a, x, n, n, n, true));
        assertClose(mul(a, x, n, n, n, false), eye, tol, "A (L Lᵀ)⁻¹ = I, n=" + n);
        // slogdet of an SPD matrix is 2 Σ log L_ii.
        double twoSumLog = 0;
        for (int i = 0; i < n; i++) twoSumLog += 2 * Math.log(l[i * n + i]);
        double[] sd = LinalgKernels.slogdet(a, 0, n);
        assertEquals(1.0, sd[0], "SPD determinant sign");
        assertEquals(twoSumLog, sd[1], 8 * gamma(n) * Math.max(1, Math.abs(twoSumLog)), "slogdet vs 2 Σ log L_ii");
    }

    @Property(tries = 150)
    void inversesAreInverses(@ForAll @IntRange(min = 0, max = 40) int n, @ForAll long seed) {
        checkInverse(n, seed);
        checkCholeskyInverse(n, seed);
    }

    @ParameterizedTest
    @ValueSource(ints = {47, 64, 100, 149, 200})
    void inversesLarge(int n) {
        checkInverse(n, 4000 + n);
        checkCholeskyInverse(n, 5000 + n);
    }

    @Test
    void inverseMatchesNumpy() {
        // numpy.linalg.inv(G) and numpy.linalg.slogdet(G); det G = -263.
        double[] g = {0, 2, 1, -3, 1, 1, 4, 2, -2, 5, 1, 1, 3, 0, -1, 2};
        double[] want = {
            0.17870722433460076, 0.04182509505703422, -0.07984790874524714, 0.26615969581749044,
            0.11026615969581749, -0.03802281368821293, 0.16349809885931563, 0.12167300380228137,
            0.04942965779467681, 0.22433460076045628, -0.06463878326996197, -0.11787072243346007,
            -0.24334600760456274, 0.04942965779467681, 0.08745247148288973, 0.04182509505703422};
        double[] inv = new double[16];
        assertTrue(LinalgKernels.inverse(g, 0, 4, inv, 0));
        assertClose(inv, want, 1e-15, "inverse vs numpy");
        double[] sd = LinalgKernels.slogdet(g, 0, 4);
        assertEquals(-1.0, sd[0]);
        assertEquals(5.572154032177766, sd[1], 8 * EPS * 5.6, "slogdet vs numpy");  // log 263
    }

    /** Every order up to 70 once, deterministically: all SIMD tails, all 4-row block remainders, all LU splits. */
    @Test
    void everyOrderUpTo70() {
        for (int n = 0; n <= 70; n++) {
            checkCholesky(n, 6000 + n, false);
            checkCholesky(n, 6100 + n, true);
            checkLu(n, n % 13 + 1, 6200 + n, 0);
            checkLu(n, 2, 6300 + n, LinalgKernels.LU_LEAF);
            checkInverse(n, 6400 + n);
            checkCholeskyInverse(n, 6500 + n);
            for (int combo = 0; combo < 8; combo++) {
                boolean lower = (combo & 1) != 0, trans = (combo & 2) != 0, unit = (combo & 4) != 0;
                checkTriangularSolve(n, 1, 6600 + n, lower, trans, unit);
                checkTriangularSolve(n, n % 19 + 2, 6700 + n, lower, trans, unit);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ bad input

    @Test
    void badInputSaysWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinalgKernels.cholesky(new double[4], 0, -1, new double[4], 0));
        assertEquals("cholesky: order n must be >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinalgKernels.cholesky(new double[8], 0, 3, new double[9], 0));
        assertEquals("cholesky: a must hold 3x3 = 9 elements from offset 0, but its length is 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinalgKernels.triangularSolve(new double[9], 0, 3, true, false, false, new double[5], 1, 2));
        assertEquals("triangularSolve: b must hold 3x2 = 6 elements from offset 1, but its length is 5", e.getMessage());
        double[] shared = new double[20];
        e = assertThrows(IllegalArgumentException.class,
                () -> LinalgKernels.triangularSolve(shared, 0, 3, true, false, false, shared, 6, 2));
        assertEquals("triangularSolve: a [0, 9) and b [6, 12) overlap in the same array", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinalgKernels.luSolve(new double[4], 0, 2, new int[] {0, 5}, 0, new double[2], 0, 1));
        assertEquals("luSolve: piv[1] = 5 is outside [0, 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinalgKernels.luFactor(new double[4], 0, 2, new int[1], 0));
        assertEquals("luFactor: piv must hold 2 elements from offset 0, but its length is 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinalgKernels.choleskyInverse(shared, 0, 2, shared, 3));
        assertEquals("choleskyInverse: l [0, 4) and out [3, 7) overlap in the same array", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinalgKernels.slogdet(new double[4], -1, 2));
        assertEquals("slogdet: a must hold 2x2 = 4 elements from offset -1, but its length is 4", e.getMessage());
        assertThrows(NullPointerException.class, () -> LinalgKernels.inverse(null, 0, 2, new double[4], 0));
    }
}
