package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.jocl.Pointer;

/**
 * The random samplers on the device (random.cl). Each reserves exactly the counter blocks the CPU's sampler would use
 * ({@link Generator#reserveBlocks}), so the generator is left where the CPU leaves it, and runs the CPU's
 * Philox4x32-10 stream in a kernel with engine/cpu/RngKernels' word layout, so a seed gives the CPU's numbers (up to
 * the last-bit rounding of log, sin, cos, sqrt and pow, which the CPU takes from StrictMath). Arguments are checked
 * with the CPU's messages ({@code Generator.uniform: ...}); the samplers whose operands are device arrays
 * (standardGamma, poisson, multinomial) check them on the device and the host reads the verdict, which waits for the
 * queue. On an error the generator is left as the CPU would leave it.
 *
 * <p>Sequential algorithms run as one work-item per sequence: the permutation (Fisher-Yates from one sub-stream) in a
 * single work-item, multinomial's running sums and, without replacement, its heap selection, one work-item per row.
 */
final class ClRandom {
    private ClRandom() {}

    private static final String SRC = "random.cl";

    /** The one build of random.cl: T = float, F64 kernels present when the device has fp64. */
    private static ClLaunch launch(ClBackend b, String kernel) { return b.ctx().launch(SRC, DType.F32, kernel); }

    /** An acc_t scalar: double where the device has fp64 (the CPU's arithmetic), else float. */
    private static ClLaunch acc(ClBackend b, ClLaunch l, double v) { return b.ctx().device.fp64() ? l.f64(v) : l.f32((float) v); }

    /** The dtype of acc_t on this device. */
    private static DType accType(ClBackend b) { return b.ctx().device.fp64() ? DType.F64 : DType.F32; }

    private static long ceilDiv(long n, long d) { return (n + d - 1) / d; }

    private static void requireFloating(String op, DType t) {
        if (!t.isFloating()) throw new IllegalArgumentException(op + ": expected F32 or F64, got " + t);
    }

    // ------------------------------------------------------------------ fills (Generator's checks and messages)

    private static void checkInterval(String op, double low, double high) {
        if (!(Double.isFinite(low) && Double.isFinite(high)))
            throw new IllegalArgumentException(op + ": low (" + low + ") and high (" + high + ") must be finite");
        if (!(low < high)) throw new IllegalArgumentException(op + ": low (" + low + ") must be < high (" + high + ")");
    }

    private static void checkNormal(String op, double mean, double std) {
        if (!Double.isFinite(mean)) throw new IllegalArgumentException(op + ": mean must be finite, got " + mean);
        if (!(std >= 0.0 && std < Double.POSITIVE_INFINITY))
            throw new IllegalArgumentException(op + ": std must be finite and >= 0, got " + std);
    }

    static NDArray uniform(ClBackend b, Generator gen, DType t, double low, double high, int[] shape) {
        requireFloating("uniform", t);
        NDArray out = b.empty(t, shape);
        long n = out.size();
        if (t == DType.F32) {
            float lo = (float) low, hi = (float) high;
            checkInterval("Generator.uniform", lo, hi);
            long blocks = ceilDiv(n, 4);
            long[] kc = gen.reserveBlocks(blocks);
            ClLaunch l = launch(b, "uniform_f32").buf(out).i64(n).i64(kc[0]).i64(kc[1]);
            acc(b, l, lo);
            acc(b, l, (double) hi - (double) lo).f32(hi).f32(Math.nextDown(hi)).run(blocks);
        } else {
            checkInterval("Generator.uniform", low, high);
            long blocks = ceilDiv(n, 2);
            long[] kc = gen.reserveBlocks(blocks);
            double span = high - low;
            launch(b, "uniform_f64").buf(out).i64(n).i64(kc[0]).i64(kc[1]).f64(low).f64(span).i32(Double.isInfinite(span) ? 1 : 0)
                    .f64(0.5 * high - 0.5 * low).f64(high).f64(Math.nextDown(high)).run(blocks);
        }
        return out;
    }

    static NDArray normal(ClBackend b, Generator gen, DType t, double mean, double std, int[] shape) {
        requireFloating("normal", t);
        NDArray out = b.empty(t, shape);
        long n = out.size();
        if (t == DType.F32) {
            float mu = (float) mean, sd = (float) std;
            checkNormal("Generator.normal", mu, sd);
            long blocks = ceilDiv(n, 4);
            long[] kc = gen.reserveBlocks(blocks);
            ClLaunch l = launch(b, "normal_f32").buf(out).i64(n).i64(kc[0]).i64(kc[1]);
            acc(b, l, mu);
            acc(b, l, sd).run(blocks);
        } else {
            checkNormal("Generator.normal", mean, std);
            long blocks = ceilDiv(n, 2);
            long[] kc = gen.reserveBlocks(blocks);
            launch(b, "normal_f64").buf(out).i64(n).i64(kc[0]).i64(kc[1]).f64(mean).f64(std).run(blocks);
        }
        return out;
    }

    static NDArray randint(ClBackend b, Generator gen, long low, long high, int[] shape) {
        if (low >= high) throw new IllegalArgumentException("Generator.integers: low (" + low + ") must be < high (" + high + ")");
        NDArray out = b.empty(DType.I64, shape);
        long n = out.size();
        long[] kc = gen.reserveBlocks(n);
        launch(b, "randint_k").buf(out).i64(n).i64(kc[0]).i64(kc[1]).i64(low).i64(high - low).run(n);
        return out;
    }

    static NDArray bernoulli(ClBackend b, Generator gen, double p, int[] shape) {
        if (!(p >= 0.0 && p <= 1.0)) throw new IllegalArgumentException("Generator.bernoulli: p must be in [0, 1], got " + p);
        NDArray out = b.empty(DType.BOOL, shape);
        long n = out.size();
        long blocks = ceilDiv(n, 2);
        long[] kc = gen.reserveBlocks(blocks);
        acc(b, launch(b, "bernoulli_k").buf(out).i64(n).i64(kc[0]).i64(kc[1]), p).run(blocks);
        return out;
    }

    static NDArray permutation(ClBackend b, Generator gen, int n) {
        if (n < 0) throw new IllegalArgumentException("Generator.permutation: n must be >= 0, got " + n);
        NDArray out = b.empty(DType.I64, new int[]{n});
        long[] kc = gen.reserveBlocks(1);                                   // one counter value, even for n = 0
        if (n > 0) launch(b, "permutation_k").buf(out).i32(n).i64(kc[0]).i64(kc[1]).run(1);
        return out;
    }

    // ------------------------------------------------------------------ multinomial

    static NDArray multinomial(ClBackend b, Generator gen, NDArray weights, int samples, boolean replacement) {
        b.storage("multinomial", weights);
        if (weights.rank() < 1 || weights.rank() > 2)
            throw new IllegalArgumentException("multinomial: expected weights of rank 1 or 2, got shape " + weights.shape());
        if (samples < 0) throw new IllegalArgumentException("multinomial: samples must be >= 0, got " + samples);
        String op = replacement ? "Generator.categorical" : "Generator.multinomialWithoutReplacement";
        int k = weights.dims()[weights.rank() - 1];
        int rows = weights.size() / Math.max(k, 1);
        NDArray out = b.empty(DType.I64, weights.rank() == 1 ? new int[]{samples} : new int[]{rows, samples});
        if (weights.rank() == 1 && k == 0) rows = 1;                       // the CPU's one call, which rejects k = 0
        if (rows == 0) return out;
        if (k < 1) throw new IllegalArgumentException(op + ": k must be >= 1, got " + k);
        DType at = accType(b);
        NDArray w = weights.dtype() == at ? weights : b.cast(weights, at);
        if (!w.isContiguous()) w = b.copy(w);
        NDArray cdf = b.empty(at, new int[]{rows, k});
        NDArray last = b.empty(DType.F32, new int[]{rows}), positive = b.empty(DType.F32, new int[]{rows});   // ints, 4 bytes each
        NDArray err = b.empty(at, new int[]{rows, 3});
        launch(b, "mn_prepare").buf(w).i32(w.offset()).i32(rows).i32(k).buf(cdf).buf(last).buf(positive).buf(err).run(rows);
        double[] e = b.toCpu(err).toDoubleArray();
        int[] pos = null;
        if (!replacement) {
            pos = new int[rows];
            b.ctx().read(ClStorage.of(positive).mem, 0, 4L * rows, Pointer.to(pos));
        }
        // the CPU draws row after row: a failure in row r comes after rows 0..r-1 used their blocks
        long perRow = replacement ? ceilDiv(samples, 2) : ceilDiv(k, 2);
        for (int r = 0; r < rows; r++) {
            String bad = switch ((int) e[3 * r]) {
                case 1 -> op + ": weights must be finite and >= 0, got " + e[3 * r + 2] + " at [" + (int) e[3 * r + 1] + "]";
                case 2 -> op + ": weights sum to 0; need at least one > 0";
                case 3 -> op + ": weights sum overflows to Infinity";
                default -> null;
            };
            if (bad == null && !replacement) {
                if (samples > k) bad = op + ": n (" + samples + ") must be <= k (" + k + ")";
                else if (samples > pos[r]) bad = op + ": n (" + samples + ") must be <= the number of categories with positive weight ("
                        + pos[r] + ")";
            }
            if (bad != null) {
                gen.reserveBlocks(r * perRow);
                throw new IllegalArgumentException(bad);
            }
        }
        long[] kc = gen.reserveBlocks(rows * perRow);
        if (replacement) {
            if (samples > 0) {
                launch(b, "mn_draw").buf(out).i32(rows).i32(samples).i32(k).i32((int) perRow).buf(cdf).buf(last).i64(kc[0]).i64(kc[1])
                        .run(rows * perRow);
            }
        } else {
            NDArray keys = b.empty(at, new int[]{rows, k});
            launch(b, "mn_keys").buf(keys).buf(w).i32(w.offset()).i32(rows).i32(k).i32((int) perRow).i64(kc[0]).i64(kc[1]).run(rows * perRow);
            if (samples > 0) {
                NDArray heaps = b.empty(DType.F32, new int[]{rows, samples});                  // ints
                launch(b, "mn_select").buf(out).buf(heaps).buf(keys).buf(w).i32(w.offset()).i32(rows).i32(k).i32(samples).run(rows);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ rejection samplers

    /** A one-int flag starting at n (no failure); the kernels lower it to the first bad index. */
    private static NDArray flag(ClBackend b, int n) {
        NDArray f = b.empty(DType.F32, new int[]{1});
        b.ctx().fillBytes(ClStorage.of(f).mem, 0, 4, Pointer.to(new int[]{n}), 4);
        return f;
    }

    private static int readFlag(ClBackend b, NDArray f) {
        int[] v = new int[1];
        b.ctx().read(ClStorage.of(f).mem, 0, 4, Pointer.to(v));
        return v[0];
    }

    /** Runs a per-element sampler kernel (gamma_*, poisson_*) and throws the CPU's message for the first bad parameter. */
    private static NDArray perElement(ClBackend b, Generator gen, NDArray param, String kernel, String op, String what, String rule) {
        DType t = param.dtype();
        b.ctx().requireDtype(op, t);
        NDArray p = param.isContiguous() ? param : b.copy(param);
        NDArray out = b.empty(t, param.dims());
        int n = out.size();
        long[] saved = gen.state();
        long[] kc = gen.reserveBlocks(n);
        if (n == 0) return out;
        NDArray f = flag(b, n);
        launch(b, kernel + (t == DType.F32 ? "_f32" : "_f64")).buf(out).buf(p).i32(p.offset()).i32(n).i64(kc[0]).i64(kc[1]).buf(f).run(n);
        int bad = readFlag(b, f);
        if (bad < n) {
            gen.setState(saved);                                            // the CPU checks before it draws
            double v = b.toCpu(p.reshape(n).narrow(0, bad, 1)).toDoubleArray()[0];
            throw new IllegalArgumentException(op + ": " + what + " must be " + rule + ", got " + v + " at [" + bad + "]");
        }
        return out;
    }

    static NDArray standardGamma(ClBackend b, Generator gen, NDArray alpha) {
        b.storage("standardGamma", alpha);
        requireFloating("standardGamma", alpha.dtype());
        return perElement(b, gen, alpha, "gamma", "Generator.gamma", "alpha", "finite and > 0");
    }

    static NDArray poisson(ClBackend b, Generator gen, NDArray rate) {
        b.storage("poisson", rate);
        requireFloating("poisson", rate.dtype());
        return perElement(b, gen, rate, "poisson", "Generator.poisson", "rate", "finite and >= 0");
    }
}
