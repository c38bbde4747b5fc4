// Dtype conversion of a strided array into a contiguous one, as CpuBackend.cast: built with -DS=<source type>
// -DT=<destination type> and one of -DSRC_BOOL, -DDST_BOOL, -DDST_LONG (from floating), or neither.

#if defined(DST_FLOAT)
#define CONVERT(v) convert_float_rte(v)
#else
#define CONVERT(v) convert_double_rte(v)
#endif

__kernel void cast(__global T* out, __global const S* x, int xo, int8 xs, int8 shape, int rank, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    S v = x[pos1(i, rank, shape, xs, xo)];
#if defined(DST_BOOL)
    out[i] = v != 0 ? 1 : 0;                 // NaN is true, as Java's v != 0
#elif defined(SRC_BOOL)
    out[i] = v ? (T) 1 : (T) 0;
#elif defined(DST_LONG)
    out[i] = convert_long_sat(v);            // toward zero, saturating, NaN to 0: Java's (long) cast
#elif defined(SRC_LONG) && defined(DST_FLOAT) && defined(USE_FP64)
    out[i] = convert_float_rte(convert_double_rte(v));   // the CPU writes (float) (double) v
#else
    out[i] = CONVERT(v);
#endif
}
