package org.cgd4j.engine.internal.diagonal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.StateSlice;
import org.junit.jupiter.api.Test;
import org.cgd4j.engine.internal.StepFacade;
import org.cgd4j.engine.internal.Precision;

class DiagonalOptimizerTest {
    static final CgdConfig ADAM = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8);

    @Test
    void wrongLengthsNameTheArgumentAndChangeNothing() {
        try (Optimizer opt = Optimizer.create(ADAM, 4)) {
            double[] q = {1, 2, 3, 4};
            assertThatThrownBy(() -> opt.step(new double[3], new double[4]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("params has 3 elements");
            assertThatThrownBy(() -> opt.step(q, new double[5]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grads has 5 elements");
            assertThat(q).containsExactly(1, 2, 3, 4);
            assertThat(opt.steps()).isZero();
        }
    }

    @Test
    void wrongSegmentsAreRefused() {
        try (Arena arena = Arena.ofConfined(); Optimizer opt = Optimizer.create(ADAM, 4)) {
            MemorySegment ok = arena.allocate(ValueLayout.JAVA_DOUBLE, 4);
            assertThatThrownBy(() -> opt.step(arena.allocate(ValueLayout.JAVA_DOUBLE, 3), ok))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("params has 24 bytes");
            assertThatThrownBy(() -> opt.step(ok, MemorySegment.ofArray(new byte[32])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grads");
            assertThatThrownBy(() -> opt.step(ok.asReadOnly(), arena.allocate(ValueLayout.JAVA_DOUBLE, 4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void closedOptimizerRefusesSteps() {
        Optimizer opt = Optimizer.create(ADAM, 2);
        opt.step(new double[2], new double[] {1, 2});
        opt.close();
        opt.close();
        assertThatThrownBy(() -> opt.step(new double[2], new double[2]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void nonFiniteGradientThrowsAndLeavesEverythingUnchanged() {
        try (Optimizer opt = Optimizer.create(ADAM, 5)) {
            double[] q = {1, 2, 3, 4, 5};
            opt.step(q, new double[] {1, 1, 1, 1, 1});
            double[] before = q.clone();
            byte[] state = stateBytes((StepFacade) opt);
            assertThatThrownBy(() -> opt.step(q, new double[] {1, 1, Double.NaN, Double.POSITIVE_INFINITY, 1}))
                    .isInstanceOfSatisfying(NonFiniteGradientException.class, e -> assertThat(e.index()).isEqualTo(2));
            assertThat(q).containsExactly(before);
            assertThat(stateBytes((StepFacade) opt)).containsExactly(state);
            assertThat(opt.steps()).isEqualTo(1);
        }
    }

    @Test
    void gradientWhoseSquareWouldOverflowIsRefusedForEveryMetric() {
        for (CgdConfig config : new CgdConfig[] {ADAM, CgdConfig.adabelief(1e-3, 0.9, 0.999, 1e-8),
                CgdConfig.rmspropCentered(1e-3, 0.99, 1e-8)}) {
            try (Optimizer opt = Optimizer.create(config, 3)) {
                double[] q = {1, 2, 3};
                opt.step(q, new double[] {1, -1, 1});
                double[] before = q.clone();
                byte[] state = stateBytes((StepFacade) opt);
                assertThatThrownBy(() -> opt.step(q, new double[] {1, 1e200, 1}))
                        .isInstanceOfSatisfying(NonFiniteGradientException.class, e -> assertThat(e.index()).isEqualTo(1))
                        .hasMessageContaining("overflow");
                assertThat(q).containsExactly(before);
                assertThat(stateBytes((StepFacade) opt)).containsExactly(state);
            }
        }
    }

    @Test
    void skipPolicyCountsAndLeavesEverythingUnchanged() {
        try (Optimizer opt = Optimizer.create(ADAM.withNonFinitePolicy(NonFinitePolicy.SKIP), 3)) {
            float[] q = {1, 2, 3};
            opt.step(q, new float[] {Float.NEGATIVE_INFINITY, 0, 0});
            assertThat(q).containsExactly(1, 2, 3);
            assertThat(opt.skippedSteps()).isEqualTo(1);
            assertThat(opt.steps()).isZero();
            opt.step(q, new float[] {1, 1, 1});
            assertThat(opt.steps()).isEqualTo(1);
            assertThat(q[0]).isLessThan(1);
        }
    }

    @Test
    void firstStepFixesThePrecision() {
        try (Optimizer opt = Optimizer.create(ADAM, 3)) {
            StepFacade diagonal = (StepFacade) opt;
            assertThat(diagonal.precision()).isNull();
            assertThat(diagonal.stateSlices().get(0).segment().byteSize()).isEqualTo(3 * Double.BYTES);
            opt.step(new float[3], new float[] {1, 2, 3});
            assertThat(diagonal.precision()).isEqualTo(Precision.FLOAT);
            assertThat(diagonal.stateSlices().get(0).segment().byteSize()).isEqualTo(3 * Float.BYTES);
            assertThat(opt.stateBytes()).isEqualTo(2 * 3 * Double.BYTES);
            assertThatThrownBy(() -> opt.step(new double[3], new double[3]))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("FLOAT");
        }
    }

    @Test
    void stateSlicesFollowTheMetric() {
        assertThat(sliceNames(CgdConfig.sgd(0.1))).isEmpty();
        assertThat(sliceNames(CgdConfig.momentum(0.1, 0.9))).containsExactly("m");
        assertThat(sliceNames(ADAM)).containsExactly("m", "s");
        assertThat(sliceNames(CgdConfig.rmspropCentered(0.1, 0.9, 1e-8))).containsExactly("m", "s", "mu");
        assertThat(sliceNames(ADAM.withMetric(Metric.COVARIANCE).withCovarianceMean(CovarianceMean.FORCE)))
                .containsExactly("m", "s");
        assertThat(sliceNames(CgdConfig.adabelief(0.1, 0.9, 0.99, 1e-8))).containsExactly("m", "b");
    }

    @Test
    void stateLargerThanTheLimitIsRefusedAtCreation() {
        assertThatThrownBy(() -> Optimizer.create(ADAM.withMaxStateBytes(100), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxStateBytes");
    }

    @Test
    void fullOnlyQueriesSaySo() {
        try (Optimizer opt = Optimizer.create(ADAM, 2)) {
            assertThatThrownBy(opt::eigenvalues).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("FULL");
        }
    }

    @Test
    void checkpointResumesBitIdentically(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        CgdConfig config = CgdConfig.rmspropCentered(0.01, 0.9, 1e-8).withTau1(3).withDebias(true);
        double[] q = {1, -2, 3, 0.5, 7};
        double[] g = new double[5];
        java.nio.file.Path file = dir.resolve("diag.ckpt");
        try (Optimizer a = Optimizer.create(config, 5)) {
            for (int t = 0; t < 7; t++) {
                for (int i = 0; i < 5; i++) {
                    g[i] = Math.sin(t + 3 * i) + q[i];
                }
                a.step(q, g);
            }
            a.save(file);
            double[] qa = q.clone(), qb = q.clone();
            try (Optimizer b = Optimizer.load(file)) {
                assertThat(b.steps()).isEqualTo(7);
                for (int t = 0; t < 5; t++) {
                    for (int i = 0; i < 5; i++) {
                        g[i] = Math.cos(t * i) + qa[i];
                    }
                    a.step(qa, g);
                    b.step(qb, g.clone());
                }
            }
            assertThat(qb).containsExactly(qa);
        }
    }

    private static java.util.List<String> sliceNames(CgdConfig config) {
        try (Optimizer opt = Optimizer.create(config, 2)) {
            opt.step(new double[2], new double[] {1, 2});
            return ((StepFacade) opt).stateSlices().stream().map(StateSlice::name).toList();
        }
    }

    private static byte[] stateBytes(StepFacade opt) {
        var out = new java.io.ByteArrayOutputStream();
        for (StateSlice slice : opt.stateSlices()) {
            out.writeBytes(slice.segment().toArray(ValueLayout.JAVA_BYTE));
        }
        return out.toByteArray();
    }
}
