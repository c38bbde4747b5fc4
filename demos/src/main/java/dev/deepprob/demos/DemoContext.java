package dev.deepprob.demos;

import dev.deepprob.engine.Generator;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * What a running demo is given: its output folder, the seed, quick or full mode, a log and progress displays.
 * Each demo gets a fresh context, so its numbers do not depend on which demos ran before it.
 */
public final class DemoContext {
    private final String name;
    private final Path dir;
    private final long seed;
    private final boolean quick;
    private final PrintStream log;
    private final Progress.Mode progressMode;
    private final java.util.Map<String, String> options;

    /**
     * @param name         the demo's name (its folder under the output root)
     * @param root         the output root; the demo writes into {@code root/name}, created here
     * @param seed         the seed of {@link #generator()}
     * @param quick        short runs for tests
     * @param log          where progress lines and messages go
     * @param progressMode how long loops show progress
     */
    public DemoContext(String name, Path root, long seed, boolean quick, PrintStream log, Progress.Mode progressMode) {
        this(name, root, seed, quick, log, progressMode, java.util.Map.of());
    }

    /**
     * As {@link #DemoContext(String, Path, long, boolean, PrintStream, Progress.Mode)}, with this demo's command-line
     * settings ({@code --set NAME.KEY=VALUE}, keyed by KEY).
     */
    public DemoContext(String name, Path root, long seed, boolean quick, PrintStream log, Progress.Mode progressMode,
                       java.util.Map<String, String> options) {
        this.options = java.util.Map.copyOf(options);
        this.name = name;
        this.dir = root.resolve(name);
        this.seed = seed;
        this.quick = quick;
        this.log = log;
        this.progressMode = progressMode;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The demo's name. */
    public String name() { return name; }

    /** The folder the demo writes its figures into ({@code OUT/NAME}). */
    public Path dir() { return dir; }

    /** The seed given on the command line. */
    public long seed() { return seed; }

    /** True for short runs (tests, smoke checks). */
    public boolean quick() { return quick; }

    /** The value given with {@code --set NAME.KEY=VALUE} for this demo, if any (see {@link Demo#options()}). */
    public java.util.Optional<String> option(String key) { return java.util.Optional.ofNullable(options.get(key)); }

    /** The full value, or the quick one in quick mode. */
    public int pick(int full, int quick) { return this.quick ? quick : full; }

    /** A fresh generator seeded with {@link #seed()}; every call starts the same stream. */
    public Generator generator() { return new Generator(seed); }

    /** A fresh generator for one named purpose: the same seed gives the same stream, and purposes differ. */
    public Generator generator(String purpose) { return new Generator(seed * 1_000_003L + purpose.hashCode()); }

    /** The log stream. */
    public PrintStream log() { return log; }

    /** Logs one formatted line (Locale.ROOT, so decimals use a dot). */
    public void log(String format, Object... args) {
        log.println("  " + String.format(Locale.ROOT, format, args));
        log.flush();
    }

    /** A progress display for a loop of {@code total} steps. */
    public Progress progress(String label, long total) { return Progress.create(progressMode, name + " " + label, total, log); }

    /**
     * Writes an image as PNG into the demo's folder (through a temporary file renamed into place, so a reader never
     * sees half a file) and returns its path.
     */
    public Path savePng(BufferedImage image, String fileName) {
        if (!fileName.endsWith(".png")) throw new IllegalArgumentException("savePng: file name must end in .png, got " + fileName);
        Path target = dir.resolve(fileName);
        try {
            Path tmp = dir.resolve("." + fileName + "." + ProcessHandle.current().pid() + ".tmp");   // plain permissions, unlike createTempFile
            try {
                if (!ImageIO.write(image, "png", tmp.toFile())) throw new IOException("no PNG writer available");
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Saves the image as {@code fileName} in the demo's folder and records it in the result with its caption. */
    public void figure(DemoResult result, BufferedImage image, String fileName, String caption) {
        savePng(image, fileName);
        result.figure(fileName, caption);
    }
}
