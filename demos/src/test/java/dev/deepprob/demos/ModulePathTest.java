package dev.deepprob.demos;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library on the module path: a program in the unnamed module runs every layer (prob's quantiles, nn's fused
 * Adam step and checkpoints, the demos CLI) with each project module a named module, and cannot reach the engine's
 * internal kernels. The suite itself runs on the class path, so together they cover both.
 */
class ModulePathTest {
    @Test
    void everyLayerWorksOnTheModulePathAndTheKernelsStaySealed() throws Exception {
        List<String> modulePath = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String n = Path.of(e).toString();
            // the test stack and this module's test classes stay off the module path
            if (n.contains("test-classes") || n.matches(".*(junit|jqwik|opentest4j|apiguardian).*")) continue;
            modulePath.add(e);
        }
        Path src = Path.of(getClass().getResource("/modular/ModularSmoke.java").toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "ALL-MODULE-PATH", "--enable-native-access=ALL-UNNAMED", src.toString());
        Path log = Files.createTempFile("modular", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        assertTrue(done, "the modular program did not finish in 120 s:\n" + out);
        assertEquals(0, p.exitValue(), () -> "the modular program failed:\n" + out + "\nmodule path:\n"
                + modulePath.stream().collect(Collectors.joining("\n")));
        assertTrue(out.contains("modular smoke:") && out.contains(" ok"), out);
    }
}
