package dev.deepprob.prob;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every public concrete {@link Distribution} of this package has its reference table, reference/&lt;Name&gt;.tsv with
 * rows from SciPy, mpmath or torch (prob/src/test/python/reference_tables.py), and every table names a class: a new
 * distribution cannot arrive without values computed independently of it.
 */
class ReferenceTableCompletenessTest {

    /** The public concrete Distribution classes, found among the compiled classes of the package. */
    static Set<String> distributions() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(Distribution.class.getResource("Distribution.class").toURI()).getParent();
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".class") || f.contains("$")) continue;
                Class<?> c = Class.forName("dev.deepprob.prob." + f.substring(0, f.length() - 6));
                if (Distribution.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers()) && !Modifier.isAbstract(c.getModifiers())) {
                    names.add(c.getSimpleName());
                }
            }
        }
        return names;
    }

    @Test
    void everyDistributionHasAReferenceTableAndEveryTableADistribution() throws Exception {
        Set<String> classes = distributions();
        Map<String, List<ReferenceTables.Line>> tables = ReferenceTables.tables();
        List<String> problems = new ArrayList<>();
        for (String c : classes) {
            List<ReferenceTables.Line> rows = tables.get(c);
            if (rows == null || rows.isEmpty()) problems.add(c + ": no rows in reference/" + c + ".tsv (add them to prob/src/test/python)");
        }
        for (String t : tables.keySet()) if (!classes.contains(t)) problems.add("reference/" + t + ".tsv names no Distribution class");
        System.out.println("reference tables: " + tables.size() + " for " + classes.size() + " distribution classes");
        assertTrue(classes.size() >= 19, "found only " + classes + " (the scan of the compiled package failed?)");
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }
}
