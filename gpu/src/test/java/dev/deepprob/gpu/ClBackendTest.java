package dev.deepprob.gpu;

import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.engine.BinaryOp;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Fused;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.ReduceOp;
import dev.deepprob.engine.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/** The OpenCL backend beyond the shared contract: every op against the CPU backend, errors, the pool, the tuner. */
class ClBackendTest {
    private final ClBackend cl = ClTestDevice.backend();
    private final Backend cpu = Backends.cpu();
    private final Generator gen = new Generator(11);

    private NDArray dev(NDArray x) { return x.to(cl); }

    /** A transposed, offset view on the device and the same view on the CPU. */
    private NDArray[] stridedPair(DType t, int rows, int cols) {
        NDArray host = NDArray.randn(gen, DType.F64, cols, rows + 2).mul(2).to(t);
        return new NDArray[]{host.narrow(1, 1, rows).mT(), dev(host).narrow(1, 1, rows).mT()};
    }

    private static void assertClose(NDArray want, NDArray got, double rtol, String what) {
        assertArrayEquals(want.dims(), got.dims(), what);
        assertEquals(want.dtype(), got.dtype(), what);
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            if (Double.isNaN(w[i])) assertTrue(Double.isNaN(g[i]), what + " at " + i + ": want NaN, got " + g[i]);
            else assertEquals(w[i], g[i], rtol * Math.max(1, Math.abs(w[i])), what + " at " + i);
        }
    }

    @Test
    void theServiceLoaderBackendIsTheDefaultDevicesAndOpensNothingUntilUsed() {
        Backend found = Backends.get("opencl");
        assertSame(OpenCl.backend(), found, "one instance per device, whichever way it is reached");
        assertSame(found, OpenCl.backend("opencl:" + OpenCl.defaultDevice().index()));
        // a freshly made provider instance (what ServiceLoader makes on a machine without OpenCL) touches nothing
        ClBackend lazy = new ClBackend();
        assertEquals("opencl", lazy.name());
        assertTrue(lazy.toString().contains("device not yet opened"), lazy.toString());
        assertFalse(OpenCl.devices().isEmpty());
        var bad = assertThrows(IllegalArgumentException.class, () -> OpenCl.device("opencl:99"));
        assertTrue(bad.getMessage().contains("no device 99"), bad.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> OpenCl.device("no-such-device-name"));
        assertTrue(none.getMessage().contains("no-such-device-name") && none.getMessage().contains("opencl:0"), none.getMessage());
        assertSame(OpenCl.device("opencl:0"), OpenCl.device(OpenCl.devices().getFirst().name().substring(0, 5)));
    }

    @Test
    void anOperationMixingTheCpuAndTheDeviceNamesBoth() {
        NDArray a = NDArray.ones(DType.F32, 3), b = dev(NDArray.ones(DType.F32, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("opencl"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> b.matmul(a.reshape(3, 1)));
        assertTrue(f.getMessage().contains("opencl and cpu"), f.getMessage());
        // handed a CPU array directly, the backend says so too
        var g = assertThrows(IllegalArgumentException.class, () -> cl.binary(BinaryOp.ADD, b, a));
        assertTrue(g.getMessage().contains("opencl") && g.getMessage().contains("cpu"), g.getMessage());
    }

    @Test
    void everyUnaryOpMatchesTheCpuOnStridedViews() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            NDArray[] x = stridedPair(t, 9, 13);
            // 2 ulp of F32 for the device's own exp/log/...; F64 within 1e-13 (PoCL's libm against Java's StrictMath-grade ones)
            double tol = t == DType.F32 ? 3e-6 : 1e-13;
            for (UnaryOp op : UnaryOp.values()) {
                if (op == UnaryOp.NOT) continue;
                NDArray want = x[0].apply(op), got = x[1].apply(op).toCpu();
                // lgamma/digamma/trigamma near their poles and zeros lose relative accuracy: compare on x > 0 too
                assertClose(want, got, op == UnaryOp.LGAMMA || op == UnaryOp.DIGAMMA || op == UnaryOp.TRIGAMMA ? Math.max(tol, 1e-11) : tol,
                        t + " " + op);
            }
            for (int n = 0; n <= 4; n++) {
                NDArray pos = x[0].abs().add(0.1), neg = x[0].abs().add(0.1).neg().add(0.5);
                assertClose(pos.polygamma(n), dev(pos).polygamma(n).toCpu(), t == DType.F32 ? 1e-5 : 1e-11, t + " polygamma " + n);
                assertClose(neg.polygamma(n), dev(neg).polygamma(n).toCpu(), t == DType.F32 ? 1e-4 : 1e-9, t + " polygamma " + n + " x < 0");
            }
            assertClose(x[0].clamp(-0.3, 0.7), x[1].clamp(-0.3, 0.7).toCpu(), 0, t + " clamp");
        }
        NDArray l = NDArray.of(new long[]{-3, 0, 5, Long.MIN_VALUE + 1});
        for (UnaryOp op : new UnaryOp[]{UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.SQUARE})
            assertArrayEquals(l.apply(op).toLongArray(), dev(l).apply(op).toLongArray(), "I64 " + op);
        NDArray bo = NDArray.of(new boolean[]{true, false, true});
        assertArrayEquals(new boolean[]{false, true, false}, dev(bo).not().toBooleanArray());
        var e = assertThrows(IllegalArgumentException.class, () -> dev(l).exp());
        assertTrue(e.getMessage().contains("exp: not defined for I64"), e.getMessage());
    }

    @Test
    void specialValuesFollowJava() {
        double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, -2, -2.5, 1, 2.5};
        NDArray x = NDArray.of(v), d = dev(x);
        for (UnaryOp op : new UnaryOp[]{UnaryOp.SIGN, UnaryOp.RELU, UnaryOp.ABS, UnaryOp.ROUND, UnaryOp.SIGMOID, UnaryOp.DIGAMMA,
                UnaryOp.TRIGAMMA, UnaryOp.LGAMMA}) {
            double[] want = x.apply(op).toDoubleArray(), got = d.apply(op).toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(Double.isNaN(want[i]), Double.isNaN(got[i]), op + "(" + v[i] + ")");
                if (!Double.isNaN(want[i]) && (Double.isInfinite(want[i]) || want[i] == 0))
                    assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), op + "(" + v[i] + ") keeps sign/inf");
            }
        }
        // Math.max / Math.min: NaN wins, -0 < +0; pow's NaN cases
        NDArray a = NDArray.of(new double[]{Double.NaN, -0.0, 1, 1, -1}), b = NDArray.of(new double[]{1, 0.0, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        for (BinaryOp op : new BinaryOp[]{BinaryOp.MAX, BinaryOp.MIN, BinaryOp.POW}) {
            double[] want = cpu.binary(op, a, b).toDoubleArray(), got = dev(a).pow(dev(b)).toDoubleArray();
            if (op != BinaryOp.POW) got = cl.binary(op, dev(a), dev(b)).toDoubleArray();
            for (int i = 0; i < want.length; i++)
                assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), op + " at " + i);
        }
    }

    @Test
    void everyBinaryOpBroadcastsAsTheCpuDoes() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            NDArray[] a = stridedPair(t, 6, 17);
            NDArray b = NDArray.randn(gen, t, 17).add(0.5).abs(), bd = dev(b);
            for (BinaryOp op : BinaryOp.values()) {
                if (op == BinaryOp.AND || op == BinaryOp.OR) continue;
                NDArray x = op == BinaryOp.POW ? a[0].abs() : a[0], xd = op == BinaryOp.POW ? a[1].abs() : a[1];
                // + - * / max min compare: correctly rounded on both sides, so equal; pow: 2 ulp of F32, 1e-15 of F64
                // atan2: the device's atan2 against StrictMath's (F32: the CPU rounds a double result once), a few ulp;
                // fmod is exact on both sides
                double tol = op == BinaryOp.POW || op == BinaryOp.ATAN2 ? (t == DType.F32 ? 3e-7 : 1e-15) : 0;
                assertClose(cpu.binary(op, x, b), cl.binary(op, xd, bd).toCpu(), tol, t + " " + op);
                assertClose(cpu.binary(op, b.reshape(17, 1).expand(17, 4), b.reshape(1, 17).narrow(1, 0, 4)),
                        cl.binary(op, bd.reshape(17, 1).expand(17, 4), bd.reshape(1, 17).narrow(1, 0, 4)).toCpu(), tol, t + " " + op + " outer");
            }
        }
        NDArray i = NDArray.of(new long[]{1, -5, 7, 1L << 40}), j = NDArray.of(new long[]{3, -5, 2, 3});
        for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.MAX, BinaryOp.MIN, BinaryOp.EQ, BinaryOp.LT,
                BinaryOp.GE})
            assertEquals(cpu.binary(op, i, j), cl.binary(op, dev(i), dev(j)).toCpu(), "I64 " + op);
        NDArray p = NDArray.of(new boolean[]{true, true, false, false}), q = NDArray.of(new boolean[]{true, false, true, false});
        for (BinaryOp op : new BinaryOp[]{BinaryOp.AND, BinaryOp.OR, BinaryOp.EQ, BinaryOp.NE})
            assertEquals(cpu.binary(op, p, q), cl.binary(op, dev(p), dev(q)).toCpu(), "BOOL " + op);
        // scalar arithmetic stays on the device
        NDArray b = NDArray.randn(gen, DType.F64, 17);
        assertSame(cl, dev(b).add(1).backend());
        assertClose(b.mul(3).sub(1), dev(b).mul(3).sub(1).toCpu(), 0, "scalar ops");
        assertClose(b.reshape(1, 17).expand(3, 17).tril(2), dev(b).reshape(1, 17).expand(3, 17).tril(2).toCpu(), 0, "tril");
    }

    @Test
    void castsAndCopiesOfEveryDtype() {
        NDArray x = NDArray.of(new double[]{-2.7, -0.5, 0, 0.4, 3.9, Double.NaN, 1e300, -1e300}, 2, 4);
        NDArray d = dev(x).mT();
        for (DType s : DType.values()) {
            NDArray hs = x.mT().to(s), ds = d.to(s);
            assertEquals(hs, ds.toCpu(), "F64 -> " + s);
            for (DType t : DType.values()) assertEquals(hs.to(t), ds.to(t).toCpu(), s + " -> " + t);
        }
        NDArray dst = dev(NDArray.zeros(DType.I64, 4, 5)).narrow(1, 1, 2);
        dst.copyFromInPlace(dev(NDArray.of(new long[]{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)));
        assertArrayEquals(new long[]{0, 1, 2, 0, 0, 0, 3, 4, 0, 0, 0, 5, 6, 0, 0, 0, 7, 8, 0, 0}, NDArray.onStorage(dst.storage(),
                new int[]{20}, new int[]{1}, 0).toLongArray());
        // copying a transpose into its own storage reads it in full first
        NDArray sq = dev(NDArray.of(new double[]{1, 2, 3, 4}, 2, 2));
        sq.copyFromInPlace(sq.mT());
        assertArrayEquals(new double[]{1, 3, 2, 4}, sq.toDoubleArray());
        var e = assertThrows(IllegalArgumentException.class, () -> cl.copyInto(sq, dev(NDArray.zeros(DType.F64, 2)).reshape(2, 1).expand(2, 2)));
        assertTrue(e.getMessage().contains("share memory"), e.getMessage());
        assertEquals(NDArray.cat(List.of(x, x.narrow(0, 1, 1)), 0), NDArray.cat(List.of(dev(x), dev(x).narrow(0, 1, 1)), 0).toCpu());
        assertEquals(0, dev(NDArray.zeros(DType.F32, 0, 3)).add(1).size());
    }

    @Test
    void reductionsMatchTheCpuOnEveryPath() {
        // (4, 5, 3000): short rows, long rows, and a few outputs of many elements (the two-stage path)
        NDArray x = NDArray.randn(gen, DType.F64, 4, 5, 3000), d = dev(x);
        for (ReduceOp op : ReduceOp.values()) {
            NDArray y = op == ReduceOp.PROD ? x.mul(0.01).add(1) : x, yd = dev(y);
            for (int[] axes : new int[][]{{0}, {1}, {2}, {0, 2}, {}, {1, 2}}) {
                // sums in another order: 1e-12 relative to the magnitude a 60000-term sum of unit normals reaches
                assertClose(cpu.reduce(op, y, axes, false), cl.reduce(op, yd, axes, false).toCpu(),
                        1e-12, op + " over " + java.util.Arrays.toString(axes));
            }
        }
        NDArray f = x.to(DType.F32), fd = d.to(DType.F32);
        assertClose(f.sum(new int[]{}, false), fd.sum(new int[]{}, false).toCpu(), 1e-6, "F32 sum of all");
        assertClose(x.logSumExp(new int[]{2}, true), d.logSumExp(new int[]{2}, true).toCpu(), 1e-13, "logSumExp");
        assertClose(x.logSumExp(new int[]{0, 1}, false), d.logSumExp(new int[]{0, 1}, false).toCpu(), 1e-13, "logSumExp over leading axes");
        assertClose(x.cumsum(2), d.cumsum(2).toCpu(), 1e-12, "cumsum");
        assertClose(x.mT().cumsum(0), d.mT().cumsum(0).toCpu(), 1e-12, "cumsum of a view");
        NDArray l = NDArray.of(new long[]{3, -1, 4, 1, -5, 9}, 2, 3);
        for (ReduceOp op : ReduceOp.values()) assertEquals(cpu.reduce(op, l, new int[]{1}, false), cl.reduce(op, dev(l), new int[]{1}, false).toCpu());
        // argmax: first of ties, a NaN wins
        NDArray t = NDArray.of(new double[]{1, 3, 3, 0, 2, Double.NaN, 5, Double.NaN}, 2, 4);
        assertArrayEquals(new long[]{1, 1}, dev(t).argmax(1, false).toLongArray());
        assertArrayEquals(new long[]{3, 1}, dev(t).argmin(1, false).toLongArray());
        assertEquals(x.argmax(1, true), d.argmax(1, true).toCpu());
        var e = assertThrows(IllegalArgumentException.class, () -> dev(NDArray.zeros(DType.F32, 2, 0)).max(new int[]{1}, false));
        assertTrue(e.getMessage().contains("empty dim"), e.getMessage());
        assertArrayEquals(new double[]{1, 1}, dev(NDArray.zeros(DType.F64, 2, 0)).prod(new int[]{1}, false).toDoubleArray());
    }

    @Test
    void matmulMatchesTheCpuForOddSizesBatchesAndViews(@TempDir Path cache) throws Exception {
        String old = System.getProperty(ClMatmulTuner.CACHE_DIR_PROPERTY);
        System.setProperty(ClMatmulTuner.CACHE_DIR_PROPERTY, cache.toString());
        try {
            for (DType t : new DType[]{DType.F32, DType.F64}) {
                // the sums run in another order with fma: k * eps * |a||b| bounds the difference (eps of the dtype)
                double eps = t == DType.F32 ? 6e-8 : 1.2e-16;
                for (int[] mkn : new int[][]{{1, 1, 1}, {3, 5, 2}, {33, 17, 65}, {130, 70, 129}, {300, 257, 260}}) {
                    NDArray a = NDArray.randn(gen, t, 2, mkn[0], mkn[1]), b = NDArray.randn(gen, t, mkn[2], mkn[1]).mT();
                    NDArray want = a.matmul(b), got = dev(a).matmul(dev(b)).toCpu();
                    assertClose(want, got, 8 * mkn[1] * eps, t + " " + java.util.Arrays.toString(mkn));
                }
                // broadcast batch (3, 1, m, k) x (4, k, n) and a row-strided narrow view read in place
                NDArray af = NDArray.randn(gen, t, 3, 1, 20, 40), b = NDArray.randn(gen, t, 4, 30, 9);
                NDArray a = af.narrow(3, 5, 30), ad = dev(af).narrow(3, 5, 30);
                assertClose(a.matmul(b), ad.matmul(dev(b)).toCpu(),
                        8 * 30 * eps, t + " broadcast batch");
            }
            // 512^3 products take the tuned configuration, remembered per device, driver and dtype
            NDArray big = NDArray.randn(gen, DType.F32, 512, 512);
            assertClose(big.matmul(big), dev(big).matmul(dev(big)).toCpu(), 8 * 512 * 6e-8, "tuned 512^3");
            Properties p = new Properties();
            try (var in = Files.newInputStream(cache.resolve("opencl-matmul.properties"))) {
                p.load(in);
            }
            String key = ClMatmulTuner.key(cl.ctx(), DType.F32);
            assertNotNull(p.getProperty(key), "tuned configuration saved under " + key + ": " + p);
            assertTrue(ClMatmulTuner.Config.parse(p.getProperty(key)).fits(cl.ctx(), DType.F32));
        } finally {
            if (old == null) System.clearProperty(ClMatmulTuner.CACHE_DIR_PROPERTY);
            else System.setProperty(ClMatmulTuner.CACHE_DIR_PROPERTY, old);
        }
    }

    @Test
    void indexingMatchesTheCpuAndRejectsBadIndices() {
        NDArray x = NDArray.randn(gen, DType.F64, 5, 4, 3), d = dev(x);
        NDArray idx = NDArray.of(new long[]{4, 0, 2, 2});
        for (int dim = 0; dim < 3; dim++) {
            NDArray ix = dim == 0 ? idx : NDArray.of(new long[]{1, 0, 2});
            assertEquals(x.indexSelect(dim, ix), d.indexSelect(dim, dev(ix)).toCpu(), "indexSelect dim " + dim);
        }
        NDArray g = NDArray.of(new long[]{0, 3, 1, 2, 2, 0, 3, 3}, 2, 4, 1);
        assertEquals(x.gather(1, g), d.gather(1, dev(g)).toCpu());
        NDArray src = NDArray.randn(gen, DType.F64, 2, 4, 1);
        assertEquals(x.scatterAdd(1, g, src), d.scatterAdd(1, dev(g), dev(src)).toCpu(), "scatterAdd, repeated targets in index order");
        var e = assertThrows(IndexOutOfBoundsException.class, () -> d.indexSelect(0, dev(NDArray.of(new long[]{0, 5}))));
        assertEquals("indexSelect: index 5 out of range for dim 0 of size 5", e.getMessage());
        var f = assertThrows(IndexOutOfBoundsException.class, () -> d.gather(2, dev(NDArray.of(new long[]{-1}, 1, 1, 1))));
        assertTrue(f.getMessage().contains("index -1 out of range for dim 2"), f.getMessage());
        var h = assertThrows(IndexOutOfBoundsException.class, () -> d.scatterAdd(0, dev(NDArray.of(new long[]{7}, 1, 1, 1)),
                dev(NDArray.ones(DType.F64, 1, 1, 1))));
        assertTrue(h.getMessage().contains("index 7"), h.getMessage());
        NDArray out = dev(NDArray.zeros(DType.F64, 4, 4, 3));
        d.indexSelect(0, dev(idx), out);
        assertEquals(x.indexSelect(0, idx), out.toCpu());
    }

    @Test
    void fusedStepsGiveTheCpusBits() {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            int n = 1000;
            NDArray p = NDArray.randn(gen, t, n), g = NDArray.randn(gen, t, n), m = NDArray.randn(gen, t, n), v = NDArray.randn(gen, t, n).abs(),
                    vm = v.mul(1.1), b = NDArray.randn(gen, t, n);
            NDArray[] h = {p.copy(), m.copy(), v.copy(), vm.copy(), b.copy()}, dv = {dev(p), dev(m), dev(v), dev(vm), dev(b)};
            for (int step = 1; step <= 3; step++) {
                for (NDArray[] s : new NDArray[][]{h, dv}) {
                    NDArray gg = s == h ? g : dev(g);
                    Fused.adam(s[0], gg, s[1], s[2], s[3], step, 1e-3, 0.9, 0.999, 1e-8, 0.01, step == 2);
                    Fused.sgd(s[0], gg, s[4], 0.01, 0.9, 0.1, 1e-4, step == 3, step == 1);
                    Fused.rmsprop(s[0], gg, s[2], s[1], s[4], 1e-3, 0.99, 1e-8, 0.01, 0.5);
                }
            }
            for (int i = 0; i < h.length; i++) assertEquals(h[i], dv[i].toCpu(), t + " state " + i + " bit for bit");
        }
    }

    @Test
    void buffersComeBackToThePool() throws InterruptedException {
        NDArray x = dev(NDArray.randn(gen, DType.F32, 1000));
        long[] before = cl.poolStats();
        for (int step = 0; step < 200; step++) {
            x.mul(2).add(1).exp();          // three temporaries of one size class per step
            if (step % 50 == 49) {
                System.gc();
                Thread.sleep(20);
            }
        }
        long[] after = cl.poolStats();
        long made = after[0] - before[0], reused = after[1] - before[1];
        // 600 buffers were asked for; once the collector has run, most come from the pool
        assertTrue(reused > 300, "reused " + reused + ", created " + made);
        assertEquals(1280, ClContext.BufferPool.sizeClass(1200), "1200 bytes -> the 1024 * 1.25 class");
        assertEquals(1024, ClContext.BufferPool.sizeClass(1024));
        assertEquals(1280, ClContext.BufferPool.sizeClass(1025));
        assertEquals(256, ClContext.BufferPool.sizeClass(1));
    }
}
