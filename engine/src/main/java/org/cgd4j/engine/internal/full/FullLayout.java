package org.cgd4j.engine.internal.full;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.RefreshMode;

/**
 * How many d×d matrices and d-vectors a FULL optimizer holds for one configuration, and the bytes
 * they take together with the LAPACK workspace. Computed in exact long arithmetic before anything is
 * allocated: a d whose state does not fit in a long reports {@link Long#MAX_VALUE} (d may be up to
 * {@link Integer#MAX_VALUE}, and d² doubles overflow a long from d ≈ 1.07e9).
 *
 * <p>Matrices: S (or B), the work matrix W (X̂, then the eigenvectors dsyevd writes over it), and
 * with {@code refreshEvery > 1} the cached eigenbasis V. Vectors: see {@link #vectors}.
 */
record FullLayout(int n, int matrices, int vectors, int queueSlots) {
    /** At most this many rank-1 updates of S are queued between refreshes. */
    static final int MAX_QUEUE = 32;

    /** LAPACK's documented minimum DSYEVD workspace for jobz = 'V': lwork = 1 + 6n + 2n² (doubles). */
    static long minimumLwork(int n) {
        return saturatingAdd(1 + 6L * n, saturatingMultiply(2L * n, n));
    }

    /** LAPACK's documented minimum DSYEVD integer workspace for jobz = 'V': liwork = 3 + 5n. */
    static long minimumLiwork(int n) {
        return 3 + 5L * n;
    }

    static FullLayout of(CgdConfig config, int n) {
        boolean cached = config.refreshEvery() > 1;
        boolean tracked = cached && config.refreshMode() == RefreshMode.TRACKED;
        boolean covariance = config.metric() == Metric.COVARIANCE;
        boolean metricMean = covariance && config.covarianceMean() == CovarianceMean.METRIC;
        boolean belief = config.metric() == Metric.BELIEF;
        int queueSlots = cached ? Math.min(config.refreshEvery(), MAX_QUEUE) : 1;
        int vectors = vectors(tracked, covariance, metricMean, belief) + queueSlots;
        return new FullLayout(n, cached ? 3 : 2, vectors, queueSlots);
    }

    /**
     * g (native copy), m and its next value, μ and its next value (METRIC mean), v = debiased mean
     * (COVARIANCE), γm̂, y = Vᵀγm̂, P, λ and its next value; TRACKED adds σ = diag(VᵀSV), Vᵀm, Vᵀμ
     * (METRIC mean) with their next values, h = Vᵀg and Vᵀu (BELIEF); then the queue of rank-1 vectors u
     * (one slot, or min(refreshEvery, 32) with a cached basis).
     */
    private static int vectors(boolean tracked, boolean covariance, boolean metricMean, boolean belief) {
        int count = 1 + 2 + (metricMean ? 2 : 0) + (covariance ? 1 : 0) + 3 + 2;
        if (tracked) {
            count += 2 + 2 + (metricMean ? 2 : 0) + 1 + (belief ? 1 : 0);
        }
        return count;
    }

    /** Bytes of the d×d matrices and d-vectors, saturating at {@link Long#MAX_VALUE}. */
    long arrayBytes() {
        long square = saturatingMultiply(n, n);
        long doubles = saturatingAdd(saturatingMultiply(square, matrices), saturatingMultiply(n, vectors));
        return saturatingMultiply(doubles, Double.BYTES);
    }

    /** All bytes with a DSYEVD workspace of {@code lwork} doubles and {@code liwork} ints. */
    long bytes(long lwork, long liwork) {
        return saturatingAdd(arrayBytes(),
                saturatingAdd(saturatingMultiply(lwork, Double.BYTES), saturatingMultiply(liwork, Integer.BYTES)));
    }

    static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE; // operands are never negative here
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
