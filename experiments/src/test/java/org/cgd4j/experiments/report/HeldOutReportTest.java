package org.cgd4j.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.cgd4j.experiments.run.DigitsTask;
import org.cgd4j.experiments.run.HeldOutTrace;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.Outcome;
import org.cgd4j.experiments.run.Reproduction;
import org.cgd4j.experiments.run.RunResult;
import org.junit.jupiter.api.Test;

class HeldOutReportTest {
    private static final int[] STEPS = {0, 10, 20, 30};

    private static RunResult run(double[] loss, double[] cpu) {
        return new RunResult(STEPS, loss, new int[0], 0, null, 1, null,
                new HeldOutTrace(new double[] {0.1, 0.8, 0.9, 0.95}, cpu, cpu.clone()));
    }

    private static Outcome outcome(DigitsTask task, OptimizerKind kind, RunResult... runs) {
        return new Outcome(task, kind, kind.id(), kind.label(), kind.defaults(), "default", kind.config(kind.defaults(), 10),
                new long[] {1, 2}, List.of(runs));
    }

    /**
     * Adam's median curve is (2, 1.1, 0.6, 0.5): its best 0.5 at step 30, reached at 3 CPU-seconds.
     * Diagonal CGD's median falls to 0.5 by step 10, at 2 CPU-seconds: 1/3 of Adam's steps, 2/3 of its time.
     */
    @Test
    void stepsAndTimeToAdamsBestComeFromTheMedianCurves() {
        DigitsTask task = new DigitsTask(new int[] {64, 10}, 8);
        double[] adamCpu = {0, 1, 2, 3};
        double[] cgdCpu = {0, 2, 4, 6};
        Outcome adam = outcome(task, OptimizerKind.ADAM, run(new double[] {2, 1, 0.5, 0.6}, adamCpu),
                run(new double[] {2, 1.2, 0.7, 0.4}, adamCpu));
        Outcome cgd = outcome(task, OptimizerKind.DIAGONAL_CGD, run(new double[] {2, 0.5, 0.3, 0.2}, cgdCpu),
                run(new double[] {2, 0.5, 0.35, 0.25}, cgdCpu));
        Outcome adamW = outcome(task, OptimizerKind.ADAMW, run(new double[] {2, 1.5, 1.0, 0.9}, adamCpu),
                run(new double[] {2, 1.5, 0.45, 0.9}, adamCpu));
        Reproduction.Plan plan = new Reproduction.Plan(List.of(task), Map.of(task.id(), List.of(OptimizerKind.ADAM,
                OptimizerKind.DIAGONAL_CGD, OptimizerKind.ADAMW)), Map.of(task.id(), 30), 2, 1, null, 0, 0);
        HeldOutReport.View v = HeldOutReport.view(new Reproduction.Results(plan, List.of(adam, cgd, adamW), Map.of(), 1), task);

        assertThat(v.target()).isEqualTo(0.5);
        HeldOutReport.Row a = v.rows().get(0);
        HeldOutReport.Row c = v.rows().get(1);
        HeldOutReport.Row w = v.rows().get(2);
        assertThat(a.stepsToTarget()).isEqualTo(30);
        assertThat(a.secondsToTarget()).isEqualTo(3.0);
        assertThat(a.seedsReaching()).isEqualTo(2);
        assertThat(c.stepsToTarget()).isEqualTo(10);
        assertThat(c.secondsToTarget()).isEqualTo(2.0);
        assertThat(c.bestLoss()).isEqualTo(0.225);
        assertThat(c.bestLossStep()).isEqualTo(30);
        assertThat(c.millisPerStep()).isCloseTo(200, within(1e-12));
        assertThat(w.stepsToTarget()).as("the median never gets there").isEqualTo(-1);
        assertThat(w.seedsReaching()).as("one seed does").isEqualTo(1);
        assertThat(a.finalAccuracy()).containsExactly(0.95, 0.95);

        String table = HeldOutReport.table(v);
        assertThat(table).contains("Adam's best held-out loss 0.5000")
                .contains("| Diagonal CGD | 0.2250 (30) | 95.00 % ± 0.00 % | 95.00 % | 10 (2/2) | 0.33× | 2.00 s | 0.67× |")
                .contains("| AdamW | 0.7250 (20) |").contains("not reached (1/2) | — | — | — |")
                .contains("Full CGD is not run: out of reach at d = 650");
    }
}
