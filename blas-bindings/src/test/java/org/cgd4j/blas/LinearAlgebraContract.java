package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link LinearAlgebra} meets, run against each implementation by a subclass:
 * eigen-decompositions of awkward matrices (residual and orthogonality to 1e-12·n), the BLAS-2
 * routines against naive loops, and refusal of every bad argument (see {@link BadArgumentsContract}).
 */
abstract class LinearAlgebraContract extends BadArgumentsContract {

    static final int[] SIZES = {0, 1, 2, 17, 64, 257};

    static Stream<Arguments> eigenCases() {
        List<Arguments> cases = new ArrayList<>();
        for (TestMatrices.Kind kind : TestMatrices.Kind.values()) {
            for (int n : SIZES) {
                cases.add(Arguments.of(kind, n, 'L'));
                if (kind == TestMatrices.Kind.RANDOM || kind == TestMatrices.Kind.REPEATED) {
                    cases.add(Arguments.of(kind, n, 'U'));
                }
            }
        }
        return cases.stream();
    }

    /** Eigenvalues and eigenvectors of one matrix, as {@code la()} computes them. */
    record Eigen(double[] values, double[] vectors) {}

    /** Runs DSYEVD (jobz) with lda = n + 3 and NaN outside the referenced triangle. */
    static Eigen decompose(LinearAlgebra impl, double[] a, int n, char uplo, char jobz) {
        int lda = n + 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = TestMatrices.toSegment(arena, a, n, lda, uplo, Double.NaN);
            MemorySegment w = arena.allocate(JAVA_DOUBLE, Math.max(1, n));
            EigenWorkspace ws = impl.dsyevdWorkspace(n);
            MemorySegment work = arena.allocate(JAVA_DOUBLE, ws.lwork());
            MemorySegment iwork = arena.allocate(JAVA_INT, ws.liwork());
            impl.dsyevd(jobz, uplo, n, seg, lda, w, work, ws.lwork(), iwork, ws.liwork());
            return new Eigen(TestMatrices.toArray(w, n), jobz == 'V' ? TestMatrices.fromSegment(seg, n, lda) : null);
        }
    }

    @ParameterizedTest(name = "{0} n={1} uplo={2}")
    @MethodSource("eigenCases")
    void eigendecompositionMeetsLapackAccuracy(TestMatrices.Kind kind, int n, char uplo) {
        double[] a = kind.build(n, new Random(31L * n + kind.ordinal()));
        Eigen e = decompose(la(), a, n, uplo, 'V');
        assertAccurate(a, n, e);
        double[] w = e.values();
        double tol = 1e-12 * Math.max(1, n);
        double normA = TestMatrices.frobenius(a);

        switch (kind) {
            case IDENTITY -> {
                for (double x : w) {
                    assertThat(Math.abs(x - 1)).isLessThanOrEqualTo(tol);
                }
            }
            case REPEATED -> {
                double[] expected = TestMatrices.repeatedSpectrum(n);
                for (int i = 0; i < n; i++) {
                    assertThat(Math.abs(w[i] - expected[i])).as("eigenvalue %d", i).isLessThanOrEqualTo(tol * normA);
                }
            }
            case SPD -> {
                if (n > 0) {
                    assertThat(w[0]).as("smallest eigenvalue of BᵀB/n + 0.1 I").isGreaterThan(0.1 - tol * normA);
                }
            }
            case RANK_DEFICIENT -> {
                int rank = Math.max(1, n / 3);
                for (int i = 0; i < n - rank; i++) {
                    assertThat(Math.abs(w[i])).as("null-space eigenvalue %d", i).isLessThanOrEqualTo(tol * normA);
                }
            }
            default -> { }
        }
    }

    /** Ascending eigenvalues, ‖AV − VΛ‖/‖A‖ ≤ 1e-12·n and ‖VᵀV − I‖ ≤ 1e-12·n. */
    static void assertAccurate(double[] a, int n, Eigen e) {
        double[] w = e.values();
        double[] v = e.vectors();
        double tol = 1e-12 * Math.max(1, n);
        double normA = TestMatrices.frobenius(a);

        for (int i = 0; i + 1 < n; i++) {
            assertThat(w[i]).as("eigenvalues ascending at %d", i).isLessThanOrEqualTo(w[i + 1]);
        }
        // ‖AV − VΛ‖ / ‖A‖
        double[] r = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i + k * n] * v[k + j * n];
                }
                r[i + j * n] = s - v[i + j * n] * w[j];
            }
        }
        if (normA == 0) {
            assertThat(TestMatrices.frobenius(r)).as("residual of the zero matrix").isZero();
            for (double x : w) {
                assertThat(x).as("eigenvalues of the zero matrix").isZero();
            }
        } else {
            assertThat(TestMatrices.frobenius(r) / normA).as("relative residual").isLessThanOrEqualTo(tol);
        }
        // ‖VᵀV − I‖
        double[] g = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[k + i * n] * v[k + j * n];
                }
                g[i + j * n] = s - (i == j ? 1 : 0);
            }
        }
        assertThat(TestMatrices.frobenius(g)).as("orthogonality").isLessThanOrEqualTo(tol);
    }

    /** Matrices that are hard for QL/QR: graded, Wilkinson's W+, tight clusters, a tiny off-diagonal. */
    @Test
    void hardMatricesMeetLapackAccuracy() {
        Random rnd = new Random(5);
        int n = 21;
        double[] wilkinson = new double[n * n];
        for (int i = 0; i < n; i++) {
            wilkinson[i + i * n] = Math.abs(10 - i);
            if (i + 1 < n) {
                wilkinson[i + 1 + i * n] = 1;
                wilkinson[i + (i + 1) * n] = 1;
            }
        }
        double[] graded = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                graded[i + j * n] = Math.pow(10, -(i + j) / 2.0); // entries from 1 down to 1e-20
            }
        }
        double[] clustered = new double[n];
        for (int i = 0; i < n; i++) {
            clustered[i] = 1 + (i - n / 2) * 1e-14;
        }
        double[] nearlyDiagonal = TestMatrices.diagonal(n, 0);
        for (int i = 0; i < n; i++) {
            nearlyDiagonal[i + i * n] = n - i;
            if (i + 1 < n) {
                nearlyDiagonal[i + 1 + i * n] = 1e-200;
                nearlyDiagonal[i + (i + 1) * n] = 1e-200;
            }
        }
        double[] wideRange = new double[n];
        for (int i = 0; i < n; i++) {
            wideRange[i] = Math.pow(10, 15 - 1.5 * i) * (i % 2 == 0 ? 1 : -1);
        }
        for (double[] a : new double[][] {wilkinson, graded, TestMatrices.withSpectrum(clustered, rnd), nearlyDiagonal,
            TestMatrices.withSpectrum(wideRange, rnd)}) {
            assertAccurate(a, n, decompose(la(), a, n, 'L', 'V'));
            assertAccurate(a, n, decompose(la(), a, n, 'U', 'V'));
        }
    }

    @Test
    void eigenvaluesOnlyMatchEigenvaluesWithVectors() {
        for (int n : SIZES) {
            double[] a = TestMatrices.randomSymmetric(n, new Random(n));
            double[] withVectors = decompose(la(), a, n, 'L', 'V').values();
            double[] only = decompose(la(), a, n, 'U', 'N').values();
            double tol = 1e-12 * Math.max(1, n) * TestMatrices.frobenius(a);
            for (int i = 0; i < n; i++) {
                assertThat(Math.abs(only[i] - withVectors[i])).as("n=%d eigenvalue %d", n, i).isLessThanOrEqualTo(tol);
            }
        }
    }

    @Test
    void workspaceQueryCoversLapackMinimum() {
        for (int n : SIZES) {
            EigenWorkspace ws = la().dsyevdWorkspace(n);
            long min = n <= 1 ? 1 : 1 + 6L * n + 2L * n * n;
            long imin = n <= 1 ? 1 : 3 + 5L * n;
            assertThat(ws.lwork()).as("lwork for n=%d", n).isGreaterThanOrEqualTo(min);
            assertThat(ws.liwork()).as("liwork for n=%d", n).isGreaterThanOrEqualTo(imin);
        }
    }

    // ---- BLAS-2 against naive loops ----

    static final int[] INCREMENTS = {1, 2, -1, -3};
    static final double[][] ALPHA_BETA = {{1.0, 0.0}, {0.7, 1.0}, {-1.3, 0.25}, {0.0, 2.0}, {0.0, 1.0}};

    @Test
    void dsyrMatchesNaiveLoops() {
        Random rnd = new Random(1);
        for (int n : new int[] {0, 1, 3, 17}) {
            for (char uplo : new char[] {'L', 'U', 'l'}) {
                for (int incx : INCREMENTS) {
                    for (double alpha : new double[] {1.0, -0.5, 0.0}) {
                        int lda = n + 2;
                        double[] a = TestMatrices.random(lda, n, rnd);
                        double[] x = TestMatrices.random(Math.max(1, 1 + (n - 1) * Math.abs(incx)), 1, rnd);
                        double[] expected = a.clone();
                        for (int j = 0; j < n; j++) {
                            for (int i = 0; i < n; i++) {
                                boolean tri = Character.toUpperCase(uplo) == 'L' ? i >= j : i <= j;
                                if (tri) {
                                    expected[i + j * lda] += alpha * x[idx(i, n, incx)] * x[idx(j, n, incx)];
                                }
                            }
                        }
                        try (Arena arena = Arena.ofConfined()) {
                            MemorySegment as = TestMatrices.vector(arena, a);
                            la().dsyr(uplo, n, alpha, TestMatrices.vector(arena, x), incx, as, lda);
                            assertClose(TestMatrices.toArray(as, a.length), expected,
                                    "dsyr n=" + n + " uplo=" + uplo + " incx=" + incx + " alpha=" + alpha);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dsymvMatchesNaiveLoops() {
        Random rnd = new Random(2);
        for (int n : new int[] {0, 1, 3, 17}) {
            for (char uplo : new char[] {'L', 'U'}) {
                for (int incx : INCREMENTS) {
                    for (int incy : INCREMENTS) {
                        for (double[] ab : ALPHA_BETA) {
                            int lda = n + 1;
                            double[] a = TestMatrices.random(lda, n, rnd);
                            double[] x = TestMatrices.random(Math.max(1, 1 + (n - 1) * Math.abs(incx)), 1, rnd);
                            double[] y = TestMatrices.random(Math.max(1, 1 + (n - 1) * Math.abs(incy)), 1, rnd);
                            double[] expected = y.clone();
                            for (int i = 0; i < n; i++) {
                                double s = 0;
                                for (int k = 0; k < n; k++) {
                                    // only the uplo triangle is referenced: A(i,k) from the stored half
                                    boolean stored = uplo == 'L' ? i >= k : i <= k;
                                    double aik = stored ? a[i + k * lda] : a[k + i * lda];
                                    s += aik * x[idx(k, n, incx)];
                                }
                                int yi = idx(i, n, incy);
                                expected[yi] = ab[0] * s + (ab[1] == 0 ? 0 : ab[1] * y[yi]);
                            }
                            try (Arena arena = Arena.ofConfined()) {
                                MemorySegment ys = TestMatrices.vector(arena, y);
                                la().dsymv(uplo, n, ab[0], TestMatrices.vector(arena, a), lda,
                                        TestMatrices.vector(arena, x), incx, ab[1], ys, incy);
                                assertClose(TestMatrices.toArray(ys, y.length), expected, "dsymv n=" + n + " uplo="
                                        + uplo + " incx=" + incx + " incy=" + incy + " alpha,beta=" + ab[0] + "," + ab[1]);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void dgemvMatchesNaiveLoops() {
        Random rnd = new Random(3);
        int[][] shapes = {{0, 0}, {0, 3}, {3, 0}, {1, 1}, {3, 5}, {17, 4}, {5, 17}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            for (char trans : new char[] {'N', 'T', 'c'}) {
                boolean t = trans != 'N';
                int lenx = t ? m : n;
                int leny = t ? n : m;
                for (int incx : INCREMENTS) {
                    for (int incy : INCREMENTS) {
                        for (double[] ab : ALPHA_BETA) {
                            int lda = Math.max(1, m) + 2;
                            double[] a = TestMatrices.random(lda, Math.max(1, n), rnd);
                            double[] x = TestMatrices.random(Math.max(1, 1 + (lenx - 1) * Math.abs(incx)), 1, rnd);
                            double[] y = TestMatrices.random(Math.max(1, 1 + (leny - 1) * Math.abs(incy)), 1, rnd);
                            double[] expected = y.clone();
                            if (m > 0 && n > 0) {
                                for (int i = 0; i < leny; i++) {
                                    double s = 0;
                                    for (int k = 0; k < lenx; k++) {
                                        double aik = t ? a[k + i * lda] : a[i + k * lda];
                                        s += aik * x[idx(k, lenx, incx)];
                                    }
                                    int yi = idx(i, leny, incy);
                                    expected[yi] = ab[0] * s + (ab[1] == 0 ? 0 : ab[1] * y[yi]);
                                }
                            }
                            try (Arena arena = Arena.ofConfined()) {
                                MemorySegment ys = TestMatrices.vector(arena, y);
                                la().dgemv(trans, m, n, ab[0], TestMatrices.vector(arena, a), lda,
                                        TestMatrices.vector(arena, x), incx, ab[1], ys, incy);
                                assertClose(TestMatrices.toArray(ys, y.length), expected, "dgemv " + m + "x" + n
                                        + " trans=" + trans + " incx=" + incx + " incy=" + incy + " ab=" + ab[0] + "," + ab[1]);
                            }
                        }
                    }
                }
            }
        }
    }

    /** BLAS walks a negative stride from the far end: logical element i of n. */
    static int idx(int i, int n, int inc) {
        return inc > 0 ? i * inc : (n - 1 - i) * -inc;
    }

    static void assertClose(double[] actual, double[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-13 * Math.max(1, Math.abs(expected[i])) * 20;
            assertThat(Math.abs(actual[i] - expected[i])).as("%s at %d: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tol);
        }
    }
}
