package dev.deepprob.gpu;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the matmul kernel's tile configuration per device and dtype: on the first product large enough to be worth it,
 * it times each candidate that fits the device (work-group size, local memory) on a 512 x 512 x 512 product and keeps
 * the fastest, remembered in {@code opencl-matmul.properties} under {@code ~/.cache/deepprob/} (or the directory named
 * by the system property {@value #CACHE_DIR_PROPERTY}), keyed by device name, driver version and dtype, so later runs
 * skip the timing. Small products use a fixed small tile.
 */
final class ClMatmulTuner {
    private ClMatmulTuner() {}

    /** The system property naming the cache directory. */
    static final String CACHE_DIR_PROPERTY = "deepprob.cache.dir";

    /** Products below this many multiply-adds take {@link #SMALL} without tuning. */
    static final long TUNE_MIN = 1L << 24;

    /**
     * A tile configuration: the work-group computes TSM x TSN of C through TSK-deep slices; each work-item a WPTM x WPTN
     * block, so a work-group has (TSM/WPTM) x (TSN/WPTN) items.
     */
    record Config(int tsm, int tsn, int tsk, int wptm, int wptn) {
        int rtsm() { return tsm / wptm; }

        int rtsn() { return tsn / wptn; }

        String options() { return " -DTSM=" + tsm + " -DTSN=" + tsn + " -DTSK=" + tsk + " -DWPTM=" + wptm + " -DWPTN=" + wptn; }

        boolean fits(ClContext cx, DType t) {
            long items = (long) rtsm() * rtsn();
            long local = (long) tsk * (tsm + 1 + tsn) * ClContext.elementBytes(t);
            return items <= cx.maxWorkGroupSize && local <= cx.localMemBytes;
        }

        String key() { return tsm + "," + tsn + "," + tsk + "," + wptm + "," + wptn; }

        static Config parse(String s) {
            String[] p = s.trim().split(",");
            return new Config(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
                    Integer.parseInt(p[4]));
        }
    }

    static final Config SMALL = new Config(32, 32, 16, 2, 2);

    static final List<Config> CANDIDATES = List.of(
            new Config(32, 32, 16, 2, 2),
            new Config(64, 64, 16, 4, 4),
            new Config(64, 64, 8, 8, 8),
            new Config(128, 64, 16, 8, 4),
            new Config(128, 128, 16, 8, 8),
            new Config(128, 128, 8, 8, 8));

    private static final Map<String, Config> CHOSEN = new ConcurrentHashMap<>();

    static String key(ClContext cx, DType t) { return cx.device.name() + " | " + cx.device.driver() + " | " + t; }

    static Path cacheFile() {
        String dir = System.getProperty(CACHE_DIR_PROPERTY);
        Path d = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "deepprob");
        return d.resolve("opencl-matmul.properties");
    }

    /** The configuration for a product of {@code madds} multiply-adds on b's device. */
    static Config config(ClBackend b, DType t, long madds) {
        ClContext cx = b.ctx();
        if (madds < TUNE_MIN) return SMALL.fits(cx, t) ? SMALL : firstFitting(cx, t);
        return CHOSEN.computeIfAbsent(key(cx, t), k -> loadOrTune(b, t, k));
    }

    private static Config firstFitting(ClContext cx, DType t) {
        for (Config c : CANDIDATES) if (c.fits(cx, t)) return c;
        return new Config(8, 8, 8, 1, 1);
    }

    private static synchronized Config loadOrTune(ClBackend b, DType t, String key) {
        Path f = cacheFile();
        Properties p = load(f);
        String s = p.getProperty(key);
        if (s != null) {
            try {
                Config c = Config.parse(s);
                if (c.fits(b.ctx(), t)) return c;
            } catch (RuntimeException ignored) {
                // a malformed entry is tuned again and overwritten
            }
        }
        Config best = tune(b, t).getFirst().config();
        p = load(f);               // another process may have written meanwhile
        p.setProperty(key, best.key());
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), "opencl-matmul", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "deepprob: the fastest matmul tile per OpenCL device, driver and dtype (TSM,TSN,TSK,WPTM,WPTN)");
            }
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // an unwritable cache costs a re-tune next run, nothing else
        }
        return best;
    }

    private static Properties load(Path f) {
        Properties p = new Properties();
        if (Files.isReadable(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            } catch (IOException e) {
                // unreadable: start afresh
            }
        }
        return p;
    }

    /** One candidate's measured speed. */
    record Timing(Config config, double gflops) {}

    /** Times every fitting candidate on a 512^3 product; the fastest first. Candidates that fail to build are left out. */
    static List<Timing> tune(ClBackend b, DType t) {
        int s = 512;
        ClContext cx = b.ctx();
        NDArray a = b.empty(t, new int[]{s, s}), c = b.empty(t, new int[]{s, s}), out = b.empty(t, new int[]{s, s});
        b.fill(a, 0.5);
        b.fill(c, 0.25);
        ClWalk none = ClWalk.of(new int[0], new int[0], new int[0]);
        List<Timing> res = new ArrayList<>();
        for (Config cfg : CANDIDATES) {
            if (!cfg.fits(cx, t)) continue;
            try {
                ClMatmul.launch(b, cfg, a, c, out, s, s, s, none, 1);
                cx.finish();
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 3; r++) {
                    long t0 = System.nanoTime();
                    ClMatmul.launch(b, cfg, a, c, out, s, s, s, none, 1);
                    cx.finish();
                    best = Math.min(best, System.nanoTime() - t0);
                }
                res.add(new Timing(cfg, 2.0 * s * s * s / best));
            } catch (RuntimeException e) {
                // a configuration this device cannot build or run is not a candidate
            }
        }
        if (res.isEmpty()) res.add(new Timing(firstFitting(cx, t), 0));
        res.sort((x, y) -> Double.compare(y.gflops(), x.gflops()));
        return res;
    }
}
