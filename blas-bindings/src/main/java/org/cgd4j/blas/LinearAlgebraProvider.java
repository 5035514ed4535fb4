package org.cgd4j.blas;

/**
 * Chooses the {@link LinearAlgebra} implementation once per JVM: forced by system property, else
 * OpenBLAS/LAPACK through FFM, else the pure-Java fallback. (Placeholder until the bindings land.)
 */
public final class LinearAlgebraProvider {
    private LinearAlgebraProvider() {}

    /** The active implementation. */
    public static LinearAlgebra get() {
        throw new UnsupportedOperationException("blas-bindings not implemented yet");
    }
}
