package org.cgd4j.spark.tune;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.Task;
import org.cgd4j.experiments.run.TaskSettings;
import org.cgd4j.experiments.tune.TrialRunner;
import org.cgd4j.experiments.tune.Tuning;

/**
 * {@code cgd4j tune --spark}: each rung of a search is one Spark job with one task per trial; a task
 * runs {@link Tuning#score} exactly as the local pool would, so the scores, and therefore the
 * winners, are the same. An executor builds each problem once (per JVM) from the task sizes.
 */
public final class SparkTrialRunner implements TrialRunner {
    private final JavaSparkContext sc;
    private final boolean ownsContext;
    private final Sizes sizes;

    /** A runner on an existing context, which {@link #close} leaves running. */
    public SparkTrialRunner(JavaSparkContext sc, TaskSettings settings) {
        this(sc, false, settings);
    }

    private SparkTrialRunner(JavaSparkContext sc, boolean ownsContext, TaskSettings settings) {
        this.sc = Objects.requireNonNull(sc, "sc must not be null");
        this.ownsContext = ownsContext;
        this.sizes = Sizes.of(Objects.requireNonNull(settings, "settings must not be null"));
    }

    @Override
    public double[] score(List<Trial> trials) {
        if (trials.isEmpty()) {
            return new double[0];
        }
        Sizes s = sizes;
        List<Double> scores = sc.parallelize(trials, trials.size()).map(t -> scoreOn(s, t)).collect();
        double[] out = new double[scores.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores.get(i);
        }
        return out;
    }

    @Override
    public void close() {
        if (ownsContext) {
            sc.stop();
        }
    }

    /** Problems already built in this JVM, by id and sizes (building one draws its data). */
    private static final Map<String, Task> TASKS = new ConcurrentHashMap<>();

    private static double scoreOn(Sizes sizes, Trial t) {
        Task task = TASKS.computeIfAbsent(t.task() + "|" + sizes, k -> Task.byId(t.task(), sizes.settings()));
        return Tuning.score(task, OptimizerKind.byId(t.optimizer()), t.hyperparameters(), t.steps(), t.seeds());
    }

    /** TaskSettings in a form that travels with the tasks. */
    private record Sizes(int starts, List<Integer> layers, int batch, int heldOut, List<Integer> digitsLayers)
            implements Serializable {
        static Sizes of(TaskSettings s) {
            return new Sizes(s.starts(), java.util.Arrays.stream(s.layers()).boxed().toList(), s.batch(), s.heldOut(),
                    java.util.Arrays.stream(s.digitsLayers()).boxed().toList());
        }

        TaskSettings settings() {
            return new TaskSettings(starts, layers.stream().mapToInt(Integer::intValue).toArray(), batch, heldOut,
                    digitsLayers.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** The ServiceLoader entry: {@code open(master, …)} starts (and on close stops) a Spark context on master. */
    public static final class Provider implements TrialRunner.Provider {
        @Override
        public String name() {
            return "spark";
        }

        @Override
        public TrialRunner open(String master, TaskSettings settings) {
            SparkConf conf = new SparkConf().setMaster(master).setAppName("cgd4j tune")
                    .set("spark.ui.showConsoleProgress", "false")
                    .set("spark.log.level", "WARN"); // the CLI prints its own progress
            return new SparkTrialRunner(new JavaSparkContext(conf), true, settings);
        }
    }
}
