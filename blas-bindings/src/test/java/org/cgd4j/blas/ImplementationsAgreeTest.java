package org.cgd4j.blas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Native and pure-Java DSYEVD give the same eigenvalues (to 1e-12·n·‖A‖). */
class ImplementationsAgreeTest {

    @Test
    void nativeAndJavaEigenvaluesAgree() {
        LinearAlgebra nativeImpl;
        try {
            nativeImpl = LinearAlgebraProvider.nativeLibrary();
        } catch (IllegalStateException e) {
            assumeTrue(!"native".equals(System.getProperty(LinearAlgebraProvider.IMPLEMENTATION_PROPERTY)));
            assumeTrue(false, "no native BLAS/LAPACK: " + e.getMessage());
            return;
        }
        LinearAlgebra java = LinearAlgebraProvider.pureJava();
        for (TestMatrices.Kind kind : TestMatrices.Kind.values()) {
            for (int n : LinearAlgebraContract.SIZES) {
                double[] a = kind.build(n, new Random(7L * n + kind.ordinal()));
                double[] wn = LinearAlgebraContract.decompose(nativeImpl, a, n, 'L', 'V').values();
                double[] wj = LinearAlgebraContract.decompose(java, a, n, 'L', 'V').values();
                double tol = 1e-12 * Math.max(1, n) * TestMatrices.frobenius(a);
                for (int i = 0; i < n; i++) {
                    assertThat(Math.abs(wn[i] - wj[i])).as("%s n=%d eigenvalue %d: %s vs %s", kind, n, i, wn[i], wj[i])
                            .isLessThanOrEqualTo(tol);
                }
            }
        }
    }
}
