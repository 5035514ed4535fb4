package org.cgd4j.engine.internal.kronecker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.EigenWorkspace;

/**
 * Work buffers one thread needs to step KRONECKER blocks one after another, sized for the largest
 * block: the packed gradient X, two rotation outputs, a variance scratch, the overlaps O_L and O_R,
 * and the SYEVD and QR workspaces (queried once for the largest side, in both precisions).
 *
 * <p>Buffers are sized in doubles; float state uses their first half. The BLAS/LAPACK calls of a
 * block go through this class, which picks the D or S routine by the group's precision
 * ({@link #single}), so a block's code is written once for both.
 */
final class KroneckerWork {
    final DenseLinearAlgebra la;
    /** Float state (S routines on float segments), else double. Set by the group before its first step. */
    boolean single;
    final MemorySegment x, t, u, x2, ol, or;
    final MemorySegment work, iwork;
    final long lwork, liwork;
    /** The QR refresh: S·Q, then Q', a second product, the Householder scalars and LAPACK's workspace. */
    final MemorySegment sq, sq2, tau, qrWork;
    final long lQrWork;

    KroneckerWork(DenseLinearAlgebra la, Arena arena, long maxBlock, int maxSide) {
        this.la = la;
        long bytes = Math.max(1, maxBlock) * Double.BYTES;
        x = arena.allocate(bytes, 64);
        t = arena.allocate(bytes, 64);
        u = arena.allocate(bytes, 64);
        x2 = arena.allocate(bytes, 64);
        long square = Math.max(1, (long) maxSide * maxSide) * Double.BYTES;
        ol = arena.allocate(square, 64);
        or = arena.allocate(square, 64);
        EigenWorkspace ws = la.dsyevdWorkspace(Math.max(1, maxSide));
        EigenWorkspace wsFloat = la.ssyevdWorkspace(Math.max(1, maxSide));
        lwork = Math.max(ws.lwork(), wsFloat.lwork()); // in elements: double-sized, so enough for either
        liwork = Math.max(ws.liwork(), wsFloat.liwork());
        work = arena.allocate(lwork * Double.BYTES, 64);
        iwork = arena.allocate(liwork * Integer.BYTES, 64);
        sq = arena.allocate(square, 64);
        sq2 = arena.allocate(square, 64);
        tau = arena.allocate(Math.max(1, maxSide) * (long) Double.BYTES, 64);
        org.cgd4j.blas.QrWorkspace qr = la.dqrWorkspace(Math.max(1, maxSide), Math.max(1, maxSide));
        org.cgd4j.blas.QrWorkspace qrFloat = la.sqrWorkspace(Math.max(1, maxSide), Math.max(1, maxSide));
        lQrWork = Math.max(Math.max(qr.geqrf(), qr.orgqr()), Math.max(qrFloat.geqrf(), qrFloat.orgqr()));
        qrWork = arena.allocate(lQrWork * Double.BYTES, 64);
    }

    /** Bytes of the work buffers for these sizes, LAPACK's workspace estimated by its documented minimum. */
    static long bytes(long maxBlock, int maxSide) {
        long n = Math.max(1, maxSide);
        return Double.BYTES * (4 * Math.max(1, maxBlock) + 4 * n * n + 1 + 6 * n + 2 * n * n + n + 64 * n)
                + Integer.BYTES * (3 + 5 * n);
    }

    /** Bytes of one element of the state: 4 for float, 8 for double. */
    int elementBytes() { return single ? Float.BYTES : Double.BYTES; }

    void gemm(char transA, char transB, int m, int n, int k, MemorySegment a, int lda, MemorySegment b, int ldb,
              MemorySegment c, int ldc) {
        if (single) {
            la.sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
        } else {
            la.dgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, ldc);
        }
    }

    /** C ← alpha·op(A)·op(A)ᵀ + beta·C; float state takes alpha and beta rounded to float (the kernels' β2F). */
    void syrk(char trans, int n, int k, double alpha, MemorySegment a, int lda, double beta, MemorySegment c, int ldc) {
        if (single) {
            la.ssyrk('L', trans, n, k, (float) alpha, a, lda, (float) beta, c, ldc);
        } else {
            la.dsyrk('L', trans, n, k, alpha, a, lda, beta, c, ldc);
        }
    }

    /** C ← S·B with S symmetric (its lower triangle), n × n. */
    void symm(int n, MemorySegment s, MemorySegment b, MemorySegment c) {
        if (single) {
            la.ssymm('L', 'L', n, n, 1f, s, n, b, n, 0f, c, n);
        } else {
            la.dsymm('L', 'L', n, n, 1, s, n, b, n, 0, c, n);
        }
    }

    /** The n × n matrix a overwritten by the Q of its QR factorisation (GEQRF, then ORGQR). */
    void orthonormalise(int n, MemorySegment a) {
        if (single) {
            la.sgeqrf(n, n, a, n, tau, qrWork, lQrWork);
            la.sorgqr(n, n, n, a, n, tau, qrWork, lQrWork);
        } else {
            la.dgeqrf(n, n, a, n, tau, qrWork, lQrWork);
            la.dorgqr(n, n, n, a, n, tau, qrWork, lQrWork);
        }
    }

    /** Eigenvalues into w (ascending) and eigenvectors over a (lower triangle read): SYEVD. */
    void syevd(int n, MemorySegment a, MemorySegment w) {
        if (single) {
            la.ssyevd('V', 'L', n, a, n, w, work, lwork, iwork, liwork);
        } else {
            la.dsyevd('V', 'L', n, a, n, w, work, lwork, iwork, liwork);
        }
    }
}
