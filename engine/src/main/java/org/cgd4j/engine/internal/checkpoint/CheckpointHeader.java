package org.cgd4j.engine.internal.checkpoint;

import java.nio.ByteOrder;
import java.util.List;
import org.cgd4j.engine.CgdConfig;

/** Everything a checkpoint holds except the slice bytes (see {@link CheckpointFormat}). */
record CheckpointHeader(String libraryVersion, ByteOrder sliceOrder, CgdConfig config, int dimension,
                        long steps, long skippedSteps, List<SliceEntry> slices) {

    CheckpointHeader {
        slices = List.copyOf(slices);
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
