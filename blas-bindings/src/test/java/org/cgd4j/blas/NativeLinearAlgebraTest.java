package org.cgd4j.blas;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against the native library. Skipped when no library loads, unless the build requires
 * native BLAS ({@code -Dcgd4j.blas=native}): then loading fails the suite.
 */
class NativeLinearAlgebraTest extends LinearAlgebraContract {
    static LinearAlgebra nativeImpl;

    @BeforeAll
    static void load() {
        try {
            nativeImpl = LinearAlgebraProvider.nativeLibrary();
        } catch (IllegalStateException e) {
            if ("native".equals(System.getProperty(LinearAlgebraProvider.IMPLEMENTATION_PROPERTY))) {
                throw new AssertionError("native BLAS required (-Dcgd4j.blas=native) but: " + e.getMessage(), e);
            }
            assumeTrue(false, "no native BLAS/LAPACK: " + e.getMessage());
        }
    }

    @Override
    LinearAlgebra la() {
        return nativeImpl;
    }
}
