package org.cgd4j.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cgd4j.experiments.run.HeldOutTrace;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.Outcome;
import org.cgd4j.experiments.run.Reproduction;
import org.cgd4j.experiments.run.RunResult;
import org.cgd4j.experiments.run.Suite;
import org.cgd4j.experiments.run.Task;

/**
 * The report of a classification task (its runs carry a {@link HeldOutTrace}): held-out loss and
 * accuracy against steps and against training time, and how many steps and seconds each optimizer
 * needs to reach tuned Adam's best held-out loss. Training time is the training thread's CPU time
 * ({@link HeldOutTrace}): forward and backward pass and optimizer step, without the evaluations.
 *
 * <p>Curves are medians over seeds at each recorded step (loss, accuracy and training time
 * separately). Adam's best is the minimum of its median loss curve; an optimizer reaches it at the
 * first recorded step where its own median curve is at or below it, and the time is its median
 * training time at that step.
 */
public final class HeldOutReport {
    private HeldOutReport() {}

    /**
     * One optimizer's row.
     *
     * @param bestLoss        minimum of the median held-out loss curve, at step {@code bestLossStep}
     * @param finalAccuracy   held-out accuracy after the last step, per seed
     * @param bestAccuracy    maximum of the median accuracy curve
     * @param stepsToTarget   first recorded step where the median loss ≤ Adam's best, −1 if never (or no Adam)
     * @param secondsToTarget median training CPU seconds at that step, NaN if never
     * @param seedsReaching   seeds whose own loss curve reaches Adam's best
     * @param millisPerStep   median training CPU milliseconds per step over the whole run
     * @param wallMillisPerStep median training wall milliseconds per step
     */
    public record Row(Outcome outcome, double bestLoss, int bestLossStep, double[] finalAccuracy, double bestAccuracy,
                      int stepsToTarget, double secondsToTarget, int seedsReaching, double millisPerStep,
                      double wallMillisPerStep) {}

    /**
     * A task's held-out view.
     *
     * @param target Adam's best held-out loss, NaN when Adam did not run
     * @param notRun optimizers of the paper's comparison that cannot run on this task, with the reason
     */
    public record View(Task task, double target, List<Row> rows, Map<String, String> notRun) {}

    /** The view of {@code task}, or null if its runs carry no held-out trace. */
    public static View view(Reproduction.Results results, Task task) {
        List<Outcome> outcomes = results.outcomes().stream()
                .filter(o -> o.task() == task && o.runs().getFirst().heldOut() != null).toList();
        if (outcomes.isEmpty()) {
            return null;
        }
        double target = Double.NaN;
        for (Outcome o : outcomes) {
            if (o.kind() == OptimizerKind.ADAM && o.id().equals(o.kind().id())) {
                target = min(o.medianCurve());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Outcome o : outcomes) {
            int[] steps = o.runs().getFirst().steps();
            double[] loss = o.medianCurve();
            double[] accuracy = median(o, true);
            double[] seconds = median(o, false);
            int best = argMin(loss);
            int reach = -1;
            for (int j = 0; j < loss.length && !Double.isNaN(target); j++) {
                if (loss[j] <= target) {
                    reach = j;
                    break;
                }
            }
            int seedsReaching = 0;
            double[] finalAccuracy = new double[o.runs().size()];
            double[] millis = new double[o.runs().size()];
            double[] wallMillis = new double[o.runs().size()];
            for (int s = 0; s < finalAccuracy.length; s++) {
                RunResult r = o.runs().get(s);
                seedsReaching += min(r.loss()) <= target ? 1 : 0;
                finalAccuracy[s] = last(r.heldOut().accuracy());
                millis[s] = 1e3 * last(r.heldOut().cpuSeconds()) / Math.max(1, steps[steps.length - 1]);
                wallMillis[s] = 1e3 * last(r.heldOut().wallSeconds()) / Math.max(1, steps[steps.length - 1]);
            }
            rows.add(new Row(o, best < 0 ? Double.NaN : loss[best], best < 0 ? -1 : steps[best], finalAccuracy,
                    max(accuracy), reach < 0 ? -1 : steps[reach], reach < 0 ? Double.NaN : seconds[reach], seedsReaching,
                    Stats.median(millis), Stats.median(wallMillis)));
        }
        Map<String, String> notRun = new LinkedHashMap<>();
        if (task.suite() == Suite.REAL_DATA && outcomes.stream().noneMatch(o -> o.kind() == OptimizerKind.FULL_CGD)) {
            OptimizerKind full = OptimizerKind.FULL_CGD;
            String why = task.unavailable(full.config(full.defaults(), task.dimension()));
            notRun.put(full.label(), why != null ? why : "not among the optimizers of this run");
        }
        return new View(task, target, List.copyOf(rows), notRun);
    }

    /** The Markdown table, with Adam's best and what did not run. */
    public static String table(View v) {
        StringBuilder sb = new StringBuilder();
        sb.append("Held-out set: loss (cross-entropy) and accuracy, medians over seeds; Adam's best held-out loss ")
                .append(Double.isNaN(v.target()) ? "n/a (Adam did not run)" : String.format(Locale.ROOT, "%.4f", v.target()))
                .append(".\n\n");
        sb.append("| optimizer | best held-out loss (step) | final accuracy mean ± std | best accuracy "
                + "| steps to Adam's best (seeds reaching it) | × Adam's steps | training CPU time to Adam's best | × Adam's time "
                + "| CPU ms/step | wall ms/step |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Row adam = v.rows().stream().filter(r -> r.outcome().kind() == OptimizerKind.ADAM
                && r.outcome().id().equals(OptimizerKind.ADAM.id())).findFirst().orElse(null);
        for (Row r : v.rows()) {
            boolean reached = r.stepsToTarget() >= 0;
            sb.append("| ").append(r.outcome().label()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.4f (%d)", r.bestLoss(), r.bestLossStep())).append(" | ")
                    .append(percent(Stats.mean(r.finalAccuracy()))).append(" ± ").append(percent(Stats.std(r.finalAccuracy())))
                    .append(" | ").append(percent(r.bestAccuracy())).append(" | ")
                    .append(reached ? String.valueOf(r.stepsToTarget()) : "not reached").append(" (")
                    .append(r.seedsReaching()).append('/').append(r.outcome().runs().size()).append(") | ")
                    .append(reached && adam != null && adam.stepsToTarget() > 0
                            ? String.format(Locale.ROOT, "%.2f×", (double) r.stepsToTarget() / adam.stepsToTarget()) : "—")
                    .append(" | ").append(reached ? String.format(Locale.ROOT, "%.2f s", r.secondsToTarget()) : "—")
                    .append(" | ").append(reached && adam != null && adam.secondsToTarget() > 0
                            ? String.format(Locale.ROOT, "%.2f×", r.secondsToTarget() / adam.secondsToTarget()) : "—")
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", r.millisPerStep()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", r.wallMillisPerStep())).append(" |\n");
        }
        sb.append('\n');
        v.notRun().forEach((label, why) -> sb.append(label).append(" is not run: ").append(why).append(".\n"));
        if (!v.notRun().isEmpty()) {
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The held-out plots of the view: loss and accuracy against steps and against training time. */
    public static List<Path> plots(View v, Path dir, int seeds) throws IOException {
        List<Plots.Curve> lossSteps = new ArrayList<>();
        List<Plots.Curve> lossTime = new ArrayList<>();
        List<Plots.Curve> accSteps = new ArrayList<>();
        List<Plots.Curve> accTime = new ArrayList<>();
        int[] slots = new int[v.rows().size()];
        double lowestFinalAccuracy = 1;
        for (int i = 0; i < slots.length; i++) {
            Outcome o = v.rows().get(i).outcome();
            slots[i] = o.kind().ordinal();
            double[] steps = toDouble(o.runs().getFirst().steps());
            double[] seconds = median(o, false);
            double[] loss = o.medianCurve();
            double[] accuracy = median(o, true);
            lossSteps.add(new Plots.Curve(o.label(), steps, loss));
            lossTime.add(new Plots.Curve(o.label(), seconds, loss));
            accSteps.add(new Plots.Curve(o.label(), steps, accuracy));
            accTime.add(new Plots.Curve(o.label(), seconds, accuracy));
            if (Double.isFinite(last(accuracy))) {
                lowestFinalAccuracy = Math.min(lowestFinalAccuracy, last(accuracy));
            }
        }
        String id = v.task().id();
        String name = v.task().label() + ": held-out ";
        String median = ", median over " + seeds + " seeds";
        String level = Double.isNaN(v.target()) ? null : String.format(Locale.ROOT, "Adam's best (%.4f)", v.target());
        // accuracy climbs from chance to near 1 in a few epochs: the axis starts a little below the worst final value
        double accMin = Math.max(0, Math.floor(lowestFinalAccuracy * 20 - 1) / 20);
        String time = "training CPU time, s (forward, backward and optimizer step)";
        List<Path> files = new ArrayList<>();
        files.add(plot(dir.resolve("loss-" + id + ".png"), name + "loss" + median,
                new Plots.Axes("step", "held-out cross-entropy (log scale)", true, Double.NaN, Double.NaN), lossSteps, slots, level, v.target()));
        files.add(plot(dir.resolve("loss-time-" + id + ".png"), name + "loss against training time" + median,
                new Plots.Axes(time, "held-out cross-entropy (log scale)", true, Double.NaN, Double.NaN), lossTime, slots, level, v.target()));
        files.add(plot(dir.resolve("accuracy-" + id + ".png"), name + "accuracy" + median,
                new Plots.Axes("step", "held-out accuracy", false, accMin, 1), accSteps, slots, null, Double.NaN));
        files.add(plot(dir.resolve("accuracy-time-" + id + ".png"), name + "accuracy against training time" + median,
                new Plots.Axes(time, "held-out accuracy", false, accMin, 1), accTime, slots, null, Double.NaN));
        return files;
    }

    private static Path plot(Path file, String title, Plots.Axes axes, List<Plots.Curve> curves, int[] slots, String level,
                             double target) throws IOException {
        Plots.lines(file, title, axes, curves, slots, level, target);
        return file;
    }

    /** Every recorded point of every seed: problem, optimizer, seed, step, training CPU and wall seconds, loss, accuracy. */
    public static Path csv(List<View> views, Path file) throws IOException {
        try (Csv csv = new Csv(file, "problem", "optimizer", "seed", "step", "train_cpu_seconds", "train_wall_seconds", "loss",
                "accuracy")) {
            for (View v : views) {
                for (Row row : v.rows()) {
                    Outcome o = row.outcome();
                    for (int s = 0; s < o.runs().size(); s++) {
                        RunResult r = o.runs().get(s);
                        for (int i = 0; i < r.steps().length; i++) {
                            csv.row(v.task().id(), o.id(), o.seeds()[s], r.steps()[i], r.heldOut().cpuSeconds()[i],
                                    r.heldOut().wallSeconds()[i], r.loss()[i], r.heldOut().accuracy()[i]);
                        }
                    }
                }
            }
        }
        return file;
    }

    /** The view's numbers for summary.json. */
    public static Map<String, Object> summary(View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("adamBestLoss", v.target());
        Map<String, Object> os = new LinkedHashMap<>();
        for (Row r : v.rows()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("bestLoss", r.bestLoss());
            x.put("bestLossStep", r.bestLossStep());
            x.put("finalAccuracy", r.finalAccuracy());
            x.put("finalAccuracyMean", Stats.mean(r.finalAccuracy()));
            x.put("finalAccuracyStd", Stats.std(r.finalAccuracy()));
            x.put("bestAccuracy", r.bestAccuracy());
            x.put("stepsToAdamBest", r.stepsToTarget());
            x.put("cpuSecondsToAdamBest", r.secondsToTarget());
            x.put("seedsReachingAdamBest", r.seedsReaching());
            x.put("cpuMillisPerStep", r.millisPerStep());
            x.put("wallMillisPerStep", r.wallMillisPerStep());
            os.put(r.outcome().id(), x);
        }
        m.put("optimizers", os);
        m.put("notRun", new LinkedHashMap<>(v.notRun()));
        return m;
    }

    /** Median over seeds at each recorded step of the accuracy (true) or the training CPU seconds (false). */
    static double[] median(Outcome o, boolean accuracy) {
        int n = o.runs().getFirst().steps().length;
        double[] out = new double[n];
        double[] col = new double[o.runs().size()];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < col.length; i++) {
                HeldOutTrace h = o.runs().get(i).heldOut();
                col[i] = accuracy ? h.accuracy()[j] : h.cpuSeconds()[j];
            }
            out[j] = Stats.median(col);
        }
        return out;
    }

    private static int argMin(double[] v) {
        int best = -1;
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i]) && (best < 0 || v[i] < v[best])) {
                best = i;
            }
        }
        return best;
    }

    private static double min(double[] v) {
        int i = argMin(v);
        return i < 0 ? Double.NaN : v[i];
    }

    private static double max(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            if (Double.isFinite(x) && !(x <= m)) {
                m = x;
            }
        }
        return m;
    }

    private static double last(double[] v) {
        return v[v.length - 1];
    }

    private static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f %%", 100 * v) : "n/a";
    }

    private static double[] toDouble(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
