package org.cgd4j.engine;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.cgd4j.engine.internal.checkpoint.Checkpoints;
import org.cgd4j.engine.internal.diagonal.DiagonalOptimizer;
import org.cgd4j.engine.internal.full.FullOptimizer;

/**
 * A CGD optimizer for one parameter vector of fixed dimension d (SPEC "One step").
 *
 * <p>State (moments, metric, work buffers) lives off-heap in one Arena owned by the optimizer and
 * freed by {@link #close()}. A step checks its arguments before writing anything: a wrong length, a
 * closed optimizer, a non-finite gradient or a failed eigendecomposition leaves params and state
 * exactly as they were. An optimizer is confined to one thread at a time; a concurrent
 * {@code step} is detected and refused.
 */
public interface Optimizer extends AutoCloseable {

    /** A new optimizer for vectors of {@code dimension} ≥ 1 elements, all averages at zero. */
    static Optimizer create(CgdConfig config, int dimension) {
        java.util.Objects.requireNonNull(config, "config must not be null");
        return switch (config.structure()) {
            case DIAGONAL -> new DiagonalOptimizer(config, dimension);
            case FULL -> new FullOptimizer(config, dimension);
        };
    }

    /**
     * Reads a checkpoint written by {@link #save(Path)} into a new optimizer that continues the run
     * bit-identically. The whole file is validated (magic, format version, CRC32C, config, slice layout
     * against the optimizer its config describes) before the optimizer is returned; the file is only
     * read.
     *
     * @throws InvalidCheckpointException a truncated, corrupted, foreign or inconsistent file
     * @throws java.nio.file.NoSuchFileException     no such file
     * @throws java.nio.file.AccessDeniedException   no permission to read it
     */
    static Optimizer load(Path path) throws java.io.IOException {
        return Checkpoints.load(path);
    }

    CgdConfig config();

    /** d, the number of parameters. */
    int dimension();

    /** One update: params ← params − γ·P(grads). Both arrays have {@link #dimension()} elements. */
    void step(double[] params, double[] grads);

    /** One update in single precision (DIAGONAL only; the state is then kept in float). */
    void step(float[] params, float[] grads);

    /** One update on native-order double segments of exactly {@link #dimension()} elements. */
    void step(MemorySegment params, MemorySegment grads);

    /** Steps taken (t in SPEC), skipped steps excluded. */
    long steps();

    /** Steps skipped because of a non-finite gradient under {@link NonFinitePolicy#SKIP}. */
    long skippedSteps();

    /** FULL only: the eigenvalues of the current X̂, ascending (a copy). */
    double[] eigenvalues();

    /** FULL only: how many eigenvalues of the current X̂ were negative and clamped to 0 in f. */
    int clampedEigenvalues();

    /** FULL only: the effective dimension (Σλ)²/Σλ² of the current X̂ (0 when X̂ = 0). */
    double effectiveDimension();

    /** Bytes of off-heap state this optimizer holds. */
    long stateBytes();

    /**
     * Writes a versioned, checksummed checkpoint atomically: a temporary file in the same directory,
     * forced to disk, renamed over {@code path}. {@code path} always holds either its previous content
     * or the complete new checkpoint, also when the save fails or the process dies. Params are not
     * saved: they are the caller's.
     *
     * @throws java.io.IOException the file system refused (the previous file is untouched)
     * @throws IllegalStateException the optimizer is closed
     * @throws java.util.ConcurrentModificationException another thread is inside {@code step}
     */
    void save(Path path) throws java.io.IOException;

    /** Frees all off-heap state; further calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
