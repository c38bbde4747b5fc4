// C[b] = A[b] B[b]: A is M x K with row stride lda (unit column stride), B is K x N with row stride ldb, C is M x N
// contiguous at batch offset b*M*N. A work-group computes a TSM x TSN tile of C, staging TSK-deep slices of A and B in
// local memory; work-item (tn, tm) keeps a WPTM x WPTN block of C in registers, rows tm + wm*RTSM and columns
// tn + wn*RTSN, so neighbouring items read neighbouring local words. Tile sizes are build parameters (-DTSM=...),
// chosen per device by ClMatmulTuner. Batch dims (rank <= 8, broadcast as stride 0) give each batch's offsets.

#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)
#define NT (RTSM * RTSN)

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void matmul(int M, int N, int K, __global const T* A, int aoff, int lda, __global const T* B, int boff, int ldb,
            __global T* C, int8 bshape8, int8 bsa8, int8 bsb8, int brank) {
    int tn = get_local_id(0), tm = get_local_id(1);
    int tid = tm * RTSN + tn;
    int gn = get_group_id(0) * TSN, gm = get_group_id(1) * TSM;
    int batch = get_global_id(2);
    int pa, pb;
    pos2(batch, brank, bshape8, bsa8, aoff, bsb8, boff, &pa, &pb);
    A += pa;
    B += pb;
    C += (long) batch * M * N;

    __local T As[TSK][TSM + 1];
    __local T Bs[TSK][TSN];
    T acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++)
        for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = 0;

    for (int t = 0; t < K; t += TSK) {
        for (int l = tid; l < TSM * TSK; l += NT) {
            int r = l / TSK, c = l % TSK;
            int gr = gm + r, gc = t + c;
            As[c][r] = (gr < M && gc < K) ? A[gr * lda + gc] : (T) 0;
        }
        for (int l = tid; l < TSK * TSN; l += NT) {
            int r = l / TSN, c = l % TSN;
            int gr = t + r, gc = gn + c;
            Bs[r][c] = (gr < K && gc < N) ? B[gr * ldb + gc] : (T) 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TSK; k++) {
            T breg[WPTN];
            for (int wn = 0; wn < WPTN; wn++) breg[wn] = Bs[k][tn + wn * RTSN];
            for (int wm = 0; wm < WPTM; wm++) {
                T a = As[k][tm + wm * RTSM];
                for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = fma(a, breg[wn], acc[wm][wn]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int wm = 0; wm < WPTM; wm++) {
        int r = gm + tm + wm * RTSM;
        if (r >= M) continue;
        for (int wn = 0; wn < WPTN; wn++) {
            int c = gn + tn + wn * RTSN;
            if (c < N) C[r * N + c] = acc[wm][wn];
        }
    }
}
