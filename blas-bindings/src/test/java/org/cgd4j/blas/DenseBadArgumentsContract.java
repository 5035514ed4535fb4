package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every parameter of GEMM, SYRK, SYMM, GEQRF, ORGQR and SSYEVD refused with the reference BLAS/LAPACK
 * numbering, before anything is written (the output keeps its sentinel); the reference quick returns
 * (alpha = 0 reads neither A nor B; beta = 0 overwrites a NaN); the thread scope.
 */
abstract class DenseBadArgumentsContract {

    /** The implementation under test. */
    abstract DenseLinearAlgebra dense();

    private static final double SENTINEL = 42.0;

    /** Runs {@code call} and asserts it is refused as parameter {@code parameter} of {@code routine}, c untouched. */
    static void assertRefused(Precision p, String routine, int parameter, MemorySegment c, long count,
                              ThrowingCallable call) {
        BadArgumentsContract.assertRefused(routine, parameter, call);
        for (long i = 0; i < count; i++) {
            assertThat(p.get(c, i)).as("%s: output element %d unchanged", routine, i).isEqualTo(SENTINEL);
        }
    }

    static MemorySegment filled(Arena arena, Precision p, long count) {
        MemorySegment s = p.allocate(arena, count);
        for (long i = 0; i < count; i++) {
            p.set(s, i, SENTINEL);
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gemmRefusesEachBadParameter(Precision p) {
        String r = p == Precision.FLOAT ? "SGEMM" : "DGEMM";
        int m = 4;
        int n = 3;
        int k = 2;
        DenseLinearAlgebra la = dense();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = filled(arena, p, m * k);
            MemorySegment b = filled(arena, p, k * n);
            MemorySegment c = filled(arena, p, m * n);
            long cc = m * n;
            assertRefused(p, r, 1, c, cc, () -> p.gemm(la, 'X', 'N', m, n, k, 1, a, m, b, k, 0, c, m));
            assertRefused(p, r, 2, c, cc, () -> p.gemm(la, 'N', 'X', m, n, k, 1, a, m, b, k, 0, c, m));
            assertRefused(p, r, 3, c, cc, () -> p.gemm(la, 'N', 'N', -1, n, k, 1, a, m, b, k, 0, c, m));
            assertRefused(p, r, 4, c, cc, () -> p.gemm(la, 'N', 'N', m, -1, k, 1, a, m, b, k, 0, c, m));
            assertRefused(p, r, 5, c, cc, () -> p.gemm(la, 'N', 'N', m, n, -1, 1, a, m, b, k, 0, c, m));
            assertRefused(p, r, 7, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, a.asSlice(8), m, b, k, 0, c, m));
            assertRefused(p, r, 7, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, null, m, b, k, 0, c, m));
            assertRefused(p, r, 8, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, a, m - 1, b, k, 0, c, m));
            assertRefused(p, r, 8, c, cc, () -> p.gemm(la, 'T', 'N', m, n, k, 1, a, k - 1, b, k, 0, c, m));
            assertRefused(p, r, 9, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, a, m, b.asSlice(8), k, 0, c, m));
            assertRefused(p, r, 10, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, a, m, b, k - 1, 0, c, m));
            assertRefused(p, r, 10, c, cc, () -> p.gemm(la, 'N', 'T', m, n, k, 1, a, m, b, n - 1, 0, c, m));
            assertRefused(p, r, 12, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, a, m, b, k, 0, c.asReadOnly(), m));
            assertRefused(p, r, 12, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, a, m, b, k, 0, c.asSlice(8), m));
            assertRefused(p, r, 13, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, a, m, b, k, 0, c, m - 1));
            // heap memory cannot be passed to native code
            MemorySegment heap = p == Precision.FLOAT ? MemorySegment.ofArray(new float[m * k])
                    : MemorySegment.ofArray(new double[m * k]);
            assertRefused(p, r, 7, c, cc, () -> p.gemm(la, 'N', 'N', m, n, k, 1, heap, m, b, k, 0, c, m));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void syrkRefusesEachBadParameter(Precision p) {
        String r = p == Precision.FLOAT ? "SSYRK" : "DSYRK";
        int n = 3;
        int k = 5;
        DenseLinearAlgebra la = dense();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = filled(arena, p, n * k);
            MemorySegment c = filled(arena, p, n * n);
            long cc = n * n;
            assertRefused(p, r, 1, c, cc, () -> p.syrk(la, 'X', 'N', n, k, 1, a, n, 0, c, n));
            assertRefused(p, r, 2, c, cc, () -> p.syrk(la, 'L', 'X', n, k, 1, a, n, 0, c, n));
            assertRefused(p, r, 3, c, cc, () -> p.syrk(la, 'L', 'N', -1, k, 1, a, n, 0, c, n));
            assertRefused(p, r, 4, c, cc, () -> p.syrk(la, 'L', 'N', n, -1, 1, a, n, 0, c, n));
            assertRefused(p, r, 6, c, cc, () -> p.syrk(la, 'L', 'N', n, k, 1, a.asSlice(8), n, 0, c, n));
            assertRefused(p, r, 7, c, cc, () -> p.syrk(la, 'L', 'N', n, k, 1, a, n - 1, 0, c, n));
            assertRefused(p, r, 7, c, cc, () -> p.syrk(la, 'L', 'T', n, k, 1, a, k - 1, 0, c, n));
            assertRefused(p, r, 9, c, cc, () -> p.syrk(la, 'L', 'N', n, k, 1, a, n, 0, c.asSlice(8), n));
            assertRefused(p, r, 10, c, cc, () -> p.syrk(la, 'L', 'N', n, k, 1, a, n, 0, c, n - 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void symmRefusesEachBadParameter(Precision p) {
        String r = p == Precision.FLOAT ? "SSYMM" : "DSYMM";
        int m = 3;
        int n = 4;
        DenseLinearAlgebra la = dense();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = filled(arena, p, n * n);
            MemorySegment b = filled(arena, p, m * n);
            MemorySegment c = filled(arena, p, m * n);
            long cc = m * n;
            assertRefused(p, r, 1, c, cc, () -> p.symm(la, 'X', 'L', m, n, 1, a, m, b, m, 0, c, m));
            assertRefused(p, r, 2, c, cc, () -> p.symm(la, 'L', 'X', m, n, 1, a, m, b, m, 0, c, m));
            assertRefused(p, r, 3, c, cc, () -> p.symm(la, 'L', 'L', -1, n, 1, a, m, b, m, 0, c, m));
            assertRefused(p, r, 4, c, cc, () -> p.symm(la, 'L', 'L', m, -1, 1, a, m, b, m, 0, c, m));
            assertRefused(p, r, 6, c, cc, () -> p.symm(la, 'R', 'L', m, n, 1, a.asSlice(8), n, b, m, 0, c, m));
            assertRefused(p, r, 7, c, cc, () -> p.symm(la, 'L', 'L', m, n, 1, a, m - 1, b, m, 0, c, m));
            assertRefused(p, r, 7, c, cc, () -> p.symm(la, 'R', 'L', m, n, 1, a, n - 1, b, m, 0, c, m));
            assertRefused(p, r, 8, c, cc, () -> p.symm(la, 'L', 'L', m, n, 1, a, m, b.asSlice(8), m, 0, c, m));
            assertRefused(p, r, 9, c, cc, () -> p.symm(la, 'L', 'L', m, n, 1, a, m, b, m - 1, 0, c, m));
            assertRefused(p, r, 11, c, cc, () -> p.symm(la, 'L', 'L', m, n, 1, a, m, b, m, 0, c.asSlice(8), m));
            assertRefused(p, r, 12, c, cc, () -> p.symm(la, 'L', 'L', m, n, 1, a, m, b, m, 0, c, m - 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void geqrfAndOrgqrRefuseEachBadParameter(Precision p) {
        String geqrf = p == Precision.FLOAT ? "SGEQRF" : "DGEQRF";
        String orgqr = p == Precision.FLOAT ? "SORGQR" : "DORGQR";
        int m = 5;
        int n = 3;
        DenseLinearAlgebra la = dense();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = filled(arena, p, m * n);
            MemorySegment tau = filled(arena, p, n);
            MemorySegment work = filled(arena, p, n);
            long ca = m * n;
            assertRefused(p, geqrf, 1, a, ca, () -> p.geqrf(la, -1, n, a, m, tau, work, n));
            assertRefused(p, geqrf, 2, a, ca, () -> p.geqrf(la, m, -1, a, m, tau, work, n));
            assertRefused(p, geqrf, 3, a, ca, () -> p.geqrf(la, m, n, a.asSlice(8), m, tau, work, n));
            assertRefused(p, geqrf, 3, a, ca, () -> p.geqrf(la, m, n, a.asReadOnly(), m, tau, work, n));
            assertRefused(p, geqrf, 4, a, ca, () -> p.geqrf(la, m, n, a, m - 1, tau, work, n));
            assertRefused(p, geqrf, 5, a, ca, () -> p.geqrf(la, m, n, a, m, tau.asSlice(8), work, n));
            assertRefused(p, geqrf, 6, a, ca, () -> p.geqrf(la, m, n, a, m, tau, work.asSlice(8), n));
            assertRefused(p, geqrf, 7, a, ca, () -> p.geqrf(la, m, n, a, m, tau, work, n - 1));
            assertRefused(p, geqrf, 7, a, ca, () -> p.geqrf(la, m, n, a, m, tau, work, 1L << 32));
            assertRefused(p, orgqr, 1, a, ca, () -> p.orgqr(la, -1, n, n, a, m, tau, work, n));
            assertRefused(p, orgqr, 2, a, ca, () -> p.orgqr(la, m, -1, 0, a, m, tau, work, n));
            assertRefused(p, orgqr, 2, a, ca, () -> p.orgqr(la, 2, n, n, a, m, tau, work, n));
            assertRefused(p, orgqr, 3, a, ca, () -> p.orgqr(la, m, n, -1, a, m, tau, work, n));
            assertRefused(p, orgqr, 3, a, ca, () -> p.orgqr(la, m, n, n + 1, a, m, tau, work, n));
            assertRefused(p, orgqr, 4, a, ca, () -> p.orgqr(la, m, n, n, a.asSlice(8), m, tau, work, n));
            assertRefused(p, orgqr, 5, a, ca, () -> p.orgqr(la, m, n, n, a, m - 1, tau, work, n));
            assertRefused(p, orgqr, 6, a, ca, () -> p.orgqr(la, m, n, n, a, m, tau.asSlice(8), work, n));
            assertRefused(p, orgqr, 7, a, ca, () -> p.orgqr(la, m, n, n, a, m, tau, work.asSlice(8), n));
            assertRefused(p, orgqr, 8, a, ca, () -> p.orgqr(la, m, n, n, a, m, tau, work, n - 1));
            BadArgumentsContract.assertRefused(geqrf, 1, () -> p.qrWorkspace(la, -1, n));
            BadArgumentsContract.assertRefused(geqrf, 2, () -> p.qrWorkspace(la, m, -1));
        }
    }

    @Test
    void ssyevdRefusesEachBadParameter() {
        Precision p = Precision.FLOAT;
        int n = 3;
        DenseLinearAlgebra la = dense();
        try (Arena arena = Arena.ofConfined()) {
            EigenWorkspace ws = la.ssyevdWorkspace(n);
            MemorySegment a = filled(arena, p, n * n);
            MemorySegment w = p.allocate(arena, n);
            MemorySegment work = p.allocate(arena, ws.lwork());
            MemorySegment iwork = arena.allocate(JAVA_INT, ws.liwork());
            long lw = ws.lwork();
            long liw = ws.liwork();
            long ca = n * n;
            String r = "SSYEVD";
            assertRefused(p, r, 1, a, ca, () -> la.ssyevd('X', 'L', n, a, n, w, work, lw, iwork, liw));
            assertRefused(p, r, 2, a, ca, () -> la.ssyevd('V', 'X', n, a, n, w, work, lw, iwork, liw));
            assertRefused(p, r, 3, a, ca, () -> la.ssyevd('V', 'L', -1, a, n, w, work, lw, iwork, liw));
            assertRefused(p, r, 4, a, ca, () -> la.ssyevd('V', 'L', n, a.asSlice(4), n, w, work, lw, iwork, liw));
            assertRefused(p, r, 5, a, ca, () -> la.ssyevd('V', 'L', n, a, n - 1, w, work, lw, iwork, liw));
            assertRefused(p, r, 6, a, ca, () -> la.ssyevd('V', 'L', n, a, n, w.asSlice(4), work, lw, iwork, liw));
            assertRefused(p, r, 7, a, ca, () -> la.ssyevd('V', 'L', n, a, n, w, work.asSlice(4), lw, iwork, liw));
            assertRefused(p, r, 8, a, ca, () -> la.ssyevd('V', 'L', n, a, n, w, work, 1 + 6 * n + 2 * n * n - 1,
                    iwork, liw));
            assertRefused(p, r, 9, a, ca, () -> la.ssyevd('V', 'L', n, a, n, w, work, lw, iwork.asSlice(4), liw));
            assertRefused(p, r, 10, a, ca, () -> la.ssyevd('V', 'L', n, a, n, w, work, lw, iwork, 3 + 5 * n - 1));
            a.setAtIndex(JAVA_FLOAT, 1, Float.NaN);
            BadArgumentsContract.assertRefused(r, 4, () -> la.ssyevd('V', 'L', n, a, n, w, work, lw, iwork, liw));
            BadArgumentsContract.assertRefused(r, 3, () -> la.ssyevdWorkspace(-1));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void quickReturnsFollowTheReferenceBlas(Precision p) {
        DenseLinearAlgebra la = dense();
        int m = 3;
        int n = 2;
        int k = 4;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nanA = p.matrix(arena, nan(m * k), m, k, m, Double.NaN);
            MemorySegment nanB = p.matrix(arena, nan(k * n), k, n, k, Double.NaN);
            // alpha = 0, beta = 1: nothing is read or written
            MemorySegment c = filled(arena, p, m * n);
            p.gemm(la, 'N', 'N', m, n, k, 0, nanA, m, nanB, k, 1, c, m);
            assertThat(p.read(c, m, n, m)).containsOnly(SENTINEL);
            // alpha = 0, beta = 2: C scaled, A and B not read
            p.gemm(la, 'N', 'N', m, n, k, 0, nanA, m, nanB, k, 2, c, m);
            assertThat(p.read(c, m, n, m)).containsOnly(2 * SENTINEL);
            // k = 0: C ← beta·C
            p.gemm(la, 'N', 'N', m, n, 0, 1, nanA, m, nanB, 1, 0.5, c, m);
            assertThat(p.read(c, m, n, m)).containsOnly(SENTINEL);
            // beta = 0 overwrites a NaN in C
            MemorySegment ones = p.matrix(arena, fill(m * k, 1), m, k, m, 1);
            MemorySegment nanC = p.matrix(arena, nan(m * n), m, n, m, Double.NaN);
            p.gemm(la, 'N', 'N', m, n, k, 1, ones, m, ones, k, 0, nanC, m);
            assertThat(p.read(nanC, m, n, m)).containsOnly((double) k);
            MemorySegment nanS = p.matrix(arena, nan(m * m), m, m, m, Double.NaN);
            p.syrk(la, 'L', 'N', m, k, 1, ones, m, 0, nanS, m);
            assertThat(p.get(nanS, 0)).isEqualTo(k);
            assertThat(p.get(nanS, m)).as("upper triangle untouched").isNaN();
            // SYRK with alpha = 0 or k = 0: only C's triangle scaled by beta, A not read
            MemorySegment s3 = filled(arena, p, m * m);
            p.syrk(la, 'L', 'N', m, k, 0, nanA, m, 3, s3, m);
            assertThat(p.get(s3, 0)).isEqualTo(3 * SENTINEL);
            assertThat(p.get(s3, m)).as("upper triangle untouched").isEqualTo(SENTINEL);
            p.syrk(la, 'U', 'N', m, 0, 1, nanA, m, 0, s3, m);
            assertThat(p.get(s3, m)).as("beta = 0 writes zeros").isEqualTo(0);
            assertThat(p.get(s3, 1)).as("lower triangle untouched").isEqualTo(3 * SENTINEL);
            // SYMM with alpha = 0: C ← beta·C, A and B not read; beta = 0 overwrites a NaN in C
            MemorySegment nanA3 = p.matrix(arena, nan(m * m), m, m, m, Double.NaN);
            MemorySegment nanC2 = p.matrix(arena, nan(m * n), m, n, m, Double.NaN);
            p.symm(la, 'L', 'L', m, n, 0, nanA3, m, nanB, m, 0, nanC2, m);
            assertThat(p.read(nanC2, m, n, m)).containsOnly(0.0);
            // m = 0 / n = 0: nothing to do, whatever the other sizes
            p.gemm(la, 'N', 'N', 0, n, k, 1, nanA, 1, nanB, k, 0, c, 1);
            p.symm(la, 'L', 'L', m, 0, 1, nanA, m, nanB, m, 0, c, m);
            assertThat(p.read(c, m, n, m)).containsOnly(SENTINEL);
        }
    }

    @Test
    void singleThreadedScopeSetsOneThreadAndRestoresTheCount() {
        DenseLinearAlgebra la = dense();
        int before = la.blasThreads();
        assertThat(before).isGreaterThanOrEqualTo(1);
        BlasThreadScope outer = la.singleThreaded();
        assertThat(la.blasThreads()).isEqualTo(1);
        try (BlasThreadScope _ = la.singleThreaded()) {
            assertThat(la.blasThreads()).isEqualTo(1);
        }
        assertThat(la.blasThreads()).as("still inside the outer scope").isEqualTo(1);
        outer.close();
        outer.close(); // a second close is harmless
        assertThat(la.blasThreads()).isEqualTo(before);
    }

    @Test
    void closedArenaIsRefusedBeforeAnyNativeCall() {
        Arena arena = Arena.ofConfined();
        MemorySegment dead = arena.allocate(JAVA_DOUBLE, 16);
        arena.close();
        try (Arena live = Arena.ofConfined()) {
            MemorySegment a = live.allocate(JAVA_DOUBLE, 16);
            assertThatThrownBy(() -> dense().dgemm('N', 'N', 4, 4, 4, 1, a, 4, a, 4, 0, dead, 4))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("parameter 12 of DGEMM");
            assertThatThrownBy(() -> dense().dgeqrf(4, 4, dead, 4, a, a, 16))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("parameter 3 of DGEQRF");
        }
    }

    private static double[] nan(int count) {
        return fill(count, Double.NaN);
    }

    private static double[] fill(int count, double v) {
        double[] r = new double[count];
        java.util.Arrays.fill(r, v);
        return r;
    }
}
