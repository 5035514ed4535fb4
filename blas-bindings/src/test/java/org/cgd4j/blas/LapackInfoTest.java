package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.internal.AbstractLinearAlgebra;
import org.junit.jupiter.api.Test;

/** LAPACK's INFO is always read: &gt; 0 throws {@link LapackException}, &lt; 0 names the parameter. */
class LapackInfoTest {

    /** A kernel that reports a fixed INFO, as a failing library would. */
    private static AbstractLinearAlgebra reporting(int info) {
        return new AbstractLinearAlgebra() {
            @Override public String name() { return "info " + info; }
            @Override protected EigenWorkspace queryDsyevdWorkspace(int n) { return minimumDsyevdWorkspace('V', n); }
            @Override protected int dsyevdKernel(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                                                 MemorySegment work, int lwork, MemorySegment iwork, int liwork) {
                return info;
            }
            @Override protected void dsyrKernel(char uplo, int n, double alpha, MemorySegment x, int incx,
                                                MemorySegment a, int lda) { }
            @Override protected void dsymvKernel(char uplo, int n, double alpha, MemorySegment a, int lda,
                                                 MemorySegment x, int incx, double beta, MemorySegment y, int incy) { }
            @Override protected void dgemvKernel(char trans, int m, int n, double alpha, MemorySegment a, int lda,
                                                 MemorySegment x, int incx, double beta, MemorySegment y, int incy) { }
        };
    }

    private static void dsyevd(LinearAlgebra la, char jobz) {
        int n = 4;
        try (Arena arena = Arena.ofConfined()) {
            EigenWorkspace ws = la.dsyevdWorkspace(n);
            la.dsyevd(jobz, 'L', n, arena.allocate(JAVA_DOUBLE, n * n), n, arena.allocate(JAVA_DOUBLE, n),
                    arena.allocate(JAVA_DOUBLE, ws.lwork()), ws.lwork(), arena.allocate(JAVA_INT, ws.liwork()), ws.liwork());
        }
    }

    @Test
    void positiveInfoIsNonConvergence() {
        // JOBZ = 'V': INFO = i encodes the failing submatrix as rows/columns i/(n+1) .. mod(i, n+1).
        assertThatThrownBy(() -> dsyevd(reporting(2 * 5 + 4), 'V')).isInstanceOfSatisfying(LapackException.class, e -> {
            assertThat(e.routine()).isEqualTo("DSYEVD");
            assertThat(e.info()).isEqualTo(14);
            assertThat(e.getMessage()).contains("rows and columns 2 through 4");
        });
        assertThatThrownBy(() -> dsyevd(reporting(3), 'N')).isInstanceOf(LapackException.class)
                .hasMessageContaining("3 off-diagonal elements");
    }

    @Test
    void negativeInfoNamesTheParameter() {
        assertThatThrownBy(() -> dsyevd(reporting(-5), 'V')).isInstanceOfSatisfying(BlasArgumentException.class,
                e -> assertThat(e.parameter()).isEqualTo(5))
                .hasMessageContaining("info = -5");
    }
}
