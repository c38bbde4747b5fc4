// Reductions. The kept dims (kshape, kst) number the outputs; the reduced dims (rshape, rst) number the elements of
// one output. RT is the accumulator: acc_t for F32/F64 (double when the device has fp64, as the CPU sums F32 in
// double), long for I64.

#ifdef FLOATING
typedef acc_t RT;
#define RMAX(a, b) jmax_acc(a, b)
#define RMIN(a, b) jmin_acc(a, b)
#define RT_LOWEST ((RT) -INFINITY)
#define RT_HIGHEST ((RT) INFINITY)
#else
typedef long RT;
#define RMAX(a, b) ((a) > (b) ? (a) : (b))
#define RMIN(a, b) ((a) < (b) ? (a) : (b))
#define RT_LOWEST LONG_MIN
#define RT_HIGHEST LONG_MAX
#endif

inline RT identity(int op) {
    switch (op) {
        case ROP_SUM: return 0;
        case ROP_PROD: return 1;
        case ROP_MAX: return RT_LOWEST;
        default: return RT_HIGHEST;
    }
}

inline RT combine(int op, RT a, RT v) {
    switch (op) {
        case ROP_SUM: return a + v;
        case ROP_PROD: return a * v;
        case ROP_MAX: return RMAX(a, v);
        default: return RMIN(a, v);
    }
}

/** One output per work-item, its elements in order (the CPU's order): for short reductions. */
__kernel void reduce_seq(int op, __global T* out, __global const T* x, int xo, int8 kshape, int8 kst, int krank,
                         int8 rshape, int8 rst, int rrank, int redSize, int keptSize) {
    int k = get_global_id(0);
    if (k >= keptSize) return;
    int base = pos1(k, krank, kshape, kst, xo);
    RT a = identity(op);
    for (int r = 0; r < redSize; r++) a = combine(op, a, (RT) x[pos1(r, rrank, rshape, rst, base)]);
    out[k] = (T) a;
}

/**
 * One work-group per (output, chunk): the items stride through the chunk's elements, then a tree in local memory; the
 * order is fixed by the sizes, so results are deterministic. Group g writes out[g] (kept index g / chunks).
 */
__kernel void reduce_wg(int op, __global T* out, __global const T* x, int xo, int8 kshape, int8 kst, int krank,
                        int8 rshape, int8 rst, int rrank, int redSize, int chunkLen, int chunks, __local RT* scratch) {
    int g = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int k = g / chunks, c = g % chunks;
    int base = pos1(k, krank, kshape, kst, xo);
    int from = c * chunkLen, to = min(redSize, from + chunkLen);
    RT a = identity(op);
    for (int r = from + lid; r < to; r += ls) a = combine(op, a, (RT) x[pos1(r, rrank, rshape, rst, base)]);
    scratch[lid] = a;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = combine(op, scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[g] = (T) scratch[0];
}

#ifdef FLOATING

/** log Σ exp over one output's elements per work-group: the max first, then Σ exp(x - max) (engine's RefF64.logSumExp). */
__kernel void logsumexp_wg(__global T* out, __global const T* x, int xo, int8 kshape, int8 kst, int krank,
                           int8 rshape, int8 rst, int rrank, int redSize, __local acc_t* scratch) {
    int k = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int base = pos1(k, krank, kshape, kst, xo);
    acc_t m = -INFINITY;
    for (int r = lid; r < redSize; r += ls) m = jmax_acc(m, (acc_t) x[pos1(r, rrank, rshape, rst, base)]);
    scratch[lid] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = jmax_acc(scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    m = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (m != m || isinf(m)) {
        if (lid == 0) out[k] = (T) m;
        return;
    }
    acc_t sum = 0;
    for (int r = lid; r < redSize; r += ls) sum += exp((acc_t) x[pos1(r, rrank, rshape, rst, base)] - m);
    scratch[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[k] = (T) (m + log(scratch[0]));
}

/** Index of the first max (min) along one dim, a NaN winning at once (RefF64.argReduce); one output per work-item. */
__kernel void argreduce_seq(int wantMax, __global long* out, __global const T* x, int xo, int8 kshape, int8 kst, int krank,
                            int len, int step, int keptSize) {
    int k = get_global_id(0);
    if (k >= keptSize) return;
    int base = pos1(k, krank, kshape, kst, xo);
    T bv = x[base];
    long best = 0;
    if (bv == bv) {
        for (int i = 1; i < len; i++) {
            T v = x[base + i * step];
            if (v != v) {
                best = i;
                break;
            }
            if (wantMax ? v > bv : v < bv) {
                bv = v;
                best = i;
            }
        }
    }
    out[k] = best;
}

/** Running sums along one dim, one row per work-item, accumulated in acc_t in order (RefF32/RefF64.cumsum). */
__kernel void cumsum_seq(__global T* out, __global const T* x, int xo, int8 kshape, int8 kst, int8 ost, int krank,
                         int len, int step, int ostep, int rows) {
    int k = get_global_id(0);
    if (k >= rows) return;
    int px, po;
    pos2(k, krank, kshape, kst, xo, ost, 0, &px, &po);
    acc_t s = 0;
    for (int i = 0; i < len; i++) {
        s += (acc_t) x[px + i * step];
        out[po + i * ostep] = (T) s;
    }
}

#endif
