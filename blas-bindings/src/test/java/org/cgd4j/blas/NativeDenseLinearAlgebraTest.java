package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;
import org.cgd4j.blas.internal.openblas.OpenBlasLinearAlgebra;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BLAS-3 and QR contract against the native library (skipped without one unless
 * {@code -Dcgd4j.blas=native} requires it), and the thread scope against OpenBLAS' real count.
 */
class NativeDenseLinearAlgebraTest extends DenseLinearAlgebraContract {
    static DenseLinearAlgebra nativeImpl;

    @BeforeAll
    static void load() {
        NativeLinearAlgebraTest.load();
        nativeImpl = LinearAlgebraProvider.nativeLibrary();
    }

    @Override
    DenseLinearAlgebra dense() {
        return nativeImpl;
    }

    /** With OpenBLAS at 2 threads, a scope drops it to 1 and its close restores 2. */
    @Test
    @SuppressWarnings("restricted") // the test sets OpenBLAS' count behind the binding's back
    void scopeRestoresAThreadCountAboveOne() throws Throwable {
        OpenBlasLinearAlgebra lib = (OpenBlasLinearAlgebra) nativeImpl;
        SymbolLookup lookup = SymbolLookup.libraryLookup(Path.of(lib.library()), Arena.global());
        Optional<java.lang.foreign.MemorySegment> set = lookup.find("openblas_set_num_threads");
        org.junit.jupiter.api.Assumptions.assumeTrue(set.isPresent(), "no OpenBLAS thread control");
        MethodHandle setThreads = Linker.nativeLinker().downcallHandle(set.get(), FunctionDescriptor.ofVoid(JAVA_INT));
        int original = nativeImpl.blasThreads();
        try {
            setThreads.invokeExact(2);
            assertThat(nativeImpl.blasThreads()).isEqualTo(2);
            try (BlasThreadScope _ = nativeImpl.singleThreaded()) {
                assertThat(nativeImpl.blasThreads()).isEqualTo(1);
            }
            assertThat(nativeImpl.blasThreads()).isEqualTo(2);
        } finally {
            setThreads.invokeExact(original);
        }
    }
}
