package dev.deepprob.nn.io;

import java.io.IOException;

/**
 * A data file that cannot be read: wrong magic bytes, a corrupt or truncated header, an unsupported element type, or
 * a shape that does not match the bytes that follow. The message names the file and the first problem found.
 */
public final class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}. */
    public DataFileException(String message) { super(message); }

    /** A problem described by {@code message}, caused by {@code cause}. */
    public DataFileException(String message, Throwable cause) { super(message, cause); }
}
