package org.cgd4j.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file exists and could be read, but it is not one that {@link Optimizer#load} can
 * restore: wrong magic, unsupported format version, checksum mismatch (a flipped byte, a truncated
 * or extended file), a config this library refuses, or state slices that do not match the
 * optimizer the config describes. Nothing was created and nothing on disk changed.
 *
 * <p>A missing file or a file without read permission is reported by the JDK's own
 * {@link java.nio.file.NoSuchFileException} and {@link java.nio.file.AccessDeniedException}.
 */
public final class InvalidCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidCheckpointException(Path file, String problem) {
        super(file + ": not a usable cgd4j checkpoint: " + problem);
    }

    public InvalidCheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": not a usable cgd4j checkpoint: " + problem, cause);
    }
}
