package org.cgd4j.engine.internal.kronecker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.EigenWorkspace;

/**
 * Work buffers one thread needs to step KRONECKER blocks one after another, sized for the largest
 * block: the packed gradient X, two rotation outputs, a variance scratch, the overlaps O_L and O_R,
 * and the DSYEVD workspace (queried once for the largest side).
 */
final class KroneckerWork {
    final DenseLinearAlgebra la;
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
        lwork = ws.lwork();
        liwork = ws.liwork();
        work = arena.allocate(lwork * Double.BYTES, 64);
        iwork = arena.allocate(liwork * Integer.BYTES, 64);
        sq = arena.allocate(square, 64);
        sq2 = arena.allocate(square, 64);
        tau = arena.allocate(Math.max(1, maxSide) * (long) Double.BYTES, 64);
        org.cgd4j.blas.QrWorkspace qr = la.dqrWorkspace(Math.max(1, maxSide), Math.max(1, maxSide));
        lQrWork = Math.max(qr.geqrf(), qr.orgqr());
        qrWork = arena.allocate(lQrWork * Double.BYTES, 64);
    }

    /** Bytes of the work buffers for these sizes, LAPACK's workspace estimated by its documented minimum. */
    static long bytes(long maxBlock, int maxSide) {
        long n = Math.max(1, maxSide);
        return Double.BYTES * (4 * Math.max(1, maxBlock) + 4 * n * n + 1 + 6 * n + 2 * n * n + n + 64 * n)
                + Integer.BYTES * (3 + 5 * n);
    }
}
