package org.cgd4j.blas.internal.java;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.QrWorkspace;
import org.cgd4j.blas.internal.AbstractDenseLinearAlgebra;
import org.cgd4j.blas.internal.AbstractLinearAlgebra;

/**
 * The pure-Java fallback: the reference BLAS loops for DSYR, DSYMV and DGEMV (same operation order as
 * netlib's Fortran, including its treatment of zeros), {@link SymmetricEigensolver} for DSYEVD and
 * SSYEVD, {@link BlockedProducts} for GEMM, SYRK and SYMM, and {@link HouseholderQr} for GEQRF and
 * ORGQR. Single-threaded and thread-safe; the BLAS-2 and BLAS-3 routines allocate nothing once warm,
 * the eigen and QR routines allocate O(n²) heap scratch per call. Arguments are checked by
 * {@link AbstractLinearAlgebra} and {@link AbstractDenseLinearAlgebra}.
 */
public final class JavaLinearAlgebra extends AbstractDenseLinearAlgebra {

    /** The display name. */
    public static final String NAME = "pure Java (Householder + implicit QL)";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected EigenWorkspace queryDsyevdWorkspace(int n) {
        // The solver uses its own heap scratch; asking for LAPACK's minimum keeps workspaces
        // interchangeable between implementations (and the checks identical).
        return minimumDsyevdWorkspace('V', n);
    }

    @Override
    protected int dsyevdKernel(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                               MemorySegment work, int lwork, MemorySegment iwork, int liwork) {
        return SymmetricEigensolver.syevd(false, jobz == 'V', uplo, n, a, lda, w);
    }

    @Override
    protected void dsyrKernel(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        long kx = start(n, incx);
        for (int j = 0; j < n; j++) {
            double xj = x.getAtIndex(JAVA_DOUBLE, kx + (long) j * incx);
            if (xj == 0.0) {
                continue; // reference BLAS skips zero columns (a NaN in A stays where it is)
            }
            double temp = alpha * xj;
            long col = (long) j * lda;
            int from = uplo == 'L' ? j : 0;
            int to = uplo == 'L' ? n : j + 1;
            for (int i = from; i < to; i++) {
                double xi = x.getAtIndex(JAVA_DOUBLE, kx + (long) i * incx);
                a.setAtIndex(JAVA_DOUBLE, col + i, a.getAtIndex(JAVA_DOUBLE, col + i) + xi * temp);
            }
        }
    }

    @Override
    protected void dsymvKernel(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                               double beta, MemorySegment y, int incy) {
        long kx = start(n, incx);
        long ky = start(n, incy);
        scale(n, beta, y, ky, incy);
        if (alpha == 0.0) {
            return;
        }
        for (int j = 0; j < n; j++) {
            double temp1 = alpha * x.getAtIndex(JAVA_DOUBLE, kx + (long) j * incx);
            double temp2 = 0.0;
            long col = (long) j * lda;
            long yj = ky + (long) j * incy;
            if (uplo == 'L') {
                y.setAtIndex(JAVA_DOUBLE, yj, y.getAtIndex(JAVA_DOUBLE, yj) + temp1 * a.getAtIndex(JAVA_DOUBLE, col + j));
                for (int i = j + 1; i < n; i++) {
                    double aij = a.getAtIndex(JAVA_DOUBLE, col + i);
                    long yi = ky + (long) i * incy;
                    y.setAtIndex(JAVA_DOUBLE, yi, y.getAtIndex(JAVA_DOUBLE, yi) + temp1 * aij);
                    temp2 += aij * x.getAtIndex(JAVA_DOUBLE, kx + (long) i * incx);
                }
                y.setAtIndex(JAVA_DOUBLE, yj, y.getAtIndex(JAVA_DOUBLE, yj) + alpha * temp2);
            } else {
                for (int i = 0; i < j; i++) {
                    double aij = a.getAtIndex(JAVA_DOUBLE, col + i);
                    long yi = ky + (long) i * incy;
                    y.setAtIndex(JAVA_DOUBLE, yi, y.getAtIndex(JAVA_DOUBLE, yi) + temp1 * aij);
                    temp2 += aij * x.getAtIndex(JAVA_DOUBLE, kx + (long) i * incx);
                }
                y.setAtIndex(JAVA_DOUBLE, yj, y.getAtIndex(JAVA_DOUBLE, yj)
                        + temp1 * a.getAtIndex(JAVA_DOUBLE, col + j) + alpha * temp2);
            }
        }
    }

    @Override
    protected void dgemvKernel(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                               int incx, double beta, MemorySegment y, int incy) {
        int lenx = trans == 'N' ? n : m;
        int leny = trans == 'N' ? m : n;
        long kx = start(lenx, incx);
        long ky = start(leny, incy);
        scale(leny, beta, y, ky, incy);
        if (alpha == 0.0) {
            return;
        }
        if (trans == 'N') {
            for (int j = 0; j < n; j++) {
                double temp = alpha * x.getAtIndex(JAVA_DOUBLE, kx + (long) j * incx);
                long col = (long) j * lda;
                for (int i = 0; i < m; i++) {
                    long yi = ky + (long) i * incy;
                    y.setAtIndex(JAVA_DOUBLE, yi, y.getAtIndex(JAVA_DOUBLE, yi) + temp * a.getAtIndex(JAVA_DOUBLE, col + i));
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                double temp = 0.0;
                long col = (long) j * lda;
                for (int i = 0; i < m; i++) {
                    temp += a.getAtIndex(JAVA_DOUBLE, col + i) * x.getAtIndex(JAVA_DOUBLE, kx + (long) i * incx);
                }
                long yj = ky + (long) j * incy;
                y.setAtIndex(JAVA_DOUBLE, yj, y.getAtIndex(JAVA_DOUBLE, yj) + alpha * temp);
            }
        }
    }

    @Override
    protected void dgemmKernel(char transA, char transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        gemm(false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    protected void sgemmKernel(char transA, char transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        gemm(true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void gemm(boolean single, char transA, char transB, int m, int n, int k, double alpha,
                             MemorySegment a, int lda, MemorySegment b, int ldb, double beta, MemorySegment c,
                             int ldc) {
        BlockedProducts.product(single, BlockedProducts.FULL, m, n, k, alpha,
                a, lda, transA == 'N' ? BlockedProducts.PLAIN : BlockedProducts.TRANSPOSED,
                b, ldb, transB == 'N' ? BlockedProducts.PLAIN : BlockedProducts.TRANSPOSED, beta, c, ldc);
    }

    @Override
    protected void dsyrkKernel(char uplo, char trans, int n, int k, double alpha, MemorySegment a, int lda,
                               double beta, MemorySegment c, int ldc) {
        syrk(false, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
    }

    @Override
    protected void ssyrkKernel(char uplo, char trans, int n, int k, float alpha, MemorySegment a, int lda,
                               float beta, MemorySegment c, int ldc) {
        syrk(true, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
    }

    /** A·Aᵀ is A (plain) times A read transposed; Aᵀ·A the other way round. */
    private static void syrk(boolean single, char uplo, char trans, int n, int k, double alpha, MemorySegment a,
                             int lda, double beta, MemorySegment c, int ldc) {
        int left = trans == 'N' ? BlockedProducts.PLAIN : BlockedProducts.TRANSPOSED;
        int right = trans == 'N' ? BlockedProducts.TRANSPOSED : BlockedProducts.PLAIN;
        BlockedProducts.product(single, uplo, n, n, k, alpha, a, lda, left, a, lda, right, beta, c, ldc);
    }

    @Override
    protected void dsymmKernel(char side, char uplo, int m, int n, double alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        symm(false, side, uplo, m, n, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    protected void ssymmKernel(char side, char uplo, int m, int n, float alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        symm(true, side, uplo, m, n, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void symm(boolean single, char side, char uplo, int m, int n, double alpha, MemorySegment a,
                             int lda, MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        int sym = uplo == 'L' ? BlockedProducts.SYMMETRIC_LOWER : BlockedProducts.SYMMETRIC_UPPER;
        if (side == 'L') {
            BlockedProducts.product(single, BlockedProducts.FULL, m, n, m, alpha, a, lda, sym,
                    b, ldb, BlockedProducts.PLAIN, beta, c, ldc);
        } else {
            BlockedProducts.product(single, BlockedProducts.FULL, m, n, n, alpha, b, ldb, BlockedProducts.PLAIN,
                    a, lda, sym, beta, c, ldc);
        }
    }

    @Override
    protected QrWorkspace queryQrWorkspace(boolean single, int m, int n) {
        // Unblocked: LAPACK's minimum is all it needs, which keeps workspaces interchangeable.
        return new QrWorkspace(Math.max(1, n), Math.max(1, Math.min(m, n)));
    }

    @Override
    protected int dgeqrfKernel(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        HouseholderQr.geqrf(false, m, n, a, lda, tau);
        return 0;
    }

    @Override
    protected int sgeqrfKernel(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        HouseholderQr.geqrf(true, m, n, a, lda, tau);
        return 0;
    }

    @Override
    protected int dorgqrKernel(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        HouseholderQr.orgqr(false, m, n, k, a, lda, tau);
        return 0;
    }

    @Override
    protected int sorgqrKernel(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        HouseholderQr.orgqr(true, m, n, k, a, lda, tau);
        return 0;
    }

    @Override
    protected EigenWorkspace querySsyevdWorkspace(int n) {
        return minimumDsyevdWorkspace('V', n);
    }

    @Override
    protected int ssyevdKernel(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                               MemorySegment work, int lwork, MemorySegment iwork, int liwork) {
        return SymmetricEigensolver.syevd(true, jobz == 'V', uplo, n, a, lda, w);
    }

    /** Single-threaded: every call runs on its caller's thread. */
    @Override
    protected int threadsKernel() {
        return 1;
    }

    @Override
    protected void setThreadsKernel(int threads) {
        // nothing to set: the pure-Java routines never start threads
    }

    /** Index of logical element 0 of a strided vector: BLAS walks negative strides from the far end. */
    private static long start(int n, int inc) {
        return inc > 0 ? 0 : (long) (n - 1) * -inc;
    }

    /** y ← beta·y; beta = 0 writes zeros (reference BLAS: a NaN in y does not survive). */
    private static void scale(int n, double beta, MemorySegment y, long ky, int incy) {
        if (beta == 1.0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            long yi = ky + (long) i * incy;
            y.setAtIndex(JAVA_DOUBLE, yi, beta == 0.0 ? 0.0 : beta * y.getAtIndex(JAVA_DOUBLE, yi));
        }
    }
}
