package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.autograd.Autograd;
import dev.deepprob.autograd.Tensor;
import dev.deepprob.demos.mnist.MnistVaeDemoAccess;
import dev.deepprob.engine.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * mnist-vae in quick mode on 500 generated digits (no network, no real MNIST): the pipeline runs, the numbers it shows
 * are there and obey the bounds; without data the demo is skipped with directions; --set is checked.
 */
class MnistVaeDemoTest {
    @TempDir
    static Path tmp;
    static Path data, out;
    static Runner.Outcome outcome;

    /**
     * 500 fake digits in IDX files (gzip): class k is a horizontal bar at row 4 + 2k and a vertical bar at column 4 + 2k,
     * each pixel flipped with probability 0.05, so the classes differ and the model has something to learn.
     */
    static void writeDigits(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Generator g = new Generator(11);
        ByteBuffer img = ByteBuffer.allocate(16 + n * 784).putInt(0x00000803).putInt(n).putInt(28).putInt(28);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    boolean ink = r == 4 + 2 * k || c == 4 + 2 * k;
                    if (g.nextDouble() < 0.05) ink = !ink;
                    img.put((byte) (ink ? 230 : 10));
                }
            }
            lab.put((byte) k);
        }
        for (var e : Map.of("t10k-images-idx3-ubyte.gz", img.array(), "t10k-labels-idx1-ubyte.gz", lab.array()).entrySet()) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve(e.getKey())))) {
                o.write(e.getValue());
            }
        }
    }

    static Runner.Outcome run(Demo d, Path outDir, Map<String, String> options) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        return Runner.run(List.of(d), new Runner.Settings(outDir, 1, true, 2, Progress.Mode.NONE, options),
                new PrintStream(log, true, StandardCharsets.UTF_8)).getFirst();
    }

    @BeforeAll
    static void runQuick() throws IOException {
        data = tmp.resolve("digits");
        out = tmp.resolve("out");
        writeDigits(data, 600);
        outcome = run(MnistVaeDemoAccess.demo(List.of(tmp.resolve("no-default-data"))), out, Map.of("mnist-vae.data", data.toString()));
    }

    @Test
    void quickRunShowsTheNumbers() {
        assertTrue(outcome.passed(), () -> TestSupport.failures(outcome));
        assertNull(outcome.result().skipped());
        JsonNode m = TestSupport.metrics(out, "mnist-vae");
        JsonNode k = m.get("metrics");
        assertEquals(400, k.get("digits_train").asInt(), "the first 500 digits, every fifth a test digit");
        assertEquals(100, k.get("digits_test").asInt());
        assertEquals(3, k.get("epochs").asInt());
        assertEquals(4, k.get("batches_per_epoch").asInt(), "ceil(400 / 128): the short batch is kept");
        assertEquals(2L * 3 * 4, m.get("steps").asLong(), "two models");
        double elbo = k.get("test_elbo").asDouble(), iw = k.get("test_iw_log_likelihood_k100").asDouble();
        // a lower bound of a log-probability of 784 binary pixels: below 0, above 784 log(1/2) once trained a little
        assertTrue(elbo < 0 && elbo > -784 * Math.log(2), "test ELBO " + elbo);
        assertTrue(iw > elbo && iw < 0, "IW estimate " + iw + " above the ELBO " + elbo);
        JsonNode test = k.get("test_neg_elbo_by_epoch");
        assertEquals(3, test.size());
        assertTrue(test.get(2).asDouble() < test.get(0).asDouble(), "learning: " + test);
        assertTrue(k.get("steps_per_second").asDouble() > 0);
        assertEquals(2, m.get("checks").size());
        TestSupport.assertFigures(out, "mnist-vae", m, "reconstructions.png", "samples.png", "latent_walk.png", "latent_2d.png", "elbo.png");
    }

    @Test
    void withoutDataTheDemoIsSkippedAndSaysHowToGetIt(@TempDir Path dir) {
        Runner.Outcome o = run(MnistVaeDemoAccess.demo(List.of(dir.resolve("empty"))), dir.resolve("out"), Map.of());
        assertTrue(o.passed(), "skipped, not failed");
        String why = o.result().skipped();
        assertNotNull(why);
        assertTrue(why.contains("demos/fetch-mnist.sh") && why.contains("--set mnist-vae.data=PATH"), why);
        assertTrue(o.result().checks().isEmpty());
        JsonNode m = TestSupport.metrics(dir.resolve("out"), "mnist-vae");
        assertEquals(why, m.get("skipped").asText());
        // a path given on purpose that is not there is an error, not a skip
        Runner.Outcome bad = run(MnistVaeDemoAccess.demo(List.of()), dir.resolve("out2"), Map.of("mnist-vae.data", dir.resolve("nope").toString()));
        assertFalse(bad.passed());
        assertTrue(String.valueOf(bad.error()).contains("the data path given does not exist"), String.valueOf(bad.error()));
    }

    @Test
    void settingsAreCheckedOnTheCommandLine(@TempDir Path dir) {
        MainTest.Run r = MainTest.main("run", "kld", "--quick", "--out", dir.toString(), "--set", "mnist-vae.epochs=2");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("--set mnist-vae.epochs=2: expected DEMO.KEY=VALUE for one of the demos run (kld)"), r.err());
        r = MainTest.main("run", "mnist-vae", "--quick", "--out", dir.toString(), "--set", "mnist-vae.epoch=2");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("demo mnist-vae takes mnist-vae.data, mnist-vae.epochs"), r.err());
        r = MainTest.main("run", "kld", "--quick", "--out", dir.toString(), "--set", "kld.x=1");
        assertTrue(r.err().contains("demo kld takes no settings"), r.err());
    }

    /**
     * The importance-weighted estimate where it is known exactly: with q(z|x) = N(0, I) = p(z) (zero encoder heads) and a
     * decoder that ignores z (zero fc3 weights), every weight is p(x|z) = p(x), so the estimate is log p(x) for any k.
     */
    @Test
    void theImportanceWeightedEstimateIsExactWhenQIsThePriorAndTheDecoderIgnoresZ() {
        var model = MnistVaeDemoAccess.model(new Generator(3), 4);
        MnistVaeDemoAccess.zeroForExactCase(model);
        var x = dev.deepprob.engine.NDArray.bernoulli(new Generator(4), 0.3, 6, 784).to(dev.deepprob.engine.DType.F32);
        double exact;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            Tensor logits = MnistVaeDemoAccess.decode(model, Tensor.zeros(6, 4));
            // log Bernoulli in double: x log σ(l) + (1 - x) log(1 - σ(l))
            double[] l = logits.toDoubleArray(), xs = x.toDoubleArray();
            double s = 0;
            for (int i = 0; i < l.length; i++) s += xs[i] * -Math.log1p(Math.exp(-l[i])) + (1 - xs[i]) * -Math.log1p(Math.exp(l[i]));
            exact = s / 6;
            double k1 = MnistVaeDemoAccess.iw(model, x, 1, new Generator(5));
            double k100 = MnistVaeDemoAccess.iw(model, x, 100, new Generator(6));
            // float32 sums of 784 terms of size ~1: relative error ~1e-6 of ~500 nats
            assertEquals(exact, k1, 1e-3);
            assertEquals(exact, k100, 1e-3);
        }
    }
}
