package org.cgd4j.blas;

/** Workspace sizes (in doubles and ints) that {@link LinearAlgebra#dsyevd} needs for one n. */
public record EigenWorkspace(long lwork, long liwork) {
    public EigenWorkspace {
        if (lwork < 1 || liwork < 1) {
            throw new IllegalArgumentException("workspace sizes must be >= 1, got lwork = " + lwork + ", liwork = " + liwork);
        }
    }
}
