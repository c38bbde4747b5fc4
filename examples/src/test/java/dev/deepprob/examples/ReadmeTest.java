package dev.deepprob.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds the documentation to the examples, so a code sample cannot rot: every {@code ```java} block of README.md, the
 * modules' READMEs and docs/ must either be a whole source file of examples/ (a complete program, such as the README's
 * {@code app.Main}) or be preceded by {@code <!-- example: PATH#REGION -->} and equal that region of the file (the
 * lines between {@code // README:begin REGION} and {@code // README:end REGION}, each span dedented, spans joined by
 * a blank line), and a {@code ```text} block preceded by {@code <!-- output: CLASS -->} must be exactly what
 * that example prints. ExamplesTest checks what the examples print; this test checks that it is what the docs show.
 */
class ReadmeTest {
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern EXAMPLE = Pattern.compile("^<!-- example: (\\S+)#(\\S+) -->$");
    private static final Pattern OUTPUT = Pattern.compile("^<!-- output: (\\S+) -->$");

    record Block(Path file, int line, String lang, String marker, String text) {
        String where() { return file.getFileName() + ":" + line; }
    }

    /** The repository root: the first directory up from the working directory that holds examples/ and README.md. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples")) && Files.isRegularFile(p.resolve("README.md"))) return p;
        }
        throw new IllegalStateException("ReadmeTest: no directory above " + Path.of("").toAbsolutePath() + " holds examples/ and README.md");
    }

    /** README.md, each module's README.md and every docs/*.md. */
    static List<Path> documents() throws IOException {
        Path root = root();
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root)) {
            s.filter(d -> Files.isRegularFile(d.resolve("pom.xml")) && Files.isRegularFile(d.resolve("README.md")))
                    .map(d -> d.resolve("README.md")).sorted().forEach(docs::add);
        }
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) continue;
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) text.append(lines.get(i)).append('\n');
            String marker = null;
            for (int j = start - 1; j >= 0; j--) {
                if (lines.get(j).isBlank()) continue;
                marker = lines.get(j).strip();
                break;
            }
            out.add(new Block(file, start + 1, open.group(1), marker, text.toString()));
        }
        return out;
    }

    /** The named region of a source file: its spans, each dedented by its least indentation, joined by a blank line. */
    static String region(Path source, String name) throws IOException {
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        List<String> spans = new ArrayList<>();
        List<String> span = null;
        for (String l : lines) {
            String t = l.strip();
            if (t.equals("// README:begin " + name)) {
                assertTrue(span == null, source + ": region " + name + " begins twice without an end");
                span = new ArrayList<>();
            } else if (t.equals("// README:end " + name)) {
                assertTrue(span != null, source + ": region " + name + " ends without a begin");
                spans.add(dedent(span));
                span = null;
            } else if (span != null) {
                span.add(l);
            }
        }
        assertTrue(span == null, source + ": region " + name + " is not closed");
        assertFalse(spans.isEmpty(), source + " has no region " + name);
        return String.join("\n", spans);
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        return sb.toString();
    }

    /** The text of every source file of the examples. */
    static List<String> wholeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve("examples/src/main/java"))) {
            return s.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8).replace("\r\n", "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void everyJavaBlockInTheDocsIsARegionOfAnExampleAndEqualsIt() throws IOException {
        Path root = root();
        int checked = 0;
        for (Path doc : documents()) {
            for (Block b : blocks(doc)) {
                if (!b.lang().equals("java")) continue;
                Matcher m = b.marker() == null ? null : EXAMPLE.matcher(b.marker());
                if (m == null || !m.matches()) {
                    // a whole program (the "Use it in your project" one) needs no marker: it is a file of examples/ as it stands
                    assertTrue(wholeFiles(root).contains(b.text()), b.where() + ": a java block must be a whole source file under "
                            + "examples/src/main/java, or follow <!-- example: PATH#REGION --> naming the region of an example it shows "
                            + "(so CI compiles and runs it); it is neither:\n" + b.text());
                    checked++;
                    continue;
                }
                Path source = root.resolve(m.group(1));
                assertTrue(source.normalize().startsWith(root.resolve("examples")), b.where() + ": " + m.group(1) + " is not under examples/");
                assertEquals(region(source, m.group(2)), b.text(), b.where() + " differs from " + m.group(1) + "#" + m.group(2));
                checked++;
            }
        }
        assertTrue(checked >= 5, "the README shows the first look and an excerpt of each example; found " + checked + " java blocks");
    }

    @Test
    void everyOutputBlockIsWhatItsExamplePrints() throws Exception {
        int checked = 0;
        for (Path doc : documents()) {
            for (Block b : blocks(doc)) {
                Matcher m = b.marker() == null ? null : OUTPUT.matcher(b.marker());
                if (m == null || !m.matches()) continue;
                Method main = Class.forName(m.group(1)).getMethod("main", String[].class);
                String printed = Output.of(args -> {
                    try {
                        main.invoke(null, (Object) args);
                    } catch (IllegalAccessException | InvocationTargetException e) {
                        throw new IllegalStateException(m.group(1) + ".main threw", e);
                    }
                });
                assertEquals(printed, b.text(), b.where() + ": the output shown is not what " + m.group(1) + " prints");
                checked++;
            }
        }
        assertTrue(checked >= 1, "the README shows the first look's output");
    }

    @Test
    void theReadmeQuotesTheErrorMessageTheFirstLookPrints() throws IOException {
        String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("`matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)`"), "README.md quotes the shape error");
    }

    @Test
    void theDocsPointOnlyInsideTheRepository() throws IOException {
        Path root = root();
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        for (Path doc : documents()) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            assertFalse(text.contains("../shared") || text.contains("shared/DESIGN.md") || text.contains("shared/NOTEBOOKS.md"),
                    doc + " points outside the repository (the design notes live in docs/)");
            Matcher m = link.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) continue;                       // https:, mailto:
                Path resolved = doc.getParent().resolve(target).normalize();
                assertTrue(resolved.startsWith(root) && Files.exists(resolved), doc + " links to " + target + ", which is not in the repository");
            }
        }
    }
}
