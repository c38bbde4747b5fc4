package dev.deepprob.nn.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file whole or not at all: the bytes go to a fresh temporary file next to the target
 * ({@code .<name>.<16 hex digits>.tmp}, same file system), are forced to disk and the file is renamed over the target
 * atomically; on any failure the temporary file is deleted and an old target is left as it was (as {@code Checkpoint}).
 */
final class AtomicFile {
    private AtomicFile() {}

    /** What writes the file's bytes. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    static void write(String op, Path path, Writer writer) throws IOException {
        if (path == null) throw new IllegalArgumentException(op + ": path must not be null");
        Path target = path.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException(op + ": " + path + " is a directory; give a file name");
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve("." + name + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) throw e;
            }
        }
        boolean moved = false;
        try {
            try (FileChannel c = ch) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c), 1 << 16);
                writer.write(out);
                out.flush();
                c.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(op + ": the file system of " + dir + " cannot rename atomically", e);
            }
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }
}
