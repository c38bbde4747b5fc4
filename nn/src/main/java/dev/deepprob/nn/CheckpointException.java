package dev.deepprob.nn;

import java.io.IOException;

/**
 * A checkpoint file that cannot be used: truncated, corrupt, not safetensors, or not matching the model it is
 * loaded into. The message names the file and the first problem found; nothing was changed.
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}. */
    public CheckpointException(String message) { super(message); }

    /** A problem described by {@code message}, caused by {@code cause}. */
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
