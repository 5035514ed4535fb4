package org.cgd4j.engine.internal.full;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cgd4j.engine.internal.full.FullTestSupport.multiply;
import static org.cgd4j.engine.internal.full.FullTestSupport.relativeError;
import static org.cgd4j.engine.internal.full.FullTestSupport.transpose;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.full.FullTestSupport.Quadratic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.cgd4j.engine.internal.StepFacade;

/** SPEC "Properties": rotation equivariance for any a, general linear covariance for a = 1. */
class FullEquivarianceTest {
    static final int D = 6;

    static Stream<CgdConfig> rotationConfigs() {
        CgdConfig base = CgdConfig.fullCgd(0.02, 4, 19, 0.5, 1e-3);
        return Stream.of(base, base.withPower(1), base.withPower(0.3).withEpsilonOutside(1e-4), base.withPower(2),
                base.withDebias(true).withMetric(Metric.SECOND_MOMENT),
                base.withDebias(true).withCovarianceMean(CovarianceMean.FORCE),
                base.withMetric(Metric.BELIEF).withPower(0.7),
                base.withRefreshEvery(3), base.withRefreshEvery(4).withPower(0.8));
    }

    /** Running on R·g(Rᵀq') from R·q₀ gives R·q_t, step after step (≥ 100 steps). */
    @ParameterizedTest
    @MethodSource("rotationConfigs")
    void rotatingTheProblemRotatesTheTrajectory(CgdConfig config) {
        assertRotationEquivariant(config, FullTestSupport.orthogonal(D, 99));
    }

    /**
     * TRACKED estimates diag(Vᵀ X̂ V) in the basis of the last refresh; inside a degenerate eigenspace
     * (the null space of a rank-deficient X̂) that basis is LAPACK's arbitrary choice, so TRACKED is
     * equivariant only when its refreshes see distinct eigenvalues. Here warm-up (diagonal, so
     * equivariant under signed permutations only) lasts until X̂ has full rank.
     */
    @ParameterizedTest
    @MethodSource("rotationConfigs")
    void trackedIsEquivariantOnceRefreshesSeeAFullRankMetric(CgdConfig config) {
        double[][] r = new double[D][D];
        int[] permutation = {3, 0, 5, 1, 4, 2};
        for (int i = 0; i < D; i++) {
            r[i][permutation[i]] = i % 2 == 0 ? 1 : -1;
        }
        assertRotationEquivariant(config.withRefreshEvery(4).withRefreshMode(RefreshMode.TRACKED).withWarmupSteps(D + 2), r);
    }

    private static void assertRotationEquivariant(CgdConfig config, double[][] r) {
        double[][] rt = transpose(r);
        Quadratic plain = new Quadratic(D, 5);
        Quadratic rotated = new Quadratic(D, 5); // same noise stream
        double[] q = new SplittableRandom(1).doubles(D, -1, 1).toArray();
        double[] qr = multiply(r, q);
        try (StepFacade a = FullOptimizerTest.create(config, D); StepFacade b = FullOptimizerTest.create(config, D)) {
            for (int t = 1; t <= 120; t++) {
                a.step(q, plain.gradient(q));
                b.step(qr, multiply(r, rotated.gradient(multiply(rt, qr))));
                assertThat(relativeError(qr, multiply(r, q))).as("step %d", t).isLessThan(1e-9);
            }
            assertThat(relativeError(b.eigenvalues(), a.eigenvalues())).isLessThan(1e-9);
        }
    }

    static Stream<CgdConfig> linearConfigs() {
        CgdConfig base = CgdConfig.fullCgd(0.02, 4, 19, 1, 1e-12);
        return Stream.of(base, base.withDebias(true), base.withMetric(Metric.SECOND_MOMENT),
                base.withMetric(Metric.BELIEF).withDebias(true));
    }

    /**
     * q' = A q, g' = A⁻ᵀ g: with a = 1 and ε' = 0 each increment obeys Δq' = A Δq up to O(ε) once
     * X̂ has full rank. The same gradient sequence drives both runs (the state depends only on it).
     */
    @ParameterizedTest
    @MethodSource("linearConfigs")
    void withPowerOneIncrementsTransformLikeTheParameters(CgdConfig config) {
        SplittableRandom random = new SplittableRandom(8);
        double[][] a = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                a[i][j] = (i == j ? 1 : 0) + 0.4 * random.nextGaussian();
            }
        }
        double[][] aInvT = transpose(inverse(a));
        try (StepFacade plain = FullOptimizerTest.create(config, D); StepFacade mapped = FullOptimizerTest.create(config, D)) {
            for (int t = 1; t <= 60; t++) {
                double[] g = new double[D];
                for (int i = 0; i < D; i++) {
                    g[i] = 1 + random.nextGaussian() * (i + 1);
                }
                double[] dq = new double[D];
                double[] dqMapped = new double[D];
                plain.step(dq, g);
                mapped.step(dqMapped, multiply(aInvT, g));
                if (t >= D + 2) { // X̂ has full rank (COVARIANCE loses one rank to the mean)
                    assertThat(relativeError(dqMapped, multiply(a, dq))).as("step %d", t).isLessThan(1e-6);
                }
            }
        }
    }

    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] tmp = m[c]; m[c] = m[pivot]; m[pivot] = tmp;
            double p = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
