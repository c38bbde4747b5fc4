package dev.deepprob.nn.io;

import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files MNIST and its relatives ship in (LeCun et al.: two zero bytes, a type code, the number of
 * dimensions, each dimension as a big-endian int32, then the data big-endian in C order), raw or gzip-compressed
 * (recognised by the gzip magic bytes, whatever the file is called). Values are converted to the element type asked
 * for, when it holds them exactly.
 */
public final class Idx {
    private Idx() {}

    /** The IDX element types: code, name, bytes per element. */
    private enum Kind {
        UBYTE(0x08, "unsigned byte", 1), BYTE(0x09, "signed byte", 1), SHORT(0x0B, "int16", 2), INT(0x0C, "int32", 4),
        FLOAT(0x0D, "float32", 4), DOUBLE(0x0E, "float64", 8);

        final int code, size;
        final String label;

        Kind(int code, String label, int size) {
            this.code = code;
            this.label = label;
            this.size = size;
        }

        static Kind of(int code) {
            for (Kind k : values()) if (k.code == code) return k;
            return null;
        }

        /** True when every value of this kind is exact in {@code t}. */
        boolean exactIn(DType t) {
            return switch (this) {
                case UBYTE, BYTE, SHORT -> true;
                case INT -> t == DType.F64 || t == DType.I64;
                case FLOAT -> t == DType.F32 || t == DType.F64;
                case DOUBLE -> t == DType.F64;
            };
        }
    }

    /**
     * Reads an IDX file (raw or gzip) as an array of type {@code as} with the file's shape.
     *
     * @param as F32, F64 or I64; it must hold the file's values exactly (bytes and int16 fit all three, int32 F64 or
     *           I64, float32 F32 or F64, float64 only F64)
     * @throws DataFileException naming the file: a corrupt header (non-zero first bytes, unknown type code, no
     *                           dimensions), a truncated or over-long data section, or a broken gzip stream
     */
    public static NDArray read(Path path, DType as) throws IOException {
        if (path == null) throw new IllegalArgumentException("Idx.read: path must not be null");
        if (as == null || as == DType.BOOL) throw new IllegalArgumentException("Idx.read: element type must be F32, F64 or I64, got " + as);
        String where = "Idx.read: " + path;
        if (Files.isDirectory(path)) throw new DataFileException(where + " is a directory, not an IDX file");
        byte[] b = Files.readAllBytes(path);
        if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b), 1 << 16)) {
                b = in.readAllBytes();
            } catch (ZipException | java.io.EOFException e) {
                throw new DataFileException(where + ": a broken gzip stream (" + e.getMessage() + "; truncated download?)", e);
            }
        }
        return parse(b, as, where);
    }

    static NDArray parse(byte[] b, DType as, String where) throws DataFileException {
        if (b.length < 4) throw new DataFileException(where + " is " + b.length + " bytes, too short for an IDX header (4 bytes and "
                + "the dimensions)");
        if (b[0] != 0 || b[1] != 0) throw new DataFileException(where + " is not an IDX file: it must start with two zero bytes, got "
                + String.format("0x%02x 0x%02x", b[0] & 0xff, b[1] & 0xff));
        Kind kind = Kind.of(b[2] & 0xff);
        if (kind == null) throw new DataFileException(where + ": unknown IDX type code " + String.format("0x%02x", b[2] & 0xff)
                + " (expected 0x08 ubyte, 0x09 byte, 0x0B int16, 0x0C int32, 0x0D float32 or 0x0E float64)");
        int rank = b[3] & 0xff;
        if (rank == 0) throw new DataFileException(where + ": the header gives 0 dimensions");
        if (b.length < 4 + 4L * rank) throw new DataFileException(where + " is " + b.length + " bytes, too short for a header of "
                + rank + " dimensions (truncated?)");
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        int[] shape = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            int d = buf.getInt(4 + 4 * i);
            if (d < 0) throw new DataFileException(where + ": dimension " + i + " is " + d + " (corrupt header)");
            shape[i] = d;
            n = Math.multiplyHigh(n, d) != 0 ? Long.MAX_VALUE : n * d;
        }
        if (n > Integer.MAX_VALUE) throw new DataFileException(where + ": shape " + java.util.Arrays.toString(shape) + " has more than "
                + Integer.MAX_VALUE + " elements");
        int start = 4 + 4 * rank;
        long need = n * kind.size, have = b.length - (long) start;
        if (have != need) throw new DataFileException(where + ": shape " + java.util.Arrays.toString(shape) + " of " + kind.label
                + " needs " + need + " data bytes, the file has " + have + (have < need ? " (truncated)" : " (trailing bytes)"));
        if (!kind.exactIn(as)) throw new DataFileException(where + ": its " + kind.label + " values are not all exact in " + as
                + "; read it as " + (kind == Kind.INT ? "F64 or I64" : kind == Kind.FLOAT ? "F32 or F64" : "F64"));
        int count = (int) n;
        return switch (as) {
            case F32 -> {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) v[i] = (float) value(buf, kind, start, i);
                yield NDArray.wrap(v, shape);
            }
            case F64 -> {
                double[] v = new double[count];
                for (int i = 0; i < count; i++) v[i] = value(buf, kind, start, i);
                yield NDArray.wrap(v, shape);
            }
            case I64 -> {
                long[] v = new long[count];
                for (int i = 0; i < count; i++) v[i] = (long) value(buf, kind, start, i);
                yield NDArray.of(v, shape);
            }
            case BOOL -> throw new IllegalStateException("unreachable: BOOL refused above");
        };
    }

    private static double value(ByteBuffer b, Kind k, int start, int i) {
        return switch (k) {
            case UBYTE -> b.get(start + i) & 0xff;
            case BYTE -> b.get(start + i);
            case SHORT -> b.getShort(start + 2 * i);
            case INT -> b.getInt(start + 4 * i);
            case FLOAT -> b.getFloat(start + 4 * i);
            case DOUBLE -> b.getDouble(start + 8 * i);
        };
    }
}
