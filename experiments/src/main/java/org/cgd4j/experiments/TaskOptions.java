package org.cgd4j.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cgd4j.experiments.run.Defaults;
import org.cgd4j.experiments.run.MultiplicationTask;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.RosenbrockTask;
import org.cgd4j.experiments.run.Task;
import org.cgd4j.experiments.run.TaskSettings;
import picocli.CommandLine.Option;

/** Options shared by {@code reproduce} and {@code tune}: which problems, optimizers, sizes and threads. */
final class TaskOptions {
    @Option(names = "--problems", split = ",", paramLabel = "ID",
            description = "Problems to run (default: ${DEFAULT-VALUE}).", defaultValue = "rosenbrock,multiplication")
    List<String> problems;

    @Option(names = "--optimizers", split = ",", paramLabel = "ID",
            description = "Optimizers (default: all of sgd,momentum,rmsprop,adam,adabelief,diagonal-cgd,full-cgd).")
    List<String> optimizers;

    @Option(names = "--steps", paramLabel = "N",
            description = "Steps per run for every problem (default: " + Defaults.ROSENBROCK_STEPS + " Rosenbrock, "
                    + Defaults.MULTIPLICATION_STEPS + " multiplication).")
    Integer steps;

    @Option(names = "--starts", paramLabel = "N", defaultValue = "64",
            description = "Rosenbrock: random starts averaged per seed (default: ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--layers", split = ",", paramLabel = "W", defaultValue = "2,16,1",
            description = "Multiplication: MLP layer widths, 2 in and 1 out (default: ${DEFAULT-VALUE}).")
    int[] layers;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32",
            description = "Multiplication: mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "1024",
            description = "Multiplication: held-out set size (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: available cores, at most 4).")
    Integer threads;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    TaskSettings settings() {
        return new TaskSettings(starts, layers, batch, heldOut);
    }

    List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (String id : problems) {
            tasks.add(Task.byId(id.trim(), settings()));
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("--problems: no problem given; known: " + RosenbrockTask.ID + ","
                    + MultiplicationTask.ID);
        }
        return tasks;
    }

    List<OptimizerKind> kinds() {
        if (optimizers == null || optimizers.isEmpty()) {
            return List.of(OptimizerKind.values());
        }
        List<OptimizerKind> kinds = new ArrayList<>();
        for (String id : optimizers) {
            kinds.add(OptimizerKind.byId(id.trim()));
        }
        return kinds;
    }

    Map<String, Integer> steps(List<Task> tasks) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Task t : tasks) {
            int s = steps != null ? steps : Defaults.steps(t.id());
            if (s < 1) {
                throw new IllegalArgumentException("--steps must be >= 1, got " + s);
            }
            m.put(t.id(), s);
        }
        return m;
    }

    int threads() {
        int t = threads != null ? threads : Math.min(4, Runtime.getRuntime().availableProcessors());
        if (t < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + t);
        }
        return t;
    }

    Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("starts", starts);
        m.put("layers", layers.clone());
        m.put("batch", batch);
        m.put("heldOut", heldOut);
        return m;
    }
}
