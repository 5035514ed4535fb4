package org.cgd4j.engine.internal.full;

import java.lang.foreign.MemorySegment;

/**
 * The loops of a FULL step that are not BLAS calls: O(d) moment updates and the two O(d²) passes over
 * the lower triangle of the d×d column-major matrix S (leading dimension d).
 *
 * <p>All segments hold native-order doubles; sizes are in elements. Implementations evaluate every
 * element with the same operations in the same order (multiply and add, no fused multiply-add), so
 * the scalar and the Vector API implementation give bit-identical results, and {@link #rank1Update}
 * reproduces, bit for bit, the S that {@link #buildMetric} used.
 */
public interface FullKernels {

    /** The index of the first NaN or infinite element of {@code x[0..n)}, or -1 when all are finite. */
    long firstNonFinite(int n, MemorySegment x);

    /** out_i = a·x_i + b·y_i (exponential averages: a = β, b = 1 − β). {@code out} may alias x or y. */
    void blend(int n, double a, MemorySegment x, double b, MemorySegment y, MemorySegment out);

    /** out_i = c·x_i (debiasing by a reciprocal, as the DIAGONAL kernels do). */
    void scale(int n, double c, MemorySegment x, MemorySegment out);

    /** out_i = x_i − y_i. */
    void subtract(int n, MemorySegment x, MemorySegment y, MemorySegment out);

    /** q_i = q_i − p_i (the parameter update, SPEC step 5, with γ already in p). */
    void descend(int n, MemorySegment q, MemorySegment p);

    /**
     * Applies {@code count} rank-1 updates S ← β2·S + (1−β2)·u uᵀ in order, u being the rows
     * {@code us[k·n .. k·n + n)} for k &lt; count, to the lower triangle of S (SPEC step 2). Each element
     * goes through {@code s = β2·s + ((1−β2)·u_j)·u_i} once per vector, in order: the same operations
     * as count separate passes (on the diagonal exactly the DIAGONAL kernels' expression), but S is
     * read and written once.
     */
    void rank1Update(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment us, int count);

    /**
     * Writes the lower triangle of X̂ = S'·(1/c2) − v vᵀ into {@code w} without changing S, where S' is
     * S after {@link #rank1Update} with the same vectors, evaluated exactly as it evaluates it (SPEC
     * step 3; v is the debiased mean for COVARIANCE, {@code null} for the other metrics).
     *
     * @return false when an element written is NaN or infinite
     */
    boolean buildMetric(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment us, int count,
                        double invC2, MemorySegment v, MemorySegment w);
}
