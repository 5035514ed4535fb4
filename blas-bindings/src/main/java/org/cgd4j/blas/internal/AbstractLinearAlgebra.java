package org.cgd4j.blas.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.cgd4j.blas.BlasArgumentException;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LapackException;
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

    private static final long DOUBLE_BYTES = Double.BYTES;
    private static final long INT_BYTES = Integer.BYTES;

    /** The minimum DSYEVD workspace, exactly as LAPACK computes LWMIN and LIWMIN. */
    public static EigenWorkspace minimumDsyevdWorkspace(char jobz, int n) {
        if (n <= 1) {
            return new EigenWorkspace(1, 1);
        }
        if (upper(jobz) == 'V') {
            return new EigenWorkspace(1 + 6L * n + 2L * n * n, 3 + 5L * n);
        }
        return new EigenWorkspace(2L * n + 1, 1);
    }

    @Override
    public final EigenWorkspace dsyevdWorkspace(int n) {
        if (n < 0 || n > MAX_DSYEVD_N) {
            throw new BlasArgumentException("DSYEVD", 3, "n = " + n + (n < 0 ? " < 0" : " > " + MAX_DSYEVD_N
                    + " (workspace would overflow 32-bit LAPACK INTEGER)"));
        }
        EigenWorkspace ws = queryDsyevdWorkspace(n);
        EigenWorkspace min = minimumDsyevdWorkspace('V', n);
        // A library reporting less than LAPACK's documented minimum would make our own check refuse it.
        return new EigenWorkspace(Math.max(ws.lwork(), min.lwork()), Math.max(ws.liwork(), min.liwork()));
    }

    @Override
    public final void dsyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                             MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        final String r = "DSYEVD";
        char job = upper(jobz);
        if (job != 'V' && job != 'N') {
            throw new BlasArgumentException(r, 1, "jobz = '" + jobz + "', expected 'V' or 'N'");
        }
        char ul = checkUplo(r, 2, uplo);
        if (n < 0 || n > MAX_DSYEVD_N) {
            throw new BlasArgumentException(r, 3, "n = " + n + (n < 0 ? " < 0" : " > " + MAX_DSYEVD_N));
        }
        checkLeading(r, 5, "lda", lda, n);
        EigenWorkspace min = minimumDsyevdWorkspace(job, n);
        if (lwork < min.lwork() || lwork > Integer.MAX_VALUE) {
            throw new BlasArgumentException(r, 8, "lwork = " + lwork + ", needs " + min.lwork()
                    + " <= lwork <= " + Integer.MAX_VALUE + " for jobz = '" + job + "', n = " + n);
        }
        if (liwork < min.liwork() || liwork > Integer.MAX_VALUE) {
            throw new BlasArgumentException(r, 10, "liwork = " + liwork + ", needs " + min.liwork()
                    + " <= liwork <= " + Integer.MAX_VALUE + " for jobz = '" + job + "', n = " + n);
        }
        checkSegment(r, 4, "a", a, matrixElements(lda, n, n), DOUBLE_BYTES, true);
        checkSegment(r, 6, "w", w, n, DOUBLE_BYTES, true);
        checkSegment(r, 7, "work", work, lwork, DOUBLE_BYTES, true);
        checkSegment(r, 9, "iwork", iwork, liwork, INT_BYTES, true);
        if (n == 0) {
            return;
        }
        checkFiniteTriangle(r, ul, n, a, lda);
        int info = dsyevdKernel(job, ul, n, a, lda, w, work, (int) lwork, iwork, (int) liwork);
        if (info != 0) {
            checkInfo(r, info, job == 'V'
                    ? "failed to compute an eigenvalue while working on the submatrix in rows and columns "
                            + (info / (n + 1)) + " through " + (info % (n + 1))
                    : info + " off-diagonal elements of an intermediate tridiagonal form did not converge to zero");
        }
    }

    @Override
    public final void dsyr(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        final String r = "DSYR";
        char ul = checkUplo(r, 1, uplo);
        checkOrder(r, 2, "n", n);
        checkIncrement(r, 5, "incx", incx);
        checkLeading(r, 7, "lda", lda, n);
        checkSegment(r, 4, "x", x, vectorElements(n, incx), DOUBLE_BYTES, false);
        checkSegment(r, 6, "a", a, matrixElements(lda, n, n), DOUBLE_BYTES, true);
        if (n == 0 || alpha == 0.0) {
            return;
        }
        dsyrKernel(ul, n, alpha, x, incx, a, lda);
    }

    @Override
    public final void dsymv(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                            double beta, MemorySegment y, int incy) {
        final String r = "DSYMV";
        char ul = checkUplo(r, 1, uplo);
        checkOrder(r, 2, "n", n);
        checkLeading(r, 5, "lda", lda, n);
        checkIncrement(r, 7, "incx", incx);
        checkIncrement(r, 10, "incy", incy);
        checkSegment(r, 4, "a", a, matrixElements(lda, n, n), DOUBLE_BYTES, false);
        checkSegment(r, 6, "x", x, vectorElements(n, incx), DOUBLE_BYTES, false);
        checkSegment(r, 9, "y", y, vectorElements(n, incy), DOUBLE_BYTES, true);
        if (n == 0 || (alpha == 0.0 && beta == 1.0)) {
            return;
        }
        dsymvKernel(ul, n, alpha, a, lda, x, incx, beta, y, incy);
    }

    @Override
    public final void dgemv(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                            int incx, double beta, MemorySegment y, int incy) {
        final String r = "DGEMV";
        char t = upper(trans);
        if (t == 'C') {
            t = 'T'; // real matrices: conjugate transpose is the transpose, as in the reference BLAS
        }
        if (t != 'N' && t != 'T') {
            throw new BlasArgumentException(r, 1, "trans = '" + trans + "', expected 'N', 'T' or 'C'");
        }
        checkOrder(r, 2, "m", m);
        checkOrder(r, 3, "n", n);
        checkLeading(r, 6, "lda", lda, m);
        checkIncrement(r, 8, "incx", incx);
        checkIncrement(r, 11, "incy", incy);
        int lenx = t == 'N' ? n : m;
        int leny = t == 'N' ? m : n;
        checkSegment(r, 5, "a", a, matrixElements(lda, m, n), DOUBLE_BYTES, false);
        checkSegment(r, 7, "x", x, vectorElements(lenx, incx), DOUBLE_BYTES, false);
        checkSegment(r, 10, "y", y, vectorElements(leny, incy), DOUBLE_BYTES, true);
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

    private static char upper(char c) {
        return Character.toUpperCase(c);
    }

    private static char checkUplo(String routine, int position, char uplo) {
        char u = upper(uplo);
        if (u != 'L' && u != 'U') {
            throw new BlasArgumentException(routine, position, "uplo = '" + uplo + "', expected 'L' or 'U'");
        }
        return u;
    }

    private static void checkOrder(String routine, int position, String name, int value) {
        if (value < 0) {
            throw new BlasArgumentException(routine, position, name + " = " + value + " < 0");
        }
    }

    private static void checkLeading(String routine, int position, String name, int ld, int rows) {
        if (ld < Math.max(1, rows)) {
            throw new BlasArgumentException(routine, position,
                    name + " = " + ld + " < max(1, " + rows + ") = " + Math.max(1, rows));
        }
    }

    private static void checkIncrement(String routine, int position, String name, int inc) {
        if (inc == 0) {
            throw new BlasArgumentException(routine, position, name + " = 0");
        }
    }

    /**
     * A segment a kernel may use: alive, accessible from this thread, native (the FFM linker cannot
     * pass heap memory to a long-running native call), aligned, writable when written, and spanning
     * at least {@code elements} values.
     */
    private static void checkSegment(String routine, int position, String name, MemorySegment s, long elements,
                                     long elementBytes, boolean written) {
        if (s == null) {
            throw new BlasArgumentException(routine, position, name + " is null");
        }
        if (!s.scope().isAlive()) {
            throw new IllegalStateException("parameter " + position + " of " + routine + ": the arena of "
                    + name + " is already closed");
        }
        if (!s.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("parameter " + position + " of " + routine + ": " + name
                    + " belongs to a confined arena of another thread");
        }
        if (!s.isNative()) {
            throw new BlasArgumentException(routine, position, name + " is a heap segment; pass an off-heap"
                    + " (Arena-allocated) segment");
        }
        if (s.address() % elementBytes != 0) {
            throw new BlasArgumentException(routine, position, name + " at address 0x"
                    + Long.toHexString(s.address()) + " is not aligned to " + elementBytes + " bytes");
        }
        if (written && s.isReadOnly()) {
            throw new BlasArgumentException(routine, position, name + " is read-only but is written");
        }
        long needed = elements * elementBytes;
        if (s.byteSize() < needed) {
            throw new BlasArgumentException(routine, position, name + " holds " + s.byteSize() / elementBytes
                    + (elementBytes == INT_BYTES ? " ints" : " doubles") + ", needs " + elements);
        }
    }

    /** LAPACK's DSYEVD may loop or return garbage on NaN/Inf input; refuse it (O(n²), cheap next to O(n³)). */
    private static void checkFiniteTriangle(String routine, char uplo, int n, MemorySegment a, int lda) {
        for (int j = 0; j < n; j++) {
            int from = uplo == 'L' ? j : 0;
            int to = uplo == 'L' ? n : j + 1;
            long col = (long) j * lda;
            for (int i = from; i < to; i++) {
                double v = a.getAtIndex(ValueLayout.JAVA_DOUBLE, col + i);
                if (!Double.isFinite(v)) {
                    throw new BlasArgumentException(routine, 4, "a(" + (i + 1) + "," + (j + 1) + ") = " + v
                            + " (the matrix must be finite)");
                }
            }
        }
    }

    private static void checkInfo(String routine, int info, String failure) {
        if (info < 0) {
            // Our checks mirror LAPACK's, so this means the library disagrees with them: say so plainly.
            throw new BlasArgumentException(routine, -info, "reported by the library (info = " + info + ")");
        }
        if (info > 0) {
            throw new LapackException(routine, info, failure);
        }
    }
}
