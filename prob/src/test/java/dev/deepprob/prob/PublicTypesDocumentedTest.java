package dev.deepprob.prob;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every public type of the library's API (the packages that engine, autograd, nn and prob export to everyone, as
 * their module-info.java says) has a Javadoc class comment, nested types included. The set of public types comes from
 * the compiled classes (so members of interfaces, public without the keyword, count); the comment from the source.
 * The javadoc jar's doclint runs without its "missing" group, so this test is what keeps the API's types described.
 */
class PublicTypesDocumentedTest {

    static final List<String> LIBRARY_MODULES = List.of("engine", "autograd", "nn", "prob");
    static final Pattern UNQUALIFIED_EXPORT = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;");

    /** The repository root: surefire runs each module's tests in that module's directory. */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        Path root = here.getParent();
        assertTrue(root != null && Files.isRegularFile(root.resolve("engine/src/main/java/module-info.java")),
                "expected to run in a module directory of the repository (e.g. prob/), ran in " + here);
        return root;
    }

    record PublicType(Class<?> type, Path source) {}

    /** The public types declared in the exported packages of one module, top-level and nested. */
    static List<PublicType> publicTypes(Path moduleSources) throws IOException, ClassNotFoundException {
        String moduleInfo = Files.readString(moduleSources.resolve("module-info.java"));
        Matcher exports = UNQUALIFIED_EXPORT.matcher(moduleInfo);
        List<PublicType> out = new ArrayList<>();
        while (exports.find()) {
            String pkg = exports.group(1);
            Path dir = moduleSources.resolve(pkg.replace('.', '/'));
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> !p.getFileName().toString().equals("package-info.java")).sorted().toList();
            }
            assertFalse(files.isEmpty(), "exported package " + pkg + " has no sources in " + dir);
            for (Path f : files) {
                String name = f.getFileName().toString().replaceFirst("\\.java$", "");
                Class<?> top = Class.forName(pkg + "." + name, false, PublicTypesDocumentedTest.class.getClassLoader());
                collect(top, f, out);
            }
        }
        return out;
    }

    static void collect(Class<?> c, Path source, List<PublicType> out) {
        if (!Modifier.isPublic(c.getModifiers())) return;
        out.add(new PublicType(c, source));
        for (Class<?> nested : c.getDeclaredClasses()) collect(nested, source, out);
    }

    /** Whether the declaration of {@code c} in its source is preceded by a non-empty Javadoc comment. */
    static boolean hasClassComment(Class<?> c, List<String> lines) {
        Pattern decl = Pattern.compile("^\\s*(?:[\\w-]+\\s+)*(?:class|interface|enum|record|@interface)\\s+"
                + Pattern.quote(c.getSimpleName()) + "\\b");
        for (int i = 0; i < lines.size(); i++) {
            if (!decl.matcher(lines.get(i)).find()) continue;
            int j = i - 1;
            while (j >= 0 && (lines.get(j).isBlank() || lines.get(j).strip().startsWith("@"))) j--;
            if (j < 0 || !lines.get(j).strip().endsWith("*/")) return false;
            StringBuilder text = new StringBuilder();
            int k = j;
            while (k >= 0 && !lines.get(k).contains("/*")) text.insert(0, lines.get(k--));
            if (k < 0) return false;
            String open = lines.get(k).strip();
            text.insert(0, open);
            return open.startsWith("/**") && !text.toString().replaceAll("[/*\\s]", "").isEmpty();
        }
        fail("no declaration of " + c.getName() + " found in its source");
        return false;
    }

    @Test
    void everyPublicTypeOfTheApiHasAClassComment() throws Exception {
        Path root = repositoryRoot();
        int count = 0;
        List<String> undocumented = new ArrayList<>();
        for (String module : LIBRARY_MODULES) {
            for (PublicType t : publicTypes(root.resolve(module).resolve("src/main/java"))) {
                count++;
                if (!hasClassComment(t.type(), Files.readAllLines(t.source())))
                    undocumented.add(t.type().getName() + " (" + root.relativize(t.source()) + ")");
            }
        }
        // the API has well over a hundred public types: a scan that finds few has lost its way, not its work
        assertTrue(count > 100, "found only " + count + " public types in the exported packages");
        assertTrue(undocumented.isEmpty(), undocumented.size() + " of " + count
                + " public types have no class comment (one to three sentences: what it is for and why):\n  "
                + String.join("\n  ", undocumented));
    }

    @Test
    void theCheckSeesAMissingComment() {
        List<String> bare = List.of("package x;", "", "// a line comment is not a class comment", "@Deprecated",
                "public final class PublicTypesDocumentedTest {}");
        List<String> documented = List.of("package x;", "", "/**", " * Says why.", " */",
                "@Deprecated", "public final class PublicTypesDocumentedTest {}");
        List<String> blockComment = List.of("/* not javadoc */", "class PublicTypesDocumentedTest {}");
        assertFalse(hasClassComment(PublicTypesDocumentedTest.class, bare));
        assertTrue(hasClassComment(PublicTypesDocumentedTest.class, documented));
        assertFalse(hasClassComment(PublicTypesDocumentedTest.class, blockComment));
    }
}
