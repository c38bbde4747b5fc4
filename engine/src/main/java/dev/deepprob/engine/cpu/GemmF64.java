package dev.deepprob.engine.cpu;

// Generated from GemmF32.java: sed -e 's/GemmF32/GemmF64/g' -e 's/FloatVector/DoubleVector/g' -e 's/<Float>/<Double>/g'
// -e 's/\bfloat\b/double/g' -e 's/\bfloats\b/doubles/g' -e 's/\b0f\b/0.0/g' -e 's/float32/float64/g'
// -e 's/Gemm#sgemm/Gemm#dgemm/g',
// then this class comment, NC_PANELS 512 -> 256 / NR, the 8 KiB sliver note and B_IN_PLACE_MAX 256 * 256 -> 128 * 256.

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The float64 GEMM behind {@link Gemm#dgemm}: {@code GemmF32} with float replaced by double (8 lanes with
 * AVX-512, so a 4 x 32 register tile) and L1/L2 blocks sized for 8-byte elements. Generated from GemmF32 by
 * substitution; edit GemmF32 and regenerate rather than editing this file alone.
 */
final class GemmF64 {
    private GemmF64() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes per vector (16 with AVX-512). */
    static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 4;
    /** Columns of the register tile and width of a full B panel: 4 vectors. */
    static final int NR = 4 * L;
    /** Depth of a block: A's MR x KC sliver (8 KiB) stays in L1 while it meets the B panels. */
    static final int KC = 256;
    /** B panels per L2 block: KC x NC_PANELS*NR doubles (512 KiB with AVX-512) are reused by every A sliver. */
    static final int NC_PANELS = Math.max(1, 256 / NR);
    /** Largest chunk handled at once, which bounds the packing buffers at about 16 MiB each. */
    static final int MAX_M = 2048;
    static final int MAX_N = (2048 / NR) * NR;
    static final int MAX_K = 8 * KC;
    /** B with at most this many elements (256 KiB) is read in place when its rows are contiguous: it stays in L2. */
    static final long B_IN_PLACE_MAX = 128L * 256;
    /** Up to this many multiply-adds (m*n*k) a scalar loop is fastest: no setup, no buffers, no hand-off. */
    static final long TINY_MAX = 8L * 8 * 8;
    /** Below this many multiply-adds one thread beats a hand-off to the pool (tens of microseconds here). */
    static final long PARALLEL_MIN = 128L * 128 * 128;

    /** Tasks per thread in a parallel split: enough for the pool's dynamic hand-out to even out a late start. */
    static final int TASKS_PER_THREAD = 4;

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int PENDING = 0, BUSY = 1, DONE = 2, FAILED = 3;

    /** Per-thread packing buffers and the reusable job, so steady state allocates nothing. */
    private static final class Work {
        double[] pa = new double[0];
        double[] pb = new double[0];
        int[] aState = new int[0];
        int[] bState = new int[0];
        final double[] tile = new double[MR * NR];
        final Job job = new Job();
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /**
     * One chunk of the product, C[mm x nn] (+)= A[mm x kk] · B[kk x nn], shared read-only by the tasks. Panels that
     * need packing are packed lazily by whichever task needs one first (state PENDING, BUSY, DONE per panel and KC
     * block), so packing overlaps arithmetic and a single hand-off to the pool suffices.
     */
    private static final class Job {
        int mm, nn, kk;
        double[] a, b, c;
        int aOff, rsA, csA, bOff, rsB, csB, cOff, rsC, csC;
        boolean acc, packA, packB;
        double[] pa, pb;
        int[] aState, bState;
        int mPanels, mPad, nFull, nPanels, nPad, wTail, kc;
        int rowGroups, colGroups;
        final IntConsumer body = t -> computeTask(this, t);
    }

    static void gemm(int m, int n, int k, double[] a, int aOff, int rsA, int csA,
                     double[] b, int bOff, int rsB, int csB, double[] c, int cOff, int ldc, boolean acc) {
        if (m == 0 || n == 0) return;
        long work = (long) m * n * k;
        if (work <= TINY_MAX) {
            scalar(m, n, k, a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, acc);
            return;
        }
        int threads = work < PARALLEL_MIN ? 1 : Pool.threads();
        if (n <= 2 * L && m >= 2 * NR && rsA == 1) {
            // Narrow C from a column-major A (a transposed view): compute C^T = B^T·A^T, whose rows A^T supplies
            // contiguously, so vectors run along m with no padding of n. Tiles reach C through the scratch tile.
            blocked(n, m, k, b, bOff, csB, rsB, a, aOff, csA, rsA, c, cOff, 1, ldc, acc, threads);
        } else {
            blocked(m, n, k, a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, 1, acc, threads);
        }
    }

    /** The blocked product with C element (i, j) at c[cOff + i*rsC + j*csC], in chunks that bound the buffers. */
    private static void blocked(int m, int n, int k, double[] a, int aOff, int rsA, int csA, double[] b, int bOff,
                                int rsB, int csB, double[] c, int cOff, int rsC, int csC, boolean acc, int threads) {
        Work w = WORK.get();
        Job job = w.job;
        for (int j0 = 0; j0 < n; j0 += MAX_N) {
            int nn = Math.min(MAX_N, n - j0);
            for (int p0 = 0; p0 < k; p0 += MAX_K) {
                int kk = Math.min(MAX_K, k - p0);
                for (int i0 = 0; i0 < m; i0 += MAX_M) {
                    int mm = Math.min(MAX_M, m - i0);
                    job.a = a; job.aOff = aOff + i0 * rsA + p0 * csA; job.rsA = rsA; job.csA = csA;
                    job.b = b; job.bOff = bOff + p0 * rsB + j0 * csB; job.rsB = rsB; job.csB = csB;
                    job.c = c; job.cOff = cOff + i0 * rsC + j0 * csC; job.rsC = rsC; job.csC = csC;
                    job.acc = acc || p0 > 0;
                    setUp(w, job, mm, nn, kk, threads, i0 == 0);
                    if (threads == 1) computeTask(job, 0);
                    else Pool.parallelFor(job.rowGroups * job.colGroups, job.body);
                }
            }
        }
        job.a = job.b = job.c = null;
    }

    /**
     * Sizes the chunk's panels, decides what to pack, grows the buffers if needed and marks the panels to pack (B's
     * only when this chunk starts a new column/depth range; otherwise the previous chunk's packed B is reused).
     */
    private static void setUp(Work w, Job job, int mm, int nn, int kk, int threads, boolean freshB) {
        job.mm = mm; job.nn = nn; job.kk = kk;
        job.mPanels = (mm + MR - 1) / MR;
        job.mPad = job.mPanels * MR;
        job.nFull = nn / NR;
        int rem = nn - job.nFull * NR;
        job.wTail = rem == 0 ? 0 : (rem + L - 1) / L * L;
        job.nPanels = job.nFull + (rem == 0 ? 0 : 1);
        job.nPad = job.nFull * NR + job.wTail;
        // Packing pays when the packed panel is reused: A's sliver by several B panels, B's panel by several A
        // slivers. B is read by whole vectors, so it is packed whenever its rows are not contiguous.
        // B's choice is made once per column/depth range, since later row chunks reuse what the first packed.
        job.packA = job.csA != 1 && job.nPanels > 2;
        if (freshB) job.packB = job.csB != 1 || ((long) kk * nn > B_IN_PLACE_MAX && job.mPanels > 2);
        // One column panel: no A sliver is reused across panels, so blocking k only adds C round trips.
        job.kc = job.nPanels == 1 ? kk : KC;
        int blocks = (kk + job.kc - 1) / job.kc;
        if (w.pa.length < job.mPad * kk) w.pa = new double[job.mPad * kk];
        if (w.pb.length < job.nPad * kk) w.pb = new double[job.nPad * kk];
        if (w.aState.length < blocks * job.mPanels) w.aState = new int[blocks * job.mPanels];
        if (w.bState.length < blocks * job.nPanels) w.bState = new int[blocks * job.nPanels];
        Arrays.fill(w.aState, 0, blocks * job.mPanels, PENDING);
        if (freshB) Arrays.fill(w.bState, 0, blocks * job.nPanels, PENDING);
        job.pa = w.pa; job.pb = w.pb; job.aState = w.aState; job.bState = w.bState;
        split(job, threads == 1 ? 1 : TASKS_PER_THREAD * threads);
    }

    /**
     * Splits C into about {@code want} rectangles, rows x columns of panels, choosing the shape that reads the
     * least: each row group streams all of its B columns and each column group all of its A rows.
     */
    private static void split(Job job, int want) {
        int bestR = 1, bestC = 1;
        long bestCost = Long.MAX_VALUE;
        for (int r = 1; r <= Math.min(want, job.mPanels); r++) {
            int cg = Math.min(job.nPanels, (want + r - 1) / r);
            if (r * cg < Math.min(want, job.mPanels * job.nPanels)) continue;
            long cost = (long) r * job.nn + (long) cg * job.mm;
            if (cost < bestCost) {
                bestCost = cost;
                bestR = r;
                bestC = cg;
            }
        }
        job.rowGroups = bestR;
        job.colGroups = bestC;
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
        double[] tile = WORK.get().tile;
        for (int q = 0, q0 = 0; q0 < j.kk; q++, q0 += j.kc) {
            boolean add = j.acc || q0 > 0;
            for (int jc = jpa; jc < jpb; jc += NC_PANELS) {
                int jce = Math.min(jc + NC_PANELS, jpb);
                for (int ip = ipa; ip < ipb; ip++) {
                    for (int jp = jc; jp < jce; jp++) tile(j, q, q0, ip, jp, add, tile);
                }
            }
        }
    }

    /**
     * One MR x w tile of block q: finds A's sliver and B's panel (in place or packed, packing on first use) and
     * runs the kernel straight into C when the tile lies wholly inside, else through the scratch tile.
     */
    private static void tile(Job j, int q, int q0, int ip, int jp, boolean add, double[] tile) {
        int kq = Math.min(j.kc, j.kk - q0);
        int w = jp < j.nFull ? NR : j.wTail;
        int rows = Math.min(MR, j.mm - ip * MR), cols = Math.min(w, j.nn - jp * NR);
        double[] a = j.a, b = j.b;
        int ai, rs, cs, bj, rsB;
        if (!j.packA && rows == MR) {
            ai = j.aOff + ip * MR * j.rsA + q0 * j.csA; rs = j.rsA; cs = j.csA;
        } else {
            ensure(j, true, q, ip);
            a = j.pa; ai = q0 * j.mPad + ip * MR * kq; rs = 1; cs = MR;
        }
        if (!j.packB && cols == w) {
            bj = j.bOff + q0 * j.rsB + jp * NR; rsB = j.rsB;
        } else {
            ensure(j, false, q, jp);
            b = j.pb; bj = q0 * j.nPad + jp * NR * kq; rsB = w;
        }
        int co = j.cOff + ip * MR * j.rsC + jp * NR * j.csC;
        if (rows == MR && cols == w && j.csC == 1) {
            kernel(w, kq, a, ai, rs, cs, b, bj, rsB, j.c, co, j.rsC, add);
            return;
        }
        tileIn(tile, w, rows, cols, j.c, co, j.rsC, j.csC, add);
        kernel(w, kq, a, ai, rs, cs, b, bj, rsB, tile, 0, w, true);
        tileOut(tile, w, rows, cols, j.c, co, j.rsC, j.csC);
    }

    /** Loads the scratch tile (row stride w) from C's rows x cols corner, or zeros it; other lanes are never read. */
    private static void tileIn(double[] t, int w, int rows, int cols, double[] c, int co, int rsC, int csC,
                               boolean add) {
        for (int r = 0; r < rows; r++) {
            if (!add) Arrays.fill(t, r * w, r * w + cols, 0.0);
            else if (csC == 1) System.arraycopy(c, co + r * rsC, t, r * w, cols);
            else for (int x = 0; x < cols; x++) t[r * w + x] = c[co + r * rsC + x * csC];
        }
    }

    private static void tileOut(double[] t, int w, int rows, int cols, double[] c, int co, int rsC, int csC) {
        if (csC == 1) {
            for (int r = 0; r < rows; r++) System.arraycopy(t, r * w, c, co + r * rsC, cols);
        } else {
            for (int x = 0; x < cols; x++) {
                for (int r = 0; r < rows; r++) c[co + r * rsC + x * csC] = t[r * w + x];
            }
        }
    }

    private static void kernel(int w, int kq, double[] a, int ai, int rs, int cs, double[] b, int bj, int rsB,
                               double[] c, int co, int ldc, boolean add) {
        switch (w / L) {
            case 4 -> k4x4(kq, a, ai, rs, cs, b, bj, rsB, c, co, ldc, add);
            case 3 -> k4x3(kq, a, ai, rs, cs, b, bj, rsB, c, co, ldc, add);
            case 2 -> k4x2(kq, a, ai, rs, cs, b, bj, rsB, c, co, ldc, add);
            default -> k4x1(kq, a, ai, rs, cs, b, bj, rsB, c, co, ldc, add);
        }
    }

    // ---------------------------------------------------------------- packing

    /**
     * Makes sure panel {@code panel} of block q is packed: packs it if unclaimed, else spins until its packer (a
     * running task, so the wait is short and cannot deadlock) is done.
     */
    private static void ensure(Job j, boolean isA, int q, int panel) {
        int[] st = isA ? j.aState : j.bState;
        int idx = q * (isA ? j.mPanels : j.nPanels) + panel;
        if ((int) STATE.getAcquire(st, idx) == DONE) return;
        if (STATE.compareAndSet(st, idx, PENDING, BUSY)) {
            try {
                if (isA) packA(j, q * j.kc, panel);
                else packB(j, q * j.kc, panel);
            } catch (Throwable e) {
                STATE.setRelease(st, idx, FAILED);
                throw e;
            }
            STATE.setRelease(st, idx, DONE);
            return;
        }
        for (int s; (s = (int) STATE.getAcquire(st, idx)) != DONE; Thread.onSpinWait()) {
            if (s == FAILED) throw new IllegalStateException("gemm: packing a panel failed in another task");
        }
    }

    /** A's row panel ip of the block at depth q0: pa[q0*mPad + ip*MR*kq + p*MR + r] = A[ip*MR + r, q0 + p]. */
    private static void packA(Job j, int q0, int ip) {
        int rows = Math.min(MR, j.mm - ip * MR), kq = Math.min(j.kc, j.kk - q0);
        double[] a = j.a, pa = j.pa;
        int rsA = j.rsA, csA = j.csA;
        int dst = q0 * j.mPad + ip * MR * kq;
        int src = j.aOff + ip * MR * rsA + q0 * csA;
        if (rows == MR) {
            packA4(kq, a, src, rsA, csA, pa, dst);
        } else {
            for (int p = 0; p < kq; p++, src += csA, dst += MR) {
                for (int r = 0; r < MR; r++) pa[dst + r] = r < rows ? a[src + r * rsA] : 0.0;
            }
        }
    }

    private static void packA4(int kq, double[] a, int src, int rsA, int csA, double[] pa, int dst) {
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
        int cols = Math.min(w, j.nn - jp * NR), kq = Math.min(j.kc, j.kk - q0);
        double[] b = j.b, pb = j.pb;
        int rsB = j.rsB, csB = j.csB;
        int dst = q0 * j.nPad + jp * NR * kq;
        int src = j.bOff + q0 * rsB + jp * NR * csB;
        if (csB == 1 && cols == w) {
            packBRows(kq, w, b, src, rsB, pb, dst);
        } else if (csB == 1) {
            for (int p = 0; p < kq; p++, src += rsB, dst += w) {
                System.arraycopy(b, src, pb, dst, cols);
                Arrays.fill(pb, dst + cols, dst + w, 0.0);
            }
        } else {
            // B read across columns (x·Wᵀ reads W's rows as B's columns): 16 columns at a time, so the panel is written
            // a whole cache line per row while 16 source rows stream, instead of one element per line per pass
            int x = 0;
            for (; x + 16 <= cols; x += 16) packBColumns16(kq, b, src + x * csB, rsB, csB, pb, dst + x, w);
            for (; x < cols; x++) packBColumn(kq, b, src + x * csB, rsB, pb, dst + x, w);
            for (; x < w; x++) for (int p = 0; p < kq; p++) pb[dst + x + p * w] = 0.0;
        }
    }

    private static void packBColumns16(int kq, double[] b, int src, int rsB, int csB, double[] pb, int dst, int w) {
        for (int p = 0; p < kq; p++, src += rsB, dst += w) {
            for (int x = 0, s = src; x < 16; x++, s += csB) pb[dst + x] = b[s];
        }
    }

    private static void packBRows(int kq, int w, double[] b, int src, int rsB, double[] pb, int dst) {
        for (int p = 0; p < kq; p++, src += rsB, dst += w) {
            for (int v = 0; v < w; v += L) DoubleVector.fromArray(S, b, src + v).intoArray(pb, dst + v);
        }
    }

    private static void packBColumn(int kq, double[] b, int src, int rsB, double[] pb, int dst, int w) {
        for (int p = 0; p < kq; p++, src += rsB, dst += w) pb[dst] = b[src];
    }

    // ---------------------------------------------------------------- register tiles

    /**
     * The main register tile: C[4 x 4L] (+)= A[4 x kq] · B[kq x 4L] in 16 accumulators, one rank-1 update per p.
     * A element (r, p) is a[ai + r*rs + p*cs] (packed: rs = 1, cs = MR; in place: rs = rsA, cs = 1); B row p is
     * the 4 vectors at b[bj + p*rsB].
     */
    static void k4x4(int kq, double[] a, int ai, int rs, int cs, double[] b, int bj, int rsB,
                     double[] c, int co, int ldc, boolean add) {
        int a1 = ai + rs, a2 = a1 + rs, a3 = a2 + rs, c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector x00 = z, x01 = z, x02 = z, x03 = z, x10 = z, x11 = z, x12 = z, x13 = z;
        DoubleVector x20 = z, x21 = z, x22 = z, x23 = z, x30 = z, x31 = z, x32 = z, x33 = z;
        if (add) {
            x00 = DoubleVector.fromArray(S, c, co); x01 = DoubleVector.fromArray(S, c, co + L); x02 = DoubleVector.fromArray(S, c, co + 2 * L); x03 = DoubleVector.fromArray(S, c, co + 3 * L);
            x10 = DoubleVector.fromArray(S, c, c1); x11 = DoubleVector.fromArray(S, c, c1 + L); x12 = DoubleVector.fromArray(S, c, c1 + 2 * L); x13 = DoubleVector.fromArray(S, c, c1 + 3 * L);
            x20 = DoubleVector.fromArray(S, c, c2); x21 = DoubleVector.fromArray(S, c, c2 + L); x22 = DoubleVector.fromArray(S, c, c2 + 2 * L); x23 = DoubleVector.fromArray(S, c, c2 + 3 * L);
            x30 = DoubleVector.fromArray(S, c, c3); x31 = DoubleVector.fromArray(S, c, c3 + L); x32 = DoubleVector.fromArray(S, c, c3 + 2 * L); x33 = DoubleVector.fromArray(S, c, c3 + 3 * L);
        }
        for (int p = 0, o = 0; p < kq; p++, o += cs, bj += rsB) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bj), b1 = DoubleVector.fromArray(S, b, bj + L), b2 = DoubleVector.fromArray(S, b, bj + 2 * L), b3 = DoubleVector.fromArray(S, b, bj + 3 * L);
            DoubleVector s = DoubleVector.broadcast(S, a[ai + o]);
            x00 = s.fma(b0, x00); x01 = s.fma(b1, x01); x02 = s.fma(b2, x02); x03 = s.fma(b3, x03);
            s = DoubleVector.broadcast(S, a[a1 + o]);
            x10 = s.fma(b0, x10); x11 = s.fma(b1, x11); x12 = s.fma(b2, x12); x13 = s.fma(b3, x13);
            s = DoubleVector.broadcast(S, a[a2 + o]);
            x20 = s.fma(b0, x20); x21 = s.fma(b1, x21); x22 = s.fma(b2, x22); x23 = s.fma(b3, x23);
            s = DoubleVector.broadcast(S, a[a3 + o]);
            x30 = s.fma(b0, x30); x31 = s.fma(b1, x31); x32 = s.fma(b2, x32); x33 = s.fma(b3, x33);
        }
        x00.intoArray(c, co); x01.intoArray(c, co + L); x02.intoArray(c, co + 2 * L); x03.intoArray(c, co + 3 * L);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + L); x12.intoArray(c, c1 + 2 * L); x13.intoArray(c, c1 + 3 * L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x22.intoArray(c, c2 + 2 * L); x23.intoArray(c, c2 + 3 * L);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + L); x32.intoArray(c, c3 + 2 * L); x33.intoArray(c, c3 + 3 * L);
    }

    /** {@link #k4x4} for a panel 3 vectors wide. */
    static void k4x3(int kq, double[] a, int ai, int rs, int cs, double[] b, int bj, int rsB,
                     double[] c, int co, int ldc, boolean add) {
        int a1 = ai + rs, a2 = a1 + rs, a3 = a2 + rs, c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector x00 = z, x01 = z, x02 = z, x10 = z, x11 = z, x12 = z;
        DoubleVector x20 = z, x21 = z, x22 = z, x30 = z, x31 = z, x32 = z;
        if (add) {
            x00 = DoubleVector.fromArray(S, c, co); x01 = DoubleVector.fromArray(S, c, co + L); x02 = DoubleVector.fromArray(S, c, co + 2 * L);
            x10 = DoubleVector.fromArray(S, c, c1); x11 = DoubleVector.fromArray(S, c, c1 + L); x12 = DoubleVector.fromArray(S, c, c1 + 2 * L);
            x20 = DoubleVector.fromArray(S, c, c2); x21 = DoubleVector.fromArray(S, c, c2 + L); x22 = DoubleVector.fromArray(S, c, c2 + 2 * L);
            x30 = DoubleVector.fromArray(S, c, c3); x31 = DoubleVector.fromArray(S, c, c3 + L); x32 = DoubleVector.fromArray(S, c, c3 + 2 * L);
        }
        for (int p = 0, o = 0; p < kq; p++, o += cs, bj += rsB) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bj), b1 = DoubleVector.fromArray(S, b, bj + L), b2 = DoubleVector.fromArray(S, b, bj + 2 * L);
            DoubleVector s = DoubleVector.broadcast(S, a[ai + o]);
            x00 = s.fma(b0, x00); x01 = s.fma(b1, x01); x02 = s.fma(b2, x02);
            s = DoubleVector.broadcast(S, a[a1 + o]);
            x10 = s.fma(b0, x10); x11 = s.fma(b1, x11); x12 = s.fma(b2, x12);
            s = DoubleVector.broadcast(S, a[a2 + o]);
            x20 = s.fma(b0, x20); x21 = s.fma(b1, x21); x22 = s.fma(b2, x22);
            s = DoubleVector.broadcast(S, a[a3 + o]);
            x30 = s.fma(b0, x30); x31 = s.fma(b1, x31); x32 = s.fma(b2, x32);
        }
        x00.intoArray(c, co); x01.intoArray(c, co + L); x02.intoArray(c, co + 2 * L);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + L); x12.intoArray(c, c1 + 2 * L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x22.intoArray(c, c2 + 2 * L);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + L); x32.intoArray(c, c3 + 2 * L);
    }

    /** {@link #k4x4} for a panel 2 vectors wide. */
    static void k4x2(int kq, double[] a, int ai, int rs, int cs, double[] b, int bj, int rsB,
                     double[] c, int co, int ldc, boolean add) {
        int a1 = ai + rs, a2 = a1 + rs, a3 = a2 + rs, c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector x00 = z, x01 = z, x10 = z, x11 = z, x20 = z, x21 = z, x30 = z, x31 = z;
        if (add) {
            x00 = DoubleVector.fromArray(S, c, co); x01 = DoubleVector.fromArray(S, c, co + L); x10 = DoubleVector.fromArray(S, c, c1); x11 = DoubleVector.fromArray(S, c, c1 + L);
            x20 = DoubleVector.fromArray(S, c, c2); x21 = DoubleVector.fromArray(S, c, c2 + L); x30 = DoubleVector.fromArray(S, c, c3); x31 = DoubleVector.fromArray(S, c, c3 + L);
        }
        for (int p = 0, o = 0; p < kq; p++, o += cs, bj += rsB) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bj), b1 = DoubleVector.fromArray(S, b, bj + L);
            DoubleVector s = DoubleVector.broadcast(S, a[ai + o]);
            x00 = s.fma(b0, x00); x01 = s.fma(b1, x01);
            s = DoubleVector.broadcast(S, a[a1 + o]);
            x10 = s.fma(b0, x10); x11 = s.fma(b1, x11);
            s = DoubleVector.broadcast(S, a[a2 + o]);
            x20 = s.fma(b0, x20); x21 = s.fma(b1, x21);
            s = DoubleVector.broadcast(S, a[a3 + o]);
            x30 = s.fma(b0, x30); x31 = s.fma(b1, x31);
        }
        x00.intoArray(c, co); x01.intoArray(c, co + L); x10.intoArray(c, c1); x11.intoArray(c, c1 + L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x30.intoArray(c, c3); x31.intoArray(c, c3 + L);
    }

    /** {@link #k4x4} for a panel 1 vector wide. */
    static void k4x1(int kq, double[] a, int ai, int rs, int cs, double[] b, int bj, int rsB,
                     double[] c, int co, int ldc, boolean add) {
        int a1 = ai + rs, a2 = a1 + rs, a3 = a2 + rs, c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector x0 = z, x1 = z, x2 = z, x3 = z;
        if (add) {
            x0 = DoubleVector.fromArray(S, c, co); x1 = DoubleVector.fromArray(S, c, c1); x2 = DoubleVector.fromArray(S, c, c2); x3 = DoubleVector.fromArray(S, c, c3);
        }
        for (int p = 0, o = 0; p < kq; p++, o += cs, bj += rsB) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bj);
            x0 = DoubleVector.broadcast(S, a[ai + o]).fma(b0, x0);
            x1 = DoubleVector.broadcast(S, a[a1 + o]).fma(b0, x1);
            x2 = DoubleVector.broadcast(S, a[a2 + o]).fma(b0, x2);
            x3 = DoubleVector.broadcast(S, a[a3 + o]).fma(b0, x3);
        }
        x0.intoArray(c, co); x1.intoArray(c, c1); x2.intoArray(c, c2); x3.intoArray(c, c3);
    }

    // No helper method for loads: a small method of ours may be left out of line at a rarely taken call site (C2's
    // "low call site frequency", e.g. the add branch of a kernel), and a vector returned from a call is boxed; the
    // boxed accumulators then cost 5-6x on every product. DoubleVector.fromArray is force-inlined by the JDK.

    // ---------------------------------------------------------------- tiny products

    /**
     * Tiny products: the same fma chain per element in scalar loops with no setup at all, four columns at a time so
     * four independent chains hide the fma latency.
     */
    static void scalar(int m, int n, int k, double[] a, int aOff, int rsA, int csA,
                       double[] b, int bOff, int rsB, int csB, double[] c, int cOff, int ldc, boolean acc) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * rsA, ci = cOff + i * ldc, j = 0;
            for (; j + 4 <= n; j += 4) scalar4(k, a, ai, csA, b, bOff + j * csB, rsB, csB, c, ci + j, acc);
            for (; j < n; j++) {
                double s = acc ? c[ci + j] : 0.0;
                for (int p = 0, x = ai, y = bOff + j * csB; p < k; p++, x += csA, y += rsB) s = Math.fma(a[x], b[y], s);
                c[ci + j] = s;
            }
        }
    }

    private static void scalar4(int k, double[] a, int ai, int csA, double[] b, int bj, int rsB, int csB,
                                double[] c, int cj, boolean acc) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        if (acc) {
            s0 = c[cj]; s1 = c[cj + 1]; s2 = c[cj + 2]; s3 = c[cj + 3];
        }
        int b1 = bj + csB, b2 = b1 + csB, b3 = b2 + csB;
        for (int p = 0, x = ai, y = 0; p < k; p++, x += csA, y += rsB) {
            double av = a[x];
            s0 = Math.fma(av, b[bj + y], s0);
            s1 = Math.fma(av, b[b1 + y], s1);
            s2 = Math.fma(av, b[b2 + y], s2);
            s3 = Math.fma(av, b[b3 + y], s3);
        }
        c[cj] = s0; c[cj + 1] = s1; c[cj + 2] = s2; c[cj + 3] = s3;
    }
}
