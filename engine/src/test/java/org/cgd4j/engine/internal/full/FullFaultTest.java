package org.cgd4j.engine.internal.full;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cgd4j.engine.internal.full.FullTestSupport.snapshot;

import java.util.List;
import java.util.stream.Stream;
import org.cgd4j.blas.LapackException;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.full.FaultyLinearAlgebra.Fault;
import org.cgd4j.engine.internal.full.FullTestSupport.Quadratic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.StepFacade;

/** A refused step leaves params and state bit-identical, and the run continues as if it never happened. */
class FullFaultTest {
    static final int D = 6;

    static Stream<CgdConfig> configs() {
        CgdConfig base = CgdConfig.fullCgd(0.05, 3, 9, 0.5, 1e-4).withDebias(true);
        return Stream.of(base, base.withMetric(Metric.BELIEF), base.withMetric(Metric.SECOND_MOMENT),
                base.withRefreshEvery(3), base.withRefreshEvery(3).withRefreshMode(RefreshMode.TRACKED),
                base.withMetric(Metric.BELIEF).withRefreshEvery(3).withRefreshMode(RefreshMode.TRACKED),
                base.withWarmupSteps(2).withRefreshEvery(2));
    }

    /** State, params, counters and diagnostics, all as bytes / values. */
    record Frozen(List<byte[]> slices, double[] params, long steps, long skipped, double[] eigenvalues) {
        static Frozen of(StepFacade opt, double[] params) {
            return new Frozen(snapshot(opt), params.clone(), opt.steps(), opt.skippedSteps(), opt.eigenvalues());
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void failedEigendecompositionChangesNothingAndTheRunContinuesBitIdentically(CgdConfig config) {
        for (Fault fault : Fault.values()) {
            FaultyLinearAlgebra faulty = new FaultyLinearAlgebra(LinearAlgebraProvider.get(), fault, -1);
            Quadratic pa = new Quadratic(D, 7);
            Quadratic pb = new Quadratic(D, 7);
            double[] qa = new double[D];
            double[] qb = new double[D];
            try (StepFacade clean = Engines.full(LinearAlgebraProvider.get(), config, D);
                 StepFacade victim = Engines.full(faulty, config, D)) {
                int failures = 0;
                for (int t = 1; t <= 14; t++) {
                    double[] ga = pa.gradient(qa);
                    double[] gb = pb.gradient(qb);
                    if (t == 4 || t == 5 || t == 9 || t == 10) { // fail this step's eigendecomposition if it has one
                        faulty.failOnCall(faulty.calls() + 1);
                        long callsBefore = faulty.calls();
                        Frozen before = Frozen.of(victim, qb);
                        try {
                            victim.step(qb, gb);
                            assertThat(faulty.calls()).as("no eigendecomposition on step %d", t).isEqualTo(callsBefore);
                        } catch (LapackException | ArithmeticException e) {
                            failures++;
                            assertThat(e).hasMessageContaining("params and state unchanged");
                            assertThat(Frozen.of(victim, qb)).usingRecursiveComparison().isEqualTo(before);
                            victim.step(qb, gb); // retried with a working solver
                        }
                        faulty.failOnCall(-1);
                    } else {
                        victim.step(qb, gb);
                    }
                    clean.step(qa, ga);
                    assertThat(qb).as("step %d", t).isEqualTo(qa);
                    assertThat(snapshot(victim)).usingRecursiveComparison().isEqualTo(snapshot(clean));
                }
                assertThat(failures).as("some refresh step was failed").isPositive();
            }
        }
    }

    @Test
    void nonFiniteGradientIsRefusedOrSkippedWithoutChangingAnything() {
        CgdConfig c = CgdConfig.fullCgd(0.05, 3, 9, 0.5, 1e-4);
        for (NonFinitePolicy policy : new NonFinitePolicy[] {NonFinitePolicy.THROW, NonFinitePolicy.SKIP}) { // the checked policies
            try (StepFacade opt = Engines.full(LinearAlgebraProvider.get(), c.withNonFinitePolicy(policy), D)) {
                double[] q = {1, 2, 3, 4, 5, 6};
                opt.step(q, new double[] {1, -1, 2, 0, 0.5, 3});
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    Frozen before = Frozen.of(opt, q);
                    double[] g = {1, 2, 3, 4, bad, 6};
                    if (policy == NonFinitePolicy.THROW) {
                        assertThatThrownBy(() -> opt.step(q, g)).isInstanceOf(NonFiniteGradientException.class)
                                .satisfies(e -> assertThat(((NonFiniteGradientException) e).index()).isEqualTo(4));
                        assertThat(Frozen.of(opt, q)).usingRecursiveComparison().isEqualTo(before);
                    } else {
                        opt.step(q, g);
                        assertThat(Frozen.of(opt, q)).usingRecursiveComparison().ignoringFields("skipped").isEqualTo(before);
                        assertThat(opt.skippedSteps()).isEqualTo(before.skipped() + 1);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void metricThatOverflowsIsRefusedWithoutChangingAnything(CgdConfig config) {
        try (StepFacade opt = Engines.full(LinearAlgebraProvider.get(), config, D)) {
            double[] q = {1, 2, 3, 4, 5, 6};
            opt.step(q, new double[] {1, -1, 2, 0, 0.5, 3});
            opt.step(q, new double[] {2, 1, -2, 1, 0.5, 1}); // with refreshEvery 3: one update queued
            Frozen before = Frozen.of(opt, q);
            double[] huge = {1, 2, 1e200, 4, 5, 6}; // finite, but its square is not
            assertThatThrownBy(() -> opt.step(q, huge)).isInstanceOf(ArithmeticException.class)
                    .isNotInstanceOf(NonFiniteGradientException.class)
                    .hasMessageContaining("non-finite").hasMessageContaining("params and state unchanged");
            assertThat(Frozen.of(opt, q)).usingRecursiveComparison().isEqualTo(before);
        }
    }
}
