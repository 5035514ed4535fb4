package org.cgd4j.engine.internal.kernel;

import java.lang.foreign.MemorySegment;

/**
 * Element-wise kernels of the diagonal CGD step over element ranges [from, to). State segments
 * (m, s, μ) are native; parameters and gradients come either as native double segments or as heap
 * arrays. The two are separate methods on purpose: a Vector API loop that sees heap and native
 * segments at the same load falls off its intrinsic (JDK 25 measured ~100× slower), so heap arrays
 * use {@code fromArray} and native memory {@code fromMemorySegment}, each monomorphic.
 *
 * <p>Implementations: {@link ScalarDiagonalKernels} and the Vector API twin loaded by
 * {@link KernelLookup}. The two round every operation the same way (FMA only inside {@link Power},
 * identically on both sides), so they agree bit for bit at every power. Range methods are safe to run concurrently on disjoint ranges of the same data.
 */
public interface DiagonalKernels {

    /** "vector" or "scalar". */
    String name();

    /** Lanes of the double species (1 for scalar). */
    int doubleLanes();

    /** Lanes of the float species (1 for scalar). */
    int floatLanes();

    /**
     * Largest |g| a double step accepts: just below 2^511, so that g², and (g − m)² ≤ (2·max|g|)²
     * for BELIEF, stay finite (the fused pass has no later chance to refuse the step).
     */
    double MAX_GRADIENT = Math.nextDown(0x1p511);

    /** As {@link #MAX_GRADIENT} for float state: just below 2^63. */
    float MAX_GRADIENT_FLOAT = Math.nextDown(0x1p63f);

    /**
     * The first index in [from, to) whose double is NaN, infinite or beyond ±{@link #MAX_GRADIENT},
     * or −1 (native segment).
     */
    long firstNonFinite(MemorySegment g, long from, long to);

    /** As {@link #firstNonFinite(MemorySegment, long, long)} on a heap array. */
    long firstNonFinite(double[] g, long from, long to);

    /** As {@link #firstNonFinite(MemorySegment, long, long)} on a float array. */
    long firstNonFinite(float[] g, long from, long to);

    /**
     * One fused diagonal step (SPEC steps 1–5) on doubles: reads q, g and the state once, writes q
     * and the state once. {@code m}, {@code s}, {@code mu} may be null when {@code c.op} does not
     * keep them; all segments are native. The training-loop terms of {@code c} apply
     * ({@link StepCoefficients#terms}); g is read at index i + {@code gShift} while params and state
     * are at i (a row-sparse step hands each row to the kernels with its gradient taken from a packed
     * buffer); the dense step passes 0.
     */
    void step(StepCoefficients c, MemorySegment q, MemorySegment g, long gShift, MemorySegment m, MemorySegment s,
              MemorySegment mu, long from, long to);

    /** As the segment step, with heap params and gradients ({@code gShift} must fit an int index). */
    void step(StepCoefficients c, double[] q, double[] g, long gShift, MemorySegment m, MemorySegment s,
              MemorySegment mu, long from, long to);

    /** The single-precision step: float params and gradients, float state segments, float arithmetic. */
    void step(StepCoefficients c, float[] q, float[] g, long gShift, MemorySegment m, MemorySegment s,
              MemorySegment mu, long from, long to);

    /** The dense step: g at the same index as q ({@code gShift} = 0). */
    default void step(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                      MemorySegment mu, long from, long to) {
        step(c, q, g, 0, m, s, mu, from, to);
    }

    /** The dense step on heap params and gradients. */
    default void step(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s,
                      MemorySegment mu, long from, long to) {
        step(c, q, g, 0, m, s, mu, from, to);
    }

    /** The dense single-precision step. */
    default void step(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s,
                      MemorySegment mu, long from, long to) {
        step(c, q, g, 0, m, s, mu, from, to);
    }

    // ---- the gradient norm for global clipping, deterministic ----
    // Blocks of NORM_BLOCK elements aligned to 0; within a block eight accumulators
    // a_k += g_i·g_i (in double, float g widened first, no FMA) for (i − blockStart) ≡ k mod 8 in
    // increasing i, combined as ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)). A pass writes each
    // block's sum to blockSums[i / NORM_BLOCK]; the caller adds the blocks in ascending order
    // (sumBlocks). The result is bit-identical between scalar and vector kernels at every vector width
    // and independent of how the range is cut into chunks, provided chunks start at multiples of
    // NORM_BLOCK (WorkerPool.chunkStart(n, chunks, c, NORM_BLOCK)).

    /** Elements per block of the gradient norm's partial sums. */
    int NORM_BLOCK = 1024;

    /** The blocks a norm pass over [0, n) writes: ceil(n / NORM_BLOCK). */
    static int normBlocks(long n) {
        return (int) ((n + NORM_BLOCK - 1) / NORM_BLOCK);
    }

    /** Σ blockSums[0..blocks) in ascending order: the squared norm. */
    static double sumBlocks(double[] blockSums, int blocks) {
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            sum += blockSums[b];
        }
        return sum;
    }

    /** {@code from}, refused unless it is a multiple of {@link #NORM_BLOCK} (a norm pass starts at a block). */
    static long normStart(long from) {
        if (from % NORM_BLOCK != 0) {
            throw new IllegalArgumentException("a norm pass starts at a multiple of " + NORM_BLOCK + ", got " + from);
        }
        return from;
    }

    /**
     * The non-finite scan of {@link #firstNonFinite(MemorySegment, long, long)} fused with the norm's
     * block squares, in one read of g: returns the first bad index in [from, to) or −1, and when −1
     * has written the sum of every block overlapping [from, to) (from a multiple of NORM_BLOCK; the
     * last block may end at {@code to}). For NonFinitePolicy THROW and SKIP.
     */
    long firstNonFiniteSquares(MemorySegment g, long from, long to, double[] blockSums);

    /** As {@link #firstNonFiniteSquares(MemorySegment, long, long, double[])} on a heap array. */
    long firstNonFiniteSquares(double[] g, long from, long to, double[] blockSums);

    /** As {@link #firstNonFiniteSquares(MemorySegment, long, long, double[])} on a float array (squares in double). */
    long firstNonFiniteSquares(float[] g, long from, long to, double[] blockSums);

    /** The norm's block squares alone, without the check (NonFinitePolicy PROPAGATE). */
    void squares(MemorySegment g, long from, long to, double[] blockSums);

    /** As {@link #squares(MemorySegment, long, long, double[])} on a heap array. */
    void squares(double[] g, long from, long to, double[] blockSums);

    /** As {@link #squares(MemorySegment, long, long, double[])} on a float array (squares in double). */
    void squares(float[] g, long from, long to, double[] blockSums);

    /** avg ← β·avg + (1−β)·g on native double segments (the moment updates of FULL, SPEC steps 1–2). */
    void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to);

    /** q ← q − scale·p on native double segments (SPEC step 5). */
    void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to);
}
