package org.cgd4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.InvalidCheckpointException;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.spark.objective.Example;
import org.cgd4j.spark.objective.LogisticLoss;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CgdSpark on a local[2] session: distribution changes nothing (against the single-machine loop),
 * ORDERED runs are bit-reproducible across runs, resumes and task retries, and bad settings are refused.
 * Data: Iris versicolor (0) against virginica (1), the classes that overlap, 4 partitions.
 */
class CgdSparkTest {
    private static final CgdConfig ADAM = CgdConfig.adam(0.05, 0.9, 0.999, 1e-8);
    private static final CgdConfig FULL = CgdConfig.fullCgd(0.05, 9, 99, 0.5, 1e-8);
    private static final LogisticLoss LOSS = new LogisticLoss(4, true, 1e-2);

    private static SparkSession spark;
    private static List<Example> examples;
    private static JavaRDD<Example> data;

    @BeforeAll
    static void start() {
        spark = TestData.session("CgdSparkTest");
        examples = new ArrayList<>();
        for (Example e : TestData.iris()) {
            if (e.label() > 0) {
                examples.add(new Example(e.label() - 1, e.features()));
            }
        }
        data = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(examples, 4).cache();
        data.count();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static double[] zeros() {
        return new double[LOSS.dimension()];
    }

    @Test
    void distributionChangesNothing() {
        for (CgdConfig config : new CgdConfig[] {ADAM, FULL}) {
            double[] local = LocalLoop.minimize(examples, LOSS, zeros(), config, 50);
            FitResult r = CgdSpark.with(config).iterations(50).aggregation(Aggregation.TREE).build()
                    .minimize(data, LOSS, zeros());
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < local.length; i++) {
                scale = Math.max(scale, Math.abs(local[i]));
                diff = Math.max(diff, Math.abs(local[i] - r.params()[i]));
            }
            assertThat(diff / scale).as("%s", config.structure()).isLessThanOrEqualTo(1e-9);
            assertThat(r.iterations()).isEqualTo(50);
            assertThat(r.history()).hasSize(50);
            assertThat(r.examplesVisited()).isEqualTo(50L * examples.size());
            assertThat(r.history().get(49).loss()).isLessThan(r.history().get(0).loss());
        }
    }

    @Test
    void orderedMiniBatchRunsAreBitIdentical() {
        CgdSpark cgd = CgdSpark.with(ADAM).iterations(20).miniBatchFraction(0.5).seed(7).build();
        FitResult a = cgd.minimize(data, LOSS, zeros());
        FitResult b = cgd.minimize(data, LOSS, zeros());
        assertThat(b.params()).containsExactly(a.params());
        assertThat(a.examplesVisited()).isEqualTo(b.examplesVisited()).isLessThan(20L * examples.size());
        FitResult other = CgdSpark.with(ADAM).iterations(20).miniBatchFraction(0.5).seed(8).build().minimize(data, LOSS, zeros());
        assertThat(other.params()).isNotEqualTo(a.params());
    }

    @Test
    void resumeEqualsAnUninterruptedRun(@TempDir Path dir) {
        for (CgdConfig config : new CgdConfig[] {ADAM, FULL}) {
            Path ckpt = dir.resolve(config.structure().name());
            FitResult whole = CgdSpark.with(config).iterations(20).miniBatchFraction(0.7).build().minimize(data, LOSS, zeros());
            FitResult first = CgdSpark.with(config).iterations(13).miniBatchFraction(0.7).checkpoint(ckpt, 5).build()
                    .minimize(data, LOSS, zeros());
            assertThat(first.iterations()).isEqualTo(13);
            FitResult rest = CgdSpark.with(config).iterations(20).miniBatchFraction(0.7).checkpoint(ckpt, 5).build()
                    .resume(data, LOSS);
            assertThat(rest.firstIteration()).isEqualTo(13);
            assertThat(rest.iterations()).isEqualTo(20);
            assertThat(rest.params()).as("%s", config.structure()).containsExactly(whole.params());
            assertThat(rest.history().getFirst().loss()).isEqualTo(whole.history().get(13).loss());
        }
    }

    /** The training-loop builder as the factory: a FULL group for the coefficients, Adam for the intercept, a schedule, clipping. */
    @Test
    void aBuilderOptimizerPlugsInAndResumesBitForBit(@TempDir Path dir) {
        ParamLayout layout = ParamLayout.builder().vector("coefficients", 4).vector("intercept", 1).build();
        OptimizerFactory factory = d -> Optimizer.builder(layout).config(ADAM).group(FULL, "coefficients")
                .schedule(Schedule.warmupCosine(5, 20, 0.1)).clipNorm(1.0).build();
        FitResult whole = CgdSpark.with(factory).iterations(20).build().minimize(data, LOSS, zeros());
        CgdSpark.with(factory).iterations(13).checkpoint(dir, 4).build().minimize(data, LOSS, zeros());
        FitResult rest = CgdSpark.with(factory).iterations(20).checkpoint(dir, 4).build().resume(data, LOSS);
        assertThat(rest.params()).containsExactly(whole.params());
        assertThat(whole.lastLoss()).isLessThan(whole.history().getFirst().loss());
    }

    @Test
    void aTaskThatFailsOnceChangesNothing() {
        CgdSpark cgd = CgdSpark.with(FULL).iterations(12).build();
        FitResult clean = cgd.minimize(data, LOSS, zeros());
        FailingOnce.ARMED.set(true);
        FailingOnce.CALLS.set(0);
        FitResult retried = cgd.minimize(data, new FailingOnce(), zeros());
        assertThat(FailingOnce.ARMED.get()).as("the failure was injected").isFalse();
        assertThat(retried.params()).containsExactly(clean.params());
        assertThat(retried.examplesVisited()).isEqualTo(clean.examplesVisited());
    }

    /** LOSS, but the first attempt of partition 1 throws halfway through the data's 9th pass (once). */
    private static final class FailingOnce implements Objective<Example> {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public double accumulate(Example e, double[] q, double[] gradientSum) {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == 1 && task.attemptNumber() == 0
                    && CALLS.incrementAndGet() == 8 * 25 + 12 && ARMED.compareAndSet(true, false)) {
                throw new IllegalStateException("injected task failure");
            }
            return LOSS.accumulate(e, q, gradientSum);
        }

        @Override
        public double weight(Example e) {
            return LOSS.weight(e);
        }

        @Override
        public double regularize(double[] q, double[] gradient) {
            return LOSS.regularize(q, gradient);
        }
    }

    @Test
    void aDatasetOfRowsIsMinimisedLikeTheList() {
        List<Row> rows = new ArrayList<>();
        for (Example e : examples) {
            rows.add(RowFactory.create(e.label(), Vectors.dense(e.features())));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
        Dataset<Row> frame = spark.createDataFrame(rows, schema).repartition(3);
        Objective<Row> onRows = new RowLoss();
        double[] local = LocalLoop.minimize(examples, LOSS, zeros(), ADAM, 10);
        FitResult r = CgdSpark.with(ADAM).iterations(10).build().minimize(frame, onRows, zeros());
        for (int i = 0; i < local.length; i++) {
            assertThat(r.params()[i]).isCloseTo(local[i], org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    /** LOSS on rows (label, features vector). */
    private static final class RowLoss implements Objective<Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public double accumulate(Row row, double[] q, double[] gradientSum) {
            return LOSS.accumulate(new Example(row.getDouble(0), ((Vector) row.get(1)).toArray()), q, gradientSum);
        }

        @Override
        public double regularize(double[] q, double[] gradient) {
            return LOSS.regularize(q, gradient);
        }
    }

    @Test
    void targetLossStopsBeforeStepping() {
        List<IterationReport> seen = new ArrayList<>();
        FitResult full = CgdSpark.with(ADAM).iterations(40).build().minimize(data, LOSS, zeros());
        double target = full.history().get(25).loss();
        FitResult r = CgdSpark.with(ADAM).iterations(40).targetLoss(target).onIteration(seen::add).build()
                .minimize(data, LOSS, zeros());
        assertThat(r.reachedTarget()).isTrue();
        assertThat(r.iterations()).isEqualTo(25);
        assertThat(r.lastLoss()).isEqualTo(target);
        assertThat(seen).isEqualTo(r.history()).hasSize(26);
        assertThat(seen.getLast().stepNanos()).isZero();
        assertThat(seen.getFirst().aggregateNanos()).isPositive();
        Evaluation e = CgdSpark.evaluate(data, LOSS, r.params());
        assertThat(e.loss()).isEqualTo(target);
        assertThat(e.count()).isEqualTo(examples.size());
    }

    @Test
    void badSettingsAreRefusedWithTheirName(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> CgdSpark.with(ADAM).iterations(0)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> CgdSpark.with(ADAM).miniBatchFraction(0)).hasMessageContaining("miniBatchFraction");
        assertThatThrownBy(() -> CgdSpark.with(ADAM).miniBatchFraction(1.5)).hasMessageContaining("miniBatchFraction");
        assertThatThrownBy(() -> CgdSpark.with(ADAM).treeDepth(0)).hasMessageContaining("treeDepth");
        assertThatThrownBy(() -> CgdSpark.with(ADAM).checkpoint(dir, 0)).hasMessageContaining("every");
        assertThatThrownBy(() -> CgdSpark.with(ADAM).build().resume(data, LOSS)).hasMessageContaining("checkpoint directory");
        assertThatThrownBy(() -> CgdSpark.with(ADAM).checkpoint(dir.resolve("none"), 1).build().resume(data, LOSS))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("no checkpoint");
        assertThatThrownBy(() -> CgdSpark.with(d -> org.cgd4j.engine.Optimizer.create(ADAM, d + 1)).build()
                .minimize(data, LOSS, zeros())).hasMessageContaining("dimension 6 for 5 parameters");

        Path ckpt = dir.resolve("ckpt");
        CgdSpark.with(ADAM).iterations(2).checkpoint(ckpt, 1).build().minimize(data, LOSS, zeros());
        Path params = ckpt.resolve("iter-2").resolve("params.bin");
        byte[] bytes = Files.readAllBytes(params);
        bytes[30] ^= 1;
        Files.write(params, bytes);
        assertThatThrownBy(() -> CgdSpark.with(ADAM).iterations(4).checkpoint(ckpt, 1).build().resume(data, LOSS))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("CRC32C");
        assertThat(Files.list(ckpt).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("LATEST", "iter-2");
    }
}
