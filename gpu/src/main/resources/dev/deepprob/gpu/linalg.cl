// Batched dense linear algebra for ClLinalg, on contiguous stacks of nb n×n matrices in acc_t (double where the device
// has fp64; the CPU computes in double for F32 too). One launch per column for the factorisations (right-looking:
// every work-item of a step updates one element, so a step exposes nb·(n - k)² parallelism); the substitutions run
// one work-item per right-hand side (nb·nrhs of them), each sweeping its column in order. Built once, with T = float.

/** Cholesky, column k: L[i][k] for i >= k from the partly reduced W; bad[b] records the first failing order (1-based). */
__kernel void chol_col(__global const acc_t* w, __global acc_t* l, int n, int nb, int k, __global int* bad) {
    long g = get_global_id(0), m = n - k;
    if (g >= (long) nb * m) return;
    long b = g / m;
    int i = k + (int) (g % m);
    __global const acc_t* W = w + b * n * n;
    acc_t d = W[(long) k * n + k];
    if (!(d > 0) && i == k && bad[b] == 0) bad[b] = k + 1;      // a NaN pivot counts as not positive, as on the CPU
    acc_t s = sqrt(d);
    l[b * n * n + (long) i * n + k] = i == k ? s : W[(long) i * n + k] / s;
}

/** Cholesky, the trailing update after column k: W[i][j] -= L[i][k] L[j][k] for k < j <= i (the lower triangle only). */
__kernel void chol_update(__global acc_t* w, __global const acc_t* l, int n, int nb, int k) {
    long g = get_global_id(0), m = n - k - 1;
    if (g >= (long) nb * m * m) return;
    long b = g / (m * m), r = g % (m * m);
    int i = k + 1 + (int) (r / m), j = k + 1 + (int) (r % m);
    if (j > i) return;
    __global const acc_t* L = l + b * n * n;
    w[b * n * n + (long) i * n + j] -= L[(long) i * n + k] * L[(long) j * n + k];
}

/** LU, step k, one work-item per matrix: the partial pivot (largest |a| in column k; a NaN is never chosen), the row swap. */
__kernel void lu_pivot(__global acc_t* a, __global int* piv, __global int* sing, __global int* odd, int n, int nb, int k) {
    int b = get_global_id(0);
    if (b >= nb) return;
    __global acc_t* A = a + (long) b * n * n;
    int p = k;
    acc_t max = fabs(A[(long) k * n + k]);
    for (int i = k + 1; i < n; i++) {
        acc_t v = fabs(A[(long) i * n + k]);
        if (v > max) {
            max = v;
            p = i;
        }
    }
    piv[(long) b * n + k] = p;
    if (p != k) {
        for (int j = 0; j < n; j++) {
            acc_t t = A[(long) k * n + j];
            A[(long) k * n + j] = A[(long) p * n + j];
            A[(long) p * n + j] = t;
        }
        odd[b] ^= 1;
    }
    if (A[(long) k * n + k] == 0) sing[b] = 1;                  // the column below is zero too: nothing to eliminate
}

/** LU, step k: A[i][j] -= (A[i][k] / A[k][k]) A[k][j] for i, j > k (the multipliers are stored by lu_scale after). */
__kernel void lu_update(__global acc_t* a, int n, int nb, int k) {
    long g = get_global_id(0), m = n - k - 1;
    if (g >= (long) nb * m * m) return;
    long b = g / (m * m), r = g % (m * m);
    int i = k + 1 + (int) (r / m), j = k + 1 + (int) (r % m);
    __global acc_t* A = a + b * n * n;
    acc_t d = A[(long) k * n + k];
    if (d == 0) return;
    A[(long) i * n + j] -= A[(long) i * n + k] / d * A[(long) k * n + j];
}

/** LU, step k: the multipliers L[i][k] = A[i][k] / A[k][k]. */
__kernel void lu_scale(__global acc_t* a, int n, int nb, int k) {
    long g = get_global_id(0), m = n - k - 1;
    if (g >= (long) nb * m) return;
    long b = g / m;
    int i = k + 1 + (int) (g % m);
    __global acc_t* A = a + b * n * n;
    acc_t d = A[(long) k * n + k];
    if (d == 0) return;
    A[(long) i * n + k] /= d;
}

/** Solves A X = B from the LU factors, one work-item per (matrix, column of B): B := P B, L Y = B, U X = Y. */
__kernel void lu_solve(__global const acc_t* lu, __global const int* piv, __global acc_t* x, int n, int nrhs, int nb) {
    long g = get_global_id(0);
    if (g >= (long) nb * nrhs) return;
    long b = g / nrhs;
    int c = (int) (g % nrhs);
    __global const acc_t* A = lu + b * n * n;
    __global acc_t* X = x + b * n * nrhs + c;
    for (int i = 0; i < n; i++) {
        int p = piv[b * n + i];
        if (p != i) {
            acc_t t = X[(long) i * nrhs];
            X[(long) i * nrhs] = X[(long) p * nrhs];
            X[(long) p * nrhs] = t;
        }
    }
    for (int i = 0; i < n; i++) {
        acc_t s = X[(long) i * nrhs];
        for (int j = 0; j < i; j++) s -= A[(long) i * n + j] * X[(long) j * nrhs];
        X[(long) i * nrhs] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
        acc_t s = X[(long) i * nrhs];
        for (int j = i + 1; j < n; j++) s -= A[(long) i * n + j] * X[(long) j * nrhs];
        X[(long) i * nrhs] = s / A[(long) i * n + i];
    }
}

/**
 * Solves op(A) x = b for every right-hand side vector, op(A) = A or Aᵀ, reading only A's named triangle (the diagonal
 * taken as 1 when unit). Vector c of matrix b has element i at x[b·n·nrhs + i·si + c·sc].
 */
__kernel void tri_solve(__global const acc_t* a, __global acc_t* x, int n, int nrhs, int nb, int lower, int trans, int unit,
                        int si, int sc) {
    long g = get_global_id(0);
    if (g >= (long) nb * nrhs) return;
    long b = g / nrhs;
    int c = (int) (g % nrhs);
    __global const acc_t* A = a + b * n * n;
    __global acc_t* X = x + b * n * nrhs + (long) c * sc;
    int forward = lower != trans;
    for (int s0 = 0; s0 < n; s0++) {
        int i = forward ? s0 : n - 1 - s0;
        acc_t s = X[(long) i * si];
        if (forward) {
            for (int j = 0; j < i; j++) s -= (trans ? A[(long) j * n + i] : A[(long) i * n + j]) * X[(long) j * si];
        } else {
            for (int j = i + 1; j < n; j++) s -= (trans ? A[(long) j * n + i] : A[(long) i * n + j]) * X[(long) j * si];
        }
        X[(long) i * si] = unit ? s : s / A[(long) i * n + i];
    }
}

/** sign(det A) and log|det A| from the LU factors, one work-item per matrix (the CPU's order of summation). */
__kernel void lu_slogdet(__global const acc_t* lu, __global const int* sing, __global const int* odd, __global acc_t* sign,
                         __global acc_t* logabs, int n, int nb) {
    int b = get_global_id(0);
    if (b >= nb) return;
    if (sing[b]) {
        sign[b] = 0;
        logabs[b] = -INFINITY;
        return;
    }
    __global const acc_t* A = lu + (long) b * n * n;
    int s = odd[b] ? -1 : 1;
    acc_t la = 0;
    for (int i = 0; i < n; i++) {
        acc_t u = A[(long) i * n + i];
        if (u < 0) s = -s;
        la += log(fabs(u));
    }
    sign[b] = s;
    logabs[b] = la;
}

/** Writes identity matrices into a contiguous stack. */
__kernel void eye_k(__global acc_t* x, int n, int nb) {
    long g = get_global_id(0);
    if (g >= (long) nb * n * n) return;
    long r = g % ((long) n * n);
    x[g] = r / n == r % n ? 1 : 0;
}
