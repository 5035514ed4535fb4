package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The BLAS-3 and QR contract every {@link DenseLinearAlgebra} meets, double and float, on odd sizes
 * (1 to 100, and 129 to 260 to cross the pure-Java kernel's 128-element blocks) and non-square shapes with leading dimensions larger than the row count (padding rows hold NaN and
 * must neither be read nor written):
 * <ul>
 *   <li>GEMM, SYRK and SYMM against a naive triple loop in double on the same (rounded) inputs,
 *       elementwise within the classical bound |Ĉ − C| ≤ 2(k + 3)·u·(|α|·|A||B| + |β||C|) (Higham,
 *       Accuracy and Stability, §3.5), u the unit roundoff of the precision; SYRK and SYMM also
 *       against the implementation's own GEMM; the triangle SYRK does not own is never touched.</li>
 *   <li>GEQRF + ORGQR: ‖A − QR‖/‖A‖ ≤ 10·max(m, n)·u, ‖QᵀQ − I‖ ≤ 10·max(m, n)·u, R upper
 *       triangular, with the queried and with the minimum workspace.</li>
 *   <li>SSYEVD: residual and orthogonality to 20·n·u and eigenvalues of DSYEVD on the same matrix.</li>
 * </ul>
 */
abstract class DenseLinearAlgebraContract extends DenseBadArgumentsContract {

    static final int[] ODD = {1, 2, 3, 7, 17, 33, 65, 100};

    /** (m, n, k) triples: every odd size square, then non-square shapes with 1 and 100 at the edges. */
    static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int s : ODD) {
            shapes.add(new int[] {s, s, s});
        }
        shapes.add(new int[] {3, 7, 17});
        shapes.add(new int[] {17, 3, 7});
        shapes.add(new int[] {7, 17, 3});
        shapes.add(new int[] {65, 33, 100});
        shapes.add(new int[] {100, 65, 1});
        shapes.add(new int[] {1, 1, 100});
        shapes.add(new int[] {33, 100, 2});
        // past the pure-Java kernel's 128-element blocks in every dimension (partial last blocks)
        shapes.add(new int[] {131, 129, 257});
        shapes.add(new int[] {260, 5, 130});
        return shapes;
    }

    static Stream<Arguments> gemmCases() {
        List<Arguments> cases = new ArrayList<>();
        String[] trans = {"NN", "NT", "TN", "TT", "nc"};
        for (Precision p : Precision.values()) {
            for (int[] s : shapes()) {
                for (String t : trans) {
                    cases.add(Arguments.of(p, t.charAt(0), t.charAt(1), s[0], s[1], s[2]));
                }
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> syrkCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int[] s : shapes()) {
                cases.add(Arguments.of(p, 'L', 'N', s[0], s[2]));
                cases.add(Arguments.of(p, 'U', 'T', s[0], s[2]));
                cases.add(Arguments.of(p, 'u', 'c', s[1], s[2]));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> symmCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int[] s : shapes()) {
                cases.add(Arguments.of(p, 'L', 'L', s[0], s[1]));
                cases.add(Arguments.of(p, 'L', 'U', s[0], s[1]));
                cases.add(Arguments.of(p, 'R', 'L', s[0], s[1]));
                cases.add(Arguments.of(p, 'r', 'u', s[0], s[1]));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> qrCases() {
        int[][] mn = {{1, 1}, {2, 2}, {3, 3}, {7, 7}, {17, 17}, {33, 33}, {65, 65}, {100, 100}, {7, 3}, {100, 17},
            {65, 1}, {33, 65}, {3, 7}, {1, 5}};
        List<Arguments> cases = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int[] s : mn) {
                cases.add(Arguments.of(p, s[0], s[1], true));
            }
            cases.add(Arguments.of(p, 33, 17, false));
            cases.add(Arguments.of(p, 100, 100, false));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}{2} m={3} n={4} k={5}")
    @MethodSource("gemmCases")
    void gemmMatchesNaiveTripleLoop(Precision p, char ta, char tb, int m, int n, int k) {
        Random rnd = new Random(1000L * m + 31L * n + k + ta + 7L * tb);
        boolean transA = Character.toUpperCase(ta) != 'N';
        boolean transB = Character.toUpperCase(tb) != 'N';
        int rowsA = transA ? k : m;
        int colsA = transA ? m : k;
        int rowsB = transB ? n : k;
        int colsB = transB ? k : n;
        double[] a = p.roundAll(TestMatrices.random(rowsA, colsA, rnd));
        double[] b = p.roundAll(TestMatrices.random(rowsB, colsB, rnd));
        double[] c = p.roundAll(TestMatrices.random(m, n, rnd));
        double alpha = p.round(0.75);
        double beta = p.round(-1.25);
        int lda = rowsA + 2;
        int ldb = rowsB + 1;
        int ldc = m + 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = p.matrix(arena, a, rowsA, colsA, lda, Double.NaN);
            MemorySegment sb = p.matrix(arena, b, rowsB, colsB, ldb, Double.NaN);
            MemorySegment sc = p.matrix(arena, c, m, n, ldc, Double.NaN);
            p.gemm(dense(), ta, tb, m, n, k, alpha, sa, lda, sb, ldb, beta, sc, ldc);
            double[] got = p.read(sc, m, n, ldc);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    double abs = 0;
                    for (int q = 0; q < k; q++) {
                        double x = transA ? a[q + i * rowsA] : a[i + q * rowsA];
                        double y = transB ? b[j + q * rowsB] : b[q + j * rowsB];
                        sum += x * y;
                        abs += Math.abs(x * y);
                    }
                    double cij = c[i + j * m];
                    double expected = beta * cij + alpha * sum;
                    double bound = 2 * (k + 3) * p.u * (Math.abs(alpha) * abs + Math.abs(beta * cij));
                    assertThat(Math.abs(got[i + j * m] - expected)).as("c(%d,%d)", i, j).isLessThanOrEqualTo(bound);
                }
            }
            assertThat(p.padding(sc, m, n, ldc)).as("padding rows of c").containsOnly(Double.NaN);
        }
    }

    @ParameterizedTest(name = "{0} uplo={1} trans={2} n={3} k={4}")
    @MethodSource("syrkCases")
    void syrkMatchesNaiveLoopAndGemmOnItsTriangleOnly(Precision p, char uplo, char trans, int n, int k) {
        Random rnd = new Random(77L * n + k + uplo);
        boolean t = Character.toUpperCase(trans) != 'N';
        boolean lower = Character.toUpperCase(uplo) == 'L';
        int rowsA = t ? k : n;
        int colsA = t ? n : k;
        double[] a = p.roundAll(TestMatrices.random(rowsA, colsA, rnd));
        double[] c = p.roundAll(TestMatrices.random(n, n, rnd));
        double alpha = p.round(-0.5);
        double beta = p.round(0.875);
        int lda = rowsA + 1;
        int ldc = n + 2;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = p.matrix(arena, a, rowsA, colsA, lda, Double.NaN);
            MemorySegment sc = p.matrix(arena, withNaNOutside(c, n, lower), n, n, ldc, Double.NaN);
            p.syrk(dense(), uplo, trans, n, k, alpha, sa, lda, beta, sc, ldc);
            double[] got = p.read(sc, n, n, ldc);
            MemorySegment viaGemm = p.matrix(arena, c, n, n, n, Double.NaN);
            p.gemm(dense(), t ? 'T' : 'N', t ? 'N' : 'T', n, n, k, alpha, sa, lda, sa, lda, beta, viaGemm, n);
            double[] gemm = p.read(viaGemm, n, n, n);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    if (lower ? i < j : i > j) {
                        assertThat(got[i + j * n]).as("c(%d,%d) outside the triangle", i, j).isNaN();
                        continue;
                    }
                    double sum = 0;
                    double abs = 0;
                    for (int q = 0; q < k; q++) {
                        double x = t ? a[q + i * rowsA] : a[i + q * rowsA];
                        double y = t ? a[q + j * rowsA] : a[j + q * rowsA];
                        sum += x * y;
                        abs += Math.abs(x * y);
                    }
                    double cij = c[i + j * n];
                    double expected = beta * cij + alpha * sum;
                    double bound = 2 * (k + 3) * p.u * (Math.abs(alpha) * abs + Math.abs(beta * cij));
                    assertThat(Math.abs(got[i + j * n] - expected)).as("c(%d,%d)", i, j).isLessThanOrEqualTo(bound);
                    assertThat(Math.abs(got[i + j * n] - gemm[i + j * n])).as("syrk vs gemm at (%d,%d)", i, j)
                            .isLessThanOrEqualTo(2 * bound);
                }
            }
            assertThat(p.padding(sc, n, n, ldc)).as("padding rows of c").containsOnly(Double.NaN);
        }
    }

    @ParameterizedTest(name = "{0} side={1} uplo={2} m={3} n={4}")
    @MethodSource("symmCases")
    void symmReadsOneTriangleAndMatchesGemm(Precision p, char side, char uplo, int m, int n) {
        Random rnd = new Random(5L * m + n + side + uplo);
        boolean left = Character.toUpperCase(side) == 'L';
        boolean lower = Character.toUpperCase(uplo) == 'L';
        int order = left ? m : n;
        double[] s = p.roundAll(TestMatrices.randomSymmetric(order, rnd));
        double[] b = p.roundAll(TestMatrices.random(m, n, rnd));
        double[] c = p.roundAll(TestMatrices.random(m, n, rnd));
        double alpha = p.round(1.5);
        double beta = p.round(-0.25);
        int lda = order + 1;
        int ldb = m + 2;
        int ldc = m + 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = p.matrix(arena, withNaNOutside(s, order, lower), order, order, lda, Double.NaN);
            MemorySegment sb = p.matrix(arena, b, m, n, ldb, Double.NaN);
            MemorySegment sc = p.matrix(arena, c, m, n, ldc, Double.NaN);
            p.symm(dense(), side, uplo, m, n, alpha, sa, lda, sb, ldb, beta, sc, ldc);
            double[] got = p.read(sc, m, n, ldc);
            MemorySegment full = p.matrix(arena, s, order, order, order, Double.NaN);
            MemorySegment viaGemm = p.matrix(arena, c, m, n, m, Double.NaN);
            if (left) {
                p.gemm(dense(), 'N', 'N', m, n, m, alpha, full, m, sb, ldb, beta, viaGemm, m);
            } else {
                p.gemm(dense(), 'N', 'N', m, n, n, alpha, sb, ldb, full, n, beta, viaGemm, m);
            }
            double[] gemm = p.read(viaGemm, m, n, m);
            int k = order;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    double abs = 0;
                    for (int q = 0; q < k; q++) {
                        double x = left ? s[i + q * m] : b[i + q * m];
                        double y = left ? b[q + j * m] : s[q + j * n];
                        sum += x * y;
                        abs += Math.abs(x * y);
                    }
                    double cij = c[i + j * m];
                    double expected = beta * cij + alpha * sum;
                    double bound = 2 * (k + 3) * p.u * (Math.abs(alpha) * abs + Math.abs(beta * cij));
                    assertThat(Math.abs(got[i + j * m] - expected)).as("c(%d,%d)", i, j).isLessThanOrEqualTo(bound);
                    assertThat(Math.abs(got[i + j * m] - gemm[i + j * m])).as("symm vs gemm at (%d,%d)", i, j)
                            .isLessThanOrEqualTo(2 * bound);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} m={1} n={2} queried workspace={3}")
    @MethodSource("qrCases")
    void qrFactorsAndFormsOrthonormalQ(Precision p, int m, int n, boolean queried) {
        double[] a = p.roundAll(TestMatrices.random(m, n, new Random(13L * m + n)));
        assertQr(p, m, n, a, queried);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Precision.class)
    void qrOfRankDeficientAndZeroMatrices(Precision p) {
        int m = 9;
        int n = 5;
        double[] a = p.roundAll(TestMatrices.random(m, n, new Random(3)));
        for (int i = 0; i < m; i++) {
            a[i + 2 * m] = 0;                 // a zero column: its reflector is the identity (tau = 0)
            a[i + 4 * m] = 2 * a[i];          // a repeated direction
        }
        assertQr(p, m, n, a, true);
        assertQr(p, m, n, new double[m * n], true);
        double[] upper = new double[n * n];   // already triangular below the diagonal
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= j; i++) {
                upper[i + j * n] = 1 + i + j;
            }
        }
        assertQr(p, n, n, upper, false);
    }

    /** GEQRF then ORGQR on a copy: the residual, orthogonality and the triangle of R. */
    void assertQr(Precision p, int m, int n, double[] a, boolean queried) {
        int q = Math.min(m, n);
        int lda = m + 2;
        double tol = 10 * Math.max(m, n) * p.u;
        try (Arena arena = Arena.ofConfined()) {
            QrWorkspace ws = p.qrWorkspace(dense(), m, n);
            assertThat(ws.geqrf()).isGreaterThanOrEqualTo(Math.max(1, n));
            assertThat(ws.orgqr()).isGreaterThanOrEqualTo(Math.max(1, q));
            long lwork = queried ? ws.lwork() : Math.max(1, n);
            MemorySegment work = p.allocate(arena, lwork);
            MemorySegment sa = p.matrix(arena, a, m, n, lda, Double.NaN);
            MemorySegment tau = p.allocate(arena, q);
            p.geqrf(dense(), m, n, sa, lda, tau, work, lwork);
            assertThat(p.padding(sa, m, n, lda)).as("padding rows after GEQRF").containsOnly(Double.NaN);
            double[] factored = p.read(sa, m, n, lda);
            double[] r = new double[q * n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i <= Math.min(j, q - 1); i++) {
                    r[i + j * q] = factored[i + j * m];
                }
            }
            p.orgqr(dense(), m, q, q, sa, lda, tau, work, queried ? ws.lwork() : Math.max(1, q));
            double[] qm = p.read(sa, m, q, lda);
            double[] residual = new double[m * n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double s = 0;
                    for (int l = 0; l < q; l++) {
                        s += qm[i + l * m] * r[l + j * q];
                    }
                    residual[i + j * m] = a[i + j * m] - s;
                }
            }
            double normA = TestMatrices.frobenius(a);
            assertThat(TestMatrices.frobenius(residual)).as("‖A − QR‖").isLessThanOrEqualTo(tol * Math.max(normA, 1e-300));
            double[] gram = new double[q * q];
            for (int j = 0; j < q; j++) {
                for (int i = 0; i < q; i++) {
                    double s = 0;
                    for (int l = 0; l < m; l++) {
                        s += qm[l + i * m] * qm[l + j * m];
                    }
                    gram[i + j * q] = s - (i == j ? 1 : 0);
                }
            }
            assertThat(TestMatrices.frobenius(gram)).as("‖QᵀQ − I‖").isLessThanOrEqualTo(tol);
        }
    }

    static Stream<Arguments> ssyevdCases() {
        List<Arguments> cases = new ArrayList<>();
        TestMatrices.Kind[] kinds = {TestMatrices.Kind.RANDOM, TestMatrices.Kind.SPD, TestMatrices.Kind.IDENTITY,
            TestMatrices.Kind.ZEROS, TestMatrices.Kind.REPEATED, TestMatrices.Kind.RANK_DEFICIENT};
        for (TestMatrices.Kind kind : kinds) {
            for (int n : new int[] {0, 1, 2, 3, 17, 64}) {
                cases.add(Arguments.of(kind, n, 'L', 1.0));
            }
            cases.add(Arguments.of(kind, 33, 'U', 1.0));
        }
        cases.add(Arguments.of(TestMatrices.Kind.RANDOM, 17, 'L', 1e-30));
        cases.add(Arguments.of(TestMatrices.Kind.RANDOM, 17, 'U', 1e30));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} n={1} uplo={2} scale={3}")
    @MethodSource("ssyevdCases")
    void ssyevdMeetsFloatAccuracyAndAgreesWithDsyevd(TestMatrices.Kind kind, int n, char uplo, double scale) {
        Precision p = Precision.FLOAT;
        double[] a = p.roundAll(TestMatrices.scaled(kind.build(n, new Random(17L * n + kind.ordinal())), scale));
        double[][] single = eigen(p, a, n, uplo);
        double[][] reference = eigen(Precision.DOUBLE, a, n, uplo);
        double[] w = single[0];
        double[] v = single[1];
        double tol = 20 * Math.max(1, n) * p.u;
        double normA = TestMatrices.frobenius(a);
        for (int i = 0; i + 1 < n; i++) {
            assertThat(w[i]).as("ascending at %d", i).isLessThanOrEqualTo(w[i + 1]);
        }
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(w[i] - reference[0][i])).as("eigenvalue %d vs DSYEVD", i)
                    .isLessThanOrEqualTo(tol * normA);
        }
        double[] r = new double[n * n];
        double[] g = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                double vv = 0;
                for (int l = 0; l < n; l++) {
                    av += a[i + l * n] * v[l + j * n];
                    vv += v[l + i * n] * v[l + j * n];
                }
                r[i + j * n] = av - v[i + j * n] * w[j];
                g[i + j * n] = vv - (i == j ? 1 : 0);
            }
        }
        assertThat(TestMatrices.frobenius(r)).as("‖AV − VΛ‖").isLessThanOrEqualTo(tol * normA);
        assertThat(TestMatrices.frobenius(g)).as("‖VᵀV − I‖").isLessThanOrEqualTo(tol);
    }

    /** {eigenvalues, eigenvectors} of the symmetric a through xSYEVD with lda = n + 1, NaN in the other triangle. */
    double[][] eigen(Precision p, double[] a, int n, char uplo) {
        int lda = n + 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = p.matrix(arena, withNaNOutside(a, n, uplo == 'L'), n, n, lda, Double.NaN);
            MemorySegment w = p.allocate(arena, n);
            EigenWorkspace ws = p.syevdWorkspace(dense(), n);
            MemorySegment work = p.allocate(arena, ws.lwork());
            MemorySegment iwork = arena.allocate(JAVA_INT, ws.liwork());
            p.syevd(dense(), 'V', uplo, n, sa, lda, w, work, ws.lwork(), iwork, ws.liwork());
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = p.get(w, i);
            }
            return new double[][] {values, p.read(sa, n, n, lda)};
        }
    }

    /** A copy of the n×n matrix with NaN in the triangle a routine must not read (or write). */
    static double[] withNaNOutside(double[] a, int n, boolean lower) {
        double[] r = a.clone();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (lower ? i < j : i > j) {
                    r[i + j * n] = Double.NaN;
                }
            }
        }
        return r;
    }
}
