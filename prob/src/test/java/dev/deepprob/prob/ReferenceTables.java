package dev.deepprob.prob;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The per-distribution reference tables, test resources reference/&lt;Distribution&gt;.tsv written by
 * prob/src/test/python/reference_tables.py from SciPy, mpmath and torch: one row per value, tab-separated
 * {@code source p_dist p_params q_dist q_params method arg value}.
 */
final class ReferenceTables {
    private ReferenceTables() {}

    /** One row, fields as written ('-' for an absent one), with the table it came from. */
    record Line(String table, String source, String pDist, String pParams, String qDist, String qParams, String method, String arg,
                String value) {
        /** The line as the table has it, for messages. */
        String text() { return String.join("\t", source, pDist, pParams, qDist, qParams, method, arg, value); }
    }

    private static Map<String, List<Line>> cache;

    /** Every table by name (the distribution's simple class name). */
    static synchronized Map<String, List<Line>> tables() throws IOException {
        if (cache != null) return cache;
        URL dir = ReferenceTables.class.getResource("/reference");
        assertNotNull(dir, "the reference tables are missing from the test resources");
        Map<String, List<Line>> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".tsv", "");
                List<Line> rows = new ArrayList<>();
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    String[] f = line.split("\t", -1);
                    assertEquals(8, f.length, name + ".tsv: malformed line: " + line);
                    assertEquals(name, f[1], name + ".tsv holds a row of " + f[1] + ": " + line);
                    rows.add(new Line(name, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]));
                }
                m.put(name, rows);
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        cache = m;
        return m;
    }

    /** The rows of one source ("scipy", "mpmath" or "torch") over all tables. */
    static List<Line> rows(String source) throws IOException {
        List<Line> out = new ArrayList<>();
        for (List<Line> t : tables().values()) for (Line l : t) if (l.source().equals(source)) out.add(l);
        return out;
    }
}
