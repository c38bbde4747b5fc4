package dev.deepprob.nn.io;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npy} and {@code .npz} files to and from {@link NDArray}s, so arrays move between deepprob and
 * Python without conversion scripts. Reads float32, float64, int64 and bool arrays in C or Fortran order and either
 * byte order (format versions 1.0, 2.0 and 3.0, the format of numpy.lib.format); writes C-order little-endian
 * version 1.0 files, as {@code numpy.save} does, and stored (uncompressed) {@code .npz} archives as
 * {@code numpy.savez}. Reading checks the whole file first and refuses a bad one with a {@link DataFileException} that
 * names the file; writing goes to a temporary file renamed into place, so a failed write leaves no half file.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy pads the header so the data starts at a multiple of 64 bytes. */
    private static final int ALIGN = 64;

    // ------------------------------------------------------------------ read

    /**
     * Reads one array from a {@code .npy} file.
     *
     * @throws DataFileException naming the file: not a .npy file, a corrupt header, an unsupported dtype (supported:
     *                           float32, float64, int64, bool), or a data size that does not match the shape
     */
    public static NDArray read(Path path) throws IOException {
        if (path == null) throw new IllegalArgumentException("Npy.read: path must not be null");
        return parse(readAll("Npy.read", path), "Npy.read: " + path);
    }

    /** Reads a {@code .npy} file's bytes from a stream (to its end); {@code name} names the source in error messages. */
    public static NDArray read(InputStream in, String name) throws IOException {
        if (in == null) throw new IllegalArgumentException("Npy.read: stream must not be null");
        return parse(in.readAllBytes(), "Npy.read: " + name);
    }

    /**
     * Reads every array of a {@code .npz} archive (numpy.savez or savez_compressed), keyed by name without the
     * {@code .npy} suffix, in the archive's order.
     */
    public static Map<String, NDArray> readNpz(Path path) throws IOException {
        if (path == null) throw new IllegalArgumentException("Npy.readNpz: path must not be null");
        String where = "Npy.readNpz: " + path;
        if (Files.isDirectory(path)) throw new DataFileException(where + " is a directory, not a .npz file");
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "Npy.readNpz: no such file");
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> es = zip.entries();
            while (es.hasMoreElements()) {
                ZipEntry e = es.nextElement();
                if (e.isDirectory()) continue;
                String name = e.getName();
                if (!name.endsWith(".npy")) throw new DataFileException(where + ": entry '" + name + "' is not a .npy file");
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name.substring(0, name.length() - 4), parse(in.readAllBytes(), where + " entry '" + name + "'"));
                }
            }
        } catch (ZipException e) {
            throw new DataFileException(where + " is not a readable zip archive (" + e.getMessage() + ")", e);
        }
        return Collections.unmodifiableMap(out);
    }

    private static byte[] readAll(String op, Path path) throws IOException {
        if (Files.isDirectory(path)) throw new DataFileException(op + ": " + path + " is a directory, not a file");
        return Files.readAllBytes(path);
    }

    /** The parsed header: element type, byte order, layout and shape. */
    private record Header(DType dtype, ByteOrder order, boolean fortran, int[] shape, int dataStart) {}

    static NDArray parse(byte[] b, String where) throws DataFileException {
        Header h = header(b, where);
        long n = 1;
        for (int d : h.shape) n *= d;          // each d <= Integer.MAX_VALUE and n checked below: no overflow past 2^62
        long bytes = n * h.dtype.byteSize();
        long have = b.length - (long) h.dataStart;
        if (have != bytes) throw new DataFileException(where + ": shape " + shapeString(h.shape) + " of " + describe(h.dtype)
                + " needs " + bytes + " data bytes, the file has " + have + (have < bytes ? " (truncated)" : " (trailing bytes)"));
        int count = (int) n;
        // Fortran order: the bytes are the C-order data of the transposed array
        int[] stored = h.fortran ? reversed(h.shape) : h.shape;
        ByteBuffer buf = ByteBuffer.wrap(b, h.dataStart, (int) bytes).slice().order(h.order);
        NDArray a = switch (h.dtype) {
            case F32 -> {
                float[] v = new float[count];
                buf.asFloatBuffer().get(v);
                yield NDArray.wrap(v, stored);
            }
            case F64 -> {
                double[] v = new double[count];
                buf.asDoubleBuffer().get(v);
                yield NDArray.wrap(v, stored);
            }
            case I64 -> {
                long[] v = new long[count];
                buf.asLongBuffer().get(v);
                yield NDArray.of(v, stored);
            }
            case BOOL -> {
                boolean[] v = new boolean[count];
                for (int i = 0; i < count; i++) {
                    byte x = buf.get(i);
                    if (x != 0 && x != 1) throw new DataFileException(where + ": bool element " + i + " is byte " + x + ", expected 0 or 1");
                    v[i] = x == 1;
                }
                yield NDArray.of(v, stored);
            }
        };
        if (h.fortran && h.shape.length > 1) {
            int[] order = new int[h.shape.length];
            for (int i = 0; i < order.length; i++) order[i] = order.length - 1 - i;
            a = a.permute(order).contiguous();
        }
        return a;
    }

    private static Header header(byte[] b, String where) throws DataFileException {
        if (b.length < 10) throw new DataFileException(where + " is " + b.length + " bytes, too short for a .npy header (truncated?)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) throw new DataFileException(where + " is not a .npy file: it does not start with the magic bytes \\x93NUMPY");
        }
        int major = b[6] & 0xff, minor = b[7] & 0xff;
        long len;
        int start;
        if (major == 1) {
            len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) throw new DataFileException(where + " is " + b.length + " bytes, too short for a version " + major + " header");
            len = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            start = 12;
        } else {
            throw new DataFileException(where + ": format version " + major + "." + minor + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (start + len > b.length) throw new DataFileException(where + ": header length " + len + " runs past the end of the "
                + b.length + "-byte file (truncated?)");
        String text = new String(b, start, (int) len, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new Literal(text).dict();
        } catch (IllegalArgumentException e) {
            throw new DataFileException(where + ": header is not a valid dictionary (" + e.getMessage() + "): " + text.strip());
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) throw new DataFileException(where + ": header has no '" + key + "': " + text.strip());
        }
        if (!(dict.get("descr") instanceof String descr)) throw new DataFileException(where + ": 'descr' must be a string, got "
                + dict.get("descr") + " (structured dtypes are not supported)");
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) throw new DataFileException(where + ": 'fortran_order' must be "
                + "True or False, got " + dict.get("fortran_order"));
        if (!(dict.get("shape") instanceof List<?> shapeList)) throw new DataFileException(where + ": 'shape' must be a tuple, got "
                + dict.get("shape"));
        int[] shape = new int[shapeList.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) throw new DataFileException(where
                    + ": shape entry " + i + " must be an integer in [0, " + Integer.MAX_VALUE + "], got " + shapeList.get(i));
            shape[i] = (int) (long) d;
            n = Math.multiplyHigh(n, d) != 0 ? Long.MAX_VALUE : n * d;
        }
        if (n > Integer.MAX_VALUE) throw new DataFileException(where + ": shape " + shapeString(shape) + " has more than "
                + Integer.MAX_VALUE + " elements");
        if (descr.length() < 2) throw new DataFileException(where + ": unsupported dtype '" + descr + "'");
        char endian = descr.charAt(0);
        String code = descr.substring(1);
        ByteOrder order = switch (endian) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> throw new DataFileException(where + ": dtype '" + descr + "' has no byte-order character (<, >, | or =)");
        };
        DType dtype = switch (code) {
            case "f4" -> DType.F32;
            case "f8" -> DType.F64;
            case "i8" -> DType.I64;
            case "b1" -> DType.BOOL;
            default -> throw new DataFileException(where + ": unsupported dtype '" + descr + "' (supported: float32 <f4 >f4, float64 "
                    + "<f8 >f8, int64 <i8 >i8, bool |b1)");
        };
        return new Header(dtype, order, fortran, shape, (int) (start + len));
    }

    // ------------------------------------------------------------------ write

    /** Writes one array as a C-order little-endian {@code .npy} file (version 1.0), atomically. */
    public static void write(Path path, NDArray array) throws IOException {
        if (array == null) throw new IllegalArgumentException("Npy.write: array must not be null");
        byte[] bytes = encode(array);
        AtomicFile.write("Npy.write", path, out -> out.write(bytes));
    }

    /**
     * Writes named arrays as a stored (uncompressed) {@code .npz} archive, as {@code numpy.savez(path, **arrays)}:
     * each array becomes the entry {@code name.npy}. Atomic, like {@link #write}.
     */
    public static void writeNpz(Path path, Map<String, NDArray> arrays) throws IOException {
        if (arrays == null) throw new IllegalArgumentException("Npy.writeNpz: arrays must not be null");
        List<String> names = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.contains("/")) throw new IllegalArgumentException("Npy.writeNpz: names must be "
                    + "non-empty and contain no '/', got " + (name == null ? "null" : "'" + name + "'"));
            if (e.getValue() == null) throw new IllegalArgumentException("Npy.writeNpz: array '" + name + "' is null");
            names.add(name);
            blobs.add(encode(e.getValue()));
        }
        AtomicFile.write("Npy.writeNpz", path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (int i = 0; i < names.size(); i++) {
                byte[] blob = blobs.get(i);
                ZipEntry e = new ZipEntry(names.get(i) + ".npy");
                e.setMethod(ZipEntry.STORED);
                e.setSize(blob.length);
                e.setCompressedSize(blob.length);
                CRC32 crc = new CRC32();
                crc.update(blob);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(blob);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Writes one array's {@code .npy} bytes to a stream (left open). */
    public static void write(OutputStream out, NDArray array) throws IOException {
        if (out == null || array == null) throw new IllegalArgumentException("Npy.write: stream and array must not be null");
        out.write(encode(array));
    }

    static byte[] encode(NDArray a) {
        String descr = switch (a.dtype()) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I64 -> "<i8";
            case BOOL -> "|b1";
        };
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeString(a.dims()) + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        String header = dict + " ".repeat(pad) + "\n";
        if (header.length() > 0xffff) throw new IllegalArgumentException("Npy.write: shape " + shapeString(a.dims())
                + " makes a header too long for format 1.0");
        long bytes = (long) a.size() * a.dtype().byteSize();
        if (MAGIC.length + 4 + header.length() + bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("Npy.write: array of "
                + bytes + " bytes is too large (at most 2 GiB)");
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        switch (a.dtype()) {
            case F32 -> buf.asFloatBuffer().put(a.toFloatArray());
            case F64 -> buf.asDoubleBuffer().put(a.toDoubleArray());
            case I64 -> buf.asLongBuffer().put(a.toLongArray());
            case BOOL -> {
                int p = buf.position();
                for (boolean v : a.toBooleanArray()) buf.put(p++, v ? (byte) 1 : (byte) 0);
            }
        }
        return buf.array();
    }

    // ------------------------------------------------------------------ helpers

    /** A Python tuple: (), (3,), (3, 4). */
    static String shapeString(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(")").toString();
    }

    private static String describe(DType t) {
        return switch (t) {
            case F32 -> "float32";
            case F64 -> "float64";
            case I64 -> "int64";
            case BOOL -> "bool";
        };
    }

    private static int[] reversed(int[] s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) r[i] = s[s.length - 1 - i];
        return r;
    }

    /**
     * The Python literals a .npy header holds: a dict of string keys to strings, True/False, integers and tuples of
     * them. Anything else is refused (numpy's own reader uses ast.literal_eval, which is wider but never needed here).
     */
    private static final class Literal {
        private final String s;
        private int p;

        Literal(String s) { this.s = s; }

        Map<String, Object> dict() {
            skip();
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            skip();
            while (peek() != '}') {
                Object k = value();
                if (!(k instanceof String key)) throw new IllegalArgumentException("key " + k + " is not a string");
                skip();
                expect(':');
                if (m.put(key, value()) != null) throw new IllegalArgumentException("key '" + key + "' appears twice");
                skip();
                if (peek() == ',') p++;
                else if (peek() != '}') throw new IllegalArgumentException("expected ',' or '}' at character " + p);
                skip();
            }
            p++;
            skip();
            if (p != s.length()) throw new IllegalArgumentException("text after the closing '}'");
            return m;
        }

        private Object value() {
            skip();
            char c = peek();
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, p + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated string at character " + p);
                String v = s.substring(p + 1, end);
                p = end + 1;
                return v;
            }
            if (c == '(') {
                p++;
                List<Object> items = new ArrayList<>();
                skip();
                while (peek() != ')') {
                    items.add(value());
                    skip();
                    if (peek() == ',') p++;
                    else if (peek() != ')') throw new IllegalArgumentException("expected ',' or ')' at character " + p);
                    skip();
                }
                p++;
                return items;
            }
            if (s.startsWith("True", p)) {
                p += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", p)) {
                p += 5;
                return Boolean.FALSE;
            }
            int q = p;
            if (peek() == '-') p++;
            while (p < s.length() && Character.isDigit(s.charAt(p))) p++;
            if (p < s.length() && s.charAt(p) == 'L') p++;            // Python 2's long suffix, as old files carry
            String num = s.substring(q, p).replace("L", "");
            if (num.isEmpty() || num.equals("-")) throw new IllegalArgumentException("unexpected '" + c + "' at character " + q);
            try {
                return Long.parseLong(num);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("integer " + num + " out of range");
            }
        }

        private char peek() {
            if (p >= s.length()) throw new IllegalArgumentException("unexpected end of the header");
            return s.charAt(p);
        }

        private void expect(char c) {
            if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at character " + p + ", found '" + peek() + "'");
            p++;
        }

        private void skip() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
        }
    }
}
