package dev.deepprob.nn.io;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.Generator;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

/**
 * .npy and .npz: the fixtures numpy wrote (src/test/python/write_npy_fixtures.py) load exactly in every layout, files
 * written here round-trip and load in numpy (when /usr/bin/python3 has it), bad files are refused by name, and a
 * failed write leaves nothing behind.
 */
class NpyTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name + " (run src/test/python/write_npy_fixtures.py)", e);
        }
    }

    /** The script's base(n) = (arange(n) - 5.5) / 3, in double. */
    static double[] base(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i - 5.5) / 3;
        return v;
    }

    static float[] baseF32(int n) {
        double[] d = base(n);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) d[i];
        return f;
    }

    static final long[] I64 = {-3, 0, 7, (1L << 40) + 1, -(1L << 62), (1L << 62) + 5};
    static final boolean[] BOOL = {true, false, false, true, false, false};

    @Test
    void numpysFilesLoadExactlyInEveryLayout() throws IOException {
        for (String f : List.of("f32_c_le.npy", "f32_c_be.npy", "f32_v2.npy")) {
            NDArray a = Npy.read(fixture(f));
            assertEquals(DType.F32, a.dtype(), f);
            assertArrayEquals(new int[]{2, 3, 4}, a.dims(), f);
            assertArrayEquals(baseF32(24), a.toFloatArray(), f);                 // exact: the same float32 rounding
        }
        for (String f : List.of("f64_fortran_le.npy", "f64_fortran_be.npy")) {
            NDArray a = Npy.read(fixture(f));
            assertEquals(DType.F64, a.dtype(), f);
            assertArrayEquals(new int[]{3, 4}, a.dims(), f);
            assertArrayEquals(base(12), a.toDoubleArray(), f);                    // row-major values of a Fortran-order file
            assertEquals(base(12)[1], a.get(0, 1), f);
        }
        for (String f : List.of("i64_le.npy", "i64_be.npy")) {
            NDArray a = Npy.read(fixture(f));
            assertEquals(DType.I64, a.dtype(), f);
            assertArrayEquals(new int[]{2, 3}, a.dims(), f);
            assertArrayEquals(I64, a.toLongArray(), f);
        }
        NDArray b = Npy.read(fixture("bool.npy"));
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(BOOL, b.toBooleanArray());
        NDArray s = Npy.read(fixture("scalar_f64.npy"));
        assertEquals(0, s.rank());
        assertEquals(2.5, s.item());
        NDArray e = Npy.read(fixture("empty_f32.npy"));
        assertArrayEquals(new int[]{0, 3}, e.dims());
    }

    @Test
    void npzArchivesStoredAndCompressed() throws IOException {
        Map<String, NDArray> st = Npy.readNpz(fixture("stored.npz"));
        assertEquals(List.of("x", "labels"), List.copyOf(st.keySet()));
        assertArrayEquals(baseF32(24), st.get("x").toFloatArray());
        assertArrayEquals(new long[]{1, 2, 3}, st.get("labels").toLongArray());
        Map<String, NDArray> cz = Npy.readNpz(fixture("compressed.npz"));
        assertArrayEquals(base(12), cz.get("x").toDoubleArray());
        assertArrayEquals(BOOL, cz.get("mask").toBooleanArray());
    }

    static Map<String, NDArray> samples() {
        Generator g = new Generator(7);
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("f32", NDArray.randn(g, DType.F32, 5, 3, 2));
        m.put("f64", NDArray.randn(g, DType.F64, 4, 7));
        m.put("i64", NDArray.of(I64, 3, 2));
        m.put("bool", NDArray.of(BOOL, 6));
        m.put("scalar", NDArray.scalar(DType.F64, -1.25));
        m.put("empty", NDArray.zeros(DType.F32, 0, 4));
        m.put("view", NDArray.randn(g, DType.F32, 3, 5).transpose(0, 1));   // a non-contiguous view is written in C order
        return m;
    }

    static void assertSame(NDArray want, NDArray got, String what) {
        assertEquals(want.dtype(), got.dtype(), what);
        assertArrayEquals(want.dims(), got.dims(), what);
        switch (want.dtype()) {
            case F32 -> assertArrayEquals(want.toFloatArray(), got.toFloatArray(), what);
            case F64 -> assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), what);
            case I64 -> assertArrayEquals(want.toLongArray(), got.toLongArray(), what);
            case BOOL -> assertArrayEquals(want.toBooleanArray(), got.toBooleanArray(), what);
        }
    }

    @Test
    void writtenFilesRoundTripAndAreAlignedAsNumpyWritesThem() throws IOException {
        for (Map.Entry<String, NDArray> e : samples().entrySet()) {
            Path p = dir.resolve(e.getKey() + ".npy");
            Npy.write(p, e.getValue());
            assertSame(e.getValue(), Npy.read(p), e.getKey());
            byte[] b = Files.readAllBytes(p);
            int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            assertEquals(0, (10 + headerLen) % 64, "data starts 64-byte aligned, as numpy writes");
            assertEquals('\n', b[10 + headerLen - 1], "the header ends in a newline");
        }
        Path z = dir.resolve("all.npz");
        Npy.writeNpz(z, samples());
        Map<String, NDArray> back = Npy.readNpz(z);
        assertEquals(List.copyOf(samples().keySet()), List.copyOf(back.keySet()));
        for (Map.Entry<String, NDArray> e : samples().entrySet()) assertSame(e.getValue(), back.get(e.getKey()), "npz " + e.getKey());
    }

    /**
     * numpy loads what we write and we load what numpy writes back from it in Fortran order and big endian, value for
     * value (float values are passed as hex bit patterns, so exactly).
     */
    @Test
    void roundTripThroughNumpy() throws Exception {
        Path py = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(py), "skipped: no /usr/bin/python3 for the numpy round trip");
        Assumptions.assumeTrue(run(py, "import numpy").exit == 0, "skipped: /usr/bin/python3 has no numpy for the round trip");
        Map<String, NDArray> s = samples();
        StringBuilder expected = new StringBuilder();
        for (Map.Entry<String, NDArray> e : s.entrySet()) {
            Npy.write(dir.resolve(e.getKey() + ".npy"), e.getValue());
            NDArray a = e.getValue();
            String vals = switch (a.dtype()) {
                case F32 -> join(a.toFloatArray());
                case F64 -> Arrays.stream(a.toDoubleArray()).mapToObj(Double::toHexString).reduce((x, y) -> x + " " + y).orElse("");
                case I64 -> Arrays.stream(a.toLongArray()).mapToObj(Long::toString).reduce((x, y) -> x + " " + y).orElse("");
                case BOOL -> {
                    StringBuilder sb = new StringBuilder();
                    for (boolean v : a.toBooleanArray()) sb.append(sb.isEmpty() ? "" : " ").append(v ? 1 : 0);
                    yield sb.toString();
                }
            };
            expected.append(e.getKey()).append('|').append(Arrays.toString(a.dims())).append('|').append(vals).append('\n');
        }
        Files.writeString(dir.resolve("expected.txt"), expected);
        Npy.writeNpz(dir.resolve("all.npz"), s);
        String script = """
                import sys, os, numpy as np
                d = sys.argv[1]
                z = np.load(os.path.join(d, 'all.npz'))
                for line in open(os.path.join(d, 'expected.txt')):
                    name, shape, vals = line.rstrip('\\n').split('|')
                    a = np.load(os.path.join(d, name + '.npy'))
                    assert list(a.shape) == eval(shape), (name, a.shape, shape)
                    assert np.array_equal(z[name], a) and z[name].dtype == a.dtype, name
                    parts = vals.split()
                    if a.dtype == np.float32 or a.dtype == np.float64:
                        want = np.array([float.fromhex(v) for v in parts], dtype=a.dtype)
                    elif a.dtype == np.int64:
                        want = np.array([int(v) for v in parts], dtype=np.int64)
                    else:
                        assert a.dtype == np.bool_, (name, a.dtype)
                        want = np.array([v == '1' for v in parts], dtype=bool)
                    assert np.array_equal(a.reshape(-1), want), name
                    back = a.astype(a.dtype.newbyteorder('>'))
                    if back.ndim >= 2:  # asfortranarray would turn a 0-d array into shape (1,)
                        back = np.asfortranarray(back)
                    np.save(os.path.join(d, 'back_' + name + '.npy'), back)
                print('numpy ok')
                """;
        Result r = run(py, script, dir.toString());
        assertEquals(0, r.exit, "numpy failed:\n" + r.output);
        assertTrue(r.output.contains("numpy ok"), r.output);
        for (Map.Entry<String, NDArray> e : s.entrySet()) assertSame(e.getValue(), Npy.read(dir.resolve("back_" + e.getKey() + ".npy")),
                "numpy's big-endian Fortran copy of " + e.getKey());
    }

    private static String join(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float x : v) sb.append(sb.isEmpty() ? "" : " ").append(Double.toHexString(x));
        return sb.toString();
    }

    private record Result(int exit, String output) {}

    private static Result run(Path py, String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(py.toString(), "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + "\n(timed out)");
        }
        return new Result(p.exitValue(), out);
    }

    // ------------------------------------------------------------------ bad files

    private Path bytes(String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    @Test
    void badFilesAreRefusedWithTheFileAndTheProblem() throws IOException {
        byte[] good = Files.readAllBytes(fixture("f32_c_le.npy"));
        byte[] magic = good.clone();
        magic[1] = 'X';
        Path p1 = bytes("magic.npy", magic);
        assertThrowsWith(DataFileException.class, () -> Npy.read(p1), p1.toString(), "not a .npy file", "magic");
        Path p2 = bytes("truncated.npy", Arrays.copyOf(good, good.length - 4));
        assertThrowsWith(DataFileException.class, () -> Npy.read(p2), p2.toString(), "needs 96 data bytes, the file has 92 (truncated)");
        Path p3 = bytes("trailing.npy", Arrays.copyOf(good, good.length + 8));
        assertThrowsWith(DataFileException.class, () -> Npy.read(p3), "needs 96 data bytes, the file has 104 (trailing bytes)");
        Path p4 = bytes("header.npy", Arrays.copyOf(good, 40));
        assertThrowsWith(DataFileException.class, () -> Npy.read(p4), p4.toString(), "header length 118 runs past the end");
        Path p5 = bytes("short.npy", Arrays.copyOf(good, 5));
        assertThrowsWith(DataFileException.class, () -> Npy.read(p5), "too short");
        assertThrowsWith(DataFileException.class, () -> Npy.read(fixture("int32.npy")), "int32.npy", "unsupported dtype '<i4'",
                "supported: float32");
        assertThrowsWith(DataFileException.class, () -> Npy.read(fixture("complex64.npy")), "unsupported dtype '<c8'");
        // a shape that does not match the byte count: (2, 3, 5) in place of (2, 3, 4), same header length
        byte[] shape = new String(good, StandardCharsets.ISO_8859_1).replace("(2, 3, 4)", "(2, 3, 5)").getBytes(StandardCharsets.ISO_8859_1);
        Path p6 = bytes("shape.npy", shape);
        assertThrowsWith(DataFileException.class, () -> Npy.read(p6), "shape (2, 3, 5) of float32 needs 120 data bytes, the file has 96");
        byte[] garbled = new String(good, StandardCharsets.ISO_8859_1).replace("'shape': (", "'shape': [").getBytes(StandardCharsets.ISO_8859_1);
        Path p7 = bytes("garbled.npy", garbled);
        assertThrowsWith(DataFileException.class, () -> Npy.read(p7), "header is not a valid dictionary");
        byte[] version = good.clone();
        version[6] = 9;
        Path p8 = bytes("version.npy", version);
        assertThrowsWith(DataFileException.class, () -> Npy.read(p8), "format version 9.0 is not supported");
        Path p9 = bytes("notzip.npz", good);
        assertThrowsWith(DataFileException.class, () -> Npy.readNpz(p9), "notzip.npz is not a readable zip archive");
        assertThrowsWith(DataFileException.class, () -> Npy.read(dir), "is a directory");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Npy.read(dir.resolve("absent.npy")));
        assertThrowsWith(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), null), "Npy.write: array must not be null");
        assertThrowsWith(IllegalArgumentException.class, () -> Npy.writeNpz(dir.resolve("x.npz"), Map.of("a/b", NDArray.zeros(DType.F32, 1))),
                "names must be non-empty and contain no '/'");
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporary() throws IOException {
        Path p = dir.resolve("kept.npy");
        NDArray old = NDArray.of(new float[]{1, 2, 3});
        Npy.write(p, old);
        IOException boom = assertThrows(IOException.class, () -> AtomicFile.write("test", p, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", boom.getMessage());
        assertSame(old, Npy.read(p), "the old file is intact");
        try (Stream<Path> ls = Files.list(dir)) {
            assertEquals(List.of("kept.npy"), ls.map(x -> x.getFileName().toString()).toList(), "no temporary file left");
        }
        Npy.write(p, NDArray.of(new long[]{4, 5}));                 // and a later write replaces it
        assertArrayEquals(new long[]{4, 5}, Npy.read(p).toLongArray());
    }

    static {
        // the fixtures must exist: a missing one would otherwise surface as a confusing NPE
        try {
            fixture("f32_c_le.npy");
        } catch (IllegalStateException e) {
            throw new UncheckedIOException(new IOException(e.getMessage()));
        }
    }
}
