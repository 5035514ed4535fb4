package org.cgd4j.experiments.tune;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.experiments.report.Progress;
import org.cgd4j.experiments.report.ResultsTable;
import org.cgd4j.experiments.report.Stats;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.ParamRange;
import org.cgd4j.experiments.run.RunResult;
import org.cgd4j.experiments.run.Task;

/**
 * {@code cgd4j tune}: the same successive-halving search for every optimizer on every task, on
 * tuning seeds disjoint from the seeds {@code reproduce} reports (1, 2, …), so the table is not
 * scored on the data the winners were picked on. Then the refresh study: the full-CGD winner with
 * the exact method against TRACKED and STALE refresh every k steps, loss and time.
 */
public final class Tuning {
    /** First tuning seed; reproduce uses 1..n. */
    public static final long FIRST_TUNING_SEED = 1001;
    /** Seed of the random draws of the search (mixed with task and optimizer). */
    public static final long SEARCH_SEED = 2504_05279L;
    /** k values of the refresh study. */
    public static final int[] REFRESH_EVERY = {10, 20};

    /**
     * @param configs       configurations drawn per optimizer
     * @param eta           successive-halving reduction factor
     * @param rungs         successive-halving rungs (the last runs the full steps)
     * @param seeds         tuning seeds per trial (scores are averaged)
     * @param studySeeds    seeds (1..n) of the refresh study; 0 skips it
     * @param settingsInfo  task sizes, recorded in the file
     */
    public record Plan(List<Task> tasks, Map<String, List<OptimizerKind>> kinds, Map<String, Integer> steps, int configs,
                       int eta, int rungs, int seeds, int threads, int studySeeds, Map<String, Object> settingsInfo) {
        /** The optimizers tuned on {@code task}. */
        public List<OptimizerKind> kinds(Task task) {
            return kinds.getOrDefault(task.id(), List.of());
        }

        /** Every optimizer tuned on some task, in declaration order. */
        public List<OptimizerKind> allKinds() {
            java.util.EnumSet<OptimizerKind> all = java.util.EnumSet.noneOf(OptimizerKind.class);
            kinds.values().forEach(all::addAll);
            return List.copyOf(all);
        }
    }

    private Tuning() {}

    /** Runs the searches (and the refresh study) and returns the file to write; progress and tables go to {@code out}. */
    public static TunedFile run(Plan plan, PrintStream out, PrintStream progressOut, boolean progress) {
        return run(plan, out, progressOut, progress, null);
    }

    /**
     * As {@link #run(Plan, PrintStream, PrintStream, boolean)}, with the search trials scored by
     * {@code runner} (one batch per rung) instead of the local pool when it is not null; the refresh
     * study, which times runs, stays on this thread.
     */
    public static TunedFile run(Plan plan, PrintStream out, PrintStream progressOut, boolean progress,
                                TrialRunner runner) {
        long[] seeds = new long[plan.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = FIRST_TUNING_SEED + i;
        }
        Map<String, Map<OptimizerKind, TunedFile.Entry>> problems = new LinkedHashMap<>();
        int perSearch = SuccessiveHalving.trialCount(plan.configs(), plan.eta(), plan.rungs());
        long total = 0;
        for (Task task : plan.tasks()) {
            total += (long) perSearch * plan.kinds(task).size();
        }
        ExecutorService pool = Executors.newFixedThreadPool(plan.threads());
        try {
            try (Progress bar = new Progress("tune", total, progressOut, progress)) {
                for (Task task : plan.tasks()) {
                    Map<OptimizerKind, TunedFile.Entry> winners = new LinkedHashMap<>();
                    for (OptimizerKind kind : plan.kinds(task)) {
                        String unavailable = task.unavailable(kind.config(kind.defaults(), task.dimension()));
                        if (unavailable != null) {
                            progressOut.println("skipping " + kind.id() + " on " + task.id() + ": " + unavailable);
                            for (int i = 0; i < perSearch; i++) {
                                bar.step();
                            }
                            continue;
                        }
                        long searchSeed = SEARCH_SEED * 31 + task.id().hashCode() * 17L + kind.ordinal();
                        SuccessiveHalving.Result r = runner == null
                                ? SuccessiveHalving.search(kind.space(), plan.configs(), plan.eta(), plan.rungs(),
                                        plan.steps().get(task.id()), searchSeed,
                                        (h, steps) -> score(task, kind, h, steps, seeds), pool, bar::step)
                                : SuccessiveHalving.search(kind.space(), plan.configs(), plan.eta(), plan.rungs(),
                                        plan.steps().get(task.id()), searchSeed, (hs, steps) -> {
                                            double[] s = runner.score(hs.stream().map(h -> new TrialRunner.Trial(
                                                    task.id(), kind.id(), h, steps, seeds)).toList());
                                            for (int i = 0; i < hs.size(); i++) {
                                                bar.step();
                                            }
                                            return s;
                                        });
                        SuccessiveHalving.Trial best = r.best();
                        winners.put(kind, new TunedFile.Entry(best.hyperparameters(), best.score(), best.steps()));
                    }
                    problems.put(task.id(), winners);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        out.println();
        out.print(winnersTable(problems));
        List<TunedFile.RefreshResult> study = plan.studySeeds() > 0 && plan.allKinds().contains(OptimizerKind.FULL_CGD)
                ? refreshStudy(plan, problems, out, progressOut, progress) : List.of();
        Map<String, Object> info = new LinkedHashMap<>(plan.settingsInfo());
        info.put("created", java.time.Instant.now().toString());
        info.put("method", "random search with successive halving; score = mean over tuning seeds of log10(final loss)");
        info.put("configs", plan.configs());
        info.put("eta", plan.eta());
        info.put("rungs", plan.rungs());
        List<Object> tuningSeeds = new ArrayList<>();
        for (long s : seeds) {
            tuningSeeds.add(s);
        }
        info.put("tuningSeeds", tuningSeeds);
        info.put("steps", new LinkedHashMap<>(plan.steps()));
        Map<String, Object> spaces = new LinkedHashMap<>();
        for (OptimizerKind k : plan.allKinds()) {
            spaces.put(k.id(), k.space().stream().map(ParamRange::toString).toList());
        }
        info.put("searchSpaces", spaces);
        return new TunedFile(info, problems, study);
    }

    /** Mean over seeds of log10(final loss); +∞ for a diverged run or an invalid configuration. */
    public static double score(Task task, OptimizerKind kind, Map<String, Double> h, int steps, long[] seeds) {
        CgdConfig config;
        try {
            config = kind.config(h, task.dimension());
        } catch (IllegalArgumentException e) {
            return Double.POSITIVE_INFINITY;
        }
        double sum = 0;
        for (long seed : seeds) {
            RunResult r = task.tuningRun(config, seed, steps);
            double loss = r.finalLoss();
            if (!Double.isFinite(loss) || r.diverged() > 0) {
                return Double.POSITIVE_INFINITY;
            }
            sum += Math.log10(Math.max(loss, Double.MIN_NORMAL));
        }
        return sum / seeds.length;
    }

    /** Runs sequentially on this thread so that the times compare like with like. */
    private static List<TunedFile.RefreshResult> refreshStudy(Plan plan, Map<String, Map<OptimizerKind, TunedFile.Entry>> problems,
                                                               PrintStream out, PrintStream progressOut,
                                                               boolean progress) {
        List<TunedFile.RefreshResult> results = new ArrayList<>();
        int variants = 1 + 2 * REFRESH_EVERY.length;
        List<Task> studied = plan.tasks().stream()
                .filter(t -> problems.get(t.id()).containsKey(OptimizerKind.FULL_CGD)).toList(); // tuned there
        try (Progress bar = new Progress("refresh study", (long) studied.size() * variants * plan.studySeeds(), progressOut, progress)) {
            for (Task task : studied) {
                TunedFile.Entry e = problems.get(task.id()).get(OptimizerKind.FULL_CGD);
                CgdConfig exact = OptimizerKind.FULL_CGD.config(e.hyperparameters(), task.dimension());
                results.add(study(task, "exact", exact, plan, bar));
                for (int k : REFRESH_EVERY) {
                    results.add(study(task, "TRACKED", exact.withRefreshEvery(k).withRefreshMode(RefreshMode.TRACKED), plan, bar));
                    results.add(study(task, "STALE", exact.withRefreshEvery(k).withRefreshMode(RefreshMode.STALE), plan, bar));
                }
            }
        }
        out.println();
        out.print(refreshTable(results));
        return results;
    }

    private static TunedFile.RefreshResult study(Task task, String mode, CgdConfig config, Plan plan, Progress bar) {
        int steps = plan.steps().get(task.id());
        double[] loss = new double[plan.studySeeds()];
        double millis = 0;
        for (int s = 0; s < loss.length; s++) {
            RunResult r = task.run(config, s + 1, steps, false, false);
            loss[s] = r.finalLoss();
            millis += r.nanos() / 1e6;
            bar.step();
        }
        return new TunedFile.RefreshResult(task.id(), mode, config.refreshEvery(), loss, millis / loss.length);
    }

    /** The winners, one table per problem. */
    public static String winnersTable(Map<String, Map<OptimizerKind, TunedFile.Entry>> problems) {
        StringBuilder sb = new StringBuilder();
        problems.forEach((problem, winners) -> {
            sb.append("### tuned on ").append(problem).append("\n\n| optimizer | score (mean log10 final loss) | hyperparameters |\n|---|---:|---|\n");
            winners.forEach((k, e) -> {
                StringBuilder h = new StringBuilder();
                e.hyperparameters().forEach((n, v) -> h.append(h.isEmpty() ? "" : ", ").append(n).append('=')
                        .append(String.format(Locale.ROOT, "%.4g", v)));
                sb.append("| ").append(k.label()).append(" | ").append(String.format(Locale.ROOT, "%.3f", e.score()))
                        .append(" | ").append(h).append(" |\n");
            });
            sb.append('\n');
        });
        return sb.toString();
    }

    /** The refresh study as a table: final loss and time against the exact method. */
    public static String refreshTable(List<TunedFile.RefreshResult> results) {
        StringBuilder sb = new StringBuilder("### full CGD: exact refresh vs every k steps\n\n"
                + "| problem | mode | k | final loss mean ± std | median | time/run | time vs exact |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        Map<String, Double> exactTime = new LinkedHashMap<>();
        for (TunedFile.RefreshResult r : results) {
            if (r.mode().equals("exact")) {
                exactTime.put(r.problem(), r.millisPerRun());
            }
        }
        for (TunedFile.RefreshResult r : results) {
            Double base = exactTime.get(r.problem());
            sb.append("| ").append(r.problem()).append(" | ").append(r.mode()).append(" | ").append(r.refreshEvery())
                    .append(" | ").append(ResultsTable.sci(Stats.mean(r.finalLoss()), 2)).append(" ± ")
                    .append(ResultsTable.sci(Stats.std(r.finalLoss()), 1)).append(" | ")
                    .append(ResultsTable.sci(Stats.median(r.finalLoss()), 2)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f ms", r.millisPerRun())).append(" | ")
                    .append(base == null ? "" : String.format(Locale.ROOT, "%.2f×", r.millisPerRun() / base)).append(" |\n");
        }
        return sb.append('\n').toString();
    }
}
