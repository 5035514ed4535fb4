package org.cgd4j.engine.internal.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;

/**
 * The invariant that keeps a FULL preconditioner's spectrum finite, checked before every commit:
 * the state that step t would commit must satisfy
 * <pre>
 *   trace(S_t)/c2 ≤ LIMIT   and   ‖v‖² ≤ LIMIT,   LIMIT = Double.MAX_VALUE/4,
 * </pre>
 * S_t the metric with its queued rank-1 updates and this step's applied, v the debiased mean
 * (COVARIANCE; 0 otherwise). Why this bound: Ŝ = S/c2 is positive semi-definite, so every
 * eigenvalue of X̂ = Ŝ − vvᵀ lies in [−‖v‖², trace(Ŝ)], and so does every tracked σ/c2 and every
 * element of X̂; DSYEVD (which scales an extreme matrix internally and scales its eigenvalues back)
 * then returns finite eigenvalues. An element-wise check of X̂ is not enough: |g| ≈ 1e154 gives a
 * finite X̂ = ggᵀ whose eigenvalue ‖g‖² overflows to +∞.
 *
 * <p>Why refuse rather than rescale: the state is in the units of g², and scaling it would change
 * every later step's result; a refused step changes nothing and says why. Why this never traps the
 * optimizer: if step t committed, a step t + 1 with a zero (or any small) gradient passes, because
 * β2 < 1 shrinks S and v and 1/c2 only decreases with t. A gradient too large for the bound is
 * refused every time it is offered, as a non-finite one is.
 */
final class SpectrumBound {
    /** A quarter of the largest double: room for rounding and for sums of two bounded terms. */
    static final double LIMIT = Double.MAX_VALUE / 4;

    private SpectrumBound() {}

    /**
     * Refuses step t (ArithmeticException, nothing written) unless S's diagonal after the
     * {@code count} queued rank-1 updates in {@code queue} (this step's included), evaluated as
     * {@link FullKernels#rank1Update} will, has trace·invC2 ≤ {@link #LIMIT}, and the mean
     * {@code v} (null: none) has ‖v‖² ≤ {@link #LIMIT}.
     */
    static void require(long t, int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment queue,
                        int count, double invC2, MemorySegment v) {
        // Each diagonal is ≥ 0 (S is a sum of squares) and an overflowing sum is +∞, refused below.
        double trace = 0;
        for (int i = 0; i < n; i++) {
            double x = ScalarFullKernels.updated(s.getAtIndex(JAVA_DOUBLE, (long) i * n + i), beta2, oneMinusBeta2,
                    queue, count, n, i, i);
            if (!Double.isFinite(x)) {
                throw FullPreconditioner.nonFiniteMetric(t, i);
            }
            trace += x; // x ≤ trace ≤ trace/c2: a large finite diagonal is refused below

        }
        if (!(trace * invC2 <= LIMIT)) {
            throw new ArithmeticException("step " + t + ": the metric's trace " + trace + "/c2 = " + trace * invC2
                    + " exceeds " + LIMIT + ", so its largest eigenvalue could overflow (gradient of magnitude ~1e154"
                    + " or more?); step refused, params and state unchanged");
        }
        if (v != null) {
            double norm2 = 0;
            for (int i = 0; i < n; i++) {
                double vi = v.getAtIndex(JAVA_DOUBLE, i);
                norm2 += vi * vi;
            }
            if (!(norm2 <= LIMIT)) {
                throw new ArithmeticException("step " + t + ": the squared norm of the debiased mean, " + norm2
                        + ", exceeds " + LIMIT + ", so X̂ = S/c2 − vvᵀ could have an overflowing eigenvalue;"
                        + " step refused, params and state unchanged");
            }
        }
    }

    /** Refuses step t if an element of {@code x[0..n)} is NaN or infinite (what an eigensolver returned, say). */
    static void requireFinite(long t, int n, MemorySegment x, String what) {
        for (int i = 0; i < n; i++) {
            double value = x.getAtIndex(JAVA_DOUBLE, i);
            if (!Double.isFinite(value)) {
                throw new ArithmeticException("step " + t + ": " + what + " " + i + " is non-finite (" + value + ")"
                        + "; step refused, params and state unchanged");
            }
        }
    }
}
