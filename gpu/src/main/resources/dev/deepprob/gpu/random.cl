// The random samplers: engine/cpu/RngPhilox, RngStream and RngKernels operation for operation, so that a seed gives
// the CPU's numbers (up to the rounding of log, sin, cos, sqrt and pow, which the CPU takes from StrictMath). Every
// kernel gets the generator's key and the first counter of the blocks the CPU's call would use
// (Generator.reserveBlocks) and reads block (key, ctr + b) or, for the rejection samplers, element i's private
// sub-stream (key, ctr + i, 0), (key, ctr + i, 1), ... Built once, with T = float (the F64 kernels need USE_FP64);
// the CPU computes in double and rounds F32 results once, and so do these kernels where the device has fp64 (acc_t).

// ---- Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC 2011)

inline uint4 philox(uint k0, uint k1, uint c0, uint c1, uint c2, uint c3) {
    for (int r = 0; r < 10; r++) {
        uint hi0 = mul_hi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint hi1 = mul_hi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return (uint4)(c0, c1, c2, c3);
}

/** Block at counter (lo + hi 2^64) under key (low word k0), as RngPhilox.block(long, long, long, int[]). */
inline uint4 block(ulong key, ulong lo, ulong hi) {
    return philox((uint) key, (uint) (key >> 32), (uint) lo, (uint) (lo >> 32), (uint) hi, (uint) (hi >> 32));
}

inline uint word(uint4 w, int j) { return j == 0 ? w.x : j == 1 ? w.y : j == 2 ? w.z : w.w; }

inline ulong join(uint lo, uint hi) { return (ulong) lo | ((ulong) hi << 32); }

// [0, 1) from the top 53 bits, (0, 1) from the top 53 bits, (0, 1) from one word: exact in double
inline acc_t unit53(ulong bits) { return (acc_t) (bits >> 11) * (acc_t) 0x1.0p-53; }
inline acc_t open_unit53(ulong bits) { return ((acc_t) (bits >> 11) + (acc_t) 0.5) * (acc_t) 0x1.0p-53; }
inline acc_t open_unit32(uint w) { return ((acc_t) w + (acc_t) 0.5) * (acc_t) 0x1.0p-32; }

#ifdef USE_FP64
#define TWO_PI_ACC (2.0 * M_PI)
#define ACC_MIN_NORMAL DBL_MIN
#else
#define TWO_PI_ACC (2.0f * M_PI_F)
#define ACC_MIN_NORMAL FLT_MIN
#endif

// ---- one element's sub-stream (RngStream)

typedef struct {
    ulong key, ctr, sub;
    uint4 buf;
    int pos, has_spare;
    acc_t spare;
} stream;

inline void stream_reset(stream* s, ulong key, ulong ctr) {
    s->key = key;
    s->ctr = ctr;
    s->sub = 0;
    s->pos = 4;
    s->has_spare = 0;
}

inline uint next_int(stream* s) {
    if (s->pos == 4) {
        s->buf = block(s->key, s->ctr, s->sub++);
        s->pos = 0;
    }
    return word(s->buf, s->pos++);
}

inline ulong next_long(stream* s) {
    uint lo = next_int(s);
    return join(lo, next_int(s));
}

inline acc_t next_double(stream* s) { return unit53(next_long(s)); }
inline acc_t next_open_double(stream* s) { return open_unit53(next_long(s)); }

inline acc_t next_normal(stream* s) {
    if (s->has_spare) {
        s->has_spare = 0;
        return s->spare;
    }
    acc_t r = sqrt((acc_t) -2 * log(next_open_double(s)));
    acc_t t = TWO_PI_ACC * next_double(s);
    s->spare = r * sin(t);
    s->has_spare = 1;
    return r * cos(t);
}

/** Lemire's unbiased value in [0, range) for an unsigned 64-bit range (0 means 2^64). */
inline ulong next_below64(stream* s, ulong range) {
    ulong x = next_long(s);
    if (range == 0) return x;
    ulong lo = x * range;
    if (lo < range) {
        ulong threshold = (0 - range) % range;
        while (lo < threshold) {
            x = next_long(s);
            lo = x * range;
        }
    }
    return mul_hi(x, range);
}

/** Lemire's unbiased int in [0, bound) from 32-bit words, bound > 0. */
inline uint next_below32(stream* s, uint bound) {
    ulong m = (ulong) next_int(s) * bound;
    uint lo = (uint) m;
    if (lo < bound) {
        uint threshold = (0u - bound) % bound;
        while (lo < threshold) {
            m = (ulong) next_int(s) * bound;
            lo = (uint) m;
        }
    }
    return (uint) (m >> 32);
}

// ---- fills from fixed blocks

/** Uniform floats, four per block from 24 bits of each word, computed in acc_t and rounded once. */
__kernel void uniform_f32(__global float* out, long n, ulong key, ulong ctr, acc_t lo, acc_t span, float high, float top) {
    long b = get_global_id(0), base = b * 4;
    if (base >= n) return;
    uint4 w = block(key, ctr + b, 0);
    int m = (int) min((long) 4, n - base);
    for (int j = 0; j < m; j++) {
        float v = (float) (lo + ((acc_t) (word(w, j) >> 8) * (acc_t) 0x1.0p-24) * span);
        out[base + j] = v < high ? v : top;
    }
}

/** Normal floats by Box-Muller on 32-bit uniforms: two pairs, four values per block. */
__kernel void normal_f32(__global float* out, long n, ulong key, ulong ctr, acc_t mu, acc_t sd) {
    long b = get_global_id(0), base = b * 4;
    if (base >= n) return;
    uint4 w = block(key, ctr + b, 0);
    int m = (int) min((long) 4, n - base);
    for (int p = 0; p < m; p += 2) {
        acc_t r = sqrt((acc_t) -2 * log(open_unit32(word(w, p))));
        acc_t t = TWO_PI_ACC * ((acc_t) word(w, p + 1) * (acc_t) 0x1.0p-32);
        out[base + p] = (float) (mu + sd * (r * cos(t)));
        if (p + 1 < m) out[base + p + 1] = (float) (mu + sd * (r * sin(t)));
    }
}

#ifdef USE_FP64
/** Uniform doubles, two per block from 53 bits of each word pair; a span that overflows is scaled by 1/2. */
__kernel void uniform_f64(__global double* out, long n, ulong key, ulong ctr, double low, double span, int wide, double halfspan,
                          double high, double top) {
    long b = get_global_id(0), base = b * 2;
    if (base >= n) return;
    uint4 w = block(key, ctr + b, 0);
    int m = (int) min((long) 2, n - base);
    for (int j = 0; j < m; j++) {
        double u = unit53(join(word(w, 2 * j), word(w, 2 * j + 1)));
        double v = wide ? 2.0 * (0.5 * low + u * halfspan) : low + u * span;
        out[base + j] = v < high ? v : top;
    }
}

/** Normal doubles by Box-Muller on 53-bit uniforms: one pair per block. */
__kernel void normal_f64(__global double* out, long n, ulong key, ulong ctr, double mean, double sd) {
    long b = get_global_id(0), base = b * 2;
    if (base >= n) return;
    uint4 w = block(key, ctr + b, 0);
    double r = sqrt(-2.0 * log(open_unit53(join(w.x, w.y))));
    double t = TWO_PI_ACC * unit53(join(w.z, w.w));
    out[base] = mean + sd * (r * cos(t));
    if (base + 1 < n) out[base + 1] = mean + sd * (r * sin(t));
}
#endif

/** Bernoulli(p) flags, true when a 53-bit uniform is below p: two per block. */
__kernel void bernoulli_k(__global uchar* out, long n, ulong key, ulong ctr, acc_t p) {
    long b = get_global_id(0), base = b * 2;
    if (base >= n) return;
    uint4 w = block(key, ctr + b, 0);
    out[base] = unit53(join(w.x, w.y)) < p ? 1 : 0;
    if (base + 1 < n) out[base + 1] = unit53(join(w.z, w.w)) < p ? 1 : 0;
}

/** Uniform longs in [low, low + range), element i from its sub-stream at ctr + i (Lemire). */
__kernel void randint_k(__global long* out, long n, ulong key, ulong ctr, long low, ulong range) {
    long i = get_global_id(0);
    if (i >= n) return;
    stream s;
    stream_reset(&s, key, ctr + i);
    out[i] = (long) ((ulong) low + next_below64(&s, range));
}

/** Fisher-Yates over 0..n-1 from the one sub-stream at ctr: sequential, so one work-item does it all. */
__kernel void permutation_k(__global long* out, int n, ulong key, ulong ctr) {
    if (get_global_id(0) != 0) return;
    for (int i = 0; i < n; i++) out[i] = i;
    stream s;
    stream_reset(&s, key, ctr);
    for (int i = n - 1; i > 0; i--) {
        int j = (int) next_below32(&s, (uint) (i + 1));
        long t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
}

// ---- multinomial: rows of k weights (acc_t, contiguous)

/**
 * Per row (one work-item each, so the running sums are the CPU's, in order): the cdf, the last positive category, the
 * number of positive weights, and the first failure of Generator.checkWeights as {code, index, value} in err:
 * 1 a weight not finite or negative (at index, value), 2 the weights sum to 0, 3 the sum overflows.
 */
__kernel void mn_prepare(__global const acc_t* w, int wo, int rows, int k, __global acc_t* cdf, __global int* last,
                         __global int* positive, __global acc_t* err) {
    int r = get_global_id(0);
    if (r >= rows) return;
    acc_t sum = 0;
    int lp = -1, pos = 0, code = 0, at = 0;
    acc_t bad = 0;
    for (int c = 0; c < k; c++) {
        acc_t x = w[wo + (long) r * k + c];
        if (!(x >= 0 && x < INFINITY)) {
            code = 1;
            at = c;
            bad = x;
            break;
        }
        if (x > 0) {
            lp = c;
            pos++;
        }
        sum += x;
        cdf[(long) r * k + c] = sum;
    }
    if (code == 0 && !(sum > 0)) code = 2;
    if (code == 0 && sum == INFINITY) code = 3;
    last[r] = lp;
    positive[r] = pos;
    err[3 * r] = code;
    err[3 * r + 1] = at;
    err[3 * r + 2] = bad;
}

/** With replacement: row r's draws use blocks ctr + r * blocks + b, two draws per block, by binary search in the cdf. */
__kernel void mn_draw(__global long* out, int rows, int samples, int k, int blocks, __global const acc_t* cdf,
                      __global const int* last, ulong key, ulong ctr) {
    long g = get_global_id(0);
    if (g >= (long) rows * blocks) return;
    int r = (int) (g / blocks), b = (int) (g % blocks), base = 2 * b;
    uint4 w = block(key, ctr + (ulong) g, 0);
    __global const acc_t* c = cdf + (long) r * k;
    acc_t total = c[k - 1];
    int m = min(2, samples - base);
    for (int j = 0; j < m; j++) {
        acc_t x = unit53(j == 0 ? join(w.x, w.y) : join(w.z, w.w)) * total;
        int lo = 0, hi = k;
        while (lo < hi) {
            int mid = (int) (((uint) lo + (uint) hi) >> 1);
            if (c[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        out[(long) r * samples + base + j] = lo < k ? lo : last[r];
    }
}

/** Without replacement, the exponential keys log(-log u) - log w (Efraimidis and Spirakis) of every category. */
__kernel void mn_keys(__global acc_t* keys, __global const acc_t* w, int wo, int rows, int k, int blocks, ulong key, ulong ctr) {
    long g = get_global_id(0);
    if (g >= (long) rows * blocks) return;
    int r = (int) (g / blocks), b = (int) (g % blocks), base = 2 * b;
    uint4 bl = block(key, ctr + (ulong) g, 0);
    int m = min(2, k - base);
    for (int j = 0; j < m; j++) {
        acc_t wt = w[wo + (long) r * k + base + j];
        acc_t u = open_unit53(j == 0 ? join(bl.x, bl.y) : join(bl.z, bl.w));
        keys[(long) r * k + base + j] = wt > 0 ? log(-log(u)) - log(wt) : INFINITY;
    }
}

inline int before(int a, int b, __global const acc_t* keys) { return keys[a] < keys[b] || (keys[a] == keys[b] && a < b); }

/** Without replacement, per row: the n smallest keys by RngKernels' max-heap, popped into draw order. */
__kernel void mn_select(__global long* out, __global int* heaps, __global const acc_t* keys, __global const acc_t* w, int wo,
                        int rows, int k, int n) {
    int r = get_global_id(0);
    if (r >= rows) return;
    __global int* heap = heaps + (long) r * n;
    __global const acc_t* ky = keys + (long) r * k;
    int size = 0;
    for (int c = 0; c < k && n > 0; c++) {
        if (!(w[wo + (long) r * k + c] > 0)) continue;
        if (size < n) {
            int i = size++, x = c;                                  // sift up
            while (i > 0) {
                int parent = (i - 1) >> 1;
                if (!before(heap[parent], x, ky)) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = x;
        } else if (before(c, heap[0], ky)) {
            heap[0] = c;
            int x = heap[0], i = 0;                                 // sift down
            while (1) {
                int child = 2 * i + 1;
                if (child >= size) break;
                if (child + 1 < size && before(heap[child], heap[child + 1], ky)) child++;
                if (!before(x, heap[child], ky)) break;
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = x;
        }
    }
    for (int i = size - 1; i >= 0; i--) {
        out[(long) r * n + i] = heap[0];
        heap[0] = heap[i];
        if (i == 0) break;
        int x = heap[0], p = 0;
        while (1) {
            int child = 2 * p + 1;
            if (child >= i) break;
            if (child + 1 < i && before(heap[child], heap[child + 1], ky)) child++;
            if (!before(x, heap[child], ky)) break;
            heap[p] = heap[child];
            p = child;
        }
        heap[p] = x;
    }
}

// ---- rejection samplers: element i from its sub-stream at ctr + i

/** Marsaglia and Tsang (2000) with their U^(1/alpha) boost below 1; at least the smallest normal. */
inline acc_t gamma_one(stream* s, acc_t alpha) {
    acc_t a = alpha < 1 ? alpha + 1 : alpha;
    acc_t d = a - (acc_t) 1 / (acc_t) 3;
    acc_t c = 1 / sqrt((acc_t) 9 * d);
    acc_t g;
    while (1) {
        acc_t x, v;
        do {
            x = next_normal(s);
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        acc_t u = next_open_double(s);
        acc_t x2 = x * x;
        if (u < (acc_t) 1 - (acc_t) 0.0331 * x2 * x2 || log(u) < (acc_t) 0.5 * x2 + d * ((acc_t) 1 - v + log(v))) {
            g = d * v;
            break;
        }
    }
    if (alpha < 1) g *= pow(next_open_double(s), (acc_t) 1 / alpha);
    return fmax(g, (acc_t) ACC_MIN_NORMAL);
}

/**
 * Gamma(alpha_i, 1) into out (T, contiguous) from alpha (T, contiguous from ao). An alpha not finite or not > 0 puts
 * the smallest such index into err[0] (atomic_min; the host starts it at n) for the host's message.
 */
__kernel void gamma_f32(__global float* out, __global const float* alpha, int ao, int n, ulong key, ulong ctr, __global int* err) {
    int i = get_global_id(0);
    if (i >= n) return;
    acc_t a = alpha[ao + i];
    if (!(a > 0 && a < INFINITY)) {
        atomic_min(err, i);
        return;
    }
    stream s;
    stream_reset(&s, key, ctr + (ulong) i);
    out[i] = fmax((float) gamma_one(&s, a), FLT_MIN);
}

#ifdef USE_FP64
__kernel void gamma_f64(__global double* out, __global const double* alpha, int ao, int n, ulong key, ulong ctr, __global int* err) {
    int i = get_global_id(0);
    if (i >= n) return;
    double a = alpha[ao + i];
    if (!(a > 0 && a < INFINITY)) {
        atomic_min(err, i);
        return;
    }
    stream s;
    stream_reset(&s, key, ctr + (ulong) i);
    out[i] = gamma_one(&s, a);
}
#endif

/** log(k!) for whole k: the CPU's table below 32 (LOG_FACTORIAL, ClGammaTables), Stirling's series above. */
inline acc_t log_factorial(acc_t k) {
    if (k < 32) return LOG_FACTORIAL[(int) k];
    acc_t x = k + 1, r = 1 / x, r2 = r * r;
    acc_t series = r * ((acc_t) 1 / 12 - r2 * ((acc_t) 1 / 360 - r2 * ((acc_t) 1 / 1260 - r2 * ((acc_t) 1 / 1680))));
    return (x - (acc_t) 0.5) * log(x) - x + (acc_t) RNG_HALF_LOG_2PI + series;
}

/** Poisson(lambda): sequential-search inversion below 10, Hormann's PTRS (1993) from 10 on, as RngKernels.poissonOne. */
inline acc_t poisson_one(stream* s, acc_t lambda) {
    if (lambda == 0) return 0;
    if (lambda < 10) {
        acc_t e = exp(-lambda);
        while (1) {
            acc_t u = next_double(s);
            int x = 0;
            acc_t p = e, cdf = p;
            while (u >= cdf && x < 1000) {
                x++;
                p *= lambda / x;
                cdf += p;
            }
            if (u < cdf) return x;
        }
    }
    acc_t sl = sqrt(lambda), log_lambda = log(lambda);
    acc_t b = (acc_t) 0.931 + (acc_t) 2.53 * sl;
    acc_t a = (acc_t) -0.059 + (acc_t) 0.02483 * b;
    acc_t inv_alpha = (acc_t) 1.1239 + (acc_t) 1.1328 / (b - (acc_t) 3.4);
    acc_t vr = (acc_t) 0.9277 - (acc_t) 3.6224 / (b - 2);
    while (1) {
        acc_t u = next_double(s) - (acc_t) 0.5;
        acc_t v = next_double(s);
        acc_t us = (acc_t) 0.5 - fabs(u);
        acc_t k = floor(((acc_t) 2 * a / us + b) * u + lambda + (acc_t) 0.43);
        if (us >= (acc_t) 0.07 && v <= vr) return k;
        if (k < 0 || (us < (acc_t) 0.013 && v > us)) continue;
        if (log(v * inv_alpha / (a / (us * us) + b)) <= -lambda + k * log_lambda - log_factorial(k)) return k;
    }
}

/** Poisson(rate_i) counts, computed in acc_t and rounded to the rate's type; a rate not finite or < 0 reports as gamma_f32. */
__kernel void poisson_f32(__global float* out, __global const float* rate, int ro, int n, ulong key, ulong ctr, __global int* err) {
    int i = get_global_id(0);
    if (i >= n) return;
    acc_t r = rate[ro + i];
    if (!(r >= 0 && r < INFINITY)) {
        atomic_min(err, i);
        return;
    }
    stream s;
    stream_reset(&s, key, ctr + (ulong) i);
    out[i] = (float) poisson_one(&s, r);
}

#ifdef USE_FP64
__kernel void poisson_f64(__global double* out, __global const double* rate, int ro, int n, ulong key, ulong ctr, __global int* err) {
    int i = get_global_id(0);
    if (i >= n) return;
    double r = rate[ro + i];
    if (!(r >= 0 && r < INFINITY)) {
        atomic_min(err, i);
        return;
    }
    stream s;
    stream_reset(&s, key, ctr + (ulong) i);
    out[i] = poisson_one(&s, r);
}
#endif
