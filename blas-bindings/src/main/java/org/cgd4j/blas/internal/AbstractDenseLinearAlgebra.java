package org.cgd4j.blas.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.cgd4j.blas.BlasArgumentException;
import org.cgd4j.blas.BlasThreadScope;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.QrWorkspace;

/**
 * The BLAS-3, QR and single-precision eigen routines of {@link DenseLinearAlgebra}: every argument
 * checked once in the reference BLAS/LAPACK order and numbering, the reference quick returns taken,
 * then the implementation's kernel called. Kernels see only arguments LAPACK accepts, chars in upper
 * case ('C' already mapped to 'T'), and live, native, aligned, large-enough segments.
 */
public abstract class AbstractDenseLinearAlgebra extends AbstractLinearAlgebra implements DenseLinearAlgebra {
    private static final Checks.Unit D = Checks.Unit.DOUBLE;
    private static final Checks.Unit S = Checks.Unit.FLOAT;

    /** xGEQRF and xORGQR document no INFO &gt; 0; a library that returns one is reported as is. */
    private static final String NO_POSITIVE_INFO = "a positive INFO, which LAPACK does not document for this routine";

    private final Object threadLock = new Object();
    private int openScopes;
    private int savedThreads;

    // ---- GEMM ----

    @Override
    public final void dgemm(char transA, char transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
                            MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        checkGemm("DGEMM", D, transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0 || ((alpha == 0.0 || k == 0) && beta == 1.0)) {
            return;
        }
        if (alpha == 0.0 || k == 0) {
            scaleByBeta(false, 'F', m, n, beta, c, ldc);
            return;
        }
        dgemmKernel(Checks.op(transA), Checks.op(transB), m, n, k, alpha,
                a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public final void sgemm(char transA, char transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        checkGemm("SGEMM", S, transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0 || ((alpha == 0.0f || k == 0) && beta == 1.0f)) {
            return;
        }
        if (alpha == 0.0f || k == 0) {
            scaleByBeta(true, 'F', m, n, beta, c, ldc);
            return;
        }
        sgemmKernel(Checks.op(transA), Checks.op(transB), m, n, k, alpha,
                a, lda, b, ldb, beta, c, ldc);
    }

    /**
     * C ← beta·C on {@code part} of the m×n matrix C: 'F' all of it, 'L' or 'U' its triangle; beta = 0
     * writes zeros without reading (a NaN in C does not survive). The reference BLAS's path for alpha = 0
     * (GEMM, SYRK: also k = 0), taken here rather than left to the library, where A and B are not read:
     * OpenBLAS 0.3.21's small-matrix GEMM kernels for AVX-512 cores (Cooperlake, SkylakeX) multiply A·B
     * by alpha = 0 and so turn a NaN or infinity in A or B into NaN in C. The Java products start with it.
     */
    public static void scaleByBeta(boolean single, char part, int m, int n, double beta, MemorySegment c, int ldc) {
        if (beta == 1.0) {
            return;
        }
        for (int j = 0; j < n; j++) {
            int from = part == 'L' ? Math.min(j, m) : 0;
            int to = part == 'U' ? Math.min(j + 1, m) : m;
            long col = (long) j * ldc;
            for (int i = from; i < to; i++) {
                long at = col + i;
                if (single) {
                    c.setAtIndex(ValueLayout.JAVA_FLOAT, at, beta == 0.0 ? 0.0f : (float) (beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, at)));
                } else {
                    c.setAtIndex(ValueLayout.JAVA_DOUBLE, at, beta == 0.0 ? 0.0 : beta * c.getAtIndex(ValueLayout.JAVA_DOUBLE, at));
                }
            }
        }
    }

    private static void checkGemm(String r, Checks.Unit unit, char transA, char transB, int m, int n, int k,
                                  MemorySegment a, int lda, MemorySegment b, int ldb, MemorySegment c, int ldc) {
        char ta = Checks.checkTrans(r, 1, "transa", transA);
        char tb = Checks.checkTrans(r, 2, "transb", transB);
        Checks.checkOrder(r, 3, "m", m);
        Checks.checkOrder(r, 4, "n", n);
        Checks.checkOrder(r, 5, "k", k);
        int rowsA = ta == 'N' ? m : k;
        int rowsB = tb == 'N' ? k : n;
        Checks.checkLeading(r, 8, "lda", lda, rowsA);
        Checks.checkLeading(r, 10, "ldb", ldb, rowsB);
        Checks.checkLeading(r, 13, "ldc", ldc, m);
        Checks.checkSegment(r, 7, "a", a, matrixElements(lda, rowsA, ta == 'N' ? k : m), unit, false);
        Checks.checkSegment(r, 9, "b", b, matrixElements(ldb, rowsB, tb == 'N' ? n : k), unit, false);
        Checks.checkSegment(r, 12, "c", c, matrixElements(ldc, m, n), unit, true);
    }

    // ---- SYRK ----

    @Override
    public final void dsyrk(char uplo, char trans, int n, int k, double alpha, MemorySegment a, int lda, double beta,
                            MemorySegment c, int ldc) {
        checkSyrk("DSYRK", D, uplo, trans, n, k, a, lda, c, ldc);
        if (n == 0 || ((alpha == 0.0 || k == 0) && beta == 1.0)) {
            return;
        }
        if (alpha == 0.0 || k == 0) {
            scaleByBeta(false, Checks.upper(uplo), n, n, beta, c, ldc);
            return;
        }
        dsyrkKernel(Checks.upper(uplo), Checks.op(trans), n, k, alpha, a, lda, beta, c, ldc);
    }

    @Override
    public final void ssyrk(char uplo, char trans, int n, int k, float alpha, MemorySegment a, int lda, float beta,
                            MemorySegment c, int ldc) {
        checkSyrk("SSYRK", S, uplo, trans, n, k, a, lda, c, ldc);
        if (n == 0 || ((alpha == 0.0f || k == 0) && beta == 1.0f)) {
            return;
        }
        if (alpha == 0.0f || k == 0) {
            scaleByBeta(true, Checks.upper(uplo), n, n, beta, c, ldc);
            return;
        }
        ssyrkKernel(Checks.upper(uplo), Checks.op(trans), n, k, alpha, a, lda, beta, c, ldc);
    }

    private static void checkSyrk(String r, Checks.Unit unit, char uplo, char trans, int n, int k, MemorySegment a,
                                  int lda, MemorySegment c, int ldc) {
        Checks.checkUplo(r, 1, uplo);
        char t = Checks.checkTrans(r, 2, "trans", trans);
        Checks.checkOrder(r, 3, "n", n);
        Checks.checkOrder(r, 4, "k", k);
        int rowsA = t == 'N' ? n : k;
        Checks.checkLeading(r, 7, "lda", lda, rowsA);
        Checks.checkLeading(r, 10, "ldc", ldc, n);
        Checks.checkSegment(r, 6, "a", a, matrixElements(lda, rowsA, t == 'N' ? k : n), unit, false);
        Checks.checkSegment(r, 9, "c", c, matrixElements(ldc, n, n), unit, true);
    }

    // ---- SYMM ----

    @Override
    public final void dsymm(char side, char uplo, int m, int n, double alpha, MemorySegment a, int lda,
                            MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        char sd = checkSymm("DSYMM", D, side, uplo, m, n, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0 || (alpha == 0.0 && beta == 1.0)) {
            return;
        }
        if (alpha == 0.0) {
            scaleByBeta(false, 'F', m, n, beta, c, ldc);
            return;
        }
        dsymmKernel(sd, Checks.upper(uplo), m, n, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public final void ssymm(char side, char uplo, int m, int n, float alpha, MemorySegment a, int lda,
                            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        char sd = checkSymm("SSYMM", S, side, uplo, m, n, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0 || (alpha == 0.0f && beta == 1.0f)) {
            return;
        }
        if (alpha == 0.0f) {
            scaleByBeta(true, 'F', m, n, beta, c, ldc);
            return;
        }
        ssymmKernel(sd, Checks.upper(uplo), m, n, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static char checkSymm(String r, Checks.Unit unit, char side, char uplo, int m, int n, MemorySegment a,
                                  int lda, MemorySegment b, int ldb, MemorySegment c, int ldc) {
        char sd = Checks.upper(side);
        if (sd != 'L' && sd != 'R') {
            throw new BlasArgumentException(r, 1, "side = '" + side + "', expected 'L' or 'R'");
        }
        Checks.checkUplo(r, 2, uplo);
        Checks.checkOrder(r, 3, "m", m);
        Checks.checkOrder(r, 4, "n", n);
        int orderA = sd == 'L' ? m : n;
        Checks.checkLeading(r, 7, "lda", lda, orderA);
        Checks.checkLeading(r, 9, "ldb", ldb, m);
        Checks.checkLeading(r, 12, "ldc", ldc, m);
        Checks.checkSegment(r, 6, "a", a, matrixElements(lda, orderA, orderA), unit, false);
        Checks.checkSegment(r, 8, "b", b, matrixElements(ldb, m, n), unit, false);
        Checks.checkSegment(r, 11, "c", c, matrixElements(ldc, m, n), unit, true);
        return sd;
    }

    // ---- GEQRF / ORGQR ----

    @Override
    public final QrWorkspace dqrWorkspace(int m, int n) {
        return qrWorkspace("DGEQRF", false, m, n);
    }

    @Override
    public final QrWorkspace sqrWorkspace(int m, int n) {
        return qrWorkspace("SGEQRF", true, m, n);
    }

    private QrWorkspace qrWorkspace(String r, boolean single, int m, int n) {
        Checks.checkOrder(r, 1, "m", m);
        Checks.checkOrder(r, 2, "n", n);
        QrWorkspace ws = queryQrWorkspace(single, m, n);
        // Never below the minimum our own checks demand (a float WORK(1) may round a large size down).
        return new QrWorkspace(Math.max(ws.geqrf(), Math.max(1, n)), Math.max(ws.orgqr(), Math.max(1, Math.min(m, n))));
    }

    @Override
    public final void dgeqrf(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                             long lwork) {
        if (checkGeqrf("DGEQRF", D, m, n, a, lda, tau, work, lwork)) {
            Checks.checkInfo("DGEQRF", dgeqrfKernel(m, n, a, lda, tau, work, (int) lwork), NO_POSITIVE_INFO);
        }
    }

    @Override
    public final void sgeqrf(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                             long lwork) {
        if (checkGeqrf("SGEQRF", S, m, n, a, lda, tau, work, lwork)) {
            Checks.checkInfo("SGEQRF", sgeqrfKernel(m, n, a, lda, tau, work, (int) lwork), NO_POSITIVE_INFO);
        }
    }

    /** False when there is nothing to factor (min(m, n) = 0). */
    private static boolean checkGeqrf(String r, Checks.Unit unit, int m, int n, MemorySegment a, int lda,
                                      MemorySegment tau, MemorySegment work, long lwork) {
        Checks.checkOrder(r, 1, "m", m);
        Checks.checkOrder(r, 2, "n", n);
        Checks.checkLeading(r, 4, "lda", lda, m);
        Checks.checkWork(r, 7, "lwork", lwork, Math.max(1, n), "n = " + n);
        Checks.checkSegment(r, 3, "a", a, matrixElements(lda, m, n), unit, true);
        Checks.checkSegment(r, 5, "tau", tau, Math.min(m, n), unit, true);
        Checks.checkSegment(r, 6, "work", work, lwork, unit, true);
        return Math.min(m, n) > 0;
    }

    @Override
    public final void dorgqr(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                             long lwork) {
        if (checkOrgqr("DORGQR", D, m, n, k, a, lda, tau, work, lwork)) {
            Checks.checkInfo("DORGQR", dorgqrKernel(m, n, k, a, lda, tau, work, (int) lwork), NO_POSITIVE_INFO);
        }
    }

    @Override
    public final void sorgqr(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                             long lwork) {
        if (checkOrgqr("SORGQR", S, m, n, k, a, lda, tau, work, lwork)) {
            Checks.checkInfo("SORGQR", sorgqrKernel(m, n, k, a, lda, tau, work, (int) lwork), NO_POSITIVE_INFO);
        }
    }

    /** False when there is nothing to form (n = 0). */
    private static boolean checkOrgqr(String r, Checks.Unit unit, int m, int n, int k, MemorySegment a, int lda,
                                      MemorySegment tau, MemorySegment work, long lwork) {
        Checks.checkOrder(r, 1, "m", m);
        if (n < 0 || n > m) {
            throw new BlasArgumentException(r, 2, "n = " + n + (n < 0 ? " < 0" : " > m = " + m));
        }
        if (k < 0 || k > n) {
            throw new BlasArgumentException(r, 3, "k = " + k + (k < 0 ? " < 0" : " > n = " + n));
        }
        Checks.checkLeading(r, 5, "lda", lda, m);
        Checks.checkWork(r, 8, "lwork", lwork, Math.max(1, n), "n = " + n);
        Checks.checkSegment(r, 4, "a", a, matrixElements(lda, m, n), unit, true);
        Checks.checkSegment(r, 6, "tau", tau, k, unit, false);
        Checks.checkSegment(r, 7, "work", work, lwork, unit, true);
        return n > 0;
    }

    // ---- SSYEVD ----

    @Override
    public final EigenWorkspace ssyevdWorkspace(int n) {
        checkWorkspaceOrder("SSYEVD", n);
        return atLeastMinimum(querySsyevdWorkspace(n), n);
    }

    @Override
    public final void ssyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                             MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        final String r = "SSYEVD";
        char job = checkJobz(r, jobz);
        char ul = Checks.checkUplo(r, 2, uplo);
        if (checkSyevd(r, S, job, ul, n, a, lda, w, work, lwork, iwork, liwork)) {
            syevdInfo(r, job, n, ssyevdKernel(job, ul, n, a, lda, w, work, (int) lwork, iwork, (int) liwork));
        }
    }

    // ---- threads ----

    @Override
    public final int blasThreads() {
        return threadsKernel();
    }

    @Override
    public final BlasThreadScope singleThreaded() {
        synchronized (threadLock) {
            if (openScopes++ == 0) {
                savedThreads = threadsKernel();
                if (savedThreads != 1) {
                    setThreadsKernel(1);
                }
            }
        }
        return new BlasThreadScope() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (threadLock) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (--openScopes == 0 && savedThreads != 1) {
                        setThreadsKernel(savedThreads);
                    }
                }
            }
        };
    }

    // ---- kernels ----

    /** DGEMM on checked arguments: m, n &gt; 0, trans 'N' or 'T', not a quick return. */
    protected abstract void dgemmKernel(char transA, char transB, int m, int n, int k, double alpha, MemorySegment a,
                                        int lda, MemorySegment b, int ldb, double beta, MemorySegment c, int ldc);

    /** SGEMM on checked arguments, as {@link #dgemmKernel}. */
    protected abstract void sgemmKernel(char transA, char transB, int m, int n, int k, float alpha, MemorySegment a,
                                        int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc);

    /** DSYRK on checked arguments: n &gt; 0, uplo 'L' or 'U', trans 'N' or 'T', not a quick return. */
    protected abstract void dsyrkKernel(char uplo, char trans, int n, int k, double alpha, MemorySegment a, int lda,
                                        double beta, MemorySegment c, int ldc);

    /** SSYRK on checked arguments, as {@link #dsyrkKernel}. */
    protected abstract void ssyrkKernel(char uplo, char trans, int n, int k, float alpha, MemorySegment a, int lda,
                                        float beta, MemorySegment c, int ldc);

    /** DSYMM on checked arguments: m, n &gt; 0, side 'L' or 'R', uplo 'L' or 'U', not a quick return. */
    protected abstract void dsymmKernel(char side, char uplo, int m, int n, double alpha, MemorySegment a, int lda,
                                        MemorySegment b, int ldb, double beta, MemorySegment c, int ldc);

    /** SSYMM on checked arguments, as {@link #dsymmKernel}. */
    protected abstract void ssymmKernel(char side, char uplo, int m, int n, float alpha, MemorySegment a, int lda,
                                        MemorySegment b, int ldb, float beta, MemorySegment c, int ldc);

    /** LAPACK's own xGEQRF and xORGQR (n = k = min(m, n)) workspace answers; m, n checked. */
    protected abstract QrWorkspace queryQrWorkspace(boolean single, int m, int n);

    /** DGEQRF on checked arguments, min(m, n) &gt; 0; returns LAPACK's INFO. */
    protected abstract int dgeqrfKernel(int m, int n, MemorySegment a, int lda, MemorySegment tau,
                                        MemorySegment work, int lwork);

    /** SGEQRF on checked arguments, as {@link #dgeqrfKernel}. */
    protected abstract int sgeqrfKernel(int m, int n, MemorySegment a, int lda, MemorySegment tau,
                                        MemorySegment work, int lwork);

    /** DORGQR on checked arguments, m ≥ n &gt; 0, n ≥ k ≥ 0; returns LAPACK's INFO. */
    protected abstract int dorgqrKernel(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau,
                                        MemorySegment work, int lwork);

    /** SORGQR on checked arguments, as {@link #dorgqrKernel}. */
    protected abstract int sorgqrKernel(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau,
                                        MemorySegment work, int lwork);

    /** LAPACK's own SSYEVD workspace answer for jobz = 'V'; n is already checked. */
    protected abstract EigenWorkspace querySsyevdWorkspace(int n);

    /** SSYEVD on checked arguments, n &gt; 0, chars upper case; returns LAPACK's INFO. */
    protected abstract int ssyevdKernel(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                                        MemorySegment work, int lwork, MemorySegment iwork, int liwork);

    /** The library's current thread count per call (1 when it has no thread control). */
    protected abstract int threadsKernel();

    /** Sets the library's process-wide thread count (ignored when it has no thread control). */
    protected abstract void setThreadsKernel(int threads);
}
