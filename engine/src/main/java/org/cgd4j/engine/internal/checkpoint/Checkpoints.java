package org.cgd4j.engine.internal.checkpoint;

import java.nio.file.Path;
import org.cgd4j.engine.Optimizer;

/** Placeholder until checkpoints land. */
public final class Checkpoints {
    private Checkpoints() {}

    public static Optimizer load(Path path) {
        throw new UnsupportedOperationException("checkpoints not implemented yet");
    }
}
