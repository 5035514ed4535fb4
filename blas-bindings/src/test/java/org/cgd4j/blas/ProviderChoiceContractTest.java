package org.cgd4j.blas;

/** The contract against whatever the provider chose for this JVM (native, or Java when forced). */
class ProviderChoiceContractTest extends LinearAlgebraContract {
    @Override
    LinearAlgebra la() {
        return LinearAlgebraProvider.get();
    }
}
