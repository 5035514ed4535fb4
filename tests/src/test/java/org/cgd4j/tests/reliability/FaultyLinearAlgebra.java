package org.cgd4j.tests.reliability;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LapackException;
import org.cgd4j.blas.LinearAlgebra;

/**
 * The real linear algebra with faults injected on demand: DSYEVD failing to converge, returning NaN,
 * throwing from "native" code, or blocking (to hold a step open while another thread tries to enter).
 */
final class FaultyLinearAlgebra implements LinearAlgebra {
    enum Fault { NONE, NO_CONVERGENCE, NAN_EIGENVALUES, NAN_EIGENVECTORS, CRASH, BLOCK, DGEMV_CRASH }

    private final LinearAlgebra real;
    volatile Fault fault = Fault.NONE;
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(1);

    FaultyLinearAlgebra(LinearAlgebra real) {
        this.real = real;
    }

    @Override public String name() { return "faulty(" + real.name() + ")"; }

    @Override public EigenWorkspace dsyevdWorkspace(int n) { return real.dsyevdWorkspace(n); }

    @Override
    public void dsyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                       MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        switch (fault) {
            case NO_CONVERGENCE -> throw new LapackException("DSYEVD", n, "injected: failed to converge");
            case CRASH -> throw new IllegalStateException("injected: already closed (as a native call on a dead segment would report)");
            case BLOCK -> {
                entered.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test never released the blocked dsyevd");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            default -> { }
        }
        real.dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
        if (fault == Fault.NAN_EIGENVALUES) {
            w.setAtIndex(ValueLayout.JAVA_DOUBLE, n / 2, Double.NaN);
        } else if (fault == Fault.NAN_EIGENVECTORS) {
            a.setAtIndex(ValueLayout.JAVA_DOUBLE, 0, Double.NaN);
        }
    }

    @Override
    public void dsyr(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        real.dsyr(uplo, n, alpha, x, incx, a, lda);
    }

    @Override
    public void dsymv(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                      double beta, MemorySegment y, int incy) {
        real.dsymv(uplo, n, alpha, a, lda, x, incx, beta, y, incy);
    }

    @Override
    public void dgemv(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                      int incx, double beta, MemorySegment y, int incy) {
        if (fault == Fault.DGEMV_CRASH) {
            throw new IllegalStateException("injected: dgemv failed");
        }
        real.dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
    }
}
