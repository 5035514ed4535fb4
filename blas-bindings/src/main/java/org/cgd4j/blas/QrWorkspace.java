package org.cgd4j.blas;

/**
 * Workspace sizes, in elements of the routine's precision, for a QR factorisation of an m×n matrix
 * ({@code xGEQRF}) and for forming its min(m, n) orthonormal columns ({@code xORGQR} with
 * n = k = min(m, n)), from LAPACK's own queries ({@code lwork = -1}). One buffer of {@link #lwork()}
 * elements serves both calls.
 *
 * @param geqrf the LWORK to pass to {@link DenseLinearAlgebra#dgeqrf} / {@link DenseLinearAlgebra#sgeqrf}
 * @param orgqr the LWORK to pass to {@link DenseLinearAlgebra#dorgqr} / {@link DenseLinearAlgebra#sorgqr}
 */
public record QrWorkspace(long geqrf, long orgqr) {
    public QrWorkspace {
        if (geqrf < 1 || orgqr < 1) {
            throw new IllegalArgumentException("workspace sizes must be >= 1, got geqrf = " + geqrf + ", orgqr = " + orgqr);
        }
    }

    /** Elements of one work buffer that serves both routines. */
    public long lwork() {
        return Math.max(geqrf, orgqr);
    }
}
