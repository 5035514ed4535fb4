package org.cgd4j.engine.internal.full;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cgd4j.engine.internal.full.FullTestSupport.doubles;
import static org.cgd4j.engine.internal.full.FullTestSupport.relativeError;
import static org.cgd4j.engine.internal.full.FullTestSupport.snapshot;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.full.FullTestSupport.Quadratic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.StepFacade;

/** The FULL data path against SPEC written plainly ({@link NaiveFullCgd}), and its refresh modes. */
class FullOptimizerTest {
    static final int D = 5;

    /** On the JVM's linear algebra (OpenBLAS under {@code make test}); the oracle uses Jacobi. */
    static StepFacade create(CgdConfig config, int d) {
        return Engines.full(LinearAlgebraProvider.get(), config, d);
    }

    static Stream<CgdConfig> configs() {
        return FullTestSupport.configs();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void matchesSpecWrittenPlainly(CgdConfig config) {
        for (int warmup : new int[] {0, 3}) {
            CgdConfig c = config.withWarmupSteps(warmup);
            Quadratic problem = new Quadratic(D, 11);
            double[] q = new double[D];
            NaiveFullCgd naive = new NaiveFullCgd(c, D);
            try (StepFacade opt = create(c, D)) {
                for (int t = 1; t <= 40; t++) {
                    double[] g = problem.gradient(q);
                    double[] step = new double[D]; // increments compared directly: no cancellation against q
                    double[] expected = new double[D];
                    opt.step(step, g);
                    naive.step(expected, g.clone());
                    assertThat(relativeError(step, expected)).as("increment at step %d of %s", t, c).isLessThan(1e-10);
                    double[] ev = opt.eigenvalues();
                    for (int i = 0; i < D; i++) {
                        assertThat(Math.abs(ev[i] - naive.lastEigenvalues[i])).as("λ%d at step %d", i, t)
                                .isLessThanOrEqualTo(1e-13 * naive.metricScale);
                    }
                    for (int i = 0; i < D; i++) {
                        q[i] += expected[i];
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void trackedWithRefreshEveryOneIsTheExactMethod(CgdConfig config) {
        Quadratic a = new Quadratic(D, 3);
        Quadratic b = new Quadratic(D, 3);
        double[] qa = new double[D];
        double[] qb = new double[D];
        try (StepFacade exact = create(config, D);
             StepFacade trackedOne = create(config.withRefreshMode(RefreshMode.TRACKED).withRefreshEvery(1), D)) {
            for (int t = 0; t < 30; t++) {
                exact.step(qa, a.gradient(qa));
                trackedOne.step(qb, b.gradient(qb));
                assertThat(qb).isEqualTo(qa);
                assertThat(trackedOne.eigenvalues()).isEqualTo(exact.eigenvalues());
            }
        }
    }

    /** Between refreshes: P = V f(Λ) Vᵀ m̂ with the cached V and, for STALE, the cached Λ. */
    @ParameterizedTest
    @MethodSource("configs")
    void staleReusesBasisAndEigenvaluesBetweenRefreshes(CgdConfig config) {
        int k = 4;
        CgdConfig c = config.withRefreshEvery(k).withRefreshMode(RefreshMode.STALE).withWarmupSteps(2);
        Quadratic problem = new Quadratic(D, 5);
        double[] q = new double[D];
        try (StepFacade opt = create(c, D)) {
            double[] atRefresh = null;
            for (int t = 1; t <= 15; t++) {
                double[] basis = doubles(slice(opt, "V"));
                double[] delta = new double[D];
                opt.step(delta, problem.gradient(q));
                add(q, delta);
                boolean refresh = t > 2 && (t - 3) % k == 0;
                if (refresh) {
                    atRefresh = opt.eigenvalues();
                } else if (t > 2) {
                    assertThat(opt.eigenvalues()).isEqualTo(atRefresh);
                    double[] mHat = mHat(opt, c, t);
                    double[] expected = apply(basis, doubles(slice(opt, "lambda")), mHat, c);
                    double[] step = new double[D];
                    for (int i = 0; i < D; i++) {
                        step[i] = -delta[i] / c.learningRate();
                    }
                    assertThat(relativeError(step, expected)).as("step %d", t).isLessThan(1e-12);
                }
            }
        }
    }

    /** TRACKED's λ̃ is diag(Vᵀ X̂_t V) of the current X̂ in the cached basis, and P uses it. */
    @ParameterizedTest
    @MethodSource("configs")
    void trackedEstimatesAreTheDiagonalOfTheCurrentMetricInTheCachedBasis(CgdConfig config) {
        int k = 5;
        CgdConfig c = config.withRefreshEvery(k).withRefreshMode(RefreshMode.TRACKED);
        Quadratic problem = new Quadratic(D, 9);
        double[] q = new double[D];
        try (StepFacade opt = create(c, D)) {
            for (int t = 1; t <= 17; t++) {
                double[] delta = new double[D];
                opt.step(delta, problem.gradient(q));
                add(q, delta);
                double[] basis = doubles(slice(opt, "V"));
                double[][] x = metric(opt, c, t);
                double[] tracked = doubles(slice(opt, "lambda"));
                double scale = metricScale(opt, c, t); // X̂'s rounding scale (X̂ itself is ~0 at t = 1 with debias)
                for (int i = 0; i < D; i++) {
                    double expected = 0;
                    for (int r = 0; r < D; r++) {
                        for (int s = 0; s < D; s++) {
                            expected += basis[r + i * D] * x[r][s] * basis[s + i * D];
                        }
                    }
                    assertThat(Math.abs(tracked[i] - expected)).as("λ̃%d at step %d", i, t).isLessThan(1e-11 * scale);
                }
                double[] expectedStep = apply(basis, tracked, mHat(opt, c, t), c);
                double[] step = new double[D];
                for (int i = 0; i < D; i++) {
                    step[i] = -delta[i] / c.learningRate();
                }
                assertThat(relativeError(step, expectedStep)).as("step %d", t).isLessThan(1e-11);
            }
        }
    }

    @Test
    void diagnosticsDescribeTheCurrentMetric() {
        CgdConfig c = CgdConfig.fullCgd(0.05, 9, 3, 0.5, 1e-6).withCovarianceMean(CovarianceMean.FORCE);
        Quadratic problem = new Quadratic(D, 21);
        double[] q = new double[D];
        NaiveFullCgd naive = new NaiveFullCgd(c, D);
        try (StepFacade opt = create(c, D)) {
            assertThat(opt.eigenvalues()).containsOnly(0.0).hasSize(D);
            assertThat(opt.effectiveDimension()).isZero();
            assertThat(opt.clampedEigenvalues()).isZero();
            boolean sawClamped = false;
            for (int t = 0; t < 30; t++) {
                double[] g = problem.gradient(q);
                double[] ref = q.clone();
                opt.step(q, g);
                naive.step(ref, g);
                double[] ev = opt.eigenvalues();
                assertThat(ev).isSorted();
                ev[0] = 1e9; // a copy
                assertThat(opt.eigenvalues()[0]).isNotEqualTo(1e9);
                // An eigenvalue within rounding of 0 (the metric of few gradients is singular) takes the sign its
                // LAPACK build gives it, which the naive decomposition need not share: those may go either way.
                double rounding = 1e-12 * Arrays.stream(naive.lastEigenvalues).map(Math::abs).max().orElse(0);
                long negatives = Arrays.stream(naive.lastEigenvalues).filter(l -> l < -rounding).count();
                long nearZero = Arrays.stream(naive.lastEigenvalues).filter(l -> Math.abs(l) <= rounding).count();
                assertThat((long) opt.clampedEigenvalues()).isBetween(negatives, negatives + nearZero);
                sawClamped |= negatives > 0;
                double sum = 0;
                double squares = 0;
                for (double l : naive.lastEigenvalues) {
                    sum += Math.max(l, 0);
                    squares += Math.max(l, 0) * Math.max(l, 0);
                }
                assertThat(opt.effectiveDimension()).isCloseTo(sum * sum / squares, org.assertj.core.data.Percentage.withPercentage(1e-9));
            }
            assertThat(sawClamped).as("the FORCE mean makes X̂ indefinite at some step").isTrue();
        }
    }

    @Test
    void stateBytesCountEveryBufferAndLimitsAreEnforcedBeforeAllocating() {
        for (CgdConfig c : configs().toList()) {
            for (CgdConfig variant : List.of(c, c.withRefreshEvery(3), c.withRefreshEvery(3).withRefreshMode(RefreshMode.TRACKED))) {
                try (StepFacade opt = create(variant, 7)) {
                    FullLayout layout = FullLayout.of(variant, 7);
                    org.cgd4j.blas.EigenWorkspace ws = LinearAlgebraProvider.get().dsyevdWorkspace(7);
                    assertThat(opt.stateBytes()).isEqualTo(layout.bytes(ws.lwork(), ws.liwork()));
                    assertThat(ws.lwork()).isGreaterThanOrEqualTo(FullLayout.minimumLwork(7));
                    long needed = opt.stateBytes();
                    assertThatThrownBy(() -> create(variant.withMaxStateBytes(needed - 1), 7))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("needs " + needed + " bytes");
                }
            }
        }
        LinearAlgebra untouchable = (LinearAlgebra) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {LinearAlgebra.class}, (p, m, a) -> {
                    throw new AssertionError("LinearAlgebra." + m.getName() + " called before the size check");
                });
        assertThatThrownBy(() -> Engines.full(untouchable, CgdConfig.fullCgd(0.1, 1, 1, 0.5, 1e-8), Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension " + Integer.MAX_VALUE)
                .hasMessageContaining("needs " + Long.MAX_VALUE + " bytes");
        long d = 40_000; // d² fits a long: the exact figure is reported
        long expected = 8 * (2 * d * d + 12 * d) + 8 * (1 + 6 * d + 2 * d * d) + 4 * (3 + 5 * d);
        assertThatThrownBy(() -> Engines.full(untouchable, CgdConfig.fullCgd(0.1, 1, 1, 0.5, 1e-8), (int) d))
                .hasMessageContaining("needs " + expected + " bytes");
    }

    @Test
    void singlePrecisionAndBadArgumentsAreRefusedWithoutChangingAnything() {
        CgdConfig c = CgdConfig.fullCgd(0.1, 1, 1, 0.5, 1e-8);
        try (StepFacade opt = create(c, 3)) {
            opt.step(new double[] {1, 2, 3}, new double[] {0.1, -0.2, 0.3});
            List<byte[]> before = snapshot(opt);
            assertThatThrownBy(() -> opt.step(new float[3], new float[3]))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("double precision");
            assertThatThrownBy(() -> opt.step(new double[3], new double[2]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grads has 2 elements");
            assertThatThrownBy(() -> opt.step(MemorySegment.ofArray(new double[3]), MemorySegment.ofArray(new double[4])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grads");
            assertThat(snapshot(opt)).usingRecursiveComparison().isEqualTo(before);
            assertThat(opt.steps()).isEqualTo(1);
        }
    }

    @Test
    void segmentAndArrayStepsAgreeBitForBit() {
        CgdConfig c = CgdConfig.fullCgd(0.1, 2, 4, 0.5, 1e-8).withDebias(true);
        try (StepFacade a = create(c, D); StepFacade b = create(c, D);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Quadratic problem = new Quadratic(D, 1);
            double[] q = new double[D];
            MemorySegment qs = arena.allocate(8L * D, 8);
            MemorySegment gs = arena.allocate(8L * D, 8);
            for (int t = 0; t < 10; t++) {
                double[] g = problem.gradient(q);
                MemorySegment.copy(g, 0, gs, java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, D);
                a.step(q, g);
                b.step(qs, gs);
                assertThat(doubles(qs)).isEqualTo(q);
            }
        }
    }

    // ---- helpers reading the state slices ----

    static void add(double[] q, double[] delta) {
        for (int i = 0; i < q.length; i++) {
            q[i] += delta[i];
        }
    }

    static MemorySegment slice(StepFacade opt, String name) {
        for (StateSlice s : opt.stateSlices()) {
            if (s.name().equals(name)) {
                return s.segment();
            }
        }
        throw new AssertionError("no slice " + name);
    }

    static double[] mHat(StepFacade opt, CgdConfig c, long t) {
        double c1 = c.debias() ? 1 - Math.pow(c.beta1(), t) : 1;
        double[] m = doubles(slice(opt, "m"));
        for (int i = 0; i < m.length; i++) {
            m[i] /= c1;
        }
        return m;
    }

    /** X̂_t from the committed state (full symmetric). */
    static double[][] metric(StepFacade opt, CgdConfig c, long t) {
        int d = opt.dimension();
        double c1 = c.debias() ? 1 - Math.pow(c.beta1(), t) : 1;
        double c2 = c.debias() ? 1 - Math.pow(c.beta2(), t) : 1;
        double[] s = opt.currentS();
        double[] v = new double[d];
        if (c.metric() == Metric.COVARIANCE) {
            boolean metricMean = c.covarianceMean() == CovarianceMean.METRIC;
            double[] mean = doubles(slice(opt, metricMean ? "mu" : "m"));
            for (int i = 0; i < d; i++) {
                v[i] = mean[i] / (metricMean ? c2 : c1);
            }
        }
        double[][] x = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = s[Math.max(i, j) + Math.min(i, j) * d] / c2 - v[i] * v[j];
            }
        }
        return x;
    }

    /** max |S_ij|/c2 + max v_i²: the scale of X̂'s rounding errors. */
    static double metricScale(StepFacade opt, CgdConfig c, long t) {
        double c2 = c.debias() ? 1 - Math.pow(c.beta2(), t) : 1;
        double scale = 0;
        for (double e : opt.currentS()) {
            scale = Math.max(scale, Math.abs(e) / c2);
        }
        if (c.metric() == Metric.COVARIANCE) {
            double[][] x = metric(opt, c, t);
            double[][] noMean = metric(opt, c.withMetric(Metric.SECOND_MOMENT), t);
            for (int i = 0; i < x.length; i++) {
                scale = Math.max(scale, noMean[i][i] - x[i][i]); // v_i²
            }
        }
        return scale;
    }

    /** V diag(f(λ)) Vᵀ x with V column-major. */
    static double[] apply(double[] basis, double[] lambda, double[] x, CgdConfig c) {
        int d = x.length;
        MetricFunction f = new MetricFunction(c.power(), c.epsilon(), c.epsilonOutside());
        double[] out = new double[d];
        for (int k = 0; k < d; k++) {
            double proj = 0;
            for (int i = 0; i < d; i++) {
                proj += basis[i + k * d] * x[i];
            }
            proj /= f.denominator(lambda[k]);
            for (int i = 0; i < d; i++) {
                out[i] += basis[i + k * d] * proj;
            }
        }
        return out;
    }
}
