package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native library and the pure-Java fallback give the same GEMM/SYRK results (within the sum of
 * their error bounds), the same R of a QR factorisation (both use LAPACK's reflector sign
 * convention, so R agrees entry by entry, not just up to signs) and the same SSYEVD eigenvalues, on
 * odd sizes in both precisions.
 */
class DenseImplementationsAgreeTest {
    private static DenseLinearAlgebra nativeImpl;
    private static final DenseLinearAlgebra JAVA = LinearAlgebraProvider.pureJava();
    private static final int[] SIZES = {1, 3, 17, 65, 100};

    @BeforeAll
    static void load() {
        try {
            nativeImpl = LinearAlgebraProvider.nativeLibrary();
        } catch (IllegalStateException e) {
            assumeTrue(!"native".equals(System.getProperty(LinearAlgebraProvider.IMPLEMENTATION_PROPERTY)));
            assumeTrue(false, "no native BLAS/LAPACK: " + e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gemmAndSyrkAgree(Precision p) {
        for (int n : SIZES) {
            int m = n + 2;
            int k = 2 * n + 1;
            double[] a = p.roundAll(TestMatrices.random(k, m, new Random(n)));
            double[] b = p.roundAll(TestMatrices.random(k, n, new Random(n + 1)));
            double[] viaNative = products(nativeImpl, p, a, b, m, n, k);
            double[] viaJava = products(JAVA, p, a, b, m, n, k);
            // |entries| ≤ 1, so each product entry is bounded by k; both are within 2(k+3)·u·k of exact.
            double tol = 4 * (k + 3) * p.u * k;
            for (int i = 0; i < viaNative.length; i++) {
                if (Double.isNaN(viaNative[i])) {
                    assertThat(viaJava[i]).as("n=%d untouched entry %d", n, i).isNaN();
                } else {
                    assertThat(Math.abs(viaNative[i] - viaJava[i])).as("n=%d entry %d", n, i).isLessThanOrEqualTo(tol);
                }
            }
        }
    }

    /** [Aᵀ·B (m×n) ; lower triangle of Aᵀ·A (m×m), NaN above]. */
    private static double[] products(DenseLinearAlgebra la, Precision p, double[] a, double[] b, int m, int n, int k) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = p.matrix(arena, a, k, m, k, 0);
            MemorySegment sb = p.matrix(arena, b, k, n, k, 0);
            MemorySegment c = p.allocate(arena, (long) m * n);
            p.gemm(la, 'T', 'N', m, n, k, 1.0, sa, k, sb, k, 0.0, c, m);
            MemorySegment s = p.matrix(arena, nanMatrix(m), m, m, m, Double.NaN);
            p.syrk(la, 'L', 'T', m, k, 1.0, sa, k, 0.0, s, m);
            double[] ab = p.read(c, m, n, m);
            double[] aa = p.read(s, m, m, m);
            double[] all = new double[ab.length + aa.length];
            System.arraycopy(ab, 0, all, 0, ab.length);
            System.arraycopy(aa, 0, all, ab.length, aa.length);
            return all;
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void qrGivesTheSameR(Precision p) {
        for (int n : SIZES) {
            int m = n + 5;
            double[] a = p.roundAll(TestMatrices.random(m, n, new Random(40 + n)));
            double[] rNative = factor(nativeImpl, p, a, m, n);
            double[] rJava = factor(JAVA, p, a, m, n);
            double tol = 20 * m * p.u * TestMatrices.frobenius(a);
            for (int i = 0; i < rNative.length; i++) {
                assertThat(Math.abs(rNative[i] - rJava[i])).as("n=%d R entry %d", n, i).isLessThanOrEqualTo(tol);
            }
        }
    }

    private static double[] factor(DenseLinearAlgebra la, Precision p, double[] a, int m, int n) {
        try (Arena arena = Arena.ofConfined()) {
            QrWorkspace ws = p.qrWorkspace(la, m, n);
            MemorySegment sa = p.matrix(arena, a, m, n, m, 0);
            MemorySegment tau = p.allocate(arena, n);
            MemorySegment work = p.allocate(arena, ws.lwork());
            p.geqrf(la, m, n, sa, m, tau, work, ws.lwork());
            double[] f = p.read(sa, m, n, m);
            double[] r = new double[n * n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i <= j; i++) {
                    r[i + j * n] = f[i + j * m];
                }
            }
            return r;
        }
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = "FLOAT")
    void ssyevdEigenvaluesAgree(Precision p) {
        for (int n : SIZES) {
            double[] a = p.roundAll(TestMatrices.spd(n, new Random(60 + n)));
            double[] wNative = eigenvalues(nativeImpl, a, n);
            double[] wJava = eigenvalues(JAVA, a, n);
            double tol = 40 * n * p.u * TestMatrices.frobenius(a);
            for (int i = 0; i < n; i++) {
                assertThat(Math.abs(wNative[i] - wJava[i])).as("n=%d eigenvalue %d", n, i).isLessThanOrEqualTo(tol);
            }
        }
    }

    private static double[] eigenvalues(DenseLinearAlgebra la, double[] a, int n) {
        Precision p = Precision.FLOAT;
        try (Arena arena = Arena.ofConfined()) {
            EigenWorkspace ws = la.ssyevdWorkspace(n);
            MemorySegment sa = p.matrix(arena, a, n, n, n, 0);
            MemorySegment w = p.allocate(arena, n);
            la.ssyevd('V', 'L', n, sa, n, w, p.allocate(arena, ws.lwork()), ws.lwork(),
                    arena.allocate(JAVA_INT, ws.liwork()), ws.liwork());
            return p.read(w, n, 1, n);
        }
    }

    private static double[] nanMatrix(int n) {
        double[] r = new double[n * n];
        java.util.Arrays.fill(r, Double.NaN);
        return r;
    }
}
