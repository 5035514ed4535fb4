package org.cgd4j.engine;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.checkpoint.Checkpoints;

/**
 * A CGD optimizer over one flat parameter vector of fixed dimension d (SPEC "One step"), laid out
 * as named tensors ({@link ParamLayout}) in parameter groups, each with its own configuration and
 * structure, sharing the step count t, the learning-rate schedule and the gradient clipping (SPEC
 * "Training-loop terms"). {@link #create} makes the simplest one: a single vector, a single group.
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
        return Engines.create(config, dimension);
    }

    /**
     * A builder for an optimizer over {@code layout}: a default config, parameter groups by tensor
     * name, a schedule, clipping and threads (see {@link OptimizerBuilder}).
     */
    static OptimizerBuilder builder(ParamLayout layout) {
        return new OptimizerBuilder(layout);
    }

    /**
     * Reads a checkpoint written by {@link #save(Path)} into a new optimizer that continues the run
     * bit-identically. The whole file is validated (magic, format version, CRC32C, config, slice layout
     * against the optimizer its config describes) before the optimizer is returned; the file is only
     * read. The restored optimizer may hold at most {@link CgdConfig#DEFAULT_MAX_STATE_BYTES} (4 GiB)
     * of state, whatever the file says; see {@link #load(Path, long)}.
     *
     * @throws InvalidCheckpointException a truncated, corrupted, foreign or inconsistent file
     * @throws java.nio.file.NoSuchFileException     no such file
     * @throws java.nio.file.AccessDeniedException   no permission to read it
     */
    static Optimizer load(Path path) throws java.io.IOException {
        return Checkpoints.load(path);
    }

    /**
     * As {@link #load(Path)}, with {@code maxStateBytes} (&gt; 0) the most off-heap state the restored
     * optimizer may hold. A checkpoint is untrusted input: its own {@code maxStateBytes} is not used as
     * the limit, {@link #load(Path)} applies {@link CgdConfig#DEFAULT_MAX_STATE_BYTES} (4 GiB), and a
     * larger checkpoint of yours loads with this overload. The limit is checked, together with the
     * file's length, before anything is allocated.
     *
     * @throws InvalidCheckpointException also when the optimizer the file describes exceeds the limit
     */
    static Optimizer load(Path path, long maxStateBytes) throws java.io.IOException {
        return Checkpoints.load(path, maxStateBytes);
    }

    CgdConfig config();

    /** d, the number of parameters. */
    int dimension();

    /** One update: params ← params − γ·P(grads). Both arrays have {@link #dimension()} elements. */
    void step(double[] params, double[] grads);

    /**
     * One update in single precision (DIAGONAL and KRONECKER groups; FULL refuses it): the state is then
     * kept in float, and every later step of this optimizer is single precision.
     */
    void step(float[] params, float[] grads);

    /** One update on native-order double segments of exactly {@link #dimension()} elements. */
    void step(MemorySegment params, MemorySegment grads);

    /**
     * One update in single precision on native-order float segments of exactly {@link #dimension()}
     * elements: {@link #step(float[], float[])} bit for bit, for hosts that keep float params
     * off-heap (DIAGONAL and KRONECKER groups; FULL refuses it).
     */
    void stepFloats(MemorySegment params, MemorySegment grads);

    /**
     * Row-sparse step for an optimizer whose layout is one matrix (an embedding table of rows × cols)
     * in one DIAGONAL group: only the listed rows change, each by the dense rule with the shared t;
     * the averages of other rows stay as they are (lazy, as torch SparseAdam). {@code rows} may come
     * in any order and repeat (duplicate rows' gradients are summed first); {@code rowGrads} holds
     * rows.length × cols values, row k's gradient at [k·cols, (k+1)·cols). Listing every row once
     * equals {@link #step(double[], double[])} bit for bit.
     */
    void stepRows(double[] params, int[] rows, double[] rowGrads);

    /** As {@link #stepRows(double[], int[], double[])} in single precision. */
    void stepRows(float[] params, int[] rows, float[] rowGrads);

    /** As {@link #stepRows(double[], int[], double[])} on native-order double segments. */
    void stepRows(MemorySegment params, int[] rows, MemorySegment rowGrads);

    /** The tensors of the flat vector (one tensor "params" for {@link #create}). */
    ParamLayout layout();

    /** The learning-rate schedule (constant unless the builder set one). */
    Schedule schedule();

    /** The global gradient-norm bound, 0 when clipping is off. */
    double clipNorm();

    /**
     * N = ‖g‖₂ over every tensor of the last step that computed it (steps with clipping on), NaN
     * before; SPEC "Global-norm clipping".
     */
    double lastGradientNorm();

    /** κ, the user's learning-rate scale (default 1): γ_t = γ·s(t)·κ. Saved in checkpoints. */
    double learningRateScale();

    /** Sets κ ≥ 0 for the following steps (plateau-style control). */
    void setLearningRateScale(double scale);

    /** Steps taken (t in SPEC), skipped steps excluded. */
    long steps();

    /** Steps skipped because of a non-finite gradient under {@link NonFinitePolicy#SKIP}. */
    long skippedSteps();

    /** FULL only (an optimizer with exactly one FULL group): the eigenvalues of the current X̂, ascending (a copy). */
    double[] eigenvalues();

    /** FULL only: how many eigenvalues of the current X̂ were negative and clamped to 0 in f. */
    int clampedEigenvalues();

    /** FULL only: the effective dimension (Σλ)²/Σλ² of the current X̂ (0 when X̂ = 0). */
    double effectiveDimension();

    /** KRONECKER groups' blocks, in group and block order (empty without KRONECKER groups). */
    java.util.List<KroneckerBlockInfo> kroneckerBlocks();

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
