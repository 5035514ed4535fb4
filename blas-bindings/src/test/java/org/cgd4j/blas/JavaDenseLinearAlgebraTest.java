package org.cgd4j.blas;

/** The BLAS-3 and QR contract against the pure-Java fallback. */
class JavaDenseLinearAlgebraTest extends DenseLinearAlgebraContract {
    @Override
    DenseLinearAlgebra dense() {
        return LinearAlgebraProvider.pureJava();
    }
}
