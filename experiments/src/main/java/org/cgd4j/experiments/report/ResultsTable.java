package org.cgd4j.experiments.report;

import java.util.List;
import java.util.Locale;
import org.cgd4j.experiments.run.Outcome;
import org.cgd4j.experiments.run.Reproduction;
import org.cgd4j.experiments.run.Task;

/** The results table (Markdown, which also reads well on a terminal). */
public final class ResultsTable {
    private ResultsTable() {}

    public static String render(Reproduction.Results results) {
        StringBuilder sb = new StringBuilder();
        for (Task task : results.plan().tasks()) {
            List<Outcome> rows = results.outcomes().stream().filter(o -> o.task() == task).toList();
            if (rows.isEmpty()) {
                continue;
            }
            int steps = results.plan().steps().get(task.id());
            sb.append("### ").append(task.label()).append(": ").append(steps).append(" steps, ")
                    .append(results.plan().seeds()).append(" seeds\n\n");
            double[] th = task.thresholds();
            int early = steps / 10;
            sb.append("| optimizer | median loss at step ").append(early).append(" | final loss mean ± std | median |");
            for (double t : th) {
                sb.append(" steps to ").append(sci(t, 0)).append(" (median, seeds reached) |");
            }
            sb.append(" diverged seeds | time/run | hyperparameters |\n|---|---:|---:|---:|");
            sb.append("---:|".repeat(th.length)).append("---:|---:|---|\n");
            for (Outcome o : rows) {
                sb.append("| ").append(o.label()).append(" | ").append(sci(o.medianLossAt(early), 2)).append(" | ")
                        .append(sci(o.meanFinalLoss(), 2)).append(" ± ").append(sci(o.stdFinalLoss(), 1)).append(" | ")
                        .append(sci(o.medianFinalLoss(), 2)).append(" |");
                for (int k = 0; k < th.length; k++) {
                    double med = Stats.median(o.stepsToReach(k));
                    sb.append(' ').append(Double.isFinite(med) ? String.valueOf((long) med) : "—")
                            .append(" (").append(o.reached(k)).append('/').append(o.runs().size()).append(") |");
                }
                sb.append(' ').append(o.divergedSeeds()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f ms", o.meanMillisPerRun())).append(" | ")
                        .append(o.source()).append(": ").append(hyper(o)).append(" |\n");
            }
            sb.append('\n');
            sb.append(KroneckerVersusFull.render(rows, steps));
            HeldOutReport.View view = HeldOutReport.view(results, task);
            if (view != null) {
                sb.append(HeldOutReport.table(view));
            }
        }
        return sb.toString();
    }

    private static String hyper(Outcome o) {
        StringBuilder sb = new StringBuilder();
        o.hyperparameters().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(compact(v)));
        return sb.toString();
    }

    /** Short form for hyperparameters: 4 significant digits. */
    public static String compact(double v) {
        if (v > 0.99 && v < 1) { // decay rates: 4 significant digits of 1 − v, so 0.99995 is not shown as 1
            int decimals = (int) Math.ceil(-Math.log10(1 - v)) + 3;
            return new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                    .toPlainString();
        }
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Scientific notation with {@code digits} decimals; ∞ and NaN spelled out. */
    public static String sci(double v, int digits) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞ (diverged)" : "−∞";
        }
        return String.format(Locale.ROOT, "%." + digits + "e", v);
    }
}
