package org.cgd4j.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.OptimizerBase;

/**
 * Entry point of checkpoints: {@link Optimizer#save(Path)} and {@link Optimizer#load(Path)} delegate
 * here. The file layout is {@link CheckpointFormat}; writing is {@link CheckpointWriter} (atomic),
 * reading is {@link CheckpointReader} (validate everything, then restore).
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** Writes {@code optimizer}'s complete state; the caller holds its step guard. */
    public static void save(OptimizerBase optimizer, Path path) throws IOException {
        CheckpointWriter.write(optimizer, path, SaveObserver.NONE);
    }

    /** A new optimizer restored from {@code path}, or an exception and nothing created. */
    public static Optimizer load(Path path) throws IOException {
        return CheckpointReader.read(path, Checkpoints::create);
    }

    private static OptimizerBase create(CgdConfig config, int dimension) {
        Optimizer o = Optimizer.create(config, dimension);
        if (o instanceof OptimizerBase base) {
            return base;
        }
        o.close();
        throw new IllegalStateException(o.getClass().getName() + " does not extend OptimizerBase and cannot be restored");
    }
}
