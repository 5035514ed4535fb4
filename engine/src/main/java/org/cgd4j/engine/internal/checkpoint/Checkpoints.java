package org.cgd4j.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.Precision;
import org.cgd4j.engine.internal.StepFacade;

/**
 * Entry point of checkpoints: {@link Optimizer#save(Path)} and {@link Optimizer#load(Path)} delegate
 * here. The file layout is {@link CheckpointFormat}; writing is {@link CheckpointWriter} (atomic),
 * reading is {@link CheckpointReader} (validate everything, then restore). Optimizers are built by
 * {@link Engines}, never through the public facade.
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

    /** As {@link #load(Path)}, refusing a checkpoint whose optimizer would hold more than {@code maxStateBytes}. */
    public static Optimizer load(Path path, long maxStateBytes) throws IOException {
        return CheckpointReader.read(path, Checkpoints::create, maxStateBytes);
    }

    /** The optimizer the header describes, shaped to receive the saved slices. */
    static OptimizerBase create(CheckpointHeader header) {
        StepFacade optimizer = Engines.create(header.spec());
        try {
            restorePrecision(optimizer, header);
            return optimizer;
        } catch (RuntimeException e) {
            optimizer.close();
            throw e;
        }
    }

    /**
     * The DIAGONAL state's precision is fixed by the first step. Format 2 records it; format 1 shows it
     * in the slice sizes (d floats or d doubles). Before any step, and for SGD (no slices), it stays
     * open, as it was.
     */
    private static void restorePrecision(StepFacade optimizer, CheckpointHeader header) {
        if (header.precision() != null) {
            optimizer.fixPrecision(header.precision());
            return;
        }
        if (header.steps() == 0 || header.slices().isEmpty() || header.config().structure() != org.cgd4j.engine.Structure.DIAGONAL) {
            return;
        }
        boolean floats = header.slices().getFirst().byteSize() == (long) header.dimension() * Float.BYTES;
        optimizer.fixPrecision(floats ? Precision.FLOAT : Precision.DOUBLE);
    }
}
