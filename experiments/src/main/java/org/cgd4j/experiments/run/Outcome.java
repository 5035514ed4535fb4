package org.cgd4j.experiments.run;

import java.util.List;
import java.util.Map;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.experiments.report.Stats;

/**
 * All seeds of one optimizer on one task, and their summary statistics.
 *
 * @param id     key in files: the kind's id, or a variant's (e.g. "full-cgd-tau2-100")
 * @param label  name in tables and plots
 * @param source "tuned" when the hyperparameters came from the tuned file, "default" for textbook
 *               defaults, or what a diagnostic variant changed
 */
public record Outcome(Task task, OptimizerKind kind, String id, String label, Map<String, Double> hyperparameters,
                      String source,
                      CgdConfig config, long[] seeds, List<RunResult> runs) {

    public double[] finalLosses() {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = runs.get(i).finalLoss();
        }
        return v;
    }

    public double meanFinalLoss() { return Stats.mean(finalLosses()); }

    public double stdFinalLoss() { return Stats.std(finalLosses()); }

    public double medianFinalLoss() { return Stats.median(finalLosses()); }

    /** Steps to reach threshold k per seed, +∞ where it was never reached. */
    public double[] stepsToReach(int k) {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            int s = runs.get(i).stepsToReach()[k];
            v[i] = s < 0 ? Double.POSITIVE_INFINITY : s;
        }
        return v;
    }

    /** Seeds whose run reached threshold k. */
    public int reached(int k) {
        int n = 0;
        for (RunResult r : runs) {
            n += r.stepsToReach()[k] >= 0 ? 1 : 0;
        }
        return n;
    }

    /** Seeds with at least one diverged start. */
    public int divergedSeeds() {
        int n = 0;
        for (RunResult r : runs) {
            n += r.diverged() > 0 ? 1 : 0;
        }
        return n;
    }

    public double meanMillisPerRun() {
        double s = 0;
        for (RunResult r : runs) {
            s += r.nanos() / 1e6;
        }
        return s / runs.size();
    }

    /** The median over seeds of the loss at the last recorded step ≤ {@code step}: early-phase comparison. */
    public double medianLossAt(int step) {
        int[] steps = runs.getFirst().steps();
        int j = 0;
        while (j + 1 < steps.length && steps[j + 1] <= step) {
            j++;
        }
        double[] col = new double[runs.size()];
        for (int i = 0; i < col.length; i++) {
            col[i] = runs.get(i).loss()[j];
        }
        return Stats.median(col);
    }

    /** The median over seeds of the loss at each recorded step (all seeds share the schedule). */
    public double[] medianCurve() {
        int n = runs.getFirst().loss().length;
        double[] out = new double[n];
        double[] col = new double[runs.size()];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < col.length; i++) {
                col[i] = runs.get(i).loss()[j];
            }
            out[j] = Stats.median(col);
        }
        return out;
    }
}
