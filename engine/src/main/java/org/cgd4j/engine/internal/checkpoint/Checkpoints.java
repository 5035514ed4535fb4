package org.cgd4j.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.diagonal.DiagonalOptimizer;

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

    /** The optimizer the header describes, shaped to receive the saved slices. */
    private static OptimizerBase create(CheckpointHeader header) {
        Optimizer o = Optimizer.create(header.config(), header.dimension());
        if (!(o instanceof OptimizerBase base)) {
            o.close();
            throw new IllegalStateException(o.getClass().getName() + " does not extend OptimizerBase and cannot be restored");
        }
        try {
            if (base instanceof DiagonalOptimizer diagonal) {
                restorePrecision(diagonal, header);
            }
            return base;
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /**
     * A DIAGONAL optimizer's precision is fixed by its first step and recorded in the slice sizes (d
     * floats or d doubles). Before any step, and for SGD (no slices), it stays open, as it was.
     */
    private static void restorePrecision(DiagonalOptimizer diagonal, CheckpointHeader header) {
        if (header.steps() == 0 || header.slices().isEmpty()) {
            return;
        }
        boolean floats = header.slices().getFirst().byteSize() == (long) header.dimension() * Float.BYTES;
        diagonal.fixPrecision(floats ? DiagonalOptimizer.Precision.FLOAT : DiagonalOptimizer.Precision.DOUBLE);
    }
}
