package org.cgd4j.experiments.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.experiments.report.Progress;
import org.cgd4j.experiments.tune.TunedFile;

/**
 * Runs every optimizer on every task over several seeds with the stored hyperparameters, plus the
 * Rosenbrock trajectories from the canonical start. Runs are independent and spread over a small
 * thread pool; results are collected in a fixed order, so they do not depend on the thread count.
 */
public final class Reproduction {

    /**
     * @param tasks       the problems to run
     * @param kinds       task id → the optimizers run on it
     * @param steps       task id → steps per run
     * @param seeds       seeds 1..seeds
     * @param threads     worker threads (≥ 1)
     * @param tuned       stored hyperparameters, or null for the textbook defaults
     * @param trajectorySteps steps of each Rosenbrock trajectory (0: none)
     * @param shortMemoryTau2 if &gt; 0, a diagnostic variant of full CGD on the multiplication task with
     *                        τ2 replaced by this value, for the spectrum (0: none)
     */
    public record Plan(List<Task> tasks, Map<String, List<OptimizerKind>> kinds, Map<String, Integer> steps, int seeds,
                       int threads, TunedFile tuned, int trajectorySteps, double shortMemoryTau2) {
        /** The optimizers run on {@code task}. */
        public List<OptimizerKind> kinds(Task task) {
            return kinds.getOrDefault(task.id(), List.of());
        }

        /** (task, optimizer) pairs in all. */
        public int runCount() {
            int n = 0;
            for (Task t : tasks) {
                n += kinds(t).size();
            }
            return n;
        }
    }

    /** Everything a report needs. */
    public record Results(Plan plan, List<Outcome> outcomes, Map<OptimizerKind, double[][]> trajectories,
                          long nanos) {}

    private Reproduction() {}

    public static Results run(Plan plan, PrintStream progressOut, boolean progress) {
        long t0 = System.nanoTime();
        long[] seeds = new long[plan.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = i + 1;
        }
        record Job(Task task, OptimizerKind kind, String id, String label, Map<String, Double> h, String source,
                   CgdConfig config, List<Future<RunResult>> runs) {}
        List<Job> jobs = new ArrayList<>();
        Map<OptimizerKind, Future<double[][]>> paths = new LinkedHashMap<>();
        int total = plan.runCount() * seeds.length;
        boolean variant = plan.shortMemoryTau2() > 0 && plan.tasks().stream()
                .anyMatch(t -> t instanceof MultiplicationTask && plan.kinds(t).contains(OptimizerKind.FULL_CGD));
        if (variant) {
            total += seeds.length;
        }
        for (Task t : plan.tasks()) {
            if (t instanceof RosenbrockTask && plan.trajectorySteps() > 0) {
                total += plan.kinds(t).size();
            }
        }
        for (Task task : plan.tasks()) {
            task.warmUp(); // before any timed run: the first runs would otherwise pay for the JIT
        }
        ExecutorService pool = Executors.newFixedThreadPool(plan.threads());
        try (Progress bar = new Progress("reproduce", total, progressOut, progress)) {
            for (Task task : plan.tasks()) {
                int steps = plan.steps().get(task.id());
                for (OptimizerKind kind : plan.kinds(task)) {
                    TunedFile.Entry e = plan.tuned() == null ? null : plan.tuned().get(task.id(), kind);
                    Map<String, Double> h = e != null ? e.hyperparameters() : kind.defaults();
                    CgdConfig config = kind.config(h, task.dimension());
                    String unavailable = task.unavailable(config);
                    if (unavailable != null) {
                        progressOut.println("skipping " + kind.id() + " on " + task.id() + ": " + unavailable);
                        for (int s = 0; s < seeds.length + (task instanceof RosenbrockTask && plan.trajectorySteps() > 0 ? 1 : 0); s++) {
                            bar.step();
                        }
                        continue;
                    }
                    jobs.add(new Job(task, kind, kind.id(), kind.label(), h, e != null ? "tuned" : "default", config,
                            submitSeeds(pool, task, config, seeds, steps, bar)));
                    if (variant && kind == OptimizerKind.FULL_CGD && task instanceof MultiplicationTask) {
                        // The paper's concentrating spectrum needs a metric that forgets: the tuned τ2 may
                        // exceed the run, so the same optimizer with a short memory is shown beside it.
                        Map<String, Double> hv = new LinkedHashMap<>(h);
                        hv.put("tau2", plan.shortMemoryTau2());
                        String tau = org.cgd4j.experiments.report.ResultsTable.compact(plan.shortMemoryTau2());
                        jobs.add(new Job(task, kind, kind.id() + "-tau2-" + tau, kind.label() + ", τ2 = " + tau + " (untuned variant)",
                                hv, "variant of the tuned values with tau2 = " + tau, kind.config(hv, task.dimension()),
                                submitSeeds(pool, task, kind.config(hv, task.dimension()), seeds, steps, bar)));
                    }
                    if (task instanceof RosenbrockTask && plan.trajectorySteps() > 0) {
                        paths.put(kind, pool.submit(() -> {
                            try {
                                return RosenbrockTask.trajectory(config, plan.trajectorySteps());
                            } finally {
                                bar.step();
                            }
                        }));
                    }
                }
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Job j : jobs) {
                List<RunResult> rs = new ArrayList<>();
                for (Future<RunResult> f : j.runs()) {
                    rs.add(get(f));
                }
                outcomes.add(new Outcome(j.task(), j.kind(), j.id(), j.label(), j.h(), j.source(), j.config(), seeds.clone(),
                        List.copyOf(rs)));
            }
            Map<OptimizerKind, double[][]> trajectories = new LinkedHashMap<>();
            for (Map.Entry<OptimizerKind, Future<double[][]>> p : paths.entrySet()) {
                trajectories.put(p.getKey(), get(p.getValue()));
            }
            return new Results(plan, List.copyOf(outcomes), trajectories, System.nanoTime() - t0);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Future<RunResult>> submitSeeds(ExecutorService pool, Task task, CgdConfig config, long[] seeds,
                                                       int steps, Progress bar) {
        List<Future<RunResult>> runs = new ArrayList<>();
        for (long seed : seeds) {
            runs.add(pool.submit(() -> {
                try {
                    return task.run(config, seed, steps, true, true);
                } finally {
                    bar.step();
                }
            }));
        }
        return runs;
    }

    /** Null if the engine can build this optimizer, else why not (e.g. an engine not in this build). */
    public static String unavailable(CgdConfig config, int dimension) {
        try (Optimizer probe = Optimizer.create(config, dimension)) {
            return probe == null ? "no optimizer" : null;
        } catch (UnsupportedOperationException e) {
            return "the engine does not support it here: " + e.getMessage();
        }
    }

    static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
