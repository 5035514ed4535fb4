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
     * keep them; all segments are native.
     */
    void step(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
              MemorySegment mu, long from, long to);

    /** As {@link #step(StepCoefficients, MemorySegment, MemorySegment, MemorySegment, MemorySegment, MemorySegment, long, long)} with heap params and gradients. */
    void step(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s,
              MemorySegment mu, long from, long to);

    /** The single-precision step: float params and gradients, float state segments, float arithmetic. */
    void step(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s,
              MemorySegment mu, long from, long to);

    /** avg ← β·avg + (1−β)·g on native double segments (the moment updates of FULL, SPEC steps 1–2). */
    void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to);

    /** q ← q − scale·p on native double segments (SPEC step 5). */
    void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to);
}
