package org.cgd4j.blas;

/**
 * Workspace sizes that {@link LinearAlgebra#dsyevd} (lwork in doubles) or
 * {@link DenseLinearAlgebra#ssyevd} (lwork in floats) needs for one n; liwork is in ints.
 */
public record EigenWorkspace(long lwork, long liwork) {
    public EigenWorkspace {
        if (lwork < 1 || liwork < 1) {
            throw new IllegalArgumentException("workspace sizes must be >= 1, got lwork = " + lwork + ", liwork = " + liwork);
        }
    }
}
