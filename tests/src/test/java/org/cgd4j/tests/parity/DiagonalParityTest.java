package org.cgd4j.tests.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC "Exact special cases": every row of the table against a reference written from the published
 * update rule, 300 closed-loop steps of a noisy quadratic, max relative difference of the
 * parameters ≤ 1e-12 at every step (double precision). Rounding differs (e.g. PyTorch's √v/√bc2
 * against our √(v/c2)), so equality is to ~1e-14 per step, not bit for bit.
 */
class DiagonalParityTest {
    static final int D = 37;
    static final int STEPS = 300;
    static final double TOLERANCE = 1e-12;

    static Stream<Arguments> rows() {
        return Stream.of(
                row("SGD(lr)", CgdConfig.sgd(0.05), d -> ReferenceOptimizers.sgd(0.05)),
                row("PyTorch SGD momentum", CgdConfig.momentum(0.02, 0.9), d -> ReferenceOptimizers.sgdMomentum(0.02, 0.9, d)),
                row("PyTorch RMSprop", CgdConfig.rmsprop(0.01, 0.99, 1e-8),
                        d -> ReferenceOptimizers.rmsprop(0.01, 0.99, 1e-8, false, d)),
                row("PyTorch RMSprop centered", CgdConfig.rmspropCentered(0.01, 0.9, 1e-8),
                        d -> ReferenceOptimizers.rmsprop(0.01, 0.9, 1e-8, true, d)),
                row("PyTorch Adam", CgdConfig.adam(0.01, 0.9, 0.999, 1e-8),
                        d -> ReferenceOptimizers.adam(0.01, 0.9, 0.999, 1e-8, d)),
                row("PyTorch Adam, large eps", CgdConfig.adam(0.03, 0.8, 0.99, 1e-2),
                        d -> ReferenceOptimizers.adam(0.03, 0.8, 0.99, 1e-2, d)),
                row("AdaBelief", CgdConfig.adabelief(0.01, 0.9, 0.999, 1e-8),
                        d -> ReferenceOptimizers.adabelief(0.01, 0.9, 0.999, 1e-8, d)),
                row("AdaBelief, large eps", CgdConfig.adabelief(0.02, 0.9, 0.99, 1e-3),
                        d -> ReferenceOptimizers.adabelief(0.02, 0.9, 0.99, 1e-3, d)),
                row("paper's Adam limit", CgdConfig.adam(0.01, 0.9, 0.999, 1e-6).withDebias(false).withEpsilon(1e-6).withEpsilonOutside(0),
                        d -> ReferenceOptimizers.paperAdamLimit(0.01, 0.9, 0.999, 1e-6, d)));
    }

    private static Arguments row(String name, CgdConfig config, IntFunction<ReferenceOptimizers.Reference> reference) {
        return Arguments.of(name, config, reference);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void arraysMatchReference(String name, CgdConfig config, IntFunction<ReferenceOptimizers.Reference> reference) {
        NoisyQuadratic ours = new NoisyQuadratic(D, 0.3, 42);
        NoisyQuadratic theirs = new NoisyQuadratic(D, 0.3, 42);
        ReferenceOptimizers.Reference ref = reference.apply(D);
        double[] q = ours.start.clone(), g = new double[D];
        double[] qRef = theirs.start.clone(), gRef = new double[D];
        double worst = 0;
        try (Optimizer opt = Optimizer.create(config, D)) {
            for (int t = 0; t < STEPS; t++) {
                ours.gradient(q, g);
                theirs.gradient(qRef, gRef);
                opt.step(q, g);
                ref.step(qRef, gRef);
                worst = Math.max(worst, maxRelativeDifference(q, qRef));
            }
            assertThat(opt.steps()).isEqualTo(STEPS);
        }
        assertThat(worst).as("%s: max relative difference over %d steps", name, STEPS).isLessThanOrEqualTo(TOLERANCE);
        assertThat(maxRelativeDifference(q, ours.start)).as("%s moved the parameters", name).isGreaterThan(0.1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void segmentsMatchReference(String name, CgdConfig config, IntFunction<ReferenceOptimizers.Reference> reference) {
        NoisyQuadratic ours = new NoisyQuadratic(D, 0.3, 7);
        NoisyQuadratic theirs = new NoisyQuadratic(D, 0.3, 7);
        ReferenceOptimizers.Reference ref = reference.apply(D);
        double[] q = ours.start.clone(), g = new double[D];
        double[] qRef = theirs.start.clone(), gRef = new double[D];
        double worst = 0;
        try (Arena arena = Arena.ofConfined(); Optimizer opt = Optimizer.create(config, D)) {
            MemorySegment qs = arena.allocate(ValueLayout.JAVA_DOUBLE, D);
            MemorySegment gs = arena.allocate(ValueLayout.JAVA_DOUBLE, D);
            MemorySegment.copy(q, 0, qs, ValueLayout.JAVA_DOUBLE, 0, D);
            for (int t = 0; t < STEPS; t++) {
                ours.gradient(q, g);
                theirs.gradient(qRef, gRef);
                MemorySegment.copy(g, 0, gs, ValueLayout.JAVA_DOUBLE, 0, D);
                opt.step(qs, gs);
                MemorySegment.copy(qs, ValueLayout.JAVA_DOUBLE, 0, q, 0, D);
                ref.step(qRef, gRef);
                worst = Math.max(worst, maxRelativeDifference(q, qRef));
            }
        }
        assertThat(worst).as("%s (segments): max relative difference over %d steps", name, STEPS)
                .isLessThanOrEqualTo(TOLERANCE);
    }

    static double maxRelativeDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
        }
        return worst;
    }
}
