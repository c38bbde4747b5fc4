package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    /** The exit code and what was printed. */
    record Run(int code, String out, String err) {}

    static Run main(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.execute(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8), args);
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listShowsTheDemosInTheTutorialsOrder() {
        Run r = main("list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kld") && r.out().contains("blr"), r.out());
        assertTrue(r.out().indexOf("kld ") < r.out().indexOf("blr "), "kld comes before blr");
        assertTrue(r.out().contains("KL divergence is not symmetric"), r.out());
        assertEquals(Demos.TUTORIAL_ORDER, Demos.names().subList(0, Demos.TUTORIAL_ORDER.size()),
                "every tutorial program is a demo, in the tutorial's order");
        assertEquals(java.util.List.of("avb", "discrete", "mnist-vae", "unrolled"), Demos.names().subList(Demos.TUTORIAL_ORDER.size(), Demos.names().size()),
                "then the demos beyond the tutorial");
        assertTrue(r.out().contains("--set mnist-vae.data=..."), "list shows a demo's settings: " + r.out());
        assertEquals(Demos.names(), Demos.all().stream().map(Demo::name).toList());
        int last = -1;
        for (String name : Demos.TUTORIAL_ORDER) {
            int at = r.out().indexOf(name + " ");
            assertTrue(at > last, name + " listed in order: " + r.out());
            last = at;
        }
    }

    @Test
    void runOneDemoQuick(@TempDir Path dir) throws IOException {
        Run r = main("run", "kld", "--quick", "--out", dir.toString(), "--threads", "2", "--progress", "lines");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("== kld: PASSED"), r.out());
        assertTrue(r.out().contains("gradient fits: 100%"), "plain progress lines when not in a terminal: " + r.out());
        JsonNode m = TestSupport.metrics(dir, "kld");
        assertEquals(2, m.get("threads").asInt());
        assertTrue(Files.isRegularFile(dir.resolve("kld/best_q.png")));
        assertFalse(Files.exists(dir.resolve("index.html")), "one demo: no index");
    }

    @Test
    void runSeveralWritesTheIndex(@TempDir Path dir) throws IOException {
        Run r = main("run", "kld", "blr", "--quick", "--out", dir.toString(), "--seed", "3", "--progress", "none");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("2 of 2 demos passed"), r.out());
        Path index = dir.resolve("index.html");
        assertTrue(Files.isRegularFile(index));
        String html = Files.readString(index);
        for (String f : new String[]{"kld/p.png", "kld/best_q.png", "kld/objective.png", "kld/gradient_fits.png", "blr/posterior_samples.png",
                "blr/predictive_density.png", "blr/predictive_zoom.png"}) {
            assertTrue(html.contains("src=\"" + f + "\""), "index shows " + f);
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertTrue(html.contains("KL divergence is not symmetric") && html.contains("mode seeking"), "titles and paragraphs");
        assertTrue(html.contains("grid KL(q||p): best mu"), "checks");
        assertTrue(html.indexOf("id=\"kld\"") < html.indexOf("id=\"blr\""), "tutorial order");
        // figures wider than the text column (best_q.png is 1280 px) may use the window's width; narrow ones stay in the column
        assertTrue(html.contains("<figure class=\"wide\"><a href=\"kld/best_q.png\"><img src=\"kld/best_q.png\"")
                && html.contains("width: min(1280px, calc(100vw - 3rem))"), "wide figure");
        assertTrue(html.contains("<figure><a href=\"kld/p.png\">"), "narrow figure (900 px)");
        for (String d : new String[]{"kld", "blr"}) {
            String section = html.substring(html.indexOf("<section id=\"" + d + "\""));
            section = section.substring(0, section.indexOf("</section>"));
            int lastFigure = section.lastIndexOf("<figure>");
            assertTrue(lastFigure > 0 && lastFigure < section.indexOf("<h3>Checks</h3>") && lastFigure < section.indexOf("<h3>Numbers</h3>"),
                    d + ": figures come before the checks and numbers");
        }
        assertEquals(3, TestSupport.metrics(dir, "blr").get("seed").asLong());
    }

    @Test
    void unknownDemoIsAClearUsageError(@TempDir Path dir) {
        Run r = main("run", "nope", "--out", dir.toString());
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("unknown demo 'nope'; available: coin, kld, blr, laplace, elbo, bnn, vae, discriminator, gan, modedrop, avb, discrete, mnist-vae, unrolled (or 'all')"),
                r.err());
        assertFalse(Files.exists(dir.resolve("kld")), "nothing ran");
    }

    @Test
    void aMistypedDemoSuggestsTheNearest(@TempDir Path dir) {
        Run r = main("run", "kldd", "--out", dir.toString());
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("unknown demo 'kldd'; did you mean 'kld'?"), r.err());
        assertEquals("modedrop", Main.nearest("mode-drop", Demos.names()));
        assertEquals(null, Main.nearest("xyz", Demos.names()), "nothing near: no suggestion");
        assertEquals(3, Main.editDistance("kitten", "sitting"));
        assertEquals(0, Main.editDistance("", ""));
        assertFalse(Files.exists(dir.resolve("kld")), "nothing ran");
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        Run threads = main("run", "kld", "--threads", "0", "--out", dir.toString());
        assertEquals(Main.USAGE, threads.code());
        assertTrue(threads.err().contains("--threads must be >= 1, got 0"), threads.err());
        // beyond the largest pool the kld demo's grid search can create (ForkJoinPool's 32767): a usage error before anything runs
        Run many = main("run", "kld", "--threads", "40000", "--out", dir.toString());
        assertEquals(Main.USAGE, many.code());
        assertTrue(many.err().contains("--threads must be at most 32767 (the largest thread pool the demos can use), got 40000"), many.err());
        assertFalse(Files.exists(dir.resolve("kld")), "nothing ran");
        Run seed = main("run", "kld", "--seed", "abc");
        assertEquals(Main.USAGE, seed.code());
        assertTrue(seed.err().contains("Invalid value for option '--seed': 'abc' is not a long"), seed.err());
        Run unknown = main("run", "kld", "--bogus");
        assertEquals(Main.USAGE, unknown.code());
        assertTrue(unknown.err().contains("Unknown option: '--bogus'"), unknown.err());
        Run none = main("run");
        assertEquals(Main.USAGE, none.code());
        assertTrue(none.err().contains("Missing required parameter"), none.err());
        Run progress = main("run", "kld", "--progress", "sometimes");
        assertEquals(Main.USAGE, progress.code());
        assertTrue(progress.err().contains("--progress"), progress.err());
        Run nothing = main();
        assertEquals(Main.USAGE, nothing.code());
        assertTrue(nothing.err().contains("missing a command"), nothing.err());
        Run cmd = main("frobnicate");
        assertEquals(Main.USAGE, cmd.code());
        assertTrue(cmd.err().contains("Unmatched argument"), cmd.err());
    }

    @Test
    void helpAndVersion() {
        Run h = main("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("list") && h.out().contains("run"), h.out());
        Run rh = main("run", "--help");
        assertEquals(0, rh.code());
        for (String opt : new String[]{"--out", "--seed", "--quick", "--threads"}) assertTrue(rh.out().contains(opt), rh.out());
        assertTrue(rh.out().contains("out/demos"), "the default output folder is shown");
    }
}
