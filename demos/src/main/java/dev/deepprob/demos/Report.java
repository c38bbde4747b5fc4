package dev.deepprob.demos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a demo's {@code metrics.json} and the static {@code index.html} that shows every figure with its numbers. */
public final class Report {
    private Report() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The JSON tree of one outcome (also what the tests read back). */
    static Map<String, Object> tree(Runner.Outcome o, Runner.Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        Demo d = o.demo();
        DemoResult r = o.result();
        m.put("name", d.name());
        m.put("title", d.title());
        m.put("description", d.description());
        m.put("mode", s.quick() ? "quick" : "full");
        m.put("seed", s.seed());
        m.put("threads", s.threads());
        m.put("device", s.deviceName());
        m.put("passed", o.passed());
        if (r != null && r.skipped() != null) m.put("skipped", r.skipped());
        m.put("steps", r == null ? 0 : r.steps());
        m.put("wallSeconds", o.wallSeconds());
        m.put("metrics", r == null ? Map.of() : r.metrics());
        List<Map<String, Object>> checks = new ArrayList<>();
        if (r != null) {
            for (Check c : r.checks()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("name", c.name());
                cm.put("value", c.value());
                cm.put("relation", c.relation());
                cm.put("threshold", c.threshold());
                if (!Double.isNaN(c.tolerance())) cm.put("tolerance", c.tolerance());
                cm.put("passed", c.passed());
                checks.add(cm);
            }
        }
        m.put("checks", checks);
        List<Map<String, Object>> figs = new ArrayList<>();
        if (r != null) for (DemoResult.Figure f : r.figures()) figs.add(Map.of("file", f.file(), "caption", f.caption()));
        m.put("figures", figs);
        m.put("notes", r == null ? List.of() : r.notes());
        m.put("error", o.error() == null ? null : String.valueOf(o.error()));
        return m;
    }

    /** Writes {@code metrics.json} (through a temporary file renamed into place). */
    public static void writeMetrics(Path file, Runner.Outcome o, Runner.Settings s) {
        try {
            writeAtomically(file, JSON.writeValueAsString(tree(o, s)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");   // plain permissions
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ------------------------------------------------------------------ HTML

    /**
     * Where a run of several demos stands: the demos in order, those finished (a prefix of them), the one running (null
     * when none) and whether the run was interrupted. The index of an unfinished run says so and names the demos left.
     */
    public record RunState(List<Demo> demos, List<Runner.Outcome> finished, Demo running, boolean interrupted) {
        /** Copies the lists. */
        public RunState {
            demos = List.copyOf(demos);
            finished = List.copyOf(finished);
            if (finished.size() > demos.size()) throw new IllegalArgumentException("Report.RunState: " + finished.size()
                    + " demos finished of " + demos.size());
        }

        /** A run whose every demo finished. */
        public static RunState complete(List<Runner.Outcome> outcomes) {
            return new RunState(outcomes.stream().map(Runner.Outcome::demo).toList(), outcomes, null, false);
        }

        /** True when every demo finished. */
        public boolean isComplete() { return finished.size() == demos.size(); }

        /** The demos after the finished and the running one. */
        List<Demo> notStarted() {
            int from = finished.size() + (running == null ? 0 : 1);
            return from >= demos.size() ? List.of() : demos.subList(from, demos.size());
        }
    }

    /** Writes {@code out/index.html} (through a temporary file renamed into place) and returns its path. */
    public static Path writeIndex(Path out, RunState st, Runner.Settings s) {
        Path file = out.resolve("index.html");
        try {
            writeAtomically(file, html(st, s));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    static String html(RunState st, Runner.Settings s) {
        StringBuilder b = new StringBuilder(16384);
        List<Runner.Outcome> outcomes = st.finished();
        long passed = outcomes.stream().filter(Runner.Outcome::passed).count();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>deepprob demos").append(st.isComplete() ? "" : " (incomplete)").append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n")
                .append("<header><h1>deepprob demos</h1>\n<p class=\"sub\">The tutorial's programs, rerun in pure Java. ")
                .append(s.quick() ? "Quick mode (short runs)" : "Full mode (the original settings)")
                .append(", seed ").append(s.seed()).append(", ").append(s.threads()).append(" thread").append(s.threads() == 1 ? "" : "s")
                .append(", on ").append(esc(s.deviceName()))
                .append(", ").append(esc(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))).append(".</p>\n");
        if (st.isComplete()) {
            b.append("<p class=\"sub\">").append(passed).append(" of ").append(outcomes.size()).append(" demos passed every check.</p>");
        } else {
            b.append("<p class=\"incomplete\">").append(st.interrupted() ? "This run was interrupted" : "This run has not finished (it is "
                    + "still going, or was stopped without notice)").append(": ").append(outcomes.size()).append(" of ").append(st.demos().size())
                    .append(" demos finished, ").append(passed).append(" of them passing every check");
            if (st.running() != null) b.append("; ").append(esc(st.running().name())).append(st.interrupted() ? " did not finish" : " is running");
            List<Demo> left = st.notStarted();
            if (!left.isEmpty()) b.append("; not run").append(st.interrupted() ? "" : " yet").append(": ")
                    .append(esc(String.join(", ", left.stream().map(Demo::name).toList())));
            b.append(".</p>");
        }
        b.append("</header>\n");
        b.append("<nav><table class=\"summary\"><thead><tr><th>demo</th><th>what it shows</th><th>checks</th><th>steps</th><th>time</th></tr></thead><tbody>\n");
        for (Runner.Outcome o : outcomes) {
            DemoResult r = o.result();
            b.append("<tr><td><a href=\"#").append(esc(o.demo().name())).append("\">").append(esc(o.demo().name())).append("</a></td><td>")
                    .append(esc(o.demo().title())).append("</td><td>").append(badge(o)).append("</td><td class=\"num\">")
                    .append(r == null ? "" : r.steps()).append("</td><td class=\"num\">").append(esc(Fmt.seconds(o.wallSeconds())))
                    .append("</td></tr>\n");
        }
        for (Demo d : st.demos().subList(outcomes.size(), st.demos().size())) {
            b.append("<tr><td><a href=\"#").append(esc(d.name())).append("\">").append(esc(d.name())).append("</a></td><td>")
                    .append(esc(d.title())).append("</td><td>").append(unfinishedBadge(st, d)).append("</td><td></td><td></td></tr>\n");
        }
        b.append("</tbody></table></nav>\n");
        for (Runner.Outcome o : outcomes) section(b, o, s.out());
        for (Demo d : st.demos().subList(outcomes.size(), st.demos().size())) {
            String n = esc(d.name());
            b.append("<section id=\"").append(n).append("\">\n<h2>").append(esc(d.title())).append(" <small>").append(n).append("</small> ")
                    .append(unfinishedBadge(st, d)).append("</h2>\n<p class=\"what\">").append(esc(d.description())).append("</p>\n")
                    .append("<p class=\"incomplete\">").append(d == st.running() ? (st.interrupted() ? "Did not finish: the run was interrupted "
                            + "while this demo ran." : "Running.") : (st.interrupted() ? "Not run: the run was interrupted before it." : "Not run yet."))
                    .append(" No numbers are shown for it.</p>\n</section>\n");
        }
        b.append("<footer>Generated by <code>dev.deepprob.demos.Main</code>. Each folder also holds <code>metrics.json</code> with these numbers.</footer>\n");
        b.append("</main>\n</body>\n</html>\n");
        return b.toString();
    }

    private static String unfinishedBadge(RunState st, Demo d) {
        if (d == st.running()) return st.interrupted() ? "<span class=\"badge fail\">did not finish</span>" : "<span class=\"badge\">running</span>";
        return "<span class=\"badge\">not run</span>";
    }

    private static String badge(Runner.Outcome o) {
        DemoResult r = o.result();
        if (o.error() != null) return "<span class=\"badge fail\">error</span>";
        if (r.skipped() != null) return "<span class=\"badge\">skipped</span>";
        long ok = r.checks().stream().filter(Check::passed).count();
        String cls = o.passed() ? "ok" : "fail";
        return "<span class=\"badge " + cls + "\">" + ok + "/" + r.checks().size() + " passed</span>";
    }

    private static void section(StringBuilder b, Runner.Outcome o, Path out) {
        Demo d = o.demo();
        DemoResult r = o.result();
        String n = esc(d.name());
        b.append("<section id=\"").append(n).append("\">\n<h2>").append(esc(d.title())).append(" <small>").append(n).append("</small> ")
                .append(badge(o)).append("</h2>\n");
        b.append("<p class=\"what\">").append(esc(d.description())).append("</p>\n");
        b.append("<p class=\"meta\">").append(r == null ? 0 : r.steps()).append(" steps, ").append(esc(Fmt.seconds(o.wallSeconds())))
                .append(" &middot; <a href=\"").append(n).append("/metrics.json\">metrics.json</a></p>\n");
        if (o.error() != null) b.append("<pre class=\"error\">").append(esc(String.valueOf(o.error()))).append("</pre>\n");
        if (r != null && r.skipped() != null) b.append("<p class=\"what\"><b>Skipped:</b> ").append(esc(r.skipped())).append("</p>\n");
        if (r == null) {
            b.append("</section>\n");
            return;
        }
        // the figures first: they are what a reader looks at; the checks and numbers below back them up
        for (DemoResult.Figure f : r.figures()) {
            String src = n + "/" + esc(f.file());
            int w = pngWidth(out.resolve(d.name()).resolve(f.file()));
            b.append(w > COLUMN_PX ? "<figure class=\"wide\">" : "<figure>").append("<a href=\"").append(src).append("\"><img src=\"").append(src)
                    .append("\" alt=\"").append(esc(f.caption())).append("\" loading=\"lazy\"")
                    .append(w > COLUMN_PX ? " style=\"width: min(" + w + "px, calc(100vw - 3rem))\"" : "").append("></a><figcaption>").append(esc(f.caption())).append("</figcaption></figure>\n");
        }
        if (!r.checks().isEmpty()) {
            b.append("<h3>Checks</h3>\n<table class=\"checks\"><thead><tr><th></th><th>check</th><th>value</th><th>expected</th></tr></thead><tbody>\n");
            for (Check c : r.checks()) {
                String expect = "≈".equals(c.relation()) ? "≈ " + Fmt.num(c.threshold()) + " ± " + Fmt.num(c.tolerance())
                        : c.relation() + " " + Fmt.num(c.threshold());
                b.append("<tr class=\"").append(c.passed() ? "ok" : "fail").append("\"><td>").append(c.passed() ? "&#10003;" : "&#10007;")
                        .append("</td><td>").append(esc(c.name())).append("</td><td class=\"num\">").append(esc(Fmt.num(c.value(), 8)))
                        .append("</td><td class=\"num\">").append(esc(expect)).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        if (!r.metrics().isEmpty()) {
            b.append("<h3>Numbers</h3>\n<table class=\"metrics\"><tbody>\n");
            for (Map.Entry<String, Object> e : r.metrics().entrySet()) {
                b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>");
                if (isTable(e.getValue())) table(b, (List<?>) e.getValue());
                else b.append(esc(value(e.getValue())));
                b.append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        if (!r.notes().isEmpty()) {
            b.append("<ul class=\"notes\">\n");
            for (String note : r.notes()) b.append("<li>").append(esc(note)).append("</li>\n");
            b.append("</ul>\n");
        }
        b.append("</section>\n");
    }

    /** About the width of the text column (main's 1100 px less the paddings): wider figures may use the window's width. */
    static final int COLUMN_PX = 1000;

    /** The width in pixels of a PNG file from its header, or 0 when it cannot be read (then the figure is laid out as narrow). */
    static int pngWidth(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(24);
            if (h.length < 24 || h[0] != (byte) 0x89 || h[1] != 'P' || h[2] != 'N' || h[3] != 'G') return 0;
            return ((h[16] & 0xff) << 24) | ((h[17] & 0xff) << 16) | ((h[18] & 0xff) << 8) | (h[19] & 0xff);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A non-empty list of maps: shown as a small table, one row per map, the first map's keys as columns. */
    private static boolean isTable(Object v) {
        return v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof Map<?, ?>);
    }

    private static void table(StringBuilder b, List<?> rows) {
        List<?> keys = new ArrayList<>(((Map<?, ?>) rows.getFirst()).keySet());
        b.append("<table class=\"sub\"><thead><tr>");
        for (Object k : keys) b.append("<th>").append(esc(String.valueOf(k))).append("</th>");
        b.append("</tr></thead><tbody>");
        for (Object r : rows) {
            b.append("<tr>");
            for (Object k : keys) b.append("<td>").append(esc(value(((Map<?, ?>) r).get(k)))).append("</td>");
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }

    /** A metric value as text: numbers with six significant digits, arrays and lists in brackets, maps as k = v. */
    static String value(Object v) {
        if (v == null) return "";
        if (v instanceof Double || v instanceof Float) return Fmt.num(((Number) v).doubleValue());
        if (v instanceof Number || v instanceof Boolean || v instanceof CharSequence) return String.valueOf(v);
        if (v.getClass().isArray()) {
            int len = Array.getLength(v);
            List<Object> l = new ArrayList<>(len);
            for (int i = 0; i < len; i++) l.add(Array.get(v, i));
            return value(l);
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            for (Object x : c) parts.add(value(x));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) parts.add(e.getKey() + " = " + value(e.getValue()));
            return "{" + String.join("; ", parts) + "}";
        }
        return String.valueOf(v);
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            :root { --fg: #1d2330; --muted: #5b6475; --line: #e3e6ec; --ok: #1a7f37; --fail: #c0262d; --bg: #fbfbfd; }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--bg); color: var(--fg);
                   font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Helvetica, Arial, sans-serif; }
            main { max-width: 1100px; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
            h1 { font-size: 2rem; margin: 0 0 .25rem; }
            h2 { font-size: 1.45rem; margin: 0 0 .5rem; display: flex; align-items: baseline; gap: .6rem; flex-wrap: wrap; }
            h2 small { color: var(--muted); font-weight: normal; font-family: "DejaVu Sans Mono", monospace; font-size: .9rem; }
            h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
            .sub, .meta { color: var(--muted); margin: .2rem 0; }
            .what { font-size: 1.05rem; max-width: 75ch; }
            header { margin-bottom: 1.5rem; }
            section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.4rem 1.5rem; margin: 1.5rem 0; }
            table { border-collapse: collapse; margin: .3rem 0 1rem; font-size: .95rem; }
            th, td { padding: .32rem .7rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
            thead th { color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
            .metrics th { font-weight: 600; font-family: "DejaVu Sans Mono", monospace; font-size: .88rem; white-space: nowrap; }
            .metrics td { font-family: "DejaVu Sans Mono", monospace; font-size: .88rem; word-break: break-word; }
            td.num { font-family: "DejaVu Sans Mono", monospace; font-size: .9rem; text-align: right; white-space: nowrap; }
            table.summary { width: 100%; background: #fff; border: 1px solid var(--line); border-radius: 10px; }
            tr.ok td:first-child { color: var(--ok); font-weight: bold; }
            tr.fail td:first-child, tr.fail td { color: var(--fail); }
            .badge { font-size: .8rem; font-weight: 600; padding: .12rem .55rem; border-radius: 999px; white-space: nowrap;
                     background: #eef0f4; color: var(--muted); }
            .badge.ok { background: #dcf5e3; color: var(--ok); }
            .badge.fail { background: #fde2e2; color: var(--fail); }
            .incomplete { color: var(--fail); font-weight: 600; }
            figure { margin: 1.2rem 0 0; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
            figure.wide img { max-width: 96vw; position: relative; left: 50%; transform: translateX(-50%); }
            figcaption { color: var(--muted); font-size: .93rem; margin-top: .4rem; max-width: 80ch; }
            table.sub { margin: 0; font-size: .85rem; }
            table.sub th, table.sub td { padding: .1rem .6rem .1rem 0; border-bottom: 1px solid #f0f1f4; text-align: right; }
            .notes { color: var(--muted); font-size: .95rem; }
            pre.error { background: #fde2e2; color: var(--fail); padding: .8rem; border-radius: 6px; white-space: pre-wrap; }
            a { color: #2456b3; }
            footer { color: var(--muted); font-size: .85rem; margin-top: 2rem; }
            """;
}
