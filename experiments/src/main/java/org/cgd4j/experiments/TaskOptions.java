package org.cgd4j.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cgd4j.experiments.run.Defaults;
import org.cgd4j.experiments.run.DigitsTask;
import org.cgd4j.experiments.run.MultiplicationTask;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.RosenbrockTask;
import org.cgd4j.experiments.run.Task;
import org.cgd4j.experiments.run.TaskSettings;
import picocli.CommandLine.Option;

/** Options shared by {@code reproduce} and {@code tune}: which problems, optimizers, sizes and threads. */
final class TaskOptions {
    @Option(names = "--problems", split = ",", paramLabel = "ID",
            description = "Problems to run (default: ${DEFAULT-VALUE}).", defaultValue = "rosenbrock,multiplication,digits")
    List<String> problems;

    @Option(names = "--optimizers", split = ",", paramLabel = "ID",
            description = "Optimizers, the same for every problem (default: each problem's own set, printed at the start:"
                    + " the paper's problems sgd,momentum,rmsprop,adam,adabelief,diagonal-cgd,full-cgd; digits adam,"
                    + " diagonal-cgd, adamw and the CGD structures that scale to it).")
    List<String> optimizers;

    @Option(names = "--steps", paramLabel = "N",
            description = "Steps per run for every problem (default: " + Defaults.ROSENBROCK_STEPS + " Rosenbrock, "
                    + Defaults.MULTIPLICATION_STEPS + " multiplication, " + Defaults.DIGITS_STEPS + " digits).")
    Integer steps;

    @Option(names = "--starts", paramLabel = "N", defaultValue = "64",
            description = "Rosenbrock: random starts averaged per seed (default: ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--layers", split = ",", paramLabel = "W", defaultValue = "2,16,1",
            description = "Multiplication: MLP layer widths, 2 in and 1 out (default: ${DEFAULT-VALUE}).")
    int[] layers;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32",
            description = "Multiplication and digits: mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "1024",
            description = "Multiplication: held-out set size (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--digits-layers", split = ",", paramLabel = "W", defaultValue = "64,128,128,10",
            description = "Digits: classifier layer widths, 64 in and 10 out (default: ${DEFAULT-VALUE}).")
    int[] digitsLayers;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: available cores, at most 4).")
    Integer threads;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    TaskSettings settings() {
        return new TaskSettings(starts, layers, batch, heldOut, digitsLayers);
    }

    List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (String id : problems) {
            tasks.add(Task.byId(id.trim(), settings()));
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("--problems: no problem given; known: " + Task.ids());
        }
        return tasks;
    }

    /** Per task id, the optimizers to run: the ones named, or the task's suite's defaults. */
    Map<String, List<OptimizerKind>> kinds(List<Task> tasks) {
        List<OptimizerKind> named = new ArrayList<>();
        if (optimizers != null) {
            for (String id : optimizers) {
                named.add(OptimizerKind.byId(id.trim()));
            }
        }
        Map<String, List<OptimizerKind>> m = new LinkedHashMap<>();
        for (Task t : tasks) {
            m.put(t.id(), named.isEmpty() ? OptimizerKind.defaultsFor(t.suite()) : List.copyOf(named));
        }
        return m;
    }

    /** "sgd,adam on rosenbrock; adam,adamw on digits": what runs, for the first line of a command's output. */
    static String describe(Map<String, List<OptimizerKind>> kinds) {
        StringBuilder sb = new StringBuilder();
        kinds.forEach((task, ks) -> sb.append(sb.isEmpty() ? "" : "; ")
                .append(String.join(",", ks.stream().map(OptimizerKind::id).toList())).append(" on ").append(task));
        return sb.toString();
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

    /** The settings of the problems in {@code tasks}, for the files a command writes. */
    Map<String, Object> info(List<Task> tasks) {
        List<String> ids = tasks.stream().map(Task::id).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        if (ids.contains(RosenbrockTask.ID)) {
            m.put("starts", starts);
        }
        if (ids.contains(MultiplicationTask.ID)) {
            m.put("layers", layers.clone());
            m.put("heldOut", heldOut);
        }
        if (ids.contains(MultiplicationTask.ID) || ids.contains(DigitsTask.ID)) {
            m.put("batch", batch);
        }
        if (ids.contains(DigitsTask.ID)) {
            m.put("digitsLayers", digitsLayers.clone());
        }
        return m;
    }
}
