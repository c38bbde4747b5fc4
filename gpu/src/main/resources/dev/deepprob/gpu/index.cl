// Index selection, gather and scatter-add. An index out of range writes err = {1, index} and skips the element; the
// host reads err after the launch and throws (ClIndex.check).

__kernel void index_select(__global T* out, int oo, int8 os8, __global const T* x, int xo, int8 xs8, int8 shape8, int rank,
                           int dim, __global const long* idx, int io, int istep, int bound, int n, __global long* err) {
    int i = get_global_id(0);
    if (i >= n) return;
    int s[8], os[8], xs[8];
    vstore8(shape8, 0, s);
    vstore8(os8, 0, os);
    vstore8(xs8, 0, xs);
    int po = oo, px = xo, rem = i;
    for (int d = rank - 1; d >= 0; d--) {
        int c = rem % s[d];
        rem /= s[d];
        po += c * os[d];
        if (d == dim) {
            long j = idx[io + c * istep];
            if (j < 0 || j >= bound) {
                err[1] = j;
                err[0] = 1;
                return;
            }
            px += (int) j * xs[d];
        } else {
            px += c * xs[d];
        }
    }
    out[po] = x[px];
}

/** out[c] = x[c with c[dim] = index[c]]; out has the index's shape. */
__kernel void gather(__global T* out, __global const T* x, int xo, int8 xs8, __global const long* idx, int io, int8 is8,
                     int8 shape8, int rank, int dim, int bound, int n, __global long* err) {
    int i = get_global_id(0);
    if (i >= n) return;
    int s[8], xs[8], is[8];
    vstore8(shape8, 0, s);
    vstore8(xs8, 0, xs);
    vstore8(is8, 0, is);
    int px = xo, pi = io, rem = i;
    for (int d = rank - 1; d >= 0; d--) {
        int c = rem % s[d];
        rem /= s[d];
        pi += c * is[d];
        if (d != dim) px += c * xs[d];
    }
    long j = idx[pi];
    if (j < 0 || j >= bound) {
        err[1] = j;
        err[0] = 1;
        return;
    }
    out[i] = x[px + (int) j * xs[dim]];
}

/**
 * out (a contiguous copy of the input, of shape xshape) += src at the positions the index names along dim. Each
 * work-item owns one output element and adds its contributions in index order, as the CPU's loop does: deterministic,
 * and no atomics.
 */
__kernel void scatter_add(__global T* out, __global const long* idx, int io, int8 is8, __global const T* src, int so, int8 ss8,
                          int8 xshape8, int8 ishape8, int rank, int dim, int n, __global long* err) {
    int i = get_global_id(0);
    if (i >= n) return;
    int xs[8], is[8], ss[8], ish[8];
    vstore8(xshape8, 0, xs);
    vstore8(is8, 0, is);
    vstore8(ss8, 0, ss);
    vstore8(ishape8, 0, ish);
    int pi = io, ps = so, rem = i, me = 0;
    for (int d = rank - 1; d >= 0; d--) {
        int c = rem % xs[d];
        rem /= xs[d];
        if (d == dim) {
            me = c;
        } else {
            if (c >= ish[d]) return;
            pi += c * is[d];
            ps += c * ss[d];
        }
    }
    T acc = out[i];
    for (int k = 0; k < ish[dim]; k++) {
        long j = idx[pi + k * is[dim]];
        if (j < 0 || j >= xs[dim]) {
            err[1] = j;
            err[0] = 1;
            continue;
        }
        if (j == me) acc = acc + src[ps + k * ss[dim]];
    }
    out[i] = acc;
}
