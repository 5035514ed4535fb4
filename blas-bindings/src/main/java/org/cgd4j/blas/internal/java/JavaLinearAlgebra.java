package org.cgd4j.blas.internal.java;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.internal.AbstractLinearAlgebra;

/**
 * The pure-Java fallback: the reference BLAS loops for DSYR, DSYMV and DGEMV (same operation order as
 * netlib's Fortran, including its treatment of zeros), and {@link SymmetricEigensolver} for DSYEVD.
 * Thread-safe; the BLAS-2 routines allocate nothing, DSYEVD allocates O(n²) heap scratch per call.
 * Arguments are checked by {@link AbstractLinearAlgebra}.
 */
public final class JavaLinearAlgebra extends AbstractLinearAlgebra {

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
        return SymmetricEigensolver.dsyevd(jobz == 'V', uplo, n, a, lda, w);
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
