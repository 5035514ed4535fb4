package org.cgd4j.experiments.run;

/** Budgets shared by {@code tune} and {@code reproduce}, so that the tuned values fit the runs. */
public final class Defaults {
    /** Steps per Rosenbrock run. */
    public static final int ROSENBROCK_STEPS = 3000;
    /** Steps (mini-batches) per multiplication run. */
    public static final int MULTIPLICATION_STEPS = 3000;
    /** Steps (mini-batches) per digits run. */
    public static final int DIGITS_STEPS = 1000;

    private Defaults() {}

    /** The default budget of a task. */
    public static int steps(String taskId) {
        return switch (taskId) {
            case RosenbrockTask.ID -> ROSENBROCK_STEPS;
            case MultiplicationTask.ID -> MULTIPLICATION_STEPS;
            case DigitsTask.ID -> DIGITS_STEPS;
            default -> throw new IllegalArgumentException("unknown problem '" + taskId + "'");
        };
    }
}
