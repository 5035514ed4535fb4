package org.cgd4j.blas.internal;

import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.BlasArgumentException;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LinearAlgebra;

/**
 * Checks every argument once, in LAPACK's style, then calls the implementation's kernel. Both the
 * native and the pure-Java implementation extend this class, so they accept and refuse exactly the
 * same calls. A kernel only ever sees arguments that LAPACK would accept and segments that are alive,
 * accessible from this thread, native, aligned and large enough: nothing can crash the JVM.
 */
public abstract class AbstractLinearAlgebra implements LinearAlgebra {

    /** Largest n whose DSYEVD workspace (1 + 6n + 2n² doubles) still fits LAPACK's 32-bit INTEGER. */
    public static final int MAX_DSYEVD_N = 32_765;


    /** The minimum DSYEVD workspace, exactly as LAPACK computes LWMIN and LIWMIN. */
    public static EigenWorkspace minimumDsyevdWorkspace(char jobz, int n) {
        if (n <= 1) {
            return new EigenWorkspace(1, 1);
        }
        if (Checks.upper(jobz) == 'V') {
            return new EigenWorkspace(1 + 6L * n + 2L * n * n, 3 + 5L * n);
        }
        return new EigenWorkspace(2L * n + 1, 1);
    }

    @Override
    public final EigenWorkspace dsyevdWorkspace(int n) {
        checkWorkspaceOrder("DSYEVD", n);
        return atLeastMinimum(queryDsyevdWorkspace(n), n);
    }

    /** The order of an xSYEVD workspace query: 0 &lt;= n &lt;= {@link #MAX_DSYEVD_N}. */
    static void checkWorkspaceOrder(String routine, int n) {
        if (n < 0 || n > MAX_DSYEVD_N) {
            throw new BlasArgumentException(routine, 3, "n = " + n + (n < 0 ? " < 0" : " > " + MAX_DSYEVD_N
                    + " (workspace would overflow 32-bit LAPACK INTEGER)"));
        }
    }

    /** A library reporting less than LAPACK's documented minimum would make our own check refuse it. */
    static EigenWorkspace atLeastMinimum(EigenWorkspace ws, int n) {
        EigenWorkspace min = minimumDsyevdWorkspace('V', n);
        return new EigenWorkspace(Math.max(ws.lwork(), min.lwork()), Math.max(ws.liwork(), min.liwork()));
    }

    @Override
    public final void dsyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                             MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        final String r = "DSYEVD";
        char job = checkJobz(r, jobz);
        char ul = Checks.checkUplo(r, 2, uplo);
        if (!checkSyevd(r, Checks.Unit.DOUBLE, job, ul, n, a, lda, w, work, lwork, iwork, liwork)) {
            return;
        }
        syevdInfo(r, job, n, dsyevdKernel(job, ul, n, a, lda, w, work, (int) lwork, iwork, (int) liwork));
    }

    static char checkJobz(String routine, char jobz) {
        char job = Checks.upper(jobz);
        if (job != 'V' && job != 'N') {
            throw new BlasArgumentException(routine, 1, "jobz = '" + jobz + "', expected 'V' or 'N'");
        }
        return job;
    }

    /**
     * The checks of an xSYEVD call after JOBZ and UPLO, in LAPACK's numbering, for double or float
     * matrices; false when there is nothing to compute (n = 0).
     */
    static boolean checkSyevd(String r, Checks.Unit unit, char job, char ul, int n, MemorySegment a, int lda,
                              MemorySegment w, MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        if (n < 0 || n > MAX_DSYEVD_N) {
            throw new BlasArgumentException(r, 3, "n = " + n + (n < 0 ? " < 0" : " > " + MAX_DSYEVD_N));
        }
        Checks.checkLeading(r, 5, "lda", lda, n);
        EigenWorkspace min = minimumDsyevdWorkspace(job, n);
        String why = "jobz = '" + job + "', n = " + n;
        Checks.checkWork(r, 8, "lwork", lwork, min.lwork(), why);
        Checks.checkWork(r, 10, "liwork", liwork, min.liwork(), why);
        Checks.checkSegment(r, 4, "a", a, matrixElements(lda, n, n), unit, true);
        Checks.checkSegment(r, 6, "w", w, n, unit, true);
        Checks.checkSegment(r, 7, "work", work, lwork, unit, true);
        Checks.checkSegment(r, 9, "iwork", iwork, liwork, Checks.Unit.INT, true);
        if (n == 0) {
            return false;
        }
        Checks.checkFiniteTriangle(r, ul, n, a, lda, unit == Checks.Unit.FLOAT);
        return true;
    }

    /** Turns an xSYEVD INFO into the exception LAPACK's documentation gives it. */
    static void syevdInfo(String r, char job, int n, int info) {
        if (info != 0) {
            Checks.checkInfo(r, info, job == 'V'
                    ? "failed to compute an eigenvalue while working on the submatrix in rows and columns "
                            + (info / (n + 1)) + " through " + (info % (n + 1))
                    : info + " off-diagonal elements of an intermediate tridiagonal form did not converge to zero");
        }
    }

    @Override
    public final void dsyr(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        final String r = "DSYR";
        char ul = Checks.checkUplo(r, 1, uplo);
        Checks.checkOrder(r, 2, "n", n);
        Checks.checkIncrement(r, 5, "incx", incx);
        Checks.checkLeading(r, 7, "lda", lda, n);
        Checks.checkSegment(r, 4, "x", x, vectorElements(n, incx), Checks.Unit.DOUBLE, false);
        Checks.checkSegment(r, 6, "a", a, matrixElements(lda, n, n), Checks.Unit.DOUBLE, true);
        if (n == 0 || alpha == 0.0) {
            return;
        }
        dsyrKernel(ul, n, alpha, x, incx, a, lda);
    }

    @Override
    public final void dsymv(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                            double beta, MemorySegment y, int incy) {
        final String r = "DSYMV";
        char ul = Checks.checkUplo(r, 1, uplo);
        Checks.checkOrder(r, 2, "n", n);
        Checks.checkLeading(r, 5, "lda", lda, n);
        Checks.checkIncrement(r, 7, "incx", incx);
        Checks.checkIncrement(r, 10, "incy", incy);
        Checks.checkSegment(r, 4, "a", a, matrixElements(lda, n, n), Checks.Unit.DOUBLE, false);
        Checks.checkSegment(r, 6, "x", x, vectorElements(n, incx), Checks.Unit.DOUBLE, false);
        Checks.checkSegment(r, 9, "y", y, vectorElements(n, incy), Checks.Unit.DOUBLE, true);
        if (n == 0 || (alpha == 0.0 && beta == 1.0)) {
            return;
        }
        dsymvKernel(ul, n, alpha, a, lda, x, incx, beta, y, incy);
    }

    @Override
    public final void dgemv(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                            int incx, double beta, MemorySegment y, int incy) {
        final String r = "DGEMV";
        char t = Checks.checkTrans(r, 1, "trans", trans);
        Checks.checkOrder(r, 2, "m", m);
        Checks.checkOrder(r, 3, "n", n);
        Checks.checkLeading(r, 6, "lda", lda, m);
        Checks.checkIncrement(r, 8, "incx", incx);
        Checks.checkIncrement(r, 11, "incy", incy);
        int lenx = t == 'N' ? n : m;
        int leny = t == 'N' ? m : n;
        Checks.checkSegment(r, 5, "a", a, matrixElements(lda, m, n), Checks.Unit.DOUBLE, false);
        Checks.checkSegment(r, 7, "x", x, vectorElements(lenx, incx), Checks.Unit.DOUBLE, false);
        Checks.checkSegment(r, 10, "y", y, vectorElements(leny, incy), Checks.Unit.DOUBLE, true);
        if (m == 0 || n == 0 || (alpha == 0.0 && beta == 1.0)) {
            return;
        }
        dgemvKernel(t, m, n, alpha, a, lda, x, incx, beta, y, incy);
    }

    /** LAPACK's own workspace answer for jobz = 'V' (lwork = liwork = -1); n is already checked. */
    protected abstract EigenWorkspace queryDsyevdWorkspace(int n);

    /** DSYEVD on checked arguments, n &gt; 0, chars upper case; returns LAPACK's INFO. */
    protected abstract int dsyevdKernel(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                                        MemorySegment work, int lwork, MemorySegment iwork, int liwork);

    /** DSYR on checked arguments, n &gt; 0, alpha ≠ 0. */
    protected abstract void dsyrKernel(char uplo, int n, double alpha, MemorySegment x, int incx,
                                       MemorySegment a, int lda);

    /** DSYMV on checked arguments, n &gt; 0. */
    protected abstract void dsymvKernel(char uplo, int n, double alpha, MemorySegment a, int lda,
                                        MemorySegment x, int incx, double beta, MemorySegment y, int incy);

    /** DGEMV on checked arguments, m, n &gt; 0, trans 'N' or 'T'. */
    protected abstract void dgemvKernel(char trans, int m, int n, double alpha, MemorySegment a, int lda,
                                        MemorySegment x, int incx, double beta, MemorySegment y, int incy);

    /** Elements a column-major m×n matrix with leading dimension lda spans: lda·(n−1) + m. */
    public static long matrixElements(int lda, int m, int n) {
        return m == 0 || n == 0 ? 0 : (long) lda * (n - 1) + m;
    }

    /** Elements a strided vector of length n spans: 1 + (n−1)·|inc|. */
    public static long vectorElements(int n, int inc) {
        return n == 0 ? 0 : 1 + (long) (n - 1) * Math.abs((long) inc);
    }
}
