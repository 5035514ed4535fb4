package org.cgd4j.blas;

import java.lang.foreign.MemorySegment;

/**
 * The BLAS/LAPACK routines cgd4j needs, in LAPACK's own argument order and meaning.
 *
 * <p>Matrices are column-major {@code double} {@link MemorySegment}s in native byte order; sizes and
 * offsets are in elements. Every implementation checks its arguments once, in LAPACK's style: a bad
 * argument throws {@link IllegalArgumentException} naming the routine, the parameter position and
 * the value ("parameter 5 of DSYEVD had an illegal value: lda = 3 &lt; n = 4"). A LAPACK {@code info > 0}
 * (non-convergence) throws {@link LapackException}. A closed or too-small segment throws before any
 * native code runs, so no argument can crash the JVM.
 *
 * <p>Obtain the active implementation with {@link LinearAlgebraProvider#get()}.
 */
public interface LinearAlgebra {

    /** A short name of this implementation, e.g. "OpenBLAS (FFM)" or "pure Java". */
    String name();

    /**
     * Workspace sizes for {@link #dsyevd} with {@code jobz = 'V'} on an n×n matrix, from LAPACK's
     * own query ({@code lwork = -1}), so callers allocate once and reuse.
     */
    EigenWorkspace dsyevdWorkspace(int n);

    /**
     * All eigenvalues and eigenvectors of a symmetric matrix (LAPACK DSYEVD, divide and conquer).
     * On return {@code a} holds the orthonormal eigenvectors as columns and {@code w} the eigenvalues
     * in ascending order. Only the {@code uplo} triangle of {@code a} is read.
     *
     * @param jobz  'V' (eigenvectors too) or 'N' (eigenvalues only)
     * @param uplo  'L' or 'U'
     * @param work  at least {@code lwork} doubles; {@code iwork} at least {@code liwork} ints
     * @throws LapackException when the algorithm failed to converge (info &gt; 0)
     */
    void dsyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                MemorySegment work, long lwork, MemorySegment iwork, long liwork);

    /** Symmetric rank-1 update A ← alpha·x·xᵀ + A of the {@code uplo} triangle (BLAS DSYR). */
    void dsyr(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda);

    /** y ← alpha·A·x + beta·y with A symmetric, only its {@code uplo} triangle read (BLAS DSYMV). */
    void dsymv(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
               double beta, MemorySegment y, int incy);

    /** y ← alpha·op(A)·x + beta·y, op = 'N' or 'T', A is m×n (BLAS DGEMV). */
    void dgemv(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
               int incx, double beta, MemorySegment y, int incy);
}
