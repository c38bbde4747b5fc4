package dev.deepprob.demos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepprob.engine.Backends;
import dev.deepprob.gpu.OpenCl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Demos with {@code --device opencl} give the CPU's numbers: every metric of a quick run on the OpenCL device (PoCL
 * in CI) against the same run on the CPU. Skipped without an OpenCL platform, except under CI=true, where it must run.
 */
class DeviceDemosTest {

    @Test
    void demosOnTheDeviceGiveTheCpusNumbers(@TempDir Path dir) {
        String why = OpenCl.unavailableReason();
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but OpenCL is not usable here: " + why);
            assumeTrue(false, "skipped, no OpenCL here: " + why);
        }
        var cl = OpenCl.backend();
        // blr (conjugate regression, F64 linear algebra) and kld (grid searches and Adam fits of KL estimates): the
        // quickest demos on PoCL, where every small op is a kernel launch on the same two cores
        for (String name : List.of("blr", "kld")) {
            Demo d = Demos.find(name).orElseThrow();
            Runner.Outcome cpu = run(d, dir.resolve("cpu"), new Runner.Settings(dir.resolve("cpu"), 1, true, 2, Progress.Mode.NONE));
            long[] before = cl.poolStats();
            Runner.Outcome dev = run(d, dir.resolve("dev"), new Runner.Settings(dir.resolve("dev"), 1, true, 2, Progress.Mode.NONE,
                    Map.of(), cl, cl.device().toString()));
            long[] after = cl.poolStats();
            long buffers = after[0] + after[1] - before[0] - before[1];
            assertTrue(buffers > 100, name + " made only " + buffers + " device arrays: it did not compute on the device");
            assertTrue(cpu.passed(), name + " on the CPU: " + TestSupport.failures(cpu));
            assertTrue(dev.passed(), name + " on " + cl.name() + ": " + TestSupport.failures(dev));
            JsonNode mc = TestSupport.metrics(dir.resolve("cpu"), name), md = TestSupport.metrics(dir.resolve("dev"), name);
            assertEquals("cpu", mc.get("device").asText());
            assertTrue(md.get("device").asText().startsWith("opencl:"), md.get("device").asText());
            int compared = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = mc.get("metrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) continue;
                double a = e.getValue().asDouble(), b = md.get("metrics").get(e.getKey()).asDouble();
                // the device sums in another order and uses its own exp/log: float32 training drifts by some ulps per
                // step, F64 results agree to ~1e-12; 1e-4 relative (or 1e-6 absolute near zero) catches any real difference
                assertEquals(a, b, Math.max(1e-6, 1e-4 * Math.abs(a)), name + " metric " + e.getKey());
                compared++;
            }
            assertTrue(compared > 5, name + ": only " + compared + " numeric metrics compared");
        }
        assertSame(Backends.cpu(), Backends.defaultBackend(), "the run restores the CPU as the default device");
    }

    private static Runner.Outcome run(Demo d, Path out, Runner.Settings s) {
        return Runner.run(List.of(d), s, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).getFirst();
    }
}
