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
import org.cgd4j.blas.internal.AbstractLinearAlgebra;

/**
 * OpenBLAS (or any LP64 BLAS + LAPACK) through FFM downcalls to the Fortran entry points
 * {@code dsyevd_}, {@code dsyr_}, {@code dsymv_} and {@code dgemv_}.
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
public final class OpenBlasLinearAlgebra extends AbstractLinearAlgebra {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final String[] REQUIRED = {"dsyevd_", "dsyr_", "dsymv_", "dgemv_"};

    private final MethodHandle dsyevd;
    private final MethodHandle dsyr;
    private final MethodHandle dsymv;
    private final MethodHandle dgemv;
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
        threads = setThreads(lookup, requestedThreads);
    }

    /**
     * Binds the routines in {@code lookup}; throws {@link UnsupportedOperationException} naming what is
     * missing or unsafe (an ILP64 build would read our 32-bit INTEGERs as 64-bit ones).
     */
    static OpenBlasLinearAlgebra bind(SymbolLookup lookup, String library, int threads) {
        List<String> missing = new ArrayList<>();
        for (String symbol : REQUIRED) {
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

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
