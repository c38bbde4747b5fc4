package dev.deepprob.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs an example's main with System.out captured, and reads numbers out of what it printed. */
final class Output {
    private Output() {}

    /** What {@code main} prints, with line ends normalised to \n; the default locale is fixed so %f prints a point. */
    static synchronized String of(Consumer<String[]> main) {
        PrintStream saved = System.out;
        Locale locale = Locale.getDefault();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            Locale.setDefault(Locale.ROOT);
            System.setOut(p);
            main.accept(new String[0]);
        } finally {
            System.setOut(saved);
            Locale.setDefault(locale);
        }
        return buf.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /** The groups of the first match of {@code regex} in the output, as numbers; fails naming the pattern when absent. */
    static double[] numbers(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) fail("no line matches /" + regex + "/ in:\n" + out);
        double[] v = new double[m.groupCount()];
        for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(m.group(i + 1));
        return v;
    }

    /** The one group of the first match of {@code regex}, as a number. */
    static double number(String out, String regex) { return numbers(out, regex)[0]; }
}
