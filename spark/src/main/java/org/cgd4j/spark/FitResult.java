package org.cgd4j.spark;

import java.util.List;

/**
 * What a run of {@link CgdSpark} ended with.
 *
 * @param params           q after the last step (or where the target loss was reached)
 * @param firstIteration   the iteration the run started at (0, or the checkpoint's on a resume)
 * @param iterations       iterations completed in total, counted from 0 across resumes
 * @param reachedTarget    stopped because the loss fell to the target
 * @param examplesVisited  examples aggregated by this run (divide by the data size for passes)
 * @param history          one report per iteration run here, in order
 */
public record FitResult(double[] params, long firstIteration, long iterations, boolean reachedTarget,
                        long examplesVisited, List<IterationReport> history) {
    public FitResult {
        params = params.clone();
        history = List.copyOf(history);
    }

    @Override
    public double[] params() {
        return params.clone();
    }

    /** The loss of the last iteration run here (at the iterate before its step); NaN when none ran. */
    public double lastLoss() {
        return history.isEmpty() ? Double.NaN : history.getLast().loss();
    }
}
