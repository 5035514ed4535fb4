package org.cgd4j.experiments.problem;

/**
 * The 2-D Rosenbrock function H(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1): a narrow
 * curved valley where the Hessian's condition number grows to ~2500 near the minimum, the paper's
 * first test problem.
 */
public final class Rosenbrock {
    /** The canonical start of the trajectory plot. */
    public static final double START_X = -1.5;
    public static final double START_Y = 2.0;
    /** Random starts are drawn uniformly from [X_MIN, X_MAX] × [Y_MIN, Y_MAX]. */
    public static final double X_MIN = -2, X_MAX = 2, Y_MIN = -1, Y_MAX = 3;

    private Rosenbrock() {}

    /** H(x, y). */
    public static double value(double x, double y) {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }

    /** Writes ∇H(q) into {@code grad} (both of length ≥ 2) and returns H(q). */
    public static double valueAndGradient(double[] q, double[] grad) {
        double x = q[0];
        double y = q[1];
        double a = 1 - x;
        double b = y - x * x;
        grad[0] = -2 * a - 400 * x * b;
        grad[1] = 200 * b;
        return a * a + 100 * b * b;
    }
}
