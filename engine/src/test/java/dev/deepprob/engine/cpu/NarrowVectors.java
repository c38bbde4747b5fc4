package dev.deepprob.engine.cpu;

import jdk.incubator.vector.FloatVector;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a test class's {@code main} in child JVMs capped at 256- and 128-bit vectors (-XX:MaxVectorSize), so that the
 * kernels written for every vector width run at the narrower ones on any machine, as on an AVX2 CPU and below. A
 * width at or above this machine's is skipped: the JVM would cap it to this one, which the tests here already cover.
 * The main prints {@code ok lanes=N } (N float lanes) when its checks pass and exits with 1 otherwise.
 */
final class NarrowVectors {
    private NarrowVectors() {}

    static void run(Class<?> main) throws Exception {
        int here = FloatVector.SPECIES_PREFERRED.vectorByteSize();
        for (int bytes : new int[] {32, 16}) {
            if (bytes >= here) continue;
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            ProcessBuilder pb = new ProcessBuilder(java, "-XX:MaxVectorSize=" + bytes, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), main.getName());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), main.getSimpleName() + " at " + 8 * bytes + "-bit vectors did not finish");
            assertEquals(0, p.exitValue(), main.getSimpleName() + " at " + 8 * bytes + "-bit vectors:\n" + out);
            assertTrue(out.contains("ok lanes=" + bytes / 4 + " "), "the child JVM ran at another width:\n" + out);
        }
    }

    /** The child's side: runs the checks, prints the width on success, exits with 1 and the failure otherwise. */
    static void child(ThrowingRunnable checks) {
        try {
            checks.run();
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.out.println("ok lanes=" + FloatVector.SPECIES_PREFERRED.length() + " ");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
