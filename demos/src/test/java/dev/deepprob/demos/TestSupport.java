package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared helpers: run a demo quickly into a folder, read its metrics.json, check its PNGs. */
final class TestSupport {
    private TestSupport() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** Runs one demo in quick mode (seed 1, 2 threads, no progress output) into out. */
    static Runner.Outcome runQuick(Demo d, Path out) { return runQuick(d, out, 1); }

    /** Runs one demo in quick mode with the given seed (2 threads, no progress output) into out. */
    static Runner.Outcome runQuick(Demo d, Path out, long seed) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Runner.Outcome> o = Runner.run(List.of(d), new Runner.Settings(out, seed, true, 2, Progress.Mode.NONE),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return o.getFirst();
    }

    static String failures(Runner.Outcome o) {
        if (o.error() != null) return "error: " + o.error();
        return o.result().checks().stream().filter(c -> !c.passed()).map(Check::describe).collect(Collectors.joining("; "));
    }

    static JsonNode metrics(Path out, String name) {
        Path f = out.resolve(name).resolve("metrics.json");
        assertTrue(Files.isRegularFile(f), "missing " + f);
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The named PNGs exist, decode, are of a sensible size and are listed in metrics.json; every check there is well formed. */
    static void assertFigures(Path out, String name, JsonNode metrics, String... files) {
        List<String> listed = metrics.get("figures").findValuesAsText("file");
        for (String f : files) {
            Path p = out.resolve(name).resolve(f);
            assertTrue(Files.isRegularFile(p), "missing " + p);
            BufferedImage img;
            try {
                img = ImageIO.read(p.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertNotNull(img, "not a readable PNG: " + p);
            assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, f + " is " + img.getWidth() + " x " + img.getHeight());
            assertTrue(listed.contains(f), f + " not listed in metrics.json " + listed);
            assertTrue(notBlank(img), f + " is blank");
        }
        assertEquals(files.length, listed.size(), "figures listed: " + listed);
        for (JsonNode c : metrics.get("checks")) {
            assertTrue(c.hasNonNull("name") && c.has("value") && c.has("threshold") && c.has("relation") && c.has("passed"), c.toString());
        }
    }

    /** True when the image has more than a handful of distinct colours. */
    static boolean notBlank(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                colours.add(img.getRGB(x, y));
                if (colours.size() > 8) return true;
            }
        }
        return false;
    }
}
