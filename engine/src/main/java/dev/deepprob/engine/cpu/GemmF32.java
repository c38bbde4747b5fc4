package dev.deepprob.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The float32 GEMM behind {@link Gemm#sgemm}: operands packed into panels, a 4-row by 4-vector register tile, A's
 * MR x KC sliver held in L1 while a KC x NC block of B streams from L2, and a split of C over the pool's threads.
 * Every C element is one fused multiply-add chain over p = 0..k-1 in order (started from C when accumulating,
 * else from zero), whatever the blocking, tile or thread count, so results are bitwise reproducible.
 * {@code GemmF64} is this file with float replaced by double; keep the two in step.
 */
final class GemmF32 {
    private GemmF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector (16 with AVX-512). */
    static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 4;
    /** Columns of the register tile and width of a full B panel: 4 vectors. */
    static final int NR = 4 * L;
    /** Depth of a packed block: A's MR x KC sliver (4 KiB) stays in L1. */
    static final int KC = 256;
    /** B panels per L2 block: KC x NC_PANELS*NR floats (512 KiB with AVX-512) are reused by every row sliver. */
    static final int NC_PANELS = Math.max(1, 512 / NR);
    /** Largest chunk packed at once, which bounds the packing buffers at about 16 MiB each. */
    static final int MAX_M = 2048;
    static final int MAX_N = (2048 / NR) * NR;
    static final int MAX_K = 8 * KC;
    /** Up to this many multiply-adds (m*n*k) the direct kernel wins: no packing, no hand-off, no allocation. */
    static final long DIRECT_MAX = 48L * 48 * 48;
    /** The same bound when B is read across its rows (a transposed view), where the direct kernel is scalar. */
    static final long DIRECT_MAX_STRIDED = 16L * 16 * 16;
    /** Below this many multiply-adds one thread beats a hand-off to the pool (tens of microseconds here). */
    static final long PARALLEL_MIN = 128L * 128 * 128;

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int TODO = 0, BUSY = 1, DONE = 2;

    /** Per-thread packing buffers and the reusable job, so steady state allocates nothing. */
    private static final class Work {
        float[] pa = new float[0];
        float[] pb = new float[0];
        int[] aState = new int[0];
        int[] bState = new int[0];
        final float[] tile = new float[MR * NR];
        final Job job = new Job();
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /**
     * One chunk of the product, C[mm x nn] (+)= A[mm x kk] · B[kk x nn], shared read-only by the tasks. Panels are
     * packed lazily by whichever task needs one first (state TODO, BUSY, DONE per panel and KC block), so packing
     * overlaps arithmetic and one hand-off to the pool suffices.
     */
    private static final class Job {
        int mm, nn, kk;
        float[] a, b, c;
        int aOff, rsA, csA, bOff, rsB, csB, cOff, ldc;
        boolean acc;
        float[] pa, pb;
        int[] aState, bState;
        int mPanels, mPad, nFull, nPanels, nPad, wTail;
        int rowGroups, colGroups;
        final IntConsumer body = t -> computeTask(this, t);
    }

    static void gemm(int m, int n, int k, float[] a, int aOff, int rsA, int csA,
                     float[] b, int bOff, int rsB, int csB, float[] c, int cOff, int ldc, boolean acc) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!acc) zero(m, n, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        int threads = work < PARALLEL_MIN ? 1 : Pool.threads();
        boolean narrow = m < MR || n <= 2 * L;
        if (csB == 1 ? work <= DIRECT_MAX || narrow : work <= DIRECT_MAX_STRIDED || m < MR) {
            if (threads == 1 || m < 2 * MR) {
                direct(0, m, n, k, a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, acc);
            } else {
                int groups = Math.min(4 * threads, m / MR);
                Pool.parallelFor(groups, t -> direct(rowStart(m, t, groups), rowStart(m, t + 1, groups), n, k,
                        a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, acc));
            }
            return;
        }
        Work w = WORK.get();
        Job job = w.job;
        for (int j0 = 0; j0 < n; j0 += MAX_N) {
            int nn = Math.min(MAX_N, n - j0);
            for (int p0 = 0; p0 < k; p0 += MAX_K) {
                int kk = Math.min(MAX_K, k - p0);
                for (int i0 = 0; i0 < m; i0 += MAX_M) {
                    int mm = Math.min(MAX_M, m - i0);
                    setUp(w, job, mm, nn, kk, threads, i0 == 0);
                    job.a = a; job.aOff = aOff + i0 * rsA + p0 * csA; job.rsA = rsA; job.csA = csA;
                    job.b = b; job.bOff = bOff + p0 * rsB + j0 * csB; job.rsB = rsB; job.csB = csB;
                    job.c = c; job.cOff = cOff + i0 * ldc + j0; job.ldc = ldc;
                    job.acc = acc || p0 > 0;
                    if (threads == 1) computeTask(job, 0);
                    else Pool.parallelFor(job.rowGroups * job.colGroups, job.body);
                }
            }
        }
        job.a = job.b = job.c = null;
    }

    /** First row of group t of the direct kernel's row split: multiples of MR, so groups do not share a tile. */
    private static int rowStart(int m, int t, int groups) {
        return t >= groups ? m : (int) ((long) m * t / groups / MR * MR);
    }

    /** Sizes the chunk's panels, grows the buffers if needed and marks the panels to pack (B only when fresh). */
    private static void setUp(Work w, Job job, int mm, int nn, int kk, int threads, boolean freshB) {
        job.mm = mm; job.nn = nn; job.kk = kk;
        job.mPanels = (mm + MR - 1) / MR;
        job.mPad = job.mPanels * MR;
        job.nFull = nn / NR;
        int rem = nn - job.nFull * NR;
        job.wTail = rem == 0 ? 0 : (rem + L - 1) / L * L;
        job.nPanels = job.nFull + (rem == 0 ? 0 : 1);
        job.nPad = job.nFull * NR + job.wTail;
        int blocks = (kk + KC - 1) / KC;
        if (w.pa.length < job.mPad * kk) w.pa = new float[job.mPad * kk];
        if (w.pb.length < job.nPad * kk) w.pb = new float[job.nPad * kk];
        if (w.aState.length < blocks * job.mPanels) w.aState = new int[blocks * job.mPanels];
        if (w.bState.length < blocks * job.nPanels) w.bState = new int[blocks * job.nPanels];
        Arrays.fill(w.aState, 0, blocks * job.mPanels, TODO);
        if (freshB) Arrays.fill(w.bState, 0, blocks * job.nPanels, TODO);
        job.pa = w.pa; job.pb = w.pb; job.aState = w.aState; job.bState = w.bState;
        int want = threads == 1 ? 1 : 4 * threads;
        job.rowGroups = Math.min(job.mPanels, want);
        job.colGroups = Math.min(job.nPanels, (want + job.rowGroups - 1) / job.rowGroups);
    }

    // ---------------------------------------------------------------- packing

    /** Makes sure panel {@code panel} of KC block q is packed: packs it if unclaimed, else waits for its packer. */
    private static void ensure(Job j, boolean isA, int q, int panel) {
        int[] st = isA ? j.aState : j.bState;
        int idx = q * (isA ? j.mPanels : j.nPanels) + panel;
        if ((int) STATE.getAcquire(st, idx) == DONE) return;
        if (STATE.compareAndSet(st, idx, TODO, BUSY)) {
            if (isA) packA(j, q * KC, panel);
            else packB(j, q * KC, panel);
            STATE.setRelease(st, idx, DONE);
            return;
        }
        while ((int) STATE.getAcquire(st, idx) != DONE) Thread.onSpinWait();
    }

    /** A's row panel ip of the block at depth q0: pa[q0*mPad + ip*MR*kq + p*MR + r] = A[ip*MR + r, q0 + p]. */
    private static void packA(Job j, int q0, int ip) {
        int rows = Math.min(MR, j.mm - ip * MR), kq = Math.min(KC, j.kk - q0);
        float[] a = j.a, pa = j.pa;
        int rsA = j.rsA, csA = j.csA;
        int dst = q0 * j.mPad + ip * MR * kq;
        int src = j.aOff + ip * MR * rsA + q0 * csA;
        if (rows == MR) {
            packA4(kq, a, src, rsA, csA, pa, dst);
        } else {
            for (int p = 0; p < kq; p++, src += csA, dst += MR) {
                for (int r = 0; r < MR; r++) pa[dst + r] = r < rows ? a[src + r * rsA] : 0f;
            }
        }
    }

    private static void packA4(int kq, float[] a, int src, int rsA, int csA, float[] pa, int dst) {
        int s1 = rsA, s2 = 2 * rsA, s3 = 3 * rsA;
        for (int p = 0; p < kq; p++, src += csA, dst += MR) {
            pa[dst] = a[src];
            pa[dst + 1] = a[src + s1];
            pa[dst + 2] = a[src + s2];
            pa[dst + 3] = a[src + s3];
        }
    }

    /** B's column panel jp of the block at depth q0: pb[q0*nPad + jp*NR*kq + p*w + x] = B[q0 + p, jp*NR + x]. */
    private static void packB(Job j, int q0, int jp) {
        int w = jp < j.nFull ? NR : j.wTail;
        int cols = Math.min(w, j.nn - jp * NR), kq = Math.min(KC, j.kk - q0);
        float[] b = j.b, pb = j.pb;
        int rsB = j.rsB, csB = j.csB;
        int dst = q0 * j.nPad + jp * NR * kq;
        int src = j.bOff + q0 * rsB + jp * NR * csB;
        if (csB == 1 && cols == w) {
            packBRows(kq, w, b, src, rsB, pb, dst);
        } else if (csB == 1) {
            for (int p = 0; p < kq; p++, src += rsB, dst += w) {
                for (int x = 0; x < w; x++) pb[dst + x] = x < cols ? b[src + x] : 0f;
            }
        } else {
            for (int x = 0; x < w; x++) {
                if (x < cols) packBColumn(kq, b, src + x * csB, rsB, pb, dst + x, w);
                else for (int p = 0; p < kq; p++) pb[dst + x + p * w] = 0f;
            }
        }
    }

    private static void packBRows(int kq, int w, float[] b, int src, int rsB, float[] pb, int dst) {
        for (int p = 0; p < kq; p++, src += rsB, dst += w) {
            for (int v = 0; v < w; v += L) FloatVector.fromArray(S, b, src + v).intoArray(pb, dst + v);
        }
    }

    private static void packBColumn(int kq, float[] b, int src, int rsB, float[] pb, int dst, int w) {
        for (int p = 0; p < kq; p++, src += rsB, dst += w) pb[dst] = b[src];
    }

    // ---------------------------------------------------------------- compute

    /**
     * Task t owns a fixed rectangle of C (row-panel group x column-panel group) and computes it over the whole
     * chunk depth: per KC block, per L2-sized group of B panels, each A sliver (L1) meets every B panel.
     */
    private static void computeTask(Job j, int t) {
        int rg = t / j.colGroups, cg = t - rg * j.colGroups;
        int ipa = (int) ((long) j.mPanels * rg / j.rowGroups), ipb = (int) ((long) j.mPanels * (rg + 1) / j.rowGroups);
        int jpa = (int) ((long) j.nPanels * cg / j.colGroups), jpb = (int) ((long) j.nPanels * (cg + 1) / j.colGroups);
        float[] tile = WORK.get().tile;
        for (int q = 0, q0 = 0; q0 < j.kk; q++, q0 += KC) {
            int kq = Math.min(KC, j.kk - q0);
            boolean add = j.acc || q0 > 0;
            int aBlk = q0 * j.mPad, bBlk = q0 * j.nPad;
            for (int jc = jpa; jc < jpb; jc += NC_PANELS) {
                int jce = Math.min(jc + NC_PANELS, jpb);
                for (int ip = ipa; ip < ipb; ip++) {
                    ensure(j, true, q, ip);
                    int ao = aBlk + ip * MR * kq;
                    for (int jp = jc; jp < jce; jp++) {
                        if (ip == ipa) ensure(j, false, q, jp);
                        tile(j, kq, ao, bBlk + jp * NR * kq, ip, jp, add, tile);
                    }
                }
            }
        }
    }

    /** One MR x w tile: straight into C when it lies wholly inside, else through the scratch tile. */
    private static void tile(Job j, int kq, int ao, int bo, int ip, int jp, boolean add, float[] tile) {
        int w = jp < j.nFull ? NR : j.wTail;
        int rows = Math.min(MR, j.mm - ip * MR), cols = Math.min(w, j.nn - jp * NR);
        int co = j.cOff + ip * MR * j.ldc + jp * NR;
        if (rows == MR && cols == w) {
            kernel(w, kq, j.pa, ao, j.pb, bo, j.c, co, j.ldc, add);
            return;
        }
        float[] c = j.c;
        int ldc = j.ldc;
        for (int r = 0; r < MR; r++) {
            for (int x = 0; x < w; x++) tile[r * w + x] = add && r < rows && x < cols ? c[co + r * ldc + x] : 0f;
        }
        kernel(w, kq, j.pa, ao, j.pb, bo, tile, 0, w, true);
        for (int r = 0; r < rows; r++) System.arraycopy(tile, r * w, c, co + r * ldc, cols);
    }

    private static void kernel(int w, int kq, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc,
                               boolean add) {
        switch (w / L) {
            case 4 -> k4x4(kq, pa, ao, pb, bo, c, co, ldc, add);
            case 3 -> k4x3(kq, pa, ao, pb, bo, c, co, ldc, add);
            case 2 -> k4x2(kq, pa, ao, pb, bo, c, co, ldc, add);
            default -> k4x1(kq, pa, ao, pb, bo, c, co, ldc, add);
        }
    }

    /** The main register tile: 4 rows x 4 vectors of C in 16 accumulators, one rank-1 update per p. */
    static void k4x4(int kq, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc, boolean add) {
        int c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector x00 = z, x01 = z, x02 = z, x03 = z, x10 = z, x11 = z, x12 = z, x13 = z;
        FloatVector x20 = z, x21 = z, x22 = z, x23 = z, x30 = z, x31 = z, x32 = z, x33 = z;
        if (add) {
            x00 = ld(c, co); x01 = ld(c, co + L); x02 = ld(c, co + 2 * L); x03 = ld(c, co + 3 * L);
            x10 = ld(c, c1); x11 = ld(c, c1 + L); x12 = ld(c, c1 + 2 * L); x13 = ld(c, c1 + 3 * L);
            x20 = ld(c, c2); x21 = ld(c, c2 + L); x22 = ld(c, c2 + 2 * L); x23 = ld(c, c2 + 3 * L);
            x30 = ld(c, c3); x31 = ld(c, c3 + L); x32 = ld(c, c3 + 2 * L); x33 = ld(c, c3 + 3 * L);
        }
        for (int p = 0; p < kq; p++) {
            int b = bo + p * NR, a = ao + p * MR;
            FloatVector b0 = ld(pb, b), b1 = ld(pb, b + L), b2 = ld(pb, b + 2 * L), b3 = ld(pb, b + 3 * L);
            FloatVector s = FloatVector.broadcast(S, pa[a]);
            x00 = s.fma(b0, x00); x01 = s.fma(b1, x01); x02 = s.fma(b2, x02); x03 = s.fma(b3, x03);
            s = FloatVector.broadcast(S, pa[a + 1]);
            x10 = s.fma(b0, x10); x11 = s.fma(b1, x11); x12 = s.fma(b2, x12); x13 = s.fma(b3, x13);
            s = FloatVector.broadcast(S, pa[a + 2]);
            x20 = s.fma(b0, x20); x21 = s.fma(b1, x21); x22 = s.fma(b2, x22); x23 = s.fma(b3, x23);
            s = FloatVector.broadcast(S, pa[a + 3]);
            x30 = s.fma(b0, x30); x31 = s.fma(b1, x31); x32 = s.fma(b2, x32); x33 = s.fma(b3, x33);
        }
        x00.intoArray(c, co); x01.intoArray(c, co + L); x02.intoArray(c, co + 2 * L); x03.intoArray(c, co + 3 * L);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + L); x12.intoArray(c, c1 + 2 * L); x13.intoArray(c, c1 + 3 * L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x22.intoArray(c, c2 + 2 * L); x23.intoArray(c, c2 + 3 * L);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + L); x32.intoArray(c, c3 + 2 * L); x33.intoArray(c, c3 + 3 * L);
    }

    /** Tail tile for a 3-vector-wide last panel. */
    static void k4x3(int kq, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc, boolean add) {
        int c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc, w = 3 * L;
        FloatVector z = FloatVector.zero(S);
        FloatVector x00 = z, x01 = z, x02 = z, x10 = z, x11 = z, x12 = z;
        FloatVector x20 = z, x21 = z, x22 = z, x30 = z, x31 = z, x32 = z;
        if (add) {
            x00 = ld(c, co); x01 = ld(c, co + L); x02 = ld(c, co + 2 * L);
            x10 = ld(c, c1); x11 = ld(c, c1 + L); x12 = ld(c, c1 + 2 * L);
            x20 = ld(c, c2); x21 = ld(c, c2 + L); x22 = ld(c, c2 + 2 * L);
            x30 = ld(c, c3); x31 = ld(c, c3 + L); x32 = ld(c, c3 + 2 * L);
        }
        for (int p = 0; p < kq; p++) {
            int b = bo + p * w, a = ao + p * MR;
            FloatVector b0 = ld(pb, b), b1 = ld(pb, b + L), b2 = ld(pb, b + 2 * L);
            FloatVector s = FloatVector.broadcast(S, pa[a]);
            x00 = s.fma(b0, x00); x01 = s.fma(b1, x01); x02 = s.fma(b2, x02);
            s = FloatVector.broadcast(S, pa[a + 1]);
            x10 = s.fma(b0, x10); x11 = s.fma(b1, x11); x12 = s.fma(b2, x12);
            s = FloatVector.broadcast(S, pa[a + 2]);
            x20 = s.fma(b0, x20); x21 = s.fma(b1, x21); x22 = s.fma(b2, x22);
            s = FloatVector.broadcast(S, pa[a + 3]);
            x30 = s.fma(b0, x30); x31 = s.fma(b1, x31); x32 = s.fma(b2, x32);
        }
        x00.intoArray(c, co); x01.intoArray(c, co + L); x02.intoArray(c, co + 2 * L);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + L); x12.intoArray(c, c1 + 2 * L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x22.intoArray(c, c2 + 2 * L);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + L); x32.intoArray(c, c3 + 2 * L);
    }

    /** Tail tile for a 2-vector-wide last panel. */
    static void k4x2(int kq, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc, boolean add) {
        int c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc, w = 2 * L;
        FloatVector z = FloatVector.zero(S);
        FloatVector x00 = z, x01 = z, x10 = z, x11 = z, x20 = z, x21 = z, x30 = z, x31 = z;
        if (add) {
            x00 = ld(c, co); x01 = ld(c, co + L); x10 = ld(c, c1); x11 = ld(c, c1 + L);
            x20 = ld(c, c2); x21 = ld(c, c2 + L); x30 = ld(c, c3); x31 = ld(c, c3 + L);
        }
        for (int p = 0; p < kq; p++) {
            int b = bo + p * w, a = ao + p * MR;
            FloatVector b0 = ld(pb, b), b1 = ld(pb, b + L);
            FloatVector s = FloatVector.broadcast(S, pa[a]);
            x00 = s.fma(b0, x00); x01 = s.fma(b1, x01);
            s = FloatVector.broadcast(S, pa[a + 1]);
            x10 = s.fma(b0, x10); x11 = s.fma(b1, x11);
            s = FloatVector.broadcast(S, pa[a + 2]);
            x20 = s.fma(b0, x20); x21 = s.fma(b1, x21);
            s = FloatVector.broadcast(S, pa[a + 3]);
            x30 = s.fma(b0, x30); x31 = s.fma(b1, x31);
        }
        x00.intoArray(c, co); x01.intoArray(c, co + L); x10.intoArray(c, c1); x11.intoArray(c, c1 + L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x30.intoArray(c, c3); x31.intoArray(c, c3 + L);
    }

    /** Tail tile for a 1-vector-wide last panel. */
    static void k4x1(int kq, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc, boolean add) {
        int c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector x0 = z, x1 = z, x2 = z, x3 = z;
        if (add) {
            x0 = ld(c, co); x1 = ld(c, c1); x2 = ld(c, c2); x3 = ld(c, c3);
        }
        for (int p = 0; p < kq; p++) {
            int a = ao + p * MR;
            FloatVector b0 = ld(pb, bo + p * L);
            x0 = FloatVector.broadcast(S, pa[a]).fma(b0, x0);
            x1 = FloatVector.broadcast(S, pa[a + 1]).fma(b0, x1);
            x2 = FloatVector.broadcast(S, pa[a + 2]).fma(b0, x2);
            x3 = FloatVector.broadcast(S, pa[a + 3]).fma(b0, x3);
        }
        x0.intoArray(c, co); x1.intoArray(c, c1); x2.intoArray(c, c2); x3.intoArray(c, c3);
    }

    private static FloatVector ld(float[] x, int i) {
        return FloatVector.fromArray(S, x, i);
    }

    // ---------------------------------------------------------------- small and narrow products

    /**
     * Unpacked kernel for small products and for shapes where packing would cost as much as the arithmetic (fewer
     * than MR rows, or C no wider than two vectors): reads A and B in place, 4 rows x 2 vectors of C at a time when
     * B's rows are contiguous. The ragged right edge (under 2 vectors) is copied zero-padded into a small buffer
     * and its tiles go through the scratch tile, so no masked vector op runs. Rows [i0, i1) of C only.
     */
    static void direct(int i0, int i1, int n, int k, float[] a, int aOff, int rsA, int csA,
                       float[] b, int bOff, int rsB, int csB, float[] c, int cOff, int ldc, boolean acc) {
        if (csB != 1) {
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = cOff + i * ldc + j;
                    c[ci] = dot(k, a, aOff + i * rsA, csA, b, bOff + j * csB, rsB, acc ? c[ci] : 0f);
                }
            }
            return;
        }
        int w = 2 * L, jt = n / w * w, wt = n - jt;
        Work work = null;
        if (wt > 0) {
            work = WORK.get();
            if (work.pb.length < k * w) work.pb = new float[k * w];
            packEdge(k, wt, b, bOff + jt, rsB, work.pb);
        }
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int ai = aOff + i * rsA, ci = cOff + i * ldc;
            for (int j = 0; j < jt; j += w) d4x2(k, a, ai, rsA, csA, b, bOff + j, rsB, c, ci + j, ldc, acc);
            if (wt > 0) {
                float[] t = work.tile;
                int rows = 4;
                edgeIn(t, rows, wt, c, ci + jt, ldc, acc);
                d4x2(k, a, ai, rsA, csA, work.pb, 0, w, t, 0, w, true);
                edgeOut(t, rows, wt, c, ci + jt, ldc);
            }
        }
        for (; i < i1; i++) {
            int ai = aOff + i * rsA, ci = cOff + i * ldc;
            for (int j = 0; j < jt; j += w) d1x2(k, a, ai, csA, b, bOff + j, rsB, c, ci + j, acc);
            if (wt > 0) {
                float[] t = work.tile;
                edgeIn(t, 1, wt, c, ci + jt, ldc, acc);
                d1x2(k, a, ai, csA, work.pb, 0, w, t, 0, true);
                edgeOut(t, 1, wt, c, ci + jt, ldc);
            }
        }
    }

    /** Copies B's last wt (< 2L) columns, k rows, into dst as k x 2L with zeros on the right. */
    private static void packEdge(int k, int wt, float[] b, int src, int rsB, float[] dst) {
        int w = 2 * L;
        for (int p = 0, o = 0; p < k; p++, src += rsB, o += w) {
            for (int x = 0; x < w; x++) dst[o + x] = x < wt ? b[src + x] : 0f;
        }
    }

    /** Loads the scratch tile (rows x 2L, row stride 2L) from C's edge columns when accumulating, else zeros. */
    private static void edgeIn(float[] t, int rows, int wt, float[] c, int co, int ldc, boolean acc) {
        int w = 2 * L;
        for (int r = 0; r < rows; r++) {
            for (int x = 0; x < w; x++) t[r * w + x] = acc && x < wt ? c[co + r * ldc + x] : 0f;
        }
    }

    private static void edgeOut(float[] t, int rows, int wt, float[] c, int co, int ldc) {
        for (int r = 0; r < rows; r++) System.arraycopy(t, r * 2 * L, c, co + r * ldc, wt);
    }

    private static void d4x2(int k, float[] a, int ai, int rsA, int csA, float[] b, int bj, int rsB,
                             float[] c, int cj, int ldc, boolean acc) {
        int a1 = ai + rsA, a2 = a1 + rsA, a3 = a2 + rsA, c1 = cj + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector x00 = z, x01 = z, x10 = z, x11 = z, x20 = z, x21 = z, x30 = z, x31 = z;
        if (acc) {
            x00 = ld(c, cj); x01 = ld(c, cj + L); x10 = ld(c, c1); x11 = ld(c, c1 + L);
            x20 = ld(c, c2); x21 = ld(c, c2 + L); x30 = ld(c, c3); x31 = ld(c, c3 + L);
        }
        for (int p = 0, o = 0; p < k; p++, o += csA, bj += rsB) {
            FloatVector b0 = ld(b, bj), b1 = ld(b, bj + L);
            FloatVector s = FloatVector.broadcast(S, a[ai + o]);
            x00 = s.fma(b0, x00); x01 = s.fma(b1, x01);
            s = FloatVector.broadcast(S, a[a1 + o]);
            x10 = s.fma(b0, x10); x11 = s.fma(b1, x11);
            s = FloatVector.broadcast(S, a[a2 + o]);
            x20 = s.fma(b0, x20); x21 = s.fma(b1, x21);
            s = FloatVector.broadcast(S, a[a3 + o]);
            x30 = s.fma(b0, x30); x31 = s.fma(b1, x31);
        }
        x00.intoArray(c, cj); x01.intoArray(c, cj + L); x10.intoArray(c, c1); x11.intoArray(c, c1 + L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x30.intoArray(c, c3); x31.intoArray(c, c3 + L);
    }

    private static void d1x2(int k, float[] a, int ai, int csA, float[] b, int bj, int rsB, float[] c, int cj,
                             boolean acc) {
        FloatVector x0 = acc ? ld(c, cj) : FloatVector.zero(S), x1 = acc ? ld(c, cj + L) : FloatVector.zero(S);
        for (int p = 0; p < k; p++, ai += csA, bj += rsB) {
            FloatVector s = FloatVector.broadcast(S, a[ai]);
            x0 = s.fma(ld(b, bj), x0);
            x1 = s.fma(ld(b, bj + L), x1);
        }
        x0.intoArray(c, cj);
        x1.intoArray(c, cj + L);
    }

    private static float dot(int k, float[] a, int ai, int csA, float[] b, int bj, int rsB, float s) {
        for (int p = 0; p < k; p++, ai += csA, bj += rsB) s = Math.fma(a[ai], b[bj], s);
        return s;
    }

    private static void zero(int m, int n, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
    }
}
