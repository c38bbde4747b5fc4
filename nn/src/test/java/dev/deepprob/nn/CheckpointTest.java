package dev.deepprob.nn;

import dev.deepprob.autograd.Tensor;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Sequential model(long seed, DType t) {
        return Mlp.of(new Generator(seed), 2, 3, 1).activation(Tanh::new).dtype(t).build();
    }

    private static Path resource(String name) {
        try {
            return Path.of(CheckpointTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSameState(Map<String, NDArray> want, Module m) {
        Map<String, NDArray> got = m.stateDict();
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) assertEquals(want.get(k), got.get(k), k);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ------------------------------------------------------------------ round trips and compatibility

    @Test
    void moduleRoundTripsInBothFloatTypes() throws IOException {
        for (DType t : new DType[]{DType.F32, DType.F64}) {
            Sequential a = model(1, t), b = model(2, t);
            Path f = dir.resolve("model-" + t + ".safetensors");
            Checkpoint.save(a, f);
            Checkpoint.load(b, f);
            assertSameState(a.stateDict(), b);
            Tensor x = Tensor.randn(new Generator(3), t, 5, 2);
            assertArrayEquals(a.forward(x).toDoubleArray(), b.forward(x).toDoubleArray());
        }
        assertEquals(List.of("model-F32.safetensors", "model-F64.safetensors"), files(), "no temporary file is left behind");
    }

    @Test
    void theWrittenBytesFollowTheFormat() throws IOException {
        NDArray w = NDArray.of(new float[]{1.5f, -2f, 3.25f}, 3);
        LinkedHashMap<String, NDArray> m = new LinkedHashMap<>();
        m.put("w", w);
        m.put("n", NDArray.of(new long[]{-7, 1L << 40}));
        Path f = dir.resolve("x.safetensors");
        Checkpoint.save(m, Map.of("k", "v"), f);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(Arrays.copyOfRange(b.array(), 8, 8 + (int) n), StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[12,28]}}", header.strip());
        b.position(8 + (int) n);
        assertEquals(1.5f, b.getFloat());
        assertEquals(-2f, b.getFloat());
        assertEquals(3.25f, b.getFloat());
        assertEquals(-7, b.getLong());
        assertEquals(1L << 40, b.getLong());
        assertFalse(b.hasRemaining());
    }

    @Test
    void readsAFileWrittenByAnIndependentWriter() throws IOException {
        // written by src/test/python/write_safetensors.py (numpy + struct), data in reverse header order
        Sequential net = model(4, DType.F32);
        Checkpoint.Contents c = Checkpoint.read(resource("mlp_2_3_1.safetensors"));
        assertEquals(Map.of("format", "pt", "writer", "write_safetensors.py"), c.metadata());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(c.tensors().keySet()));
        Checkpoint.load(net, resource("mlp_2_3_1.safetensors"));
        Map<String, NDArray> io = Checkpoint.load(resource("mlp_2_3_1_io.safetensors"));
        float[] y = net.forward(Tensor.of(io.get("x"))).toFloatArray();
        float[] want = io.get("y").toFloatArray();
        assertArrayEquals(new int[]{4, 1}, io.get("y").dims());
        for (int i = 0; i < want.length; i++) assertEquals(want[i], y[i], 1e-5, "output " + i + " equals numpy's");

        Checkpoint.Contents mixed = Checkpoint.read(resource("mixed.safetensors"));
        Map<String, NDArray> t = mixed.tensors();
        assertEquals(Map.of("note", "mixed dtypes"), mixed.metadata());
        assertEquals(NDArray.of(new double[]{1.5, -2.25, 1e-300, Math.PI}, 2, 2), t.get("f64"));
        assertEquals(NDArray.of(new long[]{-(1L << 62), 0, 7}), t.get("i64"));
        assertEquals(NDArray.of(new boolean[]{true, false, false, true}, 2, 2), t.get("mask"));
        assertEquals(0, t.get("scalar").rank());
        assertEquals(3.25, t.get("scalar").item());
        assertArrayEquals(new int[]{0, 3}, t.get("empty").dims());
        // and written back by this writer, it reads the same
        Path f = dir.resolve("again.safetensors");
        Checkpoint.save(t, mixed.metadata(), f);
        Checkpoint.Contents back = Checkpoint.read(f);
        assertEquals(mixed.metadata(), back.metadata());
        assertEquals(t.keySet(), back.tensors().keySet());
        for (String k : t.keySet()) {
            assertEquals(t.get(k), back.tensors().get(k), k);
            assertEquals(t.get(k).dtype(), back.tensors().get(k).dtype(), k);
        }
    }

    // ------------------------------------------------------------------ rejection leaves the model unchanged

    /** Loads f into a fresh model, expects a CheckpointException with the fragments, and checks the model kept its state. */
    private static void assertRejected(Path f, String... fragments) {
        Sequential m = model(5, DType.F32);
        Map<String, NDArray> before = m.stateDict();
        assertThrowsWith(CheckpointException.class, () -> Checkpoint.load(m, f), fragments);
        assertSameState(before, m);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** A file with the given header text (used as is, no padding) and data bytes. */
    private Path raw(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return write(name, b.array());
    }

    @Test
    void truncatedFilesAreRejected() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(model(6, DType.F32), good);
        byte[] all = Files.readAllBytes(good);
        long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertRejected(write("t0", new byte[0]), "is 0 bytes, too short");
        assertRejected(write("t5", Arrays.copyOf(all, 5)), "is 5 bytes, too short");
        assertRejected(write("t8", Arrays.copyOf(all, 8)), "header length " + headerLen + " does not fit");
        assertRejected(write("thalf", Arrays.copyOf(all, 8 + (int) headerLen / 2)), "does not fit", "truncated");
        assertRejected(write("tdata", Arrays.copyOf(all, all.length - 1)), "tensors cover", "(truncated)");
        byte[] longer = Arrays.copyOf(all, all.length + 4);
        assertRejected(write("tlong", longer), "(trailing bytes)");
    }

    @Test
    void corruptHeadersAreRejected() throws IOException {
        byte[] four = new byte[4];
        String ok = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertRejected(raw("notjson", ok.replace("}}", "}"), four), "header is not well-formed JSON");
        assertRejected(raw("notobj", "[1, 2]", four), "header does not start with '{'");
        assertRejected(raw("dup", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four),
                "not well-formed JSON", "Duplicate field 'a'");
        assertRejected(raw("trailing", ok + " x", four), "not well-formed JSON");
        assertRejected(raw("dtype", ok.replace("F32", "F16"), four), "unsupported dtype 'F16'");
        assertRejected(raw("nodtype", ok.replace("\"dtype\":\"F32\",", ""), four), "missing or non-string 'dtype'");
        assertRejected(raw("shape", ok.replace("[1]", "[-1]"), four), "shape entry 0 must be an integer");
        assertRejected(raw("size", ok.replace("[1]", "[2]"), four), "data offsets [0,4] span 4 bytes, but F32 [2] needs 8");
        assertRejected(raw("offsets", ok.replace("[0,4]", "[4,0]"), four), "end before they begin");
        assertRejected(raw("offsets3", ok.replace("[0,4]", "[0,4,8]"), four), "'data_offsets' must be [begin, end]");
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRejected(raw("overlap", two, new byte[12]), "data of 'b' starts at byte 4, expected 8 (overlaps the previous tensor)");
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertRejected(raw("gap", gap, new byte[8]), "starts at byte 4, expected 0 (gap before it)");
        assertRejected(raw("meta", "{\"__metadata__\":{\"k\":1}}", new byte[0]), "metadata value of 'k' must be a string");
        String bool = "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        assertRejected(raw("bool", bool, new byte[]{1, 2}), "BOOL data must be 0 or 1");
        // a header length beyond the file
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        assertRejected(write("huge", b.array()), "header length 1099511627776 does not fit in the 8 bytes");
        assertThrows(IOException.class, () -> Checkpoint.read(dir.resolve("does-not-exist")));
    }

    @Test
    void missingExtraMisshapenAndMistypedTensorsAreRejected() throws IOException {
        Map<String, NDArray> state = model(7, DType.F32).stateDict();
        LinkedHashMap<String, NDArray> missing = new LinkedHashMap<>(state);
        missing.remove("2.bias");
        Checkpoint.save(missing, dir.resolve("missing"));
        assertRejected(dir.resolve("missing"), "does not fit the Sequential", "missing keys [2.bias]");

        LinkedHashMap<String, NDArray> extra = new LinkedHashMap<>(state);
        extra.put("4.weight", NDArray.zeros(DType.F32, 1, 1));
        Checkpoint.save(extra, dir.resolve("extra"));
        assertRejected(dir.resolve("extra"), "unexpected keys [4.weight]");

        LinkedHashMap<String, NDArray> shape = new LinkedHashMap<>(state);
        shape.put("0.weight", NDArray.zeros(DType.F32, 2, 3));
        Checkpoint.save(shape, dir.resolve("shape"));
        assertRejected(dir.resolve("shape"), "shape mismatch for '0.weight': state has [2, 3], model has [3, 2]");

        Checkpoint.save(model(8, DType.F64), dir.resolve("f64"));
        assertRejected(dir.resolve("f64"), "dtype mismatch for '0.weight': state has F64, model has F32");
    }

    // ------------------------------------------------------------------ atomic save

    @Test
    void aFailedSaveLeavesTheOldCheckpointAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(model(9, DType.F32), f);
        byte[] before = Files.readAllBytes(f);
        Map<String, NDArray> other = model(10, DType.F32).stateDict();
        int[] written = {0};
        Runnable failAfterTwo = () -> {
            if (++written[0] == 2) throw new UncheckedIOException(new IOException("disk full (simulated)"));
        };
        assertThrowsWith(UncheckedIOException.class, () -> Checkpoint.save(other, Map.of(), f, failAfterTwo), "disk full");
        assertArrayEquals(before, Files.readAllBytes(f), "the old checkpoint is intact");
        assertEquals(List.of("ckpt.safetensors"), files(), "the temporary file was removed");
        // with no old file, a failed save creates nothing
        Path g = dir.resolve("new.safetensors");
        written[0] = 0;
        assertThrows(UncheckedIOException.class, () -> Checkpoint.save(other, Map.of(), g, failAfterTwo));
        assertFalse(Files.exists(g));
        assertEquals(List.of("ckpt.safetensors"), files());
        // a successful save replaces the old file
        Checkpoint.save(other, f);
        Sequential m = model(11, DType.F32);
        Checkpoint.load(m, f);
        assertSameState(other, m);
        assertEquals(List.of("ckpt.safetensors"), files());
    }

    // ------------------------------------------------------------------ leftovers of killed saves

    /** A file named as a save to {@code target} names its temporary file (16 hex digits), as a killed save leaves it. */
    private Path leftover(String target, String hex, int bytes) throws IOException {
        return write("." + target + "." + hex + ".tmp", new byte[bytes]);
    }

    @Test
    void aSaveRemovesTheTemporaryFilesThatKilledSavesToTheSameTargetLeft() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        leftover("ckpt.safetensors", "0123456789abcdef", 1 << 20);
        leftover("ckpt.safetensors", "3f", 100);                        // the form older versions wrote (Long.toHexString)
        // not this target's: another target's temporary file, a name that only looks similar, and the user's own files
        leftover("other.safetensors", "0123456789abcdef", 10);
        leftover("ckpt.safetensors", "not-hex", 10);
        leftover("ckpt.safetensors", "0123456789abcdef0", 10);          // 17 digits
        write("ckpt.safetensors.tmp", new byte[10]);
        write(".ckpt.safetensors.0123456789abcdef.tmp.keep", new byte[10]);
        Map<String, NDArray> state = model(12, DType.F32).stateDict();
        Checkpoint.save(state, f);
        assertEquals(List.of(".ckpt.safetensors.0123456789abcdef.tmp.keep", ".ckpt.safetensors.0123456789abcdef0.tmp",
                ".ckpt.safetensors.not-hex.tmp", ".other.safetensors.0123456789abcdef.tmp", "ckpt.safetensors", "ckpt.safetensors.tmp"),
                files(), "only the two leftovers of saves to ckpt.safetensors are gone");
        Sequential m = model(13, DType.F32);
        Checkpoint.load(m, f);
        assertSameState(state, m);
    }

    @Test
    void aTemporaryFileThatIsLockedIsLeftAlone() throws IOException {
        // a writer holds a lock on its file until the rename; this one is held in this JVM, which the cleanup also respects
        Path busy = leftover("x.safetensors", "00000000000000aa", 10);
        try (FileChannel c = FileChannel.open(busy, StandardOpenOption.WRITE); FileLock lock = c.lock()) {
            Checkpoint.save(model(14, DType.F32), dir.resolve("x.safetensors"));
            assertTrue(Files.exists(busy), "a locked temporary file belongs to a live save");
            assertTrue(lock.isValid());
        }
        Checkpoint.save(model(14, DType.F32), dir.resolve("x.safetensors"));
        assertEquals(List.of("x.safetensors"), files(), "unlocked, it is a leftover");
    }

    @Test
    void concurrentSavesToOneTargetAllSucceedAndLeaveOneValidFile() throws Exception {
        // each save's cleanup runs while the others write: none may delete another's file (its rename would then fail)
        Path f = dir.resolve("shared.safetensors");
        List<Map<String, NDArray>> states = new ArrayList<>();
        for (int i = 0; i < 4; i++) states.add(model(20 + i, DType.F32).stateDict());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Map<String, NDArray> st : states) done.add(pool.submit(() -> {
                for (int k = 0; k < 25; k++) Checkpoint.save(st, f);
                return null;
            }));
            for (var d : done) d.get(2, TimeUnit.MINUTES);         // rethrows any save's failure
        }
        assertEquals(List.of("shared.safetensors"), files());
        Map<String, NDArray> got = Checkpoint.load(f);
        assertTrue(states.stream().anyMatch(st -> st.keySet().equals(got.keySet())
                && st.keySet().stream().allMatch(k -> st.get(k).equals(got.get(k)))), "the file is one of the saved states, whole");
    }

    /** A child JVM that saves to args[0] and, after the first tensor's data, says so and waits to be killed. */
    static final class KilledWriter {
        public static void main(String[] args) throws Exception {
            Map<String, NDArray> big = new LinkedHashMap<>();
            for (int i = 0; i < 4; i++) big.put("w" + i, NDArray.zeros(DType.F32, 256, 1024));   // 1 MB each
            Checkpoint.save(big, Map.of(), Path.of(args[0]), () -> {
                System.out.println("@writing");
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void aSaveKilledMidWriteLeavesOnlyAFileTheNextSaveRemoves() throws Exception {
        Path f = dir.resolve("run.safetensors");
        Map<String, NDArray> first = model(15, DType.F32).stateDict(), second = model(16, DType.F32).stateDict();
        Checkpoint.save(first, f);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                KilledWriter.class.getName(), f.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> said = new ArrayList<>();
            CompletableFuture<Boolean> writing = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.equals("@writing")) return true;
                        said.add(line);
                    }
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertTrue(writing.get(2, TimeUnit.MINUTES), () -> "the child JVM did not start writing:\n" + String.join("\n", said));
            List<String> tmp = files().stream().filter(n -> n.startsWith(".run.safetensors.")).toList();
            assertEquals(1, tmp.size(), "the child's temporary file: " + files());
            Path childTmp = dir.resolve(tmp.getFirst());
            assertTrue(Files.size(childTmp) >= 1 << 20, "it holds the first tensor");

            // while the child lives, its file is in use: a save beside it succeeds and leaves it alone
            Checkpoint.save(second, f);
            assertTrue(Files.exists(childTmp), "a live writer's temporary file is not deleted");
            Sequential m = model(17, DType.F32);
            Checkpoint.load(m, f);
            assertSameState(second, m);

            p.destroyForcibly();                                  // SIGKILL: no finally block, no shutdown hook runs
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
            assertTrue(Files.exists(childTmp), "a kill leaves the temporary file");
            assertEquals(List.of(childTmp.getFileName().toString(), "run.safetensors"), files());

            Checkpoint.save(first, f);
            assertEquals(List.of("run.safetensors"), files(), "the next save removed the killed writer's file");
            Checkpoint.load(m, f);
            assertSameState(first, m);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aDirectoryIsNamedAsNotACheckpoint() throws IOException {
        Path d = Files.createDirectory(dir.resolve("ckpt.safetensors"));
        assertThrowsWith(CheckpointException.class, () -> Checkpoint.read(d), "Checkpoint.read: " + d + " is a directory, not a checkpoint file");
        assertThrowsWith(CheckpointException.class, () -> Checkpoint.load(d), d + " is a directory");
        Sequential m = model(18, DType.F32);
        assertThrowsWith(CheckpointException.class, () -> Checkpoint.load(m, d), d + " is a directory");
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.save(m, d),
                "Checkpoint.save: " + d + " is a directory; give the checkpoint's file name");
        assertEquals(List.of("ckpt.safetensors"), files());
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(0, s.count(), "nothing was written into the directory");
        }
    }

    @Test
    void badArgumentsAreRejected() {
        Path f = dir.resolve("x");
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.save((Module) null, f), "Checkpoint.save: module must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.save(model(1, DType.F32), null), "Checkpoint.save: path must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.save(Map.of("__metadata__", NDArray.zeros(DType.F32, 1)), f),
                "'__metadata__' is reserved");
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.save(Map.of("", NDArray.zeros(DType.F32, 1)), f), "names must be non-empty");
        LinkedHashMap<String, NDArray> withNull = new LinkedHashMap<>();
        withNull.put("a", null);
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.save(withNull, f), "tensor 'a' is null");
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.load(null, f), "Checkpoint.load: module must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Checkpoint.read(null), "Checkpoint.read: path must not be null");
        assertFalse(Files.exists(f));
    }
}
