package org.cgd4j.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** Test seam of {@link CheckpointWriter}: lets a test fail or halt a save at a chosen point. */
interface SaveObserver {
    SaveObserver NONE = new SaveObserver() {};

    /** Called after each chunk reached the temporary file; {@code bytes} written so far. */
    default void wrote(Path temp, long bytes) throws IOException {}

    /** Called after the temporary file is complete and forced to disk, before the rename. */
    default void beforeRename(Path temp) throws IOException {}
}
