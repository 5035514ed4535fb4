package org.cgd4j.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.experiments.problem.SoftmaxMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DigitsTaskTest {
    private static DigitsTask task;

    @BeforeAll
    static void load() {
        task = new DigitsTask(new int[] {64, 128, 128, 10}, 32);
    }

    @Test
    void describesTheNetworkAndItsTensors() {
        assertThat(task.id()).isEqualTo("digits");
        assertThat(task.dimension()).isEqualTo(26_122);
        assertThat(task.label()).isEqualTo("Digits (MLP 64→128→128→10, 26122 params)");
        assertThat(task.suite()).isEqualTo(Suite.REAL_DATA);
        assertThat(task.layout()).isEqualTo(new SoftmaxMlp(1, 64, 128, 128, 10).layout());
        assertThat(task.setSizes()).containsExactly(1197, 300, 300);
    }

    /** 150 steps of Adam (4 epochs): far above the 10 % of guessing, in about a tenth of a CPU-second once compiled. */
    @Test
    void aShortRunLearns() {
        RunResult r = task.run(CgdConfig.adam(3e-3, 0.9, 0.999, 1e-8), 1, 150, false, false);
        assertThat(r.diverged()).isZero();
        assertThat(r.steps()).containsExactly(0, 150);
        assertThat(r.loss()[0]).isGreaterThan(2.0); // ≈ ln 10 at the start
        assertThat(r.finalLoss()).isLessThan(0.5);
        assertThat(r.heldOut().accuracy()[0]).isLessThan(0.3);
        assertThat(r.heldOut().accuracy()[1]).isGreaterThan(0.85);
        assertThat(r.heldOut().cpuSeconds()[0]).isZero();
        assertThat(r.heldOut().cpuSeconds()[1]).isPositive();
        assertThat(r.heldOut().wallSeconds()[1]).isPositive();
    }

    @Test
    void curvesAreRecordedAtHundredEvenIntervals() {
        DigitsTask small = new DigitsTask(new int[] {64, 10}, 8); // softmax regression: the schedule is the point
        RunResult r = small.run(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8), 1, 150, true, false);
        assertThat(r.steps()).hasSize(101).startsWith(0, 2, 3).endsWith(150); // rounded: 0, 1.5, 3, ...
        double[] cpu = r.heldOut().cpuSeconds();
        for (int i = 1; i < cpu.length; i++) {
            assertThat(cpu[i]).isGreaterThanOrEqualTo(cpu[i - 1]);
            assertThat(r.heldOut().wallSeconds()[i]).isGreaterThanOrEqualTo(r.heldOut().wallSeconds()[i - 1]);
        }
    }

    @Test
    void runsAreDeterministicPerSeedAndTuningScoresOnValidation() {
        CgdConfig c = CgdConfig.diagonalCgd(1e-3, 9, 999, 0.5, 1e-8);
        RunResult a = task.run(c, 7, 40, false, false);
        RunResult b = task.run(c, 7, 40, false, false);
        RunResult other = task.run(c, 8, 40, false, false);
        assertThat(a.loss()).isEqualTo(b.loss());
        assertThat(a.heldOut().accuracy()).isEqualTo(b.heldOut().accuracy());
        assertThat(other.finalLoss()).isNotEqualTo(a.finalLoss());
        RunResult tuning = task.tuningRun(c, 7, 40);
        assertThat(tuning.steps()).containsExactly(0, 40);
        assertThat(tuning.finalLoss()).isFinite().isNotEqualTo(a.finalLoss()); // same training, other rows
    }

    @Test
    void aDivergingRunIsReportedNotThrown() {
        RunResult r = task.run(CgdConfig.sgd(1e300), 1, 20, false, false); // the first step overflows the weights
        assertThat(r.diverged()).isEqualTo(1);
        assertThat(r.failure()).isNotNull();
        assertThat(r.finalLoss()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.heldOut().accuracy()[1]).isNaN();
    }

    @Test
    void fullCgdIsOutOfReachAndSaysWhy() {
        String why = task.unavailable(CgdConfig.fullCgd(1e-3, 9, 999, 0.5, 1e-8));
        assertThat(why).contains("d = 26122", "8·d² = 5.46 GB", "21.8 GB", "4 GiB");
        assertThat(task.unavailable(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8))).isNull();
    }

    @Test
    void refusesBadSizes() {
        assertThatThrownBy(() -> new DigitsTask(new int[] {64, 16, 9}, 32)).hasMessageContaining("64 inputs and 10 outputs");
        assertThatThrownBy(() -> new DigitsTask(new int[] {64, 10}, 0)).hasMessageContaining("batch size must be in 1..1197");
        assertThatThrownBy(() -> new DigitsTask(new int[] {64, 10}, 1198)).hasMessageContaining("got 1198");
    }
}
