// Elementwise kernels over strided operands with NumPy broadcasting (a broadcast dim has stride 0). The output is
// contiguous unless the kernel takes its strides. Built once per element type T; the op code is an argument.

__kernel void copy_strided(__global T* out, int oo, int8 os, __global const T* x, int xo, int8 xs, int8 shape, int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int po, px;
    pos2(i, rank, shape, os, oo, xs, xo, &po, &px);
    out[po] = x[px];
}

__kernel void fill_strided(__global T* out, int oo, int8 os, int8 shape, int rank, int n, T v) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[pos1(i, rank, shape, os, oo)] = v;
}

#ifdef FLOATING

// ---- digamma, trigamma, polygamma: engine/cpu/Special.java operation for operation, in acc_t (double when the
// device has fp64, as the CPU computes F32 in double and rounds once). The tables come from ClGammaTables.

inline acc_t digamma_pos(acc_t x) {
    acc_t dz = (x - (acc_t) PSI_ROOT_HI) - (acc_t) PSI_ROOT_LO;
    if (fabs(dz) < (acc_t) 0.25) {
        acc_t s = 0;
        for (int k = 23; k >= 0; k--) s = s * dz + PSI_ROOT[k];
        return s * dz;
    }
    acc_t acc = 0;
    while (x < 10) {
        acc -= 1 / x;
        x += 1;
    }
    acc_t xi2 = 1 / (x * x), s = 0;
    for (int k = 7; k >= 0; k--) s = s * xi2 + PSI_ASYMP[k];
    return acc + log(x) - (acc_t) 0.5 / x - xi2 * s;
}

inline acc_t digamma_acc(acc_t x) {
    if (x != x || x == INFINITY) return x;
    if (x == -INFINITY) return NAN;
    if (x == 0) return copysign((acc_t) INFINITY, -x);
    if (x < 0) {
        if (x == floor(x)) return NAN;
        return digamma_pos(1 - x) - ACC_PI / tanpi(x);
    }
    return digamma_pos(x);
}

inline acc_t trigamma_pos(acc_t x) {
    acc_t acc = 0;
    while (x < 10) {
        acc += 1 / (x * x);
        x += 1;
    }
    acc_t xi = 1 / x, xi2 = xi * xi, s = 0;
    for (int k = 8; k >= 0; k--) s = s * xi2 + BERNOULLI[k];
    return acc + xi + (acc_t) 0.5 * xi2 + xi * xi2 * s;
}

inline acc_t trigamma_acc(acc_t x) {
    if (x != x) return x;
    if (x == INFINITY) return 0;
    if (x == -INFINITY) return NAN;
    if (x <= 0 && x == floor(x)) return INFINITY;
    if (x < 0) {
        acc_t s = sinpi(x);
        return ACC_PI * ACC_PI / (s * s) - trigamma_pos(1 - x);
    }
    return trigamma_pos(x);
}

inline acc_t em_tail(int s, acc_t w) {
    acc_t wi = 1 / w, wi2 = wi * wi;
    acc_t t = w / (s - 1) + (acc_t) 0.5, f = s * wi;
    for (int j = 1; j <= 17; j++) {
        acc_t term = EM[j - 1] * f;
        t += term;
        if (fabs(term) < (acc_t) 1e-18 * t) break;
        f *= ((acc_t) s + 2 * j - 1) * ((acc_t) s + 2 * j) * wi2;
    }
    return t;
}

inline acc_t hurwitz(int s, acc_t a) {
    acc_t lim = fmax((acc_t) 10, (acc_t) s + 10), sum = 0;
    int k = 0;
    for (; a + k < lim; k++) sum += pow(a + k, (acc_t) -s);
    acc_t w = a + k;
    return sum + pow(w, (acc_t) -s) * em_tail(s, w);
}

inline acc_t log_hurwitz(int s, acc_t a) {
    acc_t lim = fmax((acc_t) 10, (acc_t) s + 10), sum = 0;
    int k = 0;
    for (; a + k < lim; k++) sum += pow(a / (a + k), (acc_t) s);
    acc_t w = a + k;
    sum += pow(a / w, (acc_t) s) * em_tail(s, w);
    return log(sum) - s * log(a);
}

/** P_n(c) with d^n/dy^n cot(y) = P_n(cot y); n <= 32 (the host sends larger orders to the CPU). */
inline acc_t cot_poly(int n, acc_t c) {
    acc_t p[35], q[35];
    for (int k = 0; k < 35; k++) p[k] = 0;
    p[1] = 1;
    int len = 2;
    for (int m = 1; m <= n; m++) {
        for (int k = 0; k < len + 1; k++) q[k] = 0;
        for (int k = 1; k < len; k++) {
            q[k - 1] -= k * p[k];
            q[k + 1] -= k * p[k];
        }
        len++;
        for (int k = 0; k < len; k++) p[k] = q[k];
    }
    acc_t r = 0;
    for (int k = len - 1; k >= 0; k--) r = r * c + p[k];
    return r;
}

inline acc_t polygamma_pos(int n, acc_t x, acc_t fact, acc_t lfact) {
    acc_t sign = (n & 1) == 1 ? 1 : -1;
    acc_t z = hurwitz(n + 1, x);
    if (z > (acc_t) ACC_TINY) return sign * (fact * z);
    return sign * exp(lfact + log_hurwitz(n + 1, x));
}

inline acc_t polygamma_acc(int n, acc_t x, acc_t fact, acc_t lfact) {
    if (n == 0) return digamma_acc(x);
    if (n == 1) return trigamma_acc(x);
    if (x != x) return x;
    acc_t sign = (n & 1) == 1 ? 1 : -1;
    if (x == INFINITY) return sign * (acc_t) 0;
    if (x == -INFINITY) return NAN;
    if (x <= 0 && x == floor(x)) return sign * (acc_t) INFINITY;
    if (x < 0) {
        acc_t q = polygamma_pos(n, 1 - x, fact, lfact);
        acc_t c = cot_poly(n, 1 / tanpi(x));
        return ((n & 1) == 0 ? q : -q) - pow(ACC_PI, (acc_t) (n + 1)) * c;
    }
    return polygamma_pos(n, x, fact, lfact);
}

// ---- erf, erfc, erfcx: engine/cpu/SpecialExtra.java operation for operation, in acc_t

#ifdef USE_FP64
#define ERF_EPS 0x1p-52
#else
#define ERF_EPS 0x1p-23f
#endif

/** erf for |x| < 2.5: the Maclaurin series summed with its rounding errors carried (Neumaier), 2/sqrt(pi) in two parts. */
inline acc_t erf_series(acc_t x) {
    acc_t x2 = x * x, term = x, sum = x, carry = 0;
    for (int n = 1; n < 100; n++) {
        term *= -x2 / n;
        acc_t t = term / (2 * n + 1), next = sum + t;
        carry += fabs(sum) >= fabs(t) ? (sum - next) + t : (t - next) + sum;
        sum = next;
        if (fabs(t) < (acc_t) 1e-17 * fabs(sum)) break;
    }
    acc_t c = (acc_t) 1.1283791670955126, clo = (acc_t) 1.5335459613165881e-17;
    acc_t hi = c * sum;
    return hi + (fma(c, sum, -hi) + (clo * sum + c * carry));
}

/** Laplace's continued fraction K(x) = e^(-x^2) / (sqrt(pi) erfc x), modified Lentz, for x >= 1. */
inline acc_t erfc_fraction(acc_t x) {
    acc_t f = x, c = x, d = 0;
    for (int n = 1; n < 1000; n++) {
        acc_t an = n / (acc_t) 2;
        d = x + an * d;
        if (d == 0) d = ACC_TINY;
        c = x + an / c;
        if (c == 0) c = ACC_TINY;
        d = 1 / d;
        acc_t delta = c * d;
        f *= delta;
        if (fabs(delta - 1) <= ERF_EPS) break;
    }
    return f;
}

inline acc_t erfc_pos(acc_t x);

inline acc_t erf_acc(acc_t x) {
    if (x != x) return x;
    acc_t ax = fabs(x);
    if (ax < (acc_t) 2.5) return erf_series(x);
    acc_t r = 1 - erfc_pos(ax);
    return x < 0 ? -r : r;
}

/** erfc for x >= -1 (the caller reflects below). */
inline acc_t erfc_pos(acc_t x) {
    if (x < 1) return 1 - erf_series(x);
    if (x > (acc_t) 27.3) return 0;
    acc_t hi = x * x, lo = fma(x, x, -hi);
    return exp(-hi) * (1 - lo) / (sqrt(ACC_PI) * erfc_fraction(x));
}

inline acc_t erfc_acc(acc_t x) {
    if (x != x) return x;
    if (x < -1) return 2 - erfc_pos(-x);
    return erfc_pos(x);
}

inline acc_t erfcx_acc(acc_t x) {
    if (x != x) return x;
    if (x > (acc_t) 1e8) return 1 / (sqrt(ACC_PI) * x);
    if (x >= 1) return 1 / (sqrt(ACC_PI) * erfc_fraction(x));
    if (x < -27) return INFINITY;
    acc_t hi = x * x, lo = fma(x, x, -hi);
    return exp(hi) * (1 + lo) * erfc_acc(x);
}

/** One element of a UnaryOp, as engine/cpu/RefF32 and RefF64 define it. */
inline T unary_op(int op, T v) {
    switch (op) {
        case OP_NEG: return -v;
        case OP_ABS: return fabs(v);
        case OP_SIGN: return v > 0 ? (T) 1 : v < 0 ? (T) -1 : v;          // Math.signum: keeps ±0 and NaN
        case OP_EXP: return exp(v);
        case OP_EXPM1: return expm1(v);
        case OP_LOG: return log(v);
        case OP_LOG1P: return log1p(v);
        case OP_SQRT: return sqrt(v);
        case OP_SIN: return sin(v);
        case OP_COS: return cos(v);
        case OP_TANH: return tanh(v);
        case OP_SIGMOID: return 1 / (1 + exp(-v));                        // exp(-v) = inf gives 0, never NaN
        case OP_RELU: return v != v ? v : v > 0 ? v : (T) 0;              // Math.max(v, 0): NaN stays, -0 gives +0
        case OP_LGAMMA: return (T) lgamma((acc_t) v);
        case OP_DIGAMMA: return (T) digamma_acc((acc_t) v);
        case OP_TRIGAMMA: return (T) trigamma_acc((acc_t) v);
        case OP_RECIPROCAL: return 1 / v;
        case OP_SQUARE: return v * v;
        case OP_FLOOR: return floor(v);
        case OP_CEIL: return ceil(v);
        case OP_ROUND: return rint(v);                                     // half to even, as torch.round
        case OP_TRUNC: return trunc(v);
        case OP_ATAN: return atan(v);
        case OP_ASIN: return asin(v);
        case OP_ACOS: return acos(v);
        case OP_ERFC: return (T) erfc_acc((acc_t) v);
        case OP_ERFCX: return (T) erfcx_acc((acc_t) v);
        default: return NAN;
    }
}

__kernel void unary(int op, __global T* out, __global const T* x, int xo, int8 xs, int8 shape, int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = unary_op(op, x[pos1(i, rank, shape, xs, xo)]);
}

__kernel void unary_contiguous(int op, __global T* out, __global const T* x, int xo, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = unary_op(op, x[xo + i]);
}

__kernel void polygamma(int order, acc_t fact, acc_t lfact, __global T* out, __global const T* x, int xo, int8 xs, int8 shape,
                        int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = (T) polygamma_acc(order, (acc_t) x[pos1(i, rank, shape, xs, xo)], fact, lfact);
}

__kernel void clamp_k(__global T* out, __global const T* x, int xo, int8 xs, int8 shape, int rank, int n, T lo, T hi) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = jmin(jmax(x[pos1(i, rank, shape, xs, xo)], lo), hi);
}

/** Math.pow's special cases where C's pow differs: a NaN exponent, and |a| = 1 with an infinite exponent, give NaN. */
inline T jpow(T a, T b) {
    if (b != b) return b;
    if (isinf(b) && fabs(a) == 1) return NAN;
    return pow(a, b);
}

inline T binary_op(int op, T a, T b) {
    switch (op) {
        case BOP_ADD: return a + b;
        case BOP_SUB: return a - b;
        case BOP_MUL: return a * b;
        case BOP_DIV: return a / b;
        case BOP_POW: return jpow(a, b);
        case BOP_MAX: return jmax(a, b);
        case BOP_MIN: return jmin(a, b);
        case BOP_ATAN2: return atan2(a, b);
        case BOP_FMOD: return fmod(a, b);                                  // exact, as Java's %
        default: return NAN;
    }
}

#else  // long and uchar

inline T binary_op(int op, T a, T b) {
    switch (op) {
        case BOP_ADD: return a + b;
        case BOP_SUB: return a - b;
        case BOP_MUL: return a * b;
        case BOP_MAX: return a > b ? a : b;
        case BOP_MIN: return a < b ? a : b;
        case BOP_AND: return a && b;
        case BOP_OR: return a || b;
        default: return 0;
    }
}

/** NEG, ABS, SIGN, SQUARE on I64; NOT on BOOL (the host checks the op is defined for the dtype). */
inline T unary_op(int op, T v) {
    switch (op) {
        case OP_NEG: return -v;
        case OP_ABS: return v < 0 ? -v : v;
        case OP_SIGN: return v > 0 ? 1 : v < 0 ? (T) -1 : 0;
        case OP_SQUARE: return v * v;
        case OP_NOT: return !v;
        default: return 0;
    }
}

__kernel void unary(int op, __global T* out, __global const T* x, int xo, int8 xs, int8 shape, int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = unary_op(op, x[pos1(i, rank, shape, xs, xo)]);
}

__kernel void unary_contiguous(int op, __global T* out, __global const T* x, int xo, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = unary_op(op, x[xo + i]);
}

#endif

inline uchar compare_op(int op, T a, T b) {
    switch (op) {
        case BOP_EQ: return a == b;
        case BOP_NE: return a != b;
        case BOP_LT: return a < b;
        case BOP_LE: return a <= b;
        case BOP_GT: return a > b;
        case BOP_GE: return a >= b;
        default: return 0;
    }
}

__kernel void binary(int op, __global T* out, __global const T* a, int ao, int8 as, __global const T* b, int bo, int8 bs,
                     int8 shape, int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int pa, pb;
    pos2(i, rank, shape, as, ao, bs, bo, &pa, &pb);
    out[i] = binary_op(op, a[pa], b[pb]);
}

/** The fast path: a contiguous, b contiguous (bstep 1) or one element (bstep 0). */
__kernel void binary_contiguous(int op, __global T* out, __global const T* a, int ao, __global const T* b, int bo, int bstep, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = binary_op(op, a[ao + i], b[bo + i * bstep]);
}

__kernel void compare(int op, __global uchar* out, __global const T* a, int ao, int8 as, __global const T* b, int bo, int8 bs,
                      int8 shape, int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int pa, pb;
    pos2(i, rank, shape, as, ao, bs, bo, &pa, &pb);
    out[i] = compare_op(op, a[pa], b[pb]);
}

__kernel void where_k(__global T* out, __global const uchar* c, int co, int8 cs, __global const T* a, int ao, int8 as,
                      __global const T* b, int bo, int8 bs, int8 shape, int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int pc, pa, pb;
    pos3(i, rank, shape, cs, co, as, ao, bs, bo, &pc, &pa, &pb);
    out[i] = c[pc] ? a[pa] : b[pb];
}
