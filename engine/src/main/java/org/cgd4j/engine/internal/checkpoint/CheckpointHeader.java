package org.cgd4j.engine.internal.checkpoint;

import java.nio.ByteOrder;
import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.OptimizerSpec;
import org.cgd4j.engine.internal.Precision;

/**
 * Everything a checkpoint holds except the slice bytes (see {@link CheckpointFormat}). {@code config}
 * and {@code dimension} are the spec's primary config and d (format 1 stored only those);
 * {@code precision} is null when the state's element type is not fixed yet (format 1: derived
 * from the slice sizes).
 */
record CheckpointHeader(String libraryVersion, ByteOrder sliceOrder, CgdConfig config, int dimension,
                        long steps, long skippedSteps, List<SliceEntry> slices, OptimizerSpec spec,
                        double learningRateScale, Precision precision) {

    CheckpointHeader {
        slices = List.copyOf(slices);
    }

    /** A one-vector checkpoint, as format 1 describes one. */
    CheckpointHeader(String libraryVersion, ByteOrder sliceOrder, CgdConfig config, int dimension,
                     long steps, long skippedSteps, List<SliceEntry> slices) {
        this(libraryVersion, sliceOrder, config, dimension, steps, skippedSteps, slices,
                dimension >= 1 ? OptimizerSpec.single(config, dimension) : null, 1, null);
    }

    /** Σ slice lengths; the header decoder has already bounded each one. */
    long sliceBytes() {
        long total = 0;
        for (SliceEntry s : slices) {
            total = Math.addExact(total, s.byteSize());
        }
        return total;
    }
}
