package dev.deepprob.engine.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * General matrix multiply for float32 and float64: C = A·B, or C += A·B. Operands are read through row and column
 * strides, so transposed and sliced views multiply without copies. Products are computed by a register-tiled Vector
 * API kernel (its {@link Tile} sized to the vector register file) over cache blocks, with operands packed into panels where their layout needs it, and split over
 * {@link Pool} when large; tiny ones take a scalar loop with no setup, and matrix-vector (n = 1), thin (k <= 4) and
 * single-row (m = 1) products on one thread take direct loops over the operands with no packing or tile padding. Each element of C is one fused multiply-add
 * chain over p in order, so the result has the same bits at every thread count. C must not overlap A or B.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * The register tile of the kernels, sized to the vector register file: AVX-512 has 32 registers, AVX2 16, and
     * a tile whose accumulators, B vectors and broadcasts do not fit spills and runs at half the speed or less.
     * Every tile computes the same fma chain per element of C, so the bits do not depend on the tile.
     */
    public enum Tile {
        /** 6 rows by 2 vectors: 12 accumulators, 2 B vectors and 1 broadcast A value, within 16 registers. */
        AVX2,
        /** 4 rows by 4 vectors: 16 accumulators, 4 B vectors and 1 broadcast, within 32 registers. */
        AVX512
    }

    /** The system property that forces a tile: {@code auto} (the default), {@code avx2} or {@code avx512}. */
    public static final String TILE_PROPERTY = "deepprob.gemm.tile";

    private static volatile Tile tile = tileFor(System.getProperty(TILE_PROPERTY, "auto"),
            FloatVector.SPECIES_PREFERRED.vectorBitSize());

    /** The tile products use now: the one {@value #TILE_PROPERTY} names, else the one the vector width fits. */
    public static Tile tile() {
        return tile;
    }

    /** Forces a tile for the products that start afterwards (tests run every tile on every machine). */
    static void setTile(Tile t) {
        tile = java.util.Objects.requireNonNull(t, "gemm tile");
    }

    /**
     * The tile for a property value and a preferred vector width in bits: {@code auto} takes the wide tile where
     * vectors are 512 bits (AVX-512, 32 registers) and the tall one otherwise (AVX2 and narrower, 16 registers).
     */
    static Tile tileFor(String property, int vectorBits) {
        return switch (property.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto", "" -> vectorBits >= 512 ? Tile.AVX512 : Tile.AVX2;
            case "avx2" -> Tile.AVX2;
            case "avx512" -> Tile.AVX512;
            default -> throw new IllegalArgumentException(
                    "gemm: system property " + TILE_PROPERTY + " must be auto, avx2 or avx512, got '" + property + "'");
        };
    }

    /**
     * C = A·B (or C += A·B when accumulate). A is m×k read at a[aOff + i*rsA + p*csA]; B is k×n read at
     * b[bOff + p*rsB + j*csB]; C is m×n row-major at c[cOff + i*ldc + j]. Strides let transposed views in without
     * copies. Only C is modified; with k = 0 it is zeroed (or left as it is when accumulating).
     */
    public static void sgemm(int m, int n, int k, float[] a, int aOff, int rsA, int csA,
                             float[] b, int bOff, int rsB, int csB, float[] c, int cOff, int ldc,
                             boolean accumulate) {
        check("sgemm", m, n, k, a.length, aOff, rsA, csA, b.length, bOff, rsB, csB, c.length, cOff, ldc);
        GemmF32.gemm(m, n, k, a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, accumulate);
    }

    /** The float64 twin of {@link #sgemm}, with the same layout contract. Only C is modified. */
    public static void dgemm(int m, int n, int k, double[] a, int aOff, int rsA, int csA,
                             double[] b, int bOff, int rsB, int csB, double[] c, int cOff, int ldc,
                             boolean accumulate) {
        check("dgemm", m, n, k, a.length, aOff, rsA, csA, b.length, bOff, rsB, csB, c.length, cOff, ldc);
        GemmF64.gemm(m, n, k, a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, accumulate);
    }

    /**
     * Scalar triple-loop reference for {@link #sgemm}, the test oracle: each element is summed in double and
     * rounded once, so it is at least as accurate as the fast kernel. Same arguments and contract.
     */
    public static void sgemmRef(int m, int n, int k, float[] a, int aOff, int rsA, int csA,
                                float[] b, int bOff, int rsB, int csB, float[] c, int cOff, int ldc,
                                boolean accumulate) {
        check("sgemmRef", m, n, k, a.length, aOff, rsA, csA, b.length, bOff, rsB, csB, c.length, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c[cOff + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) s += (double) a[aOff + i * rsA + p * csA] * b[bOff + p * rsB + j * csB];
                c[cOff + i * ldc + j] = (float) s;
            }
        }
    }

    /** Scalar triple-loop reference for {@link #dgemm}, the test oracle. Same arguments and contract. */
    public static void dgemmRef(int m, int n, int k, double[] a, int aOff, int rsA, int csA,
                                double[] b, int bOff, int rsB, int csB, double[] c, int cOff, int ldc,
                                boolean accumulate) {
        check("dgemmRef", m, n, k, a.length, aOff, rsA, csA, b.length, bOff, rsB, csB, c.length, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c[cOff + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) s += a[aOff + i * rsA + p * csA] * b[bOff + p * rsB + j * csB];
                c[cOff + i * ldc + j] = s;
            }
        }
    }

    /** Rejects sizes, strides and offsets that would read or write outside the arrays, naming the values. */
    private static void check(String op, int m, int n, int k, int aLen, int aOff, int rsA, int csA,
                              int bLen, int bOff, int rsB, int csB, int cLen, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m > 1 && n > 0 && ldc < n) {
            throw new IllegalArgumentException(op + ": ldc must be >= n so rows of C do not overlap, got ldc=" + ldc
                    + ", n=" + n);
        }
        extent(op, "A", m, k, aLen, aOff, rsA, csA);
        extent(op, "B", k, n, bLen, bOff, rsB, csB);
        extent(op, "C", m, n, cLen, cOff, ldc, 1);
    }

    /** The lowest and highest index a rows x cols view touches must lie in [0, len); corners bound both. */
    private static void extent(String op, String name, int rows, int cols, int len, int off, int rs, int cs) {
        if (rows == 0 || cols == 0) return;
        long lo = off + Math.min(0L, (long) (rows - 1) * rs) + Math.min(0L, (long) (cols - 1) * cs);
        long hi = off + Math.max(0L, (long) (rows - 1) * rs) + Math.max(0L, (long) (cols - 1) * cs);
        if (lo < 0 || hi >= len) {
            throw new IndexOutOfBoundsException(op + ": " + name + " (" + rows + "x" + cols + ", offset " + off
                    + ", strides " + rs + "," + cs + ") spans indices [" + lo + ", " + hi + "] outside array of length "
                    + len);
        }
    }
}
