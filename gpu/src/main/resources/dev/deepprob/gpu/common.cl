// Shared by every deepprob kernel (ClSources puts it after the op-code #defines, before the kernel file).
// Built with -DT=<element type> (float, double, long, uchar), -DFLOATING for F32/F64, -DUSE_FP64 when the device has
// cl_khr_fp64 (then acc_t, the accumulator type, is double).
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#define ACC_PI M_PI
#define ACC_TINY 1e-290
#else
typedef float acc_t;
#define ACC_PI M_PI_F
#define ACC_TINY 1e-30f
#endif
// Java evaluates a * b + c as two rounded operations: so do the elementwise kernels (the matmul uses fma on purpose)
#pragma OPENCL FP_CONTRACT OFF

// ---- index helpers: element i of a row-major walk over `shape` (rank <= 8) sits at off + sum(c[d] * st[d])

inline int pos1(int i, int rank, int8 shape8, int8 st8, int off) {
    int s[8], t[8];
    vstore8(shape8, 0, s);
    vstore8(st8, 0, t);
    int p = off;
    for (int d = rank - 1; d >= 0; d--) {
        int c = i % s[d];
        i /= s[d];
        p += c * t[d];
    }
    return p;
}

inline void pos2(int i, int rank, int8 shape8, int8 a8, int ao, int8 b8, int bo, int* pa, int* pb) {
    int s[8], a[8], b[8];
    vstore8(shape8, 0, s);
    vstore8(a8, 0, a);
    vstore8(b8, 0, b);
    for (int d = rank - 1; d >= 0; d--) {
        int c = i % s[d];
        i /= s[d];
        ao += c * a[d];
        bo += c * b[d];
    }
    *pa = ao;
    *pb = bo;
}

inline void pos3(int i, int rank, int8 shape8, int8 a8, int ao, int8 b8, int bo, int8 c8, int co, int* pa, int* pb, int* pc) {
    int s[8], a[8], b[8], cc[8];
    vstore8(shape8, 0, s);
    vstore8(a8, 0, a);
    vstore8(b8, 0, b);
    vstore8(c8, 0, cc);
    for (int d = rank - 1; d >= 0; d--) {
        int c = i % s[d];
        i /= s[d];
        ao += c * a[d];
        bo += c * b[d];
        co += c * cc[d];
    }
    *pa = ao;
    *pb = bo;
    *pc = co;
}

#ifdef FLOATING
// Java's Math.max / Math.min: NaN wins, and -0.0 < +0.0
inline T jmax(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? b : a;
    return a >= b ? a : b;
}
inline T jmin(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? a : b;
    return a <= b ? a : b;
}
inline acc_t jmax_acc(acc_t a, acc_t b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? b : a;
    return a >= b ? a : b;
}
inline acc_t jmin_acc(acc_t a, acc_t b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? a : b;
    return a <= b ? a : b;
}
#endif
