package org.cgd4j.blas.internal.openblas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.function.IntSupplier;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.QrWorkspace;

/**
 * FFM downcalls to the Fortran BLAS-3 ({@code xGEMM}, {@code xSYRK}, {@code xSYMM}) and LAPACK
 * ({@code xGEQRF}, {@code xORGQR}, {@code SSYEVD}) entry points, D and S, for
 * {@link OpenBlasLinearAlgebra}. Same ABI as there: every argument by address from the calling
 * thread's {@link FortranScratch} (REAL scalars in their own float cells), one hidden {@code size_t}
 * length per CHARACTER argument. Arguments arrive checked.
 */
// Restricted FFM method (downcallHandle): the purpose of this class, granted by --enable-native-access.
@SuppressWarnings("restricted")
final class DenseRoutines {
    /** The symbols these routines need; {@link OpenBlasLinearAlgebra#bind} refuses a library without one. */
    static final List<String> SYMBOLS = List.of("dgemm_", "sgemm_", "dsyrk_", "ssyrk_", "dsymm_", "ssymm_",
            "dgeqrf_", "sgeqrf_", "dorgqr_", "sorgqr_", "ssyevd_");

    private static final Linker LINKER = Linker.nativeLinker();

    private final MethodHandle dgemm;
    private final MethodHandle sgemm;
    private final MethodHandle dsyrk;
    private final MethodHandle ssyrk;
    private final MethodHandle dsymm;
    private final MethodHandle ssymm;
    private final MethodHandle dgeqrf;
    private final MethodHandle sgeqrf;
    private final MethodHandle dorgqr;
    private final MethodHandle sorgqr;
    private final MethodHandle ssyevd;
    private final String library;

    DenseRoutines(SymbolLookup lookup, String library) {
        this.library = library;
        FunctionDescriptor gemm = FunctionDescriptor.ofVoid(addresses(13, 2));
        dgemm = handle(lookup, "dgemm_", gemm);
        sgemm = handle(lookup, "sgemm_", gemm);
        FunctionDescriptor syrk = FunctionDescriptor.ofVoid(addresses(10, 2));
        dsyrk = handle(lookup, "dsyrk_", syrk);
        ssyrk = handle(lookup, "ssyrk_", syrk);
        FunctionDescriptor symm = FunctionDescriptor.ofVoid(addresses(12, 2));
        dsymm = handle(lookup, "dsymm_", symm);
        ssymm = handle(lookup, "ssymm_", symm);
        FunctionDescriptor geqrf = FunctionDescriptor.ofVoid(addresses(8, 0));
        dgeqrf = handle(lookup, "dgeqrf_", geqrf);
        sgeqrf = handle(lookup, "sgeqrf_", geqrf);
        FunctionDescriptor orgqr = FunctionDescriptor.ofVoid(addresses(9, 0));
        dorgqr = handle(lookup, "dorgqr_", orgqr);
        sorgqr = handle(lookup, "sorgqr_", orgqr);
        ssyevd = handle(lookup, "ssyevd_", FunctionDescriptor.ofVoid(addresses(11, 2)));
    }

    void gemm(boolean single, char transA, char transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
              MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, transA);
        FortranScratch.putChar(s.char2, transB);
        FortranScratch.putInt(s.m, m);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.k, k);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.ldb, ldb);
        FortranScratch.putInt(s.ldc, ldc);
        MemorySegment al = scalar(s, single, true, alpha);
        MemorySegment be = scalar(s, single, false, beta);
        try {
            if (single) {
                sgemm.invokeExact(s.char1, s.char2, s.m, s.n, s.k, al, a, s.lda, b, s.ldb, be, c, s.ldc, 1L, 1L);
            } else {
                dgemm.invokeExact(s.char1, s.char2, s.m, s.n, s.k, al, a, s.lda, b, s.ldb, be, c, s.ldc, 1L, 1L);
            }
        } catch (Throwable t) {
            throw OpenBlasLinearAlgebra.rethrow(t);
        }
    }

    void syrk(boolean single, char uplo, char trans, int n, int k, double alpha, MemorySegment a, int lda,
              double beta, MemorySegment c, int ldc) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, uplo);
        FortranScratch.putChar(s.char2, trans);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.k, k);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.ldc, ldc);
        MemorySegment al = scalar(s, single, true, alpha);
        MemorySegment be = scalar(s, single, false, beta);
        try {
            if (single) {
                ssyrk.invokeExact(s.char1, s.char2, s.n, s.k, al, a, s.lda, be, c, s.ldc, 1L, 1L);
            } else {
                dsyrk.invokeExact(s.char1, s.char2, s.n, s.k, al, a, s.lda, be, c, s.ldc, 1L, 1L);
            }
        } catch (Throwable t) {
            throw OpenBlasLinearAlgebra.rethrow(t);
        }
    }

    void symm(boolean single, char side, char uplo, int m, int n, double alpha, MemorySegment a, int lda,
              MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, side);
        FortranScratch.putChar(s.char2, uplo);
        FortranScratch.putInt(s.m, m);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.ldb, ldb);
        FortranScratch.putInt(s.ldc, ldc);
        MemorySegment al = scalar(s, single, true, alpha);
        MemorySegment be = scalar(s, single, false, beta);
        try {
            if (single) {
                ssymm.invokeExact(s.char1, s.char2, s.m, s.n, al, a, s.lda, b, s.ldb, be, c, s.ldc, 1L, 1L);
            } else {
                dsymm.invokeExact(s.char1, s.char2, s.m, s.n, al, a, s.lda, b, s.ldb, be, c, s.ldc, 1L, 1L);
            }
        } catch (Throwable t) {
            throw OpenBlasLinearAlgebra.rethrow(t);
        }
    }

    int geqrf(boolean single, int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
              int lwork) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putInt(s.m, m);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.lwork, lwork);
        FortranScratch.putInt(s.info, 0);
        try {
            if (single) {
                sgeqrf.invokeExact(s.m, s.n, a, s.lda, tau, work, s.lwork, s.info);
            } else {
                dgeqrf.invokeExact(s.m, s.n, a, s.lda, tau, work, s.lwork, s.info);
            }
        } catch (Throwable t) {
            throw OpenBlasLinearAlgebra.rethrow(t);
        }
        return FortranScratch.getInt(s.info);
    }

    int orgqr(boolean single, int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
              int lwork) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putInt(s.m, m);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.k, k);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.lwork, lwork);
        FortranScratch.putInt(s.info, 0);
        try {
            if (single) {
                sorgqr.invokeExact(s.m, s.n, s.k, a, s.lda, tau, work, s.lwork, s.info);
            } else {
                dorgqr.invokeExact(s.m, s.n, s.k, a, s.lda, tau, work, s.lwork, s.info);
            }
        } catch (Throwable t) {
            throw OpenBlasLinearAlgebra.rethrow(t);
        }
        return FortranScratch.getInt(s.info);
    }

    /** LAPACK's workspace answers (lwork = -1) for xGEQRF on m×n and xORGQR with n = k = min(m, n). */
    QrWorkspace queryQr(boolean single, int m, int n) {
        int lda = Math.max(1, m);
        long geqrf = query(single, "GEQRF", () -> geqrf(single, m, n, FortranScratch.current().queryWork, lda,
                FortranScratch.current().queryWork, FortranScratch.current().queryWork, -1));
        int q = Math.min(m, n);
        long orgqr = query(single, "ORGQR", () -> orgqr(single, m, q, q, FortranScratch.current().queryWork, lda,
                FortranScratch.current().queryWork, FortranScratch.current().queryWork, -1));
        return new QrWorkspace(Math.max(1, geqrf), Math.max(1, orgqr));
    }

    int ssyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w, MemorySegment work,
               int lwork, MemorySegment iwork, int liwork) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, jobz);
        FortranScratch.putChar(s.char2, uplo);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.lwork, lwork);
        FortranScratch.putInt(s.liwork, liwork);
        FortranScratch.putInt(s.info, 0);
        try {
            ssyevd.invokeExact(s.char1, s.char2, s.n, a, s.lda, w, work, s.lwork, iwork, s.liwork, s.info, 1L, 1L);
        } catch (Throwable t) {
            throw OpenBlasLinearAlgebra.rethrow(t);
        }
        return FortranScratch.getInt(s.info);
    }

    /** LAPACK's SSYEVD workspace answer for jobz = 'V' (lwork = liwork = -1). */
    EigenWorkspace querySsyevd(int n) {
        FortranScratch s = FortranScratch.current();
        int info = ssyevd('V', 'L', n, s.queryWork, Math.max(1, n), s.queryWork, s.queryWork, -1, s.queryIwork, -1);
        if (info != 0) {
            throw new IllegalStateException("SSYEVD workspace query failed in " + library + ": info = " + info);
        }
        // A REAL WORK(1) rounds large sizes (to nearest, so possibly down): the caller raises it to the minimum.
        long lwork = (long) Math.ceil(FortranScratch.getFloat(s.queryWork));
        return new EigenWorkspace(Math.max(1, lwork), Math.max(1, FortranScratch.getInt(s.queryIwork)));
    }

    /** Runs a workspace query and reads WORK(1), a float for S routines. */
    private long query(boolean single, String routine, IntSupplier call) {
        int info = call.getAsInt();
        if (info != 0) {
            throw new IllegalStateException((single ? "S" : "D") + routine + " workspace query failed in " + library
                    + ": info = " + info);
        }
        MemorySegment w = FortranScratch.current().queryWork;
        return (long) Math.ceil(single ? FortranScratch.getFloat(w) : FortranScratch.getDouble(w));
    }

    /** The by-reference alpha or beta cell, written in the routine's precision. */
    private static MemorySegment scalar(FortranScratch s, boolean single, boolean alpha, double value) {
        if (single) {
            MemorySegment cell = alpha ? s.alphaFloat : s.betaFloat;
            FortranScratch.putFloat(cell, (float) value);
            return cell;
        }
        MemorySegment cell = alpha ? s.alpha : s.beta;
        FortranScratch.putDouble(cell, value);
        return cell;
    }

    private static MemoryLayout[] addresses(int pointers, int lengths) {
        MemoryLayout[] layouts = new MemoryLayout[pointers + lengths];
        for (int i = 0; i < layouts.length; i++) {
            layouts[i] = i < pointers ? ADDRESS : JAVA_LONG;
        }
        return layouts;
    }

    private static MethodHandle handle(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.find(symbol).orElseThrow(), descriptor);
    }
}
