package org.cgd4j.blas.internal.openblas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.QrWorkspace;
import org.cgd4j.blas.internal.AbstractDenseLinearAlgebra;

/**
 * OpenBLAS (or any LP64 BLAS + LAPACK) through FFM downcalls to the Fortran entry points
 * {@code dsyevd_}, {@code dsyr_}, {@code dsymv_} and {@code dgemv_}, and (through {@link DenseRoutines}) the
 * BLAS-3 and QR routines in double and float.
 *
 * <p>Why Fortran and not LAPACKE/CBLAS: every LAPACK implementation exports the Fortran symbols
 * (OpenBLAS, reference LAPACK, MKL's compatibility layer), LAPACKE is a separate package, and
 * LAPACKE_dsyevd would allocate its own workspace. Fortran ABI (gfortran, LP64): every argument by
 * address ({@link FortranScratch} holds the scalars), INTEGER is 32-bit, and each CHARACTER argument
 * adds a hidden {@code size_t} length after the last argument; we always pass 1. OpenBLAS' C-written
 * BLAS ignores those trailing lengths, which is harmless in the SysV calling convention.
 */
// Restricted FFM methods (libraryLookup, downcallHandle, reinterpret) are this class's purpose; the
// user grants them with --enable-native-access=org.cgd4j.blas.
@SuppressWarnings("restricted")
public final class OpenBlasLinearAlgebra extends AbstractDenseLinearAlgebra {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final String[] REQUIRED = {"dsyevd_", "dsyr_", "dsymv_", "dgemv_"};

    private final MethodHandle dsyevd;
    private final MethodHandle dsyr;
    private final MethodHandle dsymv;
    private final MethodHandle dgemv;
    private final DenseRoutines dense;
    private final MethodHandle getThreads;
    private final MethodHandle setThreads;
    private final String library;
    private final Optional<String> config;
    private final int threads;

    private OpenBlasLinearAlgebra(SymbolLookup lookup, String library, Optional<String> config, int requestedThreads) {
        this.library = library;
        this.config = config;
        dsyevd = handle(lookup, "dsyevd_", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
        dsyr = handle(lookup, "dsyr_", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, JAVA_LONG));
        dsymv = handle(lookup, "dsymv_", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        dgemv = handle(lookup, "dgemv_", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        dense = new DenseRoutines(lookup, library);
        getThreads = lookup.find("openblas_get_num_threads")
                .map(f -> LINKER.downcallHandle(f, FunctionDescriptor.of(JAVA_INT))).orElse(null);
        setThreads = lookup.find("openblas_set_num_threads")
                .map(f -> LINKER.downcallHandle(f, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
        threads = setThreads(lookup, requestedThreads);
    }

    /**
     * Binds the routines in {@code lookup}; throws {@link UnsupportedOperationException} naming what is
     * missing or unsafe (an ILP64 build would read our 32-bit INTEGERs as 64-bit ones).
     */
    static OpenBlasLinearAlgebra bind(SymbolLookup lookup, String library, int threads) {
        List<String> missing = new ArrayList<>();
        List<String> required = new ArrayList<>(List.of(REQUIRED));
        required.addAll(DenseRoutines.SYMBOLS);
        for (String symbol : required) {
            if (lookup.find(symbol).isEmpty()) {
                missing.add(symbol);
            }
        }
        if (!missing.isEmpty()) {
            throw new UnsupportedOperationException("missing symbols " + missing);
        }
        Optional<String> config = openblasConfig(lookup);
        if (config.isPresent() && config.get().contains("USE64BITINT")) {
            throw new UnsupportedOperationException("ILP64 build (64-bit INTEGER), cgd4j needs LP64: " + config.get());
        }
        return new OpenBlasLinearAlgebra(lookup, library, config, threads);
    }

    @Override
    public String name() {
        return config.isPresent() ? "OpenBLAS (FFM)" : "LAPACK (FFM)";
    }

    /** The mapped library file. */
    public String library() {
        return library;
    }

    /** {@code openblas_get_config()}, when the library is OpenBLAS. */
    public Optional<String> config() {
        return config;
    }

    /** The OpenBLAS thread count in effect, 0 when the library has no thread control. */
    public int threads() {
        return threads;
    }

    @Override
    protected EigenWorkspace queryDsyevdWorkspace(int n) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, 'V');
        FortranScratch.putChar(s.char2, 'L');
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.lda, Math.max(1, n));
        FortranScratch.putInt(s.lwork, -1);
        FortranScratch.putInt(s.liwork, -1);
        FortranScratch.putInt(s.info, 0);
        try {
            dsyevd.invokeExact(s.char1, s.char2, s.n, s.queryWork, s.lda, s.queryWork, s.queryWork, s.lwork,
                    s.queryIwork, s.liwork, s.info, 1L, 1L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        int info = FortranScratch.getInt(s.info);
        if (info != 0) {
            throw new IllegalStateException("DSYEVD workspace query failed in " + library + ": info = " + info);
        }
        long lwork = (long) Math.ceil(FortranScratch.getDouble(s.queryWork));
        long liwork = FortranScratch.getInt(s.queryIwork);
        return new EigenWorkspace(Math.max(1, lwork), Math.max(1, liwork));
    }

    @Override
    protected int dsyevdKernel(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                               MemorySegment work, int lwork, MemorySegment iwork, int liwork) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, jobz);
        FortranScratch.putChar(s.char2, uplo);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.lwork, lwork);
        FortranScratch.putInt(s.liwork, liwork);
        FortranScratch.putInt(s.info, 0);
        try {
            dsyevd.invokeExact(s.char1, s.char2, s.n, a, s.lda, w, work, s.lwork, iwork, s.liwork, s.info, 1L, 1L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return FortranScratch.getInt(s.info);
    }

    @Override
    protected void dsyrKernel(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, uplo);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putDouble(s.alpha, alpha);
        FortranScratch.putInt(s.incx, incx);
        FortranScratch.putInt(s.lda, lda);
        try {
            dsyr.invokeExact(s.char1, s.n, s.alpha, x, s.incx, a, s.lda, 1L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    protected void dsymvKernel(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                               double beta, MemorySegment y, int incy) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, uplo);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putDouble(s.alpha, alpha);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.incx, incx);
        FortranScratch.putDouble(s.beta, beta);
        FortranScratch.putInt(s.incy, incy);
        try {
            dsymv.invokeExact(s.char1, s.n, s.alpha, a, s.lda, x, s.incx, s.beta, y, s.incy, 1L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    protected void dgemvKernel(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                               int incx, double beta, MemorySegment y, int incy) {
        FortranScratch s = FortranScratch.current();
        FortranScratch.putChar(s.char1, trans);
        FortranScratch.putInt(s.m, m);
        FortranScratch.putInt(s.n, n);
        FortranScratch.putDouble(s.alpha, alpha);
        FortranScratch.putInt(s.lda, lda);
        FortranScratch.putInt(s.incx, incx);
        FortranScratch.putDouble(s.beta, beta);
        FortranScratch.putInt(s.incy, incy);
        try {
            dgemv.invokeExact(s.char1, s.m, s.n, s.alpha, a, s.lda, x, s.incx, s.beta, y, s.incy, 1L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    protected void dgemmKernel(char transA, char transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        dense.gemm(false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    protected void sgemmKernel(char transA, char transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        dense.gemm(true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    protected void dsyrkKernel(char uplo, char trans, int n, int k, double alpha, MemorySegment a, int lda,
                               double beta, MemorySegment c, int ldc) {
        dense.syrk(false, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
    }

    @Override
    protected void ssyrkKernel(char uplo, char trans, int n, int k, float alpha, MemorySegment a, int lda,
                               float beta, MemorySegment c, int ldc) {
        dense.syrk(true, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
    }

    @Override
    protected void dsymmKernel(char side, char uplo, int m, int n, double alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        dense.symm(false, side, uplo, m, n, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    protected void ssymmKernel(char side, char uplo, int m, int n, float alpha, MemorySegment a, int lda,
                               MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        dense.symm(true, side, uplo, m, n, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    protected QrWorkspace queryQrWorkspace(boolean single, int m, int n) {
        return dense.queryQr(single, m, n);
    }

    @Override
    protected int dgeqrfKernel(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        return dense.geqrf(false, m, n, a, lda, tau, work, lwork);
    }

    @Override
    protected int sgeqrfKernel(int m, int n, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        return dense.geqrf(true, m, n, a, lda, tau, work, lwork);
    }

    @Override
    protected int dorgqrKernel(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        return dense.orgqr(false, m, n, k, a, lda, tau, work, lwork);
    }

    @Override
    protected int sorgqrKernel(int m, int n, int k, MemorySegment a, int lda, MemorySegment tau, MemorySegment work,
                               int lwork) {
        return dense.orgqr(true, m, n, k, a, lda, tau, work, lwork);
    }

    @Override
    protected EigenWorkspace querySsyevdWorkspace(int n) {
        return dense.querySsyevd(n);
    }

    @Override
    protected int ssyevdKernel(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                               MemorySegment work, int lwork, MemorySegment iwork, int liwork) {
        return dense.ssyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
    }

    @Override
    protected int threadsKernel() {
        if (getThreads == null) {
            return 1;
        }
        try {
            return (int) getThreads.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    protected void setThreadsKernel(int count) {
        if (setThreads == null) {
            return;
        }
        try {
            setThreads.invokeExact(count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle handle(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.find(symbol).orElseThrow(), descriptor);
    }

    private static Optional<String> openblasConfig(SymbolLookup lookup) {
        Optional<MemorySegment> symbol = lookup.find("openblas_get_config");
        if (symbol.isEmpty()) {
            return Optional.empty();
        }
        try {
            MemorySegment text = (MemorySegment) LINKER.downcallHandle(symbol.get(), FunctionDescriptor.of(ADDRESS))
                    .invokeExact();
            // A static NUL-terminated string: widen the zero-length segment just enough to read it.
            return text.equals(MemorySegment.NULL) ? Optional.empty()
                    : Optional.of(text.reinterpret(4096).getString(0).strip());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sets and reads back the OpenBLAS thread count; 0 when the library has no such control. */
    private static int setThreads(SymbolLookup lookup, int threads) {
        Optional<MemorySegment> set = lookup.find("openblas_set_num_threads");
        if (set.isEmpty()) {
            return 0;
        }
        try {
            LINKER.downcallHandle(set.get(), FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(threads);
            Optional<MemorySegment> get = lookup.find("openblas_get_num_threads");
            if (get.isEmpty()) {
                return threads;
            }
            return (int) LINKER.downcallHandle(get.get(), FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
