package org.cgd4j.blas;

import java.util.List;
import java.util.Optional;

/**
 * What {@link LinearAlgebraProvider} chose and why: printed by {@code cgd4j doctor}.
 *
 * @param implementation  the active implementation's {@link LinearAlgebra#name()}
 * @param isNative        true when the routines run in a native library through FFM
 * @param library         the shared library file actually mapped (native only)
 * @param openblasConfig  {@code openblas_get_config()} when the library has it
 * @param threads         the OpenBLAS thread count in effect (0 when the library cannot set it or
 *                        the implementation is pure Java)
 * @param attempts        every lookup step, in order
 * @param fallbackReason  why the pure-Java implementation runs (empty when native is active)
 */
public record LinearAlgebraReport(String implementation, boolean isNative, Optional<String> library,
                                  Optional<String> openblasConfig, int threads,
                                  List<LibraryAttempt> attempts, Optional<String> fallbackReason) {
    public LinearAlgebraReport {
        attempts = List.copyOf(attempts);
    }
}
