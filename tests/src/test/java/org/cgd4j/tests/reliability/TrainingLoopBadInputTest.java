package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The training-loop API refuses bad input with a message that names it, before anything exists or
 * changes: layouts, groups, decays, clipping, schedules, the user scale.
 */
class TrainingLoopBadInputTest {
    static final ParamLayout LAYOUT = ParamLayout.builder().matrix("w", 3, 4).vector("b", 3).build();
    static final CgdConfig ADAM = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);

    @Test
    void layouts() {
        assertThatThrownBy(() -> ParamLayout.builder().vector("a", 2).vector("a", 3)).hasMessageContaining("'a' appears twice");
        assertThatThrownBy(() -> ParamLayout.builder().matrix("w", 3, 0)).hasMessageContaining("'w' has shape [3, 0]");
        assertThatThrownBy(() -> ParamLayout.builder().tensor("t")).hasMessageContaining("'t' has no dimensions");
        assertThatThrownBy(() -> ParamLayout.builder().build()).hasMessageContaining("at least one tensor");
        assertThatThrownBy(() -> ParamLayout.builder().matrix("huge", 65536, 65536)).hasMessageContaining("past 2^31");
    }

    @Test
    void groups() {
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).group(ADAM, "w").group(ADAM, "w", "b").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor 'w' is in two parameter groups");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).group(ADAM, "w", "bias"))
                .hasMessageContaining("no tensor named 'bias'").hasMessageContaining("[w, b]");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).group(ADAM, "w").build())
                .hasMessageContaining("tensor 'b' is in no parameter group and there is no default config");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).build()).hasMessageContaining("no config");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).group(ADAM)).hasMessageContaining("at least one tensor name");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).config(ADAM)
                .group(ADAM.withNonFinitePolicy(org.cgd4j.engine.NonFinitePolicy.SKIP), "b").build())
                .hasMessageContaining("nonFinitePolicy");
    }

    @Test
    void decaysClippingAndThreads() {
        assertThatThrownBy(() -> ADAM.withWeightDecay(-0.1)).hasMessageContaining("weightDecay must be a finite number >= 0, got -0.1");
        assertThatThrownBy(() -> ADAM.withL2(Double.NaN)).hasMessageContaining("l2 must be a finite number >= 0, got NaN");
        assertThatThrownBy(() -> CgdConfig.adamW(1e-3, 0.9, 0.999, 1e-8, -1)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).clipNorm(-1)).hasMessageContaining("clipNorm must be a finite number >= 0");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).clipNorm(Double.POSITIVE_INFINITY)).hasMessageContaining("clipNorm");
        assertThatThrownBy(() -> Optimizer.builder(LAYOUT).threads(0)).hasMessageContaining("threads must be >= 1, got 0");
    }

    @Test
    void schedules() {
        assertThatThrownBy(() -> Schedule.linearWarmup(-1, 0.1)).hasMessageContaining("warmupSteps must be >= 1, got -1");
        assertThatThrownBy(() -> Schedule.linearWarmup(10, 0)).hasMessageContaining("startFactor must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> Schedule.warmupCosine(-1, 100, 0)).hasMessageContaining("warmupSteps must be >= 0, got -1");
        assertThatThrownBy(() -> Schedule.warmupCosine(100, 100, 0)).hasMessageContaining("totalSteps must be > warmupSteps = 100");
        assertThatThrownBy(() -> Schedule.cosine(0, 0)).hasMessageContaining("totalSteps must be >= 1, got 0");
        assertThatThrownBy(() -> Schedule.cosine(10, 1.5)).hasMessageContaining("minFactor must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> Schedule.stepDecay(10, 0)).hasMessageContaining("gamma must be a finite number > 0, got 0.0");
        assertThatThrownBy(() -> Schedule.stepDecay(0, 0.5)).hasMessageContaining("every must be >= 1, got 0");
        assertThatThrownBy(() -> Schedule.exponential(-0.5)).hasMessageContaining("gamma must be a finite number > 0, got -0.5");
    }

    @Test
    void underPropagateANanNormCannotClipAndIsRefused() {
        CgdConfig propagate = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withNonFinitePolicy(org.cgd4j.engine.NonFinitePolicy.PROPAGATE);
        try (Optimizer o = Optimizer.builder(LAYOUT).config(propagate).clipNorm(1).build()) {
            double[] q = new double[15];
            double[] g = new double[15];
            java.util.Arrays.fill(g, 0.5);
            o.step(q, g);
            StateSnapshot before = StateSnapshot.of(o, q);
            g[3] = Double.NaN;
            assertThatThrownBy(() -> o.step(q, g)).isInstanceOf(ArithmeticException.class).hasMessageContaining("norm is NaN");
            assertThat(StateSnapshot.of(o, q)).usingRecursiveComparison().isEqualTo(before);
        }
        try (Optimizer o = Optimizer.builder(LAYOUT).config(propagate).build()) { // without clipping NaN flows
            double[] q = new double[15];
            double[] g = new double[15];
            g[3] = Double.NaN;
            o.step(q, g);
            assertThat(q[3]).isNaN();
            assertThat(q[4]).isZero();
        }
    }

    @Test
    void aRefusedStepChangesNothingAndTheScaleIsChecked() {
        try (Optimizer o = Optimizer.builder(LAYOUT).config(CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1))
                .schedule(Schedule.linearWarmup(5, 0.2)).clipNorm(1).build()) {
            double[] q = new double[15];
            java.util.Arrays.fill(q, 1);
            double[] g = new double[15];
            java.util.Arrays.fill(g, 0.5);
            o.step(q, g);
            double norm = o.lastGradientNorm();
            double[] q0 = q.clone();
            StateSnapshot before = StateSnapshot.of(o, q);
            g[13] = Double.POSITIVE_INFINITY;
            assertThatThrownBy(() -> o.step(q, g)).isInstanceOf(NonFiniteGradientException.class);
            assertThat(q).isEqualTo(q0);
            assertThat(StateSnapshot.of(o, q)).usingRecursiveComparison().isEqualTo(before);
            assertThat(o.lastGradientNorm()).isEqualTo(norm);
            assertThatThrownBy(() -> o.setLearningRateScale(-1)).hasMessageContaining("learning-rate scale must be a finite number >= 0");
            assertThatThrownBy(() -> o.setLearningRateScale(Double.NaN)).hasMessageContaining("got NaN");
            assertThat(o.learningRateScale()).isEqualTo(1);
        }
    }
}
