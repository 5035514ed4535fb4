package org.cgd4j.experiments.report;

import java.util.List;
import java.util.Locale;
import org.cgd4j.experiments.run.Outcome;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.RunResult;

/**
 * How close Kronecker CGD comes to full CGD on a problem where both run (the multiplication
 * network): the median held-out loss of each at a few steps, their ratio, and the steps Kronecker
 * CGD needs to reach full CGD's median final loss. Full CGD preconditions with the exact d × d
 * metric; Kronecker CGD with per-tensor Kronecker factors and a diagonal metric in their eigenbasis,
 * so the ratio measures what the factorisation gives up where the exact metric still fits.
 */
public final class KroneckerVersusFull {
    private KroneckerVersusFull() {}

    /** The comparison in Markdown, or "" unless the rows hold both the tuned full and the tuned Kronecker CGD. */
    public static String render(List<Outcome> rows, int steps) {
        Outcome full = find(rows, OptimizerKind.FULL_CGD), kron = find(rows, OptimizerKind.KRONECKER_CGD);
        if (full == null || kron == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Kronecker CGD beside full CGD (each with its own hyperparameters): median loss");
        int[] at = {steps / 30, steps / 10, steps / 3, steps};
        sb.append("\n\n| step |");
        for (int s : at) {
            sb.append(' ').append(s).append(" |");
        }
        sb.append("\n|---|").append("---:|".repeat(at.length)).append('\n');
        row(sb, full.label(), full, at);
        row(sb, kron.label(), kron, at);
        sb.append("| Kronecker / full |");
        for (int s : at) {
            sb.append(String.format(Locale.ROOT, " %.2f |", kron.medianLossAt(s) / full.medianLossAt(s)));
        }
        double target = full.medianFinalLoss();
        double[] reach = stepsToReach(kron, target);
        double med = Stats.median(reach);
        int reached = 0;
        for (double r : reach) {
            reached += Double.isFinite(r) ? 1 : 0;
        }
        sb.append("\n\nKronecker CGD ").append(Double.isFinite(med) ? "reaches" : "does not reach")
                .append(" full CGD's median final loss (").append(ResultsTable.sci(target, 2)).append(") ")
                .append(Double.isFinite(med) ? "at step " + (long) med + " (median over seeds)" : "in most seeds")
                .append(": ").append(reached).append('/').append(reach.length).append(" seeds reach it within ").append(steps)
                .append(" steps.\n\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, Outcome o, int[] at) {
        sb.append("| ").append(label).append(" |");
        for (int s : at) {
            sb.append(' ').append(ResultsTable.sci(o.medianLossAt(s), 2)).append(" |");
        }
        sb.append('\n');
    }

    /** Per seed, the first recorded step whose loss is ≤ target (NaN if none). */
    static double[] stepsToReach(Outcome o, double target) {
        double[] out = new double[o.runs().size()];
        for (int i = 0; i < out.length; i++) {
            RunResult r = o.runs().get(i);
            out[i] = Double.NaN;
            for (int j = 0; j < r.loss().length; j++) {
                if (r.loss()[j] <= target) {
                    out[i] = r.steps()[j];
                    break;
                }
            }
        }
        return out;
    }

    /** The tuned outcome of {@code kind} (not a variant such as full CGD with a short memory), or null. */
    private static Outcome find(List<Outcome> rows, OptimizerKind kind) {
        return rows.stream().filter(o -> o.kind() == kind && o.id().equals(kind.id())).findFirst().orElse(null);
    }
}
