package org.cgd4j.engine.internal.kernel;

import java.lang.foreign.MemorySegment;

/**
 * Element-wise kernels of the diagonal CGD step over ranges [from, to) of elements. Segments hold
 * native-order doubles (or floats for the {@code Float} methods); heap segments of double[] and
 * float[] work as well as native ones. Implementations: {@link ScalarDiagonalKernels} and the
 * Vector API twin loaded by {@link KernelLookup}. Without FMA on either side the two agree bit for
 * bit, except {@link StepCoefficients#POWER_GENERAL}, where the Vector API power differs from
 * {@link Math#pow} by at most a few ulp.
 *
 * <p>Range methods are safe to run concurrently on disjoint ranges of the same segments.
 */
public interface DiagonalKernels {

    /** "vector" or "scalar". */
    String name();

    /** Lanes of the double species (1 for scalar). */
    int doubleLanes();

    /** Lanes of the float species (1 for scalar). */
    int floatLanes();

    /** The first index in [from, to) whose double is NaN or infinite, or −1. */
    long firstNonFinite(MemorySegment g, long from, long to);

    /** The first index in [from, to) whose float is NaN or infinite, or −1. */
    long firstNonFiniteFloat(MemorySegment g, long from, long to);

    /**
     * One fused diagonal step (SPEC steps 1–5) on doubles: reads q, g and the state once, writes q
     * and the state once. {@code m}, {@code s}, {@code mu} may be null when {@code c.op} does not
     * keep them.
     */
    void step(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
              MemorySegment mu, long from, long to);

    /** As {@link #step} on floats (params, gradients and state all float). */
    void stepFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                   MemorySegment mu, long from, long to);

    /** avg ← β·avg + (1−β)·g on doubles (the moment updates of FULL, SPEC step 1 and 2). */
    void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to);

    /** q ← q − scale·p on doubles (SPEC step 5). */
    void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to);
}
