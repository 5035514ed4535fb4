package org.cgd4j.blas;

/** The contract against the pure-Java fallback. */
class JavaLinearAlgebraTest extends LinearAlgebraContract {
    @Override
    LinearAlgebra la() {
        return LinearAlgebraProvider.pureJava();
    }
}
