package org.cgd4j.engine.internal.full;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LapackException;
import org.cgd4j.blas.LinearAlgebra;

/**
 * Delegates to another implementation, except that one chosen DSYEVD call scribbles over its
 * outputs and then either throws (as LAPACK's info &gt; 0 does) or returns NaN eigenvectors.
 */
final class FaultyLinearAlgebra implements LinearAlgebra {
    enum Fault { THROW, NAN_VECTORS }

    private final LinearAlgebra delegate;
    private final Fault fault;
    private long failOnCall;
    private long calls;

    FaultyLinearAlgebra(LinearAlgebra delegate, Fault fault, long failOnCall) {
        this.delegate = delegate;
        this.fault = fault;
        this.failOnCall = failOnCall;
    }

    void failOnCall(long call) { failOnCall = call; }

    long calls() { return calls; }

    @Override public String name() { return "faulty " + delegate.name(); }

    @Override public EigenWorkspace dsyevdWorkspace(int n) { return delegate.dsyevdWorkspace(n); }

    @Override
    public void dsyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                       MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        calls++;
        if (calls != failOnCall) {
            delegate.dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
            return;
        }
        if (fault == Fault.THROW) {
            a.fill((byte) 0x7f); // a failed LAPACK call leaves its outputs undefined
            w.fill((byte) 0x7f);
            throw new LapackException("DSYEVD", 2, "injected: the algorithm failed to converge");
        }
        delegate.dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
        a.setAtIndex(ValueLayout.JAVA_DOUBLE, n / 2, Double.NaN);
    }

    @Override
    public void dsyr(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        delegate.dsyr(uplo, n, alpha, x, incx, a, lda);
    }

    @Override
    public void dsymv(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                      double beta, MemorySegment y, int incy) {
        delegate.dsymv(uplo, n, alpha, a, lda, x, incx, beta, y, incy);
    }

    @Override
    public void dgemv(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                      int incx, double beta, MemorySegment y, int incy) {
        delegate.dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
    }
}
