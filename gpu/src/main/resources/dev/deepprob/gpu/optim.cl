// The fused optimiser updates, one work-item per element, with engine/cpu/OptimKernels.java's arithmetic operation for
// operation in T (no contraction into fma: FP_CONTRACT is off in common.cl; float sqrt and division are correctly
// rounded by the build options), so a step gives the CPU's bits. Scalars arrive already rounded to T by the host.

inline T lerp_j(T a, T b, T w) { return fabs(w) < (T) 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w); }

__kernel void sgd(__global T* p, __global const T* g, __global T* b, int n, T nlr, int first, T mu, T keep, T wd,
                  int decay, int mom, int nest) {
    int i = get_global_id(0);
    if (i >= n) return;
    T gi = g[i];
    if (decay) gi = gi + wd * p[i];
    if (mom) {
        T bi = first ? gi : b[i] * mu + keep * gi;
        b[i] = bi;
        gi = nest ? gi + mu * bi : bi;
    }
    p[i] = p[i] + nlr * gi;
}

__kernel void adam(__global T* p, __global const T* g, __global T* m, __global T* v, __global T* vmax, int amsgrad, int n,
                   T w1, T b2, T c2, T wd, T nss, T bsq, T e, T dec, int l2, int dw) {
    int i = get_global_id(0);
    if (i >= n) return;
    T pi = p[i], gi = g[i];
    if (dw) pi = pi * dec;
    if (l2) gi = gi + wd * pi;
    T mi = lerp_j(m[i], gi, w1);
    T vi = v[i] * b2 + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    if (amsgrad) {
        vi = jmax(vmax[i], vi);
        vmax[i] = vi;
    }
    T denom = sqrt(vi) / bsq + e;
    p[i] = pi + nss * mi / denom;
}

__kernel void rmsprop(__global T* p, __global const T* g, __global T* sq, __global T* ga, __global T* buf, int n, T a, T c, T e,
                      T wd, T mu, T nlr, int decay, int cen, int mom) {
    int i = get_global_id(0);
    if (i >= n) return;
    T gi = g[i];
    if (decay) gi = gi + wd * p[i];
    T si = sq[i] * a + c * gi * gi;
    sq[i] = si;
    T avg;
    if (cen) {
        T gai = lerp_j(ga[i], gi, c);
        ga[i] = gai;
        avg = sqrt(si - gai * gai);
    } else {
        avg = sqrt(si);
    }
    avg = avg + e;
    if (mom) {
        T bi = buf[i] * mu + gi / avg;
        buf[i] = bi;
        p[i] = p[i] + nlr * bi;
    } else {
        p[i] = p[i] + nlr * gi / avg;
    }
}
