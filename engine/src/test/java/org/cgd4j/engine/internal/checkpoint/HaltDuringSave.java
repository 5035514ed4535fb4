package org.cgd4j.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.cgd4j.engine.CgdConfig;

/** Child process of {@link AtomicSaveTest}: starts a multi-chunk save and halts the JVM half-way, like a kill -9. */
public final class HaltDuringSave {
    static final int EXIT_CODE = 77;

    private HaltDuringSave() {}

    public static void main(String[] args) throws IOException {
        int d = CheckpointFormat.CHUNK_BYTES / 8 + 1000;
        try (FakeOptimizer o = new FakeOptimizer(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8), d).scramble(9, 999, 0)) {
            CheckpointWriter.write(o, Path.of(args[0]), new SaveObserver() {
                @Override public void wrote(Path temp, long bytes) {
                    if (bytes > CheckpointFormat.CHUNK_BYTES) {
                        Runtime.getRuntime().halt(EXIT_CODE);
                    }
                }
            });
        }
        System.exit(1);  // the save finished: the test wanted it interrupted
    }
}
