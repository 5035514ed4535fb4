package org.cgd4j.blas;

import java.lang.foreign.MemorySegment;

/**
 * {@link LinearAlgebra} plus the matrix-matrix (BLAS-3) and QR routines, in double and float, that
 * KRONECKER CGD needs (SPEC "Structure KRONECKER": factors by SYRK, rotations by GEMM, refresh by
 * SYEVD or by one power-iteration step Q ← qr(S·Q) with SYMM, GEQRF and ORGQR).
 *
 * <p>Same conventions as {@link LinearAlgebra}: LAPACK's argument order and meaning; column-major
 * matrices in native-order off-heap {@link MemorySegment}s ({@code double} for the D routines,
 * {@code float} for the S routines), sizes, offsets and leading dimensions in elements; a submatrix
 * is a slice starting at its first element with the parent's leading dimension. Every argument is
 * checked once, before any native code runs, in LAPACK's style ({@link BlasArgumentException}: "parameter
 * 8 of DGEMM had an illegal value: lda = 2 &lt; max(1, 3) = 3"). As in BLAS, an output matrix must not
 * share elements with an input (not checked: blocked callers legitimately pass disjoint submatrices of
 * one array). beta = 0 overwrites the output without reading it (a NaN there does not survive).
 *
 * <p>Cost in flops: GEMM 2mnk, SYRK n²k, SYMM 2m²n (side 'L') or 2mn² ('R'), GEQRF and ORGQR
 * (n = k) ≈ 2mn² − 2n³/3 each (4n³/3 for a square matrix). The pure-Java implementation computes the
 * float routines in double precision and rounds the results once (at least as accurate as the float
 * BLAS); it is several times slower than single-threaded OpenBLAS (measured by CPU time at
 * n = 256..1024: DGEMM and DSYRK 2–4×, SGEMM and SSYRK 4–5×, GEQRF + ORGQR 4–6×).
 *
 * <p>Obtain it with {@link LinearAlgebraProvider#get()}; the implementations are thread-safe.
 */
public interface DenseLinearAlgebra extends LinearAlgebra {

    /**
     * C ← alpha·op(A)·op(B) + beta·C (BLAS DGEMM), op(X) = X ('N') or Xᵀ ('T', 'C'); op(A) is m×k,
     * op(B) is k×n, C is m×n.
     *
     * @param transA 'N', 'T' or 'C' (parameter 1); {@code transB} likewise (2)
     * @param lda    ≥ max(1, m) for transA = 'N', else ≥ max(1, k) (8); ldb ≥ max(1, k) for
     *               transB = 'N', else ≥ max(1, n) (10); ldc ≥ max(1, m) (13)
     */
    void dgemm(char transA, char transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
               MemorySegment b, int ldb, double beta, MemorySegment c, int ldc);

    /** {@link #dgemm} in single precision (BLAS SGEMM): float segments, float alpha and beta. */
    void sgemm(char transA, char transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
               MemorySegment b, int ldb, float beta, MemorySegment c, int ldc);

    /**
     * Symmetric rank-k update of the {@code uplo} triangle of the n×n matrix C (BLAS DSYRK):
     * C ← alpha·A·Aᵀ + beta·C with A n×k ({@code trans = 'N'}), or C ← alpha·Aᵀ·A + beta·C with A k×n
     * ('T' or 'C'). The other triangle of C is neither read nor written.
     */
    void dsyrk(char uplo, char trans, int n, int k, double alpha, MemorySegment a, int lda, double beta,
               MemorySegment c, int ldc);

    /** {@link #dsyrk} in single precision (BLAS SSYRK). */
    void ssyrk(char uplo, char trans, int n, int k, float alpha, MemorySegment a, int lda, float beta,
               MemorySegment c, int ldc);

    /**
     * C ← alpha·A·B + beta·C ({@code side = 'L'}, A m×m) or C ← alpha·B·A + beta·C ('R', A n×n), with A
     * symmetric and only its {@code uplo} triangle read; B and C are m×n (BLAS DSYMM). With the
     * triangle that {@link #dsyrk} maintains this multiplies by a factor without mirroring it first.
     */
    void dsymm(char side, char uplo, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment b,
               int ldb, double beta, MemorySegment c, int ldc);

    /** {@link #dsymm} in single precision (BLAS SSYMM). */
    void ssymm(char side, char uplo, int m, int n, float alpha, MemorySegment a, int lda, MemorySegment b,
               int ldb, float beta, MemorySegment c, int ldc);

    /**
     * Workspace sizes for {@link #dgeqrf} on an m×n matrix and {@link #dorgqr} forming its
     * min(m, n) columns, from LAPACK's own queries, so callers allocate once and reuse.
     */
    QrWorkspace dqrWorkspace(int m, int n);

    /** {@link #dqrWorkspace} for {@link #sgeqrf} and {@link #sorgqr}, sizes in floats. */
    QrWorkspace sqrWorkspace(int m, int n);

    /**
     * QR factorisation A = Q·R of an m×n matrix by Householder reflections (LAPACK DGEQRF). On return
     * the upper triangle (trapezoid) of {@code a} holds R, the part below the diagonal with {@code tau}
     * (min(m, n) scalars) the reflectors that {@link #dorgqr} turns into Q.
     *
     * @param work  at least {@code lwork} doubles, lwork ≥ max(1, n) (parameter 7); the
     *              {@link #dqrWorkspace} size is faster (blocked)
     */
    void dgeqrf(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work, long lwork);

    /** {@link #dgeqrf} in single precision (LAPACK SGEQRF). */
    void sgeqrf(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work, long lwork);

    /**
     * Overwrites the m×n matrix {@code a} (m ≥ n ≥ k ≥ 0) with the first n columns of Q = H₁⋯H_k, the
     * product of the first k reflectors {@link #dgeqrf} left in {@code a} and {@code tau}
     * (LAPACK DORGQR): orthonormal columns.
     *
     * @param work  at least {@code lwork} doubles, lwork ≥ max(1, n) (parameter 8)
     */
    void dorgqr(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work, long lwork);

    /** {@link #dorgqr} in single precision (LAPACK SORGQR). */
    void sorgqr(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work, long lwork);

    /**
     * Workspace sizes for {@link #ssyevd} with {@code jobz = 'V'} on an n×n matrix (lwork in floats),
     * from LAPACK's own query and never below LAPACK's documented minimum (a float WORK(1) cannot
     * hold every large integer exactly).
     */
    EigenWorkspace ssyevdWorkspace(int n);

    /**
     * {@link #dsyevd} in single precision (LAPACK SSYEVD): {@code a}, {@code w} and {@code work} are
     * float segments, {@code iwork} ints.
     *
     * @throws LapackException when the algorithm failed to converge (info &gt; 0)
     */
    void ssyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                MemorySegment work, long lwork, MemorySegment iwork, long liwork);

    /**
     * The number of threads one BLAS call of this library may use now (OpenBLAS'
     * {@code openblas_get_num_threads()}; 1 for the pure-Java implementation and for a library
     * without thread control).
     */
    int blasThreads();

    /**
     * Opens a scope in which every call of this library runs on one thread, for callers that run
     * independent calls on their own worker threads; see {@link BlasThreadScope}. Use with
     * try-with-resources around the parallel section.
     */
    BlasThreadScope singleThreaded();
}
