package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The D and S routines through one door: tests build double[] matrices, store them in either
 * precision, call the routine of that precision and read the result back as doubles.
 */
enum Precision {
    DOUBLE(Math.ulp(1.0) / 2), FLOAT(Math.ulp(1.0f) / 2);

    /** Unit roundoff u: a correctly rounded operation has relative error ≤ u. */
    final double u;

    Precision(double u) {
        this.u = u;
    }

    /** The value as this precision stores it (a test's exact input). */
    double round(double v) {
        return this == FLOAT ? (float) v : v;
    }

    MemorySegment allocate(Arena arena, long count) {
        return this == FLOAT ? arena.allocate(JAVA_FLOAT, Math.max(1, count)) : arena.allocate(JAVA_DOUBLE, Math.max(1, count));
    }

    double get(MemorySegment s, long i) {
        return this == FLOAT ? s.getAtIndex(JAVA_FLOAT, i) : s.getAtIndex(JAVA_DOUBLE, i);
    }

    void set(MemorySegment s, long i, double v) {
        if (this == FLOAT) {
            s.setAtIndex(JAVA_FLOAT, i, (float) v);
        } else {
            s.setAtIndex(JAVA_DOUBLE, i, v);
        }
    }

    /**
     * A rows×cols column-major matrix in a segment with leading dimension ld; the ld − rows padding
     * rows hold {@code pad} (NaN: proves they are never read, or never written).
     */
    MemorySegment matrix(Arena arena, double[] a, int rows, int cols, int ld, double pad) {
        MemorySegment s = allocate(arena, (long) ld * cols);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < ld; i++) {
                set(s, i + (long) j * ld, i < rows ? a[i + j * rows] : pad);
            }
        }
        return s;
    }

    /** The rows×cols matrix back from a segment with leading dimension ld. */
    double[] read(MemorySegment s, int rows, int cols, int ld) {
        double[] r = new double[rows * cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                r[i + j * rows] = get(s, i + (long) j * ld);
            }
        }
        return r;
    }

    /** The padding rows of a segment made by {@link #matrix}: they must come back unchanged. */
    double[] padding(MemorySegment s, int rows, int cols, int ld) {
        double[] r = new double[(ld - rows) * cols];
        int at = 0;
        for (int j = 0; j < cols; j++) {
            for (int i = rows; i < ld; i++) {
                r[at++] = get(s, i + (long) j * ld);
            }
        }
        return r;
    }

    double[] roundAll(double[] a) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = round(r[i]);
        }
        return r;
    }

    void gemm(DenseLinearAlgebra la, char ta, char tb, int m, int n, int k, double alpha, MemorySegment a, int lda,
              MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        if (this == FLOAT) {
            la.sgemm(ta, tb, m, n, k, (float) alpha, a, lda, b, ldb, (float) beta, c, ldc);
        } else {
            la.dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    void syrk(DenseLinearAlgebra la, char uplo, char trans, int n, int k, double alpha, MemorySegment a, int lda,
              double beta, MemorySegment c, int ldc) {
        if (this == FLOAT) {
            la.ssyrk(uplo, trans, n, k, (float) alpha, a, lda, (float) beta, c, ldc);
        } else {
            la.dsyrk(uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
        }
    }

    void symm(DenseLinearAlgebra la, char side, char uplo, int m, int n, double alpha, MemorySegment a, int lda,
              MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        if (this == FLOAT) {
            la.ssymm(side, uplo, m, n, (float) alpha, a, lda, b, ldb, (float) beta, c, ldc);
        } else {
            la.dsymm(side, uplo, m, n, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    QrWorkspace qrWorkspace(DenseLinearAlgebra la, int m, int n) {
        return this == FLOAT ? la.sqrWorkspace(m, n) : la.dqrWorkspace(m, n);
    }

    void geqrf(DenseLinearAlgebra la, int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
               long lwork) {
        if (this == FLOAT) {
            la.sgeqrf(m, n, a, lda, tau, work, lwork);
        } else {
            la.dgeqrf(m, n, a, lda, tau, work, lwork);
        }
    }

    void orgqr(DenseLinearAlgebra la, int m, int n, int k, MemorySegment a, int lda, MemorySegment tau,
               MemorySegment work, long lwork) {
        if (this == FLOAT) {
            la.sorgqr(m, n, k, a, lda, tau, work, lwork);
        } else {
            la.dorgqr(m, n, k, a, lda, tau, work, lwork);
        }
    }

    EigenWorkspace syevdWorkspace(DenseLinearAlgebra la, int n) {
        return this == FLOAT ? la.ssyevdWorkspace(n) : la.dsyevdWorkspace(n);
    }

    void syevd(DenseLinearAlgebra la, char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
               MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        if (this == FLOAT) {
            la.ssyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
        } else {
            la.dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
        }
    }
}
