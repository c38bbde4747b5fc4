package dev.deepprob.engine.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the float32 and float64 CPU kernels (VecF32/VecF64, GemmF32/GemmF64, RefF32/RefF64, and the kernel
 * tables FloatKernelsF32/FloatKernelsF64 that CpuBackend calls them through) from one template per pair, as EJML
 * derives its float code from its double code. The Vector API needs monomorphic
 * {@code FloatVector} and {@code DoubleVector} code (one class parameterised by a dtype would be slower), so the
 * source is generated; {@code GeneratedKernelsTest} fails when a committed kernel differs from what this writes.
 *
 * <p>A template ({@code engine/src/main/template/dev/deepprob/engine/cpu/*.java.tmpl}) is the float64 class. F64
 * is the template with its directives resolved; F32 is it with {@link #toF32} applied to every shared line: the
 * words DoubleVector, double, doubles, Double, float64, Float64 and dgemm become their float32 names, identifiers
 * ending in F64 end in F32, and decimal literals in code get an f (1.0 becomes 1f), so an identity {@code (double)}
 * cast in F64 is F32's rounding {@code (float)}. Where the two legitimately differ:
 * <ul>
 * <li>{@code //#if F32} (or {@code //#if F64}), {@code //#else}, {@code //#endif}, each on a line of its own, not
 *     nested: the lines of a branch are copied as written into its dtype, no rule applied;
 * <li>{@code F64 text //#F32 F32 text}: a line whose F32 form is given, as written, after the directive;
 * <li>{@code text //#keep}: a line copied as written into both dtypes (a signature whose double parameters stay double);
 * <li>{@code //# comment}: a template comment, dropped.
 * </ul>
 * VecMathF32 and VecMathF64 are written by hand: they are two algorithms (Cephes float kernels, fdlibm double
 * kernels and pow), not one algorithm in two precisions.
 *
 * <p>Regenerate after editing a template, from the repository root:
 * {@code java engine/src/test/java/dev/deepprob/engine/codegen/KernelGenerator.java}
 */
public final class KernelGenerator {
    private KernelGenerator() {}

    /** The command that regenerates the kernels, quoted in each generated file's header. */
    static final String COMMAND = "java engine/src/test/java/dev/deepprob/engine/codegen/KernelGenerator.java";
    static final String TEMPLATES = "src/main/template/dev/deepprob/engine/cpu/";
    static final String SOURCES = "src/main/java/dev/deepprob/engine/cpu/";

    /** A template and the two classes generated from it. */
    record Kernel(String template, String f32, String f64) {}

    static final List<Kernel> KERNELS = List.of(
            new Kernel("Vec.java.tmpl", "VecF32.java", "VecF64.java"),
            new Kernel("Gemm.java.tmpl", "GemmF32.java", "GemmF64.java"),
            new Kernel("Ref.java.tmpl", "RefF32.java", "RefF64.java"),
            new Kernel("FloatKernels.java.tmpl", "FloatKernelsF32.java", "FloatKernelsF64.java"));

    enum Dtype { F32, F64 }

    /** Whole words renamed in F32, in this order, in the shared lines (code and comments). */
    private static final String[][] WORDS = {
            {"DoubleVector", "FloatVector"}, {"double", "float"}, {"doubles", "floats"}, {"Double", "Float"},
            {"float64", "float32"}, {"Float64", "Float32"}, {"dgemm", "sgemm"}};
    private static final Pattern F64_SUFFIX = Pattern.compile("\\b(\\w*)F64\\b");
    /** A decimal literal without exponent or suffix (1.0, 0.5) in code: it becomes 1f, 0.5f. */
    private static final Pattern DECIMAL = Pattern.compile("(?<![\\w.])(\\d+)\\.(\\d+)(?![\\w.])");
    private static final Pattern DIRECTIVE = Pattern.compile("\\s*//#(if F32|if F64|else|endif)\\s*");
    /** {@code F64 line //#F32 F32 line}: one line that differs, the F32 form given after the directive. */
    private static final Pattern ONE_LINE = Pattern.compile("(\\s*)(.*?)\\s*//#F32 (.*)");
    /** {@code text //#keep}: one line copied as written into both dtypes. */
    private static final Pattern KEEP = Pattern.compile("(.*?)\\s*//#keep\\s*");
    private static final Pattern TEMPLATE_COMMENT = Pattern.compile("\\s*//#( .*)?");

    /** The float32 form of one shared template line. */
    static String toF32(String line) {
        String s = line;
        for (String[] w : WORDS) s = s.replaceAll("\\b" + w[0] + "\\b", w[1]);
        s = F64_SUFFIX.matcher(s).replaceAll("$1F32");
        String trimmed = s.stripLeading();
        if (trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//")) return s;
        int comment = s.indexOf("//");
        String code = comment < 0 ? s : s.substring(0, comment), rest = comment < 0 ? "" : s.substring(comment);
        Matcher m = DECIMAL.matcher(code);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String frac = m.group(2).replaceAll("0+$", "");
            m.appendReplacement(out, m.group(1) + (frac.isEmpty() ? "" : "." + frac) + "f");
        }
        m.appendTail(out);
        return out + rest;
    }

    /**
     * The class {@code dtype} of {@code templateText}, with a header naming the template; {@code name} is the
     * template's file name, used in the header and in error messages.
     */
    static String render(String name, String templateText, Dtype dtype) {
        StringBuilder out = new StringBuilder();
        out.append("// Generated by KernelGenerator from engine/").append(TEMPLATES).append(name).append(": do not edit;\n")
                .append("// edit the template and run ").append(COMMAND).append('\n');
        Dtype branch = null; // null outside a branch
        boolean inElse = false;
        int opened = 0;
        String[] lines = templateText.split("\n", -1);
        int last = lines.length - (templateText.endsWith("\n") ? 1 : 0);
        for (int i = 0; i < last; i++) {
            String line = lines[i];
            if (!line.contains("//#")) {
                if (branch == null) out.append(dtype == Dtype.F64 ? line : toF32(line)).append('\n');
                else if ((branch == dtype) != inElse) out.append(line).append('\n');
                continue;
            }
            Matcher d = DIRECTIVE.matcher(line), one = ONE_LINE.matcher(line), keep = KEEP.matcher(line);
            if (d.matches()) {
                String what = d.group(1);
                if (what.startsWith("if")) {
                    if (branch != null) throw error(name, i, "nested //#if");
                    branch = what.endsWith("F32") ? Dtype.F32 : Dtype.F64;
                    inElse = false;
                    opened = i;
                } else if (what.equals("else")) {
                    if (branch == null || inElse) throw error(name, i, "//#else without //#if");
                    inElse = true;
                } else {
                    if (branch == null) throw error(name, i, "//#endif without //#if");
                    branch = null;
                }
            } else if (one.matches()) {
                if (branch != null) throw error(name, i, "//#F32 inside an //#if branch");
                out.append(one.group(1)).append(dtype == Dtype.F64 ? one.group(2) : one.group(3)).append('\n');
            } else if (keep.matches()) {
                if (branch != null) throw error(name, i, "//#keep inside an //#if branch");
                out.append(keep.group(1)).append('\n');
            } else if (!TEMPLATE_COMMENT.matcher(line).matches()) {
                throw error(name, i, "unknown directive: " + line.strip());
            }
        }
        if (branch != null) throw error(name, opened, "//#if without //#endif");
        return out.toString();
    }

    private static IllegalArgumentException error(String name, int line, String what) {
        return new IllegalArgumentException(name + ":" + (line + 1) + ": " + what);
    }

    /** Generated source path (relative to the engine module) to its content, for every kernel. */
    static Map<String, String> generate(Path engineDir) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Kernel k : KERNELS) {
            String text = read(engineDir.resolve(TEMPLATES + k.template()));
            files.put(SOURCES + k.f32(), render(k.template(), text, Dtype.F32));
            files.put(SOURCES + k.f64(), render(k.template(), text, Dtype.F64));
        }
        return files;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine module: {@code engine/} under the working directory, or the working directory itself. */
    static Path engineDir() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("engine").resolve(TEMPLATES)) ? cwd.resolve("engine") : cwd;
    }

    /** Rewrites every generated kernel that differs from its template's output and names it. */
    public static void main(String[] args) throws IOException {
        Path engine = args.length > 0 ? Path.of(args[0]) : engineDir();
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> e : generate(engine).entrySet()) {
            Path p = engine.resolve(e.getKey());
            if (Files.exists(p) && Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) continue;
            Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
            written.add(e.getKey());
        }
        System.out.println(written.isEmpty() ? "kernels up to date" : "wrote " + String.join(", ", written));
    }
}
