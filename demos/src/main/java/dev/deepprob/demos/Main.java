package dev.deepprob.demos;

import dev.deepprob.engine.Threads;
import dev.deepprob.engine.Backend;
import dev.deepprob.engine.Backends;
import dev.deepprob.gpu.ClBackend;
import dev.deepprob.gpu.OpenCl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The demos' command line: {@code list}, and {@code run NAME... | all} with {@code --out}, {@code --seed},
 * {@code --quick}, {@code --threads}. Exit codes: 0 when every check passed, 1 when a check failed or a demo threw,
 * 2 for a usage error (unknown demo, bad option).
 */
@Command(name = "demos", mixinStandardHelpOptions = true, version = "deepprob demos 0.1.0",
        description = "Runs the tutorial's programs as demos: figures (PNG), checked numbers (metrics.json) and an HTML report.",
        subcommands = {Main.ListCommand.class, Main.RunCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  demos list", "  demos run kld blr --out out/demos", "  demos run all --quick --threads 2"})
public final class Main implements Callable<Integer> {
    /** Exit code when a check failed or a demo threw. */
    public static final int FAILED = 1;
    /** Exit code for a usage error (picocli's default). */
    public static final int USAGE = 2;

    private final PrintStream out;

    @Spec
    CommandSpec spec;

    Main(PrintStream out) { this.out = out; }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line with the given streams and returns the exit code (for tests and embedding). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new Main(out), new Factory(out));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("demos: " + ex);
            return FAILED;
        });
        return cl.execute(args);
    }

    /** Without a subcommand: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("demos: missing a command (list or run)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Gives the subcommands the output stream. */
    private record Factory(PrintStream out) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == ListCommand.class) return cls.cast(new ListCommand(out));
            if (cls == RunCommand.class) return cls.cast(new RunCommand(out));
            return CommandLine.defaultFactory().create(cls);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the demos in the tutorial's order.")
    static final class ListCommand implements Callable<Integer> {
        private final PrintStream out;

        ListCommand(PrintStream out) { this.out = out; }

        @Override
        public Integer call() {
            for (Demo d : Demos.all()) {
                out.printf("%-14s %s%n", d.name(), d.title());
                for (String line : wrap(d.description(), 76)) out.println("               " + line);
                d.options().forEach((k, help) -> {
                    List<String> lines = wrap(help, 76 - 4);
                    out.println("               --set " + d.name() + "." + k + "=...");
                    for (String line : lines) out.println("                   " + line);
                });
                out.println();
            }
            List<String> planned = Demos.TUTORIAL_ORDER.stream().filter(Demos::isPlanned).toList();
            if (!planned.isEmpty()) out.println("not written yet: " + String.join(", ", planned));
            out.flush();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Runs demos by name (or all of them), writing figures, "
            + "metrics.json and, for several demos, index.html.")
    static final class RunCommand implements Callable<Integer> {
        private final PrintStream out;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "demo names (see list), or 'all'")
        List<String> names = new ArrayList<>();

        @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "out/demos", description = "output folder (default: ${DEFAULT-VALUE})")
        Path outDir;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--quick", description = "short runs (as the tests use)")
        boolean quick;

        @Option(names = "--threads", paramLabel = "N", description = "engine threads, 1 to " + Runner.MAX_THREADS + " (default: all cores)")
        Integer threads;

        @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
                description = "where the demos compute: cpu (default), gpu or opencl (the first OpenCL GPU, else any OpenCL device), "
                        + "opencl:N, or part of a device's name")
        String device;

        @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
                description = "progress display: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: a bar in a terminal, lines otherwise)")
        Progress.Mode progress;

        @Option(names = "--set", paramLabel = "DEMO.KEY=VALUE", description = "a demo's setting, e.g. mnist-vae.data=PATH or "
                + "mnist-vae.epochs=50 (list shows each demo's settings); repeatable")
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

        RunCommand(PrintStream out) { this.out = out; }

        @Override
        public Integer call() {
            CommandLine cl = spec.commandLine();
            if (threads != null && threads < 1) throw new ParameterException(cl, "--threads must be >= 1, got " + threads);
            if (threads != null && threads > Runner.MAX_THREADS) throw new ParameterException(cl, "--threads must be at most "
                    + Runner.MAX_THREADS + " (the largest thread pool the demos can use), got " + threads);
            List<Demo> demos = select(cl, names);
            int t = threads == null ? Threads.get() : threads;
            Backend dev;
            String devName;
            if (device.trim().equalsIgnoreCase("cpu")) {
                dev = Backends.cpu();
                devName = "cpu";
            } else {
                String why = OpenCl.unavailableReason();
                if (why != null) throw new ParameterException(cl, "--device " + device + ": no OpenCL here: " + why);
                try {
                    ClBackend b = OpenCl.backend(device);
                    dev = b;
                    devName = b.device().toString();
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(cl, "--device " + device + ": " + e.getMessage());
                }
            }
            checkSettings(cl, demos, settings);
            List<Runner.Outcome> outcomes = Runner.run(demos, new Runner.Settings(outDir, seed, quick, t, progress, settings, dev, devName), out);
            long failed = outcomes.stream().filter(o -> !o.passed()).count();
            if (outcomes.size() > 1) {
                List<String> skipped = outcomes.stream().filter(o -> o.result() != null && o.result().skipped() != null)
                        .map(o -> o.demo().name()).toList();
                out.println((outcomes.size() - failed) + " of " + outcomes.size() + " demos passed"
                        + (skipped.isEmpty() ? "" : " (skipped: " + String.join(", ", skipped) + ")")
                        + (failed == 0 ? "" : "; failed: " + String.join(", ", outcomes.stream().filter(o -> !o.passed()).map(o -> o.demo().name()).toList())));
            }
            out.flush();
            return failed == 0 ? 0 : FAILED;
        }

        /** Each --set key must be DEMO.KEY for a selected demo that takes KEY. */
        static void checkSettings(CommandLine cl, List<Demo> demos, java.util.Map<String, String> settings) {
            for (String key : settings.keySet()) {
                Demo found = null;
                for (Demo d : demos) if (key.startsWith(d.name() + ".")) found = d;
                final Demo owner = found;
                String given = "--set " + key + "=" + settings.get(key);
                if (owner == null) throw new ParameterException(cl, given + ": expected DEMO.KEY=VALUE for one of the demos run ("
                        + String.join(", ", demos.stream().map(Demo::name).toList()) + ")");
                String k = key.substring(owner.name().length() + 1);
                if (!owner.options().containsKey(k)) throw new ParameterException(cl, given + ": demo " + owner.name()
                        + (owner.options().isEmpty() ? " takes no settings" : " takes " + String.join(", ", owner.options().keySet().stream()
                        .map(o -> owner.name() + "." + o).toList())));
            }
        }

        /** The demos named, in the order given, without repeats; 'all' means every registered demo. */
        static List<Demo> select(CommandLine cl, List<String> names) {
            if (names.contains("all")) return Demos.all();
            Set<String> seen = new LinkedHashSet<>(names);
            List<Demo> ds = new ArrayList<>();
            for (String n : seen) {
                var d = Demos.find(n);
                if (d.isPresent()) {
                    ds.add(d.get());
                } else if (Demos.isPlanned(n)) {
                    throw new ParameterException(cl, "demo '" + n + "' is part of the tutorial but not written yet; available: "
                            + String.join(", ", Demos.names()));
                } else {
                    String near = nearest(n, Demos.names());
                    throw new ParameterException(cl, "unknown demo '" + n + "'" + (near == null ? "" : "; did you mean '" + near + "'?")
                            + "; available: " + String.join(", ", Demos.names()) + " (or 'all')");
                }
            }
            return ds;
        }
    }

    /**
     * The candidate nearest to {@code word} by edit distance when it is close enough to be a typo (at most 2 edits,
     * fewer than its length), else null; ties go to the earlier candidate.
     */
    static String nearest(String word, List<String> candidates) {
        String best = null;
        int bd = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(word.toLowerCase(java.util.Locale.ROOT), c);
            if (d < bd) {
                bd = d;
                best = c;
            }
        }
        return best != null && bd <= 2 && bd < best.length() ? best : null;
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions that turn a into b. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String w : text.split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + w.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(w);
        }
        if (line.length() > 0) lines.add(line.toString());
        return lines;
    }
}
