package dev.deepprob.nn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepprob.engine.DType;
import dev.deepprob.engine.NDArray;
import dev.deepprob.engine.Shapes;
import dev.deepprob.nn.optim.Optimizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Saves and loads named arrays in the safetensors format (8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}}} with optional string {@code __metadata__}, then the raw
 * little-endian data), readable by Python's safetensors. Saving writes a temporary file in the target's directory,
 * forces it to disk and renames it over the target atomically, so a failed save leaves any old file intact; the
 * temporary file is {@code .<name>.<16 hex digits>.tmp}, and a save first deletes those that saves to the same target
 * left when their process was killed.
 * Loading reads and checks the whole file (and, for a module, every name, shape and dtype) before changing
 * anything. Supported dtypes: F32, F64, I64, BOOL.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** The largest header accepted (as the reference implementation's limit): 100 MB. */
    static final long MAX_HEADER = 100_000_000L;
    private static final String METADATA = "__metadata__";
    private static final int CHUNK = 1 << 16;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The tensors of a file, in header order, and its metadata (empty when it has none). */
    public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {
        /** Copies both maps (keeping their order) into unmodifiable ones. */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    // ------------------------------------------------------------------ save

    /** Saves the module's {@link Module#stateDict()}. */
    public static void save(Module module, Path path) throws IOException {
        if (module == null) throw new IllegalArgumentException("Checkpoint.save: module must not be null");
        save(module.stateDict(), Map.of(), path);
    }

    /** Saves named arrays, in the map's order. */
    public static void save(Map<String, NDArray> tensors, Path path) throws IOException { save(tensors, Map.of(), path); }

    /** Saves named arrays and string metadata (stored under {@code __metadata__}). */
    public static void save(Map<String, NDArray> tensors, Map<String, String> metadata, Path path) throws IOException {
        save(tensors, metadata, path, () -> {});
    }

    /** The save, with a hook run after each tensor's data is written (tests use it to fail half-way). */
    static void save(Map<String, NDArray> tensors, Map<String, String> metadata, Path path, Runnable afterTensor) throws IOException {
        if (tensors == null) throw new IllegalArgumentException("Checkpoint.save: tensors must not be null");
        if (metadata == null) throw new IllegalArgumentException("Checkpoint.save: metadata must not be null");
        if (path == null) throw new IllegalArgumentException("Checkpoint.save: path must not be null");
        // snapshot and validate everything before the first byte is written
        List<String> names = new ArrayList<>();
        List<NDArray> arrays = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("Checkpoint.save: tensor names must be non-empty, got "
                    + (name == null ? "null" : "''"));
            if (name.equals(METADATA)) throw new IllegalArgumentException("Checkpoint.save: '" + METADATA + "' is reserved for metadata");
            if (e.getValue() == null) throw new IllegalArgumentException("Checkpoint.save: tensor '" + name + "' is null");
            names.add(name);
            arrays.add(e.getValue());
        }
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException(
                        "Checkpoint.save: metadata keys and values must not be null, got " + e.getKey() + " = " + e.getValue());
                meta.put(e.getKey(), e.getValue());
            }
        }
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            NDArray a = arrays.get(i);
            long bytes = (long) a.size() * a.dtype().byteSize();
            ObjectNode info = header.putObject(names.get(i));
            info.put("dtype", a.dtype().name());
            ArrayNode shape = info.putArray("shape");
            for (int d : a.dims()) shape.add(d);
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;       // pad with spaces so the data starts 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        Path target = path.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException("Checkpoint.save: " + path
                + " is a directory; give the checkpoint's file name");
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        removeStale(dir, name);
        Path tmp = null;
        FileChannel ch = null;
        // a fresh name next to the target (same file system, so the rename is atomic); CREATE_NEW keeps the
        // platform's default permissions, unlike createTempFile's owner-only ones
        for (int attempt = 0; ch == null; attempt++) {
            String tmpName = "." + name + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX;
            tmp = dir.resolve(tmpName);
            WRITING.add(tmpName);                    // before the file exists: this JVM's cleaners never open it
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try {
                    ch.lock();                       // held until the channel closes: other processes see a live writer
                } catch (IOException noLocks) {
                    // a file system without locks: cleaners cannot take a lock there either, so they leave this file
                }
                // a cleaner in another process may have taken the file in the instant before the lock; it deletes
                // only while holding the lock, so if the name is still there now, it is ours for good
                if (!Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                    ch.close();
                    ch = null;
                    WRITING.remove(tmpName);
                }
            } catch (FileAlreadyExistsException e) {
                WRITING.remove(tmpName);
                if (attempt >= 16) throw e;
            } catch (IOException | RuntimeException e) {
                WRITING.remove(tmpName);
                if (ch != null) {
                    ch.close();
                    Files.deleteIfExists(tmp);
                }
                throw e;
            }
            if (ch == null && attempt >= 16) throw new IOException("Checkpoint.save: could not create a temporary file in " + dir);
        }
        boolean moved = false;
        FileChannel out = ch;
        try {
            try (out) {
                writeFully(out, head);
                ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (NDArray a : arrays) {
                    writeData(out, a, buf);
                    afterTensor.run();
                }
                out.force(true);
                // renamed while the lock is held: a cleaner never sees this name unlocked before it is gone
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("Checkpoint.save: the file system of " + dir + " cannot rename atomically", e);
                }
                moved = true;
            }
            syncDirectory(dir);
        } finally {
            try {
                if (!moved) Files.deleteIfExists(tmp);
            } finally {
                WRITING.remove(tmp.getFileName().toString());
            }
        }
    }

    /** Ends the names of temporary files: {@code .<target name>.<16 hex digits>.tmp}. */
    static final String TMP_SUFFIX = ".tmp";
    /** The names of the temporary files this JVM is writing now (a save's cleanup must not open them, see below). */
    private static final Set<String> WRITING = ConcurrentHashMap.newKeySet();

    /** True when {@code file} is a temporary file of a save to {@code target} (both plain file names). */
    static boolean isTemporaryOf(String file, String target) {
        String prefix = "." + target + ".";
        if (!file.startsWith(prefix) || !file.endsWith(TMP_SUFFIX)) return false;
        String mid = file.substring(prefix.length(), file.length() - TMP_SUFFIX.length());
        // 16 digits now; 1 to 16 from versions that wrote Long.toHexString, whose leftovers this also removes
        return !mid.isEmpty() && mid.length() <= 16 && mid.chars().allMatch(HexFormat::isHexDigit);
    }

    /**
     * Deletes the temporary files that earlier saves to the same target left when their process died (a kill in
     * mid-write leaves one the size of the checkpoint). A live writer holds a lock on its file until the rename, so
     * a file whose lock can be taken belongs to nobody. Files this JVM is writing are skipped without being opened:
     * closing any channel to a file drops every lock the process holds on it. Best effort: a file that cannot be
     * checked or deleted is left, and the save goes on.
     */
    private static void removeStale(Path dir, String target) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> isTemporaryOf(p.getFileName().toString(), target))) {
            for (Path p : ds) {
                if (WRITING.contains(p.getFileName().toString())) continue;
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                     FileLock lock = c.tryLock(0, Long.MAX_VALUE, true)) {
                    if (lock != null) Files.deleteIfExists(p);   // deleted while locked: see the writer's check
                } catch (IOException | OverlappingFileLockException e) {
                    // gone already, or in use, or not ours to delete: leave it
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // the directory cannot be listed: nothing to clean, and the save reports its own errors
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void writeData(FileChannel ch, NDArray a, ByteBuffer buf) throws IOException {
        int n = a.size();
        switch (a.dtype()) {
            case F32 -> {
                float[] v = a.toFloatArray();
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear();
                    buf.asFloatBuffer().put(v, i, k);
                    buf.limit(k * 4);
                    writeFully(ch, buf);
                }
            }
            case F64 -> {
                double[] v = a.toDoubleArray();
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear();
                    buf.asDoubleBuffer().put(v, i, k);
                    buf.limit(k * 8);
                    writeFully(ch, buf);
                }
            }
            case I64 -> {
                long[] v = a.toLongArray();
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear();
                    buf.asLongBuffer().put(v, i, k);
                    buf.limit(k * 8);
                    writeFully(ch, buf);
                }
            }
            case BOOL -> {
                boolean[] v = a.toBooleanArray();
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear();
                    for (int j = 0; j < k; j++) buf.put(v[i + j] ? (byte) 1 : (byte) 0);
                    buf.flip();
                    writeFully(ch, buf);
                }
            }
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); elsewhere a no-op. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform: the file itself is already forced
        }
    }

    // ------------------------------------------------------------------ load

    /**
     * Loads a file written by {@link #save(Module, Path)} (or by Python's safetensors) into the module, strictly:
     * the file must hold exactly the module's state names with matching shapes and dtypes.
     * @throws CheckpointException when the file is unreadable as safetensors or does not fit the module; the
     *                             module is then unchanged
     */
    public static void load(Module module, Path path) throws IOException {
        if (module == null) throw new IllegalArgumentException("Checkpoint.load: module must not be null");
        Contents c = read(path);
        try {
            module.loadStateDict(c.tensors(), true);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("Checkpoint.load: " + path + " does not fit the " + module.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ training checkpoints

    /** The prefix of the optimiser's arrays in a training checkpoint. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    private static final String OPTIMIZER_KIND = "deepprob.optimizer";

    /**
     * Saves what resuming training needs, in one file (atomically, as {@link #save(Map, Map, Path)}): the module's
     * {@link Module#stateDict()} under its own names, so Python's safetensors reads the weights as usual, and the
     * optimiser's {@link Optimizer#stateDict()} (moments, momentum buffers, step counts, learning rates) under
     * {@value #OPTIMIZER_PREFIX}; the metadata names the optimiser's class.
     */
    public static void saveTraining(Module module, Optimizer optimizer, Path path) throws IOException {
        if (module == null) throw new IllegalArgumentException("Checkpoint.saveTraining: module must not be null");
        if (optimizer == null) throw new IllegalArgumentException("Checkpoint.saveTraining: optimizer must not be null");
        Map<String, NDArray> all = new LinkedHashMap<>(module.stateDict());
        for (String k : all.keySet()) {
            if (k.startsWith(OPTIMIZER_PREFIX)) throw new IllegalArgumentException("Checkpoint.saveTraining: the module's state name " + k
                    + " starts with " + OPTIMIZER_PREFIX + ", which a training checkpoint keeps for the optimiser");
        }
        for (var e : optimizer.stateDict().entrySet()) all.put(OPTIMIZER_PREFIX + e.getKey(), e.getValue());
        save(all, Map.of(OPTIMIZER_KIND, optimizer.getClass().getSimpleName()), path);
    }

    /**
     * Loads a file written by {@link #saveTraining} into the module and the optimiser, strictly: the module's names,
     * shapes and dtypes as {@link #load(Module, Path)}, the optimiser's as {@link Optimizer#loadStateDict}, and an
     * optimiser of the class that saved it. Both are changed or neither.
     * @throws CheckpointException when the file is unreadable or does not fit; module and optimiser are then unchanged
     */
    public static void loadTraining(Module module, Optimizer optimizer, Path path) throws IOException {
        if (module == null) throw new IllegalArgumentException("Checkpoint.loadTraining: module must not be null");
        if (optimizer == null) throw new IllegalArgumentException("Checkpoint.loadTraining: optimizer must not be null");
        Contents c = read(path);
        String kind = c.metadata().get(OPTIMIZER_KIND), mine = optimizer.getClass().getSimpleName();
        if (kind == null) throw new CheckpointException("Checkpoint.loadTraining: " + path + " is not a training checkpoint (no "
                + OPTIMIZER_KIND + " in its metadata; load it with Checkpoint.load)");
        if (!kind.equals(mine)) throw new CheckpointException("Checkpoint.loadTraining: " + path + " holds the state of a " + kind
                + ", not of a " + mine);
        Map<String, NDArray> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
        for (var e : c.tensors().entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) opt.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue());
            else model.put(e.getKey(), e.getValue());
        }
        Map<String, NDArray> before = optimizer.stateDict();
        try {
            optimizer.loadStateDict(opt);                      // validates everything before changing anything
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("Checkpoint.loadTraining: " + path + " does not fit the " + mine + ": " + e.getMessage(), e);
        }
        try {
            module.loadStateDict(model, true);
        } catch (IllegalArgumentException e) {
            optimizer.loadStateDict(before);                   // its own state: cannot fail
            throw new CheckpointException("Checkpoint.loadTraining: " + path + " does not fit the " + module.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The named arrays of a file, in header order. */
    public static Map<String, NDArray> load(Path path) throws IOException { return read(path).tensors(); }

    /**
     * Reads and checks a whole file: header length within the file, well-formed JSON, known dtypes, byte sizes
     * matching dtype and shape, data offsets contiguous, non-overlapping and covering the data exactly.
     * @throws CheckpointException naming the file and the problem
     */
    public static Contents read(Path path) throws IOException {
        if (path == null) throw new IllegalArgumentException("Checkpoint.read: path must not be null");
        String where = "Checkpoint.read: " + path;
        if (Files.isDirectory(path)) throw new CheckpointException(where + " is a directory, not a checkpoint file");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new CheckpointException(where + " is " + size + " bytes, too short for the 8-byte header length (truncated?)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, where);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > size - 8) throw new CheckpointException(where + ": header length " + n + " does not fit in the "
                    + (size - 8) + " bytes after the length field (truncated or not a safetensors file)");
            if (n > MAX_HEADER) throw new CheckpointException(where + ": header length " + n + " exceeds the limit of " + MAX_HEADER + " bytes");
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, where);
            byte[] hbytes = hb.array();
            if (hbytes[0] != '{') throw new CheckpointException(where + ": header does not start with '{' (not a safetensors file)");
            JsonNode root;
            try {
                root = JSON.readTree(new String(hbytes, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new CheckpointException(where + ": header is not well-formed JSON: " + e.getOriginalMessage(), e);
            }
            if (root == null || !root.isObject()) throw new CheckpointException(where + ": header must be a JSON object");
            long dataSize = size - 8 - n;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : root.properties()) {
                if (f.getKey().equals(METADATA)) {
                    parseMetadata(where, f.getValue(), metadata);
                } else {
                    entries.add(parseEntry(where, f.getKey(), f.getValue()));
                }
            }
            // the data buffer must be covered exactly, in order, without gaps or overlaps
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
            long expect = 0;
            for (Entry e : byOffset) {
                if (e.begin != expect) throw new CheckpointException(where + ": data of '" + e.name + "' starts at byte " + e.begin + ", expected "
                        + expect + (e.begin < expect ? " (overlaps the previous tensor)" : " (gap before it)"));
                expect = e.end;
            }
            if (expect != dataSize) throw new CheckpointException(where + ": tensors cover " + expect + " data bytes but the file has "
                    + dataSize + (dataSize < expect ? " (truncated)" : " (trailing bytes)"));
            LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
            long base = 8 + n;
            for (Entry e : entries) tensors.put(e.name, readData(ch, base, e, where));
            return new Contents(tensors, metadata);
        }
    }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    private static void parseMetadata(String where, JsonNode m, Map<String, String> out) throws CheckpointException {
        if (!m.isObject()) throw new CheckpointException(where + ": '" + METADATA + "' must be an object of strings");
        for (Map.Entry<String, JsonNode> f : m.properties()) {
            if (!f.getValue().isTextual()) throw new CheckpointException(where + ": metadata value of '" + f.getKey() + "' must be a string, got "
                    + f.getValue().getNodeType());
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private static Entry parseEntry(String where, String name, JsonNode info) throws CheckpointException {
        String at = where + ": tensor '" + name + "'";
        if (!info.isObject()) throw new CheckpointException(at + ": expected an object with dtype, shape and data_offsets");
        JsonNode dt = info.get("dtype"), sh = info.get("shape"), off = info.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw new CheckpointException(at + ": missing or non-string 'dtype'");
        DType dtype = switch (dt.textValue()) {
            case "F32" -> DType.F32;
            case "F64" -> DType.F64;
            case "I64" -> DType.I64;
            case "BOOL" -> DType.BOOL;
            default -> throw new CheckpointException(at + ": unsupported dtype '" + dt.textValue() + "' (supported: F32, F64, I64, BOOL)");
        };
        if (sh == null || !sh.isArray()) throw new CheckpointException(at + ": missing or non-array 'shape'");
        int[] shape = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0 || d.longValue() > Integer.MAX_VALUE)
                throw new CheckpointException(at + ": shape entry " + i + " must be an integer in [0, " + Integer.MAX_VALUE + "], got " + d);
            shape[i] = (int) d.longValue();
            numel = Math.multiplyHigh(numel, shape[i]) != 0 ? Long.MAX_VALUE : numel * shape[i];
        }
        if (numel > Integer.MAX_VALUE) throw new CheckpointException(at + ": shape " + Shapes.str(shape) + " has more than "
                + Integer.MAX_VALUE + " elements");
        if (off == null || !off.isArray() || off.size() != 2) throw new CheckpointException(at + ": 'data_offsets' must be [begin, end]");
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = off.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0)
                throw new CheckpointException(at + ": data offsets must be non-negative integers, got " + off);
            be[i] = o.longValue();
        }
        if (be[1] < be[0]) throw new CheckpointException(at + ": data offsets " + off + " end before they begin");
        long bytes = numel * dtype.byteSize();
        if (be[1] - be[0] != bytes) throw new CheckpointException(at + ": data offsets " + off + " span " + (be[1] - be[0]) + " bytes, but "
                + dtype + " " + Shapes.str(shape) + " needs " + bytes);
        return new Entry(name, dtype, shape, be[0], be[1]);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, String where) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) throw new CheckpointException(where + ": unexpected end of file at byte " + pos + " (truncated?)");
            pos += r;
        }
    }

    private static NDArray readData(FileChannel ch, long base, Entry e, String where) throws IOException {
        int n = (int) ((e.end - e.begin) / e.dtype.byteSize());
        int w = e.dtype.byteSize();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
        long pos = base + e.begin;
        switch (e.dtype) {
            case F32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear().limit(k * w);
                    readFully(ch, buf, pos, where);
                    pos += (long) k * w;
                    buf.flip();
                    buf.asFloatBuffer().get(v, i, k);
                }
                return NDArray.wrap(v, e.shape);
            }
            case F64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear().limit(k * w);
                    readFully(ch, buf, pos, where);
                    pos += (long) k * w;
                    buf.flip();
                    buf.asDoubleBuffer().get(v, i, k);
                }
                return NDArray.wrap(v, e.shape);
            }
            case I64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear().limit(k * w);
                    readFully(ch, buf, pos, where);
                    pos += (long) k * w;
                    buf.flip();
                    buf.asLongBuffer().get(v, i, k);
                }
                return NDArray.of(v, e.shape.length == 0 ? new int[0] : e.shape).reshape(e.shape);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i += CHUNK) {
                    int k = Math.min(CHUNK, n - i);
                    buf.clear().limit(k);
                    readFully(ch, buf, pos, where);
                    pos += k;
                    buf.flip();
                    for (int j = 0; j < k; j++) {
                        byte b = buf.get();
                        if (b != 0 && b != 1) throw new CheckpointException(where + ": tensor '" + e.name + "' holds byte " + b
                                + " at element " + (i + j) + "; BOOL data must be 0 or 1");
                        v[i + j] = b == 1;
                    }
                }
                return NDArray.of(v, e.shape.length == 0 ? new int[0] : e.shape).reshape(e.shape);
            }
        }
        throw new AssertionError(e.dtype);
    }
}
