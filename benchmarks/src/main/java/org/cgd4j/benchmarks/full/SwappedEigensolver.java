package org.cgd4j.benchmarks.full;

import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LinearAlgebra;

/**
 * A {@link LinearAlgebra} whose DSYEVD is another library's symmetric eigensolver while every BLAS
 * call (and the workspace query, so allocations are identical) goes to {@code blas}: the FULL step
 * then differs only in its eigendecomposition. Output contract as DSYEVD: eigenvalues ascending in
 * {@code w}, orthonormal eigenvectors as the columns of {@code a}.
 */
abstract class SwappedEigensolver implements LinearAlgebra {
    private final LinearAlgebra blas;

    SwappedEigensolver(LinearAlgebra blas) {
        this.blas = blas;
    }

    /** Diagonalises the symmetric matrix whose lower triangle is in {@code a} (column-major, lda = n). */
    abstract void eigen(int n, MemorySegment a, MemorySegment w);

    @Override
    public final void dsyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                             MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        if (jobz != 'V' || uplo != 'L' || lda != n) {
            throw new IllegalArgumentException("only jobz = 'V', uplo = 'L', lda = n are adapted");
        }
        eigen(n, a, w);
    }

    @Override public EigenWorkspace dsyevdWorkspace(int n) { return blas.dsyevdWorkspace(n); }

    @Override
    public void dsyr(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        blas.dsyr(uplo, n, alpha, x, incx, a, lda);
    }

    @Override
    public void dsymv(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                      double beta, MemorySegment y, int incy) {
        blas.dsymv(uplo, n, alpha, a, lda, x, incx, beta, y, incy);
    }

    @Override
    public void dgemv(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                      int incx, double beta, MemorySegment y, int incy) {
        blas.dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
    }
}
