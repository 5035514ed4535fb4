package org.cgd4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.cgd4j.experiments.run.MultiplicationTask;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.RosenbrockTask;
import org.cgd4j.experiments.run.Task;
import org.cgd4j.experiments.run.TaskSettings;
import org.cgd4j.experiments.tune.TrialRunner;
import org.cgd4j.experiments.tune.TunedFile;
import org.cgd4j.experiments.tune.Tuning;
import org.cgd4j.spark.tune.SparkTrialRunner;
import org.junit.jupiter.api.Test;

/** {@code tune --spark}: the same search scored as Spark tasks picks the same winners with the same scores. */
class SparkTuningTest {

    @Test
    void sparkTrialsPickTheLocalWinners() {
        TaskSettings sizes = new TaskSettings(4, new int[] {2, 4, 1}, 8, 64, TaskSettings.defaults().digitsLayers());
        List<Task> tasks = List.of(Task.byId(RosenbrockTask.ID, sizes), Task.byId(MultiplicationTask.ID, sizes));
        List<OptimizerKind> kinds = List.of(OptimizerKind.ADAM, OptimizerKind.FULL_CGD);
        Tuning.Plan plan = new Tuning.Plan(tasks, Map.of(RosenbrockTask.ID, kinds, MultiplicationTask.ID, kinds),
                Map.of(RosenbrockTask.ID, 40, MultiplicationTask.ID, 40), 9, 3, 2, 2, 2, 0, Map.of());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        TunedFile local = Tuning.run(plan, quiet, quiet, false);

        SparkSession spark = TestData.session("SparkTuningTest");
        TunedFile distributed;
        try (TrialRunner runner = new SparkTrialRunner(JavaSparkContext.fromSparkContext(spark.sparkContext()), sizes)) {
            distributed = Tuning.run(plan, quiet, quiet, false, runner);
        } finally {
            spark.stop();
        }
        assertThat(distributed.problems()).isEqualTo(local.problems());
        assertThat(local.problems().get(RosenbrockTask.ID)).containsOnlyKeys(OptimizerKind.ADAM, OptimizerKind.FULL_CGD);
    }

    @Test
    void theCliFindsTheSparkRunner() {
        TrialRunner.Provider p = java.util.ServiceLoader.load(TrialRunner.Provider.class).findFirst().orElseThrow();
        assertThat(p.name()).isEqualTo("spark");
        assertThat(p).isInstanceOf(SparkTrialRunner.Provider.class);
    }
}
