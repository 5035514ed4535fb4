package org.cgd4j.experiments.run;

import org.cgd4j.engine.CgdConfig;

/** A test problem of the paper: runs an optimizer configuration from a seed and reports its loss. */
public sealed interface Task permits RosenbrockTask, MultiplicationTask {

    /** Stable key used in files, e.g. "rosenbrock". */
    String id();

    /** Human-readable name. */
    String label();

    /** Number of trainable parameters d. */
    int dimension();

    /** Loss thresholds whose first-hitting steps are reported (may be empty). */
    double[] thresholds();

    /**
     * Runs {@code steps} updates.
     *
     * @param curve          record the loss curve (about 200 points); false records only the first and
     *                       last step, which is all tuning needs
     * @param recordSpectrum read the eigenvalues of a FULL optimizer along the way
     */
    RunResult run(CgdConfig config, long seed, int steps, boolean curve, boolean recordSpectrum);

    /** The task with id {@code id}, built from the experiment settings. */
    static Task byId(String id, TaskSettings settings) {
        return switch (id) {
            case RosenbrockTask.ID -> new RosenbrockTask(settings.starts());
            case MultiplicationTask.ID -> new MultiplicationTask(settings.layers(), settings.batch(), settings.heldOut());
            default -> throw new IllegalArgumentException("unknown problem '" + id + "'; known: "
                    + RosenbrockTask.ID + "," + MultiplicationTask.ID);
        };
    }
}
