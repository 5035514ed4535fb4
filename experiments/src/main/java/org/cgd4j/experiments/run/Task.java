package org.cgd4j.experiments.run;

import org.cgd4j.engine.CgdConfig;

/** A test problem: runs an optimizer configuration from a seed and reports its loss. */
public sealed interface Task permits RosenbrockTask, MultiplicationTask, DigitsTask {

    /** Stable key used in files, e.g. "rosenbrock". */
    String id();

    /** Human-readable name. */
    String label();

    /** Number of trainable parameters d. */
    int dimension();

    /** Loss thresholds whose first-hitting steps are reported (may be empty). */
    double[] thresholds();

    /** The family of problems this task belongs to: it picks the optimizers run by default. */
    default Suite suite() { return Suite.PAPER; }

    /**
     * Runs {@code steps} updates.
     *
     * @param curve          record the loss curve (about 200 points); false records only the first and
     *                       last step, which is all tuning needs
     * @param recordSpectrum read the eigenvalues of a FULL optimizer along the way
     */
    RunResult run(CgdConfig config, long seed, int steps, boolean curve, boolean recordSpectrum);

    /**
     * The run {@code cgd4j tune} scores by its final loss: {@link #run} without curves, unless the task
     * keeps a validation set apart from the set it reports on, which it then scores on instead.
     */
    default RunResult tuningRun(CgdConfig config, long seed, int steps) {
        return run(config, seed, steps, false, false);
    }

    /**
     * Runs the task's code briefly so that the JIT has compiled it before timed runs start (a task
     * that reports time calls for it; the default does nothing).
     */
    default void warmUp() {}

    /** Null if the engine can build {@code config} for this task, else why not (it is then skipped). */
    default String unavailable(CgdConfig config) {
        return Reproduction.unavailable(config, dimension());
    }

    /** The task with id {@code id}, built from the experiment settings. */
    static Task byId(String id, TaskSettings settings) {
        return switch (id) {
            case RosenbrockTask.ID -> new RosenbrockTask(settings.starts());
            case MultiplicationTask.ID -> new MultiplicationTask(settings.layers(), settings.batch(), settings.heldOut());
            case DigitsTask.ID -> new DigitsTask(settings.digitsLayers(), settings.batch());
            default -> throw new IllegalArgumentException("unknown problem '" + id + "'; known: " + ids());
        };
    }

    /** Every problem id, comma-separated. */
    static String ids() {
        return RosenbrockTask.ID + "," + MultiplicationTask.ID + "," + DigitsTask.ID;
    }
}
