package dev.deepprob.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} must fail at the first kernel with a message that
 * names the flag and where it goes, not with a {@code NoClassDefFoundError} from inside a reduction. The check runs in
 * child JVMs on the engine's class path, with and without the flag; this JVM itself has the flag (Surefire's argLine).
 */
class VectorModuleCheckTest {

    /** The child's program: one reduction, the first use of a kernel. */
    public static final class FirstReduction {
        public static void main(String[] args) {
            NDArray x = NDArray.arange(DType.F64, 6).reshape(2, 3);
            System.out.println("sum=" + x.sum(new int[]{0, 1}, false).item());
        }
    }

    private record Result(int exit, String out) {}

    private static Result child(boolean withFlag) throws IOException, InterruptedException {
        String classes = codeSource(NDArray.class), testClasses = codeSource(FirstReduction.class);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (withFlag) cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of("-cp", classes + java.io.File.pathSeparator + testClasses, FirstReduction.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish: " + cmd);
        return new Result(p.exitValue(), out);
    }

    private static String codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutTheFlagTheFirstReductionNamesTheFlag() throws Exception {
        Result r = child(false);
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("java.lang.IllegalStateException: deepprob: the JVM was started without the Vector API"),
                r.out());
        assertTrue(r.out().contains("start it with --add-modules jdk.incubator.vector"), r.out());
        for (String where : List.of("java --add-modules jdk.incubator.vector -cp", ".mvn/jvm.config", "MAVEN_OPTS",
                "<argLine>--add-modules jdk.incubator.vector</argLine>", "run configuration"))
            assertTrue(r.out().contains(where), "message should say where the flag goes (" + where + "): " + r.out());
        assertFalse(r.out().contains("NoClassDefFoundError"), r.out());
        assertFalse(r.out().contains("ExceptionInInitializerError"), r.out());
    }

    @Test
    void withTheFlagTheSameProgramRuns() throws Exception {
        Result r = child(true);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("sum=15.0"), r.out());
    }
}
